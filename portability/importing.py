"""Checking a file to import: every row read with the same rules as the log form, the
medications page and the profile page, before anything is written. The result is a plan that
either lists every problem, by where it is in the file, or is ready for portability/applying.py
to write.

A file of more than IMPORT_BACKGROUND_DAYS days is checked and written by a background job
(ImportJob, portability/tasks.py), so no request holds a web worker for long.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers

from accounts.forms import ProfileForm
from accounts.models import Condition, User
from config import safe_json
from portability.exporting import (
    DAY_FIELDS,
    FORMAT,
    FORMULA_START,
    MEDICATION_FIELDS,
    NAME_LISTS,
    TIMESTAMPS,
    VERSION,
)
from tracker.days import parse_day
from tracker.forms import DailyEntryForm, MedicationForm, SymptomForm, form_data, look_up
from tracker.models import IntimacyBarrier, Symptom

# A background import records how far its check has got after every this many days.
PROGRESS_STEP = 100
# What the log form checks: every field but the day, the name lists and the timestamps.
FORM_FIELDS = [name for name in DAY_FIELDS if name not in ("day", *NAME_LISTS, *TIMESTAMPS)]
# What the profile page (ProfileForm) sets, and so what an import may set too.
PROFILE_FIELDS = [
    "display_name",
    "time_zone",
    "conditions",
    "other_condition",
    "discreet_mode",
    "idle_timeout_minutes",
]


@dataclass
class DayToImport:
    day: datetime.date
    values: dict  # the log form's cleaned values of FORM_FIELDS
    barriers: list[IntimacyBarrier]
    symptom_keys: list[str]  # looked up once every symptom exists
    stamps: dict  # created_at / updated_at from the file, if it gave them


@dataclass
class ImportPlan:
    """What an import would write, or why it can't: every problem, by where it is in the file."""

    days: list[DayToImport] = field(default_factory=list)
    new_symptoms: dict[str, str] = field(default_factory=dict)  # casefolded name -> name
    medications: list[tuple[dict, dict]] = field(default_factory=list)  # (values, stamps)
    profile: dict | None = None
    errors: list[tuple[str, list[str]]] = field(default_factory=list)
    # Another app's file (portability/importers) speaks only for the values it gives: a value
    # it leaves empty keeps the person's own, even when replacing.
    partial: bool = False

    def problem(self, where: str, messages: list[str]) -> None:
        if messages:
            self.errors.append((where, messages))


