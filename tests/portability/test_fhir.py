"""/account/data/export.fhir.json: the person's records as a FHIR R4 (4.0.1) Bundle for clinical
systems, checked with fhir.resources' R4 models; intimacy answers and notes only when ticked."""

import datetime
import json
from decimal import Decimal

import fhir.resources
import numpy as np
import pytest
from django.http import StreamingHttpResponse
from fhir.resources.bundle import Bundle

from accounts.models import Condition, SecurityEvent
from portability import exporting
from portability import fhir as fhir_export
from tests.conftest import TODAY, reauthenticate
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory
from tests.pages import words
from tracker.demo import day_records
from tracker.management.commands.seed_demo import insert_days
from tracker.measures import MEASURES
from tracker.models import DailyEntry, IntimacyBarrier, Medication, Symptom

URL = "/account/data/export.fhir.json"
PLANTED_NOTE = "Planted note: argued about the flare"
PLANTED_MEDICATION_NOTE = "Planted medication note: skipped twice"
YESTERDAY = TODAY - datetime.timedelta(days=1)

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def confirmed(signed_in, user):
    """Signed in, and the password confirmed a moment ago."""
    reauthenticate(signed_in, user)
    return signed_in


@pytest.fixture
def journal(user):
    """A day with every answer (a planted note and planted intimacy answers among them), a day
    with little, a medication with a note, and two conditions."""
    full = DailyEntryFactory(
        user=user,
        day=YESTERDAY,
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
        notes=PLANTED_NOTE,
    )
    full.symptoms.set(
        [
            Symptom.objects.get(owner=None, name="Joint pain"),
            Symptom.objects.get(owner=None, name="Vaginal dryness"),
            SymptomFactory(owner=user, name="Hives"),
        ]
    )
    full.intimacy_barriers.set([IntimacyBarrier.objects.get(slug="low-desire")])
    DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=3), stress=None, fatigue=None)
    MedicationFactory(
        user=user,
        name="Methotrexate",
        dose="15 mg weekly",
        started=datetime.date(2025, 3, 1),
        stopped=None,
        note=PLANTED_MEDICATION_NOTE,
    )
    MedicationFactory(
        user=user,
        name="Prednisolone",
        dose="",
        started=datetime.date(2026, 1, 5),
        stopped=datetime.date(2026, 2, 1),
    )
    user.conditions.set(Condition.objects.filter(slug__in=["lupus", "other"]))
    user.other_condition = "Sjögren's overlap"
    user.save()
    return full


def download(client, **choices) -> tuple[StreamingHttpResponse, str]:
    response = client.get(URL, choices)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content).decode()


def resources(text: str, kind: str) -> list[dict]:
    return [
        entry["resource"]
        for entry in json.loads(text)["entry"]
        if entry["resource"]["resourceType"] == kind
    ]


def hearth_code(resource: dict) -> str:
    [code] = [c["code"] for c in resource["code"]["coding"] if c["system"] == fhir_export.CODES]
    return code


def readings(text: str) -> set[tuple]:
    """Every value in the bundle as (day, Hearth code, value), read through the R4 models."""
    found = set()
    for entry in Bundle.parse_raw(text).entry:
        observation = entry.resource
        if observation.resource_type != "Observation":
            continue
        [code] = [c.code for c in observation.code.coding if c.system == fhir_export.CODES]
        if observation.valueQuantity is not None:
            value = Decimal(str(observation.valueQuantity.value))
        elif observation.valueCodeableConcept is not None:
            concept = observation.valueCodeableConcept
            value = concept.coding[0].code if concept.coding else concept.text
        else:
            value = next(
                v
                for v in (
                    observation.valueInteger,
                    observation.valueBoolean,
                    observation.valueString,
                )
                if v is not None
            )
        found.add((observation.effectiveDateTime.isoformat(), code, value))
    return found


def stored_readings(user) -> set[tuple]:
    """The same, straight from the database."""
    expected = set()
    for entry in DailyEntry.objects.for_user(user).prefetch_related(
        "symptoms", "intimacy_barriers"
    ):
        day = entry.day.isoformat()
        for name in [*MEASURES, *fhir_export.INTIMACY_ANSWERS]:
            value = getattr(entry, name)
            if value is not None:
                expected.add((day, name, value))
        expected |= {(day, "symptom", symptom.name) for symptom in entry.symptoms.all()}
        expected |= {
            (day, "intimacy_barrier", barrier.slug) for barrier in entry.intimacy_barriers.all()
        }
        if entry.notes:
            expected.add((day, "notes", entry.notes))
    return expected


@pytest.mark.parametrize("path", [URL, f"{URL}?include_notes=true"])
def test_anonymous_people_are_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_session_that_has_not_confirmed_the_password_is_asked_for_it(signed_in, user):
    response = signed_in.get(URL, {"include_notes": "true"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/?next=")
    assert "include_notes" in response.url  # the choice survives confirming the password
    assert not SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).exists()


def test_a_confirmation_older_than_the_timeout_no_longer_counts(signed_in, user, settings):
    reauthenticate(signed_in, user, seconds_ago=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)

    response = signed_in.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")


def test_the_bundle_is_a_dated_streamed_fhir_download_no_cache_keeps(confirmed, journal):
    response, _ = download(confirmed)

    assert response["Content-Type"] == "application/fhir+json"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="hearth-export-2026-11-25.fhir.json"'
    )
    assert response["Cache-Control"] == "no-store"


