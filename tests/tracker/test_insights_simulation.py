"""tracker/insights.py by simulation: the seven answers for 300 synthetic people.

Each person keeps a 240-day diary shaped like the ones tracker.insights._daily_arrays builds from
the database: one position per calendar day, NaN where nothing was logged (about 10% of days).
Stress, sleep quality and flare severity are AR(1) with lag-1 autocorrelation 0.5, rounded and
clipped to the form's scales; activity days (about 23% of days) and affection days come in runs.
The answers go through the module's own steps (_answers, Benjamini-Hochberg, _finding), so what
is checked is what a person would be shown. tests/tracker/test_stats.py covers the statistics
underneath; here the questions are whether the findings keep the issue's promises: the 95%
interval covers the true effect, a "clear" pattern almost never points the wrong way, and with
nothing planted "clear" is rare.

Bounds that are not the issue's own figures are binomial tolerances for 300 people: a correct
module misses them with odds of about 1 in 1000. The seeds are fixed, so every run is the same.
"""

import math
import re

import numpy as np
import pytest
from scipy import optimize, signal
from scipy import stats as distributions

from tracker import insights, stats

PEOPLE = 300
DAYS = 240
PHI = 0.5
NOT_LOGGED = 0.1
PLANTED_STRESS_EFFECT = -1.5  # points of stress on the day after sexual activity
STRESS_CENTRE, STRESS_SPREAD = 5.0, 2.0
FORBIDDEN = re.compile(r"\b(cause|causes|cures|should|recommend)\b", re.IGNORECASE)
DIARY_FIELDS = ("activity", "vigorous", "affection", "stress", "sleep_quality", "flare")
IDS = [question.id for question in insights.QUESTIONS]
DIFFERENCES = [question.id for question in insights.QUESTIONS if question.kind == "difference"]


def binomial_upper(rate: float, runs: int = PEOPLE) -> float:
    """The highest share of runs a process with this true rate reaches, but for 1 in 1000."""
    return float(distributions.binom.ppf(0.999, runs, rate)) / runs


def binomial_lower(rate: float, runs: int = PEOPLE) -> float:
    return float(distributions.binom.ppf(0.001, runs, rate)) / runs


# Synthetic diaries -------------------------------------------------------------------------------


def ar1(rng: np.random.Generator, days: int, phi: float = PHI) -> np.ndarray:
    """A stationary AR(1) series with unit variance: every day is N(0, 1) on its own."""
    shocks = rng.standard_normal(days)
    shocks[0] /= math.sqrt(1 - phi**2)
    return signal.lfilter([1.0], [1.0, -phi], shocks) * math.sqrt(1 - phi**2)


def runs_of_days(rng: np.random.Generator, days: int, stay: float, start: float) -> np.ndarray:
    """Yes/no days from a two-state Markov chain, so yes days cluster (lag-1 = stay - start)."""
    uniform = rng.random(days)
    state = np.empty(days, dtype=bool)
    state[0] = uniform[0] < start / (1 - stay + start)
    for day in range(1, days):
        state[day] = uniform[day] < (stay if state[day - 1] else start)
    return state


def expected_score(centre: float, spread: float, top: int = 10) -> float:
    """E[clip(round(centre + spread * Z), 0, top)] for a standard normal Z.

    For a score on 0..top, E[score] = sum over k = 1..top of P(score >= k), and the score
    reaches k exactly when the unrounded value reaches k - 0.5.
    """
    thresholds = np.arange(1, top + 1) - 0.5
    return float(distributions.norm.sf((thresholds - centre) / spread).sum())


def latent_shift_for(effect: float) -> float:
    """The shift of unrounded stress whose recorded (rounded, clipped) mean moves by `effect`.

    Rounding and clipping at 0 shrink a shift a little, so planting `effect` itself would make
    the true difference of recorded scores about 0.03 smaller than the figure checked against.
    """
    baseline = expected_score(STRESS_CENTRE, STRESS_SPREAD)
    return optimize.brentq(
        lambda shift: expected_score(STRESS_CENTRE + shift, STRESS_SPREAD) - baseline - effect,
        -5.0,
        5.0,
        xtol=1e-12,
    )


