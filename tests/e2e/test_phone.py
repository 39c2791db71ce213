"""Hearth on a phone (375 px): every page is one menu away, the log's first answer a few key
presses away, tables fit the screen without hiding a column, date fields are as easy to tap as
any other control, and the sticky Save bar never covers the control in focus."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    check_controls_labelled,
    check_no_horizontal_scroll,
    check_table_cells_visible,
    focus_is_visible,
    open_main_menu,
    sign_in,
)
from tests.factories import DailyEntryFactory, MedicationFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

JOURNAL_PAGES = {
    "Today": "/log/",
    "History": "/history/",
    "Trends": "/trends/",
    "Insights": "/insights/",
    "Report": "/report/",
    "Medications": "/medications/",
}
ACCOUNT_PAGES = {
    "Profile": "/account/profile/",
    "Security": "/account/security/",
    "Two-factor": "/accounts/2fa/",
    "Devices": "/accounts/sessions/",
    "Your data": "/account/data/",
    "API tokens": "/account/tokens/",
    "Share links": "/share/",
}
FIRST_ANSWER = 'input[name="sexual_activity"]'


@pytest.fixture
def journal(user) -> datetime.date:
    """Two months of days with two flares, notes and a medication, and one day 400 days ago
    so that "all time" is shown by week. Returns the first of the two months."""
    today = user.today()
    first = today - datetime.timedelta(days=59)
    for offset in range(60):
        day = first + datetime.timedelta(days=offset)
        flaring = offset % 20 in (3, 4, 5)
        DailyEntryFactory(
            user=user,
            day=day,
            stress=offset % 11,
            fatigue=(offset * 3) % 11,
            flare_severity=8 if flaring else 1,
            sleep_hours=Decimal("7.25"),
            sleep_quality=offset % 5 + 1,
            libido=offset % 5 + 1,
            sexual_activity="solo" if offset % 6 == 0 else "none",
            physical_affection=offset % 4 == 0,
            notes="Hands stiff all morning." if flaring else "",
        )
    DailyEntryFactory(user=user, day=today - datetime.timedelta(days=400))
    MedicationFactory(user=user, name="Methotrexate", dose="15 mg weekly")
    MedicationFactory(
        user=user,
        name="Hydroxychloroquine",
        dose="200 mg twice daily",
        started=today - datetime.timedelta(days=50),
        stopped=today - datetime.timedelta(days=10),
    )
    return first


# Findability ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/log/", "/trends/", "/report/", "/account/profile/", "/accounts/sessions/"]
)
def test_the_menu_on_a_phone_reaches_every_journal_and_account_page(signed_in_page: Page, path):
    page = signed_in_page
    page.goto(path)
    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] <= 80, "the closed menu is not compact"
    expect(page.get_by_role("link", name="Report", exact=True)).to_have_count(0)

    navigation = open_main_menu(page)

    for name, href in {**JOURNAL_PAGES, **ACCOUNT_PAGES}.items():
        link = navigation.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", href)
    expect(navigation.get_by_role("button", name="Sign out")).to_be_visible()
    assert not check_no_horizontal_scroll(page)


def test_the_menu_opens_and_leads_to_the_report_without_javascript(
    browser: Browser, user, live_server
):
    # A context of its own: the browser guard's checks run JavaScript in every page it watches.
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport=PHONE
    )
    page = context.new_page()
    sign_in(page, user, live_server)
    page.goto("/log/")
    page.get_by_role("navigation", name="Main").get_by_text("Menu").click()
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.get_by_role("heading", name="Report for your clinician")).to_be_visible()
    context.close()


def test_a_wide_screen_shows_the_journal_pages_and_an_account_menu(signed_in_page: Page):
    page = signed_in_page
    page.set_viewport_size(DESKTOP)
    page.goto("/history/")
    navigation = page.get_by_role("navigation", name="Main")
    for name, href in JOURNAL_PAGES.items():
        expect(navigation.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "href", href
        )
    expect(navigation.get_by_role("link", name="History", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(navigation.get_by_role("link", name="Profile", exact=True)).to_be_hidden()

    navigation.locator("summary").click()
    for name, href in ACCOUNT_PAGES.items():
        expect(navigation.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "href", href
        )
    page.keyboard.press("Escape")
    expect(navigation.get_by_role("link", name="Profile", exact=True)).to_be_hidden()


def test_the_api_docs_lead_back_to_hearth(signed_in_page: Page):
    page = signed_in_page
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("link", name="Your API tokens")).to_have_attribute(
        "href", "/account/tokens/"
    )
    page.get_by_role("link", name="Back to Hearth").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


# Keyboard ------------------------------------------------------------------------------------


def tab_stops_until(page: Page, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until the focused element matches selector; what each press reached."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "() => { const el = document.activeElement;"
                " return `${el.tagName.toLowerCase()} ${el.innerText || el.name || ''}`.trim(); }"
            )
        )
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return stops
    raise AssertionError(f"{limit} presses of Tab never reached {selector}: {stops}")


def test_the_skip_link_lands_on_the_first_answer_of_the_log(signed_in_page: Page):
    page = signed_in_page
    page.goto("/log/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    page.keyboard.press("Enter")

    # Nothing is chosen yet, so the first answer is the first question's "Skip".
    expect(page.locator(f"{FIRST_ANSWER}:checked")).to_be_focused()
    assert focus_is_visible(page)


def test_in_discreet_mode_the_skip_link_lands_just_before_the_closed_private_answers(
    signed_in_page: Page, user
):
    user.discreet_mode = True
    user.save(update_fields=["discreet_mode"])
    page = signed_in_page
    page.goto("/log/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(".log-form summary").first).to_be_focused()


def test_the_first_answer_of_the_log_is_a_few_tab_presses_from_the_top(signed_in_page: Page):
    page = signed_in_page
    page.goto("/log/")
    stops = tab_stops_until(page, FIRST_ANSWER)
    # Skip link, Hearth, Menu, Previous day, the day strip, "copy the last day", first answer.
    assert len(stops) <= 7, stops


def test_the_day_strip_is_one_tab_stop_moved_through_with_arrow_keys(
    signed_in_page: Page, user, live_server
):
    page = signed_in_page
    page.goto("/log/")
    strip = page.get_by_role("toolbar", name="Last 14 days")
    days = strip.get_by_role("link")
    expect(days).to_have_count(14)
    page.get_by_role("link", name="Previous day").focus()

    page.keyboard.press("Tab")
    expect(days.nth(13)).to_be_focused()  # today, the day shown
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    expect(strip.locator(":focus")).to_have_count(0)
    page.keyboard.press("Shift+Tab")
    expect(days.nth(13)).to_be_focused()

    page.keyboard.press("ArrowLeft")
    expect(days.nth(12)).to_be_focused()
    page.keyboard.press("Home")
    expect(days.nth(0)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(days.nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(days.nth(13)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")

    yesterday = user.today() - datetime.timedelta(days=1)
    expect(page).to_have_url(f"{live_server.url}/log/{yesterday.isoformat()}/")
    page.get_by_role("link", name="Next day").focus()
    page.keyboard.press("Tab")
    shown = strip.locator('[aria-current="date"]')  # the strip's tab stop is the day shown
    expect(shown).to_be_focused()
    expect(shown).to_have_attribute("href", f"/log/{yesterday.isoformat()}/")


def test_tabbing_through_the_log_keeps_the_focused_control_clear_of_the_save_bar(
    signed_in_page: Page,
):
    page = signed_in_page
    page.goto("/log/")
    page.locator(f"{FIRST_ANSWER}:checked").focus()
    save = page.get_by_role("button", name="Save today")
    covered = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type === 'submit'"):
            break
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              const box = (el.closest("label") || el).getBoundingClientRect();
              const bar = document.querySelector(".save-bar").getBoundingClientRect();
              const name = (el.labels?.[0]?.innerText || el.name || el.tagName).trim();
              const legend = el.closest("fieldset")?.querySelector("legend")?.innerText || "";
              return { name: `${legend} ${name}`.trim(), bottom: box.bottom, barTop: bar.top };
            }"""
        )
        if focused["bottom"] > focused["barTop"] + 0.5:
            covered.append(focused["name"])
    expect(save).to_be_focused()
    assert not covered, f"under the Save bar when focused: {covered}"


