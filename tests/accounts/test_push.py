"""Push reminders on the person's side: "Remind me on this phone" subscribes a device (JSON,
session and CSRF), each device is listed on the sessions page with a remove button, signing out
forgets this device's subscription, and nobody reaches another person's devices."""

import datetime
import json
import os

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.test import Client
from py_vapid import Vapid

from accounts.models import PushSubscription
from tests.conftest import PASSWORD
from tests.pages import page, words
from tests.reminders.test_push_reminders import b64, browser_keys

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SUBSCRIBE = "/account/push/subscribe/"
UNSUBSCRIBE = "/account/push/unsubscribe/"
PROFILE = "/account/profile/"
SESSIONS = "/accounts/sessions/"
FIREFOX_ON_ANDROID = "Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0"
ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABsecret"


def browser_subscription(endpoint: str = ENDPOINT) -> dict:
    """What PushSubscription.toJSON() gives in a browser."""
    return {"endpoint": endpoint, "expirationTime": None, "keys": browser_keys()[1]}


def post_json(client: Client, url: str, body) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def push_offered(settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = "BPublicKeyForTests"
    settings.WEBPUSH_VAPID_PRIVATE_KEY = "private-key-for-tests"


@pytest.fixture
def phone(user):
    return PushSubscription.objects.create(
        user=user, endpoint=ENDPOINT, p256dh="p", auth="a", device="Firefox on Android"
    )


def test_make_vapid_keys_prints_a_pair_that_belongs_together(capsys):
    call_command("make_vapid_keys")
    keys = dict(line.split("=", 1) for line in capsys.readouterr().out.split())

    vapid = Vapid.from_string(keys["WEBPUSH_VAPID_PRIVATE_KEY"])
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert b64(public) == keys["WEBPUSH_VAPID_PUBLIC_KEY"]
    assert len(public) == 65


def test_subscribing_keeps_this_phone_and_turns_push_reminders_on(user):
    client = Client(HTTP_USER_AGENT=FIREFOX_ON_ANDROID)
    client.force_login(user)
    sent = browser_subscription()

    response = post_json(client, SUBSCRIBE, sent)

    assert response.status_code == 201
    subscription = user.push_subscriptions.get()
    assert response.json() == {"id": subscription.pk}
    assert (subscription.endpoint, subscription.p256dh, subscription.auth) == (
        ENDPOINT,
        sent["keys"]["p256dh"],
        sent["keys"]["auth"],
    )
    assert subscription.device == "Firefox on Android"
    assert subscription.session_key == client.session.session_key
    user.refresh_from_db()
    assert user.reminder_push is True


def test_subscribing_the_same_phone_again_keeps_one(signed_in, user):
    post_json(signed_in, SUBSCRIBE, browser_subscription())
    response = post_json(signed_in, SUBSCRIBE, browser_subscription())
    assert response.status_code == 200
    assert user.push_subscriptions.count() == 1


def test_a_phone_someone_else_subscribed_before_now_reminds_only_the_new_person(
    client, user, other_user
):
    client.force_login(other_user)
    post_json(client, SUBSCRIBE, browser_subscription())
    client.force_login(user)
    post_json(client, SUBSCRIBE, browser_subscription())

    assert list(PushSubscription.objects.values_list("user", flat=True)) == [user.pk]


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://updates.push.services.mozilla.com/wpush/v2/x",  # not encrypted in transit
        "https://127.0.0.1/push",  # the server's own network
        "https://evil.example/fcm.googleapis.com/x",
        "https://fcm.googleapis.com.evil.example/x",
        "not a link",
    ],
)
def test_an_address_that_is_not_a_known_push_service_is_refused(signed_in, user, endpoint):
    response = post_json(signed_in, SUBSCRIBE, browser_subscription(endpoint))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["endpoint"]
    assert not PushSubscription.objects.exists()


GOOD_KEY = b64(b"\x04" + os.urandom(64))
GOOD_AUTH = b64(os.urandom(16))


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"endpoint": ENDPOINT, "keys": {"p256dh": "short", "auth": GOOD_AUTH}}, ["p256dh"]),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": GOOD_KEY[1:], "auth": GOOD_AUTH}}, ["p256dh"]),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": GOOD_KEY, "auth": "x"}}, ["auth"]),
        ({"endpoint": ENDPOINT}, ["p256dh", "auth"]),
        ({"endpoint": ENDPOINT, "keys": "nonsense"}, ["p256dh", "auth"]),
        (["not", "an", "object"], ["endpoint", "p256dh", "auth"]),
    ],
)
def test_keys_that_are_not_a_browsers_are_refused(signed_in, body, fields):
    response = post_json(signed_in, SUBSCRIBE, body)

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == sorted(fields)
    assert not PushSubscription.objects.exists()


def test_a_body_that_is_not_json_is_refused(signed_in):
    response = signed_in.post(SUBSCRIBE, b"\xff{", content_type="application/json")
    assert response.status_code == 400


