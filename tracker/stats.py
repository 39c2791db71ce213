"""The statistics behind /insights/: arrays in, plain numbers out.

No ORM and no request here. Callers (tracker/insights.py) line a person's days up in day order,
one position per candidate pair, with NaN or None where a pair is incomplete; this module drops
the incomplete pairs, counts what is left and says how sure it can be.

Daily self-reports are autocorrelated (a stressful day tends to follow a stressful day), and
intervals that treat days as independent are too narrow. Every interval here uses an effective
sample size from lag-1 autocorrelations, Bartlett-style:

    n_eff = n * (1 - r) / (1 + r),   r = r_x * r_y  (clipped to 0 <= r < 1)

which is the large-sample variance inflation for two independent AR(1)-like series with lag-1
coefficients r_x and r_y (Bartlett, 1935), and never lets negative autocorrelation inflate n.

For a correlation, x and y are the two measures. For a difference of group means, x is the 0/1
group series (activity day or not) and y is the outcome's deviation from its own group's mean,
both in day order: a difference of two group means drawn from one daily series is a regression
slope on the group indicator, so only the autocorrelation the two share inflates its variance.
Using the outcome's autocorrelation alone would make intervals up to twice too wide (at
r_y = 0.6) when activity days are scattered, since the two group means then move together and
much of the noise cancels; ignoring autocorrelation makes them too narrow when activity days come
in runs.

Seven questions are asked at once, so "clear pattern" is decided on Benjamini-Hochberg adjusted
p-values (adjust_p_values, is_clear), never on a single p-value.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special, stats

MIN_PER_GROUP = 10
MIN_PAIRS = 20
CONFIDENCE = 0.95

# atanh(1) is infinite; this keeps a perfect rank agreement finite.
_MAX_ABS_RHO = 1 - 1e-12

ValuesIn = Sequence[float | int | None] | np.ndarray
GroupsIn = Sequence[bool | None] | np.ndarray


@dataclass(frozen=True)
class MeanDifference:
    """Mean of group A minus mean of group B, with a confidence interval.

    n_a and n_b count the pairs each group rests on; effective_n_a and effective_n_b are what
    those pairs are worth once autocorrelation is allowed for (equal to n_a, n_b when none).
    """

    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    mean_a: float
    mean_b: float
    n_a: int
    n_b: int
    effective_n_a: float
    effective_n_b: float


@dataclass(frozen=True)
class Correlation:
    """Spearman's rank correlation over n pairs, with a Fisher z confidence interval."""

    rho: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    effective_n: float


@dataclass(frozen=True)
class NotEnoughData:
    """No answer yet, and what it would take to give one.

    reason is "too_few" (below the minimum: need_more_a / need_more_b more pairs of each kind)
    or "no_variation" (enough pairs, but every value was the same, so there is nothing to
    compare; the need_more counts are then 0). For a correlation there is a single kind of pair:
    have_a / need_more_a count pairs and the _b fields are None.
    """

    reason: Literal["too_few", "no_variation"]
    have_a: int
    need_more_a: int
    have_b: int | None = None
    need_more_b: int | None = None

    @property
    def need_more(self) -> int:
        """Total further pairs needed, over both kinds."""
        return self.need_more_a + (self.need_more_b or 0)


Result = MeanDifference | Correlation | NotEnoughData


