"""One /trends/ page: the period's numbers and one year's flare calendar, read together."""

import datetime
import functools
from collections.abc import Callable

from tracker.measures import FLARE_BANDS, Band, for_charts
from tracker.trends.calendar import year_calendar, year_span
from tracker.trends.periods import Period
from tracker.trends.reads import LoggedDays
from tracker.trends.series import charts, span_for, trends_for


class TrendsPage:
    """The numbers of one /trends/ page: the period's payload, its charts and one year's flare
    calendar, each computed on first use (the page's rendered body is cached, so a cached page
    computes none)."""

    def __init__(self, user, period: Period, year: int):
        self.user, self.period, self.year = user, period, year
        first, last = span_for(period)
        year_first, year_last = year_span(year)
        # When the calendar's year overlaps the days the period reads (unless the person pages
        # to another year, it does), one read of their days serves both.
        self.read: Callable[[], LoggedDays] | None = None
        if year_first <= last and first <= year_last:
            span = (min(first, year_first), max(last, year_last))
            self.read = functools.cache(lambda: LoggedDays.fetch(user, *span))

    @functools.cached_property
    def payload(self) -> dict:
        return trends_for(self.user, self.period, self.read)

    @functools.cached_property
    def charts(self) -> list[dict]:
        return charts(self.payload)

    @property
    def chart_measures(self) -> list[dict]:
        """What the charts' JavaScript needs of each measure (labels, axis tops)."""
        return for_charts()

    @property
    def flare_bands(self) -> tuple[Band, ...]:
        """The flare calendar's shades, for its legend."""
        return FLARE_BANDS

    @functools.cached_property
    def calendar(self) -> str:
        """The year's flare calendar, drawn (HTML)."""
        return year_calendar(self.user, self.year, self.read)

    @functools.cached_property
    def medications(self) -> list[dict]:
        """The payload's medications with their days as dates, for the page to write out like
        every other date ("1 Jun 2026")."""
        as_date = datetime.date.fromisoformat
        return [
            {
                **medication,
                "started": as_date(medication["started"]),
                "stopped": medication["stopped"] and as_date(medication["stopped"]),
            }
            for medication in self.payload["medications"]
        ]
