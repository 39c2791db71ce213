"""The due-finder queues a job per chunk of people, not per person (one broker message each took
seconds for a busy minute), and each job still decides for every person on its own: once, in
that person's own transaction."""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from reminders import tasks
from reminders.models import Delivery
from tests.factories import UserFactory

REFUSED = "refused@example.org"


class RefusingOneAddress(EmailBackend):
    """A mail server that refuses one address and takes every other."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such mailbox")})
        return super().send_messages(messages)


@pytest.fixture
def queued_chunks(monkeypatch):
    """The person ids of every job queued, by task name; each job still runs (eagerly)."""
    queued: dict[str, list[list[int]]] = {"check_ins": [], "weeklies": []}
    for name, task in (("check_ins", tasks.send_check_ins), ("weeklies", tasks.send_weeklies)):

        def delay(person_ids, _task=task, _name=name):
            queued[_name].append(person_ids)
            return _task.apply(args=[person_ids])

        monkeypatch.setattr(task, "delay", delay)
    return queued


def test_due_people_are_queued_a_chunk_per_job_in_due_order(
    freeze_time, db, monkeypatch, queued_chunks
):
    monkeypatch.setattr(tasks, "PEOPLE_PER_JOB", 2)
    freeze_time("2026-11-25T12:00:00+00:00")
    people = [
        UserFactory(time_zone="UTC", reminder_time=datetime.time(19, minute)) for minute in range(5)
    ]
    weekly = UserFactory(time_zone="UTC", weekly_day=2, weekly_hour=19)
    freeze_time("2026-11-25T19:05:00+00:00")

    assert tasks.run_due_jobs() == 6

    ids = [person.pk for person in people]
    assert queued_chunks == {"check_ins": [ids[0:2], ids[2:4], ids[4:5]], "weeklies": [[weekly.pk]]}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        person.email for person in [*people, weekly]
    )


def test_a_busy_minute_takes_one_job_per_hundred_people(freeze_time, db, queued_chunks):
    freeze_time("2026-11-25T12:00:00+00:00")
    UserFactory.create_batch(201, time_zone="UTC", reminder_time=datetime.time(20, 0))
    freeze_time("2026-11-25T20:00:00+00:00")

    assert tasks.run_due_jobs() == 201

    assert [len(chunk) for chunk in queued_chunks["check_ins"]] == [100, 100, 1]
    assert len(mail.outbox) == Delivery.objects.count() == 201


def test_a_chunk_delivered_twice_sends_each_message_once(freeze_time, db):
    freeze_time("2026-11-25T12:00:00+00:00")
    people = UserFactory.create_batch(3, time_zone="UTC", reminder_time=datetime.time(20, 0))
    freeze_time("2026-11-25T20:00:00+00:00")
    ids = [person.pk for person in people]

    assert tasks.send_check_ins(ids) == ["sent"] * 3
    assert tasks.send_check_ins(ids) == ["not due"] * 3
    assert len(mail.outbox) == 3


def test_one_refused_address_does_not_stop_the_rest_of_its_chunk(freeze_time, db, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneAddress"
    freeze_time("2026-11-25T12:00:00+00:00")
    first, refused, last = (
        UserFactory(email=email, time_zone="UTC", reminder_time=datetime.time(20, 0))
        for email in ("first@example.org", REFUSED, "last@example.org")
    )
    freeze_time("2026-11-25T20:00:00+00:00")

    with caplog.at_level(logging.ERROR, logger="reminders.tasks"):
        outcomes = tasks.send_check_ins([first.pk, refused.pk, last.pk])

    assert outcomes == ["sent", "failed", "sent"]
    assert sorted(message.to[0] for message in mail.outbox) == [first.email, last.email]
    # Logged by id, never by address; and not tried again: at most once, never twice.
    assert f"person {refused.pk}" in caplog.text
    assert REFUSED not in caplog.text
    assert tasks.send_check_ins([refused.pk]) == ["not due"]


def test_the_weekly_look_backs_are_sent_in_chunks_too(freeze_time, db):
    freeze_time("2026-11-23T00:00:00+00:00")
    people = UserFactory.create_batch(2, time_zone="UTC", weekly_day=2, weekly_hour=20)
    freeze_time("2026-11-25T20:00:00+00:00")

    assert tasks.send_weeklies([person.pk for person in people]) == ["sent", "sent"]
    assert [message.subject for message in mail.outbox] == ["Your week in Hearth is ready"] * 2
