"""The OpenAPI schema at /api/v1/schema/ and the docs page at /api/v1/docs/, served by Hearth
itself: every operation documents every answer it can give, and the docs contact no other site."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

ERROR = {"$ref": "#/components/schemas/Error"}


@pytest.fixture
def schema(db) -> dict:
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def test_the_schema_is_openapi_3_in_yaml_and_json(db):
    as_yaml = APIClient().get("/api/v1/schema/")

    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["openapi"].startswith("3.")


def test_every_endpoint_is_documented(schema):
    assert {label for label, _, _ in operations(schema)} == {
        "GET /api/v1/entries/",
        "GET /api/v1/entries/{day}/",
        "PUT /api/v1/entries/{day}/",
        "PATCH /api/v1/entries/{day}/",
        "DELETE /api/v1/entries/{day}/",
        "GET /api/v1/symptoms/",
        "POST /api/v1/symptoms/",
        "DELETE /api/v1/symptoms/{id}/",
        "GET /api/v1/conditions/",
        "GET /api/v1/medications/",
        "POST /api/v1/medications/",
        "GET /api/v1/medications/{id}/",
        "PUT /api/v1/medications/{id}/",
        "PATCH /api/v1/medications/{id}/",
        "DELETE /api/v1/medications/{id}/",
        "GET /api/v1/me/",
        "PATCH /api/v1/me/",
        "GET /api/v1/trends/",
        "GET /api/v1/insights/",
        "GET /api/v1/export/",
    }


def test_every_operation_documents_its_errors_with_the_one_error_shape(schema):
    for label, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"401", "403", "429"}
        if method in ("post", "put", "patch"):
            expected |= {"400", "415"}
        if "{" in label:
            expected.add("404")
        if "{day}" in label or "trends" in label or "insights" in label:
            expected.add("400")
        if "{day}" in label and method in ("put", "patch", "delete"):
            expected.add("412")
        assert expected <= set(responses), label
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == ERROR, label
        assert "Retry-After" in responses["429"]["headers"], label


def test_the_error_shape_is_documented(schema):
    assert schema["components"]["schemas"]["Error"] == {
        "type": "object",
        "properties": {
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "Messages keyed by field name, `non_field_errors`, or `detail` "
                "when the error is about the request as a whole.",
            }
        },
        "required": ["errors"],
    }


def test_tokens_and_sessions_are_the_documented_ways_in(schema):
    assert schema["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for label, _, operation in operations(schema):
        assert operation["security"] == [{"bearerToken": []}, {"cookieAuth": []}], label


def test_the_docs_page_loads_everything_from_hearth_itself(db):
    client = APIClient()
    page = client.get("/api/v1/docs/")

    assert page.status_code == 200
    # What the page loads (scripts, styles, icons); its links lead back into Hearth.
    addresses = re.findall(
        r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', page.content.decode()
    )
    assert addresses
    links = re.findall(r'<a\b[^>]*?href="([^"]+)"', page.content.decode())
    assert links and all(link.startswith("/") for link in links), links
    for address in addresses:
        assert address.startswith(("/static/", "/api/v1/docs/")), address
        if address.startswith("/static/"):
            assert finders.find(address.removeprefix("/static/")), address
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "http://" not in script.content.decode()
    assert "https://" not in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()


def test_unknown_api_addresses_answer_a_json_404(db):
    for method in ("get", "post", "delete"):
        response = getattr(APIClient(enforce_csrf_checks=True), method)("/api/v1/nothing/here")
        assert response.status_code == 404
        assert list(response.json()["errors"]) == ["detail"]


def test_a_method_an_address_does_not_have_answers_405_in_the_error_shape(owner, user):
    response = owner.post("/api/v1/me/", {}, format="json")

    assert response.status_code == 405
    assert response.json() == {"errors": {"detail": ['Method "POST" not allowed.']}}
    assert response["Allow"] == "GET, PATCH, HEAD, OPTIONS"
