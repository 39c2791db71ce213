"""The numbers behind /trends/: series, summary and calendar for one person and one period.

A page reads the person's days once (one indexed range scan on (user, day), `LoggedDays`) and
shapes the series, summary, streak and comparisons from those columns with numpy; symptoms and
barriers are counted by SQL GROUP BYs, in one query. The number of queries is the same whatever
the length of the range, and no row is read twice. Results are cached per person and keyed by
their data version, which every write bumps (tracker/signals.py), so a save is visible on the
next page load.
"""

import calendar
import datetime
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.core.cache import cache
from django.db import connections, router
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tracker.models import (
    ACTIVITY_KINDS,
    FIRST_DAY,
    DailyEntry,
    EntryIntimacyBarrier,
    EntrySymptom,
    IntimacyBarrier,
    Medication,
    SexualActivity,
    Symptom,
)

ONE_DAY = datetime.timedelta(days=1)
MONTH_NAMES = [""] + [datetime.date(2000, month, 1).strftime("%B") for month in range(1, 13)]
RANGES = {"30d": 30, "90d": 90, "1y": 365}
RANGE_LABELS = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All time"}
DEFAULT_RANGE = "90d"
DAILY_LIMIT_DAYS = 366
# Longer than this, a day's intimacy marks run into their neighbours on a phone: count by week.
INTIMACY_DAILY_LIMIT_DAYS = 92
ROLLING_DAYS = 7
ROLLING_MIN_LOGGED = 4
FLARE_DAY_SEVERITY = 5
CACHE_SECONDS = 24 * 60 * 60

# Charted measures: name -> (label, largest value on the scale).
CHARTED = {
    "stress": ("Stress", 10),
    "sleep_hours": ("Hours slept", 12),
    "sleep_quality": ("Sleep quality", 5),
    "fatigue": ("Fatigue", 10),
    "flare_severity": ("Flare severity", 10),
}
SUMMARISED = {**CHARTED, "libido": ("Desire", 5)}
INTIMATE_MEASURES = {"libido"}
SCALE_WORDS = {
    "stress": "out of 10",
    "sleep_hours": "hours",
    "sleep_quality": "on the 1-5 scale",
    "fatigue": "out of 10",
    "flare_severity": "out of 10",
    "libido": "on the 1-5 scale",
}


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
    """The period named by ?range= or ?start=&end=, in the person's own calendar."""
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


def _rounded(array: np.ndarray) -> list[float | None]:
    """Two decimal places, None for NaN (a gap), the same numbers as Python's round(), which
    rounds the exact value, as the tests' direct computations do. numpy rounds value * 100,
    whose own rounding can only tip a value lying within a hair of halfway, so those few are
    given to round(); the rest round the same either way, in a third of the time."""
    scaled = array * 100
    nearest = np.rint(scaled)
    rounded = nearest / 100
    with np.errstate(invalid="ignore"):
        near_halfway = np.flatnonzero(np.abs(np.abs(scaled - nearest) - 0.5) < 1e-6)
    for position in near_halfway.tolist():
        rounded[position] = round(float(array[position]), 2)
    return [None if value != value else value for value in rounded.tolist()]


def _gaps_as_none(array: np.ndarray) -> list[float | None]:
    return [None if value != value else value for value in array.tolist()]


def rolling_mean(values: np.ndarray, window: int = ROLLING_DAYS, minimum: int = ROLLING_MIN_LOGGED):
    """Mean of each calendar day and the window-1 days before it, NaN (a gap) when fewer than
    `minimum` of those days were logged. `values` is one value per calendar day, NaN if not
    logged; the result has the same length."""
    logged = ~np.isnan(values)
    sums = np.concatenate([[0.0], np.cumsum(np.where(logged, values, 0.0))])
    counts = np.concatenate([[0], np.cumsum(logged)])
    ends = np.arange(1, len(values) + 1)
    starts = np.maximum(ends - window, 0)
    window_sums = sums[ends] - sums[starts]
    window_counts = counts[ends] - counts[starts]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = window_sums / window_counts
    return np.where(window_counts >= minimum, means, np.nan)


