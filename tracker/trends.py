"""The numbers behind /trends/: series, summary and calendar for one person and one period.

Aggregates come from SQL (one query each, whatever the length of the range); this module only
shapes them for the page, the table alternative and the charts. Results are cached per person and
keyed by their data version, which every write bumps (tracker/signals.py), so a save is visible on
the next page load.
"""

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, F, Func, IntegerField, Max, Min, Q, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.urls import reverse

from tracker.models import ACTIVITY_KINDS, FIRST_DAY, DailyEntry, Medication, SexualActivity

ONE_DAY = datetime.timedelta(days=1)
RANGES = {"30d": 30, "90d": 90, "1y": 365}
RANGE_LABELS = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All time"}
DEFAULT_RANGE = "90d"
DAILY_LIMIT_DAYS = 366
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

    def previous(self) -> "Period":
        """The period of the same length that ends the day before this one starts."""
        return Period(self.start - self.days * ONE_DAY, self.start - ONE_DAY, "previous")


def resolve_period(params: Mapping, user, default: str = DEFAULT_RANGE) -> Period:
    """The period named by ?range= or ?start=&end=, in the person's own calendar."""
    today = user.today()
    if params.get("start") or params.get("end"):
        return custom_period(params.get("start", ""), params.get("end", ""), today)
    key = params.get("range") or default
    if key == "all":
        first = DailyEntry.objects.for_user(user).order_by("day").values_list("day", flat=True)
        start = first.first() or today - (RANGES[DEFAULT_RANGE] - 1) * ONE_DAY
        return Period(min(start, today), today, "all")
    if key not in RANGES:
        raise PeriodError("Choose one of the ranges shown: 30 days, 90 days, 1 year or all time.")
    return Period(today - (RANGES[key] - 1) * ONE_DAY, today, key)


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


class DayNumber(Func):
    """Days since 1970-01-01, so day arithmetic reads the same on PostgreSQL and SQLite."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra,
        )


def _float_or_none(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _list(array: np.ndarray) -> list[float | None]:
    return [None if np.isnan(value) else round(float(value), 2) for value in array]


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


def _daily_series(user, period: Period) -> dict:
    # The days before the start feed the first rolling means.
    lead_start = period.start - (ROLLING_DAYS - 1) * ONE_DAY
    rows = (
        DailyEntry.objects.for_user(user)
        .between(lead_start, period.end)
        .values_list("day", *CHARTED, "sexual_activity", "intensity", "physical_affection")
    )
    length = (period.end - lead_start).days + 1
    measures = {name: np.full(length, np.nan) for name in CHARTED}
    activity = [None] * length
    intensity = [None] * length
    affection = [None] * length
    for day, *values, kind, how, touch in rows:
        index = (day - lead_start).days
        for name, value in zip(CHARTED, values, strict=True):
            if value is not None:
                measures[name][index] = float(value)
        activity[index], intensity[index], affection[index] = kind, how, touch
    lead = ROLLING_DAYS - 1
    days = [period.start + n * ONE_DAY for n in range(period.days)]
    series = {
        "granularity": "day",
        "days": [day.isoformat() for day in days],
        "measures": {
            name: {
                "values": _list(measures[name][lead:]),
                "rolling": _list(rolling_mean(measures[name])[lead:]),
            }
            for name in CHARTED
        },
        "intimacy": {
            "activity": activity[lead:],
            "intensity": intensity[lead:],
            "affection": affection[lead:],
        },
    }
    return series


def _weekly_series(user, period: Period) -> dict:
    aggregates = {}
    for name in CHARTED:
        aggregates[f"{name}_mean"] = Avg(name)
        aggregates[f"{name}_min"] = Min(name)
        aggregates[f"{name}_max"] = Max(name)
    rows = (
        DailyEntry.objects.for_user(user)
        .between(period.start, period.end)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(
            **aggregates,
            days_logged=Count("id"),
            solo_days=Count("id", filter=Q(sexual_activity__in=["solo", "both"])),
            partnered_days=Count("id", filter=Q(sexual_activity__in=["partnered", "both"])),
            affection_days=Count("id", filter=Q(physical_affection=True)),
        )
        .order_by("week")
    )
    by_week = {_as_date(row["week"]): row for row in rows}
    first_monday = period.start - period.start.weekday() * ONE_DAY
    weeks = [
        first_monday + 7 * n * ONE_DAY for n in range((period.end - first_monday).days // 7 + 1)
    ]
    columns = [by_week.get(week, {}) for week in weeks]
    return {
        "granularity": "week",
        "days": [week.isoformat() for week in weeks],
        "measures": {
            name: {
                stat: [_float_or_none(row.get(f"{name}_{stat}")) for row in columns]
                for stat in ("mean", "min", "max")
            }
            for name in CHARTED
        },
        "intimacy": {
            kind: [row.get(f"{kind}_days", 0) for row in columns]
            for kind in ("solo", "partnered", "affection")
        },
        "days_logged": [row.get("days_logged", 0) for row in columns],
    }


def _as_date(value) -> datetime.date:
    """A date from what the database driver returned (SQLite's raw cursor gives text)."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime.datetime) else value


def _runs(entries) -> list[tuple[datetime.date, datetime.date, int, int | None]]:
    """Runs of consecutive days among `entries` (gaps-and-islands in SQL): each run's first day,
    last day, length and highest flare severity, oldest first."""
    islands = entries.annotate(
        island=DayNumber("day") - Window(RowNumber(), order_by=F("day").asc())
    ).values("day", "flare_severity", "island")
    sql, params = islands.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MIN(day), MAX(day), COUNT(*), MAX(flare_severity) "
            f"FROM ({sql}) islands GROUP BY island ORDER BY MIN(day)",
            params,
        )
        return [
            (_as_date(first), _as_date(last), length, peak)
            for first, last, length, peak in cursor.fetchall()
        ]


