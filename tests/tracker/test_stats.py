"""tracker/stats.py against scipy reference values, and by simulation on diaries like real ones.

The simulations generate whole diaries (300 days, about 10% of days not logged, scores rounded
to the form's scales) whose stress, sleep and flare series are AR(1) with phi = 0.6 and whose
activity and affection days come in runs. Each bound is a binomial tolerance for the number of
runs, so a correct module fails it with odds of about 1 in 1000 per seed.
"""

import math

import numpy as np
import pytest
from scipy import signal, stats

from tracker.stats import (
    Correlation,
    MeanDifference,
    NotEnoughData,
    adjust_p_values,
    effective_sample_size,
    is_clear,
    lag1_autocorrelation,
    mean_difference,
    p_value_of,
    spearman_correlation,
    welch_difference,
)

RUNS = 400
DAYS = 300
PHI = 0.6


def binomial_upper(rate: float, runs: int = RUNS) -> float:
    """The highest share of runs a process with this true rate reaches, but for 1 in 1000."""
    return float(stats.binom.ppf(0.999, runs, rate)) / runs


def binomial_lower(rate: float, runs: int = RUNS) -> float:
    return float(stats.binom.ppf(0.001, runs, rate)) / runs


# Simulated diaries ------------------------------------------------------------------------------


def ar1(rng: np.random.Generator, runs: int, days: int, phi: float = PHI) -> np.ndarray:
    """Stationary AR(1) series with unit variance, one row per run."""
    shocks = rng.standard_normal((runs, days))
    shocks[:, 0] /= math.sqrt(1 - phi**2)
    return signal.lfilter([1.0], [1.0, -phi], shocks, axis=1) * math.sqrt(1 - phi**2)


def runs_of_days(rng: np.random.Generator, runs: int, days: int, stay: float, start: float):
    """Yes/no days from a two-state Markov chain: yes days cluster (lag-1 = stay - start)."""
    uniform = rng.random((runs, days))
    state = np.empty((runs, days), dtype=bool)
    state[:, 0] = uniform[:, 0] < start / (1 - stay + start)
    for day in range(1, days):
        state[:, day] = uniform[:, day] < np.where(state[:, day - 1], stay, start)
    return state


def simulate_diaries(
    rng: np.random.Generator,
    runs: int = RUNS,
    days: int = DAYS,
    *,
    activity_stress: float = 0.0,
    vigorous_flare: float = 0.0,
    stress_flare: float = 0.0,
) -> dict[str, np.ndarray]:
    """Diaries with optional planted effects, in points on the 0-10 scales (or a correlation).

    activity_stress: added to the next day's stress after an activity day.
    vigorous_flare: added to flare severity on the two days after vigorous activity.
    stress_flare: latent correlation of a day's stress with the next day's flare.
    """
    activity = runs_of_days(rng, runs, days, stay=0.6, start=0.2)
    vigorous = activity & (rng.random((runs, days)) < 0.3)
    affection = runs_of_days(rng, runs, days, stay=0.7, start=0.3)
    stress_latent = ar1(rng, runs, days)
    flare_latent = ar1(rng, runs, days)
    flare_latent[:, 1:] = (
        math.sqrt(1 - stress_flare**2) * flare_latent[:, 1:] + stress_flare * stress_latent[:, :-1]
    )
    after_activity = np.zeros((runs, days))
    after_activity[:, 1:] = activity[:, :-1]
    after_vigorous = np.zeros((runs, days))
    after_vigorous[:, 1:] += vigorous[:, :-1]
    after_vigorous[:, 2:] += vigorous[:, :-2]
    stress = np.clip(np.round(4 + 2 * stress_latent + activity_stress * after_activity), 0, 10)
    flare = np.clip(np.round(2 + 2 * flare_latent + vigorous_flare * after_vigorous), 0, 10)
    sleep_quality = np.clip(np.round(3 + ar1(rng, runs, days)), 1, 5)

    not_logged = rng.random((runs, days)) < 0.1
    diaries = {
        "activity": activity,
        "vigorous": vigorous,
        "affection": affection,
        "stress": stress,
        "flare": flare,
        "sleep_quality": sleep_quality,
    }
    return {name: np.where(not_logged, np.nan, values) for name, values in diaries.items()}