# sexual_activity as a small number, so counting kinds is one bincount.
KIND_CODES = {
    None: 0,
    SexualActivity.NONE: 1,
    SexualActivity.SOLO: 2,
    SexualActivity.PARTNERED: 3,
    SexualActivity.BOTH: 4,
}


# A person's days, oldest first: each day as its distance from the first day read, then the
# measures, sexual activity, intensity and physical affection. Read through a plain cursor:
# through values_list, parsing every date and passing every hour slept through a Python
# converter cost half the read of a five-year page. Hours slept are read as floats: numpy makes
# floats of a column of Decimals ten times slower, and quarter hours are exact either way.
def _as_float(column: str) -> str:
    return f"CAST({column} AS DOUBLE PRECISION)"


LOGGED_DAYS_SQL = f"""
    SELECT {{day_offset}},
        {", ".join(_as_float(name) if name == "sleep_hours" else name for name in SUMMARISED)},
        sexual_activity, intensity, physical_affection
    FROM {DailyEntry._meta.db_table}
    WHERE user_id = %(user)s AND day BETWEEN %(first)s AND %(last)s
    ORDER BY day
"""
# Days between two dates: PostgreSQL subtracts dates; SQLite (the zero-setup default) counts
# Julian days.
DAY_OFFSET_SQL = {
    "postgresql": "day - %(first)s",
    "sqlite": "CAST(julianday(day) - julianday(%(first)s) AS INTEGER)",
}


@dataclass(frozen=True)
class LoggedDays:
    """One person's logged days from `first` to a last day, read in one query: a numpy array per
    column, one position per logged day, oldest first. Every number on the page (daily and
    weekly series, summary, streaks, flare episodes) is shaped from this one read, so the
    query count and the rows read stay the same whatever the length of the range.

    Sums are of whole numbers and quarter hours, so they are exact in floating point, and each
    mean is one division: the same number as an exact computation, rounded once.
    """

    first: datetime.date
    offsets: np.ndarray  # days since `first`
    measures: dict[str, np.ndarray]  # NaN where not logged
    kinds: np.ndarray  # KIND_CODES
    affection: np.ndarray  # True only where physical affection was logged as yes
    raw: list[tuple]  # the rows as read (LOGGED_DAYS_SQL), for the daily intimacy markers

    @classmethod
    def fetch(cls, user, first: datetime.date, last: datetime.date) -> "LoggedDays":
        database = connections[router.db_for_read(DailyEntry)]
        with database.cursor() as cursor:
            sql = LOGGED_DAYS_SQL.format(day_offset=DAY_OFFSET_SQL[database.vendor])
            cursor.execute(sql, {"user": user.pk, "first": first, "last": last})
            rows = cursor.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [()] * (4 + len(SUMMARISED))
        return cls(
            first=first,
            offsets=np.array(columns[0], dtype=np.int64),
            measures={
                name: np.array(column, dtype=float)
                for name, column in zip(SUMMARISED, columns[1 : 1 + len(SUMMARISED)], strict=True)
            },
            kinds=np.array([KIND_CODES[kind] for kind in columns[-3]], dtype=np.int64),
            affection=np.array([touch is True for touch in columns[-1]], dtype=bool),
            raw=rows,
        )

    def positions(self, start: datetime.date, end: datetime.date) -> slice:
        """The positions of the days logged from start to end, both included."""
        low, high = np.searchsorted(
            self.offsets, [(start - self.first).days, (end - self.first).days + 1]
        )
        return slice(int(low), int(high))


def _span_for(period: Period) -> tuple[datetime.date, datetime.date]:
    """The days to read for a period: its previous period (for the summary's comparisons) and
    the days before it that feed the first rolling means."""
    lead_start = period.start - (ROLLING_DAYS - 1) * ONE_DAY
    return min(period.previous().start, lead_start), period.end


