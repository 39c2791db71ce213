"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here gets a guard that fails it on a console error, an uncaught page error, a
Content-Security-Policy violation, or a request to any origin other than the live server (Hearth
promises that no page contacts anyone else). Tests that are not about signing in get a browser
that is already signed in through a session cookie, which is much faster than the login form.
"""

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, Request

from tests.e2e.helpers import PHONE, sign_in

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in one
# unless told it is safe (the live server and the tests never share a connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# The network is closed here: without these, Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Every page starts on a phone-sized screen, with paths relative to the live server."""
    return {**browser_context_args, "base_url": live_server.url, "viewport": PHONE}


# Chromium's console wording for what the Content-Security-Policy blocked.
CSP_CONSOLE_MESSAGE = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)
# Runs in every document before the page's own scripts; init scripts are not subject to the
# page's CSP, so the listener is there even on a page whose policy blocks everything.
REPORT_CSP_VIOLATIONS_JS = """
window.addEventListener("securitypolicyviolation", (event) => {
  window.__hearthCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(unnamed)"} ` +
    `on ${event.documentURI} (${event.sourceFile || "?"}:${event.lineNumber})`
  );
}, true);
"""


@dataclass
class BrowserGuard:
    """Collects what must never happen on a Hearth page while a test runs."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_console: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def allow_console_error(self, pattern: str) -> None:
        """Accept console errors matching pattern, e.g. the one Chromium logs for a 404 page.
        Never applies to CSP violations: nothing may break the policy."""
        self.allowed_console.append(re.compile(pattern))

    def watch(self, context: BrowserContext) -> None:
        """Guard context; a test that opens a second browser context passes it here too."""
        self.contexts.append(context)
        context.on("console", self._on_console)
        context.on("weberror", lambda web_error: self.page_errors.append(str(web_error.error)))
        context.on("request", self._on_request)
        context.expose_function("__hearthCspViolation", self._on_csp_violation)
        context.add_init_script(script=REPORT_CSP_VIOLATIONS_JS)

    def settle(self) -> None:
        """Let every open page deliver the reports still on their way to the test."""
        for page in (page for context in self.contexts for page in context.pages):
            try:
                page.evaluate("() => new Promise((resolve) => setTimeout(resolve))")
            except Error:  # Closed or navigating: nothing more will come from it.
                continue

    def _on_csp_violation(self, report: str) -> None:
        self.csp_violations.append(report)

    def _on_console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url")
        text = f"{message.text} ({where})" if where else message.text
        if CSP_CONSOLE_MESSAGE.search(message.text):
            self.csp_console.append(text)
        elif message.type == "error":
            self.console_errors.append(text)

    def _on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:  # Inline content, not a request out.
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def problems(self) -> list[str]:
        console = [
            text
            for text in self.console_errors
            if not any(pattern.search(text) for pattern in self.allowed_console)
        ]
        return (
            [f"console error: {text}" for text in console]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"request to another origin: {url}" for url in self.foreign_requests]
            + [f"CSP violation in the console: {text}" for text in self.csp_console]
            + [f"CSP violation reported: {report}" for report in self.csp_violations]
        )

    def forget(self) -> None:
        """Drop everything seen so far (for tests that stage problems on purpose)."""
        for seen in (
            self.console_errors,
            self.page_errors,
            self.foreign_requests,
            self.csp_console,
            self.csp_violations,
        ):
            seen.clear()


@pytest.fixture(autouse=True)
def browser_guard(request, live_server):
    guard = BrowserGuard(origin=live_server.url)
    if "context" in request.fixturenames:
        guard.watch(request.getfixturevalue("context"))
    return guard


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) when the guard saw something."""
    result = yield
    guard = item.funcargs.get("browser_guard")
    if guard is not None:
        guard.settle()
    if guard is not None and (problems := guard.problems()):
        pytest.fail("The browser saw:\n  " + "\n  ".join(problems), pytrace=False)
    return result


@pytest.fixture
def signed_in_page(page, user, live_server) -> Page:
    sign_in(page, user, live_server)
    return page