def _as_floats(values: ValuesIn) -> np.ndarray:
    """A 1-D float array; None becomes NaN."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError("Expected a one-dimensional sequence of values.")
    return array


def lag1_autocorrelation(values: ValuesIn) -> float:
    """Lag-1 autocorrelation of a series given in day order, one position per day.

    NaN and None mark days without a value. Only neighbouring positions that both hold a value
    count as lag-1 pairs: closing up the gaps instead would pair days that are further apart,
    which are less alike, and so underestimate the autocorrelation (and give intervals that are
    too narrow). The estimate is the usual one, sum of lagged cross-products over the sum of
    squares, scaled by (n - 1) / pairs so that it is unchanged when nothing is missing.
    Returns 0.0 when it cannot be estimated (fewer than three values, no lag-1 pair, or no
    variation).
    """
    array = _as_floats(values)
    present = np.isfinite(array)
    n = int(present.sum())
    if n < 3:
        return 0.0
    deviations = np.where(present, array - array[present].mean(), 0.0)
    total = float(np.dot(deviations, deviations))
    both = present[:-1] & present[1:]
    pairs = int(both.sum())
    if total <= 0.0 or pairs == 0:
        return 0.0
    lagged = float(np.dot(deviations[:-1][both], deviations[1:][both]))
    return lagged * (n - 1) / pairs / total


def effective_sample_size(n: int, rho1: float) -> float:
    """What n autocorrelated observations are worth: n (1 - r) / (1 + r), within [2, n].

    r is rho1 clipped to [0, 1): negative autocorrelation never inflates n. For two series,
    pass the product of their lag-1 autocorrelations.
    """
    if n <= 2:
        return float(n)
    r = min(max(float(rho1), 0.0), 1.0 - 1e-9) if math.isfinite(rho1) else 0.0
    return float(min(max(n * (1.0 - r) / (1.0 + r), 2.0), n))


def welch_difference(
    a: ValuesIn,
    b: ValuesIn,
    *,
    effective_n_a: float | None = None,
    effective_n_b: float | None = None,
    min_per_group: int = MIN_PER_GROUP,
    confidence: float = CONFIDENCE,
) -> MeanDifference | NotEnoughData:
    """Welch's interval for mean(a) - mean(b), with optional effective group sizes.

    Each group's variance of the mean is s^2 / effective n, and the Welch-Satterthwaite degrees
    of freedom use the effective sizes too. Without effective sizes this is exactly
    scipy.stats.ttest_ind(a, b, equal_var=False). NaN and None are dropped first.
    Below min_per_group values in either group: NotEnoughData("too_few"). When neither group
    varies (no spread to estimate uncertainty from): NotEnoughData("no_variation").
    """
    a_values = _as_floats(a)
    b_values = _as_floats(b)
    a_values = a_values[np.isfinite(a_values)]
    b_values = b_values[np.isfinite(b_values)]
    n_a, n_b = int(a_values.size), int(b_values.size)
    if n_a < min_per_group or n_b < min_per_group or min(n_a, n_b) < 2:
        return NotEnoughData(
            "too_few",
            have_a=n_a,
            need_more_a=max(min_per_group - n_a, 2 - n_a, 0),
            have_b=n_b,
            need_more_b=max(min_per_group - n_b, 2 - n_b, 0),
        )
    ess_a = float(n_a if effective_n_a is None else min(max(effective_n_a, 2.0), n_a))
    ess_b = float(n_b if effective_n_b is None else min(max(effective_n_b, 2.0), n_b))

    mean_a, mean_b = float(a_values.mean()), float(b_values.mean())
    variance_of_mean_a = float(a_values.var(ddof=1)) / ess_a
    variance_of_mean_b = float(b_values.var(ddof=1)) / ess_b
    variance = variance_of_mean_a + variance_of_mean_b
    if not variance > 0.0:
        return NotEnoughData("no_variation", have_a=n_a, need_more_a=0, have_b=n_b, need_more_b=0)

    standard_error = math.sqrt(variance)
    df = variance**2 / (
        variance_of_mean_a**2 / (ess_a - 1.0) + variance_of_mean_b**2 / (ess_b - 1.0)
    )
    difference = mean_a - mean_b
    # Student's t quantile and tail (scipy.special's ufuncs: stats.t.ppf/sf at 1/50 the cost).
    t_critical = float(special.stdtrit(df, 0.5 + confidence / 2.0))
    p_value = float(2.0 * special.stdtr(df, -abs(difference) / standard_error))
    return MeanDifference(
        difference=difference,
        ci_low=difference - t_critical * standard_error,
        ci_high=difference + t_critical * standard_error,
        p_value=min(p_value, 1.0),
        mean_a=mean_a,
        mean_b=mean_b,
        n_a=n_a,
        n_b=n_b,
        effective_n_a=ess_a,
        effective_n_b=ess_b,
    )


def mean_difference(
    outcome: ValuesIn,
    in_group_a: GroupsIn,
    *,
    min_per_group: int = MIN_PER_GROUP,
    confidence: float = CONFIDENCE,
) -> MeanDifference | NotEnoughData:
    """Mean outcome in group A minus group B, for two groups drawn from one daily series.

    outcome and in_group_a run in day order, one position per candidate pair: in_group_a is
    True (group A, e.g. an activity day), False (group B, e.g. a no-activity day) or None/NaN
    (in neither, or not logged). Positions where either is missing are dropped; what remains
    are the pairs counted in n_a and n_b.

    The interval is Welch's, with both groups' sizes shrunk by the Bartlett factor for the
    lag-1 autocorrelation of the group series times that of the outcome's deviations from its
    group mean (see the module docstring for why those two, and not each group's own).
    Raises ValueError only for a programming error: sequences of different lengths, or group
    labels other than True/False/None.
    """
    values = _as_floats(outcome)
    groups = _as_floats(in_group_a)
    if values.shape != groups.shape:
        raise ValueError("outcome and in_group_a must have the same length.")
    usable = np.isfinite(values) & np.isfinite(groups)
    if not ((groups[usable] == 0.0) | (groups[usable] == 1.0)).all():
        raise ValueError("in_group_a must hold True, False or None.")
    is_a = usable & (groups == 1.0)
    is_b = usable & (groups == 0.0)

    shrink = 1.0
    if is_a.sum() >= 2 and is_b.sum() >= 2:
        # Both series keep one position per day (NaN where unusable) so that only neighbouring
        # days count as lag-1 pairs.
        group_means = np.where(is_a, values[is_a].mean(), values[is_b].mean())
        residuals = np.where(usable, values - group_means, np.nan)
        shared = lag1_autocorrelation(np.where(usable, groups, np.nan)) * lag1_autocorrelation(
            residuals
        )
        size = int(usable.sum())
        shrink = effective_sample_size(size, shared) / size
    return welch_difference(
        values[is_a],
        values[is_b],
        effective_n_a=shrink * int(is_a.sum()),
        effective_n_b=shrink * int(is_b.sum()),
        min_per_group=min_per_group,
        confidence=confidence,
    )


def spearman_correlation(
    x: ValuesIn,
    y: ValuesIn,
    *,
    min_pairs: int = MIN_PAIRS,
    confidence: float = CONFIDENCE,
) -> Correlation | NotEnoughData:
    """Spearman's rho of paired day-ordered series, with an autocorrelation-aware interval.

    Pairs with either value missing (NaN/None) are dropped. The interval is Fisher's z on rho
    with the Bonett-Wright variance for Spearman, (1 + rho^2 / 2) / (n_eff - 3), where n_eff
    is the Bartlett effective size from the lag-1 autocorrelations of the two rank series. The
    p-value is the Wald test of rho = 0 on the same scale, so p < 1 - confidence exactly when the
    interval excludes 0. Below min_pairs pairs: NotEnoughData("too_few"); when x or y never
    varies: NotEnoughData("no_variation"). Raises ValueError only for sequences of different
    lengths.
    """
    x_values = _as_floats(x)
    y_values = _as_floats(y)
    if x_values.shape != y_values.shape:
        raise ValueError("x and y must have the same length.")
    usable = np.isfinite(x_values) & np.isfinite(y_values)
    day_count = x_values.size
    x_values, y_values = x_values[usable], y_values[usable]
    n = int(x_values.size)
    if n < max(min_pairs, 4):
        return NotEnoughData("too_few", have_a=n, need_more_a=max(min_pairs, 4) - n)
    if np.ptp(x_values) == 0.0 or np.ptp(y_values) == 0.0:
        return NotEnoughData("no_variation", have_a=n, need_more_a=0)

    x_ranks, y_ranks = stats.rankdata(np.vstack([x_values, y_values]), axis=1)
    # Spearman's rho is Pearson's r of the ranks (what scipy.stats.spearmanr computes).
    rho = float(np.corrcoef(x_ranks, y_ranks)[0, 1])
    # Ranks go back to their days (NaN elsewhere) so only neighbouring days count as lag-1 pairs.
    x_by_day = np.full(day_count, np.nan)
    y_by_day = np.full(day_count, np.nan)
    x_by_day[usable], y_by_day[usable] = x_ranks, y_ranks
    shared = lag1_autocorrelation(x_by_day) * lag1_autocorrelation(y_by_day)
    effective_n = max(effective_sample_size(n, shared), 4.0)  # keeps n_eff - 3 >= 1

    z = math.atanh(min(max(rho, -_MAX_ABS_RHO), _MAX_ABS_RHO))
    standard_error = math.sqrt((1.0 + rho**2 / 2.0) / (effective_n - 3.0))
    # Standard normal quantile and tail, as stats.norm.ppf/sf.
    z_critical = float(special.ndtri(0.5 + confidence / 2.0))
    p_value = float(2.0 * special.ndtr(-abs(z) / standard_error))
    return Correlation(
        rho=rho,
        ci_low=math.tanh(z - z_critical * standard_error),
        ci_high=math.tanh(z + z_critical * standard_error),
        p_value=p_value,
        n=n,
        effective_n=effective_n,
    )


def adjust_p_values(
    p_values: Sequence[float | None], method: Literal["bh", "holm"] = "bh"
) -> list[float | None]:
    """Adjusted p-values for a family of questions, in the order given.

    "bh" (the default) is Benjamini-Hochberg, via scipy.stats.false_discovery_control: it
    controls the false discovery rate. "holm" controls the chance of any false finding. None
    and NaN mark questions without enough data: they are left out of the family (they do not
    count towards its size) and come back as None.
    """
    tested = [index for index, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    adjusted: list[float | None] = [None] * len(p_values)
    if not tested:
        return adjusted
    raw = np.array([p_values[index] for index in tested], dtype=float)
    if method == "bh":
        result = stats.false_discovery_control(raw, method="bh")
    elif method == "holm":
        order = np.argsort(raw, kind="stable")
        steps = raw[order] * (raw.size - np.arange(raw.size))
        result = np.empty_like(raw)
        result[order] = np.minimum(np.maximum.accumulate(steps), 1.0)
    else:
        raise ValueError(f"Unknown method {method!r}; use 'bh' or 'holm'.")
    for index, value in zip(tested, result, strict=True):
        adjusted[index] = float(value)
    return adjusted


def is_clear(adjusted_p: float | None, alpha: float = 0.05) -> bool:
    """Whether an adjusted p-value is small enough to call the answer a clear pattern."""
    return adjusted_p is not None and not math.isnan(adjusted_p) and adjusted_p < alpha


def p_value_of(result: Result) -> float | None:
    """The p-value of an answer, or None when there is no answer yet (for adjust_p_values)."""
    return None if isinstance(result, NotEnoughData) else result.p_value
