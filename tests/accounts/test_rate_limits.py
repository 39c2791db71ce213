"""Brute-force protection: failed sign-ins, sign-ups and password resets are limited."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.pages import words

WRONG = "not the password at all"


def sign_in(client, email: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, user):
    for _ in range(5):
        assert "not correct" in words(sign_in(client, user.email, WRONG))

    locked = sign_in(client, user.email, PASSWORD)

    assert locked.status_code == 200
    assert "Too many failed login attempts. Try again later." in words(locked)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_applies_to_the_account_from_any_address(client, user):
    for attempt in range(5):
        sign_in(client, user.email, WRONG, address=f"203.0.113.{attempt}")

    locked = sign_in(client, user.email, PASSWORD, address="192.0.2.99")

    assert "Too many failed login attempts" in words(locked)


@pytest.mark.django_db
def test_the_answer_never_hints_whether_an_account_exists(client, user):
    for _ in range(5):
        known = words(sign_in(client, user.email, WRONG, address="198.51.100.1"))
        unknown = words(sign_in(client, "nobody@example.org", WRONG, address="198.51.100.2"))
        assert known == unknown.replace("nobody@example.org", user.email)

    assert words(sign_in(client, user.email, WRONG, address="198.51.100.1")) == words(
        sign_in(client, "nobody@example.org", WRONG, address="198.51.100.2")
    ).replace("nobody@example.org", user.email)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_slowed_down(client, user):
    for attempt in range(10):
        sign_in(client, f"guess{attempt}@example.org", WRONG)

    response = sign_in(client, user.email, PASSWORD)

    assert "Too many failed login attempts. Try again later." in words(response)
    assert "_auth_user_id" not in client.session
    # Another address is not held back by this one.
    assert sign_in(client, user.email, PASSWORD, address="192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_password_reset_emails_are_limited_per_address(client, user, mailoutbox):
    answers = [client.post("/accounts/password/reset/", {"email": user.email}) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [302] * 5 + [429]
    assert "Please wait a moment" in words(answers[5])
    assert len(mailoutbox) == 5


@pytest.mark.django_db
def test_sign_ups_from_one_address_are_limited():
    answers = [
        Client(REMOTE_ADDR="198.51.100.20")
        .post(
            "/accounts/signup/",
            {
                "email": f"new{n}@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "time_zone": "Europe/London",
                "consent": "on",
            },
        )
        .status_code
        for n in range(21)
    ]

    assert answers[:20] == [302] * 20
    assert answers[20] == 429
