"""The site's navigation: every journal and account page is linked from the main menu, the page
shown is marked current wherever it is linked, and the links are drawn once per page and
process (tracker/templatetags/navigation.py), never with anyone's data in them."""

import re

import pytest
from django.urls import reverse

from tracker.templatetags.navigation import _drawn

pytestmark = pytest.mark.django_db

JOURNAL = ["Today", "History", "Trends", "Insights", "Report", "Medications"]
ACCOUNT = ["Profile", "Security", "Two-factor", "Devices", "Your data", "Share links", "API tokens"]


def current_links(html: str) -> list[str]:
    """The menu links marked current (a page's own controls, such as a range, may be too)."""
    marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html)
    return [name for name in marked if name in JOURNAL + ACCOUNT]


def linked(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]+"(?: aria-current="page")?>([^<]+)</a></li>', html)


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("tracker:log_today", "Today"),
        ("tracker:trends", "Trends"),
        ("tracker:medications", "Medications"),
        ("accounts:profile", "Profile"),
        ("accounts:tokens", "API tokens"),
        ("sharing:share", "Share links"),
    ],
)
def test_the_page_shown_is_marked_current_in_every_menu(signed_in, url, current):
    html = signed_in.get(reverse(url)).content.decode()

    # The journal's links twice (side by side, and in the phone's menu); account pages also
    # list the account links in their own navigation.
    assert set(current_links(html)) == {current}
    assert linked(html)[: 2 * len(JOURNAL)] == JOURNAL + JOURNAL
    assert linked(html)[2 * len(JOURNAL) : 2 * len(JOURNAL) + len(ACCOUNT)] == ACCOUNT


def test_a_page_outside_the_menus_marks_nothing(signed_in, user):
    html = signed_in.get(reverse("tracker:log_day", args=[user.today().isoformat()])).content
    assert current_links(html.decode()) == []


def test_the_links_are_drawn_once_per_page(signed_in):
    _drawn.cache_clear()
    signed_in.get(reverse("tracker:trends"))
    drawn = _drawn.cache_info()

    signed_in.get(reverse("tracker:trends"))

    assert (drawn.misses, _drawn.cache_info().misses) == (2, 2)
    assert _drawn.cache_info().hits == drawn.hits + 3
