"""Bearable's CSV export: one row per reading (`date, date formatted, weekday, time of day,
category, rating/amount, detail, notes`).

`Sleep` amounts (hours as 7:30 or 7.5) give hours slept; `Sleep quality` ratings map onto
Hearth's 1-5 and `Energy` ratings, inverted, onto fatigue's 0-10, each from the scale the
person says in the preview (Bearable's file does not say it); `Symptom` details such as
"Headache (Mild)" tick the symptom (a name Hearth doesn't know becomes the person's own).
Several readings of one day are averaged. Everything else is listed as left out."""

import datetime
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from django import forms

from portability.importers.base import (
    Extraction,
    Ignored,
    Mapping,
    Refused,
    csv_header,
    csv_rows,
    iso_day,
    quarter_hours,
    refuse_too_many_days,
)

KEY = "bearable"
LABEL = "Bearable (its CSV export)"
COLUMNS = ("date formatted", "category", "rating/amount", "detail")
SCALES = {"1-5": (1, 5), "1-4": (1, 4), "1-10": (1, 10), "0-10": (0, 10)}
RATED = {"sleep quality": "sleep_quality", "energy": "energy"}
SEVERITY = re.compile(r"\s*\([^)]*\)\s*$")
HOURS = re.compile(r"^(\d{1,2}):(\d{2})$")
# A reading larger than this is off every scale and every day's hours; refused as such.
LARGEST = 1000


def sniff(head: bytes) -> bool:
    columns = csv_header(head)
    return all(name in columns for name in COLUMNS)


def _scale_field(label: str, help_text: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(key, f"{low} to {high}") for key, (low, high) in SCALES.items()],
        initial="1-5",
        help_text=help_text,
    )


def choice_fields(extraction: Extraction) -> dict[str, forms.Field]:
    rated = {name for readings in extraction.days.values() for name in readings}
    fields = {}
    if "sleep_quality" in rated:
        fields["sleep_quality_scale"] = _scale_field(
            "Bearable's sleep quality ratings run from",
            "Mapped evenly onto Hearth's 1 (very poor) to 5 (very good).",
        )
    if "energy" in rated:
        fields["energy_scale"] = _scale_field(
            "Bearable's energy ratings run from",
            "Turned around onto fatigue: the lowest energy is fatigue 10, the highest is 0.",
        )
    return fields


def _on_scale(value: float, scale: str, low: int, high: int) -> int:
    """A rating on the source's scale, mapped evenly onto low-high; a rating off the scale is
    mapped anyway, and so lands off Hearth's, where the check names its day."""
    source_low, source_high = SCALES.get(scale, SCALES["1-5"])
    mapped = low + (value - source_low) * (high - low) / (source_high - source_low)
    return int(Decimal(str(mapped)).quantize(Decimal(1), ROUND_HALF_UP))


def day_values(readings: dict, choices: dict) -> dict:
    values = {}
    if "sleep_hours" in readings:
        values["sleep_hours"] = readings["sleep_hours"]
    if "sleep_quality" in readings:
        values["sleep_quality"] = _on_scale(
            readings["sleep_quality"], choices.get("sleep_quality_scale"), 1, 5
        )
    if "energy" in readings:
        values["fatigue"] = 10 - _on_scale(readings["energy"], choices.get("energy_scale"), 0, 10)
    if readings.get("symptoms"):
        values["symptoms"] = readings["symptoms"]
    return values


def _number(value: str, where: str, category: str) -> float:
    hours = HOURS.match(value)
    if hours:
        return int(hours[1]) + int(hours[2]) / 60
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise Refused(where, f"The {category} “{value[:40]}” is not a number.")
    if not -LARGEST <= number <= LARGEST:
        raise Refused(where, f"The {category} “{value[:40]}” is far off any scale.")
    return number


def read(file: BinaryIO, zone: datetime.tzinfo) -> Extraction:
    readings: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    first_line: dict[str, int] = {}
    counts, ignored = Counter(), Counter()
    for line, row in csv_rows(file):
        where = f"Line {line}"
        if any(name not in row for name in COLUMNS):
            raise Refused("Line 1", "A Bearable export has the columns " + ", ".join(COLUMNS) + ".")
        category = row["category"].casefold()
        day = iso_day(row["date formatted"], where).isoformat()
        if category == "sleep":
            readings[day]["sleep_hours"].append(_number(row["rating/amount"], where, "sleep"))
        elif category in RATED:
            readings[day][RATED[category]].append(
                _number(row["rating/amount"], where, row["category"])
            )
        elif category == "symptom" and SEVERITY.sub("", row["detail"]).strip():
            readings[day]["symptoms"].append(SEVERITY.sub("", row["detail"]).strip())
        else:
            ignored[row["category"] or "(no category)"] += 1
            continue
        counts[category] += 1
        first_line.setdefault(day, line)
    refuse_too_many_days(len(readings))
    days = {}
    for day, found in readings.items():
        days[day] = {"where": f"Line {first_line[day]}"}
        for name, values in found.items():
            if name == "symptoms":
                days[day][name] = list(dict.fromkeys(values))
            elif name == "sleep_hours":
                days[day][name] = str(quarter_hours(sum(values) / len(values)))
            else:
                days[day][name] = sum(values) / len(values)
    return Extraction(
        KEY,
        days,
        [
            Mapping(
                "Sleep (hours)",
                counts["sleep"],
                "Hours slept (a day's readings averaged, to the nearest quarter hour)",
            ),
            Mapping(
                "Sleep quality (rating)",
                counts["sleep quality"],
                "Sleep quality 1-5, from the scale you choose below (averaged)",
            ),
            Mapping(
                "Energy (rating)",
                counts["energy"],
                "Fatigue 0-10, turned around: the lowest energy on the scale you choose "
                "below is fatigue 10 (averaged)",
            ),
            Mapping(
                "Symptom (detail, such as “Headache (Mild)”)",
                counts["symptom"],
                "Ticks the symptom by its name (without the severity); a name Hearth does "
                "not know becomes your own symptom",
            ),
        ],
        [
            Ignored(category, count, "Hearth has no field for it.")
            for category, count in ignored.most_common()
        ],
    )
