"""A large export of another app (past UPLOAD_MAX_BYTES, up to IMPORT_UPLOAD_MAX_BYTES) through the
import page: kept encrypted on disk, read by a background job (Celery, run eagerly here) whose
page shows how far it has got, then previewed from the job and imported or cancelled; only its
owner ever reaches the job, its progress or its preview."""

import datetime
import pathlib
from decimal import Decimal

import pytest
from django.test import Client

from config.celery import app as celery_app
from portability import tasks
from portability.importers import apple_health
from portability.models import ImportJob
from tests.factories import DailyEntryFactory
from tests.pages import words
from tests.portability.importer_files import asleep, export_xml, export_zip, upload
from tests.portability.test_import_job import stored
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")


def nights(count: int, phase: str = "AsleepCore") -> bytes:
    """An Apple Health export.zip with `count` nights of 7.5 hours, ending 2026-11-02 on."""
    first = datetime.date(2026, 11, 1)
    records = [
        asleep(
            f"{first + datetime.timedelta(days=number)} 23:00:00 +0100",
            f"{first + datetime.timedelta(days=number + 1)} 06:30:00 +0100",
            phase,
        )
        for number in range(count)
    ]
    return export_zip(export_xml(*records))


THREE_NIGHTS = nights(3)


@pytest.fixture(autouse=True)
def large_from_one_kilobyte(settings, tmp_path):
    """Any file over 1 KB is large here; jobs run at once, in this process."""
    settings.UPLOAD_MAX_BYTES = 1024
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "imports")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def stored_files(settings) -> list[pathlib.Path]:
    folder = pathlib.Path(settings.IMPORT_UPLOAD_DIR)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_large_export_is_stored_encrypted_and_waits_for_its_job(signed_in, user, settings):
    assert len(THREE_NIGHTS) > settings.UPLOAD_MAX_BYTES

    response = upload(signed_in, THREE_NIGHTS, "export.zip")

    job = ImportJob.objects.get(owner=user)
    assert response["Location"] == f"/account/data/import/{job.pk}/"
    assert (job.state, job.kind, job.source) == ("uploaded", "file", "apple_health")
    assert job.bytes_total == len(THREE_NIGHTS)
    [path] = stored_files(settings)
    assert path.name == job.upload_name and len(job.upload_name) >= 40
    assert str(user.pk) not in path.name.split("-")  # nothing in the name says whose it is
    assert path.stat().st_mode & 0o777 == 0o600
    content = path.read_bytes()
    assert b"HealthData" not in content and THREE_NIGHTS[:200] not in content
    assert not DailyEntry.objects.exists()


def test_its_page_shows_how_much_of_the_file_is_read(signed_in, user):
    upload(signed_in, THREE_NIGHTS, "export.zip")  # the transaction never commits: it waits
    job = ImportJob.objects.get(owner=user)
    ImportJob.objects.filter(pk=job.pk).update(state="reading", bytes_read=job.bytes_total * 2 // 5)

    page = words(signed_in.get(job.get_absolute_url()))
    status = signed_in.get(f"/account/data/import/{job.pk}/status.json").json()

    assert "Reading your file… 40%" in page
    assert "You can leave this page and come back to it." in page
    assert (status["progress"], status["progress_text"]) == ([40, 100], "Reading your file… 40%")
    assert (status["finished"], status["ready"]) == (False, False)
    # The import page, opened afresh, shows it too.
    assert "Reading your file… 40%" in words(signed_in.get("/account/data/import/"))


def test_once_read_the_file_is_gone_and_its_preview_waits_on_the_jobs_page(
    signed_in, user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, THREE_NIGHTS, "export.zip")

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.upload_name, job.bytes_read) == ("read", "", job.bytes_total)
    assert stored_files(settings) == []
    assert "2026-11-02" not in stored(job, "file_text")  # the extraction waits encrypted
    status = signed_in.get(f"/account/data/import/{job.pk}/status.json").json()
    assert status["ready"] is True
    response = signed_in.get(job.get_absolute_url())
    assert response["Location"] == f"/account/data/import/{job.pk}/preview/"
    page = words(signed_in.get(response["Location"]))
    assert "3 days, from 2 November 2026 to 4 November 2026" in page
    assert "Hours slept: 7.50 hours" in page
    assert "See what Hearth found in it" in words(signed_in.get("/account/data/import/"))
    assert not DailyEntry.objects.exists()


