"""Two beats or two workers running the same schedule at the same moment send one message: the
Delivery row, written in the transaction that decides, is the promise."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from reminders import sending
from reminders.models import Delivery
from reminders.tasks import run_due_jobs
from tests.conftest import load_migration_data
from tests.factories import UserFactory

RUNS = 4


@pytest.fixture
def committed_data(transactional_db):
    yield
    load_migration_data()


def run_at_once(job, times: int) -> list[BaseException]:
    """Run `job` in `times` threads (each with its own database connection) released together."""
    start = threading.Barrier(times)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_the_same_schedule_run_concurrently_sends_each_message_once(freeze_time, committed_data):
    freeze_time("2026-11-25T12:00:00+00:00")
    people = UserFactory.create_batch(
        3, time_zone="UTC", reminder_time=datetime.time(20, 0), weekly_day=2, weekly_hour=20
    )
    freeze_time("2026-11-25T20:00:00+00:00")

    assert run_at_once(run_due_jobs, RUNS) == []

    check_ins = [m for m in mail.outbox if m.subject == "Your Hearth check-in"]
    weeklies = [m for m in mail.outbox if m.subject == "Your week in Hearth is ready"]
    assert sorted(m.to[0] for m in check_ins) == sorted(p.email for p in people)
    assert sorted(m.to[0] for m in weeklies) == sorted(p.email for p in people)
    assert Delivery.objects.count() == 6


def test_concurrent_jobs_for_one_person_wait_for_each_other_and_one_sends(
    freeze_time, committed_data
):
    """The decision locks the person's row: the jobs that waited find the reminder no longer
    due. (test_sending.py's retried job shows the unique row refusing a second decision.)"""
    freeze_time("2026-11-25T12:00:00+00:00")
    person = UserFactory(time_zone="UTC", reminder_time=datetime.time(20, 0))
    freeze_time("2026-11-25T20:00:00+00:00")
    outcomes: list[str] = []

    def send() -> None:
        outcomes.append(sending.send_check_in(person.pk))

    assert run_at_once(send, RUNS) == []
    assert sorted(outcomes) == ["not due"] * (RUNS - 1) + ["sent"]
    assert len(mail.outbox) == 1
