"""The measures a person logs each day, in one place: each one's name, the label a person reads,
its scale, unit and whether it is intimate. The model's constraints, the log form, trends,
insights, the history, the export, the API, the demo data, the flare calendar's shades and the
charts' JavaScript (through `for_charts`, written into the page with json_script) all read them
from here.

Satisfaction and discomfort are not measures: they describe a sexual activity rather than the
day, are only answered on a day with one, and are summarised nowhere.

Only plain data and django.db.models: tracker/models.py imports this module."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Measure:
    name: str  # the DailyEntry field
    label: str  # what a person reads: the log form's label, the chart's heading
    lowest: int
    highest: int
    scale_words: str  # written after a value: "averaged 4 out of 10"
    # A day's value in a few words on the history page ("Stress {}/10"); the intimate measures
    # are not among them.
    brief: str = ""
    unit: str = ""  # "hours" for a quantity; empty for points on a scale
    help_text: str = ""  # the log form's help under the question
    intimate: bool = False  # discreet mode and the clinician report leave it out unless asked
    charted: bool = True  # drawn on the trends page (every measure is summarised)
    chart_top: int | None = None  # where the chart's axis stops, if short of `highest`

    @property
    def scale(self) -> str:
        return f"{self.lowest}-{self.highest}"

    @property
    def axis_top(self) -> int:
        return self.chart_top if self.chart_top is not None else self.highest

    @property
    def compared(self) -> str:
        """The measure named in a sentence comparing it in points ("your stress was 1.2 points
        lower"): a scale other than 0 to 10 is named, so that its points are understood."""
        name = self.label.lower()
        return name if (self.lowest, self.highest) == (0, 10) else f"{name} ({self.scale_words})"

    @property
    def reach(self) -> int:
        """The largest difference two values can have."""
        return self.highest - self.lowest

    def check_constraint(self) -> models.CheckConstraint:
        """The database's promise that a stored value lies on the scale."""
        return models.CheckConstraint(
            condition=Q(**{f"{self.name}__gte": self.lowest, f"{self.name}__lte": self.highest}),
            name=f"entry_{self.name}_{self.lowest}_{self.highest}",
        )


# In the order the trends summarise them (and read them from the database).
MEASURES = {
    measure.name: measure
    for measure in (
        Measure(
            name="stress",
            label="Stress",
            lowest=0,
            highest=10,
            scale_words="out of 10",
            brief="Stress {}/10",
            help_text="0 = none, 10 = worst you can imagine.",
        ),
        Measure(
            name="sleep_hours",
            label="Hours slept",
            lowest=0,
            highest=24,
            scale_words="hours",
            brief="Slept {} h",
            unit="hours",
            help_text="The night that ended this morning, in quarter hours: 6, 6.25, 6.5, 6.75.",
            chart_top=12,
        ),
        Measure(
            name="sleep_quality",
            label="Sleep quality",
            lowest=1,
            highest=5,
            scale_words="on the 1-5 scale",
            brief="Sleep {}",
            help_text="The night that ended this morning.",
        ),
        Measure(
            name="fatigue",
            label="Fatigue",
            lowest=0,
            highest=10,
            scale_words="out of 10",
            brief="Fatigue {}/10",
            help_text="0 = full of energy, 10 = completely exhausted.",
        ),
        Measure(
            name="flare_severity",
            label="Flare severity",
            lowest=0,
            highest=10,
            scale_words="out of 10",
            brief="Flare {}/10",
            help_text="0 = no flare, 10 = worst you can imagine.",
        ),
        Measure(
            name="libido",
            label="Desire",
            lowest=1,
            highest=5,
            scale_words="on the 1-5 scale",
            help_text="Your interest in sex today.",
            intimate=True,
            charted=False,
        ),
    )
}

# The trends' views of the registry: name -> (label, top of the chart's axis).
CHARTED = {name: (m.label, m.axis_top) for name, m in MEASURES.items() if m.charted}
SUMMARISED = {name: (m.label, m.axis_top) for name, m in MEASURES.items()}
INTIMATE_MEASURES = tuple(name for name, m in MEASURES.items() if m.intimate)
HEALTH_MEASURES = tuple(name for name, m in MEASURES.items() if not m.intimate)
SCALE_WORDS = {name: m.scale_words for name, m in MEASURES.items()}

# A day counts as a flare day from this severity on.
FLARE_DAY_SEVERITY = 5


@dataclass(frozen=True)
class Band:
    """A range of flare severity drawn in one shade on the flare calendar."""

    shade: str  # the calendar's CSS class: heat--{shade}
    lowest: int
    highest: int

    @property
    def label(self) -> str:
        """What the calendar's legend says of the shade."""
        return "No flare" if self.highest == 0 else f"{self.lowest}\u2013{self.highest}"


# The flare calendar's shades, mildest first; the flare days start the "mid" shade.
FLARE_BANDS = (
    Band("0", 0, 0),
    Band("low", 1, FLARE_DAY_SEVERITY - 1),
    Band("mid", FLARE_DAY_SEVERITY, 7),
    Band("high", 8, MEASURES["flare_severity"].highest),
)


def for_charts() -> list[dict]:
    """What static/js/trends.js needs to draw each chart, in the charts' order."""
    return [
        {"name": name, "label": m.label, "top": m.axis_top, "unit": m.unit}
        for name, m in MEASURES.items()
        if m.charted
    ]
