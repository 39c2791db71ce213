"""The log form forgives mistakes: hours with a decimal comma, text over a limit refused (never
cut) with the limit named, an empty save refused, errors gathered in a summary that links to
each field, and a typed symptom made only when the day is saved."""

import datetime
import re

import pytest

from tests.conftest import TODAY
from tests.factories import DailyEntryFactory
from tests.pages import page, words
from tracker.models import DailyEntry, EmptyDay, Symptom

EMPTY_DAY_MESSAGE = str(EmptyDay())


pytestmark = pytest.mark.usefixtures("clock")


def error_summary(response) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', page(response), flags=re.S)
    assert found, "no error summary on the page"
    return found[0]


def summary_links(response) -> dict[str, str]:
    """The summary's links: the field each leads to (#id) -> its message."""
    return dict(re.findall(r'<a href="#([^"]+)">([^<]*)</a>', error_summary(response)))


# Hours slept


@pytest.mark.parametrize(("typed", "stored"), [("7,5", "7.50"), ("6,25", "6.25"), (" 8 ", "8.00")])
def test_hours_with_a_decimal_comma_are_read_as_a_decimal_point(signed_in, user, typed, stored):
    response = signed_in.post("/log/", {"sleep_hours": typed})

    assert response.status_code == 302
    assert str(DailyEntry.objects.get(user=user).sleep_hours) == stored


def test_the_hours_box_is_text_so_the_browser_cannot_read_a_comma_as_thousands(signed_in):
    box = re.search(r'<input[^>]*name="sleep_hours"[^>]*>', page(signed_in.get("/log/")))[0]

    assert 'type="text"' in box
    assert 'inputmode="decimal"' in box


def test_the_hours_help_lists_the_quarter_hours(signed_in):
    assert "in quarter hours: 6, 6.25, 6.5, 6.75." in words(signed_in.get("/log/"))


# Limits: refused with the limit named, never cut


def test_notes_over_the_limit_are_refused_naming_the_limit_and_kept_whole(signed_in):
    notes = "a" * 3000

    response = signed_in.post("/log/", {"stress": "4", "notes": notes})

    assert response.status_code == 200
    assert summary_links(response)["id_notes"] == (
        "Notes can be up to 2,000 characters; this has 3000. Shorten it and save again."
    )
    assert f">\n{notes}</textarea>" in page(response)
    assert not DailyEntry.objects.exists()


def test_a_symptom_name_over_the_limit_is_refused_not_cut(signed_in, user):
    name = "Tingling in both feet that lasts for more than ten minutes at a time"  # 68

    response = signed_in.post("/log/", {"stress": "4", "new_symptom": name})

    assert response.status_code == 200
    assert summary_links(response)["id_new_symptom"] == (
        "A symptom's name can be up to 60 characters; this has 68. Shorten it and save again."
    )
    assert f'value="{name}"' in page(response)
    assert not Symptom.objects.owned_by(user).exists()


@pytest.mark.parametrize("name", ["notes", "new_symptom"])
def test_limited_boxes_carry_maxlength_and_ask_for_a_live_count(signed_in, name):
    box = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page(signed_in.get("/log/")))

    assert "maxlength=" in box[0]  # the limit without JavaScript
    assert "data-character-count" in box[0]


def test_the_symptoms_page_refuses_a_long_name_naming_the_limit(signed_in, user):
    response = signed_in.post("/symptoms/", {"name": "x" * 61})

    assert summary_links(response)["id_name"].startswith("A symptom's name can be up to 60")
    assert not Symptom.objects.owned_by(user).exists()


def test_the_medications_page_refuses_a_long_note_naming_the_limit(signed_in, user):
    response = signed_in.post(
        "/medications/", {"name": "Methotrexate", "started": "2026-11-01", "note": "n" * 501}
    )

    assert summary_links(response)["id_note"].startswith("The note can be up to 500 characters")


