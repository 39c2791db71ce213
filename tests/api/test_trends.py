"""/api/v1/trends/ and /api/v1/insights/: the same numbers as the trends and insights pages,
computed by the same code for the same person and range."""

import datetime
import random

import pytest
from django.core.cache import cache

from tests.conftest import TODAY
from tests.factories import MedicationFactory
from tests.pages import trend_data
from tracker.insights import public_findings
from tracker.models import DailyEntry, IntimacyBarrier, Symptom
from tracker.trends.periods import PeriodError, resolve_period

RANGES = [
    {},
    {"range": "30d"},
    {"range": "1y"},
    {"range": "all"},
    {"start": "2025-02-01", "end": "2025-04-30"},
    {"start": "2024-06-01", "end": "2026-12-31"},
]


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def two_years(user, other_user):
    """Two years of the person's days, most of them logged, and a few of someone else's."""
    chance = random.Random(6)
    kinds = ["none", "solo", "partnered", "both", None]
    days = []
    for offset in range(730):
        if chance.random() < 0.2:
            continue
        kind = chance.choice(kinds)
        days.append(
            DailyEntry(
                user=user,
                day=TODAY - datetime.timedelta(days=offset),
                sexual_activity=kind,
                intensity=chance.choice(["gentle", "vigorous"])
                if kind in ("solo", "both")
                else None,
                physical_affection=chance.choice([True, False, None]),
                libido=chance.randint(1, 5),
                stress=chance.randint(0, 10),
                fatigue=chance.choice([None, *range(11)]),
                sleep_hours=chance.randint(16, 40) / 4,
                sleep_quality=chance.randint(1, 5),
                flare_severity=chance.randint(0, 10),
            )
        )
    entries = DailyEntry.objects.bulk_create(days)
    pain = IntimacyBarrier.objects.get(slug="pain")
    rash = Symptom.objects.get(name="Rash")
    DailyEntry.intimacy_barriers.through.objects.bulk_create(
        DailyEntry.intimacy_barriers.through(dailyentry=entry, intimacybarrier=pain)
        for entry in entries[::5]
    )
    DailyEntry.symptoms.through.objects.bulk_create(
        DailyEntry.symptoms.through(dailyentry=entry, symptom=rash) for entry in entries[::4]
    )
    DailyEntry.objects.create(user=other_user, day=TODAY, stress=10)
    MedicationFactory(user=user, name="Prednisolone", started="2025-09-01", stopped="2025-10-15")


@pytest.mark.parametrize("params", RANGES)
def test_trends_are_the_numbers_of_the_trends_page(signed_in, owner, two_years, params):
    page = trend_data(signed_in.get("/trends/", params))
    cache.clear()  # so the API computes them again rather than reading the page's

    response = owner.get("/api/v1/trends/", params)

    assert response.status_code == 200
    assert response.json() == page
    assert page["summary"]["days_logged"] > 0


def test_long_ranges_come_in_iso_weeks(owner, two_years):
    payload = owner.get("/api/v1/trends/", {"range": "all"}).json()

    assert payload["granularity"] == payload["series"]["granularity"] == "week"
    assert datetime.date.fromisoformat(payload["series"]["days"][0]).weekday() == 0


@pytest.mark.parametrize("params", RANGES)
def test_insights_are_the_answers_of_the_insights_page(signed_in, owner, two_years, params):
    page = signed_in.get("/insights/", params).context
    cache.clear()  # so the API computes them again rather than reading the page's

    response = owner.get("/api/v1/insights/", params)

    assert response.status_code == 200
    assert response.json() == {
        "start": page["period"].start.isoformat(),
        "end": page["period"].end.isoformat(),
        "findings": public_findings(page["findings"]),
    }
    assert len(page["findings"]) == 7


@pytest.mark.parametrize("path", ["/api/v1/trends/", "/api/v1/insights/"])
@pytest.mark.parametrize(
    "params",
    [
        {"range": "2w"},
        {"range": ""},
        {"start": "", "range": "30d"},
        {"start": "", "end": ""},
        {"start": "2026-01-01"},
        {"start": "2026-02-30", "end": "2026-03-01"},
        {"start": "2026-03-01", "end": "2026-02-01"},
        {"start": "1899-12-01", "end": "1900-01-31"},
        {"start": "2026-12-01", "end": "2026-12-31"},
    ],
)
def test_a_range_that_cannot_be_shown_answers_400_with_the_pages_reason(owner, user, path, params):
    response = owner.get(path, params)

    assert response.status_code == 400
    with pytest.raises(PeriodError) as refused:
        resolve_period(params, user, default="all")
    assert response.json() == {"errors": {"range": [str(refused.value)]}}
