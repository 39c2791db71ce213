"""The browser guard itself: if it stopped noticing, every other browser test would pass
without checking what it promises. Then every page a signed-in person can open, visited under
the guard: nothing is requested from another origin and nothing breaks the
Content-Security-Policy."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.factories import DailyEntryFactory, MedicationFactory
from tracker.measures import CHARTED
from tracker.trends.periods import RANGE_LABELS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

# Every page a signed-in person can open, visited right after they confirmed their password (so
# pages that ask for it again open at once). "{day}" is a logged day before today, "{today}" is
# today and "{medication}" the id of one of their medications. Add each new page here.
SIGNED_IN_PAGES = [
    "/log/",
    "/log/{day}/",
    "/log/{day}/delete/",
    "/history/",
    "/symptoms/",
    *(f"/trends/?range={key}" for key in RANGE_LABELS),
    *(f"/trends/table/{measure}/" for measure in CHARTED),
    "/trends/table/stress/?range=all",
    *(f"/insights/?range={key}" for key in RANGE_LABELS),
    "/report/",
    "/report/?start={day}&end={today}&include_notes=on&include_intimacy=on",
    "/medications/",
    "/medications/{medication}/",
    "/account/profile/",
    "/account/tokens/",
    "/account/security/",
    "/account/data/",
    "/account/data/import/",
    "/account/delete/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/reauthenticate/",
    "/accounts/sessions/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/api/v1/docs/",
]


def test_guard_notices_console_errors_page_errors_and_other_origins(page, browser_guard):
    page.goto("/privacy/")
    page.evaluate(
        """() => {
          console.error("something broke");
          setTimeout(() => { throw new Error("uncaught"); });
          const image = document.createElement("img");
          image.src = "http://192.0.2.1/tracker.gif";  // TEST-NET-1: never routed
          document.body.append(image);
        }"""
    )
    page.wait_for_timeout(200)

    problems = browser_guard.problems()

    assert any("console error: something broke" in problem for problem in problems)
    assert any("page error:" in problem and "uncaught" in problem for problem in problems)
    assert "request to another origin: http://192.0.2.1/tracker.gif" in problems
    # Forget what was staged here so the guard does not fail this test.
    browser_guard.forget()


def test_guard_notices_content_security_policy_violations_whatever_it_allows(page, browser_guard):
    page.goto("/privacy/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineScriptRan = true;";
          document.body.append(script);
          const styled = document.createElement("p");
          styled.id = "styled-inline";
          styled.setAttribute("style", "color: rgb(255, 0, 0)");
          document.body.append(styled);
          // The CSSOM is not inline style: CSP allows it (uPlot draws charts this way).
          const scripted = document.createElement("p");
          scripted.id = "styled-by-script";
          scripted.style.color = "rgb(255, 0, 0)";
          document.body.append(scripted);
        }"""
    )
    # An allow-list for ordinary console errors must never hide a violation of the policy.
    browser_guard.allow_console_error(".")
    browser_guard.settle()

    problems = browser_guard.problems()

    assert page.evaluate("() => window.inlineScriptRan") is None, "the policy let it run"
    color = "(selector) => getComputedStyle(document.querySelector(selector)).color"
    assert page.evaluate(color, "#styled-inline") != "rgb(255, 0, 0)"
    assert page.evaluate(color, "#styled-by-script") == "rgb(255, 0, 0)"
    assert any(
        problem.startswith("CSP violation in the console:") and "inline script" in problem
        for problem in problems
    ), problems
    assert any(
        problem.startswith("CSP violation reported: script-src-elem blocked inline")
        for problem in problems
    ), problems
    assert any(
        problem.startswith("CSP violation reported: style-src-attr blocked inline")
        for problem in problems
    ), problems
    assert len([problem for problem in problems if "CSP violation reported" in problem]) == 2
    browser_guard.forget()


@pytest.fixture
def journal(user) -> dict[str, str]:
    """Seven weeks of varied days, with intimacy, notes and a medication, so every chart, table
    and answer on the pages has something to draw; returns the values for SIGNED_IN_PAGES."""
    today = user.today()
    for days_ago in range(0, 50):
        if days_ago % 7 == 3:
            continue  # Missed days leave gaps in the charts.
        DailyEntryFactory(
            user=user,
            day=today - datetime.timedelta(days=days_ago),
            stress=days_ago % 11,
            fatigue=(days_ago * 3) % 11,
            flare_severity=(days_ago * 7) % 11,
            sleep_hours=Decimal("6.5") + Decimal(days_ago % 4) / 2,
            sleep_quality=1 + days_ago % 5,
            libido=1 + (days_ago * 2) % 5,
            sexual_activity=("solo", "partnered", "none")[days_ago % 3],
            physical_affection=days_ago % 2 == 0,
            notes="A quiet day." if days_ago % 5 == 0 else "",
        )
    medication = MedicationFactory(user=user, started=today - datetime.timedelta(days=30))
    return {
        "day": (today - datetime.timedelta(days=2)).isoformat(),
        "today": today.isoformat(),
        "medication": str(medication.pk),
    }


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_charts_drawn(page: Page) -> None:
    """uPlot sizes and moves its parts through the CSSOM: the charts are drawn, and the cursor
    follows the pointer, under a policy without 'unsafe-inline'."""
    chart = page.locator('[data-chart="stress"]')
    expect(chart.locator("canvas")).to_have_count(1)
    assert chart.locator(".u-over").bounding_box()["width"] > 100
    chart.locator(".u-over").hover()
    cursor_left = chart.locator(".u-cursor-x").evaluate(
        "(cursor) => cursor.getBoundingClientRect().left - cursor.parentElement"
        ".getBoundingClientRect().left"
    )
    assert cursor_left > 50, f"the chart's cursor did not follow the pointer ({cursor_left}px)"


def test_every_signed_in_page_stays_on_its_own_origin_and_keeps_the_policy(
    signed_in_page: Page, live_server, journal, browser_guard
):
    page = signed_in_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    failures: dict[str, list[str]] = {}
    page.goto("/accounts/reauthenticate/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/log/")

    for pattern in SIGNED_IN_PAGES:
        path = pattern.format(**journal)
        response = page.goto(path)
        problems = []
        if not response.ok or page.url != live_server.url + path:
            problems.append(f"answered {response.status} at {page.url}")
        if "content-security-policy" not in response.headers:
            problems.append("the page came without its Content-Security-Policy")
        page.wait_for_load_state("networkidle")
        if path.startswith("/trends/?"):
            check_charts_drawn(page)
        if path == "/api/v1/docs/":
            expect(page.get_by_role("heading", name="Hearth API")).to_be_visible()
        browser_guard.settle()
        problems += browser_guard.problems()
        if problems:
            failures[path] = problems
        browser_guard.forget()

    assert not failures, "\n".join(
        f"{path}:\n  " + "\n  ".join(problems) for path, problems in failures.items()
    )
    elsewhere = [url for url in requested if origin(url) != live_server.url]
    assert not elsewhere, f"requests to other origins: {elsewhere}"
    # The recording itself works: the charts' library and the API schema were fetched.
    paths = {urlsplit(url).path for url in requested}
    assert "/static/vendor/uplot-1.6.32/uPlot.iife.min.js" in paths
    assert "/api/v1/schema/" in paths
