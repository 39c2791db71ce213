"""The numbers behind /trends/ (tracker/trends/), each checked against a direct computation."""

import datetime
import math
import random
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest

from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, UserFactory
from tracker.models import DailyEntry, IntimacyBarrier, Symptom
from tracker.trends import periods
from tracker.trends import series as trend_series
from tracker.trends.periods import Period, PeriodError

ONE_DAY = datetime.timedelta(days=1)
NAN = math.nan
MEASURES = ["stress", "sleep_hours", "sleep_quality", "fatigue", "flare_severity"]


pytestmark = pytest.mark.usefixtures("clock")


def days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + n * ONE_DAY for n in range((last - first).days + 1)]


def random_days(user, first, last, *, seed: int, chance: float = 0.7) -> list[DailyEntry]:
    """Entries on about `chance` of the days from first to last, each measure sometimes skipped."""
    rng = random.Random(seed)

    def maybe(value):
        return value if rng.random() < 0.85 else None

    entries = []
    for day in days(first, last):
        if rng.random() >= chance:
            continue
        activity = rng.choice([None, "none", "solo", "partnered", "both"])
        entries.append(
            DailyEntry(
                user=user,
                day=day,
                stress=maybe(rng.randint(0, 10)),
                fatigue=maybe(rng.randint(0, 10)),
                flare_severity=maybe(rng.randint(0, 10)),
                sleep_hours=maybe(rng.randint(16, 40) / 4),
                sleep_quality=maybe(rng.randint(1, 5)),
                libido=maybe(rng.randint(1, 5)),
                sexual_activity=activity,
                intensity=rng.choice(["gentle", "vigorous"])
                if activity in ("solo", "partnered", "both")
                else None,
                physical_affection=rng.choice([None, True, False]),
            )
        )
    return DailyEntry.objects.bulk_create(entries)


def logged(entries, name: str, first=datetime.date.min, last=datetime.date.max) -> dict:
    """Day -> exact value of one measure, for the days it was logged between first and last."""
    return {
        entry.day: Fraction(str(getattr(entry, name)))
        for entry in entries
        if first <= entry.day <= last and getattr(entry, name) is not None
    }


def direct_mean(values) -> Fraction | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def two_places(value) -> float | None:
    return None if value is None else round(float(value), 2)


def direct_rolling(values: dict, day: datetime.date) -> float | None:
    """Mean of the day and the six before it, or None when fewer than four were logged."""
    window = [values[day - n * ONE_DAY] for n in range(7) if day - n * ONE_DAY in values]
    return two_places(direct_mean(window)) if len(window) >= 4 else None


def by_name(summary: dict) -> dict:
    return {measure["name"]: measure for measure in summary["measures"]}


# rolling_mean, on plain arrays


def test_rolling_mean_matches_a_direct_seven_day_computation_with_gaps():
    values = np.array([2, NAN, 4, NAN, 6, 8, NAN, NAN, NAN, 1, 3, 5, NAN, 7, 0, 0, NAN, 9.5])
    expected = []
    for index in range(len(values)):
        window = [v for v in values[max(0, index - 6) : index + 1] if not math.isnan(v)]
        expected.append(sum(window) / len(window) if len(window) >= 4 else NAN)

    np.testing.assert_allclose(trend_series.rolling_mean(values), expected, equal_nan=True)


def test_a_window_with_three_logged_days_is_a_gap_and_with_four_is_a_mean():
    result = trend_series.rolling_mean(np.array([1, 2, 3, NAN, NAN, 4.0]))

    assert math.isnan(result[2])  # 1, 2, 3: only three logged days
    assert result[5] == 2.5  # 1, 2, 3, 4


def test_the_window_forgets_days_older_than_seven():
    result = trend_series.rolling_mean(np.array([10, 1, 1, 1, 1, 1, 1, 1.0]))

    assert result[6] == pytest.approx(16 / 7)
    assert result[7] == 1.0


