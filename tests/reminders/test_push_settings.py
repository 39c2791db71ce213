"""The push channel in the reminder settings: offered beside email only when VAPID keys are set,
with the "Remind me on this phone" control; a push-only reminder needs a phone set up first."""

import re

import pytest

from accounts.models import PushSubscription
from tests.pages import page
from tests.reminders.test_reminder_settings import PROFILE, profile_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # 25 Nov 2026, noon


@pytest.fixture
def vapid_keys(settings):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = "BPublicKeyForTests"
    settings.WEBPUSH_VAPID_PRIVATE_KEY = "private-key-for-tests"


def phone_of(person) -> PushSubscription:
    return PushSubscription.objects.create(
        user=person,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{person.pk}",
        p256dh="p",
        auth="a",
        device="Chrome on Android",
    )


@pytest.mark.usefixtures("vapid_keys")
def test_the_profile_offers_push_beside_email_with_the_phone_control(signed_in):
    html = page(signed_in.get(PROFILE))

    assert re.search(r'<label for="id_reminder_push">As a notification on my phones</label>', html)
    assert '<button type="button" class="button button--small" data-push-subscribe>' in html
    assert 'data-push-key="BPublicKeyForTests"' in html
    assert 'data-subscribe-url="/account/push/subscribe/"' in html
    assert re.search(r'<script src="/static/js/push\.js[^"]*" defer></script>', html)
    # Strict CSP: every script is a file, none inline.
    assert all(
        "src=" in tag or "application/json" in tag for tag in re.findall(r"<script[^>]*>", html)
    )


def test_without_vapid_keys_push_is_not_offered(signed_in, user):
    html = page(signed_in.get(PROFILE))

    assert "reminder_push" not in html
    assert "push.js" not in html
    signed_in.post(PROFILE, profile_data(reminder_push="on"))
    user.refresh_from_db()
    assert user.reminder_push is False


@pytest.mark.usefixtures("vapid_keys")
def test_push_alone_needs_a_phone_set_up_first_and_keeps_the_values(signed_in, user, other_user):
    phone_of(other_user)  # someone else's phone does not count

    response = signed_in.post(
        PROFILE, profile_data(display_name="Ada", reminder_email=None, reminder_push="on")
    )

    assert response.status_code == 200
    html = page(response)
    assert "No phone is set up for notifications yet" in html
    assert 'name="display_name" value="Ada"' in html
    assert 'value="20:30"' in html
    user.refresh_from_db()
    assert user.reminder_time is None
    assert user.reminder_due_at is None


@pytest.mark.usefixtures("vapid_keys")
def test_push_alone_with_a_phone_schedules_the_reminder(signed_in, user):
    phone_of(user)

    response = signed_in.post(PROFILE, profile_data(reminder_email=None, reminder_push="on"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.reminder_email, user.reminder_push) == (False, True)
    assert user.reminder_due_at.isoformat() == "2026-11-25T20:30:00+00:00"


@pytest.mark.usefixtures("vapid_keys")
def test_a_reminder_with_no_way_to_arrive_names_both_ways(signed_in, user):
    response = signed_in.post(PROFILE, profile_data(reminder_email=None))

    assert response.status_code == 200
    assert "Tick “by email” or “as a notification on my phones”" in page(response)
    user.refresh_from_db()
    assert user.reminder_due_at is None
