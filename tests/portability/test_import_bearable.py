"""Importing Bearable's CSV export: sleep hours, sleep quality and energy (inverted onto
fatigue) on the scales the preview asks about, symptoms ticked by name, readings of one day
averaged, and bad rows refused by line."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.pages import words
from tests.portability.importer_files import (
    HYPOTHESIS,
    PREVIEW,
    bearable_csv,
    import_whole_or_refuse_whole,
    mostly,
    upload,
)
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")

FILE = bearable_csv(
    ("2026-11-01", "Sleep", "7:30", "Asleep 23:30 - 07:00"),
    ("2026-11-01", "Sleep quality", "4", "good"),
    ("2026-11-01", "Energy", "2", "low"),
    ("2026-11-01", "Energy", "3", "ok"),
    ("2026-11-01", "Symptom", "2", "Headache (Mild)"),
    ("2026-11-01", "Symptom", "3", "Jaw clicking (Severe)"),
    ("2026-11-02", "Energy", "5", "v. high"),
    ("2026-11-02", "Mood", "4", "good"),
    ("2026-11-02", "Nutrition", "", "Meals: toast"),
)


def saved(user) -> dict:
    return {
        entry.day.isoformat(): (
            entry.sleep_hours,
            entry.sleep_quality,
            entry.fatigue,
            sorted(symptom.name for symptom in entry.symptoms.all()),
        )
        for entry in DailyEntry.objects.filter(user=user)
    }


@pytest.mark.parametrize(
    ("scales", "expected_quality", "expected_fatigue"),
    [
        ({}, 4, (6, 0)),  # energy 2.5 of 1-5 is fatigue 6 (6.25); 5 of 1-5 is fatigue 0
        ({"sleep_quality_scale": "1-4", "energy_scale": "1-10"}, 5, (8, 6)),
    ],
)
def test_ratings_map_from_the_scale_the_person_chooses(
    signed_in, user, scales, expected_quality, expected_fatigue
):
    upload(signed_in, FILE)
    form = {"existing": "skip", "sleep_quality_scale": "1-5", "energy_scale": "1-5", **scales}

    signed_in.post(PREVIEW, {**form, "import": ""})

    assert saved(user) == {
        "2026-11-01": (
            Decimal("7.50"),
            expected_quality,
            expected_fatigue[0],
            ["Headache", "Jaw clicking"],
        ),
        "2026-11-02": (None, None, expected_fatigue[1], []),
    }


def test_the_preview_says_the_scales_it_assumes_and_what_is_left_out(signed_in):
    upload(signed_in, FILE)

    text = words(signed_in.get(PREVIEW))

    assert "Bearable's sleep quality ratings run from" in text
    assert "Bearable's energy ratings run from" in text
    assert "Mood (1): Hearth has no field for it." in text
    assert "Nutrition (1)" in text
    assert "Sun 1 Nov 2026Hours slept: 7.50 hours; Sleep quality: Good; Fatigue: 6" in text


def test_a_rating_off_the_chosen_scale_names_its_day_and_nothing_is_saved(signed_in):
    upload(signed_in, bearable_csv(("2026-11-01", "Sleep quality", "9", "")))

    text = words(
        signed_in.post(PREVIEW, {"existing": "skip", "sleep_quality_scale": "1-5", "import": ""})
    )

    assert "2026-11-01 (Line 2)" in text
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            bearable_csv(("2026-11-01", "Sleep", "lots", "")),
            "Line 2 The sleep “lots” is not a number.",
        ),
        (
            bearable_csv(("2026-11-01", "Energy", "nan", "")),
            "Line 2 The Energy “nan” is not a number.",
        ),
        (
            bearable_csv(("2026-11-01", "Energy", "3", ""), ("yesterday", "Energy", "3", "")),
            "Line 3 “yesterday” is not a date",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_its_line(signed_in, content, message):
    assert message in words(upload(signed_in, content))
    assert not DailyEntry.objects.exists()


@HYPOTHESIS
@given(
    rows=st.lists(
        st.tuples(
            mostly(["2026-11-01", "2026-11-02"], ["2027-01-01", "x"]),
            st.sampled_from(["Sleep", "Sleep quality", "Energy", "Symptom", "Mood"]),
            mostly(["3", "5", "7:45"], ["", "0", "30", "-1", "abc"]),
            st.sampled_from(["", "Headache (Mild)", "(Severe)", "Fatigue"]),
        ),
        max_size=8,
    ),
    scale=st.sampled_from(["1-5", "1-4", "1-10", "0-10"]),
)
def test_any_bearable_file_is_imported_whole_or_refused_whole(user, rows, scale):
    choices = {"sleep_quality_scale": scale, "energy_scale": scale}

    import_whole_or_refuse_whole(user, "bearable", bearable_csv(*rows), choices)
