"""The devices page: a person sees where they are signed in and signs out any one of them."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from accounts.models import SecurityEvent
from tests.conftest import PASSWORD
from tests.pages import words

pytestmark = pytest.mark.django_db

FIREFOX_ON_ANDROID = "Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def signed_in_on(user, user_agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    assert (
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_the_page_names_each_device_coarsely_and_marks_this_one(user):
    phone = signed_in_on(user, FIREFOX_ON_ANDROID)
    signed_in_on(user, SAFARI_ON_IPHONE)

    text = words(phone.get("/accounts/sessions/"))

    assert "Firefox on Android This device" in text
    assert "Safari on iPhone" in text
    assert "Mozilla/5.0" not in text


def test_signing_out_one_other_device_leaves_the_rest_signed_in(user):
    phone = signed_in_on(user, FIREFOX_ON_ANDROID)
    tablet = signed_in_on(user, SAFARI_ON_IPHONE)
    laptop = signed_in_on(user, "Mozilla/5.0 (Windows NT 10.0) Chrome/140.0 Safari/537.36")
    tablet_session = UserSession.objects.get(user=user, user_agent=SAFARI_ON_IPHONE)

    response = phone.post(f"/account/sessions/{tablet_session.pk}/end/")

    assert response.status_code == 302
    assert "Signed out Safari on iPhone." in words(phone.get("/accounts/sessions/"))
    assert tablet.get("/log/").status_code == 302  # sent to sign in
    assert laptop.get("/log/").status_code == 200
    assert phone.get("/log/").status_code == 200
    assert (
        SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SESSIONS_ENDED).count() == 1
    )


def test_another_persons_session_cannot_be_ended(user, other_user):
    mine = signed_in_on(user, FIREFOX_ON_ANDROID)
    theirs = signed_in_on(other_user, SAFARI_ON_IPHONE)
    their_session = UserSession.objects.get(user=other_user)

    response = mine.post(f"/account/sessions/{their_session.pk}/end/")

    assert response.status_code == 404
    assert theirs.get("/log/").status_code == 200


def test_this_device_is_not_ended_from_the_list(user):
    phone = signed_in_on(user, FIREFOX_ON_ANDROID)
    current = UserSession.objects.get(user=user)

    phone.post(f"/account/sessions/{current.pk}/end/")

    assert phone.get("/log/").status_code == 200


def test_ending_a_session_needs_a_post(user):
    phone = signed_in_on(user, FIREFOX_ON_ANDROID)
    current = UserSession.objects.get(user=user)

    assert phone.get(f"/account/sessions/{current.pk}/end/").status_code == 405
