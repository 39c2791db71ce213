"""Every page: axe-core finds nothing serious or critical and nothing scrolls sideways at a
phone's width (375 px); at that width and a desktop's (1280 px), every control has a visible
label, every aria-describedby leads to text, and pages about a person's health show the
clinician notice.

Each page is one test that reports all of its problems at once; screenshots of every page at
both widths are saved in /tmp/hearth-shots/ for people to look at.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    check_axe,
    check_controls_labelled,
    check_descriptions_not_empty,
    check_no_horizontal_scroll,
    screenshot,
    sign_in,
)
from tests.factories import DailyEntryFactory, SymptomFactory
from tracker.models import IntimacyBarrier, Symptom

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

CLINICIAN_NOTICE = "consult your clinician"


@dataclass(frozen=True)
class Screen:
    name: str
    path: str  # "{past_day}" stands for a day, before today, that has an entry
    signed_in: bool = False
    clinician_notice: bool = False
    status: int = 200
    confirm_password: bool = False  # pages that ask for the password again first
    discreet: bool = False  # the person has turned discreet mode on


SCREENS = [
    Screen("home", "/"),
    Screen("privacy", "/privacy/"),
    Screen("login", "/accounts/login/"),
    Screen("signup", "/accounts/signup/"),
    Screen("password-reset", "/accounts/password/reset/"),
    Screen("not-found", "/no-such-page/", status=404),
    Screen("log-today", "/log/", signed_in=True, clinician_notice=True),
    Screen("log-past-day", "/log/{past_day}/", signed_in=True, clinician_notice=True),
    Screen("log-with-errors", "/log/", signed_in=True, clinician_notice=True),
    Screen("delete-day", "/log/{past_day}/delete/", signed_in=True, clinician_notice=True),
    Screen("history", "/history/", signed_in=True, clinician_notice=True),
    Screen("symptoms", "/symptoms/", signed_in=True, clinician_notice=True),
    Screen("trends-90-days", "/trends/", signed_in=True, clinician_notice=True),
    Screen("trends-all-time", "/trends/?range=all", signed_in=True, clinician_notice=True),
    Screen("trends-1-year", "/trends/?range=1y", signed_in=True, clinician_notice=True),
    Screen("insights", "/insights/", signed_in=True, clinician_notice=True),
    Screen(
        "report",
        "/report/?start={past_day}&end={past_day}&include_notes=on&include_intimacy=on",
        signed_in=True,
        clinician_notice=True,
    ),
    Screen("medications", "/medications/", signed_in=True, clinician_notice=True),
    Screen("profile", "/account/profile/", signed_in=True),
    Screen("password-change", "/accounts/password/change/", signed_in=True),
    Screen("email", "/accounts/email/", signed_in=True),
    Screen("reauthenticate", "/accounts/reauthenticate/", signed_in=True),
    Screen("two-factor", "/accounts/2fa/", signed_in=True),
    Screen("totp-setup", "/accounts/2fa/totp/activate/", signed_in=True, confirm_password=True),
    Screen("passkey-add", "/accounts/2fa/webauthn/add/", signed_in=True, confirm_password=True),
    Screen("passkeys", "/accounts/2fa/webauthn/", signed_in=True),
    Screen("sessions", "/accounts/sessions/", signed_in=True),
    Screen("security", "/account/security/", signed_in=True),
    Screen("tokens", "/account/tokens/", signed_in=True),
    Screen("data", "/account/data/", signed_in=True, confirm_password=True),
    Screen("import", "/account/data/import/", signed_in=True, confirm_password=True),
    Screen("delete-account", "/account/delete/", signed_in=True, confirm_password=True),
    *(
        Screen(f"discreet-{name}", path, signed_in=True, clinician_notice=True, discreet=True)
        for name, path in [
            ("log", "/log/"),
            ("history", "/history/"),
            ("trends", "/trends/"),
            ("insights", "/insights/"),
        ]
    ),
]


@pytest.fixture
def past_day(user) -> datetime.date:
    """A journal with something in it: today and two days ago logged, one own symptom."""
    today = user.today()
    own = SymptomFactory(owner=user, name="Aching wrists")
    for day in (today, today - datetime.timedelta(days=2)):
        entry = DailyEntryFactory(
            user=user,
            day=day,
            sexual_activity="solo",
            intensity="gentle",
            satisfaction=4,
            physical_affection=True,
            libido=3,
            sleep_hours=Decimal("7.25"),
            sleep_quality=4,
            notes="Quiet day.",
        )
        entry.symptoms.add(own, Symptom.objects.get(owner=None, name="Stiffness"))
        entry.intimacy_barriers.add(IntimacyBarrier.objects.get(slug="pain"))
    return today - datetime.timedelta(days=2)


def submit_hours_not_in_quarters(page: Page) -> None:
    page.get_by_label("Hours slept").fill("7.3")
    page.get_by_role("button", name="Save today").click()
    # Once in the error summary at the top, once next to the field.
    expect(page.get_by_text("Use quarter hours")).to_have_count(2)


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_page_is_accessible_and_fits_a_phone(
    page: Page, live_server, request, browser_guard, screen: Screen
):
    path = screen.path
    if screen.signed_in:
        user = request.getfixturevalue("user")
        if screen.discreet:
            user.discreet_mode = True
            user.save(update_fields=["discreet_mode"])
        path = path.format(past_day=request.getfixturevalue("past_day").isoformat())
        sign_in(page, user, live_server)
        if screen.confirm_password:
            page.goto("/accounts/reauthenticate/")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Confirm").click()
            page.wait_for_url("**/log/")
    if screen.status == 404:
        browser_guard.allow_console_error(r"status of 404 \(Not Found\)")

    response = page.goto(path)
    assert response.status == screen.status, f"{path} answered {response.status}"
    if screen.name == "log-with-errors":
        submit_hours_not_in_quarters(page)

    problems: dict[str, str] = {}  # problem -> the width it was first seen at
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        on_phone = viewport == PHONE
        found = check_controls_labelled(page) + check_descriptions_not_empty(page)
        if on_phone:
            # axe takes seconds on the log form, and Hearth's CSS only changes grid columns
            # with the width, so one run at the width most people use covers the page.
            found += check_axe(page) + check_no_horizontal_scroll(page)
        if screen.clinician_notice and not page.get_by_text(CLINICIAN_NOTICE).is_visible():
            found.append(f"the clinician notice (“{CLINICIAN_NOTICE}”) is not visible")
        for problem in found:  # The same fault usually shows at both widths: report it once.
            problems.setdefault(problem, f"{viewport['width']}px")
        screenshot(page, screen.name)

    assert not problems, f"{screen.name} ({path}):\n" + "\n".join(
        f"[{width}] {problem}" for problem, width in problems.items()
    )
