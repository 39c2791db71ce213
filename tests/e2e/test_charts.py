"""The trends charts in a browser: static/js/trends.js names and scales each chart from the
registry of measures the page hands it (#chart-measures), not from a copy of its own."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.factories import DailyEntryFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_the_chart_readout_names_each_measure_as_the_registry_does(signed_in_page: Page, user):
    today = user.today()
    for days_ago in range(3):
        DailyEntryFactory(
            user=user,
            day=today - datetime.timedelta(days=days_ago),
            stress=4,
            sleep_hours=7.5,
            sleep_quality=3,
            fatigue=6,
            flare_severity=2,
        )
    page = signed_in_page
    page.goto("/trends/")
    chart = page.locator('[data-chart="stress"]')
    expect(chart.locator("canvas")).to_have_count(1)
    chart.focus()
    page.keyboard.press("End")
    expect(page.locator("[data-chart-tooltip]")).to_contain_text(
        "Stress 4 · Hours slept 7.5 · Sleep quality 3 · Fatigue 6 · Flare severity 2"
    )
