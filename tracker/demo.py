"""Synthetic daily logs for the demo account and for benchmark people.

Plain functions over a numpy Generator and no database, so the relationships planted here can be
tested directly. `simulate` lives every day of some people's lives; `day_records` decides which
days and fields they logged and shapes each day like a DailyEntry. docs/demo-data.md describes
what is planted and how strongly.
"""

import datetime

import numpy as np

from tracker.catalogue import INTIMACY_BARRIERS, SYMPTOMS
from tracker.measures import MEASURES
from tracker.models import SLEEP_HOURS_CHOICES, Intensity, SexualActivity

# The planted effects, in points on the 0-10 scales.
CALMING_INTIMACY = 1.2  # lower stress the day after gentle or moderate intimacy
VIGOROUS_FLARE = (0.9, 0.6)  # higher flare on the first and second day after vigorous intimacy
STRESS_FLARE = 0.35  # higher flare the next day, per stress point above the person's usual
SHORT_SLEEP_FLARE = 0.6  # higher flare per hour slept short of the person's need

MEAN_FLARE_DAYS = 6  # flare episodes end with probability 1/6 a day
BURN_IN_DAYS = 30  # simulated and dropped, so the first kept day is an ordinary one

SEXUAL_ACTIVITIES = [
    SexualActivity.NONE,
    SexualActivity.SOLO,
    SexualActivity.PARTNERED,
    SexualActivity.BOTH,
]
INTENSITIES = [Intensity.GENTLE, Intensity.MODERATE, Intensity.VIGOROUS]

# Chance of each symptom on a day: (with no flare, added per flare point), capped at 0.95.
SYMPTOM_CHANCES = {
    "Joint pain": (0.25, 0.09),
    "Stiffness": (0.30, 0.08),
    "Swelling": (0.04, 0.07),
    "Rash": (0.02, 0.01),
    "Fever": (0.00, 0.008),
    "Brain fog": (0.05, 0.03),
    "Headache": (0.06, 0.01),
    "Muscle pain": (0.06, 0.03),
    "Digestive upset": (0.05, 0.005),
    "Mouth ulcers": (0.02, 0.01),
    "Dry eyes or mouth": (0.05, 0.005),
    "Numbness or tingling": (0.02, 0.01),
    "Vaginal dryness": (0.06, 0.005),
    "Erectile difficulty": (0.06, 0.005),
}
# Each person may have one of these, never both.
BODY_SPECIFIC = [
    ("Vaginal dryness", "vaginal-dryness"),
    ("Erectile difficulty", "erectile-difficulty"),
]

NOTES = [
    "Hands and knees swollen this morning.",
    "Stayed in bed most of the day.",
    "Took extra painkillers.",
    "Couldn't open a jar, had to ask for help.",
    "Cancelled plans again.",
    "Called the rheumatology nurse.",
    "Hot water bottle and an early night.",
    "Morning stiffness lasted until lunch.",
]


