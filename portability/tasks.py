"""The import's background job, run by a Celery worker (config/celery.py), or at once in the
process that queues it when no broker is configured. It writes a Hearth file, or another app's
file already read and previewed (portability/importers: its extraction and the choices made).
Before that, a large Apple Health export is read here too (read_upload), from its encrypted copy
(portability/upload_store.py), into the extraction its preview shows."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SecurityEvent
from portability import importers, upload_store
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
        fill_empty = job.fill_empty or (bool(queued) and queued[1].get("existing") == "fill")
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


# A large file of another app (ImportJob kind "file") ----------------------------------------

READ_FAILED = (
    "Something went wrong while reading your file, so nothing was imported. Please choose it "
    "again; if it happens again, write to us."
)
WAITED_TOO_LONG = "Your file waited too long, so it was deleted and nothing was imported."


def queue_read(job: ImportJob) -> None:
    transaction.on_commit(lambda: read_upload.delay(job.pk))


@shared_task
def read_upload(job_id: int) -> None:
    read_upload_job(job_id)


def read_upload_job(job_id: int) -> None:
    """Reads the stored file as a stream into its extraction (what the preview shows), telling
    the page how far it has got; the stored file is deleted however it ends."""
    started = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.UPLOADED).update(
        state=ImportJob.State.READING
    )
    if not started:
        return  # run already, cancelled, or gone with the account
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    told = [0]

    def progress(fraction: float) -> None:
        read = round(fraction * job.bytes_total)
        if read - told[0] >= job.bytes_total / 100:  # a write per percent
            told[0] = read
            ImportJob.objects.filter(pk=job_id).update(bytes_read=read)

    try:
        with upload_store.open_stored(job.upload_name) as file:
            extraction = importers.read(job.source, file, job.owner, progress)
    except importers.Refused as refused:
        job.fail(problems=refused.problems)
        return
    except Exception:
        logger.exception("Reading import job %s's file failed", job_id)
        job.fail(error=READ_FAILED)
        return
    job.read(extraction.to_json())


@shared_task
def clean_import_uploads() -> None:
    """Run by beat: a large file, or its preview, left waiting longer than
    IMPORT_UPLOAD_KEEP_SECONDS is deleted, and so is any stored file no job names."""
    keep = settings.IMPORT_UPLOAD_KEEP_SECONDS
    cutoff = timezone.now() - datetime.timedelta(seconds=keep)
    waiting = [ImportJob.State.UPLOADED, ImportJob.State.READING, ImportJob.State.READ]
    for job in ImportJob.objects.filter(kind="file", state__in=waiting, created_at__lt=cutoff):
        job.fail(error=WAITED_TOO_LONG)
    upload_store.delete_older_than(keep)


# An import whose worker died (ImportJob "running" forever) ------------------------------------

# Counted from when the file was sent (ImportJob keeps no start time): far longer than the
# largest file takes to check and write, so a job still "running" then has lost its worker.
RUNNING_GIVE_UP_AFTER = datetime.timedelta(hours=1)
STOPPED = (
    "The import stopped before it could finish, so nothing was imported and your file was "
    "deleted. Please import the file again; if it happens again, write to us."
)


@shared_task
def fail_stopped_imports() -> int:
    """Run by beat: an import still "running" RUNNING_GIVE_UP_AFTER after it was sent has lost
    its worker (its one transaction rolled back with it): it is marked failed, saying so on its
    page, and its file is deleted. Returns how many."""
    cutoff = timezone.now() - RUNNING_GIVE_UP_AFTER
    stopped = ImportJob.objects.filter(state=ImportJob.State.RUNNING, created_at__lt=cutoff)
    failed = 0
    for job_id in stopped.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and looked at again: a job that ended meanwhile keeps how it ended.
            job = stopped.select_for_update().filter(pk=job_id).first()
            if job is not None:
                job.fail(error=STOPPED)
                failed += 1
    if failed:
        logger.warning("Marked %s stopped import jobs failed", failed)
    return failed
