"""The numbers of one period, shaped with numpy from the person's days (`reads.LoggedDays`):
each chart's series (daily values and 7-day means, or weekly means, lowest and highest), the
summary and its comparison with the previous period, streaks, flare episodes, and the
sentences and tables that say the same in words. `trends_for` puts them together and caches
them until the person writes."""

import datetime
from collections.abc import Callable

import numpy as np
from django.core.cache import cache

from tracker.measures import CHARTED, FLARE_DAY_SEVERITY, SCALE_WORDS, SUMMARISED
from tracker.models import SexualActivity
from tracker.trends.cache import CACHE_SECONDS, cache_key
from tracker.trends.periods import ONE_DAY, Period
from tracker.trends.reads import KIND_CODES, LoggedDays, medications, tag_counts

# Longer than this, a day's intimacy marks run into their neighbours on a phone: count by week.
INTIMACY_DAILY_LIMIT_DAYS = 92
ROLLING_DAYS = 7
ROLLING_MIN_LOGGED = 4


def _rounded(array: np.ndarray) -> list[float | None]:
    """Two decimal places, None for NaN (a gap), the same numbers as Python's round(), which
    rounds the exact value, as the tests' direct computations do. numpy rounds value * 100,
    whose own rounding can only tip a value lying within a hair of halfway, so those few are
    given to round(); numpy rounds the rest, all at once, to the same numbers."""
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


def span_for(period: Period) -> tuple[datetime.date, datetime.date]:
    """The days to read for a period: its previous period (for the summary's comparisons) and
    the days before it that feed the first rolling means."""
    lead_start = period.start - (ROLLING_DAYS - 1) * ONE_DAY
    return min(period.previous().start, lead_start), period.end


def _logged_days(user, period: Period, days: LoggedDays | None) -> LoggedDays:
    return days if days is not None else LoggedDays.fetch(user, *span_for(period))


def _iso_dates(first: datetime.date, count: int, step: int = 1) -> list[str]:
    """`count` dates in ISO format from `first`, `step` days apart (numpy writes them all at
    once, where date arithmetic and isoformat() would run once a day in a Python loop)."""
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
        **tag_counts(user, period),
        "longest_streak": longest_streak(user, period, days),
    }


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


def trends_for(user, period: Period, read: Callable[[], LoggedDays] | None = None) -> dict:
    """Everything the trends page shows for one person and period (cached until they write).
    `read`, if given, returns the person's days over at least `span_for(period)`."""
    key = cache_key(user, period.start, period.end)
    payload = cache.get(key)
    if payload is None:
        payload = _payload(user, period, _logged_days(user, period, read() if read else None))
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def trends_within(user, period: Period) -> dict:
    """trends_for from the period's own days alone, for a page that must show nothing outside
    the period (a share link): no comparison with the previous period, and the first 7-day
    means are fed by the period's days only. Cached until the person writes, like trends_for."""
    key = cache_key(user, "within", period.start, period.end)
    payload = cache.get(key)
    if payload is None:
        payload = _payload(user, period, LoggedDays.fetch(user, period.start, period.end))
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def _payload(user, period: Period, days: LoggedDays) -> dict:
    series = (
        _daily_series(user, period, days)
        if period.granularity == "day"
        else _weekly_series(user, period, days)
    )
    summary = _summary(user, period, days)
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "granularity": period.granularity,
        "series": series,
        "summary": summary,
        "medications": medications(user, period),
        "sentences": chart_sentences(series, summary, period),
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