def _on_scale(values: np.ndarray, name: str) -> np.ndarray:
    """The values kept within the measure's scale, as the log form would."""
    return np.clip(values, MEASURES[name].lowest, MEASURES[name].highest)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def simulate(rng: np.random.Generator, people: int, days: int) -> dict[str, np.ndarray]:
    """Every day of some people's lives, oldest first, as arrays of shape (people, days).

    Nothing is missing here: `day_records` decides what was logged. Scores are whole numbers in
    their model ranges; "flare" is the unrounded severity, "flare_episode" the hidden state.
    """
    total = days + BURN_IN_DAYS
    # Who each person is.
    usual_stress = rng.uniform(2.5, 4.5, people)
    flare_floor = rng.uniform(0.3, 1.5, people)
    flare_start_chance = rng.uniform(0.02, 0.035, people)
    sleep_need = rng.normal(7.5, 0.4, people)
    desire = rng.uniform(-1.1, -0.3, people)

    latent, flare, stress, sleep, fatigue, libido = np.zeros((6, people, total))
    stress[:, :2] = usual_stress[:, None]
    sleep[:, :2] = sleep_need[:, None]
    episode = np.zeros((people, total), dtype=bool)
    severity = np.zeros(people)
    kind = np.zeros((people, total), dtype=int)  # index into SEXUAL_ACTIVITIES
    intensity = np.zeros((people, total), dtype=int)  # index into INTENSITIES
    calming = np.zeros((people, total), dtype=bool)
    vigorous = np.zeros((people, total), dtype=bool)

    for t in range(2, total):
        # A hidden flare process: episodes start now and then and last about a week, and the
        # underlying inflammation follows them with some inertia (AR(1)).
        starting = ~episode[:, t - 1] & (rng.random(people) < flare_start_chance)
        ending = episode[:, t - 1] & (rng.random(people) < 1 / MEAN_FLARE_DAYS)
        episode[:, t] = starting | (episode[:, t - 1] & ~ending)
        severity = np.where(starting, rng.uniform(3, 6.5, people), severity)
        target = flare_floor + episode[:, t] * severity
        latent[:, t] = np.maximum(
            0.7 * latent[:, t - 1] + 0.3 * target + rng.normal(0, 0.4, people), 0
        )

        # Last night's sleep: worse after a flare or a stressful day, and now and then a bad night.
        bad_night = (rng.random(people) < 0.08) * rng.uniform(1.5, 3, people)
        sleep[:, t] = np.clip(
            sleep_need
            - 0.25 * flare[:, t - 1]
            - 0.15 * (stress[:, t - 1] - usual_stress)
            - bad_night
            + rng.normal(0, 0.7, people),
            3,
            11,
        )
        short = np.maximum(sleep_need - sleep[:, t], 0)

        flare[:, t] = _on_scale(
            latent[:, t]
            + STRESS_FLARE * (stress[:, t - 1] - usual_stress)
            + SHORT_SLEEP_FLARE * short
            + VIGOROUS_FLARE[0] * vigorous[:, t - 1]
            + VIGOROUS_FLARE[1] * vigorous[:, t - 2]
            + rng.normal(0, 0.4, people),
            "flare_severity",
        )
        stress[:, t] = _on_scale(
            0.5 * stress[:, t - 1]
            + 0.5 * usual_stress
            + 0.25 * (flare[:, t] - flare_floor)
            - CALMING_INTIMACY * calming[:, t - 1]
            + rng.normal(0, 1.2, people),
            "stress",
        )
        fatigue[:, t] = _on_scale(
            1.5 + 0.5 * flare[:, t] + 0.7 * short + 0.15 * stress[:, t] + rng.normal(0, 1, people),
            "fatigue",
        )
        libido[:, t] = _on_scale(
            3.2 - 0.2 * flare[:, t] - 0.1 * (fatigue[:, t] - 4) + rng.normal(0, 0.7, people),
            "libido",
        )

        # Intimacy: less likely and gentler on bad days.
        active = rng.random(people) < _sigmoid(
            desire - 0.25 * flare[:, t] + 0.6 * (libido[:, t] - 3)
        )
        kind[:, t] = np.where(active, rng.choice([1, 2, 3], people, p=[0.3, 0.6, 0.1]), 0)
        flaring = flare[:, t] >= 4
        draw = rng.random(people)
        intensity[:, t] = np.select(
            [draw < np.where(flaring, 0.05, 0.3), draw < np.where(flaring, 0.4, 0.6)], [2, 1], 0
        )
        vigorous[:, t] = active & (intensity[:, t] == 2)
        calming[:, t] = active & (intensity[:, t] < 2)

    keep = np.s_[:, BURN_IN_DAYS:]
    flare, stress, sleep, fatigue, libido = (
        a[keep] for a in (flare, stress, sleep, fatigue, libido)
    )
    kind, intensity, episode = kind[keep], intensity[keep], episode[keep]
    shape = (people, days)
    active = kind > 0

    # Whatever does not feed back into tomorrow is drawn for all days at once.
    short = np.maximum(sleep_need[:, None] - sleep, 0)
    sleep_quality = _on_scale(
        4 - 0.7 * short - 0.1 * flare + rng.normal(0, 0.6, shape), "sleep_quality"
    )
    discomfort = np.clip(0.4 * flare + (intensity == 2) + rng.normal(0, 1, shape), 0, 10)
    satisfaction = np.clip(
        3.6 + 0.3 * (libido - 3) - 0.15 * discomfort + rng.normal(0, 0.8, shape), 1, 5
    )
    affection = rng.random(shape) < 0.5 + 0.25 * active - 0.03 * flare

    body = rng.integers(len(BODY_SPECIFIC), size=people)
    base, per_point = np.array([SYMPTOM_CHANCES[name] for name in SYMPTOMS]).T
    chance = np.minimum(base + per_point * flare[..., None], 0.95)
    for index, (symptom, _) in enumerate(BODY_SPECIFIC):
        chance[body != index, :, SYMPTOMS.index(symptom)] = 0
    symptoms = rng.random((*shape, len(SYMPTOMS))) < chance

    # What held a person back, on some days without intimacy; pain and stiffness when flaring.
    barrier_chance = {
        "pain": 0.03 + 0.06 * flare,
        "fatigue": 0.02 + 0.03 * fatigue,
        "low-desire": 0.06 + 0.06 * (3 - libido),
        "stiffness-mobility": 0.01 + 0.04 * flare,
        "mood-anxiety": 0.02 + 0.03 * np.maximum(stress - 4, 0),
        "body-image": 0.03,
        "medication-side-effects": 0.03,
        "other": 0.01,
    }
    for index, (_, slug) in enumerate(BODY_SPECIFIC):
        barrier_chance[slug] = 0.03 * (body == index)[:, None]
    slugs = [slug for slug, _ in INTIMACY_BARRIERS]
    chance = np.stack([np.broadcast_to(barrier_chance[slug], shape) for slug in slugs], axis=-1)
    barriers = (rng.random((*shape, len(slugs))) < chance) & ~active[..., None]

    flare_severity = np.rint(flare).astype(int)
    note = np.where(
        (flare_severity >= 6) & (rng.random(shape) < 0.3), rng.integers(len(NOTES), size=shape), -1
    )
    return {
        "flare": flare,
        "flare_episode": episode,
        "flare_severity": flare_severity,
        "stress": np.rint(stress).astype(int),
        "fatigue": np.rint(fatigue).astype(int),
        "libido": np.rint(libido).astype(int),
        "sleep_quarters": np.rint(sleep * 4).astype(int),
        "sleep_quality": np.rint(sleep_quality).astype(int),
        "activity": kind,
        "intensity": intensity,
        "satisfaction": np.rint(satisfaction).astype(int),
        "discomfort": np.rint(discomfort).astype(int),
        "physical_affection": affection,
        "symptoms": symptoms,
        "intimacy_barriers": barriers,
        "note": note,
    }


