"""A save of the profile in the minute a message is due, before beat's look finds it, keeps the
message due: it goes this time, not the next day or the next week."""

import datetime

from django.core import mail

from reminders.models import Delivery
from reminders.tasks import run_due_jobs
from tests.factories import UserFactory

WEEKLY = "Your week in Hearth is ready"
CHECK_IN = "Your Hearth check-in"


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_a_profile_save_in_the_minute_the_weekly_look_back_is_due_keeps_it_this_week(
    freeze_time, client, user
):
    freeze_time("2026-11-23T00:00:00+00:00")  # Monday
    user.time_zone, user.weekly_day, user.weekly_hour = "Europe/Berlin", 2, 20
    user.save()
    freeze_time("2026-11-25T19:00:20+00:00")  # Wednesday 20:00:20 in Berlin
    client.force_login(user)

    response = client.post(
        "/account/profile/",
        {
            "display_name": "Robin",
            "time_zone": "Europe/Berlin",
            "idle_timeout_minutes": 720,
            "reminder_time": "",
            "weekly_day": "2",
            "weekly_hour": "20",
        },
    )
    assert response.status_code == 302
    freeze_time("2026-11-25T19:00:40+00:00")
    run_due_jobs()

    assert subjects() == [WEEKLY]
    user.refresh_from_db()
    assert user.display_name == "Robin"
    assert user.weekly_due_at.isoformat() == "2026-12-02T19:00:00+00:00"


def test_a_profile_save_in_the_minute_the_reminder_is_due_keeps_it_today(freeze_time, db):
    freeze_time("2026-11-25T12:00:00+00:00")
    person = UserFactory(time_zone="UTC", reminder_time=datetime.time(20, 0))
    freeze_time("2026-11-25T20:00:30+00:00")

    person.save()
    run_due_jobs()

    assert subjects() == [CHECK_IN]
    assert Delivery.objects.get().local_date == datetime.date(2026, 11, 25)


def test_a_new_time_chosen_in_the_due_minute_still_counts(freeze_time, db):
    freeze_time("2026-11-25T12:00:00+00:00")
    person = UserFactory(time_zone="UTC", reminder_time=datetime.time(20, 0))
    freeze_time("2026-11-25T20:00:30+00:00")

    person.reminder_time = datetime.time(21, 0)
    person.save()

    person.refresh_from_db()
    assert person.reminder_due_at.isoformat() == "2026-11-25T21:00:00+00:00"
    person.reminder_days = 0b1111011  # not Wednesdays
    person.save()
    person.refresh_from_db()
    assert person.reminder_due_at.isoformat() == "2026-11-26T21:00:00+00:00"


def test_a_save_from_a_copy_read_before_the_job_ran_sends_nothing_twice(freeze_time, db):
    freeze_time("2026-11-23T00:00:00+00:00")
    person = UserFactory(time_zone="UTC", weekly_day=2, weekly_hour=20)
    freeze_time("2026-11-25T20:00:10+00:00")
    read_by_a_request = type(person).objects.get(pk=person.pk)

    run_due_jobs()
    read_by_a_request.save()  # puts back the moment the job just sent for
    freeze_time("2026-11-25T20:01:00+00:00")
    run_due_jobs()

    assert subjects() == [WEEKLY]
    person.refresh_from_db()
    assert person.weekly_due_at.isoformat() == "2026-12-02T20:00:00+00:00"


def test_a_save_after_the_message_went_keeps_the_next_one(freeze_time, db):
    freeze_time("2026-11-23T00:00:00+00:00")
    person = UserFactory(time_zone="UTC", weekly_day=2, weekly_hour=20)
    freeze_time("2026-11-25T20:00:10+00:00")
    run_due_jobs()

    person.refresh_from_db()
    person.save()

    person.refresh_from_db()
    assert person.weekly_due_at.isoformat() == "2026-12-02T20:00:00+00:00"
