"""A person's data rights: everything they stored, out (export) and back in (import), and the
account gone for good (deletion).

The export streams a chunk of days at a time, so a ten-year journal never sits in memory. The
import checks every row with the log form's own rules before it writes anything, then writes all
of it in one transaction. Deletion removes the person, every row of theirs and every session that
still signs them in.

Field names are the DailyEntry model's, which the API uses too. The JSON export is complete and
carries a format version; the CSV has one row per day and one column per field, with symptoms
and barriers as `;`-separated names. A CSV cell a spreadsheet would run as a formula gets a `'`
in front, which the import takes off again.

A file of more than IMPORT_BACKGROUND_DAYS days is checked and written by a background job
(ImportJob, accounts/tasks.py), so no request holds a web worker for long.
"""

import csv
import datetime
import io
import json
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from pathlib import Path

from allauth.usersessions.models import UserSession
from django import forms
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, models, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework import serializers

from accounts.forms import ProfileForm
from accounts.models import ApiToken, Condition, ImportJob, SecurityEvent, User
from tracker.api import parsers
from tracker.api.serializers import form_data, look_up
from tracker.forms import DailyEntryForm, MedicationForm, SymptomForm
from tracker.models import FIRST_DAY, DailyEntry, IntimacyBarrier, Medication, Symptom

FORMAT = "hearth-export"
VERSION = 1
# Days fetched (with their symptoms and barriers) per round trip to the database.
CHUNK_SIZE = 500
# A background import records how far its check has got after every this many days.
PROGRESS_STEP = 100
MEGABYTE = 1024 * 1024

logger = logging.getLogger(__name__)

NAME_LISTS = DailyEntry.MANY_TO_MANY_FIELDS  # ("intimacy_barriers", "symptoms")
TIMESTAMPS = ("created_at", "updated_at")
DAY_FIELDS = [
    "day",
    "sexual_activity",
    "intensity",
    "satisfaction",
    "discomfort",
    "intimacy_barriers",
    "physical_affection",
    "libido",
    "stress",
    "sleep_hours",
    "sleep_quality",
    "fatigue",
    "flare_severity",
    "symptoms",
    "notes",
    *TIMESTAMPS,
]
# What the log form checks: every field but the day, the name lists and the timestamps.
FORM_FIELDS = [name for name in DAY_FIELDS if name not in ("day", *NAME_LISTS, *TIMESTAMPS)]
# What the medications page (MedicationForm) and the profile page (ProfileForm) set, and so
# what an import may set too.
MEDICATION_FIELDS = ["name", "dose", "started", "stopped", "note"]
PROFILE_FIELDS = [
    "display_name",
    "time_zone",
    "conditions",
    "other_condition",
    "discreet_mode",
    "idle_timeout_minutes",
]
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A spreadsheet runs a cell starting with one of = + - @ tab or carriage return as a formula
# (OWASP's CSV injection rule). The quotes before it let a text that already starts with ' and
# then one of those survive the round trip: "'=x" is exported as "''=x".
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
RECORDS_CHANGED = (
    "Your records changed while importing, so nothing was imported. Please import the file again."
)


# Export -----------------------------------------------------------------------------------------