class _Checker:
    """Checks rows one by one with the same rules as the log form, the medications page and the
    profile page, gathering every problem instead of stopping at the first."""

    def __init__(
        self, user: User, plan: ImportPlan, progress: Callable[[int], None] | None = None
    ) -> None:
        self.user = user
        self.plan = plan
        self.progress = progress
        self.days_checked = 0
        self.today = user.today()
        self.barriers = {}
        for barrier in IntimacyBarrier.objects.all():
            self.barriers[barrier.slug] = self.barriers[barrier.name.casefold()] = barrier
        self.symptoms = {s.name.casefold(): s for s in Symptom.objects.available_to(user)}
        self.days_seen: dict[datetime.date, str] = {}
        self.form_labels = {name: f.label for name, f in DailyEntryForm.base_fields.items()}

    def day(self, where: str, raw: dict) -> None:
        messages = []
        day = self._day(raw.get("day"), messages)
        if day in self.days_seen:
            messages.append(f"The day {day} is in the file twice (also at {self.days_seen[day]}).")
        elif day:
            self.days_seen[day] = where
        form = DailyEntryForm(
            form_data({name: raw.get(name) for name in FORM_FIELDS}), user=self.user
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                messages.extend(f"{self.form_labels.get(name, name)}: {error}" for error in errors)
        barriers = self._names(raw, "intimacy_barriers", messages)
        try:
            barriers = look_up(
                barriers, self.barriers, "“{name}” is not one of the things that held you back."
            )
        except serializers.ValidationError as error:
            messages.extend(str(message) for message in error.detail)
        symptom_keys = [
            self._symptom(name, messages) for name in self._names(raw, "symptoms", messages)
        ]
        stamps = self._stamps(raw, messages)
        self.plan.problem(where, messages)
        if not messages:
            cleaned = form.entry_values()
            values = {name: cleaned[name] for name in FORM_FIELDS}
            self.plan.days.append(DayToImport(day, values, barriers, symptom_keys, stamps))
        self.days_checked += 1
        if self.progress and self.days_checked % PROGRESS_STEP == 0:
            self.progress(self.days_checked)

    def _day(self, value, messages: list[str]) -> datetime.date | None:
        try:
            return parse_day(value, self.today)
        except ValidationError as error:
            messages.extend(error.messages)
            return None

    def _names(self, raw: dict, name: str, messages: list[str]) -> list[str]:
        value = raw.get(name) or []
        if isinstance(value, str):  # CSV: "Joint pain;Fatigue"
            value = value.split(";")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            messages.append(f"{self.form_labels[name]}: give a list of names.")
            return []
        return [item for item in value if item.strip()]

    def _symptom(self, name: str, messages: list[str]) -> str:
        """The symptom's key; a name the person doesn't have yet becomes their own symptom."""
        name = " ".join(name.split())
        key = name.casefold()
        if key not in self.symptoms and key not in self.plan.new_symptoms:
            form = SymptomForm({"name": name}, owner=self.user)
            if form.is_valid():
                self.plan.new_symptoms[key] = form.cleaned_data["name"]
            else:
                for errors in form.errors.values():
                    messages.extend(f"Symptom “{name}”: {error}" for error in errors)
        return key

    def _stamps(self, raw: dict, messages: list[str]) -> dict:
        stamps = {}
        for name in TIMESTAMPS:
            value = raw.get(name)
            if value in (None, ""):
                continue
            try:
                stamp = datetime.datetime.fromisoformat(str(value))
                if timezone.is_naive(stamp):
                    raise ValueError
                stamps[name] = stamp
            except ValueError:
                messages.append(
                    f"{name}: “{value}” is not a date and time with its time zone, such as "
                    "2026-01-31T20:15:00+00:00."
                )
        return stamps

    def own_symptom(self, where: str, raw) -> None:
        messages = []
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            messages.append('Give each symptom as {"name": "…"}.')
        else:
            self._symptom(raw["name"], messages)
        self.plan.problem(where, messages)

    def medication(self, where: str, raw) -> None:
        if not isinstance(raw, dict):
            self.plan.problem(where, ["Give each medication as an object with its fields."])
            return
        messages = []
        form = MedicationForm(
            form_data({name: raw.get(name) for name in MEDICATION_FIELDS}), user=self.user
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                messages.extend(f"{label}: {error}" for error in errors)
        stamps = self._stamps(raw, messages)
        self.plan.problem(where, messages)
        if not messages:
            values = {name: form.cleaned_data[name] for name in MEDICATION_FIELDS}
            self.plan.medications.append((values, stamps))

    def profile(self, raw) -> None:
        if not isinstance(raw, dict):
            self.plan.problem("Profile", ["The profile is missing from the file."])
            return
        messages = []
        conditions = raw.get("conditions") or []
        known = {condition.slug: condition for condition in Condition.objects.all()}
        if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
            messages.append("Conditions: give a list of condition names.")
            conditions = []
        try:
            conditions = look_up(conditions, known, "“{name}” is not a condition in the list.")
        except serializers.ValidationError as error:
            messages.extend(str(message) for message in error.detail)
            conditions = []
        form = ProfileForm(
            form_data(
                {**{name: raw.get(name) for name in PROFILE_FIELDS}, "conditions": conditions}
            ),
            instance=User.objects.get(pk=self.user.pk),  # the form changes its instance
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                messages.extend(f"{form.fields[name].label}: {error}" for error in errors)
        self.plan.problem("Profile", messages)
        if not messages:
            self.plan.profile = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}


def check_import(
    user: User,
    kind: str,
    text: str,
    *,
    with_profile: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Reads and checks the whole file; the plan either lists every problem or is ready to
    write. Nothing is written here. `progress`, if given, hears how many days have been checked
    every PROGRESS_STEP days."""
    plan = ImportPlan()
    checker = _Checker(user, plan, progress)
    if kind == "csv":
        _check_csv(checker, text)
    else:
        _check_json(checker, text, with_profile)
    nothing = not (plan.days or plan.medications or plan.new_symptoms or plan.profile)
    if nothing and not plan.errors:
        plan.problem("The file", ["There is nothing in this file to import."])
    return plan


def check_days(
    user: User,
    rows: list[tuple[str, dict]],
    medications: list[tuple[str, dict]] = (),
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Checks the days another app's file gave (portability.importers.rows), by the same rules
    as a Hearth file's: (where, {"day": ..., field: value}) each, and its medications
    (importers.medications) by the medications page's. Nothing is written here."""
    plan = ImportPlan(partial=True)
    checker = _Checker(user, plan, progress)
    for where, raw in medications:
        checker.medication(where, raw)
    for where, raw in rows:
        checker.day(where, raw)
    if not (plan.days or plan.medications) and not plan.errors:
        plan.problem("The file", ["There is nothing in this file to import."])
    return plan


def _check_csv(checker: _Checker, text: str) -> None:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error):
        checker.plan.problem("The file", ["The file is empty."])
        return
    unknown = [name for name in header if name not in DAY_FIELDS]
    twice = sorted({name for name in header if header.count(name) > 1})
    if unknown or twice or "day" not in header:
        checker.plan.problem(
            "Line 1",
            [f"“{name}” is not a column Hearth knows." for name in unknown]
            + [f"The “{name}” column appears more than once." for name in twice]
            + ([] if "day" in header else ["The “day” column is missing."])
            + ["The columns are: " + ", ".join(DAY_FIELDS) + "."],
        )
        return
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            checker.plan.problem(f"Line {line}", [f"This line can't be read as CSV ({error})."])
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            checker.plan.problem(
                f"Line {line}",
                [f"This line has {len(row)} values, but the header names {len(header)} columns."],
            )
            continue
        checker.day(
            f"Line {line}",
            {name: _from_cell(name, cell) for name, cell in zip(header, row, strict=True)},
        )


def _from_cell(name: str, cell: str) -> str | list[str]:
    """A CSV cell as the checker reads it: names as a list, and every text as it was before the
    export made it inert for spreadsheets."""
    if name in NAME_LISTS:
        return [_restored(item) for item in cell.split(";")]
    return _restored(cell)


def _restored(text: str) -> str:
    """The text the export made inert for spreadsheets (portability.exporting._inert)."""
    return text[1:] if text.startswith("'") and FORMULA_START.match(text) else text


class RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object, refusing a key given twice (json.loads would keep the last silently)."""
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise RepeatedKey(key)
        seen[key] = value
    return seen


def _check_json(checker: _Checker, text: str, with_profile: bool) -> None:
    plan = checker.plan
    try:
        export = safe_json.loads(text, object_pairs_hook=_object_without_repeats)
    except json.JSONDecodeError as error:
        plan.problem("The file", [f"This is not valid JSON (line {error.lineno}: {error.msg})."])
        return
    except RepeatedKey as repeated:
        plan.problem("The file", [f"“{repeated.key}” is given twice in one object."])
        return
    except safe_json.NestedTooDeep as error:
        plan.problem("The file", [str(error)])
        return
    if not isinstance(export, dict) or export.get("format") != FORMAT:
        plan.problem(
            "The file", ["This is not a Hearth export: it has no “format”: “hearth-export”."]
        )
        return
    if export.get("version") != VERSION:
        plan.problem(
            "The file",
            [
                f"This export is version {export.get('version')}; "
                f"this Hearth reads version {VERSION}."
            ],
        )
        return
    sections = {name: export.get(name) or [] for name in ("symptoms", "medications", "days")}
    for name, items in sections.items():
        if not isinstance(items, list):
            plan.problem("The file", [f"“{name}” should be a list."])
            return
    for number, raw in enumerate(sections["symptoms"], start=1):
        checker.own_symptom(f"Symptom {number}", raw)
    for number, raw in enumerate(sections["medications"], start=1):
        name = raw.get("name") if isinstance(raw, dict) else None
        checker.medication(f"Medication {number}" + (f" (“{name}”)" if name else ""), raw)
    for number, raw in enumerate(sections["days"], start=1):
        where = f"Day {number}"
        if not isinstance(raw, dict):
            plan.problem(where, ["Give each day as an object with its fields."])
            continue
        unknown = sorted(set(raw) - set(DAY_FIELDS))
        where += f" ({raw.get('day')})" if raw.get("day") else ""
        if unknown:
            plan.problem(where, [f"“{name}” is not a field Hearth knows." for name in unknown])
            continue
        checker.day(where, raw)
    if with_profile:
        checker.profile(export.get("profile"))
