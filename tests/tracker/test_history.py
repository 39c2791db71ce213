"""The history page: logged days, newest first, one calendar month at a time."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DailyEntryFactory, SymptomFactory
from tests.pages import page
from tracker.models import IntimacyBarrier, Symptom

pytestmark = pytest.mark.usefixtures("clock")


def days_shown(response) -> list[str]:
    return re.findall(r'<time datetime="([\d-]+)">', page(response))


def test_this_months_days_are_listed_newest_first(signed_in, user):
    for day in (3, 20, 10):
        DailyEntryFactory(user=user, day=datetime.date(2026, 11, day))
    DailyEntryFactory(user=user, day=datetime.date(2026, 10, 31))

    response = signed_in.get("/history/")

    assert response.status_code == 200
    assert days_shown(response) == ["2026-11-20", "2026-11-10", "2026-11-03"]
    assert "November 2026: 3 of 25 days logged" in page(response)


def test_another_month_is_shown_when_asked_for(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 10, 31))
    DailyEntryFactory(user=user, day=datetime.date(2026, 10, 1))
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 1))

    response = signed_in.get("/history/?month=2026-10")

    assert days_shown(response) == ["2026-10-31", "2026-10-01"]
    assert "October 2026: 2 of 31 days logged" in page(response)


def test_each_day_is_summarised_in_words(signed_in, user):
    entry = DailyEntryFactory(
        user=user,
        day=datetime.date(2026, 11, 20),
        sexual_activity="partnered",
        physical_affection=True,
        stress=6,
        sleep_hours=Decimal("7.5"),
        sleep_quality=2,
        fatigue=8,
        flare_severity=3,
        notes="Private words",
    )
    entry.symptoms.set([Symptom.objects.get(owner=None, name="Joint pain")])
    entry.intimacy_barriers.set([IntimacyBarrier.objects.get(slug="pain")])

    response = signed_in.get("/history/")

    for phrase in (
        "Intimacy: with a partner",
        "Affection: yes",
        "Held back by: pain",
        "Stress 6/10",
        "Slept 7.5 h",
        "Sleep poor",
        "Fatigue 8/10",
        "Flare 3/10",
        "Symptoms: Joint pain",
        "Has notes",
    ):
        assert f"<li>{phrase}</li>" in page(response)
    assert "Private words" not in page(response)


def test_a_day_saved_empty_says_so(signed_in, user):
    DailyEntryFactory(
        user=user, day=datetime.date(2026, 11, 20), stress=None, fatigue=None, flare_severity=None
    )

    response = signed_in.get("/history/")

    assert "Saved with nothing filled in." in page(response)


def test_each_day_links_to_its_log_for_editing(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20))

    response = signed_in.get("/history/")

    assert re.search(r'<a href="/log/2026-11-20/">Edit<span', page(response))


def test_the_current_month_links_back_but_not_forward(signed_in):
    response = signed_in.get("/history/")

    assert 'href="?month=2026-10" rel="prev"' in page(response)
    assert "October 2026" in page(response)
    assert 'rel="next"' not in page(response)


def test_a_past_month_links_to_the_months_either_side(signed_in):
    response = signed_in.get("/history/?month=2026-01")

    assert 'href="?month=2025-12" rel="prev"' in page(response)
    assert 'href="?month=2026-02" rel="next"' in page(response)


def test_a_future_month_shows_the_current_month(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20))

    response = signed_in.get("/history/?month=2027-03")

    assert response.context["month"] == datetime.date(2026, 11, 1)
    assert days_shown(response) == ["2026-11-20"]


def test_an_empty_month_invites_logging_today(signed_in):
    response = signed_in.get("/history/?month=2026-06")

    assert "No days logged in June 2026." in page(response)
    assert 'href="/log/">Log today</a>' in page(response)


@pytest.mark.parametrize("month", ["banana", "2026-13", "2026"])
def test_an_unreadable_month_shows_this_month_with_a_message(signed_in, month):
    response = signed_in.get(f"/history/?month={month}", follow=True)

    assert response.redirect_chain == [("/history/", 302)]
    assert response.context["month"] == datetime.date(2026, 11, 1)
    assert [str(message) for message in response.context["messages"]] == [
        "That month could not be read, so here is this month instead."
    ]


def test_the_first_month_of_the_calendar_has_no_link_to_the_month_before(signed_in):
    # December of year 0 does not exist; asking for January of year 1 must not crash.
    response = signed_in.get("/history/?month=0001-01")

    assert response.status_code == 200
    assert 'rel="prev"' not in page(response)
    assert 'href="?month=0001-02" rel="next"' in page(response)


def test_another_persons_days_never_appear(signed_in, user, other_user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20), stress=2)
    theirs = DailyEntryFactory(user=other_user, day=datetime.date(2026, 11, 21), stress=9)
    theirs.symptoms.set([SymptomFactory(owner=other_user, name="Their own symptom")])

    response = signed_in.get("/history/")

    assert days_shown(response) == ["2026-11-20"]
    assert "Stress 9/10" not in page(response)
    assert "Their own symptom" not in page(response)


def test_the_number_of_queries_does_not_grow_with_the_days_in_a_month(signed_in, user):
    pain = IntimacyBarrier.objects.get(slug="pain")
    symptoms = list(Symptom.objects.filter(owner=None)[:3])

    def fill(month: int, days: int) -> None:
        for day in range(1, days + 1):
            entry = DailyEntryFactory(user=user, day=datetime.date(2026, month, day))
            entry.symptoms.set(symptoms)
            entry.intimacy_barriers.set([pain])

    fill(month=9, days=3)
    fill(month=10, days=25)

    with CaptureQueriesContext(connection) as few_days:
        few = signed_in.get("/history/?month=2026-09")
    with CaptureQueriesContext(connection) as many_days:
        many = signed_in.get("/history/?month=2026-10")

    assert len(days_shown(few)) == 3
    assert len(days_shown(many)) == 25
    assert len(many_days) == len(few_days)
