"""Importing drip's CSV export: sex.solo/sex.partner, desire, the note and headaches mapped,
mood.stressed and the cycle columns left out and said so, bad rows refused by line."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.pages import words
from tests.portability.importer_files import (
    HYPOTHESIS,
    PREVIEW,
    drip_csv,
    drip_row,
    import_whole_or_refuse_whole,
    mostly,
    upload,
)
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")


def saved(user) -> dict:
    return {
        entry.day.isoformat(): (
            entry.sexual_activity,
            entry.libido,
            entry.notes,
            [symptom.name for symptom in entry.symptoms.all()],
            entry.stress,
        )
        for entry in DailyEntry.objects.filter(user=user)
    }


def test_drips_columns_map_onto_the_days_and_the_rest_is_listed_as_left_out(signed_in, user):
    content = drip_csv(
        drip_row("2026-11-01", sex_solo="true", desire_value="0", note_value="quiet day"),
        drip_row("2026-11-02", sex_partner="true", desire_value="2", pain_headache="true"),
        drip_row("2026-11-03", sex_solo="true", sex_partner="true", desire_value="1"),
        drip_row("2026-11-04", mood_stressed="true", bleeding_value="2", temperature_value="36.5"),
        drip_row("2026-11-05", sex_condom="true", sex_partner="true"),
    )

    response = upload(signed_in, content, name="export.txt")
    assert response["Location"] == PREVIEW
    preview = words(signed_in.get(PREVIEW))
    assert "4 days, from 1 November 2026 to 5 November 2026" in preview
    assert "Cycle columns (temperature, bleeding, mucus, cervix) (2): Kept for cycle context" in (
        preview
    )
    assert "mood.stressed (1): It says stressed, not how much" in preview
    assert "Contraception and the sex note (1)" in preview
    signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    assert saved(user) == {
        "2026-11-01": ("solo", 1, "quiet day", [], None),
        "2026-11-02": ("partnered", 5, "", ["Headache"], None),
        "2026-11-03": ("both", 3, "", [], None),
        "2026-11-05": ("partnered", None, "", [], None),
    }


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (
            drip_csv(drip_row("2026-11-01"), drip_row("01.11.2026", sex_solo="true")),
            "Line 3",
            "“01.11.2026” is not a date such as 2024-01-31.",
        ),
        (
            drip_csv(drip_row("2026-11-01", sex_solo="maybe")),
            "Line 2",
            "sex.solo is “maybe”, not true or false.",
        ),
        (
            drip_csv(drip_row("2026-11-01", desire_value="7")),
            "Line 2",
            "desire.value is “7”; drip's are 0, 1 and 2.",
        ),
        (
            drip_csv(drip_row("2026-11-01", sex_solo="true"), drip_row("2026-11-01")),
            "Line 3",
            "The day 2026-11-01 is in the file twice (also on line 2).",
        ),
        (
            drip_csv(drip_row("2026-11-01", note_value="caf\u00e9")).replace(
                "café".encode(), "café".encode("latin-1")
            ),
            "Line 2",
            "This is not UTF-8 text.",
        ),
        (
            drip_csv(drip_row("2026-11-01", sex_solo="true")) + b"2026-11-02,true\n",
            "Line 3",
            "This line has 2 values, but the first line names 49 columns.",
        ),
    ],
    ids=["date", "flag", "desire", "twice", "encoding", "short-row"],
)
def test_a_bad_row_refuses_the_whole_file_naming_its_line(signed_in, content, where, message):
    response = upload(signed_in, content)

    text = words(response)
    assert f"{where} {message}" in text
    assert not DailyEntry.objects.exists()


def test_a_note_too_long_and_a_day_in_the_future_are_named_and_nothing_is_saved(signed_in):
    upload(
        signed_in,
        drip_csv(
            drip_row("2026-11-01", sex_solo="true"),
            drip_row("2026-11-02", note_value="x" * 2001),
            drip_row("2026-12-24", sex_solo="true"),
        ),
    )

    text = words(signed_in.post(PREVIEW, {"existing": "skip", "import": ""}))

    assert "2026-11-02 (Line 3)" in text and "2026-12-24 (Line 4)" in text
    assert not DailyEntry.objects.exists()


FLAGS = mostly(["", "true", "false", "TRUE"], ["maybe"])


@HYPOTHESIS
@given(
    rows=st.lists(
        st.builds(
            drip_row,
            mostly(["2026-11-01", "2026-11-02", "2026-11-20"], ["2027-01-01", "nope"]),
            sex_solo=FLAGS,
            sex_partner=FLAGS,
            desire_value=mostly(["", "0", "1", "2"], ["3", "x"]),
            note_value=st.text(max_size=20),
            pain_headache=FLAGS,
        ),
        max_size=6,
        unique_by=lambda row: row["date"],
    )
)
def test_any_drip_file_is_imported_whole_or_refused_whole(user, rows):
    plan = import_whole_or_refuse_whole(user, "drip", drip_csv(*rows))

    if plan:
        assert all(row.day <= datetime.date(2026, 11, 25) for row in plan.days)