def _logged_days(user, period: Period, days: LoggedDays | None) -> LoggedDays:
    return days if days is not None else LoggedDays.fetch(user, *_span_for(period))


def _iso_dates(first: datetime.date, count: int, step: int = 1) -> list[str]:
    """`count` dates in ISO format from `first`, `step` days apart (numpy writes them three
    times as fast as date arithmetic and isoformat() in a loop)."""
    start = np.datetime64(first, "D")
    return np.arange(start, start + count * step, step).astype(str).tolist()


def _daily_series(user, period: Period, days: LoggedDays | None = None) -> dict:
    days = _logged_days(user, period, days)
    # The days before the start feed the first rolling means.
    lead_start = period.start - (ROLLING_DAYS - 1) * ONE_DAY
    span = days.positions(lead_start, period.end)
    length = (period.end - lead_start).days + 1
    index = days.offsets[span] - (lead_start - days.first).days
    lead = ROLLING_DAYS - 1
    measures = {}
    for name in CHARTED:
        values = np.full(length, np.nan)
        values[index] = days.measures[name][span]
        measures[name] = {
            "values": _rounded(values[lead:]),
            "rolling": _rounded(rolling_mean(values)[lead:]),
        }
    return {
        "granularity": "day",
        "days": _iso_dates(period.start, period.days),
        "measures": measures,
        "intimacy": (
            _daily_intimacy(period, days)
            if period.days <= INTIMACY_DAILY_LIMIT_DAYS
            else _weekly_intimacy(period, days)
        ),
    }


def _daily_intimacy(period: Period, days: LoggedDays) -> dict:
    """Each day's kind of sexual activity, its intensity and physical affection."""
    activity = [None] * period.days
    intensity = [None] * period.days
    affection = [None] * period.days
    start = (period.start - days.first).days
    for offset, *_, kind, how, touch in days.raw[days.positions(period.start, period.end)]:
        position = offset - start
        activity[position], intensity[position], affection[position] = kind, how, touch
    return {
        "granularity": "day",
        "activity": activity,
        "intensity": intensity,
        "affection": affection,
    }


def _weekly_intimacy(period: Period, days: LoggedDays) -> dict:
    """For each ISO week (Monday first) of the period, the days with each kind of intimacy.
    Days outside the period never count."""
    first_monday = period.start - period.start.weekday() * ONE_DAY
    count = (period.end - first_monday).days // 7 + 1
    span = days.positions(period.start, period.end)
    weeks = (days.offsets[span] + (days.first - first_monday).days) // 7
    kinds = days.kinds[span]
    solo = np.isin(kinds, [KIND_CODES[SexualActivity.SOLO], KIND_CODES[SexualActivity.BOTH]])
    partnered = np.isin(
        kinds, [KIND_CODES[SexualActivity.PARTNERED], KIND_CODES[SexualActivity.BOTH]]
    )
    return {
        "granularity": "week",
        "days": _iso_dates(first_monday, count, step=7),
        "solo": np.bincount(weeks[solo], minlength=count).tolist(),
        "partnered": np.bincount(weeks[partnered], minlength=count).tolist(),
        "affection": np.bincount(weeks[days.affection[span]], minlength=count).tolist(),
    }


def _weekly_series(user, period: Period, days: LoggedDays | None = None) -> dict:
    """ISO weeks (Monday first) of the period: each measure's mean, lowest and highest, and
    the days with each kind of intimacy. Days outside the period never count."""
    days = _logged_days(user, period, days)
    first_monday = period.start - period.start.weekday() * ONE_DAY
    count = (period.end - first_monday).days // 7 + 1
    span = days.positions(period.start, period.end)
    weeks = (days.offsets[span] + (days.first - first_monday).days) // 7
    measures = {}
    for name in CHARTED:
        values = days.measures[name][span]
        logged = ~np.isnan(values)
        week, value = weeks[logged], values[logged]
        logged_days = np.bincount(week, minlength=count)
        lowest, highest = np.full(count, np.inf), np.full(count, -np.inf)
        np.minimum.at(lowest, week, value)
        np.maximum.at(highest, week, value)
        empty = logged_days == 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(week, weights=value, minlength=count) / logged_days
        measures[name] = {
            "mean": _rounded(mean),
            "min": _gaps_as_none(np.where(empty, np.nan, lowest)),
            "max": _gaps_as_none(np.where(empty, np.nan, highest)),
        }
    return {
        "granularity": "week",
        "days": _iso_dates(first_monday, count, step=7),
        "measures": measures,
        "intimacy": _weekly_intimacy(period, days),
        "days_logged": np.bincount(weeks, minlength=count).tolist(),
    }


