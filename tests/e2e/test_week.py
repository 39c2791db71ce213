"""The weekly look back on a phone (375 px) and a desktop: found from the history page, read
week by week, private answers closed in discreet mode until opened, a clear page for an address
that names no week; axe-core finds nothing serious or critical."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    check_axe,
    check_no_horizontal_scroll,
    check_table_cells_visible,
    screenshot,
)
from tests.factories import MedicationFactory
from tracker.models import DailyEntry
from tracker.week import week_start

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def last_monday(user) -> datetime.date:
    """Last week with five days logged, the week before it with two, and a medication started
    last Wednesday."""
    monday = week_start(user.today()) - 7 * ONE_DAY
    for offset, (flare, fatigue) in enumerate([(2, 5), (6, 8), (1, 2), (8, 6), (3, 3)]):
        DailyEntry.objects.create(
            user=user,
            day=monday + offset * ONE_DAY,
            flare_severity=flare,
            fatigue=fatigue,
            stress=offset + 2,
            sleep_hours=Decimal("7.25"),
            sleep_quality=3,
            libido=3,
        )
    for offset in (-6, -4):
        DailyEntry.objects.create(
            user=user, day=monday + offset * ONE_DAY, flare_severity=4, fatigue=4, libido=2
        )
    MedicationFactory(user=user, name="Methotrexate", started=monday + 2 * ONE_DAY)
    return monday


def check_page(page: Page) -> list[str]:
    return check_axe(page) + check_no_horizontal_scroll(page) + check_table_cells_visible(page)


def test_a_person_finds_last_week_from_their_history_and_reads_it_on_a_phone(
    signed_in_page: Page, last_monday
):
    page = signed_in_page
    assert page.viewport_size == PHONE
    page.goto("/history/")

    page.get_by_role("link", name="Look back at this week").click()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
    assert check_page(page) == []
    page.get_by_role("link", name="Week before").click()

    friday = last_monday + 3 * ONE_DAY
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Week of {last_monday:%-d %B %Y}")
    expect(page.get_by_text("5 of 7 days logged")).to_be_visible()
    hardest = page.locator("li", has=page.get_by_role("link", name=f"{friday:%A %-d %B}"))
    expect(hardest).to_contain_text("flare severity 8 out of 10, fatigue 6 out of 10")
    expect(page.get_by_role("rowheader", name="Desire")).to_be_visible()
    expect(page.get_by_text("started Methotrexate")).to_be_visible()
    expect(page.get_by_text("consult your clinician")).to_be_visible()
    assert check_page(page) == []
    screenshot(page, "week")

    page.get_by_role("link", name="This week").click()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()


def test_discreet_mode_keeps_desire_closed_until_the_person_opens_it(
    signed_in_page: Page, user, last_monday
):
    user.discreet_mode = True
    user.save(update_fields=["discreet_mode"])
    page = signed_in_page
    page.goto(f"/week/{last_monday:%G-W%V}/")

    desire = page.get_by_text("Desire:")
    expect(desire).to_be_hidden()
    expect(page.get_by_role("rowheader", name="Stress")).to_be_visible()
    assert check_page(page) == []
    screenshot(page, "week-discreet")

    page.locator("summary", has_text="among the averages").click()

    expect(desire).to_be_visible()
    expect(desire).to_contain_text("3.0 on the 1-5 scale this week, 2.0 the week before")
    assert check_page(page) == []
    screenshot(page, "week-discreet-open")


def test_the_week_reads_well_on_a_desktop(signed_in_page: Page, last_monday):
    page = signed_in_page
    page.set_viewport_size(DESKTOP)
    page.goto(f"/week/{last_monday:%G-W%V}/")

    expect(page.get_by_role("columnheader", name="Week before")).to_be_visible()
    assert check_axe(page) == []
    assert check_no_horizontal_scroll(page) == []
    screenshot(page, "week")


def test_an_address_that_names_no_week_explains_itself_and_leads_back(
    signed_in_page: Page, browser_guard
):
    browser_guard.allow_console_error(r"status of 404 \(Not Found\)")
    page = signed_in_page

    response = page.goto("/week/2026-W99/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "There is no such week to look back on"
    )
    expect(page.get_by_text("2026 has no week 99")).to_be_visible()
    assert check_axe(page) == []
    screenshot(page, "week-no-such-week")
    page.get_by_role("link", name="Look back at this week").click()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
