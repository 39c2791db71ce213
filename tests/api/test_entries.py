"""/api/v1/entries/: a person's days through the API, with exactly the log form's rules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, SymptomFactory, UserFactory
from tracker.models import DailyEntry, EmptyDay, IntimacyBarrier, Symptom

YESTERDAY = TODAY - datetime.timedelta(days=1)
DAY_URL = f"/api/v1/entries/{YESTERDAY}/"
FULL_DAY = {
    "sexual_activity": "partnered",
    "intensity": "gentle",
    "satisfaction": 4,
    "discomfort": 3,
    "intimacy_barriers": ["Pain", "Fatigue"],
    "physical_affection": True,
    "libido": 3,
    "stress": 6,
    "sleep_hours": 6.75,
    "sleep_quality": 2,
    "fatigue": 7,
    "flare_severity": 5,
    "symptoms": ["Joint pain", "Brain fog"],
    "notes": "Tired but close.",
}


pytestmark = pytest.mark.usefixtures("clock")


def without_timestamp(body: dict) -> dict:
    return {name: value for name, value in body.items() if name != "updated_at"}


def test_a_day_round_trips_through_put_get_patch_and_delete(owner, user):
    created = owner.put(DAY_URL, FULL_DAY, format="json")
    assert created.status_code == 201
    assert without_timestamp(created.json()) == {"day": str(YESTERDAY), **FULL_DAY}
    assert owner.get(DAY_URL).json() == created.json()

    patched = owner.patch(DAY_URL, {"stress": 2}, format="json")
    assert patched.status_code == 200
    read_back = owner.get(DAY_URL).json()
    assert read_back == patched.json()
    assert without_timestamp(read_back) == {"day": str(YESTERDAY), **FULL_DAY, "stress": 2}

    assert owner.delete(DAY_URL).status_code == 204
    assert owner.get(DAY_URL).status_code == 404
    assert not DailyEntry.objects.exists()


def test_putting_the_same_body_twice_leaves_one_row(owner, user):
    first = owner.put(DAY_URL, FULL_DAY, format="json")
    second = owner.put(DAY_URL, FULL_DAY, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert without_timestamp(first.json()) == without_timestamp(second.json())
    assert DailyEntry.objects.filter(user=user).count() == 1


def test_put_replaces_the_day_so_fields_left_out_are_not_logged(owner, user):
    owner.put(DAY_URL, FULL_DAY, format="json")

    replaced = owner.put(DAY_URL, {"stress": 3}, format="json").json()

    assert replaced["stress"] == 3
    assert replaced["fatigue"] is None
    assert replaced["symptoms"] == replaced["intimacy_barriers"] == []
    assert replaced["notes"] == ""


def test_patch_keeps_what_it_does_not_mention(owner, user):
    owner.put(DAY_URL, FULL_DAY, format="json")

    patched = owner.patch(DAY_URL, {"notes": "Better by evening."}, format="json").json()

    assert without_timestamp(patched) == {
        "day": str(YESTERDAY),
        **FULL_DAY,
        "notes": "Better by evening.",
    }


def test_patch_checks_the_merged_day_with_the_forms_rules(owner, user):
    owner.put(DAY_URL, {"sexual_activity": "solo", "intensity": "gentle"}, format="json")

    response = owner.patch(DAY_URL, {"sexual_activity": "none"}, format="json")

    assert response.status_code == 400
    assert "intensity" in response.json()["errors"]
    assert DailyEntry.objects.get().sexual_activity == "solo"


def test_patching_a_day_that_is_not_logged_is_404(owner, user):
    response = owner.patch(DAY_URL, {"stress": 2}, format="json")

    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["Nothing is logged for that day."]}}


def test_a_day_with_no_answer_at_all_is_refused_as_on_the_log_form(owner, user):
    # Saved, an empty day would count as logged and skew "days logged".
    response = owner.put(DAY_URL, {"stress": None, "symptoms": []}, format="json")

    assert response.status_code == 400
    assert response.json() == {"errors": {"non_field_errors": [str(EmptyDay())]}}
    assert not DailyEntry.objects.exists()


def test_patching_every_answer_away_is_refused_and_keeps_the_day(owner, user):
    DailyEntry.objects.create(user=user, day=YESTERDAY, stress=3)

    response = owner.patch(DAY_URL, {"stress": None}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
    assert DailyEntry.objects.get().stress == 3


def test_an_answer_of_zero_is_an_answer(owner, user):
    response = owner.put(DAY_URL, {"stress": 0}, format="json")

    assert response.status_code == 201
    assert DailyEntry.objects.get(user=user, day=YESTERDAY).stress == 0


def test_barriers_are_named_as_in_the_catalogue_or_by_slug_ignoring_case(owner, user):
    body = {"intimacy_barriers": ["pain", "LOW DESIRE", "stiffness-mobility", "Pain"]}

    response = owner.put(DAY_URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["intimacy_barriers"] == ["Pain", "Low desire", "Stiffness or mobility"]


def test_the_persons_own_symptoms_can_be_named(owner, user):
    SymptomFactory(owner=user, name="Hives")

    response = owner.put(DAY_URL, {"symptoms": ["hives", "Rash"]}, format="json")

    assert response.status_code == 201
    assert sorted(response.json()["symptoms"]) == ["Hives", "Rash"]


def test_an_unknown_symptom_is_refused_and_never_created(owner, user, other_user):
    SymptomFactory(owner=other_user, name="Hives")
    symptoms_before = Symptom.objects.count()

    response = owner.put(DAY_URL, {"symptoms": ["Hives", "Rash"]}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "symptoms": ["“Hives” is not one of your symptoms. Add it at /api/v1/symptoms/ first."]
        }
    }
    assert Symptom.objects.count() == symptoms_before
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-11-26", "2026-11-26 hasn't happened yet. You can log today or any earlier day."),
        ("1899-12-31", "1899-12-31 is too early: Hearth keeps days from 1900 on."),
        ("2026-02-30", "“2026-02-30” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."),
        ("2026-13-01", "“2026-13-01” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."),
        ("20261124", "“20261124” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."),
        ("yesterday", "“yesterday” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."),
    ],
)
def test_days_that_cannot_be_logged_answer_400_with_the_reason(owner, user, method, day, message):
    response = getattr(owner, method)(f"/api/v1/entries/{day}/", {"stress": 3}, format="json")

    assert response.status_code == 400
    assert response.json() == {"errors": {"day": [message]}}
    assert not DailyEntry.objects.exists()


def test_today_is_the_persons_own_today(bearer):
    # At noon in London it is already 01:00 on the 26th in Auckland.
    kiwi = UserFactory(time_zone="Pacific/Auckland")
    londoner = UserFactory(time_zone="Europe/London")

    answers = [
        bearer(person).put("/api/v1/entries/2026-11-26/", {"stress": 1}, format="json").status_code
        for person in (kiwi, londoner)
    ]

    assert answers == [201, 400]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stress": 11}, "stress"),
        ({"stress": -1}, "stress"),
        ({"stress": "5"}, "stress"),
        ({"stress": 5.0}, "stress"),
        ({"stress": True}, "stress"),
        ({"fatigue": [5]}, "fatigue"),
        ({"libido": 0}, "libido"),
        ({"sleep_quality": 6}, "sleep_quality"),
        ({"sexual_activity": "sometimes"}, "sexual_activity"),
        ({"sexual_activity": 1}, "sexual_activity"),
        ({"intensity": "gentle"}, "intensity"),
        ({"sexual_activity": "none", "satisfaction": 4}, "satisfaction"),
        ({"sexual_activity": "solo", "satisfaction": 6}, "satisfaction"),
        ({"sexual_activity": "solo", "discomfort": 11}, "discomfort"),
        ({"sleep_hours": 7.1}, "sleep_hours"),
        ({"sleep_hours": 24.25}, "sleep_hours"),
        ({"sleep_hours": -0.25}, "sleep_hours"),
        ({"sleep_hours": "7.5"}, "sleep_hours"),
        ({"sleep_hours": False}, "sleep_hours"),
        ({"physical_affection": "true"}, "physical_affection"),
        ({"physical_affection": 1}, "physical_affection"),
        ({"physical_affection": "yes"}, "physical_affection"),
        ({"notes": "x" * 2001}, "notes"),
        ({"notes": 5}, "notes"),
        ({"notes": "a\x00b"}, "notes"),
        ({"notes": None}, "notes"),
        ({"symptoms": "Joint pain"}, "symptoms"),
        ({"symptoms": [5]}, "symptoms"),
        ({"intimacy_barriers": ["Nope"]}, "intimacy_barriers"),
        ({"intimacy_barriers": [None]}, "intimacy_barriers"),
    ],
)
def test_impossible_values_and_wrong_types_answer_400_for_the_field(owner, user, body, field):
    response = owner.put(DAY_URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert all(isinstance(m, str) for m in response.json()["errors"][field])
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ('{"sleep_hours": 1e999}', "sleep_hours"),  # valid JSON that Python reads as infinity
        ('{"sleep_hours": NaN}', "detail"),  # not JSON at all
        ('{"stress": Infinity}', "detail"),
        ("[1, 2]", "non_field_errors"),
        ('"stress"', "non_field_errors"),
        ("{", "detail"),
    ],
)
def test_non_finite_numbers_and_bodies_that_are_not_objects_answer_400(owner, user, raw, key):
    response = owner.put(DAY_URL, raw, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [key]
    assert not DailyEntry.objects.exists()


def test_a_body_that_is_not_json_answers_415(owner, user):
    response = owner.put(DAY_URL, "stress=5", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert list(response.json()["errors"]) == ["detail"]


def test_notes_count_a_line_break_once_as_the_form_does(owner, user):
    notes = ("x" * 99 + "\r\n") * 20  # 2,020 characters sent, 2,000 counted

    response = owner.put(DAY_URL, {"notes": notes}, format="json")

    assert response.status_code == 201
    assert DailyEntry.objects.get().notes == notes.replace("\r\n", "\n").strip()


@pytest.mark.parametrize(
    ("posted", "sent"),
    [
        ({"stress": "4", "fatigue": "10"}, {"stress": 4, "fatigue": 10}),
        ({"stress": "11"}, {"stress": 11}),
        ({"sleep_hours": "7.25"}, {"sleep_hours": 7.25}),
        ({"sleep_hours": "7.3"}, {"sleep_hours": 7.3}),
        ({"sexual_activity": "none", "intensity": "gentle"}, None),
        (
            {"sexual_activity": "both", "intensity": "vigorous", "discomfort": "0"},
            {"sexual_activity": "both", "intensity": "vigorous", "discomfort": 0},
        ),
        (
            {"sexual_activity": "solo", "satisfaction": "0"},
            {"sexual_activity": "solo", "satisfaction": 0},
        ),
        ({"notes": "y" * 2001}, None),
    ],
)
def test_the_api_accepts_and_refuses_exactly_what_the_log_form_does(
    owner, signed_in, user, posted, sent
):
    page_saved = signed_in.post(f"/log/{YESTERDAY}/", posted).status_code == 302
    DailyEntry.objects.all().delete()

    api_saved = owner.put(DAY_URL, sent or posted, format="json").status_code == 201

    assert api_saved == page_saved


def days(response) -> list[str]:
    return [entry["day"] for entry in response.json()["results"]]


def test_the_list_is_the_persons_own_days_in_order(owner, user, other_user):
    for offset in (3, 1, 2):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=offset))
    DailyEntryFactory(user=other_user, day=TODAY)

    response = owner.get("/api/v1/entries/")

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert days(response) == ["2026-11-22", "2026-11-23", "2026-11-24"]


def test_the_list_filters_by_start_and_end_both_included(owner, user):
    for offset in range(6):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=offset))

    response = owner.get("/api/v1/entries/", {"start": "2026-11-21", "end": "2026-11-23"})

    assert days(response) == ["2026-11-21", "2026-11-22", "2026-11-23"]
    assert days(owner.get("/api/v1/entries/", {"start": "2026-11-24"})) == [
        "2026-11-24",
        "2026-11-25",
    ]


@pytest.mark.parametrize("params", [{"start": "2026-02-30"}, {"end": "soon"}])
def test_a_filter_that_is_not_a_date_answers_400(owner, user, params):
    response = owner.get("/api/v1/entries/", params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(params)


def test_a_filter_that_is_not_a_date_is_explained_as_a_day_in_the_url_is(owner, user):
    response = owner.get("/api/v1/entries/", {"start": "2026-11-24", "end": "2026-02-30"})

    assert response.json() == {
        "errors": {
            "end": ["“2026-02-30” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."]
        }
    }


def test_an_empty_filter_counts_as_not_given(owner, user):
    DailyEntryFactory(user=user, day=TODAY)

    response = owner.get("/api/v1/entries/", {"start": "", "end": ""})

    assert response.status_code == 200
    assert days(response) == [TODAY.isoformat()]


def test_a_filter_may_name_any_calendar_day(owner, user):
    DailyEntryFactory(user=user, day=TODAY)

    response = owner.get("/api/v1/entries/", {"start": "1899-01-01", "end": "2099-12-31"})

    assert days(response) == [TODAY.isoformat()]


def test_the_list_is_paginated(owner, user, settings):
    for offset in range(105):
        DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=offset))

    first = owner.get("/api/v1/entries/").json()
    second = owner.get(first["next"]).json()

    assert first["count"] == 105
    assert len(first["results"]) == 100
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert owner.get("/api/v1/entries/?page=3").status_code == 404


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/entries/").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_whatever_the_page_size(owner, user):
    pain = IntimacyBarrier.objects.get(slug="pain")
    rash = Symptom.objects.get(name="Rash")

    def log_days(count: int, start: int) -> None:
        for offset in range(start, start + count):
            entry = DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=offset))
            entry.intimacy_barriers.add(pain)
            entry.symptoms.add(rash)

    log_days(2, 0)
    _list_queries(owner)  # the token's first use notes when it was used
    few = _list_queries(owner)
    log_days(60, 2)
    many = _list_queries(owner)

    assert few == many
