"""Push reminders in the browser: "Remind me on this phone" subscribes through the service worker
and hands the subscription to Hearth, "Stop" undoes it, and the service worker turns a pushed
message into a notification. The browser's PushManager is replaced by a stand-in (an init script)
and the message is delivered through the DevTools protocol: no test reaches a real push service."""

import json

import pytest
from playwright.sync_api import Page, expect

from accounts.models import PushSubscription
from tests.accounts.test_push import browser_subscription
from tests.e2e.helpers import check_axe, check_no_horizontal_scroll, screenshot, sign_in
from tests.reminders.test_push_reminders import configure_vapid_keys, unb64

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENDPOINT = "https://fcm.googleapis.com/fcm/send/e2e-device"


def stand_in_push_manager() -> str:
    """PushManager as a browser with a push service would behave, remembering the key it was
    given (the page's VAPID key, decoded) so the test can compare."""
    subscription = browser_subscription(ENDPOINT)
    return f"""
(() => {{
  if (!window.PushManager) return;
  const json = {json.dumps(subscription)};
  let current = null;
  PushManager.prototype.subscribe = async function (options) {{
    window.__pushServerKey = Array.from(new Uint8Array(options.applicationServerKey));
    window.__pushVisibleOnly = options.userVisibleOnly;
    current = {{
      endpoint: json.endpoint,
      toJSON: () => json,
      unsubscribe: async () => {{ current = null; return true; }},
    }};
    return current;
  }};
  PushManager.prototype.getSubscription = async function () {{ return current; }};
}})();
"""


@pytest.fixture
def vapid_keys(settings) -> dict:
    return configure_vapid_keys(settings)


def test_remind_me_on_this_phone_subscribes_and_stop_undoes_it(
    page: Page, user, live_server, vapid_keys
):
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.context.add_init_script(script=stand_in_push_manager())
    sign_in(page, user, live_server)
    page.goto("/account/profile/")
    page.evaluate("() => navigator.serviceWorker.ready")

    subscribe = page.get_by_role("button", name="Remind me on this phone")
    expect(subscribe).to_be_visible()
    expect(page.get_by_text("Notifications need JavaScript")).to_be_hidden()
    assert check_axe(page) == []
    assert check_no_horizontal_scroll(page) == []
    subscribe.click()

    expect(
        page.get_by_role("status").filter(has_text="Reminders will come to this phone")
    ).to_be_visible()
    expect(page.get_by_label("As a notification on my phones")).to_be_checked()
    expect(page.get_by_role("button", name="Stop reminders on this phone")).to_be_focused()
    expect(subscribe).to_be_hidden()
    screenshot(page, "push-subscribed")
    server_key = unb64(vapid_keys["WEBPUSH_VAPID_PUBLIC_KEY"])
    assert page.evaluate("window.__pushServerKey") == list(server_key)
    assert page.evaluate("window.__pushVisibleOnly") is True
    subscription = PushSubscription.objects.get()
    assert (subscription.user, subscription.endpoint) == (user, ENDPOINT)
    user.refresh_from_db()
    assert user.reminder_push is True

    page.get_by_role("button", name="Stop reminders on this phone").click()

    expect(page.get_by_role("status").filter(has_text="no longer come")).to_be_visible()
    expect(subscribe).to_be_focused()
    assert not PushSubscription.objects.exists()


SHOWN_NOTIFICATIONS_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((item) =>
    ({ title: item.title, body: item.body, tag: item.tag, url: item.data.url }));
}"""


def test_the_service_worker_shows_a_pushed_reminder(page: Page, user, live_server, vapid_keys):
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(page, user, live_server)
    page.goto("/account/profile/")
    page.evaluate("() => navigator.serviceWorker.ready")
    devtools = page.context.new_cdp_session(page)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    for _ in range(100):
        live = [item for item in registrations if not item.get("isDeleted")]
        if live:
            break
        page.wait_for_timeout(100)
    message = {"title": "Your Hearth check-in", "body": "A moment to log today.", "url": "/log/"}

    # On a loaded machine the worker may still be starting when the first message arrives, and
    # Chromium drops it; the tag makes a second delivery replace the first, never add to it.
    shown = []
    for attempt in range(100):
        if attempt % 20 == 0:
            devtools.send(
                "ServiceWorker.deliverPushMessage",
                {
                    "origin": live_server.url,
                    "registrationId": live[-1]["registrationId"],
                    "data": json.dumps(message),
                },
            )
        if shown := page.evaluate(SHOWN_NOTIFICATIONS_JS):
            break
        page.wait_for_timeout(100)
    assert shown == [{**message, "tag": "hearth-reminder"}]
