"""A large export of another app in the browser, at a phone's width: sent from the page, it lands
on its job, whose page follows the reading ("Reading your file… 40%") by itself and then shows
the preview; a file past the import page's own limit is refused before it is sent."""

import io

import pytest
from playwright.sync_api import Page, expect

from portability import importers
from portability.models import ImportJob
from tests.e2e.helpers import screenshot
from tests.e2e.test_import_job import page_problems
from tests.portability.test_import_large import (  # noqa: F401 (an autouse fixture)
    THREE_NIGHTS,
    large_from_one_kilobyte,
)
from tracker.models import DailyEntry

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_the_job_page_follows_the_reading_then_shows_the_preview(signed_in_page: Page, user):
    job = ImportJob.objects.create(
        owner=user,
        state="reading",
        kind="file",
        source="apple_health",
        overwrite=False,
        bytes_total=1000,
        bytes_read=400,
    )
    page = signed_in_page
    page.goto(f"/account/data/import/{job.pk}/")
    status = page.locator("[data-import-job-status]")
    expect(status).to_have_text("Reading your file… 40%")
    assert page_problems(page) == []
    screenshot(page, "import-large-reading")

    ImportJob.objects.filter(pk=job.pk).update(bytes_read=700)
    expect(status).to_have_text("Reading your file… 70%")
    expect(page.get_by_label("Read so far")).to_have_attribute("value", "70")

    job.read(importers.read("apple_health", io.BytesIO(THREE_NIGHTS), user).to_json())
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    assert page.url.endswith(f"/account/data/import/{job.pk}/preview/")
    assert page_problems(page) == []
    screenshot(page, "import-large-preview")


def test_a_large_export_sent_from_the_page_is_read_previewed_and_imported(
    signed_in_page: Page, user
):
    page = signed_in_page
    page.goto("/account/data/import/")
    page.get_by_label("File to import").set_input_files(
        {"name": "export.zip", "mimeType": "application/zip", "buffer": THREE_NIGHTS}
    )
    page.get_by_label("Fill only empty fields").check()
    page.get_by_role("button", name="Check and import").click()

    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    expect(page.get_by_label("Fill only empty fields")).to_be_checked()
    expect(page.get_by_text("3 days, from")).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("Imported 3 new days.")).to_be_visible()
    assert DailyEntry.objects.filter(user=user).count() == 3
    assert not ImportJob.objects.exists()


def test_an_export_past_the_import_limit_is_refused_before_it_is_sent(
    signed_in_page: Page, settings
):
    settings.IMPORT_UPLOAD_MAX_BYTES = 1024 * 1024
    page = signed_in_page
    page.goto("/account/data/import/")
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)

    page.get_by_label("File to import").set_input_files(
        {"name": "export.zip", "mimeType": "application/zip", "buffer": b"PK" * 600_000}
    )
    page.get_by_role("button", name="Check and import").click()

    expect(page.locator("[data-import-status]")).to_have_text(
        "This file is 1.2 MB, and Hearth imports files of up to 1 MB. Split it into smaller "
        "files, for example a year in each."
    )
    assert posts == []
