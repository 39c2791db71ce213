"""Fitbit's (now Google's) sleep logs: a `sleep-YYYY-MM-DD.json` file from a Fitbit data export,
a JSON list of sleep logs. Each main sleep (`isMainSleep`) gives its `minutesAsleep / 60` to its
`dateOfSleep` (Fitbit's own day: the one the sleep ended on), rounded to the quarter hour; naps
are listed as ignored. A log given twice (the same `logId`) counts once."""

import datetime
import json
from collections import Counter
from typing import BinaryIO

from django import forms

from config import safe_json
from portability.importers.base import (
    Extraction,
    Ignored,
    Mapping,
    Refused,
    quarter_hours,
    refuse_too_many_days,
)

KEY = "fitbit"
LABEL = "Fitbit or Google sleep logs (sleep-YYYY-MM-DD.json)"
MINUTES_A_DAY = 24 * 60


def sniff(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"[") and b'"dateOfSleep"' in head


def choice_fields(extraction: Extraction) -> dict[str, forms.Field]:
    return {}


def day_values(readings: dict, choices: dict) -> dict:
    return {"sleep_hours": readings["sleep_hours"]}


def read(file: BinaryIO, zone: datetime.tzinfo) -> Extraction:
    file.seek(0)
    try:
        logs = safe_json.loads(file.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Refused("The file", "This file is not UTF-8 text, as Fitbit writes it.") from None
    except json.JSONDecodeError as error:
        raise Refused(
            f"Line {error.lineno}", f"This is not valid JSON ({error.msg}, column {error.colno})."
        ) from None
    except ValueError as error:  # nested too deep
        raise Refused("The file", str(error)) from None
    if not isinstance(logs, list):
        raise Refused("The file", "A Fitbit sleep file is a list of sleep logs; this is not.")
    minutes: dict[datetime.date, float] = {}
    where: dict[datetime.date, str] = {}
    seen_logs = set()
    counts = Counter()
    for number, log in enumerate(logs, start=1):
        place = f"Sleep log {number}"
        if not isinstance(log, dict) or "dateOfSleep" not in log:
            raise Refused(place, "A sleep log needs its dateOfSleep.")
        if log.get("logId") is not None:
            if log["logId"] in seen_logs:
                counts["repeated"] += 1
                continue
            seen_logs.add(log["logId"])
        if log.get("isMainSleep") is not True:
            counts["naps"] += 1
            continue
        try:
            day = datetime.date.fromisoformat(str(log["dateOfSleep"]))
        except ValueError:
            raise Refused(
                place, f"Its dateOfSleep “{str(log['dateOfSleep'])[:40]}” is not a date."
            ) from None
        asleep = log.get("minutesAsleep")
        if isinstance(asleep, bool) or not isinstance(asleep, int | float) or asleep != asleep:
            raise Refused(place, f"Its minutesAsleep “{str(asleep)[:40]}” is not a number.")
        if not 0 <= asleep <= MINUTES_A_DAY:
            raise Refused(
                place, f"Its minutesAsleep, {asleep}, is not between 0 and {MINUTES_A_DAY}."
            )
        minutes[day] = minutes.get(day, 0) + asleep
        where.setdefault(day, place)
        counts["main"] += 1
    refuse_too_many_days(len(minutes))
    days = {
        day.isoformat(): {
            "sleep_hours": str(quarter_hours(total / 60)),
            "where": f"{where[day]} ({day.isoformat()})",
        }
        for day, total in minutes.items()
    }
    return Extraction(
        KEY,
        days,
        [
            Mapping(
                "Main sleeps (isMainSleep): minutesAsleep",
                counts["main"],
                "Hours slept on its dateOfSleep (minutes asleep ÷ 60, to the nearest quarter "
                "hour; two main sleeps on one date are added up)",
            )
        ],
        [
            item
            for item in (
                Ignored("Naps (not the main sleep)", counts["naps"], "Hearth logs the night."),
                Ignored("Sleep logs given twice", counts["repeated"], "Counted once."),
            )
            if item.count
        ],
    )
