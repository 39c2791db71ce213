"""tracker.days: one parser for a day named in text, and the same reason for a refusal on the
log page, in the API and in a file to import."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import TODAY
from tests.pages import words
from tracker.days import parse_day, read_day
from tracker.models import DailyEntry

NOT_A_DATE = "“{}” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."
IN_THE_FUTURE = "{} hasn't happened yet. You can log today or any earlier day."
TOO_EARLY = "{} is too early: Hearth keeps days from 1900 on."
REFUSED = [
    ("2026-02-30", NOT_A_DATE.format("2026-02-30")),
    ("2026-11-26", IN_THE_FUTURE.format("2026-11-26")),
    ("1899-12-31", TOO_EARLY.format("1899-12-31")),
]

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize("text", ["2026-11-25", "2026-11-24", "1900-01-01", "2024-02-29"])
def test_a_day_from_1900_to_today_is_read(text):
    assert parse_day(text, TODAY) == datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (None, "required", "Which day is this? The day is missing."),
        ("", "required", "Which day is this? The day is missing."),
        ("2026-02-30", "invalid", NOT_A_DATE.format("2026-02-30")),
        ("2026-13-01", "invalid", NOT_A_DATE.format("2026-13-01")),
        ("20261124", "invalid", NOT_A_DATE.format("20261124")),
        ("2026-W48-3", "invalid", NOT_A_DATE.format("2026-W48-3")),
        (" 2026-11-24", "invalid", NOT_A_DATE.format(" 2026-11-24")),
        ("yesterday", "invalid", NOT_A_DATE.format("yesterday")),
        ("2026-11-26", "future", IN_THE_FUTURE.format("2026-11-26")),
        ("1899-12-31", "too_early", TOO_EARLY.format("1899-12-31")),
        ("0001-01-01", "too_early", TOO_EARLY.format("0001-01-01")),
    ],
)
def test_a_day_that_cannot_be_logged_is_refused_with_its_reason(text, code, message):
    with pytest.raises(ValidationError) as refused:
        parse_day(text, TODAY)

    assert refused.value.code == code
    assert refused.value.messages == [message]


def test_today_is_the_one_given():
    # A person ahead of UTC may already be on the next day.
    tomorrow = TODAY + datetime.timedelta(days=1)

    assert parse_day(tomorrow.isoformat(), tomorrow) == tomorrow


def test_reading_a_day_does_not_ask_whether_it_can_be_logged():
    assert read_day("2099-01-01") == datetime.date(2099, 1, 1)
    assert read_day("1899-12-31") == datetime.date(1899, 12, 31)


@pytest.mark.parametrize(("day", "message"), REFUSED)
def test_the_log_page_the_api_and_an_import_give_the_same_reason(signed_in, day, message):
    page = signed_in.get(f"/log/{day}/", follow=True)
    api = signed_in.get(f"/api/v1/entries/{day}/")
    imported = signed_in.post(
        "/account/data/import/",
        {
            "file": SimpleUploadedFile("days.csv", f"day,stress\r\n{day},3\r\n".encode()),
            "existing": "skip",
        },
        follow=True,
    )

    assert [str(shown) for shown in page.context["messages"]] == [message]
    assert api.status_code == 400
    assert api.json() == {"errors": {"day": [message]}}
    assert f"Line 2 {message}" in words(imported)
    assert not DailyEntry.objects.exists()