def longest_streak(user, period: Period) -> int:
    """The most consecutive logged days within the period."""
    runs = _runs(DailyEntry.objects.for_user(user).between(period.start, period.end))
    return max((length for _, _, length, _ in runs), default=0)


def flare_episodes(user, period: Period) -> list[dict]:
    """Consecutive days with flare severity 5 or more: when each began and ended, and its peak."""
    flare_days = (
        DailyEntry.objects.for_user(user)
        .between(period.start, period.end)
        .filter(flare_severity__gte=FLARE_DAY_SEVERITY)
    )
    return [
        {"start": first, "end": last, "days": length, "peak": peak}
        for first, last, length, peak in _runs(flare_days)
    ]


def _summary(user, period: Period) -> dict:
    previous = period.previous()
    now = Q(day__gte=period.start)
    before = Q(day__lt=period.start)
    aggregates = {}
    for name in SUMMARISED:
        aggregates[f"{name}_now"] = Avg(name, filter=now)
        aggregates[f"{name}_before"] = Avg(name, filter=before)
        aggregates[f"{name}_days"] = Count(name, filter=now)
    totals = (
        DailyEntry.objects.for_user(user)
        .between(previous.start, period.end)
        .aggregate(
            **aggregates,
            days_logged=Count("id", filter=now),
            days_logged_before=Count("id", filter=before),
            solo=Count("id", filter=now & Q(sexual_activity=SexualActivity.SOLO)),
            partnered=Count("id", filter=now & Q(sexual_activity=SexualActivity.PARTNERED)),
            both=Count("id", filter=now & Q(sexual_activity=SexualActivity.BOTH)),
            no_activity=Count("id", filter=now & Q(sexual_activity=SexualActivity.NONE)),
            affection=Count("id", filter=now & Q(physical_affection=True)),
            flare_days=Count("id", filter=now & Q(flare_severity__gte=FLARE_DAY_SEVERITY)),
        )
    )
    in_period = {"dailyentry__user": user, "dailyentry__day__range": (period.start, period.end)}
    symptoms = (
        DailyEntry.symptoms.through.objects.filter(**in_period)
        .values(name=F("symptom__name"))
        .annotate(days=Count("id"))
        .order_by("-days", "name")[:5]
    )
    barriers = (
        DailyEntry.intimacy_barriers.through.objects.filter(**in_period)
        .values(name=F("intimacybarrier__name"))
        .annotate(days=Count("id"))
        .order_by("-days", "name")
    )
    measures = []
    for name, (label, _) in SUMMARISED.items():
        mean, earlier = totals[f"{name}_now"], totals[f"{name}_before"]
        measures.append(
            {
                "name": name,
                "label": label,
                "scale": SCALE_WORDS[name],
                "mean": _float_or_none(mean),
                "previous_mean": _float_or_none(earlier),
                "change": _float_or_none(mean - earlier)
                if mean is not None and earlier is not None
                else None,
                "days": totals[f"{name}_days"],
            }
        )
    return {
        "measures": measures,
        "days_logged": totals["days_logged"],
        "days_logged_before": totals["days_logged_before"],
        "coverage_percent": round(100 * totals["days_logged"] / period.days),
        "intimacy": {
            "solo": totals["solo"],
            "partnered": totals["partnered"],
            "both": totals["both"],
            "no_activity": totals["no_activity"],
            "activity_days": totals["solo"] + totals["partnered"] + totals["both"],
            "affection": totals["affection"],
        },
        "flare_days": totals["flare_days"],
        "top_symptoms": list(symptoms),
        "barriers": list(barriers),
        "longest_streak": longest_streak(user, period),
    }


