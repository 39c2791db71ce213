"""/api/v1/export/?format=fhir: the FHIR R4 bundle of /account/data/export.fhir.json, with the
same rules (a token, or a browser session that confirmed the password recently)."""

import datetime
import json

import pytest
from django.http import StreamingHttpResponse
from fhir.resources.bundle import Bundle
from rest_framework.test import APIClient

from accounts.models import SecurityEvent
from tests.conftest import TODAY, reauthenticate
from tests.factories import DailyEntryFactory, MedicationFactory, UserFactory

URL = "/api/v1/export/"
PLANTED_NOTE = "Planted note: not tonight"

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def records(user):
    DailyEntryFactory(
        user=user,
        day=TODAY - datetime.timedelta(days=1),
        stress=7,
        sexual_activity="solo",
        libido=2,
        notes=PLANTED_NOTE,
    )
    MedicationFactory(user=user, name="Hydroxychloroquine")


def bundle_text(response) -> str:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def hearth_codes(text: str) -> set[str]:
    return {
        coding.code
        for entry in Bundle.parse_raw(text).entry
        if entry.resource.resource_type == "Observation"
        for coding in entry.resource.code.coding
        if coding.system.startswith("urn:hearth:")
    }


def test_a_token_owner_gets_the_fhir_bundle(owner, user, records):
    response = owner.get(URL, {"format": "fhir"})

    text = bundle_text(response)
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "no-store"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="hearth-export-2026-11-25.fhir.json"'
    )
    bundle = Bundle.parse_raw(text)
    assert bundle.type == "collection"
    assert [e.resource.resource_type for e in bundle.entry][:2] == [
        "Patient",
        "MedicationStatement",
    ]
    assert hearth_codes(text) == {"stress", "fatigue", "flare_severity"}
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).count() == 1


def test_asking_for_fhir_json_in_the_accept_header_gives_the_bundle_too(owner, records):
    response = owner.get(URL, HTTP_ACCEPT="application/fhir+json")

    assert response["Content-Type"] == "application/fhir+json"
    assert json.loads(bundle_text(response))["resourceType"] == "Bundle"


def test_without_a_format_the_answer_is_still_hearths_own_json_export(owner, records):
    response = owner.get(URL)

    assert response["Content-Type"] == "application/json"
    assert json.loads(bundle_text(response))["format"] == "hearth-export"


@pytest.mark.parametrize(
    ("query", "intimacy_shown", "notes_shown"),
    [
        ({}, False, False),
        ({"include_intimacy": "false", "include_notes": "false"}, False, False),
        ({"include_intimacy": "true"}, True, False),
        ({"include_notes": "true"}, False, True),
        ({"include_intimacy": "true", "include_notes": "true"}, True, True),
    ],
)
def test_intimacy_answers_and_notes_only_when_asked_for(
    owner, records, query, intimacy_shown, notes_shown
):
    text = bundle_text(owner.get(URL, {"format": "fhir", **query}))

    codes = hearth_codes(text)
    assert ({"sexual_activity", "libido"} <= codes) is intimacy_shown
    assert ("solo" in text) is intimacy_shown
    assert ("notes" in codes) is notes_shown
    assert (PLANTED_NOTE in text) is notes_shown


@pytest.mark.parametrize("export_format", ["fhir", "json"])
@pytest.mark.parametrize("unclear", ["0", "no", "null"])
def test_an_unclear_choice_is_refused_with_the_fields_error(
    owner, user, records, unclear, export_format
):
    response = owner.get(URL, {"format": export_format, "include_notes": unclear})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["include_notes"]
    assert not SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).exists()


@pytest.mark.parametrize("caller", ["another person", "staff member"])
def test_anyone_else_gets_only_their_own_records(bearer, user, records, caller):
    someone = UserFactory(is_staff=caller == "staff member")

    text = bundle_text(
        bearer(someone).get(
            URL, {"format": "fhir", "include_intimacy": "true", "include_notes": "true"}
        )
    )

    assert [e.resource.resource_type for e in Bundle.parse_raw(text).entry] == ["Patient"]
    assert PLANTED_NOTE not in text
    assert "Hydroxychloroquine" not in text
    assert user.email not in text and someone.email not in text


def test_without_valid_credentials_the_answer_is_401_in_the_error_shape(records):
    response = APIClient().get(URL, {"format": "fhir"})

    assert response.status_code == 401
    assert list(response.json()["errors"]) == ["detail"]


def test_a_browser_session_must_have_confirmed_the_password_recently(user, records):
    client = APIClient()
    client.force_login(user)

    refused = client.get(URL, {"format": "fhir"})

    assert refused.status_code == 403
    assert "password again" in refused.json()["errors"]["detail"][0]
    assert not SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).exists()
    reauthenticate(client, user)
    assert "stress" in hearth_codes(bundle_text(client.get(URL, {"format": "fhir"})))


def test_the_schema_documents_the_fhir_bundle_and_its_choices(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/export/"]["get"]
    content = operation["responses"]["200"]["content"]
    assert content["application/fhir+json"]["schema"]["properties"]["type"]["enum"] == [
        "collection"
    ]
    assert content["application/json"]["schema"]["properties"]["format"]["enum"] == [
        "hearth-export"
    ]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["format"]["schema"]["enum"] == ["fhir", "json"]
    assert parameters["include_intimacy"]["schema"]["type"] == "boolean"
    assert parameters["include_notes"]["schema"]["type"] == "boolean"
    assert {"400", "404"} <= set(operation["responses"])


@pytest.mark.parametrize("asked", ["xml", ""])
def test_an_unknown_format_answers_404_in_the_error_shape(owner, user, records, asked):
    response = owner.get(URL, {"format": asked})

    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["detail"]
    assert not SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).exists()