def test_a_logged_zero_counts_towards_the_mean():
    result = trend_series.rolling_mean(np.array([0, 0, 0, 4.0]))

    assert result[3] == 1.0


# The daily series


def test_unlogged_days_are_gaps_in_the_daily_series_never_zero(user):
    period = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 7), "custom")
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 2), stress=0, fatigue=None)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 5), stress=6, fatigue=3)

    series = trend_series._daily_series(user, period)

    assert series["days"] == [day.isoformat() for day in days(period.start, period.end)]
    assert series["measures"]["stress"]["values"] == [None, 0.0, None, None, 6.0, None, None]
    assert series["measures"]["fatigue"]["values"] == [None, None, None, None, 3.0, None, None]
    assert series["measures"]["sleep_hours"]["values"] == [None] * 7


def test_the_days_before_the_period_feed_its_first_rolling_means(user):
    period = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 3), "custom")
    for offset, stress in enumerate([1, 2, 3, 4, 5, 6]):
        DailyEntryFactory(
            user=user, day=datetime.date(2026, 10, 26) + offset * ONE_DAY, stress=stress
        )
    DailyEntryFactory(user=user, day=period.start, stress=7)

    rolling = trend_series._daily_series(user, period)["measures"]["stress"]["rolling"]

    # 1 November: 26 October to 1 November, all seven logged.
    assert rolling[0] == 4.0
    # 3 November: 28 October to 3 November, five logged (3, 4, 5, 6, 7).
    assert rolling[2] == 5.0


def test_every_daily_value_and_rolling_mean_matches_a_direct_computation(user):
    period = Period(datetime.date(2026, 9, 1), datetime.date(2026, 10, 31), "custom")
    entries = random_days(user, datetime.date(2026, 8, 20), datetime.date(2026, 11, 10), seed=1)

    series = trend_series._daily_series(user, period)

    for name in MEASURES:
        values = logged(entries, name)
        window_values = logged(entries, name, period.start - 6 * ONE_DAY, period.end)
        expected_values = [two_places(values.get(day)) for day in days(period.start, period.end)]
        expected_rolling = [
            direct_rolling(window_values, day) for day in days(period.start, period.end)
        ]
        assert series["measures"][name]["values"] == expected_values, name
        assert series["measures"][name]["rolling"] == expected_rolling, name
    # Some windows really were too thin, so the gap rule was exercised.
    assert None in series["measures"]["stress"]["rolling"]


def test_the_daily_series_carries_each_days_intimacy(user):
    period = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 3), "custom")
    DailyEntryFactory(
        user=user,
        day=datetime.date(2026, 11, 1),
        sexual_activity="partnered",
        intensity="gentle",
        physical_affection=True,
    )
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 3), sexual_activity="none")

    intimacy = trend_series._daily_series(user, period)["intimacy"]

    assert intimacy == {
        "granularity": "day",
        "activity": ["partnered", None, "none"],
        "intensity": ["gentle", None, None],
        "affection": [True, None, None],
    }


def test_another_persons_days_never_enter_the_daily_series(user, other_user):
    period = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 7), "custom")
    DailyEntryFactory(user=other_user, day=datetime.date(2026, 11, 3), stress=9)

    series = trend_series._daily_series(user, period)

    assert series["measures"]["stress"]["values"] == [None] * 7


# The weekly series


def test_a_sunday_and_the_following_monday_fall_in_different_iso_weeks(user):
    period = Period(datetime.date(2026, 2, 20), datetime.date(2026, 3, 10), "custom")
    DailyEntryFactory(user=user, day=datetime.date(2026, 3, 1), stress=2)  # a Sunday
    DailyEntryFactory(user=user, day=datetime.date(2026, 3, 2), stress=8)  # a Monday

    series = trend_series._weekly_series(user, period)

    assert series["days"] == ["2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09"]
    assert series["measures"]["stress"]["mean"] == [None, 2.0, 8.0, None]
    assert series["days_logged"] == [0, 1, 1, 0]


