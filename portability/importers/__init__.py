"""Importers of other apps' files (issue #21): Apple Health, Fitbit, Flaredown (its long
CSV and its wide personal export), drip and Bearable.

Each source is a module with KEY and LABEL; `sniff(head)`, which tells its files from their first
bytes (never their name); `read(file, zone)`, which reads the file as a stream into an
Extraction or raises Refused; `choice_fields(extraction)`, the form fields of what the preview
asks (where the source is ambiguous); `day_values(readings, choices)`, one day's values in
Hearth's fields; and, if it has any, `medications(extraction, choices)`.

Between the preview and the import the extraction (a few values a day, never the file) waits in
the person's session, encrypted with the notes' key: only that signed-in session can reach it, the
session's key is not guessable, it goes when they sign out or import or after STASH_MAX_AGE, and
the database, its backups and the session table hold only ciphertext.
"""

import datetime
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.text import capfirst

from accounts.models import User
from config.encryption import notes_cipher
from portability import applying, importing
from portability.importers import (
    apple_health,
    bearable,
    drip,
    fitbit,
    flaredown,
    flaredown_wide,
)
from portability.importers.base import Extraction, Refused
from portability.importing import ImportPlan
from tracker.models import DailyEntry, Symptom

SOURCES = {
    source.KEY: source
    for source in (apple_health, fitbit, flaredown, flaredown_wide, drip, bearable)
}
# The sources whose files may be larger than UPLOAD_MAX_BYTES (up to IMPORT_UPLOAD_MAX_BYTES): read
# as a stream by a background job, telling how far it has got (portability/tasks.py).
STREAMED_SOURCES = {apple_health.KEY}
# How much of the file's start its source is told from.
HEAD_BYTES = 64 * 1024
STASH_KEY = "portability_import_preview"
STASH_MAX_AGE = datetime.timedelta(hours=1)
# How an ImportJob's encrypted text says it holds another app's extraction, not a Hearth file.
QUEUED_FORMAT = "hearth-other-app"
SAMPLE_DAYS = 10

__all__ = [
    "SOURCES",
    "Extraction",
    "Refused",
    "detect",
    "medications",
    "preview",
    "read",
    "rows",
    "samples",
]


def detect(file: BinaryIO) -> str | None:
    """The source whose files look like this one, from its content; None for any other file
    (Hearth's own files among them)."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    for key, source in SOURCES.items():
        if source.sniff(head):
            return key
    return None


def read(
    source: str, file: BinaryIO, user: User, progress: Callable[[float], None] | None = None
) -> Extraction:
    """The file read whole, in the person's time zone; raises Refused for anything wrong.
    progress(fraction), for a source in STREAMED_SOURCES: how much is read so far."""
    if source in STREAMED_SOURCES:
        extraction = SOURCES[source].read(file, user.zone, progress)
    else:
        extraction = SOURCES[source].read(file, user.zone)
    if not extraction.days:
        raise Refused("The file", "There is nothing in this file that Hearth can import.")
    return extraction


def rows(extraction: Extraction, choices: dict) -> list[tuple[str, dict]]:
    """The days in Hearth's fields, with where each came from, for portability.importing to
    check like any other file's."""
    source = SOURCES[extraction.source]
    found = []
    for day, readings in sorted(extraction.days.items()):
        values = source.day_values(readings, choices)
        if values:  # a day the choices leave empty (another person's, in Flaredown's file)
            found.append((f"{day} ({readings['where']})", {"day": day, **values}))
    return found


def medications(extraction: Extraction, choices: dict) -> list[tuple[str, dict]]:
    """The medications the file gives, if its source has any: (where, the medications
    page's fields) each."""
    source = SOURCES[extraction.source]
    return source.medications(extraction, choices) if hasattr(source, "medications") else []


def stash(session: SessionBase, user: User, extraction: Extraction) -> None:
    """Keeps the extraction for the preview, compressed (years of days repeat themselves) and
    then encrypted, in the session."""
    stored = {
        "owner": user.pk,
        "stored_at": timezone.now().isoformat(),
        "extraction": extraction.to_json(),
    }
    packed = zlib.compress(json.dumps(stored).encode())
    session[STASH_KEY] = notes_cipher().encrypt(packed).decode()


def stashed(session: SessionBase, user: User) -> Extraction | None:
    """The extraction waiting for this person's import, or None if there is none (or it is
    too old, or not theirs)."""
    token = session.get(STASH_KEY)
    if not token:
        return None
    try:
        stored = json.loads(zlib.decompress(notes_cipher().decrypt(token.encode())))
    except InvalidToken:  # its key was rotated away
        drop(session)
        return None
    age = timezone.now() - datetime.datetime.fromisoformat(stored["stored_at"])
    if stored["owner"] != user.pk or age > STASH_MAX_AGE:
        drop(session)
        return None
    return Extraction.from_json(stored["extraction"])


def drop(session: SessionBase) -> None:
    session.pop(STASH_KEY, None)


def samples(user: User, plan: ImportPlan) -> list[tuple[datetime.date, list[tuple[str, str]]]]:
    """Up to SAMPLE_DAYS days spread over the file, each as the (label, value) pairs it would
    be saved with."""
    names = {s.name.casefold(): s.name for s in Symptom.objects.available_to(user)}
    names.update(plan.new_symptoms)
    days = plan.days
    if len(days) > SAMPLE_DAYS:
        step = (len(days) - 1) / (SAMPLE_DAYS - 1)
        days = [days[round(number * step)] for number in range(SAMPLE_DAYS)]
    shown = []
    for row in days:
        entry = DailyEntry(day=row.day, **row.values)
        values = []
        for name, value in row.values.items():
            if value in (None, ""):
                continue
            field = DailyEntry._meta.get_field(name)
            text = getattr(entry, f"get_{name}_display")() if field.choices else str(value)
            if name == "sleep_hours":
                text += " hours"
            values.append((capfirst(field.verbose_name), text))
        values.extend(("Symptom", names[key]) for key in row.symptom_keys)
        shown.append((row.day, values))
    return shown


@dataclass
class Preview:
    """What importing the extraction with these choices would do, for the preview page."""

    plan: ImportPlan  # checked: its errors, or what would be written
    days: list[datetime.date]  # the days the file gives values for
    outcome: applying.Outcome
    samples: list[tuple[datetime.date, list[tuple[str, str]]]]


def preview(user: User, extraction: Extraction, choices: dict) -> Preview:
    found = rows(extraction, choices)
    plan = importing.check_days(user, found, medications(extraction, choices))
    existing = choices.get("existing")
    return Preview(
        plan,
        [datetime.date.fromisoformat(raw["day"]) for _, raw in found],
        applying.outcome(
            user, plan, overwrite=existing == "overwrite", fill_empty=existing == "fill"
        ),
        samples(user, plan),
    )


def queued_text(extraction: Extraction, choices: dict) -> str:
    """The extraction and the preview's choices as a background import job keeps them
    (ImportJob.file_text, encrypted; portability/tasks.py reads them back with `queued`)."""
    return json.dumps(
        {"format": QUEUED_FORMAT, "choices": choices, "extraction": extraction.to_json()}
    )


def queued(text: str) -> tuple[Extraction, dict] | None:
    """What `queued_text` wrote, or None for a Hearth file's text."""
    if not text.startswith(f'{{"format": "{QUEUED_FORMAT}"'):
        return None
    stored = json.loads(text)
    return Extraction.from_json(stored["extraction"]), stored["choices"]
