"""The accounts list: status, two-factor and days logged per account; filters and search."""

import datetime

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import DailyEntryFactory, TotpAuthenticatorFactory, UserFactory
from tests.pages import words

USERS = "/" + settings.ADMIN_URL + "accounts/user/"


def rows(response) -> dict[str, tuple[str, str, int]]:
    """email -> (status, two-factor, days logged), as the list shows them."""
    user_admin = response.context["cl"].model_admin
    return {
        row.email: (user_admin.status(row), user_admin.two_factor(row), row.days_logged)
        for row in response.context["cl"].result_list
    }


def lock_out(email: str) -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        client.post("/accounts/login/", {"login": email, "password": "not the password"})


def test_each_account_shows_its_status_two_factor_and_days_logged(moderating, user, other_user):
    suspended = UserFactory(email="sus@example.org", is_active=False)
    TotpAuthenticatorFactory(user=other_user)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20))
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 21))
    lock_out(other_user.email)

    response = moderating.get(USERS)

    shown = rows(response)
    assert shown[user.email] == ("Active", "Off", 2)
    assert shown[other_user.email] == ("Locked out", "On", 0)
    assert shown[suspended.email] == ("Suspended", "Off", 0)
    text = words(response)
    assert "Locked out" in text and "Suspended" in text
    assert "two-factor" in text.lower()


def test_filtering_by_status(moderating, moderator, user, other_user):
    suspended = UserFactory(email="sus@example.org", is_active=False)
    lock_out(other_user.email)

    def listed(status: str) -> set[str]:
        return set(rows(moderating.get(USERS, {"status": status})))

    assert listed("suspended") == {suspended.email}
    assert listed("locked_out") == {other_user.email}
    assert listed("active") == {moderator.email, user.email, other_user.email}


def test_filtering_by_join_date(moderating, user, other_user):
    now = timezone.now()
    other_user.date_joined = now - datetime.timedelta(days=400)
    other_user.save()
    last_month = {
        "date_joined__gte": (now - datetime.timedelta(days=30)).isoformat(),
        "date_joined__lt": (now + datetime.timedelta(days=1)).isoformat(),
    }

    response = moderating.get(USERS, last_month)

    assert user.email in rows(response)
    assert other_user.email not in rows(response)
    assert "By date joined" in words(moderating.get(USERS))


def test_searching_by_email(moderating, user, other_user):
    response = moderating.get(USERS, {"q": "GRACE@"})

    assert set(rows(response)) == {other_user.email}


def test_the_list_takes_the_same_number_of_queries_for_three_or_thirty_accounts(moderating):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert moderating.get(USERS).status_code == 200
        return len(queries)

    for person in UserFactory.create_batch(2):
        DailyEntryFactory(user=person)
        TotpAuthenticatorFactory(user=person)
    few = queries_for_list()
    for person in UserFactory.create_batch(27):
        DailyEntryFactory(user=person)
        TotpAuthenticatorFactory(user=person)

    assert queries_for_list() == few
