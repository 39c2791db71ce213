"""When a person's local clock next shows a time: the arithmetic behind reminders and the weekly
look back. Pure: plain dates, times and zones in, an instant in UTC out; no database.

A local time that a daylight-saving change skips (02:30 on the morning clocks jump from 02:00 to
03:00) happens at the first moment after the gap (03:00); a local time that happens twice (when
clocks go back) happens once, the first time."""

import datetime
import zoneinfo

UTC = datetime.UTC
EVERY_DAY = frozenset(range(7))  # Monday is 0, as in date.weekday()


def local_moment(
    day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The instant (in UTC) when the clock in `zone` first shows `at` on `day`, or the end of
    the gap if that time is skipped on that day."""
    wall = datetime.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    # fold=0 reads the wall time with the offset in force before a change: for a repeated hour
    # that is its first occurrence; for a skipped one, an instant already past the change.
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    return _end_of_gap(wall.replace(tzinfo=zone, fold=1).astimezone(UTC), instant, zone)


def _end_of_gap(
    before: datetime.datetime, after: datetime.datetime, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The instant the clocks jumped forward, between `before` (on the old offset) and `after`
    (on the new one), to the second."""
    new_offset = after.astimezone(zone).utcoffset()
    while after - before > datetime.timedelta(seconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == new_offset:
            after = middle
        else:
            before = middle
    return after.replace(microsecond=0)


def next_occurrence(
    after: datetime.datetime,
    at: datetime.time,
    zone: zoneinfo.ZoneInfo,
    weekdays: frozenset[int] = EVERY_DAY,
) -> datetime.datetime | None:
    """The first instant strictly after `after` when the clock in `zone` shows `at` on one of
    `weekdays` (skipped times moved to the end of the gap), in UTC; None if no weekday is
    given."""
    if not weekdays:
        return None
    first_day = after.astimezone(zone).date()
    for days_ahead in range(8):
        day = first_day + datetime.timedelta(days=days_ahead)
        if day.weekday() not in weekdays:
            continue
        moment = local_moment(day, at, zone)
        if moment > after:
            return moment
    return None  # unreachable: eight days hold every weekday once after `after`'s own day
