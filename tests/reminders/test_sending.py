"""Check-in reminders and the weekly look back, sent by the due-finder job (eagerly here) at the
person's local time, across daylight-saving changes, once, and only while the day is unlogged."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from reminders import sending
from reminders.models import Delivery
from reminders.tasks import run_due_jobs
from tests.factories import DailyEntryFactory, UserFactory


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


@pytest.mark.parametrize(
    ("zone", "at", "skipped_day_start", "sent_at"),
    [
        ("Europe/Berlin", "02:30", "2026-03-28T23:00:00+00:00", "2026-03-29T01:00:00+00:00"),
        ("America/Los_Angeles", "02:30", "2026-03-08T08:00:00+00:00", "2026-03-08T10:00:00+00:00"),
        ("Pacific/Auckland", "02:30", "2026-09-26T11:00:00+00:00", "2026-09-26T14:00:00+00:00"),
    ],
)
def test_a_reminder_at_a_skipped_time_goes_when_the_clocks_jump(
    freeze_time, reminded, zone, at, skipped_day_start, sent_at
):
    freeze_time(skipped_day_start)
    person = reminded(zone, at)
    sent = datetime.datetime.fromisoformat(sent_at)

    freeze_time(sent - datetime.timedelta(minutes=1))
    run_due_jobs()
    assert mail.outbox == []

    freeze_time(sent)
    run_due_jobs()
    assert subjects() == ["Your Hearth check-in"]
    assert mail.outbox[0].to == [person.email]


@pytest.mark.parametrize(
    ("zone", "at", "first", "second"),
    [
        ("Europe/Berlin", "02:30", "2026-10-25T00:30:00+00:00", "2026-10-25T01:30:00+00:00"),
        ("America/Los_Angeles", "01:30", "2026-11-01T08:30:00+00:00", "2026-11-01T09:30:00+00:00"),
        ("Pacific/Auckland", "02:30", "2026-04-04T13:30:00+00:00", "2026-04-04T14:30:00+00:00"),
    ],
)
def test_a_reminder_in_a_repeated_hour_is_sent_once(freeze_time, reminded, zone, at, first, second):
    freeze_time(datetime.datetime.fromisoformat(first) - datetime.timedelta(hours=12))
    person = reminded(zone, at)
    for instant in (first, second):
        freeze_time(instant)
        run_due_jobs()
    assert subjects() == ["Your Hearth check-in"]
    person.refresh_from_db()
    assert person.reminder_due_at.astimezone(person.zone).date() > person.today()


def test_a_zone_without_daylight_saving_gets_its_reminder_every_evening(freeze_time, reminded):
    freeze_time("2026-03-28T00:00:00+00:00")
    reminded("Asia/Kolkata", "20:30")
    for day in (28, 29, 30):
        freeze_time(f"2026-03-{day}T15:00:00+00:00")
        run_due_jobs()
        run_due_jobs()
    assert subjects() == ["Your Hearth check-in"] * 3


def test_no_reminder_when_the_day_is_already_logged(freeze_time, reminded):
    freeze_time("2026-11-25T12:00:00+00:00")
    person = reminded("Europe/Berlin", "20:30")
    DailyEntryFactory(user=person, day=datetime.date(2026, 11, 25))
    freeze_time("2026-11-25T19:30:00+00:00")

    run_due_jobs()

    assert mail.outbox == []
    person.refresh_from_db()
    assert person.reminder_due_at.isoformat() == "2026-11-26T19:30:00+00:00"


def test_changing_time_zone_moves_the_reminder(freeze_time, reminded):
    freeze_time("2026-11-25T12:00:00+00:00")
    person = reminded("Europe/Berlin", "20:30")
    assert person.reminder_due_at.isoformat() == "2026-11-25T19:30:00+00:00"

    person.time_zone = "America/Los_Angeles"
    person.save(update_fields=["time_zone"])

    person.refresh_from_db()
    assert person.reminder_due_at.isoformat() == "2026-11-26T04:30:00+00:00"
    freeze_time("2026-11-25T19:30:00+00:00")
    run_due_jobs()
    assert mail.outbox == []
    freeze_time("2026-11-26T04:30:00+00:00")
    run_due_jobs()
    assert subjects() == ["Your Hearth check-in"]


def test_reminders_are_off_by_default_and_only_on_the_chosen_days(freeze_time, reminded):
    freeze_time("2026-11-23T00:00:00+00:00")  # Monday
    assert UserFactory().reminder_due_at is None
    reminded("UTC", "20:00", reminder_days=0b0000100)  # Wednesdays only
    for day in range(23, 30):
        freeze_time(f"2026-11-{day}T20:00:00+00:00")
        run_due_jobs()
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().local_date == datetime.date(2026, 11, 25)


def test_seven_unanswered_reminders_pause_them_and_say_so_once(freeze_time, reminded):
    freeze_time("2026-11-01T00:00:00+00:00")
    person = reminded("UTC", "20:00")
    for day in range(1, 12):
        freeze_time(f"2026-11-{day:02d}T20:00:00+00:00")
        run_due_jobs()

    assert subjects() == ["Your Hearth check-in"] * 7 + ["Your Hearth reminders are paused"]
    person.refresh_from_db()
    assert person.reminders_paused
    assert person.reminder_due_at is None
    assert "/reminders/resume/" in mail.outbox[-1].body


def test_coming_back_starts_the_count_again(freeze_time, reminded):
    freeze_time("2026-11-01T00:00:00+00:00")
    person = reminded("UTC", "20:00")
    for day in range(1, 7):  # six unanswered
        freeze_time(f"2026-11-{day:02d}T20:00:00+00:00")
        run_due_jobs()
    freeze_time("2026-11-07T09:00:00+00:00")
    DailyEntryFactory(user=person, day=datetime.date(2026, 11, 6))  # logged yesterday, late
    for day in range(7, 14):
        freeze_time(f"2026-11-{day:02d}T20:00:00+00:00")
        run_due_jobs()

    assert subjects() == ["Your Hearth check-in"] * 13
    person.refresh_from_db()
    assert person.reminders_unanswered == 7
    assert not person.reminders_paused


def test_resuming_after_a_pause_sends_again(freeze_time, reminded, client):
    freeze_time("2026-11-01T00:00:00+00:00")
    person = reminded("UTC", "20:00", reminders_paused=True, reminders_unanswered=7)
    assert person.reminder_due_at is None
    client.force_login(person)

    assert client.post("/reminders/resume/").status_code == 302

    person.refresh_from_db()
    assert not person.reminders_paused
    assert person.reminders_unanswered == 0
    freeze_time("2026-11-01T20:00:00+00:00")
    run_due_jobs()
    assert subjects() == ["Your Hearth check-in"]


def test_a_reminder_found_hours_late_is_dropped_and_the_next_one_kept(freeze_time, reminded):
    freeze_time("2026-11-25T12:00:00+00:00")
    person = reminded("UTC", "20:00")
    freeze_time("2026-11-25T23:30:00+00:00")  # workers were down all evening

    run_due_jobs()

    assert mail.outbox == []
    person.refresh_from_db()
    assert person.reminder_due_at.isoformat() == "2026-11-26T20:00:00+00:00"


def test_a_suspended_person_gets_no_reminder(freeze_time, reminded):
    freeze_time("2026-11-25T12:00:00+00:00")
    reminded("UTC", "20:00", is_active=False)
    freeze_time("2026-11-25T20:00:00+00:00")
    run_due_jobs()
    assert mail.outbox == []


def test_a_retried_job_sends_nothing_more(freeze_time, reminded):
    freeze_time("2026-11-25T12:00:00+00:00")
    person = reminded("UTC", "20:00")
    due = freeze_time("2026-11-25T20:00:00+00:00")

    assert sending.send_check_in(person.pk) == "sent"
    assert sending.send_check_in(person.pk) == "not due"
    # Even with the due moment put back (as if a second job had read it first), the row holds.
    person.reminder_due_at = due
    person.save(update_fields=["reminder_due_at"])
    assert sending.send_check_in(person.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_the_weekly_look_back_comes_on_its_day_and_hour(freeze_time, db):
    freeze_time("2026-11-23T00:00:00+00:00")  # Monday
    person = UserFactory(time_zone="Pacific/Auckland", weekly_day=6, weekly_hour=18)
    # Sunday 29 November, 18:00 in Auckland (UTC+13) is 05:00 UTC that day.
    assert person.weekly_due_at.isoformat() == "2026-11-29T05:00:00+00:00"
    freeze_time("2026-11-29T05:00:00+00:00")

    run_due_jobs()
    run_due_jobs()

    assert subjects() == ["Your week in Hearth is ready"]
    assert "/week/2026-W48/" in mail.outbox[0].body
    person.refresh_from_db()
    assert person.weekly_due_at.isoformat() == "2026-12-06T05:00:00+00:00"


def test_run_due_jobs_command_sends_what_is_due(freeze_time, reminded):
    freeze_time("2026-11-25T12:00:00+00:00")
    reminded("UTC", "20:00")
    freeze_time("2026-11-25T20:00:30+00:00")
    call_command("run_due_jobs")
    assert subjects() == ["Your Hearth check-in"]
