"""A person's "today" is the calendar day in their own time zone, not the server's."""

import datetime

import pytest

from tests.factories import UserFactory
from tracker.models import DailyEntry

NOV_25 = datetime.date(2026, 11, 25)
NOV_26 = datetime.date(2026, 11, 26)


@pytest.fixture
def in_auckland(db):
    return UserFactory(time_zone="Pacific/Auckland")


@pytest.fixture
def in_los_angeles(db):
    return UserFactory(time_zone="America/Los_Angeles")


@pytest.mark.parametrize(
    ("instant", "auckland_today", "los_angeles_today"),
    [
        # 00:30 on the 26th in Auckland (NZDT, UTC+13); 03:30 on the 25th in Los Angeles (PST).
        ("2026-11-25T11:30:00+00:00", NOV_26, NOV_25),
        # 09:00 on the 26th in Auckland; noon on the 25th in Los Angeles.
        ("2026-11-25T20:00:00+00:00", NOV_26, NOV_25),
        # 12:59 on the 25th in Auckland; 15:59 on the 24th in Los Angeles.
        ("2026-11-24T23:59:00+00:00", NOV_25, datetime.date(2026, 11, 24)),
    ],
)
def test_today_is_the_calendar_day_where_the_person_lives(
    freeze_time, in_auckland, in_los_angeles, instant, auckland_today, los_angeles_today
):
    freeze_time(instant)

    assert in_auckland.today() == auckland_today
    assert in_los_angeles.today() == los_angeles_today


def test_today_follows_a_change_of_time_zone(freeze_time, in_auckland):
    freeze_time("2026-11-25T11:30:00+00:00")

    in_auckland.time_zone = "America/Los_Angeles"

    assert in_auckland.today() == NOV_25


@pytest.mark.parametrize(
    ("person", "expected_day"), [("in_auckland", NOV_26), ("in_los_angeles", NOV_25)]
)
def test_the_log_for_today_opens_and_saves_the_persons_own_day(
    client, freeze_time, request, person, expected_day
):
    freeze_time("2026-11-25T20:00:00+00:00")
    someone = request.getfixturevalue(person)
    client.force_login(someone)

    assert client.get("/log/").context["day"] == expected_day
    response = client.post("/log/", {"stress": "4"})

    assert response.url == f"/log/{expected_day.isoformat()}/"
    assert list(DailyEntry.objects.for_user(someone).values_list("day", flat=True)) == [
        expected_day
    ]


def test_auckland_can_log_a_day_that_is_still_tomorrow_in_utc(client, freeze_time, in_auckland):
    freeze_time("2026-11-25T11:30:00+00:00")
    client.force_login(in_auckland)

    opened = client.get("/log/2026-11-26/")
    saved = client.post("/log/2026-11-26/", {"stress": "4"})

    assert opened.status_code == 200
    assert opened.context["day_name"] == "today"
    assert saved.url == "/log/2026-11-26/"
    assert DailyEntry.objects.get(user=in_auckland).day == NOV_26


def test_los_angeles_cannot_log_a_day_that_is_already_today_in_utc(
    client, freeze_time, in_los_angeles
):
    freeze_time("2026-11-26T02:00:00+00:00")  # 18:00 on the 25th in Los Angeles
    client.force_login(in_los_angeles)

    response = client.post("/log/2026-11-26/", {"stress": "4"}, follow=True)

    assert response.redirect_chain == [("/log/", 302)]
    assert response.context["day"] == NOV_25
    assert not DailyEntry.objects.exists()


def test_the_next_day_link_stops_at_the_persons_own_today(client, freeze_time, in_auckland):
    freeze_time("2026-11-25T11:30:00+00:00")
    client.force_login(in_auckland)

    response = client.get("/log/2026-11-25/")

    assert response.context["day_name"] == "yesterday"
    assert response.context["next_day"] == NOV_26
    assert client.get("/log/2026-11-26/").context["next_day"] is None