def _runs(offsets: np.ndarray, peaks: np.ndarray) -> list[tuple[int, int, int, float]]:
    """Runs of consecutive days among sorted day offsets: each run's first and last offset,
    length and highest value of `peaks`, oldest first."""
    if not len(offsets):
        return []
    starts = np.flatnonzero(np.diff(offsets, prepend=offsets[0] - 2) != 1)
    ends = np.append(starts[1:], len(offsets))
    highest = np.maximum.reduceat(peaks, starts)
    return [
        (int(offsets[start]), int(offsets[end - 1]), int(end - start), float(peak))
        for start, end, peak in zip(starts, ends, highest, strict=True)
    ]


def longest_streak(user, period: Period, days: LoggedDays | None = None) -> int:
    """The most consecutive logged days within the period."""
    days = _logged_days(user, period, days)
    offsets = days.offsets[days.positions(period.start, period.end)]
    if not len(offsets):
        return 0
    breaks = np.flatnonzero(np.diff(offsets) != 1)
    lengths = np.diff(np.concatenate([[0], breaks + 1, [len(offsets)]]))
    return int(lengths.max())


def flare_episodes(user, period: Period, days: LoggedDays | None = None) -> list[dict]:
    """Consecutive days with flare severity 5 or more: when each began and ended, and its peak."""
    days = _logged_days(user, period, days)
    span = days.positions(period.start, period.end)
    severity = days.measures["flare_severity"][span]
    flare = severity >= FLARE_DAY_SEVERITY  # NaN (not logged) compares False
    return [
        {
            "start": days.first + first * ONE_DAY,
            "end": days.first + last * ONE_DAY,
            "days": length,
            "peak": int(peak),
        }
        for first, last, length, peak in _runs(days.offsets[span][flare], severity[flare])
    ]


def _exact_mean(total: float, count: int) -> float | None:
    return None if count == 0 else round(total / count, 2)


def _summary(user, period: Period, days: LoggedDays | None = None) -> dict:
    days = _logged_days(user, period, days)
    previous = period.previous()
    now = days.positions(period.start, period.end)
    before = days.positions(previous.start, previous.end)
    measures = []
    for name, (label, _) in SUMMARISED.items():
        values_now, values_before = days.measures[name][now], days.measures[name][before]
        logged_now, logged_before = ~np.isnan(values_now), ~np.isnan(values_before)
        count_now, count_before = int(logged_now.sum()), int(logged_before.sum())
        total_now = float(values_now[logged_now].sum())
        total_before = float(values_before[logged_before].sum())
        change = None
        if count_now and count_before:
            # One division of exact sums, so the change is rounded once, like the means.
            change = round(
                (total_now * count_before - total_before * count_now) / (count_now * count_before),
                2,
            )
        measures.append(
            {
                "name": name,
                "label": label,
                "scale": SCALE_WORDS[name],
                "mean": _exact_mean(total_now, count_now),
                "previous_mean": _exact_mean(total_before, count_before),
                "change": change,
                "days": count_now,
            }
        )
    kinds = np.bincount(days.kinds[now], minlength=len(KIND_CODES)).tolist()
    solo, partnered, both = (
        kinds[KIND_CODES[kind]]
        for kind in (SexualActivity.SOLO, SexualActivity.PARTNERED, SexualActivity.BOTH)
    )
    days_logged = now.stop - now.start
    return {
        "measures": measures,
        "days_logged": days_logged,
        "days_logged_before": before.stop - before.start,
        "coverage_percent": round(100 * days_logged / period.days),
        "intimacy": {
            "solo": solo,
            "partnered": partnered,
            "both": both,
            "no_activity": kinds[KIND_CODES[SexualActivity.NONE]],
            "activity_days": solo + partnered + both,
            "affection": int(days.affection[now].sum()),
        },
        "flare_days": int((days.measures["flare_severity"][now] >= FLARE_DAY_SEVERITY).sum()),
        **_tag_counts(user, period),
        "longest_streak": longest_streak(user, period, days),
    }