def test_import_from_the_jobs_preview_saves_every_day_and_forgets_the_job(
    signed_in, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, THREE_NIGHTS, "export.zip")
    job = ImportJob.objects.get(owner=user)

    response = signed_in.post(
        f"/account/data/import/{job.pk}/preview/", {"existing": "skip", "import": ""}
    )

    assert response["Location"] == "/account/data/import/"
    assert "Imported 3 new days." in words(signed_in.get(response["Location"]))
    assert (
        list(DailyEntry.objects.filter(user=user).values_list("sleep_hours", flat=True))
        == [Decimal("7.50")] * 3
    )
    assert not ImportJob.objects.exists()


def test_cancel_from_the_jobs_preview_saves_nothing_and_forgets_the_file(
    signed_in, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, THREE_NIGHTS, "export.zip")
    job = ImportJob.objects.get(owner=user)

    response = signed_in.post(f"/account/data/import/{job.pk}/preview/", {"cancel": ""})

    assert "Nothing was imported, and the file's contents are gone." in words(
        signed_in.get(response["Location"])
    )
    assert not ImportJob.objects.exists() and not DailyEntry.objects.exists()


def test_a_file_that_cannot_be_read_fails_its_job_with_the_place_and_nothing_saved(
    signed_in, user, settings, django_capture_on_commit_callbacks
):
    broken = export_zip(export_xml(asleep("2026-11-01 23:00:00 +0100", "yesterday")))
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, broken + b" " * 1024, "export.zip")

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.upload_name, job.file_text) == ("failed", "", "")
    assert stored_files(settings) == []
    page = words(signed_in.get(job.get_absolute_url()))
    assert "Its endDate “yesterday” is not a date and time" in page
    assert not DailyEntry.objects.exists()
    assert signed_in.get(f"/account/data/import/{job.pk}/preview/")["Location"] == (
        job.get_absolute_url()
    )


def test_a_job_read_twice_reads_once(signed_in, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, THREE_NIGHTS, "export.zip")
    job = ImportJob.objects.get(owner=user)

    tasks.read_upload_job(job.pk)  # a task delivered twice

    job.refresh_from_db()
    assert job.state == "read"


def test_the_upload_forms_choice_is_offered_first_on_the_jobs_preview(
    signed_in, user, django_capture_on_commit_callbacks
):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 3), sleep_hours=None, stress=4)
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, THREE_NIGHTS, "export.zip", existing="fill")
    job = ImportJob.objects.get(owner=user)

    html = signed_in.get(f"/account/data/import/{job.pk}/preview/").content.decode()

    assert 'value="fill" required id="id_existing_1" checked' in html
    assert 'value="skip" required id="id_existing_0" checked' not in html


@pytest.mark.parametrize("suffix", ["/", "/status.json", "/preview/"])
def test_another_person_never_reaches_the_job(
    signed_in, user, other_user, suffix, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, THREE_NIGHTS, "export.zip")
    job = ImportJob.objects.get(owner=user)
    client = Client()
    client.force_login(other_user)

    assert client.get(f"/account/data/import/{job.pk}{suffix}").status_code == 404
    assert client.post(f"/account/data/import/{job.pk}/preview/", {"cancel": ""}).status_code == (
        404
    )
    assert (
        client.post(
            f"/account/data/import/{job.pk}/preview/", {"existing": "skip", "import": ""}
        ).status_code
        == 404
    )
    assert "Reading" not in words(client.get("/account/data/import/"))
    assert ImportJob.objects.filter(pk=job.pk, state="read").exists()
    assert not DailyEntry.objects.exists()


def test_the_job_tells_how_much_of_the_export_it_has_read(
    signed_in, user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(apple_health, "CHUNK", 1024)  # several chunks in a small export
    seen = []
    parse = apple_health._Reader.read

    def reading(reader, xml, size, progress):
        def told(fraction):
            progress(fraction)
            seen.append(ImportJob.objects.get(owner=user).bytes_read)

        return parse(reader, xml, size, told)

    monkeypatch.setattr(apple_health._Reader, "read", reading)
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, nights(60), "export.zip")

    job = ImportJob.objects.get(owner=user)
    assert len(seen) > 5 and seen == sorted(seen)  # it climbs, a step at a time
    assert 0 < seen[0] < job.bytes_total / 4 and seen[-1] == job.bytes_total