def test_the_bundle_validates_against_fhir_r4(confirmed, journal):
    text = download(confirmed, include_intimacy="true", include_notes="true")[1]

    assert fhir.resources.__fhir_version__ == "4.0.1"
    bundle = Bundle.parse_raw(text)
    assert bundle.type == "collection"
    kinds = [entry.resource.resource_type for entry in bundle.entry]
    assert kinds[:5] == [
        "Patient",
        "Condition",
        "Condition",
        "MedicationStatement",
        "MedicationStatement",
    ]
    assert set(kinds[5:]) == {"Observation"}
    # Every entry points at the one Patient, by the urn:uuid the bundle gives it.
    patient_url = bundle.entry[0].fullUrl
    assert patient_url.startswith("urn:uuid:")
    assert {entry.resource.subject.reference for entry in bundle.entry[1:]} == {patient_url}
    assert len({entry.fullUrl for entry in bundle.entry}) == len(bundle.entry)


def test_every_logged_value_of_a_seeded_person_comes_back_from_the_bundle(confirmed, user):
    [records] = day_records(np.random.default_rng(5), YESTERDAY, 120)
    insert_days([(user.pk, records)])
    hives = SymptomFactory(owner=user, name="Hives")
    DailyEntry.objects.for_user(user).latest("day").symptoms.add(hives)
    MedicationFactory(user=user, name="Hydroxychloroquine", note="With food")
    stored = stored_readings(user)
    assert {code for _, code, _ in stored} == {
        *MEASURES,
        *fhir_export.INTIMACY_ANSWERS,
        "symptom",
        "intimacy_barrier",
        "notes",
    }  # the seeded person logged every kind of value

    text = download(confirmed, include_intimacy="true", include_notes="true")[1]

    assert readings(text) == stored
    [statement] = resources(text, "MedicationStatement")
    assert statement["medicationCodeableConcept"]["text"] == "Hydroxychloroquine"
    assert statement["note"] == [{"text": "With food"}]


def test_sleep_is_loinc_coded_in_hours_and_scores_are_hearths_own(confirmed, journal):
    text = download(confirmed)[1]

    observations = {
        hearth_code(o): o
        for o in resources(text, "Observation")
        if o["effectiveDateTime"] == "2026-11-24"
    }
    sleep = observations["sleep_hours"]
    assert sleep["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "93832-4",
        "display": "Sleep duration",
    }
    assert sleep["valueQuantity"] == {
        "value": 6.75,
        "unit": "h",
        "system": "http://unitsofmeasure.org",
        "code": "h",
    }
    assert sleep["category"][0]["coding"][0]["code"] == "survey"
    assert sleep["status"] == "final"
    stress = observations["stress"]
    assert stress["code"] == {
        "coding": [{"system": fhir_export.CODES, "code": "stress", "display": "Stress"}],
        "text": "Stress (0-10)",
    }
    assert stress["valueInteger"] == 6
    assert observations["sleep_quality"]["code"]["text"] == "Sleep quality (1-5)"
    assert observations["flare_severity"]["valueInteger"] == 5
    assert observations["fatigue"]["valueInteger"] == 7
    [symptom] = [o for o in resources(text, "Observation") if hearth_code(o) == "symptom"][:1]
    assert symptom["code"]["coding"][0]["code"] == "75325-1"


def test_each_measure_of_the_registry_becomes_an_observation(confirmed, journal):
    text = download(confirmed, include_intimacy="true")[1]

    codes = {hearth_code(o) for o in resources(text, "Observation")}
    assert set(MEASURES) <= codes


def test_every_unit_of_the_registry_has_its_ucum_code():
    units = {measure.unit for measure in MEASURES.values() if measure.unit}

    assert units <= set(fhir_export.UCUM_UNITS)


def test_a_day_left_empty_has_no_observation_for_it(confirmed, journal):
    text = download(confirmed)[1]

    sparse = {
        hearth_code(o)
        for o in resources(text, "Observation")
        if o["effectiveDateTime"] == "2026-11-22"
    }
    assert sparse == {"flare_severity"}  # stress and fatigue were not logged, never zero