# The five most frequent symptoms, every intimate symptom and every barrier, by the days they
# were ticked, all in one query: each link table's range of (user, day, item) index is counted
# by item id first, then the few counts are joined to their names (summed by name, as two items
# may share one). Counting by id before joining halves PostgreSQL's time against joining every
# link. Written out because building it through the ORM cost three times as long as running it.
def _counted_by_name(link_table: str, item_column: str, item_table: str, also: str = "") -> str:
    return f"""
        SELECT item.name AS name, CAST(SUM(counted.days) AS INTEGER) AS days{also}
        FROM (
            SELECT {item_column} AS item_id, COUNT(*) AS days FROM {link_table}
            WHERE user_id = %(user)s AND day BETWEEN %(start)s AND %(end)s
            GROUP BY {item_column}
        ) AS counted
        JOIN {item_table} AS item ON item.id = counted.item_id
        GROUP BY item.name
    """


SYMPTOM_COUNTS_SQL = _counted_by_name(
    EntrySymptom._meta.db_table,
    "symptom_id",
    Symptom._meta.db_table,
    also=", MAX(CASE WHEN item.intimate THEN 1 ELSE 0 END) AS intimate",
)
BARRIER_COUNTS_SQL = _counted_by_name(
    EntryIntimacyBarrier._meta.db_table, "intimacybarrier_id", IntimacyBarrier._meta.db_table
)
# The symptoms are counted once (a CTE used twice is computed once) and split: the intimate
# ones go with the intimacy answers, which discreet mode hides, so "most frequent" never
# names one.
TAG_COUNTS_SQL = f"""
    WITH symptom_counts AS ({SYMPTOM_COUNTS_SQL})
    SELECT list, name, days FROM (
        SELECT 'top_symptoms' AS list, name, days FROM (
            SELECT name, days FROM symptom_counts WHERE intimate = 0
            ORDER BY days DESC, name
            LIMIT 5
        ) AS most_frequent
        UNION ALL
        SELECT 'intimate_symptoms', name, days FROM symptom_counts WHERE intimate = 1
        UNION ALL
        SELECT 'barriers', name, days FROM ({BARRIER_COUNTS_SQL}) AS barriers
    ) AS counts
    ORDER BY list, days DESC, name
"""


def _tag_counts(user, period: Period) -> dict[str, list[dict]]:
    """The five most frequent symptoms that are not intimate, every intimate symptom and every
    barrier, most days first, then by name."""
    counts = {"top_symptoms": [], "intimate_symptoms": [], "barriers": []}
    with connections[router.db_for_read(EntrySymptom)].cursor() as cursor:
        cursor.execute(TAG_COUNTS_SQL, {"user": user.pk, "start": period.start, "end": period.end})
        for list_name, name, days in cursor.fetchall():
            counts[list_name].append({"name": name, "days": days})
    return counts


def _medications(user, period: Period) -> list[dict]:
    medications = (
        Medication.objects.for_user(user)
        .overlapping(period.start, period.end)
        .order_by("started", "name")
        .values_list("name", "dose", "started", "stopped")
    )
    return [
        {
            "name": name,
            "dose": dose,
            "started": started.isoformat(),
            "stopped": stopped.isoformat() if stopped else None,
            "started_in_range": period.start <= started <= period.end,
            "stopped_in_range": stopped is not None and period.start <= stopped <= period.end,
        }
        for name, dose, started, stopped in medications
    ]


