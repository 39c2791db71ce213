"""Status marks are drawn, with words beside them, so automated contrast checks can decide:
the ticks of the log page's strip of days, the intimacy marks of the flare calendar, and the
marks of each insight."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.helpers import check_contrast_decided, sign_in
from tracker.management.commands.seed_demo import DEMO_EMAIL

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_person(transactional_db) -> User:
    call_command("seed_demo", "--days", "200", stdout=io.StringIO())
    return User.objects.get(email=DEMO_EMAIL)


@pytest.mark.parametrize(
    ("path", "marks"),
    [("/log/", ".recent__mark"), ("/trends/", ".day-mark"), ("/insights/", ".finding__mark")],
)
def test_status_marks_leave_no_contrast_to_review(
    page: Page, live_server, demo_person, path, marks
):
    sign_in(page, demo_person, live_server)
    page.goto(path)

    expect(page.locator(marks).first).to_be_visible()
    assert check_contrast_decided(page) == []
