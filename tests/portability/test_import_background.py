"""Another app's file with more than IMPORT_BACKGROUND_DAYS days: once previewed, Import hands it
to the background job (Celery, run eagerly here), which checks and writes it all or nothing,
with its progress page; the job keeps the extraction and choices encrypted until it ends."""

import datetime
from decimal import Decimal

import pytest

from config.celery import app as celery_app
from portability.models import ImportJob
from tests.factories import DailyEntryFactory
from tests.pages import words
from tests.portability.importer_files import (
    PREVIEW,
    fitbit_log,
    fitbit_sleep,
    flaredown_csv,
    upload,
)
from tests.portability.test_import_job import stored
from tracker.models import DailyEntry, Medication

pytestmark = pytest.mark.usefixtures("clock")

THREE_NIGHTS = fitbit_sleep(
    fitbit_log(1, "2026-11-01", 420),
    fitbit_log(2, "2026-11-02", 450),
    fitbit_log(3, "2026-11-03", 390),
)


@pytest.fixture(autouse=True)
def background_from_three_days(settings):
    settings.IMPORT_BACKGROUND_DAYS = 2
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def test_a_large_file_is_queued_encrypted_and_waits_for_its_job(signed_in, user):
    upload(signed_in, THREE_NIGHTS)

    response = signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    job = ImportJob.objects.get(owner=user)
    assert response["Location"] == f"/account/data/import/{job.pk}/"
    assert (job.state, job.days_total) == ("queued", 3)
    assert "2026-11-01" not in stored(job, "file_text") and "sleep" not in stored(job, "file_text")
    assert not DailyEntry.objects.exists()


def test_the_job_fills_only_empty_fields_and_says_what_it_did(
    signed_in, user, django_capture_on_commit_callbacks
):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 2), sleep_hours=None, stress=4)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 3), sleep_hours=Decimal(5), stress=1)
    upload(signed_in, THREE_NIGHTS)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(PREVIEW, {"existing": "fill", "import": ""})

    job = ImportJob.objects.get(owner=user)
    assert (job.state, job.file_text) == ("done", "")
    page = words(signed_in.get(response["Location"]))
    assert "Your file is imported Imported 1 new day, and added to 1 day you had logged." in page
    assert {e.day.day: (e.sleep_hours, e.stress) for e in DailyEntry.objects.all()} == {
        1: (Decimal("7.00"), None),
        2: (Decimal("7.50"), 4),
        3: (Decimal(5), 1),
    }


def test_replacing_in_the_background_sets_only_the_values_the_file_gives(
    signed_in, user, django_capture_on_commit_callbacks
):
    content = flaredown_csv(
        *((f"2026-11-0{day}", "Condition", "Lupus", "2") for day in (1, 2, 3)),
        ("2026-11-03", "Treatment", "Prednisolone", "5 mg"),
    )
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 2), flare_severity=9, stress=6)
    upload(signed_in, content)

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(PREVIEW, {"existing": "overwrite", "import": ""})

    assert ImportJob.objects.get(owner=user).state == "done"
    day = DailyEntry.objects.get(day=datetime.date(2026, 11, 2))
    assert (day.flare_severity, day.stress) == (5, 6)
    assert DailyEntry.objects.count() == 3
    assert Medication.objects.get(user=user).started == datetime.date(2026, 11, 3)


def test_another_person_never_sees_the_job(client, signed_in, user, other_user):
    upload(signed_in, THREE_NIGHTS)
    signed_in.post(PREVIEW, {"existing": "skip", "import": ""})
    job = ImportJob.objects.get(owner=user)
    client.force_login(other_user)

    assert client.get(f"/account/data/import/{job.pk}/").status_code == 404
    assert client.get(f"/account/data/import/{job.pk}/status.json").status_code == 404