def diary(rng: np.random.Generator, stress_shift: float = 0.0) -> dict[str, np.ndarray]:
    """One person's days, in the shape tracker.insights._daily_arrays returns.

    stress_shift moves the unrounded stress of every day that follows a day with sexual
    activity; stress noise is independent of activity, so the expected difference of recorded
    stress between days after activity and days after none is exactly
    expected_score(5 + shift) - expected_score(5).
    """
    activity = runs_of_days(rng, DAYS, stay=0.5, start=0.15)  # 23% of days, lag-1 0.35
    vigorous = activity & (rng.random(DAYS) < 0.3)
    affection = runs_of_days(rng, DAYS, stay=0.6, start=0.25)
    after_activity = np.zeros(DAYS)
    after_activity[1:] = activity[:-1]
    unrounded_stress = (
        STRESS_CENTRE + STRESS_SPREAD * ar1(rng, DAYS) + stress_shift * after_activity
    )
    days = {
        "activity": activity.astype(float),
        # Intensity is only asked about on activity days.
        "vigorous": np.where(activity, vigorous, np.nan),
        "affection": affection.astype(float),
        "stress": np.clip(np.round(unrounded_stress), 0, 10),
        "sleep_quality": np.clip(np.round(3 + ar1(rng, DAYS)), 1, 5),
        "flare": np.clip(np.round(2 + 2 * ar1(rng, DAYS)), 0, 10),
    }
    not_logged = rng.random(DAYS) < NOT_LOGGED
    return {name: np.where(not_logged, np.nan, values) for name, values in days.items()}


def findings_from(days: dict[str, np.ndarray]) -> list[dict]:
    """The seven findings for one diary: tracker.insights.findings_for without the database."""
    results = insights._answers(days)
    adjusted = stats.adjust_p_values([stats.p_value_of(result) for result in results])
    return [
        insights._finding(question, result, p)
        for question, result, p in zip(insights.QUESTIONS, results, adjusted, strict=True)
    ]


def simulate(seed: int, stress_shift: float = 0.0) -> list[dict[str, dict]]:
    """The findings of PEOPLE synthetic people, each as {question id: finding}."""
    rng = np.random.default_rng(seed)
    return [
        {finding["id"]: finding for finding in findings_from(diary(rng, stress_shift))}
        for _ in range(PEOPLE)
    ]


@pytest.fixture(scope="module")
def with_planted_effect() -> list[dict[str, dict]]:
    return simulate(20261125, latent_shift_for(PLANTED_STRESS_EFFECT))


@pytest.fixture(scope="module")
def with_no_effect() -> list[dict[str, dict]]:
    return simulate(20261126)


def share(people: list[dict[str, dict]], question: str, test) -> float:
    return sum(bool(test(person[question])) for person in people) / len(people)


def covers(value: float):
    return lambda finding: finding["ci_low"] <= value <= finding["ci_high"]


# The simulation itself ---------------------------------------------------------------------------


def test_the_planted_difference_is_exactly_the_expected_difference_of_recorded_stress():
    shift = latent_shift_for(PLANTED_STRESS_EFFECT)
    recorded = expected_score(STRESS_CENTRE + shift, STRESS_SPREAD) - expected_score(
        STRESS_CENTRE, STRESS_SPREAD
    )

    assert recorded == pytest.approx(PLANTED_STRESS_EFFECT, abs=1e-9)
    assert shift < PLANTED_STRESS_EFFECT  # clipping at 0 takes a little off the latent shift


def test_synthetic_diaries_look_like_the_ones_the_issue_describes():
    days = [diary(np.random.default_rng(seed)) for seed in range(40)]
    logged = np.concatenate([np.isfinite(person["stress"]) for person in days])
    activity = np.concatenate([person["activity"] for person in days])
    activity = activity[np.isfinite(activity)]
    stress_lag1 = np.mean([stats.lag1_autocorrelation(person["stress"]) for person in days])
    activity_lag1 = np.mean(
        [stats.lag1_autocorrelation(np.nan_to_num(person["activity"])) for person in days]
    )

    assert 0.87 < logged.mean() < 0.93
    assert 0.20 <= activity.mean() <= 0.30
    assert activity_lag1 > 0.25  # activity days come in runs
    # Lag-1 of 0.5 before rounding and gaps; closing up gaps mixes in some lag-2 (0.25).
    assert 0.38 < stress_lag1 < 0.52
    for person in days:
        assert set(person) == set(DIARY_FIELDS)
        scores = person["stress"][np.isfinite(person["stress"])]
        assert np.array_equal(scores, np.round(scores)) and scores.min() >= 0 and scores.max() <= 10


# With a planted effect of -1.5 points of stress the day after intimacy -------------------------


def test_the_interval_covers_the_planted_effect_for_at_least_90_percent_of_people(
    with_planted_effect,
):
    coverage = share(with_planted_effect, "intimacy_next_day_stress", covers(PLANTED_STRESS_EFFECT))

    # Measured with this seed: 95.0% (94.9% over 3000 people). The issue asks for 90%; a correct
    # 95% interval falls below 90.7% of 300 people only 1 time in 1000.
    assert coverage >= 0.90
    # ...and the intervals are not so wide that covering is trivial.
    assert coverage <= binomial_upper(0.95)


def test_the_estimates_centre_on_the_planted_effect(with_planted_effect):
    estimates = [person["intimacy_next_day_stress"]["estimate"] for person in with_planted_effect]

    # Each estimate has a spread of about 0.38 points, so the mean of 300 has about 0.022.
    # Measured with this seed: -1.47.
    assert np.mean(estimates) == pytest.approx(PLANTED_STRESS_EFFECT, abs=0.1)


