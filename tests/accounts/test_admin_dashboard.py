"""The staff dashboard: sign-ups per week, active people, suspended and locked-out counts."""

import datetime

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import DailyEntryFactory, UserFactory
from tests.pages import page
from tracker.dashboard import figures

DASHBOARD = "/" + settings.ADMIN_URL + "dashboard/"
MID_WEEK = "2026-11-25T11:30:00+00:00"  # A Wednesday: this week began on Monday 23 November.


def joined(when: str, **fields):
    return UserFactory(date_joined=datetime.datetime.fromisoformat(when), **fields)


def test_sign_ups_are_counted_per_week_for_twelve_weeks(freeze_time, db):
    freeze_time(MID_WEEK)
    joined("2026-11-23T00:00:00+00:00")
    joined("2026-11-25T09:00:00+00:00")
    joined("2026-11-22T23:59:00+00:00")  # Sunday: the week before.
    joined("2026-09-07T08:00:00+00:00")  # Monday of the oldest week shown.
    joined("2026-09-06T08:00:00+00:00")  # Too long ago.

    weeks = figures().signups_per_week

    assert len(weeks) == 12
    assert weeks[0] == (datetime.date(2026, 9, 7), 1)
    assert weeks[-2] == (datetime.date(2026, 11, 16), 1)
    assert weeks[-1] == (datetime.date(2026, 11, 23), 2)
    assert sum(count for _, count in weeks) == 4


def test_active_people_logged_a_day_in_the_last_30_days(freeze_time, db):
    freeze_time(MID_WEEK)
    regular, lapsed, new = UserFactory.create_batch(3)
    for day in (1, 2, 3):
        DailyEntryFactory(user=regular, day=datetime.date(2026, 11, day))
    DailyEntryFactory(user=lapsed, day=datetime.date(2026, 10, 26))  # 30 days before the 25th.
    DailyEntryFactory(user=new, day=datetime.date(2026, 10, 27))

    assert figures().active_people == 2


def test_suspended_and_locked_out_accounts_are_counted(user, other_user):
    UserFactory(is_active=False)
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "not the password"})

    counts = figures()

    assert (counts.accounts, counts.suspended, counts.locked_out) == (3, 1, 1)


def test_the_figures_take_four_queries_however_many_people(db, django_assert_num_queries):
    for person in UserFactory.create_batch(20):
        DailyEntryFactory(user=person)

    with django_assert_num_queries(4):
        figures()


def test_the_dashboard_shows_the_figures_as_tables_and_no_records(moderating, user):
    DailyEntryFactory(user=user, notes="PLANTED-NOTE-TEXT")
    today = timezone.now().date()
    monday = today - datetime.timedelta(days=today.weekday())

    response = moderating.get(DASHBOARD)

    assert response.status_code == 200
    html = page(response)
    assert '<th scope="row">Active people (logged a day in the last 30 days)</th><td>1</td>' in html
    assert "<caption>Sign-ups per week, last 12 weeks</caption>" in html
    this_week = f'<time datetime="{monday:%Y-%m-%d}">{monday.day} {monday:%B %Y}</time>'
    assert f"{this_week}</th><td>2</td>" in html  # The person and the moderator.
    assert "PLANTED-NOTE-TEXT" not in html
    assert user.email not in html
