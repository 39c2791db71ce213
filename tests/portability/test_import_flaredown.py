"""Importing Flaredown's long CSV: conditions to flare severity, Fatigue and Stress to their
measures, other symptoms ticked (catalogue or the person's own), treatments to medications,
tags to the note; a file of several people asks whose rows; bad rows refused by line."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.pages import words
from tests.portability.importer_files import (
    HYPOTHESIS,
    PREVIEW,
    flaredown_csv,
    import_whole_or_refuse_whole,
    mostly,
    upload,
)
from tracker.models import DailyEntry, Medication, Symptom

pytestmark = pytest.mark.usefixtures("clock")

FILE = flaredown_csv(
    ("2026-11-01", "Condition", "Rheumatoid arthritis", "2"),
    ("2026-11-01", "Condition", "Fibromyalgia", "3"),
    ("2026-11-01", "Symptom", "Fatigue", "4"),
    ("2026-11-01", "Symptom", "joint PAIN", "1"),
    ("2026-11-01", "Symptom", "Jaw clicking", "2"),
    ("2026-11-01", "Symptom", "Nausea", "0"),
    ("2026-11-01", "Treatment", "Methotrexate", "15 mg"),
    ("2026-11-01", "Tag", "travel", ""),
    ("2026-11-01", "Tag", "rain", ""),
    ("2026-11-02", "Condition", "Rheumatoid arthritis", "0"),
    ("2026-11-02", "Symptom", "Stress", "1"),
    ("2026-11-02", "Treatment", "Methotrexate", "20 mg"),
    ("2026-11-02", "Treatment", "Ibuprofen", "400 mg"),
    ("2026-11-02", "Food", "Toast", ""),
    ("2026-11-03", "Treatment", "Methotrexate", "20 mg"),
    ("2026-11-03", "Weather", "icon", "rain"),
)


def test_flaredowns_trackables_map_onto_days_and_medications(signed_in, user):
    upload(signed_in, FILE)
    preview = words(signed_in.get(PREVIEW))
    assert "2 days, from 1 November 2026 to 2 November 2026, and 2 medications" in preview
    assert "Symptom: Joint pain; Symptom: Jaw clicking" in preview
    assert "Food (1): Hearth has no field for it." in preview

    signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    days = {
        entry.day.isoformat(): (
            entry.flare_severity,
            entry.fatigue,
            entry.stress,
            sorted(symptom.name for symptom in entry.symptoms.all()),
            entry.notes,
        )
        for entry in DailyEntry.objects.filter(user=user)
    }
    assert days == {
        "2026-11-01": (8, 10, None, ["Jaw clicking", "Joint pain"], "Flaredown tags: travel, rain"),
        "2026-11-02": (0, None, 3, [], ""),
    }
    assert Symptom.objects.get(name="Jaw clicking").owner == user
    assert Symptom.objects.get(name="Joint pain").owner is None  # the catalogue's, not a copy
    medications = {
        m.name: (m.dose, m.started, m.stopped) for m in Medication.objects.for_user(user)
    }
    assert medications == {
        "Methotrexate": ("20 mg", datetime.date(2026, 11, 1), None),
        "Ibuprofen": ("400 mg", datetime.date(2026, 11, 2), datetime.date(2026, 11, 2)),
    }


def test_a_file_of_several_people_asks_whose_rows_to_import(signed_in, user):
    content = flaredown_csv(
        ("aaa", "2026-11-01", "Condition", "Lupus", "4"),
        ("bbb", "2026-11-02", "Condition", "Lupus", "1"),
        ("bbb", "2026-11-03", "Condition", "Lupus", "2"),
    )
    upload(signed_in, content)
    assert "user_id aaa (1 rows)" in words(signed_in.get(PREVIEW))

    signed_in.post(PREVIEW, {"existing": "skip", "person": "aaa", "import": ""})

    assert list(DailyEntry.objects.values_list("day", "flare_severity")) == [
        (datetime.date(2026, 11, 1), 10)
    ]


def test_the_research_dataset_of_many_people_is_refused(signed_in, monkeypatch):
    from portability.importers import flaredown

    monkeypatch.setattr(flaredown, "MAX_PEOPLE", 2)
    content = flaredown_csv(*((p, "2026-11-01", "Condition", "Lupus", "1") for p in "abc"))

    text = words(upload(signed_in, content))

    assert "Line 4 This file holds more than 2 people's check-ins." in text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2026-11-02", "Symptom", "Fatigue", "5"), "Line 3 The rating “5” of Fatigue is not 0"),
        (("2026-11-02", "Condition", "Lupus", "high"), "Line 3 The rating “high” of Lupus"),
        (("02/11/2026", "Condition", "Lupus", "1"), "Line 3 “02/11/2026” is not a date"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_its_line(signed_in, row, message):
    content = flaredown_csv(("2026-11-01", "Condition", "Lupus", "1"), row)

    assert message in words(upload(signed_in, content))
    assert not DailyEntry.objects.exists() and not Medication.objects.exists()


def test_a_day_in_the_future_is_named_and_nothing_is_saved(signed_in):
    upload(
        signed_in,
        flaredown_csv(
            ("2026-11-01", "Condition", "Lupus", "1"),
            ("2026-11-01", "Treatment", "Prednisolone", "5 mg"),
            ("2027-02-01", "Condition", "Lupus", "1"),
        ),
    )

    text = words(signed_in.post(PREVIEW, {"existing": "skip", "import": ""}))

    assert "2027-02-01 (Line 4)" in text
    assert not DailyEntry.objects.exists() and not Medication.objects.exists()


@HYPOTHESIS
@given(
    rows=st.lists(
        st.tuples(
            mostly(["2026-11-01", "2026-11-02"], ["2027-01-01", "x"]),
            st.sampled_from(["Condition", "Symptom", "Treatment", "Tag", "Food", ""]),
            mostly(["Lupus", "Fatigue", "Stress", "Headache"], ["", "x" * 200]),
            mostly(["", "0", "2", "4"], ["5", "1 x 5 mg"]),
        ),
        max_size=8,
    )
)
def test_any_flaredown_file_is_imported_whole_or_refused_whole(user, rows):
    import_whole_or_refuse_whole(user, "flaredown", flaredown_csv(*rows))