def chart_sentences(series: dict, summary: dict, period: Period) -> dict[str, str]:
    """One plain sentence per chart, for people who cannot see or use the chart."""
    sentences = {}
    by_name = {measure["name"]: measure for measure in summary["measures"]}
    for name, (label, _) in CHARTED.items():
        measure = by_name[name]
        if measure["mean"] is None:
            sentences[name] = f"{label}: not logged in this period."
            continue
        sentence = (
            f"{label} averaged {measure['mean']:g} {measure['scale']} "
            f"over {measure['days']} logged day{'s' if measure['days'] != 1 else ''}"
        )
        if measure["change"] is not None:
            direction = (
                "up" if measure["change"] > 0 else "down" if measure["change"] < 0 else "level"
            )
            if direction == "level":
                sentence += ", the same as the previous period"
            else:
                sentence += (
                    f", {direction} {abs(measure['change']):g} "
                    f"from {measure['previous_mean']:g} in the previous period"
                )
        sentences[name] = sentence + "."
    return sentences


def cache_key(user, *parts) -> str:
    # The data version changes on every write, so a stale entry is never read again; "v2" is
    # the shape of what is cached, raised when it changes (v2: which answers are intimate).
    return ":".join(["trends", "v2", str(user.pk), str(user.data_version), *map(str, parts)])


def trends_for(user, period: Period, read: Callable[[], LoggedDays] | None = None) -> dict:
    """Everything the trends page shows for one person and period (cached until they write).
    `read`, if given, returns the person's days over at least `_span_for(period)`."""
    key = cache_key(user, period.start, period.end)
    payload = cache.get(key)
    if payload is None:
        days = _logged_days(user, period, read() if read else None)
        series = (
            _daily_series(user, period, days)
            if period.granularity == "day"
            else _weekly_series(user, period, days)
        )
        summary = _summary(user, period, days)
        payload = {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "granularity": period.granularity,
            "series": series,
            "summary": summary,
            "medications": _medications(user, period),
            "sentences": chart_sentences(series, summary, period),
        }
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def _year_span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def year_calendar(user, year: int, read: Callable[[], LoggedDays] | None = None) -> list[dict]:
    """Months of one year, each its name and its Monday-first weeks as table rows, every day
    shaded by flare severity with its intimacy mark and spoken label (in discreet mode, the
    marks are hidden until asked). Cached until the person writes. `read`, if given, returns
    the person's days over at least the whole year."""
    today = user.today()
    discreet = user.discreet_mode
    key = cache_key(user, "calendar", year, today, discreet)
    months = cache.get(key)
    if months is None:
        days = read() if read else LoggedDays.fetch(user, *_year_span(year))
        months = _year_calendar(days, year, discreet, today)
        cache.set(key, months, CACHE_SECONDS)
    return months


