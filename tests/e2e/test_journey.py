"""A person's way through Hearth in the browser: sign up, log a day, read it back, change it,
delete it."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    PHONE,
    choose_with_arrows,
    focused_label,
    open_main_menu,
    screenshot,
    tab_to,
    tick_with_space,
)
from tests.factories import DailyEntryFactory
from tracker.models import DailyEntry, Symptom

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data, so each test flushes the database afterwards;
    # the autouse migration_data fixture (tests/conftest.py) puts back what migrating loaded.
    pytest.mark.django_db(transaction=True),
]

EMAIL = "sam@example.org"
PASSWORD = "a long walk by the river"
QUARTER_HOUR_MESSAGE = "Use quarter hours, such as 7, 7.25, 7.5 or 7.75."


def long_date(day: datetime.date) -> str:
    """How the history page names a day, e.g. "Thursday 26 November"."""
    return f"{day:%A} {day.day} {day:%B}"


def group(page: Page, legend: str):
    return page.get_by_role("group", name=legend, exact=True)


def radio(page: Page, legend: str, label: str):
    return group(page, legend).get_by_role("radio", name=label, exact=True)


@pytest.mark.browser_context_args(timezone_id="Pacific/Auckland")
def test_sign_up_log_a_day_by_keyboard_then_read_edit_and_delete_it(page: Page, live_server):
    # Sign up: the browser's time zone is already chosen.
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("Pacific/Auckland")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label(re.compile("I agree that Hearth stores")).check()
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(f"{live_server.url}/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Pacific/Auckland")).date()
    expect(page.locator("main time").first).to_have_attribute("datetime", today.isoformat())

    # Log today with the keyboard only, on a phone-sized screen.
    assert page.viewport_size == PHONE
    choose_with_arrows(page, "sexual_activity", "With a partner")
    choose_with_arrows(page, "intensity", "Moderate")
    choose_with_arrows(page, "satisfaction", "Satisfying")
    choose_with_arrows(page, "stress", "3")
    tab_to(page, "#id_sleep_hours")
    page.keyboard.type("7.5")
    # Back to stress with Shift+Tab: focus lands on the chosen option, so it can be checked.
    tab_to(page, 'input[name="stress"]', backwards=True)
    assert focused_label(page) == "3"
    choose_with_arrows(page, "sleep_quality", "Good")
    choose_with_arrows(page, "fatigue", "6")
    choose_with_arrows(page, "flare_severity", "2")
    joint_pain = page.get_by_role("checkbox", name="Joint pain", exact=True)
    tick_with_space(page, joint_pain.get_attribute("id"))
    expect(joint_pain).to_be_checked()
    tab_to(page, '.log-form button[type="submit"]')
    screenshot(page, "journey-log-filled")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Saved today.")
    expect(page).to_have_url(f"{live_server.url}/log/{today.isoformat()}/")
    expect(radio(page, "Sexual activity", "With a partner")).to_be_checked()
    expect(radio(page, "How intense was it?", "Moderate")).to_be_checked()
    expect(radio(page, "How satisfying was it?", "Satisfying")).to_be_checked()
    expect(page.get_by_label("Hours slept")).to_have_value(re.compile(r"^7\.50?$"))

    # History summarises the day.
    open_main_menu(page).get_by_role("link", name="History", exact=True).click()
    day = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=long_date(today))
    )
    for phrase in [
        "Intimacy: with a partner",
        "Stress 3/10",
        "Slept 7.5 h",
        "Sleep good",
        "Fatigue 6/10",
        "Flare 2/10",
        "Symptoms: Joint pain",
    ]:
        expect(day.get_by_role("listitem").filter(has_text=phrase)).to_have_count(1)
    screenshot(page, "journey-history")

    # Edit the day from history.
    day.get_by_role("link", name=f"Edit {long_date(today)}").click()
    expect(page).to_have_url(f"{live_server.url}/log/{today.isoformat()}/")
    radio(page, "Stress", "8").check()
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_role("status")).to_contain_text("Saved today.")
    open_main_menu(page).get_by_role("link", name="History", exact=True).click()
    expect(day.get_by_text("Stress 8/10", exact=True)).to_be_visible()
    expect(day.get_by_text("Stress 3/10", exact=True)).to_have_count(0)

    # Delete it, behind a confirmation.
    day.get_by_role("link", name=f"Edit {long_date(today)}").click()
    page.get_by_role("link", name="Delete this day…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your log for today?")
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    page.get_by_role("button", name="Delete this day").click()

    expect(page).to_have_url(f"{live_server.url}/history/")
    expect(page.get_by_role("status")).to_contain_text("Deleted your log for today.")
    expect(page.get_by_text(f"No days logged in {today:%B %Y}.")).to_be_visible()
    expect(page.get_by_role("heading", name=long_date(today))).to_have_count(0)
    assert not DailyEntry.objects.filter(user__email=EMAIL).exists()


def test_same_as_last_logged_day_fills_the_form_but_saves_only_on_save(signed_in_page, user):
    page = signed_in_page
    today = user.today()
    last_logged = today - datetime.timedelta(days=2)
    earlier = DailyEntryFactory(
        user=user,
        day=last_logged,
        stress=4,
        fatigue=5,
        flare_severity=2,
        sleep_hours=Decimal("6.5"),
        notes="Cold morning.",
    )
    earlier.symptoms.add(Symptom.objects.get(owner=None, name="Swelling"))

    page.goto("/log/")
    page.get_by_role(
        "link", name=f"Same as {last_logged:%A} {last_logged.day} {last_logged:%B}"
    ).click()

    expect(page.get_by_role("status")).to_contain_text(f"Filled in from {long_date(last_logged)}")
    expect(radio(page, "Stress", "4")).to_be_checked()
    expect(radio(page, "Fatigue", "5")).to_be_checked()
    expect(radio(page, "Flare severity", "2")).to_be_checked()
    expect(page.get_by_label("Hours slept")).to_have_value(re.compile(r"^6\.50?$"))
    expect(page.get_by_role("checkbox", name="Swelling", exact=True)).to_be_checked()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("Cold morning.")
    expect(page.get_by_text("not logged yet")).to_be_visible()
    assert not DailyEntry.objects.filter(user=user, day=today).exists()

    page.get_by_role("button", name="Save today").click()

    expect(page.get_by_role("status")).to_contain_text("Saved today.")
    saved = DailyEntry.objects.get(user=user, day=today)
    assert (saved.stress, saved.fatigue, saved.flare_severity) == (4, 5, 2)
    assert saved.sleep_hours == Decimal("6.5")
    assert [symptom.name for symptom in saved.symptoms.all()] == ["Swelling"]


def test_hours_not_in_quarters_are_explained_next_to_the_field_and_answers_kept(
    signed_in_page, user
):
    page = signed_in_page
    page.goto("/log/")
    radio(page, "Stress", "6").check()
    page.get_by_label("Hours slept").fill("7.3")
    page.get_by_role("checkbox", name="Brain fog", exact=True).check()
    page.get_by_role("textbox", name="Notes").fill("Restless night.")
    page.get_by_role("button", name="Save today").click()

    expect(page.locator("[data-error-summary]")).to_contain_text("Nothing was saved yet")
    hours = page.get_by_label("Hours slept")
    field = page.locator(".field").filter(has=hours)
    expect(field.get_by_text(QUARTER_HOUR_MESSAGE)).to_be_visible()
    expect(hours).to_have_attribute("aria-invalid", "true")
    expect(hours).to_have_accessible_description(re.compile(re.escape(QUARTER_HOUR_MESSAGE)))
    expect(hours).to_have_value("7.3")
    expect(radio(page, "Stress", "6")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Brain fog", exact=True)).to_be_checked()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("Restless night.")
    assert not DailyEntry.objects.filter(user=user).exists()
    screenshot(page, "log-hours-error")
