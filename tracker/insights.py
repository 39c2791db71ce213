"""Honest answers to "does intimacy help me?" from one person's own records.

This module lines the person's days up (one query), asks tracker/stats.py the seven fixed
questions, adjusts for asking seven at once (Benjamini-Hochberg), and words each answer plainly.
The words never claim cause, never advise, and say "no clear difference" whenever the adjusted
result is not clear.
"""

from dataclasses import dataclass

import numpy as np
from django.core.cache import cache

from tracker import stats
from tracker.measures import MEASURES
from tracker.models import ACTIVITY_KINDS, DailyEntry, Intensity
from tracker.trends.cache import CACHE_SECONDS, cache_key
from tracker.trends.periods import Period

CAVEAT = "This is a pattern in your records, not proof that one thing leads to the other."


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    kind: str  # "difference" or "correlation"
    # For differences: how the two groups are described, and the measure compared between them
    # (its name in tracker/measures.py).
    with_label: str = ""
    without_label: str = ""
    measure: str = ""
    unit: str = "points"
    # For differences, counting pairs: what each group's days are ("days with ..."), and what
    # must follow them to make a pair ("a day", "two days").
    a_days: str = ""
    b_days: str = ""
    followed_by: str = "a day"
    # For correlations: what rises together.
    x_label: str = ""
    y_label: str = ""
    # Whether the question involves intimacy: discreet mode hides those answers until asked.
    intimate: bool = False

    @property
    def outcome(self) -> str:
        """What a difference compares, named in a sentence: "stress"."""
        return MEASURES[self.measure].compared


QUESTIONS = [
    Question(
        "intimacy_next_day_stress",
        "Is my stress different the day after intimacy?",
        "difference",
        with_label="days after sexual activity",
        without_label="days after none",
        measure="stress",
        a_days="days with sexual activity",
        b_days="days without",
        intimate=True,
    ),
    Question(
        "intimacy_next_night_sleep_quality",
        "Do I sleep differently the night after intimacy?",
        "difference",
        with_label="nights after sexual activity",
        without_label="nights after none",
        measure="sleep_quality",
        a_days="days with sexual activity",
        b_days="days without",
        followed_by="a night",
        intimate=True,
    ),
    Question(
        "intimacy_flare_next_2_days",
        "Are my flares different in the two days after intimacy?",
        "difference",
        with_label="the two days after sexual activity",
        without_label="the two days after none",
        measure="flare_severity",
        a_days="days with sexual activity",
        b_days="days without",
        followed_by="two days",
        intimate=True,
    ),
    Question(
        "vigorous_vs_gentle_flare_next_2_days",
        "After vigorous intimacy, are my flares different than after gentle or moderate?",
        "difference",
        with_label="the two days after vigorous activity",
        without_label="the two days after gentle or moderate activity",
        measure="flare_severity",
        a_days="days with vigorous activity",
        b_days="days with gentle or moderate activity",
        followed_by="two days",
        intimate=True,
    ),
    Question(
        "affection_next_day_stress",
        "Is my stress different the day after physical affection?",
        "difference",
        with_label="days after physical affection",
        without_label="days after none",
        measure="stress",
        a_days="days with physical affection",
        b_days="days without",
        intimate=True,
    ),
    Question(
        "stress_next_day_flare",
        "Does stress on one day go with my flare the next day?",
        "correlation",
        x_label="stress on a day",
        y_label="flare severity the next day",
    ),
    Question(
        "sleep_quality_same_day_flare",
        "Does how well I slept go with that day's flare?",
        "correlation",
        x_label="sleep quality",
        y_label="flare severity the same day",
    ),
]


def _daily_arrays(user, period: Period) -> dict[str, np.ndarray]:
    """One position per calendar day of the period; NaN where not logged."""
    rows = (
        DailyEntry.objects.for_user(user)
        .between(period.start, period.end)
        .values_list(
            "day",
            "sexual_activity",
            "intensity",
            "physical_affection",
            "stress",
            "sleep_quality",
            "flare_severity",
        )
    )
    length = period.days
    arrays = {
        name: np.full(length, np.nan)
        for name in ("activity", "vigorous", "affection", "stress", "sleep_quality", "flare")
    }
    for day, kind, intensity, affection, *measures in rows:
        index = (day - period.start).days
        if kind is not None:
            arrays["activity"][index] = kind in ACTIVITY_KINDS
        if kind in ACTIVITY_KINDS and intensity is not None:
            arrays["vigorous"][index] = intensity == Intensity.VIGOROUS
        if affection is not None:
            arrays["affection"][index] = affection
        for name, value in zip(("stress", "sleep_quality", "flare"), measures, strict=True):
            if value is not None:
                arrays[name][index] = value
    return arrays