def test_each_weeks_mean_lowest_and_highest_match_a_direct_computation(user):
    # Starts on a Wednesday, so the first week is cut short by the period.
    period = Period(datetime.date(2025, 12, 3), datetime.date(2026, 3, 15), "custom")
    entries = random_days(user, datetime.date(2025, 11, 20), datetime.date(2026, 3, 31), seed=2)
    in_period = [entry for entry in entries if period.start <= entry.day <= period.end]

    series = trend_series._weekly_series(user, period)

    mondays = sorted({day - day.weekday() * ONE_DAY for day in days(period.start, period.end)})
    assert series["days"] == [monday.isoformat() for monday in mondays]
    for name in MEASURES:
        values = logged(in_period, name)
        weeks = {monday: [] for monday in mondays}
        for day, value in values.items():
            weeks[day - day.weekday() * ONE_DAY].append(value)
        assert series["measures"][name]["mean"] == [
            two_places(direct_mean(weeks[monday])) for monday in mondays
        ], name
        assert series["measures"][name]["min"] == [
            two_places(min(weeks[monday], default=None)) for monday in mondays
        ], name
        assert series["measures"][name]["max"] == [
            two_places(max(weeks[monday], default=None)) for monday in mondays
        ], name

    def weekly_count(test) -> list[int]:
        counts = Counter(
            entry.day - entry.day.weekday() * ONE_DAY for entry in in_period if test(entry)
        )
        return [counts[monday] for monday in mondays]

    assert series["days_logged"] == weekly_count(lambda entry: True)
    assert series["intimacy"]["solo"] == weekly_count(
        lambda entry: entry.sexual_activity in ("solo", "both")
    )
    assert series["intimacy"]["partnered"] == weekly_count(
        lambda entry: entry.sexual_activity in ("partnered", "both")
    )
    assert series["intimacy"]["affection"] == weekly_count(
        lambda entry: entry.physical_affection is True
    )


def test_days_before_the_start_do_not_count_in_the_first_partial_week(user):
    # Wednesday to the following Sunday; the Monday before the start is outside the period.
    period = Period(datetime.date(2026, 3, 4), datetime.date(2026, 3, 8), "custom")
    DailyEntryFactory(user=user, day=datetime.date(2026, 3, 2), stress=10)
    DailyEntryFactory(user=user, day=datetime.date(2026, 3, 4), stress=2)

    series = trend_series._weekly_series(user, period)

    assert series["days"] == ["2026-03-02"]
    assert series["measures"]["stress"]["mean"] == [2.0]
    assert series["measures"]["stress"]["max"] == [2.0]


# The summary


@pytest.fixture
def thirty_days():
    return Period(TODAY - 29 * ONE_DAY, TODAY, "30d")


def test_summary_means_previous_means_and_changes_match_a_direct_computation(
    user, other_user, thirty_days
):
    entries = random_days(user, TODAY - 80 * ONE_DAY, TODAY, seed=3)
    random_days(other_user, TODAY - 80 * ONE_DAY, TODAY, seed=4, chance=1)
    previous = thirty_days.previous()
    assert (previous.start, previous.end) == (TODAY - 59 * ONE_DAY, TODAY - 30 * ONE_DAY)

    summary = trend_series._summary(user, thirty_days)

    measures = by_name(summary)
    for name in [*MEASURES, "libido"]:
        now = direct_mean(logged(entries, name, thirty_days.start, thirty_days.end).values())
        before = direct_mean(logged(entries, name, previous.start, previous.end).values())
        assert measures[name]["mean"] == two_places(now), name
        assert measures[name]["previous_mean"] == two_places(before), name
        assert measures[name]["change"] == two_places(now - before), name
        assert measures[name]["days"] == len(logged(entries, name, thirty_days.start, TODAY))
    logged_now = sum(thirty_days.start <= entry.day <= TODAY for entry in entries)
    logged_before = sum(previous.start <= entry.day <= previous.end for entry in entries)
    assert summary["days_logged"] == logged_now
    assert summary["days_logged_before"] == logged_before
    assert summary["coverage_percent"] == round(100 * logged_now / 30)


