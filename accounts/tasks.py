"""The accounts app's background jobs, run by a Celery worker (config/celery.py), or at once in
the process that queues them when no broker is configured."""

from celery import shared_task
from django.db import transaction

from accounts import data_rights
from accounts.models import ImportJob


@shared_task
def run_import(job_id: int) -> None:
    data_rights.run_import_job(job_id)


def queue_import(job: ImportJob) -> None:
    """Runs the job once the transaction that saved it has committed, so the worker finds it."""
    transaction.on_commit(lambda: run_import.delay(job.pk))
