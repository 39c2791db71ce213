"""Sign-up never tells anyone whether an address already has an account: with email
verification mandatory (production's default), an address in use is answered exactly like a new
one, and its owner is mailed instead."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import get_hasher

from accounts.models import User
from tests.conftest import PASSWORD
from tests.pages import words

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mandatory_verification(settings):
    """What production runs with (DEBUG off); development and the tests default to optional."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def sign_up(client, email: str):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "Europe/Paris",
            "consent": "on",
        },
    )


def answer(client, email: str) -> tuple[int, str, str]:
    """What the person signing up sees: the status, where it leads, and that page's text."""
    response = sign_up(client, email)
    landing = client.get(response["Location"])
    return response.status_code, response["Location"], words(landing).replace(email, "EMAIL")


def test_an_address_in_use_is_answered_exactly_like_a_new_one(client, user):
    in_use = answer(client, user.email)
    client.cookies.clear()
    new = answer(client, "someone.new@example.org")

    assert in_use == new
    assert in_use[0] == 302
    assert "A user is already registered" not in in_use[2]


def test_an_address_in_use_with_other_capitals_makes_no_second_account(client, user):
    sign_up(client, "Ada@Example.org")

    assert list(User.objects.values_list("email", flat=True)) == ["ada@example.org"]


def test_the_owner_of_an_address_in_use_is_told_someone_tried_to_sign_up(client, user, mailoutbox):
    sign_up(client, user.email)

    [mail] = mailoutbox
    assert mail.to == [user.email]
    assert mail.subject == "[Hearth] Someone tried to sign up with your address"
    assert "already has a Hearth account" in mail.body
    assert re.search(r"http://testserver/accounts/password/reset/", mail.body)
    assert "Hello from" not in mail.body


def test_a_new_address_is_sent_a_link_to_confirm_it_before_signing_in(client, mailoutbox):
    response = sign_up(client, "someone.new@example.org")
    too_soon = client.post(
        "/accounts/login/", {"login": "someone.new@example.org", "password": PASSWORD}
    )

    assert response["Location"] == "/accounts/confirm-email/"
    assert too_soon["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    [mail] = mailoutbox
    assert mail.to == ["someone.new@example.org"]
    assert mail.subject == "[Hearth] Confirm your email address"
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.body)
    assert link

    client.post(link[1])

    assert EmailAddress.objects.get(email="someone.new@example.org").verified
    assert User.objects.get(email="someone.new@example.org").time_zone == "Europe/Paris"
    signed_in = client.post(
        "/accounts/login/", {"login": "someone.new@example.org", "password": PASSWORD}
    )
    assert signed_in["Location"] == "/log/"


def test_an_address_in_use_costs_the_same_password_hashing_as_a_new_one(client, user, monkeypatch):
    """Hashing the password is what makes creating an account slow (about 0.3 s); the answer
    for an address in use hashes it too, so its timing gives nothing away."""
    hashed = []
    hasher = get_hasher()
    encode = hasher.encode
    monkeypatch.setattr(
        type(hasher), "encode", lambda self, *args: hashed.append(args[0]) or encode(*args)
    )

    sign_up(client, user.email)
    in_use = len(hashed)
    client.cookies.clear()
    sign_up(client, "someone.new@example.org")

    assert in_use == 1
    assert hashed == [PASSWORD, PASSWORD]
