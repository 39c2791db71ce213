"""Importing Flaredown's wide personal export: the preview asks which rated columns are
conditions (guessing from Hearth's list), the rest are symptoms, text columns are treatments."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.pages import words
from tests.portability.importer_files import (
    HYPOTHESIS,
    PREVIEW,
    flaredown_wide_csv,
    import_whole_or_refuse_whole,
    mostly,
    upload,
)
from tracker.models import DailyEntry, Medication

pytestmark = pytest.mark.usefixtures("clock")

COLUMNS = ["Lupus", "Costochondritis", "Fatigue", "Headache", "Plaquenil"]
FILE = flaredown_wide_csv(
    COLUMNS,
    ["2026-11-01", "2", "3", "1", "2", "200 mg", "rain; travel", "toast"],
    ["2026-11-02", "0", "", "4", "0", "400 mg", "", ""],
)


def saved(user) -> dict:
    return {
        entry.day.isoformat(): (
            entry.flare_severity,
            entry.fatigue,
            sorted(symptom.name for symptom in entry.symptoms.all()),
            entry.notes,
        )
        for entry in DailyEntry.objects.filter(user=user)
    }


def test_the_preview_guesses_conditions_from_hearths_list_and_imports(signed_in, user):
    assert upload(signed_in, FILE)["Location"] == PREVIEW
    page = signed_in.get(PREVIEW).content.decode()
    assert 'value="Lupus" id="id_conditions_0" checked' in page
    assert 'value="Costochondritis" id="id_conditions_1" checked' not in page

    signed_in.post(PREVIEW, {"existing": "skip", "conditions": ["Lupus"], "import": ""})

    assert saved(user) == {
        "2026-11-01": (5, 3, ["Costochondritis", "Headache"], "Flaredown tags: rain, travel"),
        "2026-11-02": (0, 10, [], ""),
    }
    medication = Medication.objects.get(user=user)
    assert (medication.name, medication.dose, medication.started, medication.stopped) == (
        "Plaquenil",
        "400 mg",
        datetime.date(2026, 11, 1),
        None,
    )


def test_ticking_another_column_as_a_condition_changes_the_flare(signed_in, user):
    upload(signed_in, FILE)

    signed_in.post(
        PREVIEW,
        {"existing": "skip", "conditions": ["Lupus", "Costochondritis"], "import": ""},
    )

    assert saved(user)["2026-11-01"][0] == 8


def test_a_rating_off_the_scale_is_refused_naming_its_line(signed_in):
    content = flaredown_wide_csv(
        ["Lupus"], ["2026-11-01", "1", "", ""], ["2026-11-02", "7", "", ""]
    )

    assert "Line 3 The rating “7” of Lupus is not 0 to 4." in words(upload(signed_in, content))
    assert not DailyEntry.objects.exists()


def test_a_day_given_twice_is_refused_naming_its_line(signed_in):
    content = flaredown_wide_csv(
        ["Lupus"], ["2026-11-01", "1", "", ""], ["2026-11-01", "2", "", ""]
    )

    assert "Line 3 The day 2026-11-01 is in the file twice." in words(upload(signed_in, content))
    assert not DailyEntry.objects.exists()


@HYPOTHESIS
@given(
    rows=st.lists(
        st.tuples(
            mostly(["2026-11-01", "2026-11-02", "2026-11-03"], ["2027-01-01", "bad"]),
            mostly(["", "0", "3", "4"], ["9", "5 mg"]),
            mostly(["", "1"], ["x" * 300]),
            st.sampled_from(["", "a;b", ";;"]),
        ),
        max_size=6,
        unique_by=lambda row: row[0],
    ),
    conditions=st.sampled_from([[], ["Lupus"], ["Lupus", "Fatigue"]]),
)
def test_any_wide_file_is_imported_whole_or_refused_whole(user, rows, conditions):
    content = flaredown_wide_csv(["Lupus", "Fatigue"], *([*row, ""] for row in rows))

    import_whole_or_refuse_whole(user, "flaredown_wide", content, {"conditions": conditions})