def test_a_change_is_rounded_once_from_the_exact_difference(user, thirty_days):
    # 0.6 now and 0.375 before: the change is exactly 0.225, shown as 0.23. Subtracting the two
    # means as floating point numbers gives 0.22499999999999998, which would show as 0.22.
    for offset, stress in enumerate([1, 1, 1, 0, 0]):
        DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY, stress=stress)
    for offset, stress in enumerate([1, 1, 1, 0, 0, 0, 0, 0]):
        DailyEntryFactory(user=user, day=TODAY - (30 + offset) * ONE_DAY, stress=stress)

    stress = by_name(trend_series._summary(user, thirty_days))["stress"]

    assert (stress["mean"], stress["previous_mean"], stress["change"]) == (0.6, 0.38, 0.23)
    assert stress["change"] == two_places(Fraction(3, 5) - Fraction(3, 8))


def test_a_measure_not_logged_in_either_period_has_no_mean_and_no_change(user, thirty_days):
    DailyEntryFactory(user=user, day=TODAY, stress=3, sleep_hours=None)

    measures = by_name(trend_series._summary(user, thirty_days))

    assert measures["sleep_hours"] == {
        "name": "sleep_hours",
        "label": "Hours slept",
        "scale": "hours",
        "mean": None,
        "previous_mean": None,
        "change": None,
        "days": 0,
    }
    # Logged now but not before: a mean, but nothing to compare it with.
    assert measures["stress"]["mean"] == 3.0
    assert measures["stress"]["change"] is None


def test_coverage_is_the_share_of_the_periods_days_that_were_logged(user, thirty_days):
    for offset in range(10):
        DailyEntryFactory(user=user, day=TODAY - 3 * offset * ONE_DAY)

    summary = trend_series._summary(user, thirty_days)

    assert summary["days_logged"] == 10
    assert summary["coverage_percent"] == 33


def test_intimacy_is_counted_by_kind(user, thirty_days):
    kinds = ["solo", "solo", "partnered", "both", "none", "none", "none", None]
    for offset, kind in enumerate(kinds):
        DailyEntryFactory(
            user=user,
            day=TODAY - offset * ONE_DAY,
            sexual_activity=kind,
            physical_affection=offset % 3 == 0,
        )
    # Before the period: not counted.
    DailyEntryFactory(user=user, day=TODAY - 40 * ONE_DAY, sexual_activity="solo")

    intimacy = trend_series._summary(user, thirty_days)["intimacy"]

    assert intimacy == {
        "solo": 2,
        "partnered": 1,
        "both": 1,
        "no_activity": 3,
        "activity_days": 4,
        "affection": 3,  # offsets 0, 3 and 6
    }


def test_flare_days_are_days_with_severity_five_or_more(user, thirty_days):
    for offset, severity in enumerate([4, 5, 6, 10, 0, None, 5]):
        DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY, flare_severity=severity)
    DailyEntryFactory(user=user, day=TODAY - 31 * ONE_DAY, flare_severity=9)

    assert trend_series._summary(user, thirty_days)["flare_days"] == 4