# Fits a phone --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "tables"),
    [
        ("/trends/", 1),
        ("/trends/?range=all", 1),
        ("/trends/table/stress/", 1),
        ("/trends/table/stress/?range=all", 1),
        ("/report/?include_notes=on&include_intimacy=on&start={first}&end={today}", 3),
        ("/history/", 0),
        ("/medications/", 0),
        ("/insights/", 0),
    ],
)
def test_the_page_fits_a_phone_and_every_table_cell_is_visible(
    signed_in_page: Page, user, journal, path, tables
):
    page = signed_in_page
    page.goto(path.format(first=journal.isoformat(), today=user.today().isoformat()))
    expect(page.locator("main table.data-table")).to_have_count(tables)
    problems = check_no_horizontal_scroll(page) + check_table_cells_visible(page)
    assert not problems, "\n".join(problems)


def test_the_trends_summary_shows_change_and_days_on_a_phone(signed_in_page: Page, journal):
    page = signed_in_page
    page.goto("/trends/")
    stress = page.get_by_role("row", name=re.compile("^Stress"))
    for column in ("Average", "Previous period", "Change", "Days"):
        cell = stress.locator(f'td[data-label="{column}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], column


@pytest.mark.parametrize("path", ["/trends/", "/report/", "/medications/"])
def test_date_fields_are_labelled_and_as_easy_to_tap_as_other_controls(
    signed_in_page: Page, journal, path
):
    page = signed_in_page
    page.goto(path)
    dates = page.locator('main input[type="date"]')
    assert dates.count() >= 2
    for index in range(dates.count()):
        field = dates.nth(index)
        box = field.bounding_box()
        font_size = field.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
        label = field.evaluate("(el) => el.labels[0].innerText.trim()")
        assert box["height"] >= 44, f"{label}: {box['height']}px tall"
        assert font_size >= 16, f"{label}: {font_size}px text"
    assert not check_controls_labelled(page)


def test_the_sessions_page_keeps_sign_out_apart_from_the_security_link(signed_in_page: Page):
    page = signed_in_page
    page.goto("/accounts/sessions/")
    sign_out = page.get_by_role("main").get_by_role("button", name="Sign out")
    security = page.get_by_role("link", name="Security activity")
    button, link = sign_out.bounding_box(), security.bounding_box()
    assert link["y"] - (button["y"] + button["height"]) >= 16
    assert page.viewport_size == PHONE
