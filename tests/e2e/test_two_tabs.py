"""Two tabs on the same day: the later save or delete of a stale form is told, nothing is
overwritten or deleted."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import check_axe, screenshot, sign_in
from tests.factories import DailyEntryFactory
from tracker.models import DailyEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def stress(page: Page, value: str):
    return page.get_by_role("group", name="Stress", exact=True).get_by_role(
        "radio", name=value, exact=True
    )


def test_the_older_tab_is_shown_both_versions_and_can_keep_its_own(page: Page, user, live_server):
    DailyEntryFactory(user=user, day=user.today(), stress=4)
    sign_in(page, user, live_server)
    page.goto("/log/")
    second_tab = page.context.new_page()
    second_tab.goto("/log/")

    stress(second_tab, "8").check()
    second_tab.get_by_role("button", name="Save today").click()
    expect(second_tab.get_by_text("Saved today.")).to_be_visible()

    stress(page, "2").check()
    page.get_by_role("button", name="Save today").click()

    expect(
        page.get_by_role("heading", name="This day changed while you were editing")
    ).to_be_visible()
    changes = page.get_by_role("table", name="Your answers and the saved answers that differ")
    expect(changes.get_by_role("row", name="Stress 2 8")).to_be_visible()
    expect(stress(page, "2")).to_be_checked()  # nothing the person chose is lost
    assert DailyEntry.objects.get(user=user).stress == 8
    assert check_axe(page) == []
    screenshot(page, "log-changed-elsewhere")

    page.get_by_role("button", name="Save today").click()

    expect(page.get_by_text("Saved today.")).to_be_visible()
    assert DailyEntry.objects.get(user=user).stress == 2


def test_a_delete_confirmed_in_an_older_tab_keeps_the_day_changed_since(
    page: Page, user, live_server
):
    DailyEntryFactory(user=user, day=user.today(), stress=4)
    sign_in(page, user, live_server)
    page.goto("/log/")
    page.get_by_role("link", name="Delete this day…").click()
    second_tab = page.context.new_page()
    second_tab.goto("/log/")

    stress(second_tab, "8").check()
    second_tab.get_by_role("button", name="Save today").click()
    expect(second_tab.get_by_text("Saved today.")).to_be_visible()

    page.get_by_role("button", name="Delete this day").click()

    expect(page.get_by_text("so it was not deleted")).to_be_visible()
    assert DailyEntry.objects.get(user=user).stress == 8
    assert check_axe(page) == []

    page.get_by_role("link", name="Keep it").click()
    expect(stress(page, "8")).to_be_checked()
