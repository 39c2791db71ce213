"""Flaredown's long CSV (`user_id, age, sex, country, checkin_date, trackable_id,
trackable_type, trackable_name, trackable_value`: a row per thing tracked per check-in).

Flaredown rates conditions and symptoms 0-4, which become Hearth's 0, 3, 5, 8, 10. A condition's
rating is that day's flare severity (the highest if several); a symptom named like a Hearth
measure (Fatigue, Stress) sets the measure; any other symptom rated above 0 is ticked by its name
(a catalogue symptom such as "Joint pain" in any case, or else one of the person's own).
Treatments become medications, started on the first day seen and stopped on the last (unless
that is the file's last day: still taken), with the dose text kept. Tags go into the day's note
as "Flaredown tags: ...". A file may hold a few people's rows (MAX_PEOPLE); the preview asks
whose, and a larger one (the research dataset) is refused."""

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
from tracker.models import Medication

KEY = "flaredown"
LABEL = "Flaredown (its CSV export)"
COLUMNS = ("user_id", "checkin_date", "trackable_type", "trackable_name", "trackable_value")
SCALE = {"0": 0, "1": 3, "2": 5, "3": 8, "4": 10}
MEASURES = {"fatigue": "fatigue", "stress": "stress"}
MAX_PEOPLE = 10
DOSE_LENGTH = Medication._meta.get_field("dose").max_length


def sniff(head: bytes) -> bool:
    columns = csv_header(head)
    return all(name in columns for name in COLUMNS)


def _person(extraction: Extraction, choices: dict) -> str:
    people = extraction.extra["people"]
    chosen = choices.get("person")
    return chosen if chosen in people else max(people, key=people.get)


def choice_fields(extraction: Extraction) -> dict[str, forms.Field]:
    people = extraction.extra["people"]
    if len(people) < 2:
        return {}
    return {
        "person": forms.ChoiceField(
            label="Whose rows to import",
            choices=[
                (person, f"user_id {person} ({count} rows)") for person, count in people.items()
            ],
            initial=_person(extraction, {}),
            help_text="This file holds more than one person's check-ins; Hearth imports yours.",
        )
    }


def day_values(readings: dict, choices: dict) -> dict:
    mine = readings["people"].get(choices.get("person") or readings["default"], {})
    return checkin_values(mine.get("flare"), mine.get("symptoms", {}), mine.get("tags", []))


def checkin_values(flare: str | None, symptoms: dict[str, str], tags: list[str]) -> dict:
    """One day's check-in in Hearth's fields: the highest condition rating, the symptoms'
    ratings by name and the tags (Flaredown's long and wide files share it)."""
    values = {}
    if flare is not None:
        values["flare_severity"] = SCALE[flare]
    ticked = []
    for name, rating in symptoms.items():
        if name.casefold() in MEASURES:
            values[MEASURES[name.casefold()]] = SCALE[rating]
        elif rating != "0":
            ticked.append(name)
    if ticked:
        values["symptoms"] = ticked
    if tags:
        values["notes"] = "Flaredown tags: " + ", ".join(tags)
    return values


def medications(extraction: Extraction, choices: dict) -> list[tuple[str, dict]]:
    person = _person(extraction, choices)
    return treatment_medications(
        extraction.extra["treatments"].get(person, []), extraction.extra["last_day"][person]
    )


def treatment_medications(treatments: list, last_day: str) -> list[tuple[str, dict]]:
    """Treatments seen as [name, first day, last day, dose, line]: medications, still taken if
    seen on the file's last day."""
    return [
        (
            f"Medication {number} (“{name}”, from line {line})",
            {
                "name": name,
                "dose": dose,
                "started": first,
                "stopped": None if last == last_day else last,
                "note": "",
            },
        )
        for number, (name, first, last, dose, line) in enumerate(treatments, start=1)
    ]


def read(file: BinaryIO, zone: datetime.tzinfo) -> Extraction:
    days: dict[str, dict] = {}
    people: Counter = Counter()
    treatments: dict[str, dict[str, list]] = {}
    last_day: dict[str, str] = {}
    counts, ignored = Counter(), Counter()
    for line, row in csv_rows(file):
        where = f"Line {line}"
        if any(name not in row for name in COLUMNS):
            raise Refused("Line 1", "A Flaredown export has the columns " + ", ".join(COLUMNS))
        person = row["user_id"]
        people[person] += 1
        if len(people) > MAX_PEOPLE:
            raise Refused(
                where,
                f"This file holds more than {MAX_PEOPLE} people's check-ins. Hearth imports one "
                "person's: keep only the rows with your user_id and try again.",
            )
        day = iso_day(row["checkin_date"], where).isoformat()
        last_day[person] = max(last_day.get(person, day), day)
        kind = row["trackable_type"].casefold()
        name = " ".join(row["trackable_name"].split())
        value = row["trackable_value"]
        entry = days.setdefault(day, {"where": where, "people": {}})
        mine = entry["people"].setdefault(person, {})
        if kind in ("condition", "symptom") and value != "":
            if value not in SCALE:
                raise Refused(where, f"The rating “{value[:40]}” of {name} is not 0 to 4.")
            if kind == "condition":
                mine["flare"] = max(mine.get("flare", "0"), value)
            else:
                mine.setdefault("symptoms", {})[name] = max(
                    mine.get("symptoms", {}).get(name, "0"), value
                )
        elif kind == "treatment" and name:
            seen = treatments.setdefault(person, {}).setdefault(
                name.casefold(), [name, day, day, value[:DOSE_LENGTH], line]
            )
            seen[1], seen[2] = min(seen[1], day), max(seen[2], day)
            if day >= seen[2] and value:
                seen[3] = value[:DOSE_LENGTH]
        elif kind == "tag" and name:
            mine.setdefault("tags", []).append(name)
        else:
            ignored[row["trackable_type"] or "(no type)"] += 1
            continue
        counts[kind] += 1
    refuse_too_many_days(len(days))
    default = max(people, key=people.get) if people else ""
    for entry in days.values():
        entry["default"] = default
    return Extraction(
        KEY,
        days,
        [
            Mapping(
                "Conditions (0-4)",
                counts["condition"],
                "Flare severity 0, 3, 5, 8, 10 (the highest condition of the day)",
            ),
            Mapping(
                "Symptoms (0-4)",
                counts["symptom"],
                "Fatigue and Stress set those measures (0, 3, 5, 8, 10); any other symptom "
                "rated above 0 is ticked by its name (one Hearth doesn't have becomes yours)",
            ),
            Mapping(
                "Treatments",
                counts["treatment"],
                "Medications, from the first day seen to the last, with the dose text",
            ),
            Mapping("Tags", counts["tag"], "The day's note: “Flaredown tags: ...”"),
        ],
        [
            Ignored(kind, count, "Hearth has no field for it.")
            for kind, count in ignored.most_common()
        ],
        {
            "people": dict(people),
            "last_day": last_day,
            "treatments": {
                person: sorted(found.values(), key=lambda item: (item[1], item[0]))
                for person, found in treatments.items()
            },
        },
    )
