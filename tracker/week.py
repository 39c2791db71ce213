"""The weekly look back: one ISO week (Monday to Sunday) of a person's own calendar, against the
week before. The page /week/ shows it; the weekly email links to it and, if the person asks
for their numbers in the email, reads the same `week_summary`.

What became clear this week is an insight (tracker/insights.py) that is clear with every day up
to the end of this week and was not with every day up to the end of the week before.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import Rank

from tracker.insights import findings_for
from tracker.measures import MEASURES
from tracker.models import FIRST_DAY, DailyEntry, Medication
from tracker.trends.periods import Period, first_logged_day

ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)
# Only the strict form: "2026-W48". fromisocalendar does the calendar (which years have a W53).
ISO_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
# How hard a day was: flare severity and fatigue, both 0-10 and higher when harder, added up.
HARDNESS = F("flare_severity") + F("fatigue")


@dataclass(frozen=True)
class StandoutDays:
    """The best or the hardest day of a week, or several when they tie exactly."""

    days: tuple[datetime.date, ...]
    flare_severity: int
    fatigue: int


@dataclass(frozen=True)
class MeasureAverage:
    name: str
    label: str
    scale_words: str
    intimate: bool
    mean: float | None  # None: not logged this week
    previous_mean: float | None  # None: not logged the week before
    change: float | None  # this week's mean minus the week before's; None unless both exist
    days: int  # days this week with the measure logged


@dataclass(frozen=True)
class MedicationChange:
    day: datetime.date
    name: str
    dose: str
    started: bool  # True: started on `day`; False: stopped on it


@dataclass(frozen=True)
class WeekSummary:
    monday: datetime.date
    days_logged: int
    # Days with both flare severity and fatigue logged, the ones compared for best and hardest.
    compared_days: int
    # None when fewer than two days can be compared, or when every compared day was alike.
    best: StandoutDays | None
    hardest: StandoutDays | None
    averages: tuple[MeasureAverage, ...]
    medication_changes: tuple[MedicationChange, ...]
    # The insights' findings (dicts, as tracker/insights.py words them) that became clear.
    new_insights: tuple[dict, ...]

    @property
    def sunday(self) -> datetime.date:
        return self.monday + 6 * ONE_DAY

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def week_number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def week_year(self) -> int:
        """The ISO year, which the Monday of week 1 can be a day of the year before."""
        return self.monday.isocalendar().year

    @property
    def all_alike(self) -> bool:
        """Every compared day had the same flare severity and fatigue (two days at least)."""
        return self.compared_days >= 2 and self.best is None


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week that `day` is in."""
    return day - day.weekday() * ONE_DAY


def week_label(monday: datetime.date) -> str:
    """The ISO name of the week, as its address says it: "2026-W48"."""
    year, week, _ = monday.isocalendar()
    return f"{year:04d}-W{week:02d}"


def read_week(text: str, today: datetime.date) -> datetime.date:
    """The Monday of the week `text` names ("2026-W48"), if the week has begun in the person's
    calendar (`today` is theirs) and lies within the days Hearth keeps. Otherwise a
    ValidationError whose code is "invalid", "future" or "too_early"."""
    match = ISO_WEEK.fullmatch(text)
    if match is None:
        raise ValidationError(
            "This address does not name a week. A week is written as the year and the week "
            f"number, for example /week/{week_label(week_start(today))}/ for this week.",
            code="invalid",
        )
    year, number = int(match[1]), int(match[2])
    if year < FIRST_DAY.year:
        raise ValidationError(
            "That week is too early: Hearth keeps days from 1900 on.", code="too_early"
        )
    try:
        monday = datetime.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValidationError(
            f"{year} has no week {number}: a year has 52 or 53 weeks, numbered from 01.",
            code="invalid",
        ) from None
    if monday > week_start(today):
        raise ValidationError(
            "That week hasn't begun yet, so there is nothing to look back on.", code="future"
        )
    return monday


def week_summary(user, monday: datetime.date) -> WeekSummary:
    """One person's week from `monday` (a Monday in their calendar that is not in the future).
    Six queries whatever the amount of data, fewer when the person's first logged day and the
    insights are cached."""
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday.")
    today = user.today()
    if monday > week_start(today):
        raise ValueError(f"The week of {monday} has not begun yet.")
    sunday = monday + 6 * ONE_DAY
    days_logged, averages = _averages(user, monday)
    compared_days, best, hardest = _standout_days(user, monday, sunday)
    return WeekSummary(
        monday=monday,
        days_logged=days_logged,
        compared_days=compared_days,
        best=best,
        hardest=hardest,
        averages=averages,
        medication_changes=_medication_changes(user, monday, sunday),
        new_insights=_new_insights(user, monday, min(sunday, today)),
    )