@functools.lru_cache(maxsize=16)
def _weeks_of_months(year: int) -> tuple[tuple[tuple[datetime.date | None, ...], ...], ...]:
    """Each month's Monday-first weeks of one year, None for the days of other months."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar
    return tuple(
        tuple(
            tuple(day if day.month == month else None for day in week)
            for week in weeks(year, month)
        )
        for month in range(1, 13)
    )


def _year_calendar(days: LoggedDays, year: int, discreet: bool, today: datetime.date) -> list[dict]:
    flare_column = 1 + list(SUMMARISED).index("flare_severity")
    first = days.first.toordinal()
    by_ordinal = {
        first + row[0]: (row[flare_column], row[-3], row[-1])
        for row in days.raw[days.positions(*_year_span(year))]
    }
    # reverse() costs more than the rest of a cell: resolve the log page's URL once, then put
    # each day into it.
    placeholder = FIRST_DAY.isoformat()
    log_url = escape(reverse("tracker:log_day", args=[placeholder]))
    months = []
    for month, month_weeks in enumerate(_weeks_of_months(year), start=1):
        weeks = []
        for week in month_weeks:
            cells = []
            for day in week:
                if day is None:
                    cells.append('<td class="heat heat--pad"></td>')
                    continue
                if day > today:
                    cells.append(_future_cell(day))
                    continue
                marks = by_ordinal.get(day.toordinal())
                href = log_url.replace(placeholder, day.isoformat()) if marks else None
                cells.append(_calendar_cell(day, href, *(marks or (None, None, None)), discreet))
            weeks.append(f"<tr>{''.join(cells)}</tr>")
        months.append({"name": MONTH_NAMES[month], "weeks": mark_safe("\n".join(weeks))})
    return months


def _future_cell(day: datetime.date) -> str:
    """A day still to come: drawn apart from the days that were not logged."""
    return (
        f'<td class="heat heat--future"><span aria-hidden="true">{day.day}</span>'
        f'<span class="visually-hidden">{day.day} {MONTH_NAMES[day.month]}: not yet</span></td>'
    )


def _calendar_cell(day: datetime.date, href: str | None, flare, kind, touch, discreet: bool) -> str:
    """One day of the flare calendar as a table cell; `href` is its log page, None if not
    logged. Built here as a string, not in the template, because a year is 365 cells and the
    template language spent over ten times as long on them. Every part is a number, a fixed
    word or the log page's URL (escaped once by the caller), so nothing else needs escaping."""
    activity = kind in ACTIVITY_KINDS
    affection = bool(touch)
    if href is None or flare is None:
        shade = "none"
    elif flare == 0:
        shade = "0"
    elif flare < FLARE_DAY_SEVERITY:
        shade = "low"
    elif flare < 8:
        shade = "mid"
    else:
        shade = "high"
    date = f"{day.day} {MONTH_NAMES[day.month]}"
    if href is None:
        return (
            f'<td class="heat heat--{shade}"><span aria-hidden="true">{day.day}</span>'
            f'<span class="visually-hidden">{date}: not logged</span></td>'
        )
    said = "flare not logged" if flare is None else f"flare {flare}"
    private = ", sexual activity" if activity else ""
    private += ", affection" if affection else ""
    mark = "●" if activity else "♥" if affection else str(day.day)
    if discreet and private:
        # The date and flare are said aloud; the intimacy marks wait for "Show private markers".
        return (
            f'<td class="heat heat--{shade}"><a href="{href}" aria-label="{date}: {said}" '
            f'data-private-label="{date}: {said}{private}"><span data-public>{day.day}</span>'
            f"<span data-private hidden>{mark}</span></a></td>"
        )
    return (
        f'<td class="heat heat--{shade}"><a href="{href}" aria-label="{date}: {said}{private}">'
        f"{mark}</a></td>"
    )


def charts(payload: dict) -> list[dict]:
    """Each chart's name, heading and one-sentence text summary."""
    return [
        {"name": name, "label": label, "sentence": payload["sentences"][name]}
        for name, (label, _) in CHARTED.items()
    ]


class TrendsPage:
    """The numbers of one /trends/ page: the period's payload, its charts and one year's flare
    calendar, each computed on first use (the page's rendered body is cached, so a cached page
    computes none)."""

    def __init__(self, user, period: Period, year: int):
        self.user, self.period, self.year = user, period, year
        first, last = _span_for(period)
        year_first, year_last = _year_span(year)
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

    @functools.cached_property
    def calendar(self) -> list[dict]:
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


def chart_table(payload: dict, name: str) -> list[tuple]:
    """The rows of one chart's table alternative: the same numbers the chart draws, for each
    day (logged value, 7-day average) or week (average, lowest, highest) that has any."""
    series = payload["series"]
    measure = series["measures"][name]
    if series["granularity"] == "day":
        columns = zip(series["days"], measure["values"], measure["rolling"], strict=True)
    else:
        columns = zip(series["days"], measure["mean"], measure["min"], measure["max"], strict=True)
    return [
        (datetime.date.fromisoformat(day), *numbers)
        for day, *numbers in columns
        if any(number is not None for number in numbers)
    ]
