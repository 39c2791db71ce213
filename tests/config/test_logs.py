"""Logs never contain health values, notes or email addresses, whatever happens."""

import logging

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.models import User
from config.logging import redact
from tests.conftest import PASSWORD
from tracker.models import DailyEntry

EMAIL = "zephyrine.quill@example.org"
FORM_NOTE = "Argued about the wedding, knees like glass"
API_NOTE = "Marmalade sunrise, hips aching after the drive"
REFUSED_NOTE = "Periwinkle kettle, never saved"
OWN_SYMPTOM = "Quokkapox"
# Values nothing else in a log line would contain (dates, ids and status codes are whole numbers).
SLEEP_BY_FORM, SLEEP_BY_API, REFUSED_SLEEP = "9.75", "10.25", "30.25"
NEVER_LOGGED = [
    EMAIL,
    "zephyrine",
    FORM_NOTE,
    API_NOTE,
    REFUSED_NOTE,
    OWN_SYMPTOM,
    SLEEP_BY_FORM,
    SLEEP_BY_API,
    REFUSED_SLEEP,
]


def everything_logged(caplog) -> list[str]:
    """Each record as a reader of the logs could see it: message, arguments and traceback."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [
        " ".join([formatter.format(record), repr(record.args), record.exc_text or ""])
        for record in caplog.records
    ]


@pytest.fixture
def capture_everything(caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    return caplog


@pytest.mark.django_db
def test_a_whole_visit_leaves_no_email_value_or_note_in_the_logs(
    client, capture_everything, freeze_time
):
    freeze_time("2026-11-25T12:00:00+00:00")
    signup = {
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "Europe/London",
        "consent": "on",
    }
    assert client.post("/accounts/signup/", signup).status_code == 302
    form_day = {
        "stress": "7",
        "sleep_hours": SLEEP_BY_FORM,
        "flare_severity": "6",
        "new_symptom": OWN_SYMPTOM,
        "notes": FORM_NOTE,
    }
    assert client.post("/log/2026-11-24/", form_day).status_code == 302
    api_day = {"stress": 3, "sleep_hours": float(SLEEP_BY_API), "notes": API_NOTE}
    api_url = "/api/v1/entries/2026-11-23/"
    assert client.put(api_url, api_day, content_type="application/json").status_code == 201
    refused = {"stress": 11, "sleep_hours": float(REFUSED_SLEEP), "notes": REFUSED_NOTE}
    assert client.put(api_url, refused, content_type="application/json").status_code == 400
    assert client.get("/api/v1/entries/1999-01-01/").status_code == 404
    assert client.get(f"/no-such-page/{EMAIL}/").status_code == 404
    assert Client(enforce_csrf_checks=True).post("/log/", form_day).status_code == 403
    client.post("/accounts/logout/")
    wrong = client.post("/accounts/login/", {"login": EMAIL, "password": "not the password"})
    assert wrong.status_code == 200
    signed_in = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302

    logged = everything_logged(capture_everything)

    assert DailyEntry.objects.get(day="2026-11-24").notes == FORM_NOTE  # it all really happened
    assert any("Bad Request: /api/v1/entries/2026-11-23/" in line for line in logged)
    assert any("Not Found: /no-such-page/[email address]/" in line for line in logged)
    assert any("Forbidden (CSRF" in line for line in logged)
    for line in logged:
        for secret in NEVER_LOGGED:
            assert secret not in line


def test_an_email_address_in_a_logged_argument_is_redacted(caplog):
    person = User(email=EMAIL)  # a User reads as its email address

    logging.getLogger("tracker").warning("Could not reach %s about %s", person, "their export")

    [record] = caplog.records
    assert record.getMessage() == "Could not reach [email address] about their export"
    assert record.args is None


@pytest.mark.django_db
def test_a_database_refusal_in_a_traceback_quotes_no_values(caplog, user):
    DailyEntry.objects.create(user=user, day="2026-11-20", stress=3)
    try:
        with transaction.atomic():
            User.objects.create(email=user.email)  # already taken: the key is quoted back
    except IntegrityError:
        logging.getLogger("django.request").exception("Internal Server Error: /signup/")
    try:
        with transaction.atomic():
            DailyEntry.objects.create(user=user, day="2026-11-21", stress=11, notes=FORM_NOTE)
    except IntegrityError:
        logging.getLogger("django.request").exception("Internal Server Error: /log/")

    first, second = (logging.Formatter().format(record) for record in caplog.records)

    assert "IntegrityError" in first and "DETAIL:  [values left out]" in first
    assert user.email not in first
    assert "DETAIL:  [values left out]" in second
    assert "Failing row contains" not in second


def test_sql_and_its_parameters_are_never_logged():
    assert not logging.getLogger("django.db.backends").isEnabledFor(logging.DEBUG)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not Found: /a/Ada.Lovelace+hearth@mail.example.co.uk/", "Not Found: /a/[email address]/"),
        ("Bad Request: /api/v1/entries/2026-11-24/", "Bad Request: /api/v1/entries/2026-11-24/"),
        (
            "duplicate key\nDETAIL:  Key (email)=(ada@example.org) already exists.\nCONTEXT: x",
            "duplicate key\nDETAIL:  [values left out]\nCONTEXT: x",
        ),
    ],
)
def test_redaction_leaves_everything_but_the_personal_data(text, expected):
    assert redact(text) == expected