def test_subscribing_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert post_json(client, SUBSCRIBE, browser_subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_a_session(client):
    response = post_json(client, SUBSCRIBE, browser_subscription())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not PushSubscription.objects.exists()


def test_subscribing_is_not_offered_without_vapid_keys(signed_in, settings):
    settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    assert post_json(signed_in, SUBSCRIBE, browser_subscription()).status_code == 404
    assert not PushSubscription.objects.exists()


def test_stopping_reminders_on_this_phone_forgets_it(signed_in, phone):
    response = post_json(signed_in, UNSUBSCRIBE, {"endpoint": ENDPOINT})
    assert response.status_code == 204
    assert not PushSubscription.objects.exists()


def test_nobody_can_stop_another_persons_phone(client, other_user, phone):
    client.force_login(other_user)
    assert post_json(client, UNSUBSCRIBE, {"endpoint": ENDPOINT}).status_code == 404
    assert post_json(client, UNSUBSCRIBE, {"endpoint": ["x"]}).status_code == 404
    assert client.post(f"/account/push/{phone.pk}/remove/").status_code == 404
    assert PushSubscription.objects.get() == phone


def test_the_sessions_page_lists_each_phone_with_a_remove_button(signed_in, phone):
    html = page(signed_in.get(SESSIONS))

    assert "Where reminders arrive as notifications" in words(signed_in.get(SESSIONS))
    assert f'action="/account/push/{phone.pk}/remove/"' in html
    assert ENDPOINT not in html


def test_removing_a_phone_from_the_sessions_page(signed_in, phone):
    response = signed_in.post(f"/account/push/{phone.pk}/remove/", follow=True)

    assert response.redirect_chain == [(SESSIONS, 302)]
    assert "Reminders will no longer come to Firefox on Android." in words(response)
    assert not PushSubscription.objects.exists()


def test_nobody_sees_another_persons_phones(client, other_user, phone):
    client.force_login(other_user)
    response = client.get(SESSIONS)
    assert "Where reminders arrive as notifications" not in words(response)
    assert f"/account/push/{phone.pk}/" not in page(response)


def test_signing_out_forgets_this_phone_but_not_the_others(user):
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    post_json(client, SUBSCRIBE, browser_subscription())
    elsewhere = PushSubscription.objects.create(
        user=user, endpoint=ENDPOINT + "2", p256dh="p", auth="a", session_key="another-one"
    )

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "Clear-Site-Data" in response
    assert list(PushSubscription.objects.all()) == [elsewhere]


def test_signing_out_everywhere_else_forgets_the_other_phones_but_not_this_one(user):
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    post_json(client, SUBSCRIBE, browser_subscription())
    here = PushSubscription.objects.get(user=user)
    PushSubscription.objects.create(
        user=user, endpoint=ENDPOINT + "2", p256dh="p", auth="a", session_key="another-one"
    )

    response = client.post("/account/sessions/end-others/")

    assert response.status_code == 302
    assert list(PushSubscription.objects.all()) == [here]
    user.refresh_from_db()
    assert user.reminder_push


def test_the_service_worker_shows_the_notification_and_opens_the_log(client):
    script = client.get("/sw.js").content.decode()
    assert 'addEventListener("push"' in script
    assert "showNotification(" in script
    assert 'addEventListener("notificationclick"' in script
    assert "icons/icon-192" in script
    assert ': "/log/";' in script  # where a click goes unless the message names a Hearth page


def test_removing_the_last_phone_turns_push_reminders_off(signed_in, user, phone):
    user.reminder_time = datetime.time(20, 30)
    user.reminder_email, user.reminder_push = False, True
    user.save()
    assert user.reminder_due_at is not None
    second = PushSubscription.objects.create(
        user=user, endpoint=ENDPOINT + "2", p256dh="p", auth="a", device="Safari on iPhone"
    )

    signed_in.post(f"/account/push/{phone.pk}/remove/")
    user.refresh_from_db()
    assert user.reminder_push is True

    signed_in.post(f"/account/push/{second.pk}/remove/")
    user.refresh_from_db()
    assert user.reminder_push is False
    assert user.reminder_due_at is None  # no way left for it to arrive


def test_one_account_can_set_up_at_most_twenty_phones(signed_in, user):
    PushSubscription.objects.bulk_create(
        PushSubscription(user=user, endpoint=f"{ENDPOINT}{n}", p256dh="p", auth="a")
        for n in range(20)
    )

    refused = post_json(signed_in, SUBSCRIBE, browser_subscription())
    again = post_json(signed_in, SUBSCRIBE, browser_subscription(f"{ENDPOINT}7"))

    assert refused.status_code == 400
    assert "already come to 20 phones" in refused.json()["errors"]["__all__"][0]
    assert again.status_code == 200  # a phone already set up may renew its keys
    assert user.push_subscriptions.count() == 20
