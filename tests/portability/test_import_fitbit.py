"""Importing Fitbit's (Google's) sleep logs: each main sleep's minutes asleep become the hours
slept of its dateOfSleep, to the quarter hour; naps and repeated logs are left out; anything
unreadable refuses the whole file."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portability import importers
from tests.pages import words
from tests.portability.importer_files import (
    HYPOTHESIS,
    PREVIEW,
    fitbit_log,
    fitbit_sleep,
    import_whole_or_refuse_whole,
    mostly,
    upload,
)
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")


def sleep_of(content: bytes, user) -> dict[str, str]:
    extraction = importers.read("fitbit", io.BytesIO(content), user)
    return {day: readings["sleep_hours"] for day, readings in extraction.days.items()}


def test_main_sleeps_give_their_minutes_asleep_to_their_date_to_the_quarter_hour(user):
    content = fitbit_sleep(
        fitbit_log(1, "2026-11-10", 427),  # 7.12 hours
        fitbit_log(2, "2026-11-11", 428),  # 7.13 hours
        fitbit_log(3, "2026-11-11", 55, main=False),  # a nap
        fitbit_log(1, "2026-11-10", 427),  # the same log again
    )

    assert sleep_of(content, user) == {"2026-11-10": "7.00", "2026-11-11": "7.25"}


def test_a_fitbit_file_is_told_from_its_content_not_its_name(signed_in, user):
    content = fitbit_sleep(fitbit_log(1, "2026-11-10", 420), fitbit_log(9, "2026-11-10", 30, False))

    response = upload(signed_in, content, name="whatever.txt")
    assert response["Location"] == PREVIEW
    preview = words(signed_in.get(PREVIEW))
    assert "From Fitbit or Google sleep logs" in preview
    assert "Naps (not the main sleep) (1): Hearth logs the night." in preview
    signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    entry = DailyEntry.objects.get(user=user)
    assert (entry.day, entry.sleep_hours) == (datetime.date(2026, 11, 10), Decimal(7))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"dateOfSleep": "2026-11-10", "minutesAsleep": 400', "Line 1"),
        (
            fitbit_sleep({**fitbit_log(1, "2026-11-10", 400), "dateOfSleep": "10/11/2026"}),
            "Sleep log 1 Its dateOfSleep “10/11/2026” is not a date.",
        ),
        (
            fitbit_sleep(
                fitbit_log(1, "2026-11-10", 400),
                {**fitbit_log(2, "2026-11-11", 0), "minutesAsleep": "lots"},
            ),
            "Sleep log 2 Its minutesAsleep “lots” is not a number.",
        ),
        (
            fitbit_sleep(fitbit_log(1, "2026-11-10", 400)).replace(
                b"2026", "2026\u00e9".encode("latin-1")
            ),
            "This file is not UTF-8 text",
        ),
        (b'{"dateOfSleep": "2026-11-10"}', "Choose a .json file exported from Hearth"),
    ],
    ids=["cut-short", "bad-date", "not-a-number", "not-utf-8", "not-a-list"],
)
def test_a_file_that_cant_be_read_is_refused_and_says_where(signed_in, content, message):
    response = upload(signed_in, content)
    if response.status_code == 302:  # the file looked right: the preview says what is wrong
        response = signed_in.get(PREVIEW)

    assert message in words(response)
    assert not DailyEntry.objects.exists()


def test_a_log_longer_than_a_day_is_refused_naming_it(signed_in):
    content = fitbit_sleep(fitbit_log(1, "2026-11-10", 400), fitbit_log(2, "2026-11-11", 1500))

    text = words(upload(signed_in, content))

    assert "Sleep log 2 Its minutesAsleep, 1500, is not between 0 and 1440." in text
    assert not DailyEntry.objects.exists()


def test_main_sleeps_adding_up_to_more_than_a_day_name_the_day_and_nothing_is_saved(signed_in):
    upload(
        signed_in,
        fitbit_sleep(
            fitbit_log(1, "2026-11-10", 400),
            fitbit_log(2, "2026-11-11", 800),
            fitbit_log(3, "2026-11-11", 800),
        ),
    )

    response = signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    text = words(response)
    assert "2026-11-11 (Sleep log 2 (2026-11-11))" in text
    assert "Hours slept" in text
    assert not DailyEntry.objects.exists()


def test_a_day_in_the_future_is_named_and_nothing_is_imported(signed_in):
    upload(
        signed_in, fitbit_sleep(fitbit_log(1, "2026-11-10", 400), fitbit_log(2, "2027-01-01", 400))
    )

    response = signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    assert "2027-01-01 (Sleep log 2 (2027-01-01))" in words(response)
    assert not DailyEntry.objects.exists()


@HYPOTHESIS
@given(
    logs=st.lists(
        st.fixed_dictionaries(
            {
                "logId": st.integers(1, 6),
                "dateOfSleep": mostly(["2026-11-01", "2026-11-02"], ["2026-11-30", "x"]),
                "minutesAsleep": st.one_of(
                    st.integers(0, 900), st.integers(-5, 1600), st.floats(), st.text(max_size=3)
                ),
                "isMainSleep": st.one_of(st.booleans(), st.none()),
            }
        ),
        max_size=8,
    )
)
def test_any_sleep_file_is_imported_whole_or_refused_whole(user, logs):
    plan = import_whole_or_refuse_whole(user, "fitbit", json.dumps(logs).encode())

    if plan:
        saved = {e.day: e.sleep_hours for e in DailyEntry.objects.filter(user=user)}
        assert saved == {row.day: row.values["sleep_hours"] for row in plan.days}
