"""The reminders' background jobs, run by a Celery worker (config/celery.py) with beat calling
run_due_jobs every minute, or at once in the calling process when no broker is configured.
Every job may run twice, or at once on two workers: sending.py makes that send once."""

import datetime
import logging
from collections.abc import Callable

from celery import shared_task
from django.utils import timezone

from reminders import sending

logger = logging.getLogger(__name__)

# People per queued job. One broker message per person took about 1 ms each, seconds for the
# busiest minute (bench/reminders.sh); a job per chunk still decides for each person in their
# own transaction, and the chunks spread over the workers.
PEOPLE_PER_JOB = 100


@shared_task
def run_due_jobs() -> int:
    """Finds everyone due now and queues their messages, a job per chunk of people; returns how
    many people it queued."""
    return queue_due_jobs(timezone.now())


def queue_due_jobs(now: datetime.datetime) -> int:
    check_ins = sending.due_for_check_in(now)
    weeklies = sending.due_for_weekly(now)
    for chunk in _chunks(check_ins):
        send_check_ins.delay(chunk)
    for chunk in _chunks(weeklies):
        send_weeklies.delay(chunk)
    return len(check_ins) + len(weeklies)


def _chunks(person_ids: list[int]) -> list[list[int]]:
    return [
        person_ids[first : first + PEOPLE_PER_JOB]
        for first in range(0, len(person_ids), PEOPLE_PER_JOB)
    ]


@shared_task
def send_check_ins(person_ids: list[int]) -> list[str]:
    return _send_each(sending.send_check_in, person_ids)


@shared_task
def send_weeklies(person_ids: list[int]) -> list[str]:
    return _send_each(sending.send_weekly, person_ids)


def _send_each(send: Callable[[int], str], person_ids: list[int]) -> list[str]:
    """What happened for each person, in order. One person's failure (a mail server refusing
    their address) is logged and the others are still sent theirs: "failed" for that person."""
    outcomes = []
    for person_id in person_ids:
        try:
            outcomes.append(send(person_id))
        except Exception:
            logger.exception("Reminder job failed for person %s", person_id)
            outcomes.append("failed")
    return outcomes
