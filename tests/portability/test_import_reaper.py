"""An import whose worker died stays "running" for ever unless something notices: beat's
fail_stopped_imports marks it failed after RUNNING_GIVE_UP_AFTER, says so on its page, and
deletes the file it was importing."""

import datetime

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from portability import tasks
from portability.models import ImportJob
from tests.pages import words

SENT = "2026-11-25T12:00:00+00:00"
FILE_TEXT = "day,stress,notes\r\n2026-11-20,4,private words about a flare\r\n"


@pytest.fixture
def job_in(user):
    """An import of `user`'s in `state`, sent at SENT, with its file still waiting."""

    def make(state: str) -> ImportJob:
        return ImportJob.objects.create(
            owner=user,
            state=state,
            kind="csv",
            overwrite=False,
            file_text=FILE_TEXT,
            days_total=1,
            created_at=datetime.datetime.fromisoformat(SENT),
        )

    return make


def stored_file_text(job: ImportJob) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_text FROM portability_importjob WHERE id = %s", [job.pk])
        return cursor.fetchone()[0]


def test_a_running_import_is_left_alone_until_the_time_is_up(freeze_time, job_in):
    freeze_time(SENT)
    job = job_in(ImportJob.State.RUNNING)
    freeze_time(job.created_at + tasks.RUNNING_GIVE_UP_AFTER - datetime.timedelta(seconds=1))

    assert tasks.fail_stopped_imports() == 0

    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING
    assert job.file_text == FILE_TEXT


def test_an_import_still_running_after_the_time_is_marked_failed_and_its_file_deleted(
    freeze_time, job_in
):
    freeze_time(SENT)
    job = job_in(ImportJob.State.RUNNING)
    later = freeze_time(
        job.created_at + tasks.RUNNING_GIVE_UP_AFTER + datetime.timedelta(minutes=1)
    )

    assert tasks.fail_stopped_imports() == 1

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.error == tasks.STOPPED
    assert job.finished_at == later
    assert stored_file_text(job) == ""


def test_its_page_says_it_stopped_and_nothing_was_imported(freeze_time, job_in, signed_in):
    freeze_time(SENT)
    job = job_in(ImportJob.State.RUNNING)
    freeze_time("2026-11-25T14:00:00+00:00")
    tasks.fail_stopped_imports()

    text = words(signed_in.get(job.get_absolute_url()))

    assert "Nothing was imported" in text
    assert "The import stopped before it could finish" in text
    assert "Importing your file" not in text


def test_the_page_of_someone_elses_stopped_import_answers_404(
    freeze_time, job_in, client, other_user
):
    freeze_time(SENT)
    job = job_in(ImportJob.State.RUNNING)
    freeze_time("2026-11-25T14:00:00+00:00")
    tasks.fail_stopped_imports()
    client.force_login(other_user)

    assert client.get(job.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", [ImportJob.State.QUEUED, ImportJob.State.DONE])
def test_imports_not_running_are_not_touched(freeze_time, job_in, state):
    """A queued one still runs when a worker comes back; a finished one keeps how it ended."""
    freeze_time(SENT)
    job = job_in(state)
    freeze_time("2026-11-26T12:00:00+00:00")

    assert tasks.fail_stopped_imports() == 0

    job.refresh_from_db()
    assert job.state == state
    assert job.error == ""


def test_beat_runs_it_every_ten_minutes():
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "portability.tasks.fail_stopped_imports"
    ]
    assert entry["schedule"] == 600
    assert entry["task"] in celery_app.tasks
