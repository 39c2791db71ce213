"""Who can do what: every endpoint and method, for every kind of caller.

The records all belong to the owner. Another person (staff or not) reaches only their own
records: the owner's day and ids answer 404 exactly like missing ones, list endpoints show only
their own, and creating makes their own. Without valid credentials everything answers 401.
"""

import datetime
import json

import pytest
from django.forms.models import model_to_dict
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory, UserFactory
from tracker.models import DailyEntry, Medication, Symptom

DAY = TODAY - datetime.timedelta(days=1)
ENTRY = f"/api/v1/entries/{DAY}/"
MEDICATION = "/api/v1/medications/{medication}/"
SYMPTOM = "/api/v1/symptoms/{symptom}/"
NEW_MEDICATION = {"name": "Hydroxychloroquine", "started": "2026-01-05"}

# (method, URL, body, status for the owner, status for another person)
REQUESTS = [
    ("get", "/api/v1/entries/", None, 200, 200),
    ("get", ENTRY, None, 200, 404),
    ("put", ENTRY, {"stress": 2}, 200, 201),  # another person's PUT logs their own day
    ("patch", ENTRY, {"stress": 2}, 200, 404),
    ("delete", ENTRY, None, 204, 404),
    ("get", "/api/v1/symptoms/", None, 200, 200),
    ("post", "/api/v1/symptoms/", {"name": "Night sweats"}, 201, 201),
    ("delete", SYMPTOM, None, 204, 404),
    ("get", "/api/v1/conditions/", None, 200, 200),
    ("get", "/api/v1/medications/", None, 200, 200),
    ("post", "/api/v1/medications/", NEW_MEDICATION, 201, 201),
    ("get", MEDICATION, None, 200, 404),
    ("put", MEDICATION, NEW_MEDICATION, 200, 404),
    ("patch", MEDICATION, {"dose": "200 mg"}, 200, 404),
    ("delete", MEDICATION, None, 204, 404),
    ("get", "/api/v1/me/", None, 200, 200),
    ("patch", "/api/v1/me/", {"display_name": "Someone"}, 200, 200),
    ("get", "/api/v1/trends/", None, 200, 200),
    ("get", "/api/v1/insights/", None, 200, 200),
    ("get", "/api/v1/export/", None, 200, 200),  # everyone's own export, never the owner's
]

CALLERS = [
    "anonymous",
    "owner",
    "another person",
    "staff member",
    "suspended owner",
    "revoked token",
]


def expected(caller: str, owner_status: int, other_status: int) -> int:
    if caller == "owner":
        return owner_status
    if caller in ("another person", "staff member"):
        return other_status
    return 401


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def records(user):
    """The owner's records, one of each kind."""
    DailyEntryFactory(user=user, day=DAY, stress=7)
    return {
        "medication": MedicationFactory(user=user).pk,
        "symptom": SymptomFactory(owner=user, name="Hives").pk,
    }


def owners_records(user) -> list:
    """Everything the owner has, to show that nobody else's request changed any of it."""
    user.refresh_from_db()
    return [
        list(DailyEntry.objects.for_user(user).values()),
        list(Medication.objects.for_user(user).values()),
        list(Symptom.objects.owned_by(user).values()),
        model_to_dict(user, exclude=["last_login", "data_version"]),
    ]


def client_for(caller: str, user, bearer, token_for) -> APIClient:
    if caller == "anonymous":
        return APIClient()
    if caller == "owner":
        return bearer(user)
    if caller == "another person":
        return bearer(UserFactory())
    if caller == "staff member":
        return bearer(UserFactory(is_staff=True, is_superuser=True))
    client = bearer(user)
    if caller == "suspended owner":
        user.is_active = False
        user.save()
    else:
        ApiToken.objects.filter(user=user).delete()
    return client


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "url", "body", "owner_status", "other_status"), REQUESTS)
def test_permission_matrix(
    user, records, bearer, token_for, caller, method, url, body, owner_status, other_status
):
    client = client_for(caller, user, bearer, token_for)
    before = owners_records(user)

    response = getattr(client, method)(url.format(**records), body, format="json")

    assert response.status_code == expected(caller, owner_status, other_status)
    if response.status_code >= 400:
        assert list(response.json()) == ["errors"]
    if caller != "owner":
        assert owners_records(user) == before


@pytest.mark.parametrize("caller", ["another person", "staff member"])
def test_lists_never_show_the_owners_records_to_anyone_else(user, records, bearer, caller):
    client = client_for(caller, user, bearer, None)

    assert client.get("/api/v1/entries/").json()["count"] == 0
    assert client.get("/api/v1/medications/").json()["count"] == 0
    assert "Hives" not in [s["name"] for s in client.get("/api/v1/symptoms/").json()["results"]]
    assert client.get("/api/v1/me/").json()["email"] != user.email
    assert client.get("/api/v1/trends/").json()["summary"]["days_logged"] == 0
    export = json.loads(b"".join(client.get("/api/v1/export/").streaming_content))
    assert export["days"] == []
    assert export["profile"]["email"] != user.email


def test_a_signed_in_browser_session_works_with_its_csrf_token(user, records):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.get(ENTRY).status_code == 200
    refused = client.patch(ENTRY, {"stress": 1}, format="json")
    assert refused.status_code == 403
    assert list(refused.json()["errors"]) == ["detail"]

    client.get("/account/profile/")  # sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    allowed = client.patch(ENTRY, {"stress": 1}, format="json", HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 200


def test_a_suspended_persons_session_no_longer_reaches_the_api(user, records):
    client = APIClient()
    client.force_login(user)
    user.is_active = False
    user.save()

    assert client.get(ENTRY).status_code == 401