def test_the_five_most_frequent_symptoms_are_listed_most_frequent_first(
    user, other_user, thirty_days
):
    counts = {"Rash": 4, "Fever": 3, "Brain fog": 3, "Stiffness": 2, "Swelling": 2, "Headache": 1}
    symptoms = {name: Symptom.objects.get(owner=None, name=name) for name in counts}
    for offset in range(4):
        entry = DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY)
        entry.symptoms.set([symptoms[name] for name, count in counts.items() if count > offset])
    # Outside the period, and another person's: neither counts.
    DailyEntryFactory(user=user, day=TODAY - 45 * ONE_DAY).symptoms.set([symptoms["Headache"]])
    for offset in range(5):
        DailyEntryFactory(user=other_user, day=TODAY - offset * ONE_DAY).symptoms.set(
            [symptoms["Headache"]]
        )

    top = trend_series._summary(user, thirty_days)["top_symptoms"]

    assert top == [
        {"name": "Rash", "days": 4},
        {"name": "Brain fog", "days": 3},
        {"name": "Fever", "days": 3},
        {"name": "Stiffness", "days": 2},
        {"name": "Swelling", "days": 2},
    ]


def test_barriers_are_counted_by_the_days_they_held_intimacy_back(user, thirty_days):
    pain = IntimacyBarrier.objects.get(slug="pain")
    body_image = IntimacyBarrier.objects.get(slug="body-image")
    DailyEntryFactory(user=user, day=TODAY).intimacy_barriers.set([pain, body_image])
    DailyEntryFactory(user=user, day=TODAY - ONE_DAY).intimacy_barriers.set([pain])
    DailyEntryFactory(user=user, day=TODAY - 50 * ONE_DAY).intimacy_barriers.set([body_image])

    barriers = trend_series._summary(user, thirty_days)["barriers"]

    assert barriers == [{"name": "Pain", "days": 2}, {"name": "Body image", "days": 1}]


def test_symptoms_and_barriers_keep_to_their_own_lists_in_the_one_query_that_counts_them(
    user, thirty_days
):
    # A symptom of the person's own with a barrier's name, and barriers tied on days.
    own_pain = Symptom.objects.create(owner=user, name="Pain")
    pain = IntimacyBarrier.objects.get(slug="pain")
    body_image = IntimacyBarrier.objects.get(slug="body-image")
    for offset in range(3):
        entry = DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY)
        entry.symptoms.set([own_pain])
        entry.intimacy_barriers.set([pain, body_image] if offset else [])

    summary = trend_series._summary(user, thirty_days)

    assert summary["top_symptoms"] == [{"name": "Pain", "days": 3}]
    assert summary["barriers"] == [{"name": "Body image", "days": 2}, {"name": "Pain", "days": 2}]


def test_the_longest_streak_is_the_longest_run_of_consecutive_logged_days(user, thirty_days):
    logged_offsets = [0, 2, 3, 4, 5, 6, 8, 9, 20, 21, 22]
    for offset in logged_offsets:
        DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY)

    assert trend_series.longest_streak(user, thirty_days) == 5
    assert trend_series._summary(user, thirty_days)["longest_streak"] == 5


def test_a_streak_is_cut_at_the_start_of_the_period(user, thirty_days):
    # Ten days in a row, but only the last three fall inside the period.
    for offset in range(10):
        DailyEntryFactory(user=user, day=thirty_days.start - (offset - 2) * ONE_DAY)

    assert trend_series.longest_streak(user, thirty_days) == 3


def test_a_period_with_no_entries_has_no_streak(user, thirty_days):
    assert trend_series.longest_streak(user, thirty_days) == 0


