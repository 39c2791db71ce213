"""Medications: /medications/ to list and add, edit and delete; the model's promises."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction

from tests.conftest import TODAY
from tests.factories import MedicationFactory
from tests.pages import page, words
from tracker.models import Medication

pytestmark = pytest.mark.usefixtures("clock")


def field_block(response, name: str) -> str:
    """The form field called `name`: its label, help, errors and input."""
    return re.search(
        rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?'
        rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>',
        page(response),
        flags=re.S,
    )[0]


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def methotrexate(user):
    return MedicationFactory(
        user=user,
        name="Methotrexate",
        dose="15 mg weekly",
        started=datetime.date(2026, 3, 1),
        note="With folic acid",
    )


@pytest.fixture
def someone_elses(other_user):
    return MedicationFactory(user=other_user, name="Adalimumab", started=datetime.date(2026, 1, 5))


# Adding and listing


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/medications/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_medication_is_added_with_its_dose_dates_and_note(signed_in, user):
    response = signed_in.post(
        "/medications/",
        {
            "name": "  Hydroxychloroquine ",
            "dose": "200 mg twice a day",
            "started": "2026-06-01",
            "stopped": "2026-10-15",
            "note": "Stopped for eye check",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/medications/", 302)]
    assert shown_messages(response) == ["Added Hydroxychloroquine."]
    medication = Medication.objects.get(user=user)
    assert (medication.name, medication.dose, medication.note) == (
        "Hydroxychloroquine",
        "200 mg twice a day",
        "Stopped for eye check",
    )
    assert (medication.started, medication.stopped) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 10, 15),
    )
    assert not medication.ongoing
    assert (
        "Hydroxychloroquine · 200 mg twice a day From 1 Jun 2026 to 15 Oct 2026 "
        "Stopped for eye check" in words(response)
    )


def test_a_medication_without_a_stop_date_is_ongoing(signed_in, user):
    response = signed_in.post(
        "/medications/", {"name": "Prednisolone", "started": "2026-11-20"}, follow=True
    )

    medication = Medication.objects.get(user=user)
    assert medication.stopped is None
    assert medication.ongoing
    assert medication.dose == ""
    assert "Prednisolone From 20 Nov 2026 · ongoing" in words(response)


def test_a_medication_can_start_today(signed_in, user):
    signed_in.post("/medications/", {"name": "Prednisolone", "started": "2026-11-25"})

    assert Medication.objects.get(user=user).started == TODAY


def test_the_list_shows_only_the_persons_own_medications_newest_first(
    signed_in, user, methotrexate, someone_elses
):
    MedicationFactory(user=user, name="Sulfasalazine", started=datetime.date(2026, 9, 1))

    response = signed_in.get("/medications/")

    text = words(response)
    assert text.index("Sulfasalazine") < text.index("Methotrexate")
    assert "Methotrexate · 15 mg weekly From 1 Mar 2026 · ongoing With folic acid" in text
    assert "Adalimumab" not in text
    assert "consult your clinician" in text


def test_an_empty_list_says_none_are_recorded(signed_in):
    assert "None recorded yet." in page(signed_in.get("/medications/"))


@pytest.mark.parametrize("name", ["", "   "])
def test_a_medication_needs_a_name(signed_in, user, name):
    response = signed_in.post("/medications/", {"name": name, "started": "2026-11-01"})

    assert response.status_code == 200
    assert "field--invalid" in field_block(response, "name")
    assert response.context["form"].errors["name"]
    assert not Medication.objects.filter(user=user).exists()
    assert "Nothing was saved yet" in page(response)  # the error summary's heading
    assert 'href="#id_name"' in page(response)  # its link to the field


def test_a_medication_cannot_start_in_the_future(signed_in, user):
    response = signed_in.post("/medications/", {"name": "Prednisolone", "started": "2026-11-26"})

    assert response.status_code == 200
    assert "Enter the day you started, today or earlier." in field_block(response, "started")
    assert not Medication.objects.filter(user=user).exists()


def test_a_medication_cannot_start_before_1900(signed_in, user):
    response = signed_in.post("/medications/", {"name": "Aspirin", "started": "1899-12-31"})

    assert response.status_code == 200
    assert "Enter a day in 1900 or later." in field_block(response, "started")
    assert not Medication.objects.filter(user=user).exists()


def test_a_stop_date_before_the_start_is_refused_next_to_the_stop_field(signed_in, user):
    response = signed_in.post(
        "/medications/",
        {
            "name": "Naproxen",
            "dose": "500 mg",
            "started": "2026-10-10",
            "stopped": "2026-10-01",
            "note": "For the knees",
        },
    )

    assert response.status_code == 200
    stop_field = field_block(response, "stopped")
    assert "The stop date can't be before the start date." in stop_field
    assert 'value="2026-10-01"' in stop_field
    assert "The stop date can't be before the start date." not in field_block(response, "started")
    # Everything the person typed is kept.
    assert 'value="Naproxen"' in field_block(response, "name")
    assert 'value="500 mg"' in field_block(response, "dose")
    assert 'value="2026-10-10"' in field_block(response, "started")
    assert "For the knees</textarea>" in page(response)
    assert not Medication.objects.filter(user=user).exists()


def test_a_medication_may_stop_on_the_day_it_started(signed_in, user):
    signed_in.post(
        "/medications/", {"name": "Naproxen", "started": "2026-10-10", "stopped": "2026-10-10"}
    )

    assert Medication.objects.get(user=user).stopped == datetime.date(2026, 10, 10)


# Editing


def test_the_edit_page_shows_the_saved_values(signed_in, methotrexate):
    response = signed_in.get(f"/medications/{methotrexate.pk}/")

    assert response.status_code == 200
    assert "Edit Methotrexate" in page(response)
    assert 'value="2026-03-01"' in field_block(response, "started")
    assert 'value="15 mg weekly"' in field_block(response, "dose")


def test_a_medication_is_edited(signed_in, methotrexate):
    response = signed_in.post(
        f"/medications/{methotrexate.pk}/",
        {"name": "Methotrexate", "dose": "20 mg weekly", "started": "2026-03-01", "stopped": ""},
        follow=True,
    )

    assert response.redirect_chain == [("/medications/", 302)]
    assert shown_messages(response) == ["Saved Methotrexate."]
    methotrexate.refresh_from_db()
    assert methotrexate.dose == "20 mg weekly"
    assert methotrexate.note == ""
    assert methotrexate.ongoing


def test_stopping_a_medication_records_the_day(signed_in, methotrexate):
    signed_in.post(
        f"/medications/{methotrexate.pk}/",
        {
            "name": "Methotrexate",
            "dose": "15 mg weekly",
            "started": "2026-03-01",
            "stopped": "2026-11-01",
        },
    )

    methotrexate.refresh_from_db()
    assert methotrexate.stopped == datetime.date(2026, 11, 1)


def test_an_edit_with_the_stop_before_the_start_is_refused_and_the_values_kept(
    signed_in, methotrexate
):
    response = signed_in.post(
        f"/medications/{methotrexate.pk}/",
        {"name": "Methotrexate", "dose": "25 mg", "started": "2026-03-01", "stopped": "2026-02-01"},
    )

    assert response.status_code == 200
    assert "The stop date can't be before the start date." in field_block(response, "stopped")
    assert 'value="25 mg"' in field_block(response, "dose")
    methotrexate.refresh_from_db()
    assert (methotrexate.dose, methotrexate.stopped) == ("15 mg weekly", None)


def test_an_edit_cannot_move_the_start_into_the_future(signed_in, methotrexate):
    response = signed_in.post(
        f"/medications/{methotrexate.pk}/", {"name": "Methotrexate", "started": "2027-01-01"}
    )

    assert "Enter the day you started, today or earlier." in field_block(response, "started")
    methotrexate.refresh_from_db()
    assert methotrexate.started == datetime.date(2026, 3, 1)


def test_someone_elses_medication_cannot_be_seen_or_edited(signed_in, someone_elses):
    url = f"/medications/{someone_elses.pk}/"

    assert signed_in.get(url).status_code == 404
    response = signed_in.post(url, {"name": "Changed", "started": "2026-01-05"})

    assert response.status_code == 404
    someone_elses.refresh_from_db()
    assert someone_elses.name == "Adalimumab"


def test_a_medication_that_does_not_exist_answers_404(signed_in):
    assert signed_in.get("/medications/999999/").status_code == 404


# Deleting


def test_a_medication_is_deleted(signed_in, methotrexate):
    response = signed_in.post(f"/medications/{methotrexate.pk}/delete/", follow=True)

    assert response.redirect_chain == [("/medications/", 302)]
    assert shown_messages(response) == ["Removed Methotrexate."]
    assert not Medication.objects.filter(pk=methotrexate.pk).exists()


def test_deleting_needs_a_post(signed_in, methotrexate):
    response = signed_in.get(f"/medications/{methotrexate.pk}/delete/")

    assert response.status_code == 405
    assert Medication.objects.filter(pk=methotrexate.pk).exists()


def test_someone_elses_medication_cannot_be_deleted(signed_in, someone_elses):
    response = signed_in.post(f"/medications/{someone_elses.pk}/delete/")

    assert response.status_code == 404
    assert Medication.objects.filter(pk=someone_elses.pk).exists()


# On the trends page


def test_trends_shows_an_edited_stop_date_and_drops_a_deleted_medication(signed_in, methotrexate):
    MedicationFactory(user=methotrexate.user, name="Prednisolone", started=TODAY)
    assert "Methotrexate (15 mg weekly): taken since 1 Mar 2026, ongoing" in words(
        signed_in.get("/trends/?range=30d")
    )

    signed_in.post(
        f"/medications/{methotrexate.pk}/",
        {
            "name": "Methotrexate",
            "dose": "15 mg weekly",
            "started": "2026-03-01",
            "stopped": "2026-11-01",
        },
        follow=True,  # shows (and so uses up) the "Saved" message
    )
    text = words(signed_in.get("/trends/?range=30d"))
    assert "Methotrexate (15 mg weekly): taken since 1 Mar 2026, stopped 1 Nov 2026" in text
    assert "Prednisolone (15 mg weekly): started 25 Nov 2026, ongoing" in text

    signed_in.post(f"/medications/{methotrexate.pk}/delete/", follow=True)
    assert "Methotrexate" not in words(signed_in.get("/trends/?range=30d"))


# The model


def test_the_database_refuses_a_stop_before_the_start(user):
    with (
        pytest.raises(IntegrityError, match="medication_stop_not_before_start"),
        transaction.atomic(),
    ):
        Medication.objects.create(
            user=user,
            name="Naproxen",
            started=datetime.date(2026, 10, 10),
            stopped=datetime.date(2026, 10, 9),
        )


def test_the_database_refuses_an_empty_name(user):
    with pytest.raises(IntegrityError, match="medication_name_not_empty"), transaction.atomic():
        Medication.objects.create(user=user, name="", started=datetime.date(2026, 10, 10))


def test_the_database_refuses_a_start_before_1900(user):
    with (
        pytest.raises(IntegrityError, match="medication_started_from_1900"),
        transaction.atomic(),
    ):
        Medication.objects.create(user=user, name="Aspirin", started=datetime.date(1899, 12, 31))


def test_overlapping_finds_the_medications_taken_on_some_day_of_a_period(user, other_user):
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)

    def taken(name, started, stopped=None, person=user):
        return MedicationFactory(user=person, name=name, started=started, stopped=stopped)

    taken("ongoing since before", datetime.date(2026, 1, 1))
    taken("started inside, ongoing", datetime.date(2026, 10, 15))
    taken("started on the last day", end)
    taken("stopped inside", datetime.date(2026, 9, 1), datetime.date(2026, 10, 10))
    taken("stopped on the first day", datetime.date(2026, 9, 1), start)
    taken("spans the whole period", datetime.date(2026, 9, 1), datetime.date(2026, 11, 10))
    taken("inside", datetime.date(2026, 10, 5), datetime.date(2026, 10, 6))
    taken("stopped the day before", datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    taken("started the day after", datetime.date(2026, 11, 1))
    taken("someone else's", datetime.date(2026, 1, 1), person=other_user)

    found = Medication.objects.for_user(user).overlapping(start, end)

    assert set(found.values_list("name", flat=True)) == {
        "ongoing since before",
        "started inside, ongoing",
        "started on the last day",
        "stopped inside",
        "stopped on the first day",
        "spans the whole period",
        "inside",
    }
