"""/api/v1/export/: the person's complete JSON export, the same one /account/data/ downloads."""

import datetime
import json

import pytest
from django.http import StreamingHttpResponse
from rest_framework.test import APIClient

from accounts.models import ApiToken, SecurityEvent
from tests.conftest import TODAY, reauthenticate
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory, UserFactory

URL = "/api/v1/export/"


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def records(user):
    DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=1), stress=7)
    MedicationFactory(user=user, name="Hydroxychloroquine")
    SymptomFactory(owner=user, name="Hives")


def exported(response) -> dict:
    assert isinstance(response, StreamingHttpResponse)
    return json.loads(b"".join(response.streaming_content))


def test_a_token_owner_gets_their_complete_export(owner, user, records):
    response = owner.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    export = exported(response)
    assert (export["format"], export["version"]) == ("hearth-export", 1)
    assert export["profile"]["email"] == user.email
    assert [(day["day"], day["stress"]) for day in export["days"]] == [("2026-11-24", 7)]
    assert [m["name"] for m in export["medications"]] == ["Hydroxychloroquine"]
    assert export["symptoms"] == [{"name": "Hives"}]
    assert [t["name"] for t in export["api_tokens"]] == ["Script"]
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).count() == 1


@pytest.mark.parametrize("caller", ["another person", "staff member"])
def test_anyone_else_gets_only_their_own_records(bearer, user, records, caller):
    someone = UserFactory(is_staff=caller == "staff member")

    export = exported(bearer(someone).get(URL))

    assert export["profile"]["email"] == someone.email
    assert export["days"] == export["medications"] == export["symptoms"] == []
    assert user.email not in json.dumps(export)


@pytest.mark.parametrize("caller", ["anonymous", "wrong token", "revoked token", "suspended"])
def test_without_valid_credentials_the_answer_is_401_in_the_error_shape(
    bearer, user, records, caller
):
    client = APIClient() if caller == "anonymous" else bearer(user)
    if caller == "wrong token":
        client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    elif caller == "revoked token":
        ApiToken.objects.filter(user=user).delete()
    elif caller == "suspended":
        user.is_active = False
        user.save()

    response = client.get(URL)

    assert response.status_code == 401
    assert list(response.json()["errors"]) == ["detail"]
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


def test_a_browser_session_must_have_confirmed_the_password_recently(user, records):
    client = APIClient()
    client.force_login(user)

    refused = client.get(URL)

    assert refused.status_code == 403
    assert "password again" in refused.json()["errors"]["detail"][0]
    reauthenticate(client, user)
    assert exported(client.get(URL))["days"][0]["stress"] == 7


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_export_can_only_be_read(owner, records, method):
    response = getattr(owner, method)(URL, {}, format="json")

    assert response.status_code == 405
    assert list(response.json()["errors"]) == ["detail"]


def test_the_schema_documents_the_export_and_its_errors(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/export/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["required"] == [
        "format",
        "version",
        "exported_at",
        "profile",
        "symptoms",
        "medications",
        "api_tokens",
        "security_activity",
        "days",
    ]
    assert {"401", "403", "429"} <= set(operation["responses"])