def _medications(user, period: Period) -> list[dict]:
    medications = Medication.objects.for_user(user).overlapping(period.start, period.end)
    return [
        {
            "name": medication.name,
            "dose": medication.dose,
            "started": medication.started.isoformat(),
            "stopped": medication.stopped.isoformat() if medication.stopped else None,
            "started_in_range": period.start <= medication.started <= period.end,
            "stopped_in_range": medication.stopped is not None
            and period.start <= medication.stopped <= period.end,
        }
        for medication in medications.order_by("started", "name")
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
    # The data version changes on every write, so a stale entry is never read again.
    return ":".join(["trends", "v1", str(user.pk), str(user.data_version), *map(str, parts)])


def trends_for(user, period: Period) -> dict:
    """Everything the trends page shows for one person and period (cached until they write)."""
    key = cache_key(user, period.start, period.end)
    payload = cache.get(key)
    if payload is None:
        series = (
            _daily_series(user, period)
            if period.granularity == "day"
            else _weekly_series(user, period)
        )
        summary = _summary(user, period)
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


def year_calendar(user, year: int) -> list[dict]:
    """Months of one year, each a list of Monday-first weeks of days with flare severity and
    intimacy marks (None for padding outside the month). Cached until the person writes."""
    today = user.today()
    key = cache_key(user, "calendar", year, today)
    months = cache.get(key)
    if months is None:
        months = _year_calendar(user, year, today)
        cache.set(key, months, CACHE_SECONDS)
    return months


def _year_calendar(user, year: int, today: datetime.date) -> list[dict]:
    rows = (
        DailyEntry.objects.for_user(user)
        .between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .values_list("day", "flare_severity", "sexual_activity", "physical_affection")
    )
    by_day = {day: (flare, kind, touch) for day, flare, kind, touch in rows}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                flare, kind, touch = by_day.get(day, (None, None, None))
                cells.append(_calendar_cell(day, day in by_day, flare, kind, touch))
            weeks.append(cells)
        months.append({"month": datetime.date(year, month, 1), "weeks": weeks})
    return months


def _calendar_cell(day: datetime.date, logged: bool, flare, kind, touch) -> dict:
    """One day of the flare calendar, with its class, mark and spoken label worked out here
    so the template stays a cheap loop (a year is over 400 cells)."""
    activity = kind in ACTIVITY_KINDS
    affection = bool(touch)
    if not logged or flare is None:
        shade = "none"
    elif flare == 0:
        shade = "0"
    elif flare < FLARE_DAY_SEVERITY:
        shade = "low"
    elif flare < 8:
        shade = "mid"
    else:
        shade = "high"
    if not logged:
        said = "not logged"
    else:
        said = "flare not logged" if flare is None else f"flare {flare}"
        said += ", sexual activity" if activity else ""
        said += ", affection" if affection else ""
    return {
        "day": day,
        "logged": logged,
        "flare": flare,
        "activity": activity,
        "affection": affection,
        "shade": shade,
        "mark": "●" if activity else "♥" if affection else str(day.day),
        "label": f"{day:%-d %B}: {said}",
        "href": reverse("tracker:log_day", args=[day.isoformat()]) if logged else None,
    }


def charts(payload: dict) -> list[dict]:
    """Each chart's name, heading and one-sentence text summary."""
    return [
        {"name": name, "label": label, "sentence": payload["sentences"][name]}
        for name, (label, _) in CHARTED.items()
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