def test_flare_episodes_are_runs_of_days_with_severity_five_or_more(user, other_user, thirty_days):
    severities = {
        TODAY - 20 * ONE_DAY: 5,
        TODAY - 19 * ONE_DAY: 8,
        TODAY - 18 * ONE_DAY: 6,
        TODAY - 17 * ONE_DAY: 4,  # breaks the episode
        TODAY - 16 * ONE_DAY: 7,
        TODAY - 10 * ONE_DAY: 9,
        TODAY - 8 * ONE_DAY: 5,  # not consecutive with the 9: a day was not logged
        TODAY - 35 * ONE_DAY: 10,  # before the period
    }
    for day, severity in severities.items():
        DailyEntryFactory(user=user, day=day, flare_severity=severity)
    DailyEntryFactory(user=other_user, day=TODAY - 9 * ONE_DAY, flare_severity=10)

    episodes = trend_series.flare_episodes(user, thirty_days)

    assert episodes == [
        {"start": TODAY - 20 * ONE_DAY, "end": TODAY - 18 * ONE_DAY, "days": 3, "peak": 8},
        {"start": TODAY - 16 * ONE_DAY, "end": TODAY - 16 * ONE_DAY, "days": 1, "peak": 7},
        {"start": TODAY - 10 * ONE_DAY, "end": TODAY - 10 * ONE_DAY, "days": 1, "peak": 9},
        {"start": TODAY - 8 * ONE_DAY, "end": TODAY - 8 * ONE_DAY, "days": 1, "peak": 5},
    ]


def test_flare_episodes_match_a_direct_computation_on_random_days(user):
    period = Period(datetime.date(2026, 5, 1), datetime.date(2026, 10, 31), "custom")
    entries = random_days(user, datetime.date(2026, 4, 1), datetime.date(2026, 11, 20), seed=5)
    flare_days = {
        entry.day: entry.flare_severity
        for entry in entries
        if period.start <= entry.day <= period.end
        and entry.flare_severity is not None
        and entry.flare_severity >= 5
    }
    expected = []
    for day in sorted(flare_days):
        if expected and expected[-1]["end"] == day - ONE_DAY:
            episode = expected[-1]
            episode["end"], episode["days"] = day, episode["days"] + 1
            episode["peak"] = max(episode["peak"], flare_days[day])
        else:
            expected.append({"start": day, "end": day, "days": 1, "peak": flare_days[day]})

    assert trend_series.flare_episodes(user, period) == expected
    assert any(episode["days"] > 1 for episode in expected)


# Periods


@pytest.mark.parametrize(
    ("params", "start", "key"),
    [
        ({"range": "30d"}, datetime.date(2026, 10, 27), "30d"),
        ({"range": "90d"}, datetime.date(2026, 8, 28), "90d"),
        ({"range": "1y"}, datetime.date(2025, 11, 26), "1y"),
        ({}, datetime.date(2026, 8, 28), "90d"),
    ],
)
def test_a_named_range_ends_today_and_spans_its_days(user, params, start, key):
    period = periods.resolve_period(params, user)

    assert (period.start, period.end, period.key) == (start, TODAY, key)
    assert period.days == {"30d": 30, "90d": 90, "1y": 365}[key]


def test_all_time_starts_at_the_first_logged_day(user, other_user):
    DailyEntryFactory(user=user, day=datetime.date(2024, 2, 29))
    DailyEntryFactory(user=user, day=datetime.date(2025, 7, 1))
    DailyEntryFactory(user=other_user, day=datetime.date(2020, 1, 1))

    period = periods.resolve_period({"range": "all"}, user)

    assert (period.start, period.end, period.key) == (datetime.date(2024, 2, 29), TODAY, "all")
    assert period.granularity == "week"


def test_all_time_with_nothing_logged_shows_the_last_90_days(user):
    period = periods.resolve_period({"range": "all"}, user)

    assert (period.start, period.end) == (TODAY - 89 * ONE_DAY, TODAY)


def test_custom_dates_give_that_period_cut_off_at_today(user):
    period = periods.resolve_period({"start": "2026-10-01", "end": "2026-12-31"}, user)

    assert (period.start, period.end, period.key) == (
        datetime.date(2026, 10, 1),
        TODAY,
        "custom",
    )


