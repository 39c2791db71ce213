"""Mistakes forgiven in the browser, at a phone's width: a failed save leads with a summary that
takes focus and links to each field, nothing typed is lost or silently cut, and a decimal
comma is read as one."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import DESKTOP, check_axe, screenshot
from tests.factories import DailyEntryFactory, SymptomFactory
from tracker.models import DailyEntry, Symptom

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUARTER_HOUR_MESSAGE = "Use quarter hours, such as 7, 7.25, 7.5 or 7.75."
LONG_SYMPTOM = "Tingling in both feet that lasts for more than ten minutes at a time"  # 68


def radio(page: Page, legend: str, label: str):
    return page.get_by_role("group", name=legend, exact=True).get_by_role(
        "radio", name=label, exact=True
    )


def focused_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement.id")


def summary(page: Page):
    return page.locator("[data-error-summary]")


def test_a_failed_save_leads_with_a_summary_that_takes_focus_and_links_to_each_field(
    signed_in_page: Page, user
):
    page = signed_in_page
    page.goto("/log/")
    radio(page, "Stress", "6").check()
    page.get_by_label("Hours slept").fill("6.3")
    page.get_by_role("checkbox", name="Brain fog", exact=True).check()
    page.get_by_role("textbox", name="Notes").fill("Restless night.")
    page.get_by_label("Add a symptom of your own").fill(LONG_SYMPTOM)
    page.get_by_role("button", name="Save today").click()

    expect(summary(page)).to_be_focused()
    expect(summary(page)).to_be_in_viewport()
    expect(summary(page).get_by_role("heading")).to_have_text("Nothing was saved yet")
    screenshot(page, "log-error-summary")
    expect(page.get_by_label("Hours slept")).not_to_be_in_viewport()

    summary(page).get_by_role("link", name=QUARTER_HOUR_MESSAGE).click()
    assert focused_id(page) == "id_sleep_hours"
    expect(page.get_by_label("Hours slept")).to_be_in_viewport()

    summary(page).get_by_role("link", name="A symptom's name can be up to 60").click()
    assert focused_id(page) == "id_new_symptom"
    expect(page.get_by_label("Add a symptom of your own")).to_be_in_viewport()

    # Every value entered is still there.
    expect(page.get_by_label("Hours slept")).to_have_value("6.3")
    expect(radio(page, "Stress", "6")).to_be_checked()
    expect(page.get_by_label("Add a symptom of your own")).to_have_value(LONG_SYMPTOM)
    expect(page.get_by_role("checkbox", name="Brain fog", exact=True)).to_be_checked()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("Restless night.")
    assert not DailyEntry.objects.filter(user=user).exists()
    assert check_axe(page) == []


def test_hours_with_a_decimal_comma_are_saved_as_typed(signed_in_page: Page, user):
    page = signed_in_page
    page.goto("/log/")
    page.get_by_label("Hours slept").fill("7,5")
    page.get_by_role("button", name="Save today").click()

    expect(page.get_by_role("status")).to_contain_text("Saved today.")
    assert DailyEntry.objects.get(user=user).sleep_hours == Decimal("7.5")


def test_long_text_is_never_cut_the_count_warns_and_the_save_is_refused(signed_in_page: Page, user):
    page = signed_in_page
    page.goto("/log/")
    notes = page.get_by_role("textbox", name="Notes")
    notes_count = page.locator('[data-character-count-for="id_notes"]')
    expect(notes_count).to_have_text("2,000 characters left of 2,000")
    notes.fill("a" * 2100)
    expect(notes_count).to_have_text("100 characters too many: the limit is 2,000")
    page.get_by_label("Add a symptom of your own").fill(LONG_SYMPTOM)
    expect(page.locator('[data-character-count-for="id_new_symptom"]')).to_have_text(
        "8 characters too many: the limit is 60"
    )
    page.get_by_role("button", name="Save today").click()

    expect(summary(page)).to_be_focused()
    expect(summary(page)).to_contain_text("Notes can be up to 2,000 characters")
    expect(summary(page)).to_contain_text("A symptom's name can be up to 60 characters")
    expect(notes).to_have_value("a" * 2100)
    expect(page.get_by_label("Add a symptom of your own")).to_have_value(LONG_SYMPTOM)
    assert not DailyEntry.objects.filter(user=user).exists()
    assert not Symptom.objects.owned_by(user).exists()


def test_an_empty_save_is_refused_and_there_is_no_copy_button_without_an_earlier_day(
    signed_in_page: Page, user
):
    page = signed_in_page
    page.goto("/log/")
    expect(page.get_by_role("link", name="Same as")).to_have_count(0)

    page.get_by_role("button", name="Save today").click()

    expect(summary(page)).to_be_focused()
    expect(summary(page)).to_contain_text("Nothing was filled in, so there is nothing to save.")
    assert not DailyEntry.objects.filter(user=user).exists()


def test_the_405_page_is_hearths_own(signed_in_page: Page, user, browser_guard):
    browser_guard.allow_console_error(r"status of 405 \(Method Not Allowed\)")
    symptom = SymptomFactory(owner=user, name="Hives")

    response = signed_in_page.goto(f"/symptoms/{symptom.pk}/delete/")

    assert response.status == 405
    expect(signed_in_page.get_by_role("heading", level=1)).to_have_text(
        "This can't be opened directly"
    )
    assert check_axe(signed_in_page) == []


def test_future_days_in_the_flare_calendar_look_unlike_missed_days(signed_in_page: Page, user):
    today = user.today()
    if today.month == 12 and today.day == 31:
        pytest.skip("no day of this year is still to come")
    page = signed_in_page
    page.goto("/trends/")

    background = "(cell) => getComputedStyle(cell).backgroundColor"
    future = page.locator("td.heat--future").first.evaluate(background)
    missed = page.locator("td.heat--none").first.evaluate(background)
    assert future != missed


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_reports_flare_episode_headings_line_up_with_their_cells(
    signed_in_page: Page, user, media
):
    today = user.today()
    for offset, severity in ((3, 6), (2, 8)):
        DailyEntryFactory(
            user=user, day=today - datetime.timedelta(days=offset), flare_severity=severity
        )
    page = signed_in_page
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media=media)
    page.goto("/report/")

    table = page.locator('section[aria-labelledby="report-episodes"] table')
    alignments = table.evaluate(
        """(table) => {
          const side = (cell) => getComputedStyle(cell).textAlign;
          const headings = Array.from(table.tHead.rows[0].cells);
          const cells = Array.from(table.tBodies[0].rows[0].cells);
          return headings.map((heading, i) => [heading.textContent, side(heading), side(cells[i])]);
        }"""
    )
    for heading, heading_side, cell_side in alignments:
        assert heading_side == cell_side, f"{heading}: heading {heading_side}, cells {cell_side}"
