"""The staff dashboard counts check-in reminders sent per day: a count, never to whom."""

import datetime

import pytest
from django.conf import settings

from reminders.dashboard import figures
from reminders.models import Delivery
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("clock")  # Wednesday 25 November 2026, noon in London
DASHBOARD = "/" + settings.ADMIN_URL + "dashboard/"


def sent(person, kind: str, when: str) -> Delivery:
    at = datetime.datetime.fromisoformat(when)
    return Delivery.objects.create(person=person, kind=kind, local_date=at.date(), created_at=at)


def test_check_in_reminders_are_counted_per_day_for_fourteen_days(db):
    ada, grace = UserFactory.create_batch(2)
    sent(ada, Delivery.Kind.CHECK_IN, "2026-11-25T08:00:00+00:00")
    sent(grace, Delivery.Kind.CHECK_IN, "2026-11-25T09:00:00+00:00")
    sent(ada, Delivery.Kind.CHECK_IN, "2026-11-12T23:59:00+00:00")  # the oldest day shown
    sent(ada, Delivery.Kind.CHECK_IN, "2026-11-11T23:59:00+00:00")  # too long ago
    sent(grace, Delivery.Kind.WEEKLY, "2026-11-25T10:00:00+00:00")  # another kind

    days = figures().reminders_per_day

    assert len(days) == 14
    assert days[0] == (datetime.date(2026, 11, 12), 1)
    assert days[-1] == (datetime.date(2026, 11, 25), 2)
    assert sum(count for _, count in days) == 3


def test_the_tracker_figures_are_still_there(db):
    UserFactory.create_batch(2)
    assert figures().accounts == 2


def test_the_dashboard_page_shows_the_count_and_nobody(moderating):
    sent(UserFactory(email="someone@example.org"), "check_in", "2026-11-25T08:00:00+00:00")

    html = moderating.get(DASHBOARD).content.decode()

    assert "Check-in reminders sent per day (UTC), last 14 days" in html
    assert "25 November 2026</time></th><td>1</td>" in html
    assert "someone@example.org" not in html
