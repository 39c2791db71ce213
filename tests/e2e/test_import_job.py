"""A large import in the browser, at a phone's width: the page follows the background job's
progress by itself and shows the outcome when it ends; a file over the size limit is refused
before it is sent."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from portability.models import ImportJob
from tests.e2e.helpers import (
    check_axe,
    check_controls_labelled,
    check_no_horizontal_scroll,
    screenshot,
)
from tracker.models import DailyEntry

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def page_problems(page: Page) -> list[str]:
    return check_axe(page) + check_no_horizontal_scroll(page) + check_controls_labelled(page)


def test_the_job_page_follows_the_progress_and_shows_the_outcome(signed_in_page: Page, user):
    job = ImportJob.objects.create(
        owner=user, kind="csv", overwrite=False, days_total=900, days_checked=300, state="running"
    )
    page = signed_in_page
    page.goto(f"/account/data/import/{job.pk}/")
    status = page.locator("[data-import-job-status]")
    expect(status).to_have_text("Checking every day: 300 of 900 days checked.")
    assert page_problems(page) == []
    screenshot(page, "import-job-running")

    ImportJob.objects.filter(pk=job.pk).update(days_checked=600)
    expect(status).to_have_text("Checking every day: 600 of 900 days checked.")
    expect(page.get_by_label("Days checked")).to_have_attribute("value", "600")

    job.finish("Imported 900 new days.")
    expect(page.get_by_role("heading", name="Your file is imported")).to_be_visible()
    expect(page.get_by_text("Imported 900 new days.")).to_be_visible()
    assert page_problems(page) == []
    screenshot(page, "import-job-done")


def test_a_large_file_sent_from_the_page_lands_on_its_job(signed_in_page: Page, user, settings):
    settings.IMPORT_BACKGROUND_DAYS = 2
    days = [user.today() - datetime.timedelta(days=number) for number in (1, 2, 3)]
    page = signed_in_page
    page.goto("/account/data/import/")

    page.get_by_label("File to import").set_input_files(
        {
            "name": "days.csv",
            "mimeType": "text/csv",
            "buffer": ("day,stress\n" + "".join(f"{day},4\n" for day in days)).encode(),
        }
    )
    page.get_by_role("button", name="Check and import").click()

    expect(page.get_by_role("heading", name="Your file is imported")).to_be_visible()
    expect(page.get_by_text("Imported 3 new days.")).to_be_visible()
    assert page.url.endswith(f"/account/data/import/{ImportJob.objects.get().pk}/")
    assert DailyEntry.objects.filter(user=user).count() == 3


def test_a_file_over_the_limit_is_refused_before_it_is_sent(signed_in_page: Page, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    page = signed_in_page
    page.goto("/account/data/import/")
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)

    page.get_by_label("File to import").set_input_files(
        {"name": "days.csv", "mimeType": "text/csv", "buffer": b"day\n" + b"x" * 1_200_000}
    )
    page.get_by_role("button", name="Check and import").click()

    expect(page.locator("[data-import-status]")).to_have_text(
        "This file is 1.2 MB, and Hearth imports files of up to 1 MB. Split it into smaller "
        "files, for example a year in each."
    )
    assert posts == []
