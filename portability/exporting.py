"""A person's export: everything they stored, as JSON (complete, with a format version) or as
CSV (one row per day, one column per field, symptoms and barriers as `;`-separated names).

The export streams a chunk of days at a time, so a ten-year journal never sits in memory. Field
names are the DailyEntry model's, which the API uses too. A CSV cell a spreadsheet would run as a
formula gets a `'` in front, which the import (portability/importing.py) takes off again.
"""

import csv
import datetime
import json
import re
from collections.abc import Iterator
from decimal import Decimal

from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts.models import ApiToken, SecurityEvent, User
from sharing.models import SECTIONS, ShareLink
from tracker.measures import HEALTH_MEASURES, INTIMATE_MEASURES
from tracker.models import DailyEntry, Medication, Symptom

FORMAT = "hearth-export"
VERSION = 1
# Days fetched (with their symptoms and barriers) per round trip to the database.
CHUNK_SIZE = 500

NAME_LISTS = DailyEntry.MANY_TO_MANY_FIELDS  # ("intimacy_barriers", "symptoms")
TIMESTAMPS = ("created_at", "updated_at")
# In the log form's order: the intimacy answers, then the health measures (tracker/measures.py).
DAY_FIELDS = [
    "day",
    "sexual_activity",
    "intensity",
    "satisfaction",
    "discomfort",
    "intimacy_barriers",
    "physical_affection",
    *INTIMATE_MEASURES,
    *HEALTH_MEASURES,
    "symptoms",
    "notes",
    *TIMESTAMPS,
]
# What the medications page (MedicationForm) sets, and so what an import may set too.
MEDICATION_FIELDS = ["name", "dose", "started", "stopped", "note"]
SHARE_LINK_FIELDS = ["label", "start", "end", *SECTIONS, "created_at", "expires_at", "revoked_at"]
# A spreadsheet runs a cell starting with one of = + - @ tab or carriage return as a formula
# (OWASP's CSV injection rule). The quotes before it let a text that already starts with ' and
# then one of those survive the round trip: "'=x" is exported as "''=x".
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


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
        # What each share link shows and when it stops: never its secret or passcode, of which
        # Hearth keeps only hashes.
        "share_links": _records(
            ShareLink.objects.for_user(user).order_by("created_at", "pk"),
            SHARE_LINK_FIELDS,
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
    start a formula, as spreadsheets themselves mark text. The import takes it off again
    (portability.importing._restored)."""
    return "'" + text if FORMULA_START.match(text) else text


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


def download(chunks: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    """A file of the person's, streamed as it is written; never kept by a cache on the way."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_response(user: User, kind: str) -> StreamingHttpResponse:
    """The person's export as a download (the FHIR bundle is portability/fhir.py's)."""
    build, content_type = EXPORTS[kind]
    return download(build(user), content_type, f"hearth-export-{user.today().isoformat()}.{kind}")
