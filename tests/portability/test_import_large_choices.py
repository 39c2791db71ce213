"""The upload form's choice for days already logged: "fill only empty fields" for Hearth's own
files too (at once, or by the background job), and the choice made there offered first on the
preview of another app's file. And a zip whose export.xml lies about its size: a damaged file,
said plainly, with nothing saved."""

import datetime
import io
import struct
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app as celery_app
from portability import importers
from portability.models import ImportJob
from tests.factories import DailyEntryFactory
from tests.pages import words
from tests.portability.importer_files import PREVIEW, URL, asleep, export_xml, export_zip, upload
from tests.portability.test_import_large import nights
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")
DAMAGED = "This zip is damaged: it can't be unpacked."


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "imports")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def hearth_csv(*rows: str) -> SimpleUploadedFile:
    text = "day,stress,sleep_hours\r\n" + "".join(f"{row}\r\n" for row in rows)
    return SimpleUploadedFile("days.csv", text.encode())


@pytest.fixture
def logged(user) -> DailyEntry:
    return DailyEntryFactory(
        user=user, day=datetime.date(2026, 11, 21), stress=2, sleep_hours=None, notes="mine"
    )


def assert_filled(logged: DailyEntry) -> None:
    logged.refresh_from_db()
    assert (logged.stress, logged.sleep_hours, logged.notes) == (2, Decimal("6.50"), "mine")
    assert DailyEntry.objects.get(day="2026-11-20").stress == 4


def test_a_hearth_file_fills_only_the_empty_fields_of_days_already_logged(signed_in, logged):
    file = hearth_csv("2026-11-20,4,7", "2026-11-21,9,6.5")

    response = signed_in.post(URL, {"file": file, "existing": "fill"}, follow=True)

    assert "Nothing was imported" not in words(response)
    assert_filled(logged)


def test_the_background_job_fills_only_empty_fields_of_a_hearth_file_too(
    signed_in, user, logged, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_DAYS = 1
    file = hearth_csv("2026-11-20,4,7", "2026-11-21,9,6.5")

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(URL, {"file": file, "existing": "fill"})

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.fill_empty, job.overwrite) == ("done", True, False)
    assert_filled(logged)


@pytest.mark.parametrize(("existing", "position"), [("skip", 0), ("fill", 1), ("overwrite", 2)])
def test_the_upload_forms_choice_is_offered_first_on_the_preview(signed_in, existing, position):
    upload(signed_in, nights(2), "export.zip", existing=existing)

    html = signed_in.get(PREVIEW).content.decode()

    assert f'value="{existing}" required id="id_existing_{position}" checked' in html
    assert html.count("checked") == 1


def test_a_choice_made_on_the_preview_still_wins(signed_in, user, logged):
    upload(signed_in, nights(2), "export.zip", existing="overwrite")

    signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    logged.refresh_from_db()
    assert logged.sleep_hours is None


def lying_zip(xml: bytes) -> bytes:
    """export.zip whose export.xml declares half its real size, in the local header and the
    central directory alike."""
    data = bytearray(export_zip(xml, extras=False))
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        struct.pack_into("<I", data, data.find(signature) + size_at, len(xml) // 2)
    return bytes(data)


LYING = lying_zip(
    export_xml(
        *(
            asleep(f"2026-10-{day:02d} 23:00:00 +0100", f"2026-10-{day + 1:02d} 06:00:00 +0100")
            for day in range(1, 29)
        )
    )
)


def test_a_zip_entry_that_lies_about_its_size_is_a_damaged_file(user):
    with pytest.raises(importers.Refused) as refused:
        importers.read("apple_health", io.BytesIO(LYING), user)

    assert refused.value.message == DAMAGED


def test_the_page_says_a_lying_zip_is_damaged_and_saves_nothing(signed_in):
    response = upload(signed_in, LYING, "export.zip")

    assert DAMAGED in words(response)
    assert not DailyEntry.objects.exists()
    assert signed_in.get(PREVIEW)["Location"] == URL  # nothing waits for a preview


def test_the_background_reading_says_a_lying_zip_is_damaged_and_saves_nothing(
    signed_in, user, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_MAX_BYTES = 512
    assert len(LYING) > 512

    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, LYING, "export.zip")

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.upload_name, job.file_text) == ("failed", "", "")
    assert DAMAGED in words(signed_in.get(job.get_absolute_url()))
    assert not DailyEntry.objects.exists()
