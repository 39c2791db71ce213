"""What the browser tests do and check, kept apart from the tests so each test reads as a story.

The check_* functions return a list of readable problems (empty when all is well), so one test
can report everything wrong with a page at once instead of stopping at the first problem.
"""

import contextlib
from pathlib import Path

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error, Locator, Page

from tests.conftest import sign_in_with_second_factor

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SHOTS_DIR = Path("/tmp/hearth-shots")
BLOCKING_IMPACTS = ("serious", "critical")


class _Axe(Axe):
    """axe-core, injected once per document rather than before every run (it is 500 kB)."""

    def run(self, page: Page, context=None, options=None) -> AxeResults:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.axe_script)
        options = {"resultTypes": ["violations"], **(options or {})}
        return AxeResults(page.evaluate("(options) => axe.run(document, options)", options))


_axe = _Axe()

# A short, recognisable description of an element for failure messages.
_DESCRIBE_JS = """
function describe(el) {
  let text = el.tagName.toLowerCase();
  if (el.id) text += "#" + el.id;
  if (el.getAttribute("name")) text += `[name="${el.getAttribute("name")}"]`;
  if (el.type && el.tagName === "INPUT") text += `[type="${el.type}"]`;
  return text;
}
"""


def sign_in(page: Page, user, live_server, *, second_factor: bool = False) -> None:
    """Give the browser a session for user, as if they had signed in through the form (and,
    with second_factor, their authenticator app, as the admin requires of staff)."""
    client = Client()
    if second_factor:
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_id, "url": live_server.url}]
    )


def open_main_menu(page: Page) -> Locator:
    """Open the main menu ("Menu" on a phone, "Account" on a wide screen) if it is closed, and
    return the main navigation, where every page of Hearth is one link away."""
    navigation = page.get_by_role("navigation", name="Main")
    if navigation.locator("details").get_attribute("open") is None:
        navigation.locator("summary").click()
    return navigation


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for people to look at; never compared automatically."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}-{page.viewport_size['width']}.png"
    with contextlib.suppress(Error):  # A courtesy to reviewers: it must not decide a test.
        page.screenshot(path=path, full_page=True, animations="disabled")
    return path


# Accessibility ------------------------------------------------------------------------------


def check_axe(page: Page) -> list[str]:
    """axe-core's serious and critical violations, one readable block per rule."""
    problems = []
    for violation in _axe.run(page).response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        lines = [
            f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        ]
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"      {summary}")
        problems.append("\n".join(lines))
    return problems


def check_contrast_decided(page: Page) -> list[str]:
    """Text whose contrast axe-core cannot decide and leaves for a person to review (such as a
    glyph alone: ✓, ●), one line each: such marks are drawn as graphics instead."""
    results = _axe.run(page, options={"runOnly": ["color-contrast"], "resultTypes": ["incomplete"]})
    return [
        f"contrast left undecided: {node['html'][:120]}"
        for rule in results.response["incomplete"]
        for node in rule["nodes"]
    ]


def check_controls_labelled(page: Page) -> list[str]:
    """Every rendered input, select and textarea has a visible label with text, or sits in a
    fieldset whose legend has text. Placeholders and aria-label do not count: they are not
    visible labels."""
    unlabelled = page.evaluate(
        "() => {"
        + _DESCRIBE_JS
        + """
          const visibleText = (node) =>
            !!node && node.checkVisibility({ visibilityProperty: true }) &&
            node.innerText.trim() !== "";
          const controls = document.querySelectorAll(
            'input:not([type="hidden"]):not([type="submit"]):not([type="button"]), select, textarea'
          );
          return Array.from(controls)
            // Shown controls only: not display:none, nor inside a closed <details>.
            .filter((el) => el.getClientRects().length > 0 && el.checkVisibility())
            .filter((el) => {
              const labelled = Array.from(el.labels || []).some(visibleText);
              const fieldset = el.closest("fieldset");
              const legend = fieldset && fieldset.querySelector(":scope > legend");
              return !labelled && !visibleText(legend);
            })
            .map(describe);
        }"""
    )
    return [f"control without a visible label: {control}" for control in unlabelled]


