"""The staff dashboard's figures: counts about accounts, computed in SQL, never anyone's records."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.lockout import all_locked_out_ids
from accounts.models import User
from tracker.models import DailyEntry

WEEKS = 12
ACTIVE_DAYS = 30


@dataclass(frozen=True)
class Figures:
    signups_per_week: list[tuple[datetime.date, int]]  # (Monday, sign-ups), oldest first
    accounts: int
    active_people: int
    suspended: int
    locked_out: int


def signups_per_week(today: datetime.date, weeks: int = WEEKS) -> list[tuple[datetime.date, int]]:
    """Sign-ups in each of the last `weeks` weeks (Monday to Sunday, UTC), empty weeks as 0."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    mondays = [this_monday - datetime.timedelta(weeks=n) for n in reversed(range(weeks))]
    counts = dict(
        User.objects.filter(date_joined__date__gte=mondays[0])
        .annotate(week=TruncWeek("date_joined", output_field=DateField()))
        .values("week")
        .annotate(signups=Count("pk"))
        .values_list("week", "signups")
    )
    return [(monday, counts.get(monday, 0)) for monday in mondays]


def active_people(today: datetime.date, days: int = ACTIVE_DAYS) -> int:
    """How many people logged at least one day in the last `days` days: a count of people, from
    the entries' owners only."""
    since = today - datetime.timedelta(days=days - 1)
    return DailyEntry.objects.filter(day__gte=since).aggregate(people=Count("user", distinct=True))[
        "people"
    ]


def figures() -> Figures:
    today = timezone.now().date()
    accounts = User.objects.aggregate(
        total=Count("pk"), suspended=Count("pk", filter=Q(is_active=False))
    )
    return Figures(
        signups_per_week=signups_per_week(today),
        accounts=accounts["total"],
        active_people=active_people(today),
        suspended=accounts["suspended"],
        locked_out=len(all_locked_out_ids()),
    )