def test_periods_up_to_366_days_are_daily_and_longer_ones_weekly():
    leap_year = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "custom")
    one_day_more = Period(datetime.date(2024, 1, 1), datetime.date(2025, 1, 1), "custom")

    assert (leap_year.days, leap_year.granularity) == (366, "day")
    assert (one_day_more.days, one_day_more.granularity) == (367, "week")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start": "2026-02-30", "end": "2026-03-10"},
            "Give both a start and an end date as real dates, for example 2026-01-01.",
        ),
        (
            {"start": "2026-03-01"},
            "Give both a start and an end date as real dates, for example 2026-01-01.",
        ),
        (
            {"start": "yesterday", "end": "today"},
            "Give both a start and an end date as real dates, for example 2026-01-01.",
        ),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "The end date is before the start date."),
        ({"start": "1899-12-31", "end": "2026-03-01"}, "Choose a start date in 1900 or later."),
        (
            {"start": "2026-11-26", "end": "2026-12-01"},
            "That range starts after today, so there is nothing to show yet.",
        ),
        (
            {"range": "5y"},
            "Choose one of the ranges shown: 30 days, 90 days, 1 year or all time.",
        ),
    ],
)
def test_a_period_that_cannot_be_shown_says_why(user, params, message):
    with pytest.raises(PeriodError) as raised:
        periods.resolve_period(params, user)

    assert str(raised.value) == message


# Time zones


def test_a_person_in_auckland_gets_a_period_ending_on_their_own_today(db, freeze_time):
    # 11:30 in London on 25 November is 00:30 on 26 November in Auckland.
    freeze_time("2026-11-25T11:30:00+00:00")
    auckland = UserFactory(time_zone="Pacific/Auckland")
    london = UserFactory(time_zone="Europe/London")
    DailyEntryFactory(user=auckland, day=datetime.date(2026, 11, 26), stress=6)

    period = periods.resolve_period({"range": "30d"}, auckland)

    assert (period.start, period.end) == (datetime.date(2026, 10, 28), datetime.date(2026, 11, 26))
    assert periods.resolve_period({"range": "30d"}, london).end == TODAY
    assert trend_series._daily_series(auckland, period)["measures"]["stress"]["values"][-1] == 6.0


def test_a_range_across_the_clocks_changing_has_each_calendar_day_exactly_once(user):
    # The clocks went forward in London at 01:00 on Sunday 29 March 2026.
    assert user.time_zone == "Europe/London"
    period = Period(datetime.date(2026, 3, 22), datetime.date(2026, 4, 5), "custom")
    for number, day in enumerate(days(period.start, period.end)):
        DailyEntryFactory(user=user, day=day, stress=number % 11)

    daily = trend_series._daily_series(user, period)
    weekly = trend_series._weekly_series(user, period)

    assert daily["days"] == [day.isoformat() for day in days(period.start, period.end)]
    assert len(daily["days"]) == len(set(daily["days"])) == 15
    assert daily["days"].count("2026-03-29") == 1
    assert daily["measures"]["stress"]["values"] == [float(n % 11) for n in range(15)]
    assert weekly["days"] == ["2026-03-16", "2026-03-23", "2026-03-30"]
    assert weekly["days_logged"] == [1, 7, 7]


def test_the_day_after_the_clocks_change_begins_at_local_midnight(user, freeze_time):
    # 23:30 UTC on 29 March is 00:30 British Summer Time on 30 March.
    freeze_time("2026-03-29T23:30:00+00:00")

    period = periods.resolve_period({"range": "30d"}, user)

    assert period.end == datetime.date(2026, 3, 30)
    assert period.start == datetime.date(2026, 3, 1)


# The cached payload


def test_the_payload_is_recomputed_after_the_person_saves_a_day(user):
    period = Period(TODAY - 29 * ONE_DAY, TODAY, "30d")
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    user.refresh_from_db()
    assert by_name(trend_series.trends_for(user, period)["summary"])["stress"]["mean"] == 2.0

    DailyEntry.objects.save_day(user, TODAY - ONE_DAY, {"stress": 6})
    user.refresh_from_db()

    assert by_name(trend_series.trends_for(user, period)["summary"])["stress"]["mean"] == 4.0