def seven_answers(diary: dict[str, np.ndarray], run: int) -> list:
    """The seven /insights/ questions for one simulated person, as tracker/insights.py asks them.

    Index t is the day of the exposure; outcomes come from t + 1 (and t + 2).
    """
    activity, vigorous = diary["activity"][run], diary["vigorous"][run]
    affection, stress = diary["affection"][run], diary["stress"][run]
    flare, sleep_quality = diary["flare"][run], diary["sleep_quality"][run]
    today = slice(0, -2)
    next_day = slice(1, -1)
    # NaN unless both following days are logged.
    flare_next_2_days = (flare[1:-1] + flare[2:]) / 2
    vigorous_among_active = np.where(activity == 1, vigorous, np.nan)
    return [
        mean_difference(stress[next_day], activity[today]),
        mean_difference(sleep_quality[next_day], activity[today]),
        mean_difference(flare_next_2_days, activity[today]),
        mean_difference(flare_next_2_days, vigorous_among_active[today]),
        mean_difference(stress[next_day], affection[today]),
        spearman_correlation(stress[today], flare[next_day]),
        spearman_correlation(sleep_quality, flare),
    ]


def clear_patterns(answers: list) -> list[bool]:
    adjusted = adjust_p_values([p_value_of(answer) for answer in answers])
    return [is_clear(p) for p in adjusted]


# Simulation -------------------------------------------------------------------------------------


def test_with_no_effect_a_clear_pattern_appears_in_at_most_about_5_percent_of_diaries():
    diaries = simulate_diaries(np.random.default_rng(20260101))
    families_with_a_finding = 0
    for run in range(RUNS):
        families_with_a_finding += any(clear_patterns(seven_answers(diaries, run)))

    assert families_with_a_finding / RUNS <= binomial_upper(0.05)


def test_ignoring_autocorrelation_would_find_patterns_that_are_not_there():
    # The check above has teeth: plain Welch on the same diaries overstates.
    diaries = simulate_diaries(np.random.default_rng(20260102))
    stress, activity = diaries["stress"], diaries["activity"]
    naive_findings = corrected_findings = 0
    for run in range(RUNS):
        outcome, groups = stress[run, 1:], activity[run, :-1]
        naive = welch_difference(outcome[groups == 1], outcome[groups == 0])
        naive_findings += naive.p_value < 0.05
        corrected_findings += mean_difference(outcome, groups).p_value < 0.05

    assert naive_findings / RUNS > binomial_upper(0.05)
    assert corrected_findings / RUNS <= binomial_upper(0.05)


@pytest.mark.parametrize(
    ("effect", "question"),
    [
        ({"activity_stress": 1.5}, 0),  # intimacy_next_day_stress
        # Vigorous days are a third of activity days, so 1.5 points is found in only about 60% of
        # 300-day diaries (too close to half to check with 400 runs); 2 points in about 85%.
        ({"vigorous_flare": 2.0}, 3),  # vigorous_vs_gentle_flare_next_2_days
        ({"stress_flare": 0.3}, 5),  # stress_next_day_flare
    ],
)
def test_a_planted_effect_of_realistic_size_is_found_in_most_diaries(effect, question):
    diaries = simulate_diaries(np.random.default_rng(20260103), **effect)
    found = sum(clear_patterns(seven_answers(diaries, run))[question] for run in range(RUNS))

    assert found / RUNS >= binomial_upper(0.5)


def test_mean_difference_interval_covers_the_true_difference_95_percent_of_the_time():
    rng = np.random.default_rng(20260104)
    runs, true_difference = 800, 1.5
    activity = runs_of_days(rng, runs, DAYS, stay=0.6, start=0.2)
    stress = 4 + 2 * ar1(rng, runs, DAYS) + true_difference * activity
    covered = 0
    for run in range(runs):
        answer = mean_difference(stress[run], activity[run])
        covered += answer.ci_low <= true_difference <= answer.ci_high

    assert binomial_lower(0.95, runs) <= covered / runs <= binomial_upper(0.95, runs)


