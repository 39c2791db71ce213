"""Apple Health's export: the export.zip the Health app shares, or the export.xml inside it.

The XML is read as a stream by expat, a megabyte at a time, and only `Record` elements' attributes
are looked at: no element is ever built, so memory stays flat however large the export (this is
iterparse with clearing taken to its end). The DTD Apple writes at the top is read but never
acted on: an entity declaration of any kind, or a reference to anything outside the file, refuses
the file (no billion laughs, no XXE). A zip is checked by the size it declares for export.xml
before a byte of it is inflated, so a zip bomb is refused unread; its other members
(export_cda.xml, workout-routes/, electrocardiograms/) are never opened.

Sleep: the asleep records (not in bed, not awake) are merged into one set of intervals, so a
night recorded by both phone and watch counts once; intervals less than SLEEP_GAP apart are one
sleep, given to the person's local day on which it ended (Hearth's sleep is the night before the
day), summed per day and rounded to the quarter hour. Sexual activity marks its local day.
"""

import datetime
import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from typing import BinaryIO
from xml.parsers import expat

from django import forms

from portability.importers.base import (
    Extraction,
    Ignored,
    Mapping,
    Refused,
    quarter_hours,
    refuse_too_many_days,
)
from tracker.models import SexualActivity

KEY = "apple_health"
LABEL = "Apple Health (export.zip or export.xml)"
# export.xml may declare up to this many bytes: real exports of many years run to a few GB.
XML_MAX_BYTES = 8 * 1024**3
CHUNK = 1024 * 1024
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
SEXUAL_ACTIVITY = "HKCategoryTypeIdentifierSexualActivity"
ASLEEP = {
    f"HKCategoryValueSleepAnalysis{name}"
    for name in ("Asleep", "AsleepCore", "AsleepDeep", "AsleepREM", "AsleepUnspecified")
}
NOT_ASLEEP = {"HKCategoryValueSleepAnalysisInBed", "HKCategoryValueSleepAnalysisAwake"}
# Asleep intervals closer than this belong to one sleep (a night with a wake-up in it).
SLEEP_GAP = datetime.timedelta(hours=2)
# Other top-level entries of an export that hold no Record Hearth reads.
OTHER_ENTRIES = {"Workout", "ActivitySummary", "ClinicalRecord", "Audiogram", "VisionPrescription"}
# The ignored record types the preview names one by one; the rest are counted together.
IGNORED_TYPES_NAMED = 15
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
PREFIXES = ("HKQuantityTypeIdentifier", "HKCategoryTypeIdentifier", "HKDataType")


def sniff(head: bytes) -> bool:
    """An Apple Health export: a zip (whose members are checked when it is read) or XML whose
    root element is HealthData."""
    return head.startswith(b"PK\x03\x04") or (
        head.lstrip().startswith(b"<") and b"<HealthData" in head
    )


def choice_fields(extraction: Extraction) -> dict[str, forms.Field]:
    if not any("sexual_activity" in readings for readings in extraction.days.values()):
        return {}
    return {
        "sexual_activity": forms.ChoiceField(
            label="Apple Health's sexual activity was",
            choices=[
                (SexualActivity.PARTNERED, "With a partner"),
                (SexualActivity.SOLO, "Solo"),
            ],
            initial=SexualActivity.PARTNERED,
            widget=forms.RadioSelect,
            help_text="Apple Health does not say, so every day it marks is saved the same way.",
        )
    }


def day_values(readings: dict, choices: dict) -> dict:
    values = {}
    if "sleep_hours" in readings:
        values["sleep_hours"] = readings["sleep_hours"]
    if readings.get("sexual_activity"):
        values["sexual_activity"] = choices.get("sexual_activity", SexualActivity.PARTNERED)
    return values