def logged_days(rng: np.random.Generator, people: int, days: int) -> np.ndarray:
    """Which days each person logged: most, with missed days and a few week-long gaps.

    The last day (today) is always logged.
    """
    logged = rng.random((people, days)) >= rng.uniform(0.05, 0.1, (people, 1))
    for person in range(people):
        for _ in range(rng.poisson(days / 150)):
            start = rng.integers(days)
            logged[person, start : start + rng.integers(3, 11)] = False
    logged[:, -1] = True
    return logged


def _blank_some(rng: np.random.Generator, values: np.ndarray, chance: float) -> list:
    """Python values, with None (not logged) in place of a few of them."""
    return [
        None if skip else value
        for value, skip in zip(values.tolist(), rng.random(len(values)) < chance, strict=True)
    ]


def _chosen_each_day(chosen: np.ndarray, names: list[str]) -> list[list[str]]:
    """The names ticked on each day, from a (days, len(names)) boolean array."""
    each_day = [[] for _ in range(len(chosen))]
    for day, index in zip(*(a.tolist() for a in np.nonzero(chosen)), strict=True):
        each_day[day].append(names[index])
    return each_day


def day_records(
    rng: np.random.Generator, end: datetime.date, days: int, people: int = 1
) -> list[list[dict]]:
    """Each person's logged days ending on `end`, oldest first, shaped like DailyEntry values.

    A record holds DailyEntry field values (None = not logged) plus "symptoms" (names from the
    shared catalogue) and "intimacy_barriers" (slugs).
    """
    life = simulate(rng, people, days)
    logged = logged_days(rng, people, days)
    calendar = [end - datetime.timedelta(days=days - 1 - i) for i in range(days)]
    barrier_slugs = [slug for slug, _ in INTIMACY_BARRIERS]

    everyone = []
    for person in range(people):
        index = np.flatnonzero(logged[person])
        life_of = {name: values[person, index] for name, values in life.items()}
        active = life_of["activity"] > 0
        columns = {
            "day": [calendar[i] for i in index.tolist()],
            "sexual_activity": _blank_some(
                rng, np.array(SEXUAL_ACTIVITIES)[life_of["activity"]], 0.03
            ),
            "physical_affection": _blank_some(rng, life_of["physical_affection"], 0.1),
            "libido": _blank_some(rng, life_of["libido"], 0.06),
            "fatigue": _blank_some(rng, life_of["fatigue"], 0.04),
            "stress": _blank_some(rng, life_of["stress"], 0.04),
            "sleep_hours": [
                None if q is None else SLEEP_HOURS_CHOICES[q]
                for q in _blank_some(rng, life_of["sleep_quarters"], 0.05)
            ],
            "sleep_quality": _blank_some(rng, life_of["sleep_quality"], 0.06),
            "flare_severity": _blank_some(rng, life_of["flare_severity"], 0.03),
            "notes": ["" if n < 0 else NOTES[n] for n in life_of["note"].tolist()],
        }
        # Activity details only when an activity was logged: the database insists.
        details = {
            "intensity": (np.array(INTENSITIES)[life_of["intensity"]], 0.05),
            "satisfaction": (life_of["satisfaction"], 0.12),
            "discomfort": (life_of["discomfort"], 0.12),
        }
        for name, (values, chance) in details.items():
            columns[name] = [
                value if did and logged_activity is not None else None
                for value, did, logged_activity in zip(
                    _blank_some(rng, values, chance),
                    active.tolist(),
                    columns["sexual_activity"],
                    strict=True,
                )
            ]
        columns["symptoms"] = _chosen_each_day(life_of["symptoms"], SYMPTOMS)
        columns["intimacy_barriers"] = _chosen_each_day(life_of["intimacy_barriers"], barrier_slugs)
        everyone.append(
            [
                dict(zip(columns, values, strict=True))
                for values in zip(*columns.values(), strict=True)
            ]
        )
    return everyone
