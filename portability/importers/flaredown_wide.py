"""Flaredown's wide personal export: `Date`, then a column per condition, symptom and treatment
the person tracks, then `Tags` and `Foods`.

The file does not say which rated column is a condition and which a symptom, so the preview
asks (it first ticks the columns named like a condition in Hearth's list). Ratings and their
meaning are as in the long CSV (portability/importers/flaredown.py): conditions give flare
severity, Fatigue and Stress their measures, other symptoms rated above 0 are ticked. A column
whose cells are not ratings is a treatment, its cells the dose text. Tags (separated by ; or ,)
go into the day's note; foods are left out."""

import datetime
import re
from collections import Counter
from typing import BinaryIO

from django import forms

from accounts.models import Condition
from portability.importers.base import (
    Extraction,
    Ignored,
    Mapping,
    Refused,
    csv_header,
    csv_rows,
    iso_day,
    refuse_too_many_days,
)
from portability.importers.flaredown import (
    DOSE_LENGTH,
    SCALE,
    checkin_values,
    treatment_medications,
)

KEY = "flaredown_wide"
LABEL = "Flaredown (its wide personal export)"
FIXED = ("date", "tags", "foods")
TAG_SEPARATOR = re.compile(r"\s*[;,]\s*")
# A column whose every filled cell is a whole number is rated; any other is a treatment's doses.
NUMBER = re.compile(r"^-?\d+$")


def sniff(head: bytes) -> bool:
    columns = csv_header(head)
    return bool(columns) and columns[0] == "date" and "tags" in columns and "foods" in columns


def choice_fields(extraction: Extraction) -> dict[str, forms.Field]:
    rated = extraction.extra["rated"]
    if not rated:
        return {}
    return {
        "conditions": forms.MultipleChoiceField(
            label="Which of these columns are conditions?",
            choices=[(name, name) for name in rated],
            initial=extraction.extra["conditions_guess"],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="A condition's rating becomes the day's flare severity; the other "
            "columns are symptoms.",
        )
    }


def day_values(readings: dict, choices: dict) -> dict:
    conditions = set(choices.get("conditions") or [])
    ratings = readings.get("ratings", {})
    flares = [rating for name, rating in ratings.items() if name in conditions]
    symptoms = {name: rating for name, rating in ratings.items() if name not in conditions}
    return checkin_values(max(flares) if flares else None, symptoms, readings.get("tags", []))


def medications(extraction: Extraction, choices: dict) -> list[tuple[str, dict]]:
    return treatment_medications(extraction.extra["treatments"], extraction.extra["last_day"])


def read(file: BinaryIO, zone: datetime.tzinfo) -> Extraction:
    rows = []
    kinds: dict[str, set] = {}  # column -> "rating" and/or "text", from its filled cells
    for line, row in csv_rows(file):
        if any(name not in row for name in FIXED):
            raise Refused("Line 1", "A Flaredown export starts with Date and has Tags and Foods.")
        for name, cell in row.items():
            if name not in FIXED and cell:
                kinds.setdefault(name, set()).add("number" if NUMBER.match(cell) else "text")
        rows.append((line, row))
    rated = [name for name, found in kinds.items() if found == {"number"}]
    treatments = [name for name, found in kinds.items() if "text" in found]
    names = {name.casefold() for name in Condition.objects.values_list("name", flat=True)}
    days: dict[str, dict] = {}
    seen: dict[str, list] = {}
    counts, foods = Counter(), 0
    for line, row in rows:
        where = f"Line {line}"
        day = iso_day(row["date"], where).isoformat()
        if day in days:
            raise Refused(where, f"The day {day} is in the file twice.")
        readings = {"where": where}
        for name in rated:
            if row[name] and row[name] not in SCALE:
                raise Refused(
                    where, f"The rating “{row[name][:40]}” of {name.capitalize()} is not 0 to 4."
                )
        ratings = {name.capitalize(): row[name] for name in rated if row[name]}
        if ratings:
            readings["ratings"] = ratings
            counts["rated"] += len(ratings)
        tags = [tag for tag in TAG_SEPARATOR.split(row["tags"]) if tag]
        if tags:
            readings["tags"] = tags
            counts["tags"] += 1
        for name in treatments:
            if row[name]:
                item = seen.setdefault(name, [name.capitalize(), day, day, "", line])
                item[1], item[2] = min(item[1], day), max(item[2], day)
                if day >= item[2]:
                    item[3] = row[name][:DOSE_LENGTH]
                counts["treatments"] += 1
        foods += bool(row["foods"])
        days[day] = readings
    refuse_too_many_days(len(days))
    rated_names = [name.capitalize() for name in rated]
    guess = [name for name in rated_names if any(name.casefold() in c for c in names)]
    return Extraction(
        KEY,
        days,
        [
            Mapping(
                f"Rated columns ({', '.join(rated_names) or 'none'}), 0-4",
                counts["rated"],
                "The columns you tick below as conditions give the flare severity (0, 3, 5, 8, "
                "10; the highest of the day); Fatigue and Stress set those measures; any other "
                "column rated above 0 ticks the symptom of its name",
            ),
            Mapping(
                f"Treatment columns ({', '.join(n.capitalize() for n in treatments) or 'none'})",
                counts["treatments"],
                "Medications, from the first day seen to the last, with the dose text",
            ),
            Mapping("Tags", counts["tags"], "The day's note: “Flaredown tags: ...”"),
        ],
        [item for item in [Ignored("Foods", foods, "Hearth has no field for them.")] if item.count],
        {
            "rated": rated_names,
            "conditions_guess": guess,
            "treatments": sorted(seen.values(), key=lambda item: (item[1], item[0])),
            "last_day": max(days) if days else "",
        },
    )
