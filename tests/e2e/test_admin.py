"""A moderator signs in through the site with their authenticator app and suspends an account;
the admin pages Hearth adds pass axe-core, label every control and fit a phone."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from accounts.models import ModerationAction
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
from tests.factories import TotpAuthenticatorFactory, UserFactory, totp_code

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

ADMIN = "/" + settings.ADMIN_URL
USERS = ADMIN + "accounts/user/"


@pytest.fixture
def e2e_moderator(transactional_db):
    """A moderator with an authenticator app (the migration_data fixture makes the group)."""
    person = UserFactory(email="mod@example.org", is_staff=True)
    person.groups.add(Group.objects.get(name="Moderators"))
    TotpAuthenticatorFactory(user=person)
    return person


def problems_on(page: Page, name: str, *, fits_phone: bool = True) -> list[str]:
    """Everything wrong with the page at a phone's width and a desktop's, reported at once."""
    found: list[str] = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        found += check_controls_labelled(page) + check_descriptions_not_empty(page)
        if viewport == PHONE:
            found += check_axe(page)
            if fits_phone:
                found += check_no_horizontal_scroll(page)
        screenshot(page, f"admin-{name}")
    page.set_viewport_size(PHONE)
    return [f"{name}: {problem}" for problem in dict.fromkeys(found)]


def test_a_moderator_signs_in_with_two_factor_and_suspends_an_account(
    page: Page, e2e_moderator, user
):
    page.goto(ADMIN)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Email").fill(e2e_moderator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(totp_code())
    page.get_by_role("button", name=re.compile("Sign in|Verify|Authenticate", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")

    page.goto(USERS)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=user.email))
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Suspend selected accounts")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suspend: give a reason")
    problems = problems_on(page, "reason")
    page.get_by_label("Reason").fill("Posting spam links, reported twice.")
    page.get_by_role("button", name="Suspend").click()

    expect(page.get_by_text("Suspend: done for 1 account(s).")).to_be_visible()
    expect(row.get_by_text("Suspended", exact=True)).to_be_visible()
    user.refresh_from_db()
    assert not user.is_active
    line = ModerationAction.objects.get()
    assert (line.action, line.moderator, line.reason) == (
        "suspend",
        e2e_moderator,
        "Posting spam links, reported twice.",
    )
    assert not problems, "\n".join(problems)


def test_the_pages_hearth_adds_to_the_admin_are_accessible(
    page: Page, live_server, browser_guard, e2e_moderator, user
):
    # The two-factor and staff-only pages answer 403, which Chromium logs as an error.
    browser_guard.allow_console_error(r"status of 403 \(Forbidden\)")
    sign_in(page, e2e_moderator, live_server, second_factor=True)
    problems: list[str] = []

    page.goto(ADMIN + "dashboard/")
    expect(page.get_by_role("table", name="Sign-ups per week, last 12 weeks")).to_be_visible()
    problems += problems_on(page, "dashboard")

    page.goto(USERS)
    page.get_by_role("row").filter(has=page.get_by_role("link", name=user.email)).get_by_role(
        "checkbox"
    ).check()
    page.get_by_label("Action:").select_option(label="Delete the selected account")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Reason").fill("Asked to be removed.")
    page.get_by_label("Type the account's email address to confirm").fill("someone@else.org")
    page.get_by_role("button", name="Delete account").click()
    expect(page.get_by_text("Nothing was deleted: see below.")).to_be_visible()
    expect(page.get_by_text("That is not this account's email address")).to_be_visible()
    problems += problems_on(page, "delete-with-errors")

    e2e_moderator.authenticator_set.all().delete()
    page.goto(ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Turn on two-factor authentication to moderate"
    )
    problems += problems_on(page, "two-factor-required")

    sign_in(page, user, live_server)
    page.goto(ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("This part of Hearth is for staff")
    problems += problems_on(page, "staff-only")

    assert not problems, "\n".join(problems)
