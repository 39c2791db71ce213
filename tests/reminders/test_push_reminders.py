"""Check-in reminders as push notifications: the due job sends one encrypted message to each of
the person's devices through their push service (here a fake one on 127.0.0.1 that keeps what
it receives, decrypted with the device's own keys), with only the email's neutral words."""

import base64
import datetime
import io
import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.core.management import call_command
from py_vapid import Vapid

from accounts.models import PushSubscription
from reminders.models import Delivery
from reminders.tasks import run_due_jobs
from tests.factories import DailyEntryFactory, UserFactory

CHECK_IN = {
    "title": "Your Hearth check-in",
    "body": "A moment to log today, if you'd like to.",
    "url": "/log/",
}
# Nov 25 2026, set up at noon; the 20:30 Berlin reminder is due at 19:30 UTC.
SET_UP = "2026-11-25T12:00:00+00:00"
DUE = "2026-11-25T19:30:00+00:00"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def browser_keys() -> tuple[ec.EllipticCurvePrivateKey, dict]:
    """A browser's side of a subscription: its private key (to decrypt with) and the keys
    PushSubscription.toJSON() gives, its public key and auth secret in base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return key, {"p256dh": b64(public), "auth": b64(os.urandom(16))}


class FakePushService:
    """A push service on 127.0.0.1: keeps each request and answers with the status set for
    its path (201 Created, as real ones do, unless told otherwise)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append({"path": self.path, "headers": self.headers, "body": body})
                self.send_response(service.answers.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        """Stops answering; closing twice is harmless."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    service = FakePushService()
    yield service
    service.close()


def configure_vapid_keys(settings) -> dict:
    """Set a new pair from the management command, as the environment would."""
    out = io.StringIO()
    call_command("make_vapid_keys", stdout=out)
    keys = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.WEBPUSH_VAPID_PUBLIC_KEY = keys["WEBPUSH_VAPID_PUBLIC_KEY"]
    settings.WEBPUSH_VAPID_PRIVATE_KEY = keys["WEBPUSH_VAPID_PRIVATE_KEY"]
    settings.WEBPUSH_CONTACT = "mailto:support@example.org"
    return keys


@pytest.fixture
def vapid_keys(settings) -> dict:
    return configure_vapid_keys(settings)


@pytest.fixture
def phone(push_service):
    """Subscribe a device of `person` as a browser would: its own key pair and auth secret,
    kept here to decrypt what the push service receives."""
    devices = {}

    def make(person, name: str) -> PushSubscription:
        key, keys = browser_keys()
        path = f"/push/{name}-{b64(os.urandom(12))}"
        devices[path] = (key, unb64(keys["auth"]))
        return PushSubscription.objects.create(
            user=person, endpoint=push_service.origin + path, device="Firefox on Android", **keys
        )

    make.devices = devices
    return make


def decrypted(received: dict, devices: dict) -> dict:
    key, auth = devices[received["path"]]
    plain = http_ece.decrypt(
        received["body"], private_key=key, auth_secret=auth, version="aes128gcm"
    )
    return json.loads(plain)


@pytest.fixture
def person(freeze_time, reminded, vapid_keys):
    freeze_time(SET_UP)
    return reminded("Europe/Berlin", "20:30", reminder_push=True)


def test_a_due_reminder_reaches_each_phone_encrypted_with_only_neutral_words(
    freeze_time, person, phone, push_service, vapid_keys
):
    first, second = phone(person, "first"), phone(person, "second")
    other = UserFactory(reminder_time=datetime.time(20, 30), reminder_push=True)
    phone(other, "other")
    # Something private logged the day before: none of it may reach a push service.
    DailyEntryFactory(
        user=person, day=datetime.date(2026, 11, 24), stress=9, notes="Flare after sex, awful"
    )

    freeze_time(DUE)
    run_due_jobs()

    assert sorted(item["path"] for item in push_service.received) == sorted(
        [first.endpoint.removeprefix(push_service.origin),
         second.endpoint.removeprefix(push_service.origin)]
    )  # fmt: skip
    for item in push_service.received:
        assert decrypted(item, phone.devices) == CHECK_IN
        assert item["headers"]["Content-Encoding"] == "aes128gcm"
        assert item["headers"]["TTL"] == "3600"
        # Signed with Hearth's VAPID key (verified against the key it names), for this service.
        authorization = item["headers"]["Authorization"]
        assert Vapid.verify(authorization)
        fields = dict(
            part.split("=", 1) for part in authorization.removeprefix("vapid ").split(",")
        )
        assert fields["k"] == vapid_keys["WEBPUSH_VAPID_PUBLIC_KEY"]
        claims = json.loads(unb64(fields["t"].split(".")[1]))
        assert claims["aud"] == push_service.origin
        assert claims["sub"] == "mailto:support@example.org"
    assert [message.subject for message in mail.outbox] == ["Your Hearth check-in"]
    assert Delivery.objects.filter(person=person).count() == 1
    first.refresh_from_db()
    assert first.last_used_at.isoformat() == "2026-11-25T19:30:00+00:00"


def test_a_job_run_twice_sends_one_notification_per_phone(freeze_time, person, phone, push_service):
    phone(person, "only")
    freeze_time(DUE)
    run_due_jobs()
    run_due_jobs()
    assert len(push_service.received) == 1


def test_push_alone_sends_no_email(freeze_time, reminded, vapid_keys, phone, push_service):
    freeze_time(SET_UP)
    person = reminded("Europe/Berlin", "20:30", reminder_push=True, reminder_email=False)
    phone(person, "only")

    freeze_time(DUE)
    run_due_jobs()

    assert mail.outbox == []
    assert [decrypted(item, phone.devices) for item in push_service.received] == [CHECK_IN]


def test_no_notification_when_the_day_is_already_logged(freeze_time, person, phone, push_service):
    phone(person, "only")
    DailyEntryFactory(user=person, day=datetime.date(2026, 11, 25))
    freeze_time(DUE)
    run_due_jobs()
    assert push_service.received == []


def test_the_paused_notice_comes_by_push_too(
    freeze_time, reminded, vapid_keys, phone, push_service
):
    freeze_time(SET_UP)
    person = reminded("Europe/Berlin", "20:30", reminder_push=True, reminders_unanswered=7)
    phone(person, "only")

    freeze_time(DUE)
    run_due_jobs()

    assert [decrypted(item, phone.devices) for item in push_service.received] == [
        {
            "title": "Your Hearth reminders are paused",
            "body": "Turn them back on from your profile.",
            "url": "/account/profile/",
        }
    ]


@pytest.mark.parametrize("status", [404, 410])
def test_a_phone_the_push_service_no_longer_knows_is_removed(
    freeze_time, person, phone, push_service, status
):
    gone, kept = phone(person, "gone"), phone(person, "kept")
    push_service.answers[gone.endpoint.removeprefix(push_service.origin)] = status

    freeze_time(DUE)
    run_due_jobs()

    assert list(person.push_subscriptions.all()) == [kept]
    assert len(push_service.received) == 2
    person.refresh_from_db()
    assert person.reminder_push is True  # a phone is left


def test_when_the_last_phone_is_gone_push_reminders_turn_off(
    freeze_time, reminded, vapid_keys, phone, push_service
):
    freeze_time(SET_UP)
    person = reminded("Europe/Berlin", "20:30", reminder_push=True, reminder_email=False)
    gone = phone(person, "gone")
    push_service.answers[gone.endpoint.removeprefix(push_service.origin)] = 410

    freeze_time(DUE)
    run_due_jobs()

    person.refresh_from_db()
    assert not person.push_subscriptions.exists()
    assert person.reminder_push is False
    assert person.reminder_due_at is None


def test_other_failures_keep_the_phone_and_log_no_secret(
    freeze_time, person, phone, push_service, caplog
):
    failing = phone(person, "failing")
    secret_path = failing.endpoint.removeprefix(push_service.origin)
    push_service.answers[secret_path] = 500

    freeze_time(DUE)
    with caplog.at_level(logging.INFO):
        assert run_due_jobs() == 1

    assert list(person.push_subscriptions.all()) == [failing]
    assert f"Push to subscription {failing.pk} at 127.0.0.1 failed: status 500" in caplog.text
    assert secret_path.rsplit("-", 1)[1] not in caplog.text
    assert mail.outbox[0].subject == "Your Hearth check-in"  # the email still went


def test_an_unreachable_push_service_is_logged_and_the_email_still_goes(
    freeze_time, person, phone, push_service, caplog
):
    unreachable = phone(person, "unreachable")
    push_service.close()

    freeze_time(DUE)
    with caplog.at_level(logging.WARNING):
        run_due_jobs()

    assert f"Push to subscription {unreachable.pk} at 127.0.0.1 failed: ConnectionError" in (
        caplog.text
    )
    assert [message.subject for message in mail.outbox] == ["Your Hearth check-in"]


def test_without_vapid_keys_nothing_is_pushed(freeze_time, person, phone, push_service, settings):
    phone(person, "only")
    settings.WEBPUSH_VAPID_PRIVATE_KEY = ""

    freeze_time(DUE)
    run_due_jobs()

    assert push_service.received == []
    assert [message.subject for message in mail.outbox] == ["Your Hearth check-in"]