def _next_two_days(values: np.ndarray) -> np.ndarray:
    """For each day, the mean of the next two days' values (NaN unless both were logged)."""
    following = np.full(values.size, np.nan)
    if values.size >= 3:
        following[:-2] = (values[1:-1] + values[2:]) / 2
    return following


def _next_day(values: np.ndarray) -> np.ndarray:
    following = np.full(values.size, np.nan)
    following[:-1] = values[1:]
    return following


def _answers(arrays: dict[str, np.ndarray]) -> list[stats.Result]:
    activity, vigorous, affection = arrays["activity"], arrays["vigorous"], arrays["affection"]
    stress, sleep, flare = arrays["stress"], arrays["sleep_quality"], arrays["flare"]
    next_two_flare = _next_two_days(flare)
    return [
        stats.mean_difference(_next_day(stress), activity),
        stats.mean_difference(_next_day(sleep), activity),
        stats.mean_difference(next_two_flare, activity),
        stats.mean_difference(next_two_flare, vigorous),
        stats.mean_difference(_next_day(stress), affection),
        stats.spearman_correlation(stress, _next_day(flare)),
        stats.spearman_correlation(sleep, flare),
    ]


def _number(value: float, decimals: int = 1) -> str:
    """A rounded number for a sentence, with enough decimals not to show a non-zero as 0.0."""
    if value and round(value, decimals) == 0:
        decimals += 1
    return f"{value:.{decimals}f}".replace("-", "\u2212")  # a true minus sign reads better


def _difference_summary(question: Question, result: stats.MeanDifference, clear: bool) -> str:
    counts = f"{result.n_a} pairs vs {result.n_b}"
    if clear:
        direction = "lower" if result.difference < 0 else "higher"
        low, high = sorted((abs(result.ci_low), abs(result.ci_high)))
        return (
            f"On {question.with_label} your {question.outcome} was "
            f"{_number(abs(result.difference))} {question.unit} {direction} on average than on "
            f"{question.without_label} (95% CI {_number(low)} to {_number(high)}; {counts}). "
            f"{CAVEAT}"
        )
    return (
        f"No clear difference in your {question.outcome} between {question.with_label} and "
        f"{question.without_label} (difference {_number(result.difference)} {question.unit}, "
        f"95% CI {_number(result.ci_low)} to {_number(result.ci_high)}; {counts})."
    )


def _strength(rho: float) -> str:
    size = abs(rho)
    return "weak" if size < 0.3 else "moderate" if size < 0.5 else "strong"


def _correlation_summary(question: Question, result: stats.Correlation, clear: bool) -> str:
    numbers = (
        f"rank correlation {_number(result.rho, 2)}, 95% CI {_number(result.ci_low, 2)} to "
        f"{_number(result.ci_high, 2)}; {result.n} pairs"
    )
    if clear:
        together = "higher" if result.rho > 0 else "lower"
        return (
            f"A {_strength(result.rho)} link: when {question.x_label} was higher, "
            f"{question.y_label} tended to be {together} ({numbers}). {CAVEAT}"
        )
    return f"No clear link between {question.x_label} and {question.y_label} ({numbers})."


def _not_enough_summary(question: Question, result: stats.NotEnoughData) -> str:
    if result.reason == "no_variation":
        if question.kind == "correlation":
            return (
                "Not enough variation yet: one of the two was the same every time, so there is "
                "nothing to compare."
            )
        return (
            "Not enough variation yet: within each group every value was the same, so there is "
            "no way to tell how sure any difference is."
        )
    if question.kind == "correlation":
        return (
            f"Not enough data yet: this needs at least {stats.MIN_PAIRS} days with both "
            f"{question.x_label} and {question.y_label} logged, and there are {result.have_a}. "
            f"About {result.need_more_a} more logged days would be needed."
        )
    needs = [
        f"{count} more {days}"
        for count, days in (
            (result.need_more_a, question.a_days),
            (result.need_more_b, question.b_days),
        )
        if count
    ]
    return (
        f"Not enough data yet: this needs at least {stats.MIN_PER_GROUP} {question.a_days} and "
        f"{stats.MIN_PER_GROUP} {question.b_days}, each followed by {question.followed_by} with "
        f"{question.outcome} logged. So far there are {result.have_a} and {result.have_b}; "
        f"about {' and '.join(needs)} would be needed."
    )