def check_descriptions_not_empty(page: Page) -> list[str]:
    """Every id named in aria-describedby exists and has text, so help and errors are read out
    with the field they belong to."""
    broken = page.evaluate(
        "() => {"
        + _DESCRIBE_JS
        + """
          const problems = [];
          for (const el of document.querySelectorAll("[aria-describedby]")) {
            for (const id of el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean)) {
              const target = document.getElementById(id);
              if (!target) problems.push(`${describe(el)} -> #${id} does not exist`);
              else if (!target.textContent.trim())
                problems.push(`${describe(el)} -> #${id} is empty`);
            }
          }
          return problems;
        }"""
    )
    return [f"aria-describedby points at nothing readable: {problem}" for problem in broken]


def check_no_horizontal_scroll(page: Page) -> list[str]:
    """The page fits the viewport's width; names the widest elements when it does not."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return []
    overflowing = page.evaluate(
        "(width) => {"
        + _DESCRIBE_JS
        + """
          return Array.from(document.body.querySelectorAll("*"))
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            .filter((el) => !el.parentElement ||
                            el.parentElement.getBoundingClientRect().right <= width + 0.5)
            .slice(0, 5)
            .map((el) => `${describe(el)} (right edge at ${
              Math.round(el.getBoundingClientRect().right)}px)`);
        }""",
        width,
    )
    return [
        f"scrolls sideways at {width}px: scrollWidth is {scroll_width}px; "
        f"overflowing: {', '.join(overflowing) or 'unknown'}"
    ]


def check_table_cells_visible(page: Page) -> list[str]:
    """Every cell in the body of every table is shown whole: inside the viewport and inside any
    box that would clip or scroll it sideways (a hidden or clipped column is a problem)."""
    clipped = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const problems = [];
          for (const cell of document.querySelectorAll("main tbody th, main tbody td")) {
            const text = cell.textContent.trim().slice(0, 30);
            if (!text || cell.closest("[hidden]")) continue;
            const box = cell.getBoundingClientRect();
            if (!cell.checkVisibility() || box.width === 0) {
              problems.push(`"${text}" is hidden`);
              continue;
            }
            if (box.left < -0.5 || box.right > width + 0.5) {
              problems.push(`"${text}" runs past the screen (${Math.round(box.left)} to ` +
                            `${Math.round(box.right)}px)`);
              continue;
            }
            if (cell.scrollWidth > cell.clientWidth + 1) {
              problems.push(`"${text}" is cut off inside its cell`);
              continue;
            }
            for (let ancestor = cell.parentElement; ancestor && ancestor !== document.body;
                 ancestor = ancestor.parentElement) {
              if (getComputedStyle(ancestor).overflowX === "visible") continue;
              const edges = ancestor.getBoundingClientRect();
              if (box.left < edges.left - 0.5 || box.right > edges.right + 0.5) {
                problems.push(`"${text}" is clipped by a ${ancestor.tagName.toLowerCase()}.` +
                              `${ancestor.className}`);
                break;
              }
            }
          }
          return problems;
        }"""
    )
    return [f"table cell not fully visible: {problem}" for problem in clipped]


# Keyboard -----------------------------------------------------------------------------------


def focus_is_visible(page: Page) -> bool:
    """The focused element, or the label drawn in place of a transparent radio, has an outline
    or a focus shadow."""
    return page.evaluate(
        """() => {
          const shows = (node) => {
            const style = getComputedStyle(node);
            return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
                   style.boxShadow !== "none";
          };
          const el = document.activeElement;
          const transparent = getComputedStyle(el).opacity === "0";
          const label = el.closest("label");
          return transparent ? !!label && shows(label) : shows(el);
        }"""
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches selector."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            assert focus_is_visible(page), f"Focus on {selector} is not visible"
            return
    raise AssertionError(f"Pressing {key} {limit} times never reached {selector}")


def focused_label(page: Page) -> str:
    return page.evaluate("() => (document.activeElement.labels?.[0]?.innerText || '').trim()")


def choose_with_arrows(page: Page, name: str, label: str) -> None:
    """Tab into the radio group called name and move with the arrow keys to the option label,
    the way a keyboard user does (arrows move and select; Space selects the focused option)."""
    tab_to(page, f'input[type="radio"][name="{name}"]')
    options = page.locator(f'input[type="radio"][name="{name}"]').count()
    for _ in range(options):
        if focused_label(page) == label:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"No option labelled {label!r} in the {name} group")


def tick_with_space(page: Page, checkbox_id: str) -> None:
    tab_to(page, f"#{checkbox_id}")
    page.keyboard.press("Space")
