"""/account/data/import/<id>/: a file of more than IMPORT_BACKGROUND_DAYS days is imported by a
background job (Celery, run eagerly here), all or nothing, while its page shows the progress; the
file waits encrypted and is gone when the job ends; only its owner sees the job."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection

from accounts.models import SecurityEvent
from config.celery import app as celery_app
from portability import applying, deletion, importing, tasks
from portability.models import ImportJob
from tests.factories import DailyEntryFactory
from tests.pages import words
from tracker.models import DailyEntry, Symptom

URL = "/account/data/import/"
NOTE = "private words about a flare"


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture(autouse=True)
def background_from_three_days(settings):
    """Files of three days or more go to the background; jobs run at once, in this process,
    even where a broker is configured."""
    settings.IMPORT_BACKGROUND_DAYS = 2
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def csv_file(*rows: str) -> bytes:
    return ("day,stress,symptoms,notes\r\n" + "".join(f"{row}\r\n" for row in rows)).encode()


GOOD = csv_file(
    f"2026-11-20,4,Hives,{NOTE}",
    "2026-11-21,5,Joint pain,",
    "2026-11-22,6,,",
)


def upload(client, content: bytes, existing: str = "skip"):
    file = SimpleUploadedFile("days.csv", content)
    return client.post(URL, {"file": file, "existing": existing})


def stored(job: ImportJob, column: str) -> str:
    """A column as the database holds it, not decrypted."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM portability_importjob WHERE id = %s", [job.pk])
        return cursor.fetchone()[0]


def test_a_large_file_is_queued_encrypted_and_the_page_shows_it_waiting(signed_in, user):
    response = upload(signed_in, GOOD)  # the transaction never commits: the job stays queued

    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == f"/account/data/import/{job.pk}/"
    assert (job.state, job.days_total, job.days_checked) == ("queued", 3, 0)
    assert job.file_text == GOOD.decode()
    assert NOTE not in stored(job, "file_text") and "2026-11-20" not in stored(job, "file_text")
    page = signed_in.get(response["Location"])
    text = words(page)
    assert "Importing your file" in text
    assert "Waiting to start: 0 of 3 days checked." in text
    html = page.content.decode()
    assert f'data-status-url="/account/data/import/{job.pk}/status.json"' in html
    assert f'<a href="/account/data/import/{job.pk}/">Refresh</a>' in html
    assert "<script>" not in html
    assert not DailyEntry.objects.exists()


def test_the_status_says_how_far_the_job_has_got(signed_in, user):
    job = ImportJob.objects.create(
        owner=user, kind="csv", overwrite=False, days_total=900, days_checked=300, state="running"
    )

    response = signed_in.get(f"/account/data/import/{job.pk}/status.json")

    assert response.json() == {
        "state": "running",
        "state_label": "Checking every day",
        "days_checked": 300,
        "days_total": 900,
        "finished": False,
    }
    assert response["Cache-Control"] == "no-store"


def test_the_import_page_shows_a_job_still_running(signed_in, user):
    job = ImportJob.objects.create(
        owner=user, kind="csv", overwrite=False, days_total=900, days_checked=300, state="running"
    )

    text = words(signed_in.get(URL))

    assert "Importing your file Days checked" in text
    assert "Checking every day: 300 of 900 days checked." in text
    assert f'href="/account/data/import/{job.pk}/"' in signed_in.get(URL).content.decode()


def test_a_large_file_is_imported_by_the_job_and_the_page_shows_the_outcome(
    signed_in, user, django_capture_on_commit_callbacks
):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 21), stress=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(signed_in, GOOD)

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.days_checked, job.finished_at is not None) == ("done", 3, True)
    assert job.file_text == "" and stored(job, "file_text") == ""
    days = DailyEntry.objects.for_user(user).order_by("day")
    assert [(entry.day.day, entry.stress, entry.notes) for entry in days] == [
        (20, 4, NOTE),
        (21, 1, ""),  # kept: the person chose to keep the days they had logged
        (22, 6, ""),
    ]
    assert Symptom.objects.get(owner=user).name == "Hives"
    events = SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.IMPORT)
    assert events.count() == 1
    text = words(signed_in.get(response["Location"]))
    assert (
        "Your file is imported Imported 2 new days, and kept your own 1 where the file had them "
        "too; also 1 new symptom of your own." in text
    )
    assert signed_in.get(f"/account/data/import/{job.pk}/status.json").json()["finished"]


