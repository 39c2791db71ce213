"""Data rights in the browser: download a copy, import a file with a progress bar and a report
of problems, and delete the account, each page accessible and usable at a phone's width."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.conftest import reauthenticate
from tests.e2e.helpers import (
    check_axe,
    check_controls_labelled,
    check_no_horizontal_scroll,
    screenshot,
)
from tests.factories import DailyEntryFactory
from tracker.models import DailyEntry

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def confirmed_page(page: Page, user, live_server) -> Page:
    """A browser signed in as user, who confirmed their password a moment ago."""
    client = Client()
    client.force_login(user)
    reauthenticate(client, user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def page_problems(page: Page) -> list[str]:
    return check_axe(page) + check_no_horizontal_scroll(page) + check_controls_labelled(page)


def test_downloading_a_copy_of_everything(confirmed_page: Page, user):
    DailyEntryFactory(user=user, day=user.today() - datetime.timedelta(days=1), stress=6)
    page = confirmed_page
    page.goto("/account/data/")
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    assert page_problems(page) == []
    screenshot(page, "data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything (JSON)").click()

    assert download.value.suggested_filename == f"hearth-export-{user.today()}.json"
    export = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [day["stress"] for day in export["days"]] == [6]


def test_importing_shows_a_report_then_imports_a_corrected_file(confirmed_page: Page, user):
    page = confirmed_page
    page.goto("/account/data/import/")
    assert page_problems(page) == []
    yesterday = user.today() - datetime.timedelta(days=1)
    wrong = f"day,stress,notes\n{yesterday},12,\n{yesterday - datetime.timedelta(days=1)},3,ok\n"

    page.get_by_label("File to import").set_input_files(
        {"name": "days.csv", "mimeType": "text/csv", "buffer": wrong.encode()}
    )
    page.get_by_role("button", name="Check and import").click()

    report = page.locator("#import-problems")
    expect(report).to_be_focused()
    expect(report).to_contain_text("Line 2")
    expect(report).to_contain_text("Stress: Choose a number from 0 to 10, or Skip.")
    assert DailyEntry.objects.count() == 0
    assert page_problems(page) == []
    screenshot(page, "import-report")

    # The page was replaced in place: its script still sends the next file.
    page.get_by_label("File to import").set_input_files(
        {
            "name": "days.csv",
            "mimeType": "text/csv",
            "buffer": wrong.replace(",12,", ",2,").encode(),
        }
    )
    page.get_by_text("Replace mine with the file's").click()
    held = []  # the upload, held back so the test can see the page while it is on its way
    page.route(
        "**/account/data/import/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Check and import").click()

    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("button", name="Check and import")).to_be_disabled()
    expect(page.locator("[data-import-status]")).to_have_text(re.compile("Sending|sent|Checking"))
    # Playwright hands the held route to the test between its own calls: wait until it has.
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.get_by_text("Imported 2 new days and replaced 0.")).to_be_visible()
    expect(page.locator("progress")).to_be_hidden()
    assert sorted(DailyEntry.objects.values_list("stress", flat=True)) == [2, 3]


def test_the_import_form_posts_without_javascript(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/account/data/import/")
    page.get_by_label("File to import").set_input_files(
        {"name": "days.csv", "mimeType": "text/csv", "buffer": f"day\n{user.today()}\n".encode()}
    )
    page.get_by_role("button", name="Check and import").click()

    expect(page.get_by_text("Imported 1 new day.")).to_be_visible()
    context.close()


def test_deleting_the_account_after_typing_the_word(confirmed_page: Page, user):
    page = confirmed_page
    page.goto("/account/delete/")
    assert page_problems(page) == []
    screenshot(page, "delete-account")

    page.get_by_role("button", name="Delete my account for good").click()
    # Said in the error summary, which takes focus, and next to the field.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_text("Type the word DELETE to delete your account.")).to_have_count(2)
    assert User.objects.filter(pk=user.pk).exists()

    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.get_by_role("button", name="Delete my account for good").click()

    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    assert page_problems(page) == []
    assert not User.objects.filter(pk=user.pk).exists()
    page.goto("/log/")
    expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/login/?next=/log/")