def _plain(value):
    """A model value as JSON has it: numbers, text, true/false, null; days and times in ISO."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    return value


def day_record(entry: DailyEntry) -> dict:
    record = {}
    for name in DAY_FIELDS:
        if name in NAME_LISTS:
            record[name] = [item.name for item in getattr(entry, name).all()]
        else:
            record[name] = _plain(getattr(entry, name))
    return record


def entries_for_export(user: User) -> Iterator[DailyEntry]:
    """Every day of the person's, oldest first, read a chunk at a time: each chunk costs the
    same few queries (the days, their symptoms, their barriers) however long the journal is."""
    return (
        DailyEntry.objects.for_user(user)
        .order_by("day")
        .prefetch_related("intimacy_barriers", "symptoms")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def profile_record(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "conditions": [condition.slug for condition in user.conditions.all()],
        "other_condition": user.other_condition,
        "discreet_mode": user.discreet_mode,
        "idle_timeout_minutes": user.idle_timeout_minutes,
        "date_joined": _plain(user.date_joined),
        "consent_given_at": _plain(user.consent_given_at),
        "consent_version": user.consent_version,
    }


def _records(queryset: models.QuerySet, names: list[str]) -> list[dict]:
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in queryset.values_list(*names)
    ]


def export_head(user: User) -> dict:
    """Everything but the days: small enough to build at once."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": profile_record(user),
        "symptoms": _records(Symptom.objects.owned_by(user).order_by("name"), ["name"]),
        "medications": _records(
            Medication.objects.for_user(user).order_by("started", "name", "pk"),
            [*MEDICATION_FIELDS, *TIMESTAMPS],
        ),
        # Names and dates only: Hearth never keeps a token's secret, only a hash of it.
        "api_tokens": _records(
            ApiToken.objects.filter(user=user).order_by("created"),
            ["name", "created", "expiry", "last_used"],
        ),
        "security_activity": _records(
            SecurityEvent.objects.filter(user=user).order_by("created_at", "pk"),
            ["kind", "device", "created_at"],
        ),
    }


def json_export(user: User) -> Iterator[str]:
    """The complete export as JSON text, in pieces: the head, then one day at a time."""
    head = json.dumps(export_head(user), ensure_ascii=False)
    yield head[:-1] + ', "days": ['
    for number, entry in enumerate(entries_for_export(user)):
        yield ("," if number else "") + json.dumps(day_record(entry), ensure_ascii=False)
    yield "]}\n"


def _inert(text: str) -> str:
    """Text a spreadsheet shows as written instead of running: a ' in front of text that would
    start a formula, as spreadsheets themselves mark text. _restored takes it off again."""
    return "'" + text if FORMULA_START.match(text) else text


def _restored(text: str) -> str:
    """The text _inert was given."""
    return text[1:] if text.startswith("'") and FORMULA_START.match(text) else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_inert(item) for item in value)  # each name may become a cell of its own
    if isinstance(value, float):
        return f"{value:g}"  # 7.5, not 7.50
    if isinstance(value, str):
        return _inert(value)
    return str(value)


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_export(user: User) -> Iterator[str]:
    """One line per day (a header line first), written as it is read."""
    writer = csv.writer(_Echo())
    yield writer.writerow(DAY_FIELDS)
    for entry in entries_for_export(user):
        record = day_record(entry)
        yield writer.writerow([_cell(record[name]) for name in DAY_FIELDS])


EXPORTS = {
    "json": (json_export, "application/json"),
    "csv": (csv_export, "text/csv; charset=utf-8"),
}


def export_response(user: User, kind: str) -> StreamingHttpResponse:
    """The person's export as a download, streamed; never kept by a cache on the way."""
    build, content_type = EXPORTS[kind]
    response = StreamingHttpResponse(build(user), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="hearth-export-{user.today().isoformat()}.{kind}"'
    )
    response["Cache-Control"] = "no-store"
    return response


# Import -----------------------------------------------------------------------------------------


def most_days() -> str:
    """The most days one file may hold, as the import page says it."""
    days = settings.IMPORT_MAX_DAYS
    return f"{days:,} days (about {round(days / 365.25)} years)"


@dataclass
class ImportFile:
    kind: str  # "json" or "csv"
    text: str
    days: int  # how many days it holds, counted before any is checked


