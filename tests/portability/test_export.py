"""/account/data/ and its downloads: everything a person stored, as JSON and as CSV, streamed,
only to them, and only after they confirmed their password recently."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from accounts.models import SecurityEvent
from accounts.tokens import create_token
from portability import exporting
from tests.conftest import TODAY, reauthenticate
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory
from tests.pages import words
from tracker.models import IntimacyBarrier, Symptom

NOTES = 'Tired, sore.\nShe said "not tonight" — ça va; 痛い'


@pytest.fixture
def confirmed(signed_in, user):
    """Signed in, and the password confirmed a moment ago."""
    reauthenticate(signed_in, user)
    return signed_in


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def journal(user):
    """A day with every field, one with almost nothing, an own symptom and a medication."""
    hives = SymptomFactory(owner=user, name="Hives")
    full = DailyEntryFactory(
        user=user,
        day=TODAY - datetime.timedelta(days=1),
        sexual_activity="partnered",
        intensity="gentle",
        satisfaction=4,
        discomfort=2,
        physical_affection=True,
        libido=3,
        stress=6,
        sleep_hours=Decimal("6.75"),
        sleep_quality=2,
        fatigue=7,
        flare_severity=5,
        notes=NOTES,
    )
    full.symptoms.set([Symptom.objects.get(owner=None, name="Joint pain"), hives])
    full.intimacy_barriers.set([IntimacyBarrier.objects.get(slug="pain")])
    DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=3), stress=None, fatigue=None)
    MedicationFactory(user=user, name="Methotrexate", dose="15 mg weekly")
    create_token(user, "Phone shortcut")
    return full


def download(client, kind: str) -> tuple[StreamingHttpResponse, str]:
    response = client.get(f"/account/data/export.{kind}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("path", ["/account/data/", "/account/data/export.json"])
def test_anonymous_people_are_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path", ["/account/data/", "/account/data/export.json", "/account/data/export.csv"]
)
def test_a_session_that_has_not_confirmed_the_password_is_asked_for_it(signed_in, path):
    response = signed_in.get(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/reauthenticate/?next={path.replace('/', '%2F')}"


def test_a_confirmation_older_than_the_timeout_no_longer_counts(signed_in, user, settings):
    reauthenticate(signed_in, user, seconds_ago=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)

    response = signed_in.get("/account/data/export.json")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


def test_the_data_page_says_what_is_kept_and_links_each_download(confirmed, journal):
    response = confirmed.get("/account/data/")

    assert response.status_code == 200
    text = words(response)
    assert "2 logged days, 1 medication and 1 symptom of your own" in text
    assert 'href="/account/data/export.json"' in response.content.decode()
    assert 'href="/account/data/export.csv"' in response.content.decode()
    assert 'href="/account/data/import/"' in response.content.decode()
    assert 'href="/account/delete/"' in response.content.decode()


def test_the_json_export_is_a_dated_streamed_download_no_cache_keeps(confirmed, journal):
    response, _ = download(confirmed, "json")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="hearth-export-2026-11-25.json"'
    assert response["Cache-Control"] == "no-store"


def test_the_json_export_holds_everything_the_person_stored(confirmed, user, journal):
    user.display_name = "Ada"
    user.discreet_mode = True
    user.save()

    export = json.loads(download(confirmed, "json")[1])

    assert export["format"] == "hearth-export"
    assert export["version"] == 1
    assert export["exported_at"].startswith("2026-11-25T12:00:00")
    assert export["profile"] | {"date_joined": None, "consent_given_at": None} == {
        "email": "ada@example.org",
        "display_name": "Ada",
        "time_zone": "Europe/London",
        "conditions": [],
        "other_condition": "",
        "discreet_mode": True,
        "idle_timeout_minutes": 720,
        "date_joined": None,
        "consent_given_at": None,
        "consent_version": user.consent_version,
    }
    assert export["symptoms"] == [{"name": "Hives"}]
    assert [(m["name"], m["dose"], m["stopped"]) for m in export["medications"]] == [
        ("Methotrexate", "15 mg weekly", None)
    ]
    assert [day["day"] for day in export["days"]] == ["2026-11-22", "2026-11-24"]
    assert export["days"][1] == {
        "day": "2026-11-24",
        "sexual_activity": "partnered",
        "intensity": "gentle",
        "satisfaction": 4,
        "discomfort": 2,
        "intimacy_barriers": ["Pain"],
        "physical_affection": True,
        "libido": 3,
        "stress": 6,
        "sleep_hours": 6.75,
        "sleep_quality": 2,
        "fatigue": 7,
        "flare_severity": 5,
        "symptoms": ["Hives", "Joint pain"],
        "notes": NOTES,
        "created_at": "2026-11-25T12:00:00+00:00",
        "updated_at": "2026-11-25T12:00:00+00:00",
    }
    assert export["days"][0]["stress"] is None


def test_the_export_names_tokens_but_never_holds_a_secret(confirmed, user, journal):
    secret = create_token(user, "Laptop script")[1]

    text = download(confirmed, "json")[1]

    tokens = json.loads(text)["api_tokens"]
    assert [token["name"] for token in tokens] == ["Phone shortcut", "Laptop script"]
    assert set(tokens[0]) == {"name", "created", "expiry", "last_used"}
    assert secret not in text
    assert secret[:8] not in text  # not even knox's token key


def test_each_export_is_recorded_in_the_security_activity(confirmed, user, journal):
    download(confirmed, "json")
    download(confirmed, "csv")

    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == [SecurityEvent.Kind.EXPORT] * 2


def test_nobody_elses_records_are_in_an_export(client, other_user, journal):
    client.force_login(other_user)
    reauthenticate(client, other_user)
    SymptomFactory(owner=other_user, name="Night sweats")

    export = json.loads(download(client, "json")[1])
    spreadsheet = download(client, "csv")[1]

    assert export["profile"]["email"] == "grace@example.org"
    assert export["days"] == []
    assert export["medications"] == []
    assert export["api_tokens"] == []
    assert export["symptoms"] == [{"name": "Night sweats"}]
    assert spreadsheet.splitlines() == [",".join(exporting.DAY_FIELDS)]


def test_the_csv_has_a_header_and_one_row_per_day_with_names_joined_by_semicolons(
    confirmed, journal
):
    response, text = download(confirmed, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hearth-export-2026-11-25.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["day"] for row in rows] == ["2026-11-22", "2026-11-24"]
    assert rows[1] | {"created_at": "", "updated_at": ""} == {
        "day": "2026-11-24",
        "sexual_activity": "partnered",
        "intensity": "gentle",
        "satisfaction": "4",
        "discomfort": "2",
        "intimacy_barriers": "Pain",
        "physical_affection": "true",
        "libido": "3",
        "stress": "6",
        "sleep_hours": "6.75",
        "sleep_quality": "2",
        "fatigue": "7",
        "flare_severity": "5",
        "symptoms": "Hives;Joint pain",
        "notes": NOTES,
        "created_at": "",
        "updated_at": "",
    }
    assert rows[0]["stress"] == ""  # not logged, never zero


def test_commas_quotes_and_line_breaks_in_notes_are_escaped_as_csv_requires(confirmed, journal):
    text = download(confirmed, "csv")[1]

    assert '"Tired, sore.\nShe said ""not tonight"" — ça va; 痛い"' in text


def test_the_download_costs_the_same_queries_for_a_long_journal_as_a_short_one(confirmed, user):
    def queries_for_export(kind: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            download(confirmed, kind)
        return len(queries)

    for days_ago in range(1, 4):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))
    short = {kind: queries_for_export(kind) for kind in ("json", "csv")}
    for days_ago in range(4, 120):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))
    long = {kind: queries_for_export(kind) for kind in ("json", "csv")}

    assert long == short


def test_days_are_read_a_chunk_at_a_time_with_a_fixed_number_of_queries_each(
    confirmed, user, monkeypatch
):
    monkeypatch.setattr(exporting, "CHUNK_SIZE", 10)
    for days_ago in range(1, 31):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))

    with CaptureQueriesContext(connection) as queries:
        days = list(exporting.entries_for_export(user))

    assert len(days) == 30
    # One cursor for the days, then symptoms and barriers for each chunk of ten.
    assert len(queries) == 1 + 2 * 3