def test_spearman_interval_covers_the_true_rho_95_percent_of_the_time():
    rng = np.random.default_rng(20260105)
    runs, latent_correlation = 800, 0.3
    x = ar1(rng, runs, DAYS)
    y = latent_correlation * x + math.sqrt(1 - latent_correlation**2) * ar1(rng, runs, DAYS)
    # Spearman's rho of a bivariate normal with Pearson correlation r.
    true_rho = 6 / math.pi * math.asin(latent_correlation / 2)
    covered = 0
    for run in range(runs):
        answer = spearman_correlation(x[run], y[run])
        covered += answer.ci_low <= true_rho <= answer.ci_high

    assert binomial_lower(0.95, runs) <= covered / runs <= binomial_upper(0.95, runs)


# Reference values -------------------------------------------------------------------------------


@pytest.mark.parametrize(("n_a", "n_b", "spread_b"), [(10, 10, 1.0), (12, 40, 3.0), (90, 25, 0.5)])
def test_welch_difference_matches_scipy_welch_t_test(n_a, n_b, spread_b):
    rng = np.random.default_rng(n_a + n_b)
    a = rng.normal(5, 2, n_a)
    b = rng.normal(4, 2 * spread_b, n_b)
    reference = stats.ttest_ind(a, b, equal_var=False)
    interval = reference.confidence_interval(0.95)

    answer = welch_difference(a, b)

    assert answer.difference == pytest.approx(a.mean() - b.mean())
    assert answer.ci_low == pytest.approx(interval.low)
    assert answer.ci_high == pytest.approx(interval.high)
    assert answer.p_value == pytest.approx(reference.pvalue)
    assert (answer.effective_n_a, answer.effective_n_b) == (n_a, n_b)


def test_mean_difference_is_plain_welch_when_group_and_outcome_autocorrelation_do_not_align():
    rng = np.random.default_rng(7)
    days = 60
    # Alternating groups (lag-1 near -1) against a smooth outcome (lag-1 > 0): no shrinkage.
    in_group_a = np.arange(days) % 2 == 0
    outcome = 5 + np.cumsum(rng.normal(0, 0.3, days)) + in_group_a
    reference = stats.ttest_ind(outcome[in_group_a], outcome[~in_group_a], equal_var=False)

    answer = mean_difference(outcome, in_group_a)

    assert (answer.effective_n_a, answer.effective_n_b) == (30, 30)
    assert (answer.ci_low, answer.ci_high) == pytest.approx(reference.confidence_interval(0.95))
    assert answer.p_value == pytest.approx(reference.pvalue)


def test_mean_difference_shrinks_both_groups_by_the_shared_autocorrelation():
    rng = np.random.default_rng(8)
    in_group_a = runs_of_days(rng, 1, 200, stay=0.8, start=0.1)[0]
    outcome = 4 + 2 * ar1(rng, 1, 200, phi=0.8)[0] + in_group_a
    residuals = outcome - np.where(
        in_group_a, outcome[in_group_a].mean(), outcome[~in_group_a].mean()
    )
    shared = lag1_autocorrelation(in_group_a) * lag1_autocorrelation(residuals)
    shrink = (1 - shared) / (1 + shared)
    plain = welch_difference(outcome[in_group_a], outcome[~in_group_a])

    answer = mean_difference(outcome, in_group_a)

    assert shared > 0.2
    assert answer.effective_n_a == pytest.approx(shrink * in_group_a.sum())
    assert answer.effective_n_b == pytest.approx(shrink * (~in_group_a).sum())
    assert answer.difference == pytest.approx(plain.difference)
    assert answer.ci_high - answer.ci_low > 1.3 * (plain.ci_high - plain.ci_low)
    assert answer.p_value > plain.p_value


