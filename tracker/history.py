"""The history page: a person's logged days, one calendar month at a time."""

import calendar
import datetime
from decimal import Decimal

from django.db.models import Prefetch

from tracker.measures import HEALTH_MEASURES, MEASURES
from tracker.models import DailyEntry, IntimacyBarrier, Symptom


def month_from(value: str | None, today: datetime.date) -> datetime.date | None:
    """The first day of the month named "YYYY-MM" (this month if none); None if unreadable."""
    if not value:
        return today.replace(day=1)
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    return min(month, today.replace(day=1))


def _shift_month(month: datetime.date, months: int) -> datetime.date | None:
    """The first day of the month `months` away, or None beyond the calendar's ends."""
    index = month.year * 12 + month.month - 1 + months
    if not datetime.MINYEAR <= index // 12 <= datetime.MAXYEAR:
        return None
    return datetime.date(index // 12, index % 12 + 1, 1)


def private_summary(entry: DailyEntry) -> list[str]:
    """The day's intimacy phrases and sexual-health symptoms, which discreet mode keeps out of
    sight until asked."""
    parts = []
    if entry.sexual_activity:
        parts.append(f"Intimacy: {entry.get_sexual_activity_display().lower()}")
    if entry.physical_affection is not None:
        parts.append("Affection: yes" if entry.physical_affection else "Affection: no")
    barriers = [barrier.name.lower() for barrier in entry.intimacy_barriers.all()]
    if barriers:
        parts.append("Held back by: " + ", ".join(barriers))
    intimate = [symptom.name.lower() for symptom in entry.symptoms.all() if symptom.intimate]
    if intimate:
        parts.append("Sexual-health symptoms: " + ", ".join(intimate))
    return parts


def _in_words(entry: DailyEntry, name: str) -> str:
    """A logged measure's value as the history writes it: a worded scale's word, hours without
    trailing zeros, a number as it is."""
    value = getattr(entry, name)
    if entry._meta.get_field(name).choices:
        return getattr(entry, f"get_{name}_display")().lower()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def summarise(entry: DailyEntry) -> list[str]:
    """Short, plain phrases for the rest of the day, in the order of the log form (the
    sexual-health symptoms are among the private phrases)."""
    parts = [
        MEASURES[name].brief.format(_in_words(entry, name))
        for name in HEALTH_MEASURES
        if getattr(entry, name) is not None
    ]
    symptoms = [symptom.name for symptom in entry.symptoms.all() if not symptom.intimate]
    if symptoms:
        parts.append("Symptoms: " + ", ".join(symptoms))
    if entry.notes:
        parts.append("Has notes")
    return parts


def month_page(user, month: datetime.date) -> dict:
    """Context for one month of history: the entries (newest first) and navigation."""
    today = user.today()
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    entries = (
        DailyEntry.objects.for_user(user)
        .between(month, last_day)
        .order_by("-day")
        .prefetch_related(
            Prefetch("symptoms", queryset=Symptom.objects.order_by("position", "name")),
            Prefetch("intimacy_barriers", queryset=IntimacyBarrier.objects.all()),
        )
    )
    days = [
        {"entry": entry, "private": private_summary(entry), "summary": summarise(entry)}
        for entry in entries
    ]
    days_in_month = (min(last_day, today) - month).days + 1
    next_month = _shift_month(month, 1)
    return {
        "month": month,
        "days": days,
        "days_logged": len(days),
        "days_in_month": max(days_in_month, 0),
        "previous_month": _shift_month(month, -1),
        "next_month": next_month if next_month and next_month <= today else None,
    }
