"""API tokens in the browser: making one asks for the password again, the secret is shown once
with a Copy button (or, without JavaScript, in a focused read-only field), and the list with its
Revoke buttons fits a phone's width."""

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import ApiToken
from accounts.tokens import create_token
from tests.conftest import PASSWORD
from tests.e2e.helpers import (
    PHONE,
    check_axe,
    check_controls_labelled,
    check_descriptions_not_empty,
    check_no_horizontal_scroll,
    screenshot,
    sign_in,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

# Sixty characters, the longest name allowed, with a long word a phone cannot break at a space.
LONG_NAME = "MorningLogShortcutOnTheKitchenIPadThatEveryoneInTheHouseUses"


def page_problems(page: Page) -> list[str]:
    return (
        check_axe(page)
        + check_no_horizontal_scroll(page)
        + check_controls_labelled(page)
        + check_descriptions_not_empty(page)
    )


def make_token_giving_the_password(page: Page, name: str, expires: str) -> None:
    page.goto("/account/tokens/")
    page.get_by_label("Token name").fill(name)
    page.get_by_label("Expires").select_option(label=expires)
    page.get_by_role("button", name="Make token").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name=f"Your new token “{name}”")).to_be_visible()


def test_making_a_token_asks_for_the_password_then_copy_puts_it_on_the_clipboard(
    signed_in_page: Page, user, live_server
):
    page = signed_in_page
    page.context.grant_permissions(["clipboard-write"], origin=live_server.url)

    make_token_giving_the_password(page, "Phone shortcut", "In 30 days")

    field = page.get_by_label("Token", exact=True)
    expect(field).to_have_attribute("readonly", "")
    expect(field).to_be_focused()
    secret = field.input_value()
    assert page_problems(page) == []
    screenshot(page, "token-made")
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    # The clipboard really holds the secret: paste it into the name field (which keeps 60 of
    # its 64 characters).
    page.get_by_label("Token name").focus()
    page.keyboard.press("Control+V")
    expect(page.get_by_label("Token name")).to_have_value(secret[:60])

    page.reload()
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)
    assert secret not in page.content()
    assert ApiToken.objects.filter(user=user).count() == 1
    assert (
        ApiToken.objects.get().expiry.date()
        == (ApiToken.objects.get().created + datetime.timedelta(days=30)).date()
    )


def test_without_javascript_the_secret_is_focused_and_read_only(
    browser: Browser, live_server, user
):
    # A context of its own: the browser guard's checks run JavaScript in every page it watches.
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport=PHONE
    )
    page = context.new_page()
    sign_in(page, user, live_server)

    make_token_giving_the_password(page, "Script", "In 90 days")

    field = page.get_by_label("Token", exact=True)
    expect(field).to_have_attribute("readonly", "")
    expect(field).to_be_focused()
    expect(page.get_by_role("button", name="Copy token")).to_have_count(0)
    context.close()


def test_the_tokens_page_fits_a_phone_with_every_revoke_button_in_reach(signed_in_page: Page, user):
    create_token(user, LONG_NAME, None)
    create_token(user, "Laptop script")
    page = signed_in_page
    page.set_viewport_size(PHONE)

    page.goto("/account/tokens/")

    assert page_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    buttons = page.get_by_role("button", name="Revoke")
    expect(buttons).to_have_count(2)
    for button in buttons.all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "tokens")

    page.get_by_role("button", name=f"Revoke {LONG_NAME}").click()

    expect(page.get_by_text(f"Revoked “{LONG_NAME}”.")).to_be_visible()
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Laptop script"]
