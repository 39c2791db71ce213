"""The staff dashboard's figures: the tracker's, plus how many reminders went out each day (a
count only: never to whom)."""

import datetime
from dataclasses import dataclass, fields

from django.db.models import Count, DateField
from django.db.models.functions import TruncDate
from django.utils import timezone

from reminders.models import Delivery
from tracker import dashboard

DAYS = 14


@dataclass(frozen=True)
class Figures(dashboard.Figures):
    reminders_per_day: list[tuple[datetime.date, int]]  # (UTC day, check-ins sent), oldest first


def reminders_per_day(today: datetime.date, days: int = DAYS) -> list[tuple[datetime.date, int]]:
    """Check-in reminders sent on each of the last `days` days (UTC), empty days as 0."""
    first = today - datetime.timedelta(days=days - 1)
    counts = dict(
        Delivery.objects.filter(
            kind=Delivery.Kind.CHECK_IN,
            created_at__gte=datetime.datetime.combine(first, datetime.time(), datetime.UTC),
        )
        .annotate(sent_on=TruncDate("created_at", output_field=DateField()))
        .values("sent_on")
        .annotate(sent=Count("pk"))
        .values_list("sent_on", "sent")
    )
    return [
        (day, counts.get(day, 0)) for day in (first + datetime.timedelta(n) for n in range(days))
    ]


def figures() -> Figures:
    tracker_figures = dashboard.figures()
    return Figures(
        **{field.name: getattr(tracker_figures, field.name) for field in fields(tracker_figures)},
        reminders_per_day=reminders_per_day(timezone.now().date()),
    )
