"""The import's background job, run by a Celery worker (config/celery.py), or at once in the
process that queues it when no broker is configured. It writes a Hearth file, or another app's
file already read and previewed (portability/importers: its extraction and the choices made)."""

import logging

from celery import shared_task
from django.db import IntegrityError, transaction

from accounts.models import SecurityEvent
from portability import importers
from portability.applying import RECORDS_CHANGED, apply_import
from portability.importing import check_days, check_import
from portability.models import ImportJob

logger = logging.getLogger(__name__)


def queue_import(job: ImportJob) -> None:
    """Runs the job once the transaction that saved it has committed, so the worker finds it."""
    transaction.on_commit(lambda: run_import.delay(job.pk))


@shared_task
def run_import(job_id: int) -> None:
    run_import_job(job_id)


def run_import_job(job_id: int) -> None:
    """The background side of a large import: checks the file, then writes all of it in one
    transaction or, if anything is wrong, nothing, recording how far it got and how it ended.
    Whatever happens, the file's text is cleared from the database when the job ends."""
    started = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING
    )
    if not started:
        return  # run already (a task delivered twice), or gone with the account
    job = ImportJob.objects.select_related("owner").get(pk=job_id)

    def progress(days_checked: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(days_checked=days_checked)

    try:
        queued = importers.queued(job.file_text)
        if queued:  # another app's file, previewed (portability/importers)
            extraction, choices = queued
            plan = check_days(
                job.owner,
                importers.rows(extraction, choices),
                importers.medications(extraction, choices),
                progress=progress,
            )
        else:
            plan = check_import(
                job.owner, job.kind, job.file_text, with_profile=job.with_profile, progress=progress
            )
        if plan.errors:
            job.fail(problems=plan.errors)
            return
        fill_empty = bool(queued) and queued[1].get("existing") == "fill"
        result = apply_import(job.owner, plan, overwrite=job.overwrite, fill_empty=fill_empty)
    except IntegrityError:
        # A day was saved in another tab between checking the file and writing it.
        job.fail(error=RECORDS_CHANGED)
        return
    except Exception:
        logger.exception("Import job %s failed", job_id)
        job.fail(
            error="Something went wrong while importing, so nothing was imported. Please "
            "import the file again; if it happens again, write to us."
        )
        return
    SecurityEvent.objects.create(user=job.owner, kind=SecurityEvent.Kind.IMPORT, device=job.device)
    job.finish(result.summary(overwrite=job.overwrite))