def count_days(kind: str, text: str) -> int:
    """How many days the file holds, counted without checking any (checking them is what takes
    time). A file that can't be read counts as far as it can be; checking it says why."""
    if kind == "json":
        try:
            export = parsers.loads(text)
        except ValueError:
            return 0
        days = export.get("days") if isinstance(export, dict) else None
        return len(days) if isinstance(days, list) else 0
    rows = -1  # the first line names the columns
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if any(cell.strip() for cell in row):
                rows += 1
    except csv.Error:
        pass
    return max(rows, 0)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
    )
    existing = forms.ChoiceField(
        label="Days you have already logged",
        choices=[
            ("skip", "Keep mine: skip those days in the file"),
            ("overwrite", "Replace mine with the file's"),
        ],
        initial="skip",
        widget=forms.RadioSelect,
        help_text="Medications with the same name and start date count as the same too.",
    )
    profile = forms.BooleanField(
        label="Also use the profile settings in the file",
        help_text="Display name, time zone, conditions, discreet mode and when to ask you to "
        "sign in again. Only Hearth's own .json exports have them.",
        required=False,
    )

    def __init__(self, *args, refused_size: int | None = None, **kwargs) -> None:
        """refused_size: the size of a file the upload handler stopped for passing the limit
        (config/uploads.py), which so never reached request.FILES."""
        super().__init__(*args, **kwargs)
        self.refused_size = refused_size
        self.fields["file"].required = refused_size is None
        self.fields["file"].help_text = (
            "A Hearth export (.json) or a spreadsheet saved as .csv with one row per day, "
            f"up to {settings.UPLOAD_MAX_BYTES // MEGABYTE} MB and {most_days()}."
        )

    def clean_file(self) -> ImportFile:
        upload = self.cleaned_data["file"]
        size = self.refused_size if upload is None else upload.size
        if size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                "This file is %(size)s MB, and Hearth imports files of up to %(limit)s MB. "
                "Split it into smaller files, for example a year in each.",
                params={
                    "size": f"{math.ceil(size / MEGABYTE * 10) / 10:.1f}",
                    "limit": settings.UPLOAD_MAX_BYTES // MEGABYTE,
                },
            )
        kind = Path(upload.name).suffix.lower().lstrip(".")
        if kind not in EXPORTS:
            raise forms.ValidationError("Choose a .json file exported from Hearth, or a .csv file.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "This file is not text Hearth can read. Save it as UTF-8 text and try again."
            ) from None
        days = count_days(kind, text)
        if days > settings.IMPORT_MAX_DAYS:
            raise forms.ValidationError(
                "This file has %(days)s days, and Hearth imports up to %(limit)s from one file. "
                "Split it into smaller files, for example ten years in each.",
                params={"days": f"{days:,}", "limit": most_days()},
            )
        return ImportFile(kind, text, days)


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

    def problem(self, where: str, messages: list[str]) -> None:
        if messages:
            self.errors.append((where, messages))


@dataclass
class ImportResult:
    created: int = 0
    replaced: int = 0
    skipped: int = 0
    medications: int = 0
    symptoms: int = 0
    profile: bool = False

    def summary(self, *, overwrite: bool) -> str:
        """What was imported, in counts, for the person to read."""
        summary = f"Imported {self.created} new day{'s' * (self.created != 1)}"
        if overwrite:
            summary += f" and replaced {self.replaced}"
        elif self.skipped:
            summary += f", and kept your own {self.skipped} where the file had them too"
        extras = []
        if self.medications:
            extras.append(f"{self.medications} medication{'s' * (self.medications != 1)}")
        if self.symptoms:
            extras.append(f"{self.symptoms} new symptom{'s' * (self.symptoms != 1)} of your own")
        if self.profile:
            extras.append("your profile settings")
        if extras:
            summary += "; also " + " and ".join(extras)
        return summary + "."


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
        if value in (None, ""):
            messages.append("Which day is this? The day is missing.")
            return None
        try:
            if not ISO_DAY.fullmatch(str(value)):
                raise ValueError
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            messages.append(
                f"“{value}” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."
            )
            return None
        if day > self.today:
            messages.append(f"{day} hasn't happened yet. You can log today or any earlier day.")
        elif day < FIRST_DAY:
            messages.append(f"{day} is too early: Hearth keeps days from 1900 on.")
        else:
            return day
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
        export = parsers.loads(text, object_pairs_hook=_object_without_repeats)
    except json.JSONDecodeError as error:
        plan.problem("The file", [f"This is not valid JSON (line {error.lineno}: {error.msg})."])
        return
    except RepeatedKey as repeated:
        plan.problem("The file", [f"“{repeated.key}” is given twice in one object."])
        return
    except parsers.NestedTooDeep as error:
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


