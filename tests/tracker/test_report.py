"""The clinician report, /report/: its period, what it lists, and what is left out unless asked."""

import datetime
import json
import re

import pytest

from accounts.models import Condition
from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, MedicationFactory
from tests.pages import page, trend_data, words
from tracker.models import IntimacyBarrier

ONE_DAY = datetime.timedelta(days=1)
FLARE_NOTE = "Knees hot and swollen, could not open jars"
QUIET_NOTE = "A quiet day reading at home"
OTHER_PERSONS_NOTE = "Grace's own flare note"


pytestmark = pytest.mark.usefixtures("clock")


def field_block(response, name: str) -> str:
    """The form field called `name`: its label, help, errors and input."""
    return re.search(
        rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?<input[^>]*name="{name}"[^>]*>',
        page(response),
        flags=re.S,
    )[0]


def table_rows(response, heading_id: str) -> list[list[str]]:
    """The body rows of the table in the report section labelled by `heading_id`, as text."""
    section = re.search(
        rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page(response), flags=re.S
    )[1]
    body = re.search(r"<tbody>(.*?)</tbody>", section, flags=re.S)
    if body is None:
        return []
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body[1], flags=re.S)
    ]


@pytest.fixture
def flare_days(user, other_user):
    """Two flare episodes with notes, a quiet day with a note, and another person's flare."""
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 2), flare_severity=6, notes=FLARE_NOTE)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 3), flare_severity=8)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 4), flare_severity=2, notes=QUIET_NOTE)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20), flare_severity=5)
    DailyEntryFactory(
        user=other_user,
        day=datetime.date(2026, 11, 2),
        flare_severity=10,
        notes=OTHER_PERSONS_NOTE,
    )


@pytest.fixture
def intimate_days(user):
    body_image = IntimacyBarrier.objects.get(slug="body-image")
    mood = IntimacyBarrier.objects.get(slug="mood-anxiety")
    DailyEntryFactory(
        user=user, day=TODAY, sexual_activity="partnered", libido=4, physical_affection=True
    ).intimacy_barriers.set([body_image, mood])
    DailyEntryFactory(user=user, day=TODAY - ONE_DAY, sexual_activity="solo", libido=2)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/report/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_report_covers_the_last_90_days_by_default(signed_in):
    response = signed_in.get("/report/")

    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start, period.end) == (datetime.date(2026, 8, 28), TODAY)
    assert "28 August 2026 to 25 November 2026 (90 days)" in words(response)
    assert 'value="2026-08-28"' in field_block(response, "start")
    assert 'value="2026-11-25"' in field_block(response, "end")


def test_the_report_covers_the_dates_asked_for(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 10, 5), stress=7)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 5), stress=1)

    response = signed_in.get("/report/?start=2026-10-01&end=2026-10-31")

    assert "1 October 2026 to 31 October 2026 (31 days)" in words(response)
    assert trend_data(response)["series"]["measures"]["stress"]["values"][4] == 7.0
    assert "1 of 31 days logged (3%)" in words(response)


def test_the_clinician_notice_is_on_the_report(signed_in):
    assert "consult your clinician" in page(signed_in.get("/report/"))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-10-10&end=2026-10-01", "end", "The end date is before the start date."),
        ("start=2026-02-30&end=2026-03-10", "start", "Enter a valid date."),
        ("start=2026-03-01&end=soon", "end", "Enter a valid date."),
        ("start=2026-12-01&end=2026-12-31", "start", "That range starts after today"),
    ],
)
def test_dates_that_cannot_be_used_are_explained_next_to_the_field(
    signed_in, query, field, message
):
    response = signed_in.get(f"/report/?{query}")

    assert response.status_code == 200
    block = field_block(response, field)
    assert "field--invalid" in block
    assert message in block
    # The person's own values are kept so they can correct them.
    given = dict(pair.split("=") for pair in query.split("&"))
    assert f'value="{given[field]}"' in block
    period = response.context["period"]
    assert (period.start, period.end) == (datetime.date(2026, 8, 28), TODAY)


def test_a_report_starting_before_1900_is_refused_with_a_message(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY)

    response = signed_in.get("/report/?start=0001-01-01&end=2026-11-25")

    assert response.status_code == 200
    assert "Choose a start date in 1900 or later." in page(response)
    period = response.context["period"]
    assert (period.start, period.end) == (datetime.date(2026, 8, 28), TODAY)


def test_conditions_from_the_profile_are_listed(signed_in, user):
    user.conditions.set(Condition.objects.filter(slug__in=["lupus", "other"]))
    user.other_condition = "Behçet's disease"
    user.save()

    assert "Conditions Lupus (SLE), Behçet's disease" in words(signed_in.get("/report/"))