def _finding(question: Question, result: stats.Result, adjusted_p: float | None) -> dict:
    clear = stats.is_clear(adjusted_p)
    finding = {
        "id": question.id,
        "title": question.title,
        "kind": question.kind,
        "intimate": question.intimate,
        "status": "ok",
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "n_pairs": 0,
        "n_with": None,
        "n_without": None,
        "clear": False,
        "adjusted_p": adjusted_p,
        "reason": None,
        "summary": "",
    }
    if isinstance(result, stats.NotEnoughData):
        pairs = result.have_a + (result.have_b or 0)
        finding.update(
            status="insufficient_data",
            reason=result.reason,
            n_pairs=pairs,
            summary=_not_enough_summary(question, result),
        )
        if question.kind == "difference":
            finding.update(n_with=result.have_a, n_without=result.have_b)
        return finding
    if isinstance(result, stats.MeanDifference):
        finding.update(
            estimate=round(result.difference, 2),
            ci_low=round(result.ci_low, 2),
            ci_high=round(result.ci_high, 2),
            n_pairs=result.n_a + result.n_b,
            n_with=result.n_a,
            n_without=result.n_b,
            clear=clear,
            summary=_difference_summary(question, result, clear),
        )
    else:
        finding.update(
            estimate=round(result.rho, 2),
            ci_low=round(result.ci_low, 2),
            ci_high=round(result.ci_high, 2),
            n_pairs=result.n,
            clear=clear,
            summary=_correlation_summary(question, result, clear),
        )
    return finding


def findings_for(user, period: Period) -> list[dict]:
    """The seven answers for one person and period (cached until they write)."""
    key = cache_key(user, "insights", period.start, period.end)
    findings = cache.get(key)
    if findings is None:
        results = _answers(_daily_arrays(user, period))
        adjusted = stats.adjust_p_values([stats.p_value_of(result) for result in results])
        findings = [
            _finding(question, result, p)
            for question, result, p in zip(QUESTIONS, results, adjusted, strict=True)
        ]
        cache.set(key, findings, CACHE_SECONDS)
    return findings


PUBLIC_FIELDS = (
    "id",
    "status",
    "estimate",
    "ci_low",
    "ci_high",
    "n_pairs",
    "n_with",
    "n_without",
    "clear",
    "summary",
)


def public_findings(findings: list[dict]) -> list[dict]:
    """The machine-readable form of the findings (the API's /api/v1/insights/)."""
    return [{field: finding[field] for field in PUBLIC_FIELDS} for finding in findings]


# How far from zero each answer's drawn axis reaches: a difference, the whole of its measure's
# scale (10 points on a 0-10 scale, 4 steps on the 1-5 sleep scale); a correlation, 1.
AXIS_REACH = {
    question.id: float(MEASURES[question.measure].reach) if question.kind == "difference" else 1.0
    for question in QUESTIONS
}


def _position(value: float, reach: float) -> float:
    """Where a value sits on an axis from -reach (0 %) through zero (50 %) to +reach (100 %)."""
    return round(50 + 50 * max(min(value / reach, 1.0), -1.0), 1)


def with_interval_bars(findings: list[dict]) -> list[dict]:
    """The findings, each with where to draw its estimate and interval around zero."""
    drawn = []
    for finding in findings:
        bar = None
        if finding["status"] == "ok":
            reach = AXIS_REACH[finding["id"]]
            low = _position(finding["ci_low"], reach)
            high = _position(finding["ci_high"], reach)
            bar = {
                "low": low,
                "width": round(max(high - low, 0.5), 1),
                # The estimate is drawn as a 1.5-unit-wide tick centred on its position.
                "estimate": round(_position(finding["estimate"], reach) - 0.75, 2),
                "reach": reach,
            }
        drawn.append({**finding, "bar": bar})
    return drawn