def test_a_job_whose_file_has_problems_imports_nothing_and_lists_them(
    signed_in, user, django_capture_on_commit_callbacks
):
    content = csv_file(f"2026-11-20,4,Hives,{NOTE}", "2026-11-21,11,,", "2026-13-01,2,,")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(signed_in, content)

    job = ImportJob.objects.get(owner=user)
    assert job.state == "failed" and job.file_text == ""
    assert not DailyEntry.objects.exists()
    assert not Symptom.objects.filter(owner=user).exists()
    assert "Stress" in job.problem_list[0][1][0]
    assert "Line 3" not in stored(job, "problems") and "Stress" not in stored(job, "problems")
    text = words(signed_in.get(response["Location"]))
    assert "Nothing was imported: 2 places in the file need fixing" in text
    assert "Line 3 Stress: Choose a number from 0 to 10, or Skip." in text
    assert "Line 4 “2026-13-01” is not a real date." in text
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT).exists()


def test_a_job_that_fails_while_writing_leaves_nothing_half_imported(
    signed_in, user, monkeypatch, django_capture_on_commit_callbacks
):
    def days_clash(*args, **kwargs):
        raise IntegrityError("a day was saved meanwhile")

    # New symptoms are written before the days; they must go too.
    monkeypatch.setattr(applying, "_import_days", days_clash)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(signed_in, GOOD)

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.file_text) == ("failed", "")
    assert not DailyEntry.objects.exists()
    assert not Symptom.objects.filter(owner=user).exists()
    text = words(signed_in.get(response["Location"]))
    assert "Nothing was imported Your records changed while importing" in text


def test_a_job_that_breaks_unexpectedly_is_marked_failed_not_left_running(
    signed_in, user, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(applying, "_import_medications", broken)

    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, GOOD)

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.file_text) == ("failed", "")
    assert "Something went wrong while importing, so nothing was imported." in job.error
    assert not Symptom.objects.filter(owner=user).exists()


def test_a_job_runs_once_even_if_its_task_arrives_twice(
    signed_in, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, GOOD, existing="overwrite")
    job = ImportJob.objects.get(owner=user)
    DailyEntry.objects.filter(user=user).update(stress=9)

    tasks.run_import_job(job.pk)

    assert set(DailyEntry.objects.values_list("stress", flat=True)) == {9}


def test_checking_reports_progress_every_step(user, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_STEP", 2)
    heard = []

    importing.check_import(user, "csv", GOOD.decode() + "2026-11-23,1,,\r\n", progress=heard.append)

    assert heard == [2, 4]


def test_small_files_are_still_imported_at_once(signed_in, user):
    response = upload(signed_in, csv_file("2026-11-20,4,,", "2026-11-21,5,,"))

    assert response["Location"] == URL
    assert DailyEntry.objects.for_user(user).count() == 2
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "path", ["/account/data/import/{pk}/", "/account/data/import/{pk}/status.json"]
)
def test_another_person_cannot_see_a_job(client, user, other_user, path):
    job = ImportJob.objects.create(owner=user, kind="csv", overwrite=False, days_total=3)
    client.force_login(other_user)

    assert client.get(path.format(pk=job.pk)).status_code == 404
    assert client.get(path.format(pk=job.pk + 1000)).status_code == 404


@pytest.mark.parametrize("path", ["/account/data/import/1/", "/account/data/import/1/status.json"])
def test_anonymous_people_are_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_job_goes_with_the_account(user):
    ImportJob.objects.create(owner=user, kind="csv", overwrite=False, file_text="day\r\n")

    deletion.delete_account(user)

    assert not ImportJob.objects.exists()
