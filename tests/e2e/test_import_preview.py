"""Another app's file in the browser, at a phone's width: the upload lands on the preview, which
passes axe, labels every control and does not scroll sideways; the person changes what the
source leaves open and imports."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    check_axe,
    check_controls_labelled,
    check_no_horizontal_scroll,
    check_table_cells_visible,
    screenshot,
)
from tests.portability.importer_files import SEX, asleep, export_xml, record
from tracker.models import DailyEntry

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_an_apple_health_export_is_previewed_then_imported(signed_in_page: Page, user):
    night = user.today() - datetime.timedelta(days=2)
    content = export_xml(
        asleep(f"{night - datetime.timedelta(days=1)} 23:00:00 +0000", f"{night} 06:30:00 +0000"),
        record(SEX, f"{night} 21:00:00 +0000", f"{night} 21:20:00 +0000"),
    )
    page = signed_in_page
    page.goto("/account/data/import/")

    page.get_by_label("File to import").set_input_files(
        {"name": "export.xml", "mimeType": "text/xml", "buffer": content}
    )
    page.get_by_role("button", name="Check and import").click()

    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    expect(page.get_by_text("1 new day created")).to_be_visible()
    problems = (
        check_axe(page)
        + check_no_horizontal_scroll(page)
        + check_controls_labelled(page)
        + check_table_cells_visible(page)
    )
    assert problems == [], "\n".join(problems)
    screenshot(page, "import-preview")

    page.get_by_label("Solo").check()
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("Imported 1 new day.")).to_be_visible()
    entry = DailyEntry.objects.get(user=user)
    assert (entry.day, entry.sleep_hours, entry.sexual_activity) == (night, 7.5, "solo")
