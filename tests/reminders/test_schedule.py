"""The arithmetic of the next reminder (accounts/schedule.py): local times across daylight-saving
changes in zones with and without them."""

import datetime
import zoneinfo

import pytest

from accounts.schedule import local_moment, next_occurrence

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")  # no daylight saving, and a half-hour offset


def utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Clocks jump 02:00 -> 03:00: 02:30 does not exist, the reminder goes at 03:00.
        (BERLIN, "2026-03-29", "02:30", "2026-03-29T01:00"),
        (LOS_ANGELES, "2026-03-08", "02:30", "2026-03-08T10:00"),
        (AUCKLAND, "2026-09-27", "02:30", "2026-09-26T14:00"),
        # A time just before the gap is untouched.
        (BERLIN, "2026-03-29", "01:59", "2026-03-29T00:59"),
        # Clocks go back: the repeated time is taken once, the first time (summer time).
        (BERLIN, "2026-10-25", "02:30", "2026-10-25T00:30"),
        (LOS_ANGELES, "2026-11-01", "01:30", "2026-11-01T08:30"),
        (AUCKLAND, "2026-04-05", "02:30", "2026-04-04T13:30"),
        # No daylight saving at all.
        (KOLKATA, "2026-03-29", "20:30", "2026-03-29T15:00"),
        # An ordinary evening.
        (LOS_ANGELES, "2026-11-25", "20:30", "2026-11-26T04:30"),
    ],
)
def test_a_local_time_becomes_one_instant_even_when_the_clocks_change(zone, day, at, expected):
    moment = local_moment(datetime.date.fromisoformat(day), datetime.time.fromisoformat(at), zone)
    assert moment == utc(expected)


def test_a_repeated_hour_gives_one_reminder_and_the_next_is_the_day_after():
    at = datetime.time(2, 30)
    first = next_occurrence(utc("2026-10-24T23:00"), at, BERLIN)
    assert first == utc("2026-10-25T00:30")
    # After the first 02:30, the second 02:30 (01:30 UTC) is not another occurrence.
    assert next_occurrence(first, at, BERLIN) == utc("2026-10-26T01:30")


def test_after_a_skipped_time_the_next_one_is_the_day_after_at_the_usual_time():
    at = datetime.time(2, 30)
    first = next_occurrence(utc("2026-03-28T23:00"), at, BERLIN)
    assert first == utc("2026-03-29T01:00")
    assert next_occurrence(first, at, BERLIN) == utc("2026-03-30T00:30")


def test_the_next_occurrence_is_strictly_after_the_given_instant():
    at = datetime.time(20, 30)
    assert next_occurrence(utc("2026-11-25T15:00"), at, KOLKATA) == utc("2026-11-26T15:00")
    assert next_occurrence(utc("2026-11-25T14:59"), at, KOLKATA) == utc("2026-11-25T15:00")


def test_only_the_chosen_weekdays_count():
    at = datetime.time(9, 0)
    # Wednesday 25 November 2026, after 09:00 in Auckland; only Mondays (0) are wanted.
    after = utc("2026-11-24T21:00")  # 10:00 on Wednesday in Auckland
    assert next_occurrence(after, at, AUCKLAND, frozenset({0})) == utc("2026-11-29T20:00")
    # The same weekday a week on, when today's time has passed.
    assert next_occurrence(after, at, AUCKLAND, frozenset({2})) == utc("2026-12-01T20:00")
    assert next_occurrence(after, at, AUCKLAND, frozenset()) is None


def test_the_same_local_time_is_a_different_instant_in_another_zone():
    at = datetime.time(20, 30)
    after = utc("2026-11-25T12:00")
    assert next_occurrence(after, at, BERLIN) == utc("2026-11-25T19:30")
    assert next_occurrence(after, at, LOS_ANGELES) == utc("2026-11-26T04:30")
