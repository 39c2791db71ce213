"""Which days a page or API answer covers: a named range (?range=) or two dates (?start=&end=),
in the person's own calendar. The trends, insights and report pages and the API all resolve a
period here: a page shows the default range with the reason when it cannot show the one asked
for (`period_for_page`); the API answers 400 with the reason (`resolve_period`)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest

from tracker.models import FIRST_DAY, DailyEntry
from tracker.trends.cache import CACHE_SECONDS, cache_key

ONE_DAY = datetime.timedelta(days=1)
RANGES = {"30d": 30, "90d": 90, "1y": 365}
RANGE_LABELS = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All time"}
DEFAULT_RANGE = "90d"
DAILY_LIMIT_DAYS = 366


class PeriodError(ValueError):
    """The requested range cannot be shown; the message says why, in plain words."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    key: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def granularity(self) -> str:
        return "day" if self.days <= DAILY_LIMIT_DAYS else "week"

    @property
    def label(self) -> str:
        return RANGE_LABELS.get(self.key, f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}")

    @property
    def query(self) -> str:
        """The query string that names this period again, for links to other views of it."""
        if self.key == "custom":
            return urlencode({"start": self.start.isoformat(), "end": self.end.isoformat()})
        return urlencode({"range": self.key})

    def previous(self) -> "Period":
        """The period of the same length that ends the day before this one starts."""
        return Period(self.start - self.days * ONE_DAY, self.start - ONE_DAY, "previous")


def resolve_period(params: Mapping, user, default: str = DEFAULT_RANGE) -> Period:
    """The period named by ?range= or ?start=&end=, in the person's own calendar; PeriodError
    if it cannot be shown."""
    today = user.today()
    # A parameter given empty is a mistake to point out, not a request for the default.
    if "start" in params or "end" in params:
        return custom_period(params.get("start", ""), params.get("end", ""), today)
    key = params.get("range", default)
    if key == "all":
        start = first_logged_day(user) or today - (RANGES[DEFAULT_RANGE] - 1) * ONE_DAY
        return Period(min(start, today), today, "all")
    if key not in RANGES:
        raise PeriodError("Choose one of the ranges shown: 30 days, 90 days, 1 year or all time.")
    return Period(today - (RANGES[key] - 1) * ONE_DAY, today, key)


def period_for_page(request: HttpRequest, default: str = DEFAULT_RANGE) -> Period:
    """The period a page's query string names or, if it cannot be shown, the default range with
    the reason as a message: a page always shows something."""
    try:
        return resolve_period(request.GET, request.user, default=default)
    except PeriodError as error:
        messages.error(request, str(error))
        return resolve_period({}, request.user, default=default)


def first_logged_day(user) -> datetime.date | None:
    """The person's first logged day, None if they have logged none. Cached until they write,
    so a cached all-time page needs no query beyond the session and the person."""
    key = cache_key(user, "first-day")
    first = cache.get(key)
    if first is None:
        days = DailyEntry.objects.for_user(user).order_by("day").values_list("day", flat=True)
        # An empty string stands for "nothing logged", which the cache cannot tell from a miss.
        first = days.first() or ""
        cache.set(key, first, CACHE_SECONDS)
    return first or None


def custom_period(start: str, end: str, today: datetime.date) -> Period:
    """The period from start to end (ISO dates), cut off at today."""
    try:
        first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        raise PeriodError(
            "Give both a start and an end date as real dates, for example 2026-01-01."
        ) from None
    if last < first:
        raise PeriodError("The end date is before the start date.")
    if first < FIRST_DAY:
        raise PeriodError("Choose a start date in 1900 or later.")
    if first > today:
        raise PeriodError("That range starts after today, so there is nothing to show yet.")
    return Period(first, min(last, today), "custom")