def test_spearman_rho_matches_scipy_with_ties_and_missing_days():
    rng = np.random.default_rng(9)
    stress = rng.integers(0, 11, 80).astype(float)
    flare = np.clip(stress // 2 + rng.integers(-2, 3, 80), 0, 10).astype(float)
    stress[[3, 17]] = np.nan
    flare[[17, 40, 41]] = np.nan
    logged = np.isfinite(stress) & np.isfinite(flare)

    answer = spearman_correlation(stress, flare)

    assert answer.n == 76
    assert answer.rho == pytest.approx(stats.spearmanr(stress[logged], flare[logged]).statistic)


def test_spearman_interval_is_scipys_fisher_z_widened_by_bonett_wright_when_no_autocorrelation():
    rng = np.random.default_rng(10)
    days = 50
    # Alternating x (lag-1 near -1) against a smooth y: the effective size stays n.
    x = np.where(np.arange(days) % 2 == 0, 10.0, 0.0) + rng.normal(0, 1, days)
    y = np.cumsum(rng.normal(0, 1, days)) + 0.5 * x
    fisher = stats.pearsonr(stats.rankdata(x), stats.rankdata(y)).confidence_interval(0.95)

    answer = spearman_correlation(x, y)

    assert answer.effective_n == days
    widening = math.sqrt(1 + answer.rho**2 / 2)
    z = math.atanh(answer.rho)
    assert math.atanh(answer.ci_low) - z == pytest.approx(widening * (math.atanh(fisher.low) - z))
    assert math.atanh(answer.ci_high) - z == pytest.approx(widening * (math.atanh(fisher.high) - z))


def test_spearman_p_value_near_zero_agrees_with_scipy():
    rng = np.random.default_rng(11)
    x = rng.normal(size=300)
    y = 0.1 * x + rng.normal(size=300)
    reference = stats.spearmanr(x, y).pvalue

    answer = spearman_correlation(x, y)

    assert answer.effective_n == 300
    # Compared as normal deviates: the two tests differ only in their large-sample approximation.
    assert stats.norm.isf(answer.p_value / 2) == pytest.approx(
        stats.norm.isf(reference / 2), rel=0.03
    )


def test_spearman_p_value_is_below_5_percent_exactly_when_the_interval_excludes_zero():
    rng = np.random.default_rng(12)
    xs, noise = ar1(rng, 200, 40), ar1(rng, 200, 40)
    for x, y_noise in zip(xs, noise, strict=True):
        y = rng.uniform(0, 0.8) * x + y_noise
        answer = spearman_correlation(x, y)
        assert (answer.p_value < 0.05) == (answer.ci_low > 0 or answer.ci_high < 0)


def test_benjamini_hochberg_matches_scipy_and_leaves_out_questions_without_an_answer():
    p_values = [0.01, None, 0.04, 0.03, math.nan, 0.20, 0.002]
    tested = [0.01, 0.04, 0.03, 0.20, 0.002]
    reference = stats.false_discovery_control(tested, method="bh")

    adjusted = adjust_p_values(p_values)

    assert adjusted[1] is None and adjusted[4] is None
    assert [p for p in adjusted if p is not None] == pytest.approx(list(reference))


def test_holm_adjustment_of_a_worked_example():
    # Sorted 0.01, 0.02, 0.03, 0.5 -> x4, x3, x2, x1 -> 0.04, 0.06, 0.06 (monotone), 0.5.
    assert adjust_p_values([0.03, 0.5, 0.01, None, 0.02], method="holm") == pytest.approx(
        [0.06, 0.5, 0.04, None, 0.06]
    )


def test_adjusting_nothing_gives_nothing():
    assert adjust_p_values([None, math.nan]) == [None, None]
    assert adjust_p_values([]) == []


def test_only_an_adjusted_p_value_below_alpha_is_a_clear_pattern():
    assert is_clear(0.049)
    assert not is_clear(0.05)
    assert not is_clear(None)
    assert not is_clear(math.nan)


def test_lag1_autocorrelation_of_a_worked_example_and_of_a_long_ar1_series():
    # Deviations -2..2 with nothing missing: lagged products sum to 4, squares to 10.
    assert lag1_autocorrelation([1, 2, 3, 4, 5]) == pytest.approx(0.4)
    # The missing day breaks two neighbour pairs: the 3 pairs left sum to 2 + 0 + 2 = 4,
    # scaled by (n - 1) / pairs = 4 / 3, over squares 10.
    assert lag1_autocorrelation([1, 2, None, 3, 4, 5]) == pytest.approx(4 * 4 / 3 / 10)
    series = ar1(np.random.default_rng(13), 1, 20_000)[0]
    assert lag1_autocorrelation(series) == pytest.approx(PHI, abs=0.02)


def test_lag1_autocorrelation_is_zero_when_it_cannot_be_estimated():
    assert lag1_autocorrelation([3, 3, 3, 3]) == 0.0
    assert lag1_autocorrelation([1, 2]) == 0.0
    assert lag1_autocorrelation([]) == 0.0


def test_effective_sample_size_shrinks_for_positive_autocorrelation_only():
    assert effective_sample_size(300, 0.6) == pytest.approx(75)
    assert effective_sample_size(300, 0.0) == 300
    assert effective_sample_size(300, -0.5) == 300
    assert effective_sample_size(300, 0.999) == 2
    assert effective_sample_size(300, math.nan) == 300


# Edge cases -------------------------------------------------------------------------------------


def test_too_few_activity_days_says_how_many_more_are_needed():
    outcome = list(range(37))
    in_group_a = [True] * 7 + [False] * 30

    answer = mean_difference(outcome, in_group_a)

    assert answer == NotEnoughData("too_few", have_a=7, need_more_a=3, have_b=30, need_more_b=0)
    assert answer.need_more == 3


def test_too_few_pairs_for_a_correlation_says_how_many_more_are_needed():
    answer = spearman_correlation(range(15), [1, 3, 2, 5, 4] * 3)

    assert answer == NotEnoughData("too_few", have_a=15, need_more_a=5)


def test_days_not_logged_do_not_count_as_pairs():
    outcome = [None, 4, 5, math.nan, 6] + [3, 4, 5, 6, 7] * 4
    in_group_a = [True, None, True, False, True] + [True, False] * 10

    answer = mean_difference(outcome, in_group_a)

    assert (answer.n_a, answer.n_b) == (12, 10)


def test_an_outcome_that_never_changes_has_no_variation_to_compare():
    answer = mean_difference([0] * 40, [True, False] * 20)

    assert answer == NotEnoughData(
        "no_variation", have_a=20, need_more_a=0, have_b=20, need_more_b=0
    )


def test_a_measure_that_never_changes_has_no_correlation():
    answer = spearman_correlation([0] * 30, range(30))

    assert answer == NotEnoughData("no_variation", have_a=30, need_more_a=0)


def test_one_group_without_spread_still_gets_an_interval_from_the_other():
    rng = np.random.default_rng(14)
    outcome = np.concatenate([np.zeros(15), rng.integers(0, 5, 25)])
    in_group_a = np.arange(40) < 15

    answer = mean_difference(outcome, in_group_a)

    assert isinstance(answer, MeanDifference)
    assert answer.ci_low < answer.difference < answer.ci_high


def test_perfect_rank_agreement_gives_a_finite_interval():
    answer = spearman_correlation(range(30), [value**2 for value in range(30)])

    assert answer.rho == 1.0
    assert -1 < answer.ci_low < answer.ci_high <= 1
    assert answer.p_value < 1e-6


def test_answers_are_plain_python_numbers():
    rng = np.random.default_rng(15)
    difference = mean_difference(rng.normal(size=40), rng.random(40) < 0.5)
    correlation = spearman_correlation(rng.normal(size=40), rng.normal(size=40))
    adjusted = adjust_p_values([difference.p_value, correlation.p_value])

    assert isinstance(difference, MeanDifference) and isinstance(correlation, Correlation)
    for answer in (difference, correlation):
        for name, value in vars(answer).items():
            expected = int if name in {"n", "n_a", "n_b"} else float
            assert type(value) is expected, name
    assert all(type(p) is float for p in adjusted)


def test_misaligned_inputs_are_a_programming_error():
    with pytest.raises(ValueError, match="same length"):
        mean_difference([1, 2, 3], [True, False])
    with pytest.raises(ValueError, match="True, False or None"):
        mean_difference([1, 2, 3], [0, 1, 2])
    with pytest.raises(ValueError, match="same length"):
        spearman_correlation([1, 2, 3], [1, 2])
