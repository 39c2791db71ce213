"""Sign-in lockouts: five failed sign-ins lock an account; the admin shows it and can clear it."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from accounts.lockout import all_locked_out_ids, clear_lockout, is_locked_out, locked_out_ids
from accounts.models import ModerationAction
from tests.conftest import NOW, PASSWORD
from tests.factories import UserFactory
from tests.pages import page, words

USERS = "/" + settings.ADMIN_URL + "accounts/user/"
LOCKED_MESSAGE = "Too many failed login attempts. Try again later."


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def fail_five_times(email: str, address: str = "10.0.0.1", host: str = "testserver") -> None:
    client = Client(REMOTE_ADDR=address, HTTP_HOST=host)
    for _ in range(5):
        response = sign_in(client, email, "not the password")
        assert response.status_code == 200


def is_signed_in_as(client: Client, person) -> bool:
    return client.session.get("_auth_user_id") == str(person.pk)


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(user):
    fail_five_times(user.email)
    client = Client(REMOTE_ADDR="10.0.0.2")

    response = sign_in(client, user.email)

    assert LOCKED_MESSAGE in words(response)
    assert not is_signed_in_as(client, user)
    assert is_locked_out(user)


def test_four_failed_sign_ins_do_not_lock_the_account(user):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(4):
        sign_in(client, user.email, "not the password")

    assert not is_locked_out(user)
    sign_in(client, user.email)
    assert is_signed_in_as(client, user)


def test_the_lockout_page_does_not_reveal_whether_the_account_exists(user):
    fail_five_times(user.email, address="10.0.0.1")
    fail_five_times("nobody@example.org", address="10.0.0.2")

    existing = sign_in(Client(REMOTE_ADDR="10.0.0.3"), user.email)
    missing = sign_in(Client(REMOTE_ADDR="10.0.0.4"), "nobody@example.org")

    assert LOCKED_MESSAGE in words(existing)
    assert words(existing) == words(missing)


def test_a_lockout_follows_the_account_whatever_host_name_was_used(user):
    client_a = Client(REMOTE_ADDR="10.0.0.1", HTTP_HOST="localhost")
    client_b = Client(REMOTE_ADDR="10.0.0.1", HTTP_HOST="127.0.0.1")
    for client in (client_a, client_b, client_a, client_b, client_a):
        sign_in(client, user.email, "not the password")

    assert LOCKED_MESSAGE in words(sign_in(client_b, user.email))
    assert is_locked_out(user)


def test_the_address_case_does_not_matter(user):
    fail_five_times(user.email.upper())

    assert is_locked_out(user)


def test_failed_sign_ins_at_a_second_address_lock_the_account(user):
    EmailAddress.objects.create(user=user, email="ada.second@example.org", verified=True)

    fail_five_times("ada.second@example.org")

    assert is_locked_out(user)
    clear_lockout(user)
    assert not is_locked_out(user)


def test_the_lockout_ends_with_its_five_minute_window(user, freeze_time):
    start = freeze_time(NOW)
    fail_five_times(user.email)
    assert is_locked_out(user)

    freeze_time(start + datetime.timedelta(minutes=5, seconds=1))

    assert not is_locked_out(user)


def test_clearing_one_lockout_leaves_the_others(user, other_user):
    fail_five_times(user.email, address="10.0.0.1")
    fail_five_times(other_user.email, address="10.0.0.2")

    clear_lockout(user)

    assert not is_locked_out(user)
    assert is_locked_out(other_user)
    assert all_locked_out_ids() == {other_user.pk}
    assert locked_out_ids([user, other_user]) == {other_user.pk}


def test_the_admin_shows_the_lockout_and_filters_by_it(moderating, user, other_user):
    fail_five_times(user.email)

    everyone = moderating.get(USERS)
    locked = moderating.get(USERS, {"status": "locked_out"})

    statuses = {row.email: row.locked_out for row in everyone.context["cl"].result_list}
    assert statuses[user.email] and not statuses[other_user.email]
    assert "Locked out" in words(everyone)
    assert [row.email for row in locked.context["cl"].result_list] == [user.email]


def test_clearing_the_lockout_lets_the_right_password_in_and_is_logged(moderating, moderator, user):
    fail_five_times(user.email)

    response = moderating.post(
        USERS,
        {
            "action": "clear_lockouts",
            "_selected_action": [user.pk],
            "apply": "1",
            "reason": "Wrote to support, identity checked.",
        },
    )

    assert response.status_code == 302
    assert not is_locked_out(user)
    line = ModerationAction.objects.get()
    assert (line.action, line.target, line.moderator) == ("clear_lockout", user, moderator)
    assert line.reason == "Wrote to support, identity checked."
    client = Client(REMOTE_ADDR="10.0.0.9")
    sign_in(client, user.email)
    assert is_signed_in_as(client, user)


def test_clearing_a_lockout_first_asks_for_a_reason(moderating, user):
    fail_five_times(user.email)

    response = moderating.post(USERS, {"action": "clear_lockouts", "_selected_action": [user.pk]})

    assert 'name="reason"' in page(response)
    assert is_locked_out(user)
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("accounts", [1, 30])
def test_checking_every_account_reads_the_cache_in_batches(
    accounts, user, django_assert_num_queries
):
    UserFactory.create_batch(accounts)
    fail_five_times(user.email)

    with django_assert_num_queries(1):
        assert all_locked_out_ids() == {user.pk}
