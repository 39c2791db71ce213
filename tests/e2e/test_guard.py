"""The browser guard itself: if it stopped noticing, every other browser test would pass
without checking what it promises."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
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
    browser_guard.console_errors.clear()
    browser_guard.page_errors.clear()
    browser_guard.foreign_requests.clear()