def test_a_person_with_no_conditions_is_told_none_are_recorded(signed_in):
    assert "Conditions None recorded in the profile." in words(signed_in.get("/report/"))


def test_medications_taken_in_the_period_are_listed(signed_in, user, other_user):
    MedicationFactory(user=user, name="Methotrexate", dose="15 mg weekly", started="2026-10-01")
    MedicationFactory(
        user=user, name="Prednisolone", dose="", started="2026-09-01", stopped="2026-09-20"
    )
    MedicationFactory(user=user, name="Naproxen", started="2026-01-01", stopped="2026-03-01")
    MedicationFactory(user=other_user, name="Adalimumab", started="2026-10-01")

    response = signed_in.get("/report/")

    assert table_rows(response, "report-medications") == [
        ["Prednisolone", "–", "1 Sep 2026", "20 Sep 2026"],  # noqa: RUF001 (the page's dash)
        ["Methotrexate", "15 mg weekly", "1 Oct 2026", "ongoing"],
    ]
    assert "Naproxen" not in page(response)
    assert "Adalimumab" not in page(response)


def test_flare_episodes_are_listed_with_their_highest_severity(signed_in, flare_days):
    response = signed_in.get("/report/")

    assert table_rows(response, "report-episodes") == [
        ["2 Nov 2026", "3 Nov 2026", "2", "8/10"],
        ["20 Nov 2026", "20 Nov 2026", "1", "5/10"],
    ]
    assert "Flare days (severity 5 or more out of 10): 3." in words(response)


def test_a_period_without_flares_says_so(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, flare_severity=4)

    assert "No days with flare severity 5 or more." in page(signed_in.get("/report/"))


def test_notes_are_left_out_unless_asked_for(signed_in, flare_days):
    response = signed_in.get("/report/?start=2026-11-01&end=2026-11-25")

    assert FLARE_NOTE not in page(response)
    assert QUIET_NOTE not in page(response)
    assert "Notes from flare days" not in page(response)


def test_notes_from_flare_days_are_included_when_asked_for(signed_in, flare_days):
    response = signed_in.get("/report/?start=2026-11-01&end=2026-11-25&include_notes=on")

    text = words(response)
    assert f"Notes from flare days Mon 2 Nov 2026 (flare 6/10) {FLARE_NOTE}" in text
    # Only flare days' notes: a quiet day's note stays private.
    assert QUIET_NOTE not in text


def test_another_persons_notes_never_appear(signed_in, flare_days):
    response = signed_in.get(
        "/report/?start=2026-11-01&end=2026-11-25&include_notes=on&include_intimacy=on"
    )

    assert OTHER_PERSONS_NOTE not in page(response)
    assert "10/10" not in page(response)


@pytest.mark.parametrize(
    "dates", ["start=2026-09-01&end=2026-11-25", "start=2024-09-01&end=2026-11-25"]
)
def test_intimacy_details_are_left_out_unless_asked_for(signed_in, intimate_days, dates):
    response = signed_in.get(f"/report/?{dates}")

    text = page(response)
    assert 'id="report-intimacy"' not in text
    assert "Days with sexual activity" not in text
    assert "body image" not in text.lower()
    assert "mood or anxiety" not in text.lower()
    assert '<th scope="row">Desire' not in text
    data = trend_data(response)
    assert "intimacy" not in data["series"]
    assert "partnered" not in json.dumps(data)
    assert 'data-chart="intimacy"' not in text


@pytest.mark.parametrize(
    "dates", ["start=2026-09-01&end=2026-11-25", "start=2024-09-01&end=2026-11-25"]
)
def test_intimacy_details_are_included_when_asked_for(signed_in, intimate_days, dates):
    response = signed_in.get(f"/report/?{dates}&include_intimacy=on")

    text = words(response)
    assert (
        "Intimacy Days with sexual activity: 2 (solo 1, with a partner 1, both 0). "
        "Days with physical affection: 1." in text
    )
    assert "What held intimacy back: body image (1), mood or anxiety (1)." in text
    assert "Desire (on the 1-5 scale) 3.0" in text
    assert "intimacy" in trend_data(response)["series"]
    assert 'data-chart="intimacy"' in page(response)


def test_the_notes_and_intimacy_choices_stay_ticked(signed_in):
    response = signed_in.get(
        "/report/?start=2026-11-01&end=2026-11-25&include_notes=on&include_intimacy=on"
    )

    for name in ["include_notes", "include_intimacy"]:
        checkbox = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page(response))[0]
        assert " checked" in checkbox, name