# Empty days


def test_saving_an_empty_form_is_refused_with_a_clear_message(signed_in, user):
    response = signed_in.post("/log/", {"version": ""})

    assert response.status_code == 200
    assert EMPTY_DAY_MESSAGE in error_summary(response)
    assert not DailyEntry.objects.exists()


def test_clearing_every_answer_of_a_saved_day_is_refused_and_keeps_it(signed_in, user):
    entry = DailyEntryFactory(user=user, day=TODAY, stress=3)

    response = signed_in.post("/log/", {"version": entry.version})

    assert EMPTY_DAY_MESSAGE in error_summary(response)
    assert DailyEntry.objects.get().stress == 3


@pytest.mark.parametrize(
    "answer", [{"stress": "0"}, {"physical_affection": "False"}, {"new_symptom": "Hives"}]
)
def test_one_answer_even_zero_or_no_is_enough_to_save(signed_in, user, answer):
    assert signed_in.post("/log/", answer).status_code == 302
    assert DailyEntry.objects.filter(user=user).exists()


def test_the_copy_button_is_not_offered_when_there_is_no_earlier_day(signed_in, user, other_user):
    DailyEntryFactory(user=other_user, day=TODAY - datetime.timedelta(days=1))  # not theirs
    DailyEntryFactory(user=user, day=TODAY + datetime.timedelta(days=0))

    earliest = signed_in.get(f"/log/{TODAY - datetime.timedelta(days=3)}/")

    assert "?copy=previous" not in page(earliest)
    assert "Same as" not in page(earliest)


def test_the_copy_button_names_a_day_older_than_the_strip(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 9, 1))

    response = signed_in.get("/log/")

    assert '<a class="button button--small" href="?copy=previous">Same as 1 September 2026</a>' in (
        page(response)
    )


# The error summary


def test_a_failed_save_lists_every_error_linked_to_its_field_and_keeps_the_values(signed_in):
    response = signed_in.post(
        "/log/",
        {"stress": "6", "satisfaction": "4", "sleep_hours": "6.3", "notes": "Restless night."},
    )

    links = summary_links(response)
    assert links == {
        # Radio buttons link to their first option.
        "id_satisfaction_0": "This describes sexual activity. Choose solo or with a partner "
        "above, or set this to Skip.",
        "id_sleep_hours": "Use quarter hours, such as 7, 7.25, 7.5 or 7.75.",
    }
    for field_id in links:
        assert f'id="{field_id}"' in page(response)
    assert "Nothing was saved yet" in error_summary(response)
    assert 'value="6.3"' in page(response)
    assert ">\nRestless night.</textarea>" in page(response)
    assert re.search(r'name="stress" value="6"[^>]*checked', page(response))


def test_a_page_without_errors_has_no_summary(signed_in):
    assert 'class="error-summary"' not in page(signed_in.get("/log/"))


def test_sign_in_errors_use_the_same_summary(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})

    assert response.status_code == 200
    assert 'class="error-summary"' in page(response)


# A typed symptom is made inside the save


def test_a_refused_stale_save_does_not_make_the_typed_symptom(signed_in, user):
    opened = signed_in.get("/log/")
    shown_version = re.search(r'name="version" value="([^"]*)"', page(opened))[1]
    DailyEntryFactory(user=user, day=TODAY, stress=2)  # saved meanwhile in another tab

    stale = signed_in.post(
        "/log/", {"version": shown_version, "stress": "7", "new_symptom": "Ringing ears"}
    )

    assert stale.status_code == 200
    assert "changed in another tab" in page(stale)
    assert not Symptom.objects.filter(name="Ringing ears").exists()


def test_a_refused_empty_day_check_runs_before_anything_is_made(user):
    with pytest.raises(EmptyDay):
        DailyEntry.objects.save_day(user, TODAY, {"stress": None, "symptoms": []})

    assert not DailyEntry.objects.exists()
