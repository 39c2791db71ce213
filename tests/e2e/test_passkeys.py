"""Passkeys: a person adds one and then signs in with it, typing no password.

Chromium's virtual authenticator (DevTools WebAuthn domain) stands in for a phone's fingerprint
reader, so the real WebAuthn ceremony runs in the browser against Hearth's server.
"""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import check_axe, open_main_menu, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fingerprint_reader(page: Page) -> None:
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_person_adds_a_passkey_and_signs_in_with_it(
    page: Page, user, live_server, fingerprint_reader
):
    sign_in(page, user, live_server)
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    # Adding a way to sign in needs the password again.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name this passkey").fill("My phone")
    expect(page.get_by_label("Sign in with this passkey, without a password")).to_be_checked()
    assert check_axe(page) == []
    screenshot(page, "passkey-add")

    page.get_by_role("button", name="Add passkey").click()

    # A first passkey comes with recovery codes, shown straight away.
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Done").click()
    page.get_by_role("link", name="Manage passkeys").click()
    expect(page.get_by_role("heading", name="Your passkeys")).to_be_visible()
    expect(page.get_by_role("heading", name="My phone")).to_be_visible()
    passkey = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().is_passwordless

    open_main_menu(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()

    page.wait_for_url("**/log/")
    expect(open_main_menu(page).get_by_role("button", name="Sign out")).to_be_visible()