@pytest.mark.parametrize(
    ("choices", "intimacy_shown", "notes_shown"),
    [
        ({}, False, False),
        ({"include_intimacy": "true"}, True, False),
        ({"include_notes": "true"}, False, True),
        ({"include_intimacy": "true", "include_notes": "true"}, True, True),
    ],
)
def test_intimacy_answers_and_notes_are_only_in_the_bundle_when_ticked(
    confirmed, journal, choices, intimacy_shown, notes_shown
):
    text = download(confirmed, **choices)[1]

    codes = {hearth_code(o) for o in resources(text, "Observation")}
    intimate = {*fhir_export.INTIMACY_ANSWERS, "libido", "intimacy_barrier"}
    assert (intimate <= codes) is intimacy_shown
    assert (not intimate & codes) is not intimacy_shown
    for planted in ["partnered", "With a partner", "Low desire", "Vaginal dryness"]:
        assert (planted in text) is intimacy_shown
    assert ("notes" in codes) is notes_shown
    assert (PLANTED_NOTE in text) is notes_shown
    assert (PLANTED_MEDICATION_NOTE in text) is notes_shown
    assert "Joint pain" in text and "Hives" in text  # other symptoms are always there


def test_the_patient_has_the_display_name_and_never_the_email(confirmed, user, journal):
    anonymous = download(confirmed)[1]
    user.display_name = "Ada"
    user.save()

    named = download(confirmed)[1]

    assert resources(anonymous, "Patient") == [{"resourceType": "Patient"}]
    assert resources(named, "Patient") == [{"resourceType": "Patient", "name": [{"text": "Ada"}]}]
    assert user.email not in anonymous + named
    assert "ada@" not in anonymous + named


def test_conditions_are_listed_with_the_other_condition_named(confirmed, journal):
    conditions = resources(download(confirmed)[1], "Condition")

    assert [c["code"]["text"] for c in conditions] == ["Lupus (SLE)", "Sjögren's overlap"]
    assert conditions[0]["code"]["coding"] == [
        {"system": fhir_export.CONDITIONS, "code": "lupus", "display": "Lupus (SLE)"}
    ]
    assert conditions[0]["clinicalStatus"]["coding"][0]["code"] == "active"


def test_medications_have_their_periods_and_doses(confirmed, journal):
    statements = resources(download(confirmed)[1], "MedicationStatement")

    assert [
        (
            s["medicationCodeableConcept"]["text"],
            s["status"],
            s["effectivePeriod"],
            s.get("dosage"),
        )
        for s in statements
    ] == [
        ("Methotrexate", "active", {"start": "2025-03-01"}, [{"text": "15 mg weekly"}]),
        ("Prednisolone", "completed", {"start": "2026-01-05", "end": "2026-02-01"}, None),
    ]


def test_nobody_elses_records_are_in_the_bundle(client, other_user, journal):
    client.force_login(other_user)
    reauthenticate(client, other_user)

    text = download(client, include_intimacy="true", include_notes="true")[1]

    assert [entry["resource"]["resourceType"] for entry in json.loads(text)["entry"]] == ["Patient"]
    for planted in [PLANTED_NOTE, "Methotrexate", "Hives", "Sjögren", "ada@example.org"]:
        assert planted not in text


def test_each_fhir_export_is_recorded_in_the_security_activity(confirmed, user, journal):
    download(confirmed)

    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == [SecurityEvent.Kind.EXPORT]


def test_an_edited_choice_is_refused_and_nothing_is_exported(confirmed, user, journal):
    response = confirmed.get(URL, {"include_notes": "maybe"})

    assert response.status_code == 400
    assert "Nothing was exported" in words(response)
    assert "Tick the box or leave it empty" in words(response)
    assert PLANTED_NOTE not in response.content.decode()
    assert not SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).exists()


def test_the_data_page_offers_the_fhir_download_with_both_choices_unticked(confirmed, journal):
    response = confirmed.get("/account/data/")

    page = response.content.decode()
    assert f'action="{URL}"' in page
    for name in ["include_intimacy", "include_notes"]:
        assert f'type="checkbox" name="{name}" value="true"' in page  # as the API says it
    assert "checked" not in page
    assert "Include intimacy answers" in words(response)
    assert "Include my notes" in words(response)


def test_the_bundle_costs_the_same_queries_for_a_long_journal_as_a_short_one(
    user, django_assert_num_queries
):
    def build() -> str:
        return "".join(fhir_export.fhir_bundle(user, include_intimacy=True, include_notes=True))

    for days_ago in range(1, 4):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))
    # Conditions, medications, the days, their symptoms, their barriers.
    with django_assert_num_queries(5):
        build()
    for days_ago in range(4, 120):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))
    with django_assert_num_queries(5):
        build()


def test_long_journals_are_read_a_chunk_of_days_at_a_time(
    user, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(exporting, "CHUNK_SIZE", 10)
    for days_ago in range(1, 31):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))

    # Conditions and medications, one cursor for the days, then two per chunk of ten.
    with django_assert_num_queries(2 + 1 + 2 * 3):
        assert (
            "".join(fhir_export.fhir_bundle(user, include_intimacy=False, include_notes=False))
        ).count('"resourceType": "Observation"') == 30 * 3


def test_medication_rows_do_not_fetch_anything_more(user, django_assert_num_queries):
    MedicationFactory.create_batch(5, user=user)

    with django_assert_num_queries(1):
        statements = list(fhir_export.medication_statements(user, {}, include_notes=True))

    assert len(statements) == Medication.objects.for_user(user).count() == 5
