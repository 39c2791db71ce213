"""Every day of the flare calendar is a target of at least 24 x 24 px (WCAG 2.2, 2.5.8 Target
Size), on a phone and a desktop, and the calendar still fits a phone's width."""

import datetime

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import DESKTOP, PHONE, check_no_horizontal_scroll
from tests.factories import DailyEntryFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

SMALLEST_TARGET = 24  # CSS pixels


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_calendar_day_is_a_target_of_at_least_24_px(signed_in_page: Page, user, viewport):
    today = user.today()
    for days_ago in range(40):
        DailyEntryFactory(
            user=user,
            day=today - datetime.timedelta(days=days_ago),
            flare_severity=days_ago % 11,
            sexual_activity="solo" if days_ago % 5 == 0 else "none",
            physical_affection=days_ago % 7 == 0,
        )
    page = signed_in_page
    page.set_viewport_size(viewport)
    page.goto("/trends/")

    days = page.locator("td.heat > a")
    assert days.count() == 40
    sizes = days.evaluate_all(
        "(links) => links.map((link) => {"
        "  const box = link.getBoundingClientRect();"
        "  return [link.getAttribute('aria-label'), box.width, box.height];"
        "})"
    )
    too_small = [
        f"{label}: {width:.1f} x {height:.1f} px"
        for label, width, height in sizes
        if width < SMALLEST_TARGET or height < SMALLEST_TARGET
    ]
    assert not too_small, "Calendar days smaller than 24 x 24 px:\n" + "\n".join(too_small)
    assert check_no_horizontal_scroll(page) == []
