"""Discreet mode on a phone, by keyboard only: private answers, sexual-health symptoms and markers
stay hidden until the person reveals them on the page, and saving with them hidden keeps them."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    PHONE,
    check_axe,
    check_no_horizontal_scroll,
    choose_with_arrows,
    screenshot,
    tab_to,
)
from tests.factories import DailyEntryFactory
from tracker.models import DailyEntry, Symptom

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def discreet_person(user):
    user.discreet_mode = True
    user.save()
    for days_ago in range(6):
        DailyEntryFactory(
            user=user,
            day=user.today() - datetime.timedelta(days=days_ago),
            sexual_activity="partnered" if days_ago % 2 == 0 else "none",
            intensity="moderate" if days_ago % 2 == 0 else None,
            physical_affection=True,
            libido=4,
            stress=5,
        )
    return user


def group(page: Page, legend: str):
    return page.get_by_role("group", name=legend, exact=True)


def test_the_log_hides_private_answers_until_opened_and_saving_keeps_them(
    signed_in_page: Page, discreet_person
):
    page = signed_in_page
    assert page.viewport_size == PHONE
    page.goto("/log/")

    activity = group(page, "Sexual activity")
    expect(activity).to_be_hidden()
    expect(page.get_by_text("Show private answers").first).to_be_visible()
    assert check_no_horizontal_scroll(page) == []

    tab_to(page, "summary.private-answers__summary")
    page.keyboard.press("Enter")
    expect(activity).to_be_visible()
    expect(activity.get_by_role("radio", name="With a partner", exact=True)).to_be_checked()
    expect(page.get_by_text("Hide private answers").first).to_be_visible()
    screenshot(page, "discreet-log-open")
    assert check_axe(page) == []

    page.keyboard.press("Enter")  # close it again, then change something else and save
    expect(activity).to_be_hidden()
    choose_with_arrows(page, "stress", "2")
    tab_to(page, "button.button--primary[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Saved today.")).to_be_visible()
    saved = DailyEntry.objects.get(user=discreet_person, day=discreet_person.today())
    assert saved.stress == 2
    assert saved.sexual_activity == "partnered"
    assert saved.intensity == "moderate"
    assert saved.physical_affection is True
    assert saved.libido == 4


def test_trends_hides_private_markers_until_the_button_is_pressed(
    signed_in_page: Page, discreet_person
):
    page = signed_in_page
    page.goto("/trends/")

    toggle = page.get_by_role("button", name="Show private markers")
    intimacy_chart = page.get_by_role("heading", name="Intimacy and affection")
    summary_row = page.get_by_text("Days with sexual activity:")
    desire_row = page.get_by_role("rowheader", name="Desire")
    legend = page.locator(".legend-item", has_text="Sexual activity")
    for private in (intimacy_chart, summary_row, desire_row, legend):
        expect(private).to_be_hidden()
    calendar = page.locator(".year-calendar")
    expect(calendar.locator(".day-mark").first).to_be_attached()
    expect(calendar.locator(".day-mark:visible")).to_have_count(0)
    expect(page.get_by_role("heading", name="Stress")).to_be_visible()
    assert check_no_horizontal_scroll(page) == []
    screenshot(page, "discreet-trends-hidden")

    tab_to(page, "[data-private-toggle]")
    page.keyboard.press("Enter")

    for private in (intimacy_chart, summary_row, desire_row, legend):
        expect(private).to_be_visible()
    expect(calendar.locator(".day-mark:visible").first).to_be_visible()
    expect(toggle).to_have_count(0)
    hide = page.get_by_role("button", name="Hide private markers")
    expect(hide).to_have_attribute("aria-expanded", "true")
    # The chart drawn while hidden is refitted to the page's width once shown.
    chart = page.locator('[data-chart="intimacy"]')
    chart_width = chart.evaluate("(element) => element.clientWidth")
    canvas_width = chart.locator("canvas").evaluate("(canvas) => canvas.clientWidth")
    assert abs(canvas_width - chart_width) <= 2
    assert check_no_horizontal_scroll(page) == []
    assert check_axe(page) == []
    screenshot(page, "discreet-trends-shown")

    page.keyboard.press("Enter")

    for private in (intimacy_chart, summary_row, desire_row, legend):
        expect(private).to_be_hidden()
    expect(page.get_by_role("button", name="Show private markers")).to_be_focused()


# Pixels of the intimacy chart drawn in the colours of its marks (solo, with a partner, affection).
MARK_PIXELS = """(canvas) => {
  const marks = [[0, 158, 115], [0, 114, 178], [204, 121, 167]];
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const near = (mark) => mark.every((value, channel) => Math.abs(data[i + channel] - value) < 12);
    if (data[i + 3] > 200 && marks.some(near)) count++;
  }
  return count;
}"""


def test_sexual_health_symptoms_and_intimacy_marks_wait_until_shown(
    signed_in_page: Page, discreet_person
):
    page = signed_in_page
    today = DailyEntry.objects.get(user=discreet_person, day=discreet_person.today())
    today.symptoms.set(
        Symptom.objects.filter(owner=None, name__in=["Erectile difficulty", "Joint pain"])
    )
    page.goto("/log/")

    erectile_difficulty = page.get_by_role("checkbox", name="Erectile difficulty")
    expect(erectile_difficulty).to_be_hidden()
    expect(page.get_by_role("checkbox", name="Joint pain")).to_be_checked()
    tab_to(page, "details.private-answers--inline > summary")
    page.keyboard.press("Enter")
    expect(erectile_difficulty).to_be_visible()
    expect(erectile_difficulty).to_be_checked()
    assert check_no_horizontal_scroll(page) == []

    page.goto("/trends/")
    intimate_symptom = page.get_by_text("Erectile difficulty: 1 day")
    expect(intimate_symptom).to_be_hidden()
    expect(page.get_by_text("Joint pain: 1 day")).to_be_visible()
    canvas = page.locator('[data-chart="intimacy"] canvas')
    assert canvas.evaluate(MARK_PIXELS) == 0  # not drawn at all, not merely out of sight

    page.get_by_role("button", name="Show private markers").click()

    expect(intimate_symptom).to_be_visible()
    assert canvas.evaluate(MARK_PIXELS) > 0