def _averages(user, monday: datetime.date) -> tuple[int, tuple[MeasureAverage, ...]]:
    """Days logged this week, and each measure's average this week and the week before: one
    aggregate over the two weeks."""
    this_week = Q(day__gte=monday)
    aggregates = {"days_logged": Count("pk", filter=this_week)}
    for name in MEASURES:
        aggregates[f"{name}_mean"] = Avg(name, filter=this_week)
        aggregates[f"{name}_previous_mean"] = Avg(name, filter=~this_week)
        aggregates[f"{name}_days"] = Count(name, filter=this_week)
    totals = (
        DailyEntry.objects.for_user(user)
        .between(monday - ONE_WEEK, monday + 6 * ONE_DAY)
        .aggregate(**aggregates)
    )
    averages = []
    for name, measure in MEASURES.items():
        mean, previous = totals[f"{name}_mean"], totals[f"{name}_previous_mean"]
        # Hours slept is a decimal column, so its average is a Decimal.
        mean = None if mean is None else float(mean)
        previous = None if previous is None else float(previous)
        averages.append(
            MeasureAverage(
                name=name,
                label=measure.label,
                scale_words=measure.scale_words,
                intimate=measure.intimate,
                mean=None if mean is None else round(mean, 2),
                previous_mean=None if previous is None else round(previous, 2),
                # From the unrounded means, so the change is rounded once.
                change=None if mean is None or previous is None else round(mean - previous, 2),
                days=totals[f"{name}_days"],
            )
        )
    return totals["days_logged"], tuple(averages)


def _standout_days(
    user, monday: datetime.date, sunday: datetime.date
) -> tuple[int, StandoutDays | None, StandoutDays | None]:
    """The best and the hardest of the week's days with both flare severity and fatigue logged:
    the lowest and the highest sum of the two, the flare severity deciding a tie in the sum.
    Days that tie on both are all named. Ranked in SQL; one row per compared day comes back."""
    rows = list(
        DailyEntry.objects.for_user(user)
        .between(monday, sunday)
        .filter(flare_severity__isnull=False, fatigue__isnull=False)
        .annotate(
            best_rank=Window(Rank(), order_by=[HARDNESS.asc(), F("flare_severity").asc()]),
            hardest_rank=Window(Rank(), order_by=[HARDNESS.desc(), F("flare_severity").desc()]),
        )
        .order_by("day")
        .values_list("day", "flare_severity", "fatigue", "best_rank", "hardest_rank")
    )
    best = [row for row in rows if row[3] == 1]
    hardest = [row for row in rows if row[4] == 1]
    # Fewer than two days, or every day alike: no day is better or harder than another.
    if len(rows) < 2 or best[0][1:3] == hardest[0][1:3]:
        return len(rows), None, None
    return len(rows), _standout(best), _standout(hardest)


def _standout(rows: list[tuple]) -> StandoutDays:
    _, flare_severity, fatigue, *_ = rows[0]
    return StandoutDays(tuple(row[0] for row in rows), flare_severity, fatigue)


def _medication_changes(
    user, monday: datetime.date, sunday: datetime.date
) -> tuple[MedicationChange, ...]:
    """Every medication started or stopped within the week, in the order of the days."""
    periods = (
        Medication.objects.for_user(user)
        .filter(Q(started__range=(monday, sunday)) | Q(stopped__range=(monday, sunday)))
        .values_list("name", "dose", "started", "stopped")
    )
    changes = []
    for name, dose, started, stopped in periods:
        if monday <= started <= sunday:
            changes.append(MedicationChange(started, name, dose, started=True))
        if stopped is not None and monday <= stopped <= sunday:
            changes.append(MedicationChange(stopped, name, dose, started=False))
    # Started before stopped on the same day: a one-day course reads in order.
    return tuple(sorted(changes, key=lambda change: (change.day, not change.started, change.name)))


def _new_insights(user, monday: datetime.date, end: datetime.date) -> tuple[dict, ...]:
    """The insights clear with every day up to `end` (this week's Sunday, or today) that were
    not clear with every day up to the Sunday before."""
    previous_sunday = monday - ONE_DAY
    # From the first logged day, as the insights page's "All time"; the earlier period is read
    # even when nothing was logged before this week, so the number of queries never changes.
    start = min(first_logged_day(user) or monday, previous_sunday)
    clear_before = {
        finding["id"]
        for finding in findings_for(user, Period(start, previous_sunday, "custom"))
        if finding["clear"]
    }
    return tuple(
        finding
        for finding in findings_for(user, Period(start, end, "custom"))
        if finding["clear"] and finding["id"] not in clear_before
    )


def week_page(user, monday: datetime.date) -> dict:
    """Context for the week page: the summary, and the weeks before and after it that can be
    shown."""
    today = user.today()
    this_monday = week_start(today)
    previous_monday = monday - ONE_WEEK
    next_monday = monday + ONE_WEEK
    summary = week_summary(user, monday)
    return {
        "summary": summary,
        "is_this_week": monday == this_monday,
        # This week so far counts from Monday to today.
        "days_so_far": min((today - monday).days + 1, 7),
        "previous_week": week_label(previous_monday) if previous_monday >= FIRST_DAY else None,
        "next_week": week_label(next_monday) if next_monday <= this_monday else None,
        "next_is_this_week": next_monday == this_monday,
        "standouts": [
            {"name": name, "days": days}
            for name, days in (("Best day", summary.best), ("Hardest day", summary.hardest))
            if days is not None
        ],
        "intimate_averages": [a for a in summary.averages if a.intimate],
        "public_insights": [f for f in summary.new_insights if not f["intimate"]],
        "intimate_insights": [f for f in summary.new_insights if f["intimate"]],
    }
