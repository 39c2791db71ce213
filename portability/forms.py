"""The forms of the data pages: the file to import (read, and counted, but not yet checked),
what the FHIR export includes, and the confirmation that deletes an account."""

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from config import safe_json
from portability import importers
from portability.exporting import EXPORTS

MEGABYTE = 1024 * 1024


def most_days() -> str:
    """The most days one file may hold, as the import page says it."""
    days = settings.IMPORT_MAX_DAYS
    return f"{days:,} days (about {round(days / 365.25)} years)"


@dataclass
class ImportFile:
    kind: str  # "json" or "csv"
    text: str
    days: int  # how many days it holds, counted before any is checked


@dataclass
class OtherAppFile:
    """Another app's file (portability/importers), read when the preview is made."""

    source: str  # a key of importers.SOURCES
    file: UploadedFile  # kept by Django until the request ends

    @property
    def large(self) -> bool:
        """Too large to read inside the request: stored, then read by a background job
        (only a source in importers.STREAMED_SOURCES gets here so large)."""
        return self.file.size > settings.UPLOAD_MAX_BYTES


def count_days(kind: str, text: str) -> int:
    """How many days the file holds, counted without checking any (checking them is what takes
    time). A file that can't be read counts as far as it can be; checking it says why."""
    if kind == "json":
        try:
            export = safe_json.loads(text)
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


def large_limit() -> int:
    """The largest file the import page takes (config/uploads.py: upload_limit)."""
    return max(settings.IMPORT_UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES)


def too_large(size: int, limit: int) -> forms.ValidationError:
    return forms.ValidationError(
        "This file is %(size)s MB, and Hearth imports files of up to %(limit)s MB. "
        "Split it into smaller files, for example a year in each.",
        params={"size": f"{math.ceil(size / MEGABYTE * 10) / 10:.1f}", "limit": limit // MEGABYTE},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".json,.csv,.zip,.xml,application/json,text/csv,application/zip"}
        ),
    )
    source = forms.ChoiceField(
        label="The file comes from",
        choices=[
            ("", "Tell from the file"),
            ("hearth", "Hearth (an export, or a CSV with one row per day)"),
            *((key, source.LABEL) for key, source in importers.SOURCES.items()),
        ],
        required=False,
        help_text="Hearth tells from what is in the file; choose only if it guesses wrong.",
    )
    existing = forms.ChoiceField(
        label="Days you have already logged",
        choices=[
            ("skip", "Keep mine: skip those days in the file"),
            ("overwrite", "Replace mine with the file's"),
            (
                "fill",
                "Fill only empty fields: keep what I logged, add the file's values where I "
                "logged nothing",
            ),
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
            "A Hearth export (.json), a spreadsheet saved as .csv with one row per day, an "
            "Apple Health export (.zip or .xml), a Fitbit sleep file (.json), or Flaredown's, "
            "drip's or Bearable's CSV export, "
            f"up to {settings.UPLOAD_MAX_BYTES // MEGABYTE} MB and {most_days()}. An Apple "
            f"Health export may be up to {large_limit() // MEGABYTE} MB."
        )

    def clean(self) -> dict:
        """Another app's file is told from its content (or the `source` chosen); anything
        else is read as Hearth's own."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        source = cleaned.get("source") or importers.detect(upload)
        try:
            if source in importers.SOURCES:
                if (
                    source not in importers.STREAMED_SOURCES
                    and upload.size > settings.UPLOAD_MAX_BYTES
                ):
                    raise too_large(upload.size, settings.UPLOAD_MAX_BYTES)
                cleaned["file"] = OtherAppFile(source, upload)
            else:
                cleaned["file"] = self._hearth_file(upload)
        except forms.ValidationError as error:
            self.add_error("file", error)
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        size = self.refused_size if upload is None else upload.size
        if size > large_limit():
            raise too_large(size, large_limit())
        return upload

    def _hearth_file(self, upload) -> ImportFile:
        if upload.size > settings.UPLOAD_MAX_BYTES:  # it is read whole, inside the request
            raise too_large(upload.size, settings.UPLOAD_MAX_BYTES)
        kind = Path(upload.name).suffix.lower().lstrip(".")
        if kind not in EXPORTS:
            raise forms.ValidationError(
                "Choose a .json file exported from Hearth, or a .csv file. Hearth also reads "
                "Apple Health's export.zip or export.xml, Fitbit sleep files, and Flaredown's, "
                "drip's and Bearable's CSV exports."
            )
        upload.seek(0)
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


class FhirExportForm(forms.Form):
    """What the FHIR export holds beyond the health records: intimacy answers and notes are
    the person's to share, so both stay out unless ticked (or, in the API, asked for)."""

    # A ticked box sends "true", like the API; an unticked one sends nothing. Django's check
    # box would read any other text, even "0" or "no", as ticked: it is refused instead, as it
    # decides what leaves Hearth.
    ANSWERS = ("true", "false")

    include_intimacy = forms.BooleanField(
        label="Include intimacy answers",
        help_text="Sexual activity, desire, what held you back and sexual-health symptoms.",
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "true"}),
    )
    include_notes = forms.BooleanField(
        label="Include my notes",
        help_text="The notes of each day and of your medications.",
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "true"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.fields:
            sent = self.data.get(name)
            if sent is not None and sent.lower() not in self.ANSWERS:
                self.add_error(name, "Tick the box or leave it empty (in the API: true or false).")
        return cleaned


class PreviewForm(forms.Form):
    """What the preview of another app's file asks: what to do with days already logged, and
    whatever the source leaves ambiguous (importers' choice_fields)."""

    existing = forms.ChoiceField(
        label="Days you have already logged",
        choices=[
            ("skip", "Keep mine: skip those days in the file"),
            (
                "fill",
                "Fill only empty fields: keep what I logged, add the file's values where I "
                "logged nothing",
            ),
            (
                "overwrite",
                "Replace mine with the file's values (what the file doesn't give stays as I "
                "logged it)",
            ),
        ],
        initial="skip",
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args, extraction: importers.Extraction, existing: str | None = None, **kwargs
    ) -> None:
        """existing: the choice made on the upload form, offered first here."""
        super().__init__(*args, **kwargs)
        if existing in dict(self.fields["existing"].choices):
            self.fields["existing"].initial = existing
        self.fields.update(importers.SOURCES[extraction.source].choice_fields(extraction))

    @property
    def choices(self) -> dict:
        """The choices: as posted once valid, or else as first offered."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {name: field.initial for name, field in self.fields.items()}


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
