"""Reminder settings on the profile page and at the end of sign-up: off by default, checked
like every field (the values kept and the error by the field), each person's own."""

import datetime
import re

import pytest
from django.core.cache import cache

from accounts.models import User
from tests.conftest import PASSWORD
from tests.pages import page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # 25 Nov 2026, noon

PROFILE = "/account/profile/"


def profile_data(**changes) -> dict:
    data = {
        "display_name": "",
        "time_zone": "Europe/London",
        "idle_timeout_minutes": 720,
        "reminder_time": "20:30",
        "reminder_days": ["0", "1", "2", "3", "4"],
        "reminder_email": "on",
        "weekly_day": "6",
        "weekly_hour": "18",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_profile_offers_reminders_off_by_default(signed_in):
    html = page(signed_in.get(PROFILE))
    assert re.search(r'<input type="time" name="reminder_time"[^>]*>', html)
    assert 'value="20:30"' not in html
    assert "Email is not private" in html
    assert re.search(r'<label for="id_reminder_time">Remind me at</label>', html)


def test_saving_reminders_schedules_them_for_this_person_only(signed_in, user, other_user):
    response = signed_in.post(PROFILE, profile_data())

    assert response.status_code == 302
    user.refresh_from_db()
    other_user.refresh_from_db()
    assert user.reminder_time == datetime.time(20, 30)
    assert user.reminder_weekdays == {0, 1, 2, 3, 4}
    # Wednesday, 20:30 in London.
    assert user.reminder_due_at.isoformat() == "2026-11-25T20:30:00+00:00"
    assert user.weekly_due_at.isoformat() == "2026-11-29T18:00:00+00:00"
    assert other_user.reminder_time is None
    assert other_user.reminder_due_at is None
    assert other_user.weekly_due_at is None


def test_the_profile_shows_the_saved_reminder(signed_in, user):
    signed_in.post(PROFILE, profile_data())
    html = page(signed_in.get(PROFILE))
    assert re.search(r'name="reminder_time" value="20:30"', html)
    assert re.search(r'name="reminder_days" value="4"[^>]*checked', html)
    assert not re.search(r'name="reminder_days" value="5"[^>]*checked', html)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reminder_days": None}, "reminder_days", "Tick at least one day"),
        ({"reminder_email": None}, "reminder_email", "Tick “by email”"),
        ({"reminder_time": "25:00"}, "reminder_time", "Enter a time such as 20:30"),
        ({"reminder_days": ["7"]}, "reminder_days", "Select a valid choice"),
        ({"weekly_day": "9"}, "weekly_day", "Pick a day of the week"),
        ({"weekly_hour": "24"}, "weekly_hour", "Pick an hour"),
    ],
)
def test_a_reminder_that_could_never_come_is_refused_with_values_kept(
    signed_in, user, changes, field, message
):
    response = signed_in.post(PROFILE, profile_data(display_name="Ada", **changes))

    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert 'name="display_name" value="Ada"' in html
    user.refresh_from_db()
    assert user.display_name == ""  # nothing saved, the profile's fields neither
    assert user.reminder_due_at is None


def test_emptying_the_time_turns_reminders_off(signed_in, user):
    signed_in.post(PROFILE, profile_data())
    signed_in.post(PROFILE, profile_data(reminder_time="", weekly_day=""))
    user.refresh_from_db()
    assert user.reminder_due_at is None
    assert user.weekly_due_at is None


def test_changing_a_paused_reminder_starts_it_again(signed_in, user):
    user.reminder_time = datetime.time(20, 30)
    user.reminders_paused = True
    user.reminders_unanswered = 7
    user.save()
    assert "Your reminders are paused" in page(signed_in.get(PROFILE))

    signed_in.post(PROFILE, profile_data(reminder_time="21:00"))

    user.refresh_from_db()
    assert not user.reminders_paused
    assert user.reminders_unanswered == 0
    assert user.reminder_due_at.isoformat() == "2026-11-25T21:00:00+00:00"


def test_moving_time_zone_on_the_profile_moves_the_reminder(signed_in, user):
    signed_in.post(PROFILE, profile_data())
    signed_in.post(PROFILE, profile_data(time_zone="America/Los_Angeles"))
    user.refresh_from_db()
    assert user.reminder_due_at.isoformat() == "2026-11-26T04:30:00+00:00"


def signup(client, **changes):
    cache.clear()
    data = {
        "email": "new.person@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "Europe/Berlin",
        "consent": "on",
    }
    data.update(changes)
    return client.post("/accounts/signup/", {k: v for k, v in data.items() if v is not None})


def test_sign_up_offers_a_reminder_at_its_end(client):
    html = page(client.get("/accounts/signup/"))
    assert html.index('name="consent"') < html.index('name="reminder_time"')
    assert re.search(r'name="reminder_email"[^>]*checked', html)


def test_signing_up_without_a_time_leaves_reminders_off(client):
    assert signup(client).status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.reminder_time is None
    assert person.reminder_due_at is None


def test_signing_up_with_a_time_schedules_the_reminder_in_the_chosen_zone(client):
    response = signup(client, reminder_time="20:30", reminder_days=["2", "3"], reminder_email="on")
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.reminder_weekdays == {2, 3}
    assert person.reminder_due_at.isoformat() == "2026-11-25T19:30:00+00:00"


def test_sign_up_refuses_a_reminder_without_days_and_makes_no_account(client):
    response = signup(client, reminder_time="20:30", reminder_email="on")
    assert response.status_code == 200
    assert "Tick at least one day" in page(response)
    assert not User.objects.filter(email="new.person@example.org").exists()
