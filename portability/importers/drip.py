"""drip's CSV export: a `date` column, then columns such as `sex.solo`, `desire.value`,
`note.value`, `pain.headache`, `mood.stressed` and the cycle's (`temperature.*`, `bleeding.*`,
`mucus.*`, `cervix.*`).

`sex.solo` and `sex.partner` give sexual activity (solo, with a partner, or both); `desire.value`
0, 1, 2 gives desire 1, 3, 5; `note.value` the day's note; `pain.headache` ticks Headache.
`mood.stressed` says nothing of how much (Hearth's stress is a scale), so it sets nothing; the
cycle columns wait for cycle context in Hearth and are listed as left out, as is everything else.
A day with nothing Hearth keeps is not created."""

import datetime
from collections import Counter
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
    refuse_too_many_days,
)
from tracker.models import SexualActivity

KEY = "drip"
LABEL = "drip (its CSV export)"
GROUPS = ("temperature", "bleeding", "mucus", "cervix", "note", "desire", "sex", "pain", "mood")
CYCLE = ("temperature", "bleeding", "mucus", "cervix")
LIBIDO = {"0": 1, "1": 3, "2": 5}
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}
MAPPED = ("date", "sex.solo", "sex.partner", "desire.value", "note.value", "pain.headache")


def sniff(head: bytes) -> bool:
    columns = csv_header(head)
    return (
        "date" in columns
        and len(columns) > 1
        and all(name == "date" or name.split(".")[0] in GROUPS for name in columns)
    )


def choice_fields(extraction: Extraction) -> dict[str, forms.Field]:
    return {}


def day_values(readings: dict, choices: dict) -> dict:
    values = {
        name: readings[name] for name in ("sexual_activity", "libido", "notes") if name in readings
    }
    if readings.get("headache"):
        values["symptoms"] = ["Headache"]
    return values


def _flag(row: dict, name: str, where: str) -> bool:
    value = row.get(name, "").casefold()
    if value not in TRUE | FALSE:
        raise Refused(where, f"{name} is “{value[:40]}”, not true or false.")
    return value in TRUE


def read(file: BinaryIO, zone: datetime.tzinfo) -> Extraction:
    days: dict[str, dict] = {}
    lines: dict[str, int] = {}
    counts, ignored = Counter(), Counter()
    for line, row in csv_rows(file):
        where = f"Line {line}"
        if "date" not in row:
            raise Refused("Line 1", "A drip export has a “date” column; this file has none.")
        day = iso_day(row["date"], where).isoformat()
        if day in lines:
            raise Refused(where, f"The day {day} is in the file twice (also on line {lines[day]}).")
        lines[day] = line
        readings = {}
        solo, partner = _flag(row, "sex.solo", where), _flag(row, "sex.partner", where)
        if solo or partner:
            readings["sexual_activity"] = (
                SexualActivity.BOTH
                if solo and partner
                else SexualActivity.SOLO
                if solo
                else SexualActivity.PARTNERED
            )
            counts["sex"] += 1
        desire = row.get("desire.value", "")
        if desire:
            if desire not in LIBIDO:
                raise Refused(where, f"desire.value is “{desire[:40]}”; drip's are 0, 1 and 2.")
            readings["libido"] = LIBIDO[desire]
            counts["desire"] += 1
        if row.get("note.value"):
            readings["notes"] = row["note.value"]
            counts["note"] += 1
        if _flag(row, "pain.headache", where):
            readings["headache"] = True
            counts["headache"] += 1
        for name, cell in row.items():
            if name not in MAPPED and cell and cell.casefold() != "false":
                ignored[name] += 1
        if readings:
            days[day] = {**readings, "where": where}
    refuse_too_many_days(len(days))
    return Extraction(
        KEY,
        days,
        [
            Mapping(
                "sex.solo, sex.partner",
                counts["sex"],
                "Sexual activity: solo, with a partner, or both",
            ),
            Mapping("desire.value (0, 1, 2)", counts["desire"], "Desire 1, 3, 5 (of 1-5)"),
            Mapping("note.value", counts["note"], "The day's note"),
            Mapping("pain.headache", counts["headache"], "Ticks the symptom Headache"),
        ],
        _ignored(ignored),
    )


def _ignored(cells: Counter) -> list[Ignored]:
    def total(test) -> int:
        return sum(count for name, count in cells.items() if test(name))

    return [
        item
        for item in (
            Ignored(
                "Cycle columns (temperature, bleeding, mucus, cervix)",
                total(lambda name: name.split(".")[0] in CYCLE),
                "Kept for cycle context, which Hearth does not have yet.",
            ),
            Ignored(
                "mood.stressed",
                cells["mood.stressed"],
                "It says stressed, not how much; Hearth's stress is a 0-10 scale.",
            ),
            Ignored(
                "Other mood and pain columns, and their notes",
                total(
                    lambda name: (
                        name.split(".")[0] in ("mood", "pain")
                        and name not in ("mood.stressed", "pain.headache")
                    )
                ),
                "Hearth has no field for them.",
            ),
            Ignored(
                "Contraception and the sex note",
                total(lambda name: name.startswith("sex.") and name not in MAPPED),
                "Hearth has no field for them.",
            ),
        )
        if item.count
    ]