def test_a_clear_pattern_with_the_wrong_sign_is_claimed_for_fewer_than_1_percent(
    with_planted_effect,
):
    wrong_sign = share(
        with_planted_effect,
        "intimacy_next_day_stress",
        lambda finding: finding["clear"] and finding["estimate"] > 0,
    )

    assert wrong_sign < 0.01  # measured with this seed: 0%


def test_a_planted_effect_is_found_in_most_people(with_planted_effect):
    found = share(with_planted_effect, "intimacy_next_day_stress", lambda finding: finding["clear"])

    # Measured with this seed: 83%; 85% over 3000 people.
    assert found >= binomial_lower(0.8)


def test_questions_without_a_planted_effect_still_cover_zero(with_planted_effect):
    for question in IDS[1:]:
        answered = [person for person in with_planted_effect if person[question]["status"] == "ok"]
        coverage = share(answered, question, covers(0.0))
        assert coverage >= binomial_lower(0.95, len(answered)), question


# With no planted effect ---------------------------------------------------------------------------


def test_with_no_effect_clear_is_claimed_for_at_most_5_percent_of_people_on_any_question(
    with_no_effect,
):
    any_clear = sum(
        any(finding["clear"] for finding in person.values()) for person in with_no_effect
    ) / len(with_no_effect)

    # Benjamini-Hochberg over the seven questions keeps the chance of any clear finding near 5%
    # when nothing is there. The seed is fixed, so this share is the same on every run:
    # 4.7% (14 of 300); over 3,000 people it is 4.2%. (It was 5.7% before stats.py counted only
    # neighbouring calendar days as lag-1 pairs; closing up gaps underestimated autocorrelation.)
    assert any_clear <= 0.05


@pytest.mark.parametrize("question", IDS)
def test_with_no_effect_clear_is_claimed_for_at_most_5_percent_of_people_per_question(
    with_no_effect, question
):
    clear = share(with_no_effect, question, lambda finding: finding["clear"])

    # Each question alone is called clear for about 1% of people (0% to 2.3% with this seed,
    # 0.5% to 1.2% over 3000 people), so the issue's 5% holds with a wide margin.
    assert clear <= 0.05


@pytest.mark.parametrize("question", IDS)
def test_with_no_effect_the_interval_covers_zero_for_about_95_percent(with_no_effect, question):
    answered = [person for person in with_no_effect if person[question]["status"] == "ok"]
    coverage = share(answered, question, covers(0.0))

    assert len(answered) >= 0.6 * PEOPLE  # vigorous days are few: about a quarter lack 10
    assert binomial_lower(0.95, len(answered)) <= coverage <= binomial_upper(0.95, len(answered))


# What the findings say, across every simulated person ----------------------------------------


def test_every_clear_difference_says_lower_or_higher_as_its_estimate_does(
    with_planted_effect, with_no_effect
):
    for person in with_planted_effect + with_no_effect:
        for question in DIFFERENCES:
            finding = person[question]
            if not finding["clear"]:
                continue
            direction = "lower" if finding["estimate"] < 0 else "higher"
            opposite = "higher" if direction == "lower" else "lower"
            assert f"{direction} on average than" in finding["summary"], finding
            assert f"{opposite} on average than" not in finding["summary"], finding


def test_every_clear_link_says_higher_or_lower_as_its_rank_correlation_does(
    with_planted_effect, with_no_effect
):
    for person in with_planted_effect + with_no_effect:
        for question in ("stress_next_day_flare", "sleep_quality_same_day_flare"):
            finding = person[question]
            if finding["clear"]:
                direction = "higher" if finding["estimate"] > 0 else "lower"
                assert f"tended to be {direction}" in finding["summary"], finding


def test_every_answer_shows_its_interval_and_pair_counts_and_no_forbidden_word(
    with_planted_effect, with_no_effect
):
    for person in with_planted_effect + with_no_effect:
        for finding in person.values():
            summary = finding["summary"]
            assert not FORBIDDEN.search(summary), summary
            if finding["status"] != "ok":
                assert summary.startswith("Not enough"), summary
                continue
            assert "95% CI" in summary, summary
            if finding["n_with"] is None:
                assert f"; {finding['n_pairs']} pairs" in summary, summary
            else:
                assert f"{finding['n_with']} pairs vs {finding['n_without']}" in summary, summary
            if not finding["clear"]:
                assert summary.startswith(("No clear difference", "No clear link")), summary
            else:
                assert insights.CAVEAT in summary, summary


def test_every_clear_summary_states_the_estimate_it_reports(with_planted_effect):
    for person in with_planted_effect:
        finding = person["intimacy_next_day_stress"]
        if finding["clear"]:
            stated = re.search(r"stress was (\d+\.\d) points", finding["summary"])
            # The sentence rounds to 0.1 and the number to 0.01.
            assert float(stated[1]) == pytest.approx(abs(finding["estimate"]), abs=0.051), finding