@transaction.atomic
def apply_import(user: User, plan: ImportPlan, *, overwrite: bool) -> ImportResult:
    """Writes a checked plan in one transaction: all of it, or (on any error) nothing.

    Days are written in bulk, so the per-row signals don't fire; the person's cached summaries
    are marked stale once at the end instead."""
    assert not plan.errors, "Only a plan without problems can be written."
    result = ImportResult()
    symptoms = _create_symptoms(user, plan, result)
    _import_medications(user, plan, overwrite, result)
    if plan.profile is not None:
        _import_profile(user, plan.profile)
    _import_days(user, plan, symptoms, overwrite, result)
    User.objects.mark_records_changed(user.pk)
    result.profile = plan.profile is not None
    return result


def run_import_job(job_id: int) -> None:
    """The background side of a large import: checks the file, then writes all of it in one
    transaction or, if anything is wrong, nothing, recording how far it got and how it ended.
    Whatever happens, the file's text is cleared from the database when the job ends."""
    started = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING
    )
    if not started:
        return  # run already (a task delivered twice), or gone with the account
    job = ImportJob.objects.select_related("owner").get(pk=job_id)

    def progress(days_checked: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(days_checked=days_checked)

    try:
        plan = check_import(
            job.owner, job.kind, job.file_text, with_profile=job.with_profile, progress=progress
        )
        if plan.errors:
            job.fail(problems=plan.errors)
            return
        result = apply_import(job.owner, plan, overwrite=job.overwrite)
    except IntegrityError:
        # A day was saved in another tab between checking the file and writing it.
        job.fail(error=RECORDS_CHANGED)
        return
    except Exception:
        logger.exception("Import job %s failed", job_id)
        job.fail(
            error="Something went wrong while importing, so nothing was imported. Please "
            "import the file again; if it happens again, write to us."
        )
        return
    SecurityEvent.objects.create(user=job.owner, kind=SecurityEvent.Kind.IMPORT, device=job.device)
    job.finish(result.summary(overwrite=job.overwrite))


def _create_symptoms(user: User, plan: ImportPlan, result: ImportResult) -> dict[str, Symptom]:
    symptoms = {s.name.casefold(): s for s in Symptom.objects.available_to(user)}
    new = [
        Symptom(owner=user, name=name)
        for key, name in plan.new_symptoms.items()
        if key not in symptoms
    ]
    Symptom.objects.bulk_create(new)
    symptoms.update({symptom.name.casefold(): symptom for symptom in new})
    result.symptoms = len(new)
    return symptoms


def _restore_stamps(model: type[models.Model], rows: list[tuple[models.Model, dict]]) -> None:
    """Puts back the creation and change times the file gave (saving sets them to now)."""
    stamped = []
    for obj, stamps in rows:
        if stamps:
            for name, stamp in stamps.items():
                setattr(obj, name, stamp)
            stamped.append(obj)
    model.objects.bulk_update(stamped, TIMESTAMPS, batch_size=CHUNK_SIZE)


def _import_medications(user: User, plan: ImportPlan, overwrite: bool, result: ImportResult):
    existing = {(m.name.casefold(), m.started): m for m in Medication.objects.for_user(user)}
    created, replaced = [], []
    for values, stamps in plan.medications:
        saved = existing.get((values["name"].casefold(), values["started"]))
        if saved is None:
            created.append((Medication(user=user, **values), stamps))
        elif overwrite:
            for name, value in values.items():
                setattr(saved, name, value)
            saved.updated_at = timezone.now()
            replaced.append((saved, stamps))
    Medication.objects.bulk_create([obj for obj, _ in created])
    Medication.objects.bulk_update([obj for obj, _ in replaced], [*MEDICATION_FIELDS, "updated_at"])
    _restore_stamps(Medication, created + replaced)
    result.medications = len(created) + len(replaced)


def _import_profile(user: User, values: dict) -> None:
    conditions = values.pop("conditions")
    for name, value in values.items():
        setattr(user, name, value)
    user.save(update_fields=list(values))
    user.conditions.set(conditions)


def _import_days(
    user: User,
    plan: ImportPlan,
    symptoms: dict[str, Symptom],
    overwrite: bool,
    result: ImportResult,
) -> None:
    logged = set(
        DailyEntry.objects.for_user(user)
        .filter(day__in=[row.day for row in plan.days])
        .values_list("day", flat=True)
    )
    rows = [row for row in plan.days if overwrite or row.day not in logged]
    written = [(DailyEntry(user=user, day=row.day, **row.values), row) for row in rows]
    entries = [entry for entry, _ in written]
    if overwrite:
        # One INSERT ... ON CONFLICT per batch: a logged day keeps its row and creation time
        # and takes every value from the file (a value the file leaves empty is emptied).
        DailyEntry.objects.bulk_create(
            entries,
            batch_size=CHUNK_SIZE,
            update_conflicts=True,
            unique_fields=["user", "day"],
            update_fields=[*FORM_FIELDS, "updated_at"],
        )
    else:
        DailyEntry.objects.bulk_create(entries, batch_size=CHUNK_SIZE)
    _restore_stamps(DailyEntry, [(entry, row.stamps) for entry, row in written])
    replaced = [entry for entry, row in written if row.day in logged]
    _link(
        DailyEntry.symptoms.through,
        "symptom",
        [(entry, [symptoms[key] for key in row.symptom_keys]) for entry, row in written],
        replaced,
    )
    _link(
        DailyEntry.intimacy_barriers.through,
        "intimacybarrier",
        [(entry, row.barriers) for entry, row in written],
        replaced,
    )
    result.replaced = len(replaced)
    result.created = len(written) - len(replaced)
    result.skipped = len(plan.days) - len(written)


def _link(
    through: type[models.Model],
    item_field: str,
    links: list[tuple[DailyEntry, list]],
    replaced: list[DailyEntry],
) -> None:
    """Ticks each entry's symptoms (or barriers), in place of what replaced entries had."""
    through.objects.filter(dailyentry__in=replaced).delete()
    through.objects.bulk_create(
        [
            through(dailyentry=entry, **entry.link_defaults(), **{item_field: item})
            for entry, items in links
            for item in dict.fromkeys(items)
        ],
        batch_size=CHUNK_SIZE,
    )


# Deletion ---------------------------------------------------------------------------------------

CONFIRMATION_WORD = "DELETE"


NOT_CONFIRMED = f"Type the word {CONFIRMATION_WORD} to delete your account. Nothing was deleted."


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label=f"Type {CONFIRMATION_WORD} to confirm",
        help_text="This cannot be undone: your account and everything in it go for good.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": NOT_CONFIRMED},
    )

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"]
        if typed.strip().upper() != CONFIRMATION_WORD:
            raise forms.ValidationError(NOT_CONFIRMED)
        return typed


def end_sessions(user: User) -> None:
    """Sign the person out everywhere: the sessions allauth recorded at each sign-in, and any
    other stored session that would still sign them in (one made by force_login, say)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    if issubclass(store, DatabaseSessionStore):
        model = store.get_model_class()
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get(SESSION_KEY) == str(user.pk):
                keys.add(session.session_key)
    for key in keys:
        store(session_key=key).delete()


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person and every row that belongs to them, and sign them out everywhere.

    Every model's foreign key to the person cascades (entries with their symptoms and barriers,
    own symptoms, medications, API tokens, security events, allauth's email addresses,
    two-factor authenticators and session records), except the moderation log's: its lines keep
    a copy of the email address and id on purpose, so the log still says whom an action was
    about after the account is gone, and they hold no health data. tests/accounts/
    test_deletion.py walks every model to prove nothing else of theirs remains.

    Cached summaries of their records are keyed by their id, which is never reused, and expire
    within a day."""
    end_sessions(user)
    user.delete()
