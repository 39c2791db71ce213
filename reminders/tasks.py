"""The reminders' background jobs, run by a Celery worker (config/celery.py) with beat calling
run_due_jobs every minute, or at once in the calling process when no broker is configured.
Every job may run twice, or at once on two workers: sending.py makes that send once."""

import datetime

from celery import shared_task
from django.utils import timezone

from reminders import sending


@shared_task
def run_due_jobs() -> int:
    """Finds everyone due now and queues one job per message; returns how many it queued."""
    return queue_due_jobs(timezone.now())


def queue_due_jobs(now: datetime.datetime) -> int:
    check_ins = sending.due_for_check_in(now)
    weeklies = sending.due_for_weekly(now)
    for person_id in check_ins:
        send_check_in.delay(person_id)
    for person_id in weeklies:
        send_weekly.delay(person_id)
    return len(check_ins) + len(weeklies)


@shared_task
def send_check_in(person_id: int) -> str:
    return sending.send_check_in(person_id)


@shared_task
def send_weekly(person_id: int) -> str:
    return sending.send_weekly(person_id)