def read(
    file: BinaryIO, zone: datetime.tzinfo, progress: Callable[[float], None] | None = None
) -> Extraction:
    """Reads the export (a zip or the XML) as a stream; raises Refused, naming the record's
    line, for anything that can't be read. progress(fraction) is told how much of the XML is
    read, a megabyte at a time."""
    file.seek(0)
    if not zipfile.is_zipfile(file):
        size = file.seek(0, os.SEEK_END)
        file.seek(0)
        return _Reader(zone).read(file, size, progress)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            member = _export_member(archive)
            reader = _Reader(zone, ignored_members=len(archive.infolist()) - 1)
            with archive.open(member) as xml:
                return reader.read(xml, member.file_size, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise Refused("The file", "This zip is damaged: it can't be unpacked.") from None
    except (RuntimeError, NotImplementedError):  # encrypted, or packed in a way zip can't read
        raise Refused(
            "The file", "This zip is locked or packed in a way Hearth can't unpack."
        ) from None


def _export_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    candidates = [
        info
        for info in archive.infolist()
        if info.filename.rsplit("/", 1)[-1] == "export.xml" and info.filename.count("/") <= 1
    ]
    if len(candidates) != 1:
        raise Refused(
            "The file",
            "This zip has no export.xml (or more than one), so it is not an export from the "
            "Health app. In the Health app, tap your picture, then Export All Health Data.",
        )
    member = candidates[0]
    if member.file_size > XML_MAX_BYTES:
        raise Refused(
            "The file",
            f"Its export.xml would unpack to {_size(member.file_size)}; Hearth reads up to "
            f"{_size(XML_MAX_BYTES)}, so nothing was unpacked.",
        )
    return member


class _Reader:
    def __init__(self, zone: datetime.tzinfo, ignored_members: int = 0) -> None:
        self.zone = zone
        self.ignored_members = ignored_members
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.EntityDeclHandler = self._entity
        self.parser.ExternalEntityRefHandler = self._external
        self.parser.StartElementHandler = self._start
        self.root_seen = False
        self.asleep: list[tuple[datetime.datetime, datetime.datetime, int]] = []
        self.sexual_activity: dict[datetime.date, int] = {}  # day -> line of the first record
        self.counts = Counter()
        self.other_types = Counter()

    def read(
        self, xml: BinaryIO, size: int = 0, progress: Callable[[float], None] | None = None
    ) -> Extraction:
        done = 0
        try:
            while chunk := xml.read(CHUNK):
                self.parser.Parse(chunk, False)
                done += len(chunk)
                if progress and size:
                    progress(min(done / size, 1.0))
            self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise Refused(
                f"Line {error.lineno}",
                "The file can't be read as XML here "
                f"({expat.ErrorString(error.code)}, column {error.offset + 1}).",
            ) from None
        if not self.root_seen:
            raise Refused("The file", "This XML is not an Apple Health export.")
        return self._extraction()

    def _entity(self, name, *args) -> None:
        raise Refused(
            f"Line {self.parser.CurrentLineNumber}",
            f"The file declares an entity (“{name}”); Apple Health exports never do, and Hearth "
            "does not read files that do.",
        )

    def _external(self, *args) -> int:
        raise Refused(
            f"Line {self.parser.CurrentLineNumber}",
            "The file refers to something outside itself; Hearth does not read files that do.",
        )

    def _start(self, name: str, attrs: dict) -> None:
        if not self.root_seen:
            if name != "HealthData":
                raise Refused("Line 1", "This XML is not an Apple Health export.")
            self.root_seen = True
            return
        if name != "Record":
            if name in OTHER_ENTRIES:
                self.counts["other entries"] += 1
            return
        kind = attrs.get("type", "")
        if kind == SLEEP:
            value = attrs.get("value", "")
            if value in ASLEEP:
                start, end = self._time(attrs, "startDate"), self._time(attrs, "endDate")
                if end < start:
                    raise Refused(self._where(), "This sleep record ends before it starts.")
                self.asleep.append((start, end, self.parser.CurrentLineNumber))
                self.counts["asleep"] += 1
            elif value in NOT_ASLEEP:
                self.counts["in bed or awake"] += 1
            else:
                self.counts["sleep of unknown kind"] += 1
        elif kind == SEXUAL_ACTIVITY:
            day = self._time(attrs, "startDate").astimezone(self.zone).date()
            self.sexual_activity.setdefault(day, self.parser.CurrentLineNumber)
            self.counts["sexual activity"] += 1
        else:
            self.other_types[kind] += 1

    def _where(self) -> str:
        return f"Record on line {self.parser.CurrentLineNumber}"

    def _time(self, attrs: dict, name: str) -> datetime.datetime:
        value = attrs.get(name, "")
        try:
            return datetime.datetime.strptime(value, DATE_FORMAT)
        except ValueError:
            raise Refused(
                self._where(),
                f"Its {name} “{value[:40]}” is not a date and time such as "
                "2024-01-31 07:15:00 +0100.",
            ) from None

    def _sleeps(self) -> dict[datetime.date, tuple[float, int]]:
        """Seconds asleep per local day (of each sleep's end), and the line of its first
        record."""
        days: dict[datetime.date, tuple[float, int]] = {}
        merged: list[list] = []  # [start, end, line], the union of the asleep intervals
        for start, end, line in sorted(self.asleep):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end, line])
        sleeps: list[list] = []  # [seconds asleep, end, line]
        for start, end, line in merged:
            if sleeps and start - sleeps[-1][1] < SLEEP_GAP:
                sleeps[-1][0] += (end - start).total_seconds()
                sleeps[-1][1] = end
            else:
                sleeps.append([(end - start).total_seconds(), end, line])
        for seconds, end, line in sleeps:
            day = end.astimezone(self.zone).date()
            so_far, first_line = days.get(day, (0.0, line))
            days[day] = (so_far + seconds, first_line)
        return days

    def _extraction(self) -> Extraction:
        days: dict[str, dict] = {}
        for day, (seconds, line) in self._sleeps().items():
            days[day.isoformat()] = {
                "sleep_hours": str(quarter_hours(seconds / 3600)),
                "where": f"Sleep records from line {line}",
            }
        for day, line in self.sexual_activity.items():
            readings = days.setdefault(day.isoformat(), {"where": f"Record on line {line}"})
            readings["sexual_activity"] = True
        refuse_too_many_days(len(days))
        zone = getattr(self.zone, "key", str(self.zone))
        mappings = [
            Mapping(
                "Sleep analysis: asleep (Asleep, Core, Deep, REM, Unspecified)",
                self.counts["asleep"],
                "Hours slept: the time asleep in each sleep, counted once where phone and "
                f"watch overlap, given to the day the sleep ended ({zone}), to the nearest "
                "quarter hour",
            ),
            Mapping(
                "Sexual activity",
                self.counts["sexual activity"],
                "Sexual activity on that day, with a partner or solo as you choose below",
            ),
        ]
        return Extraction(KEY, days, mappings, self._ignored())

    def _ignored(self) -> list[Ignored]:
        ignored = [
            Ignored(
                "Sleep analysis: in bed or awake", self.counts["in bed or awake"], "Not sleep."
            ),
            Ignored(
                "Sleep analysis of a kind Apple Health added later",
                self.counts["sleep of unknown kind"],
                "Hearth can't tell whether it is sleep.",
            ),
            Ignored(
                "Workouts, activity summaries and other entries",
                self.counts["other entries"],
                "Hearth has no field for them.",
            ),
            Ignored(
                "Other files in the zip (export_cda.xml, workout routes, electrocardiograms)",
                self.ignored_members,
                "Only export.xml holds the records Hearth reads.",
            ),
        ]
        common = self.other_types.most_common()
        for kind, count in common[:IGNORED_TYPES_NAMED]:
            ignored.append(Ignored(_short(kind), count, "Hearth has no field for it."))
        rest = common[IGNORED_TYPES_NAMED:]
        if rest:
            ignored.append(
                Ignored(
                    f"{len(rest)} other kinds of record",
                    sum(count for _, count in rest),
                    "Hearth has no field for them.",
                )
            )
        return [item for item in ignored if item.count]


def _short(kind: str) -> str:
    for prefix in PREFIXES:
        if kind.startswith(prefix):
            return kind.removeprefix(prefix)
    return kind or "Records without a type"


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:,.1f} GB"
    return f"{count / 1024**2:,.1f} MB"
