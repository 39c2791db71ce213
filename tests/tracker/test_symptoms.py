"""A person's own symptoms: adding, refusing duplicates, removing, and keeping them private."""

import pytest

from tests.factories import DailyEntryFactory, SymptomFactory
from tests.pages import page
from tracker.models import Symptom


def test_the_symptoms_page_lists_own_and_catalogue_symptoms(signed_in, user):
    SymptomFactory(owner=user, name="Hives")

    response = signed_in.get("/symptoms/")

    assert response.status_code == 200
    assert "<span>Hives</span>" in page(response)
    assert "Joint pain" in page(response)
    assert "consult your clinician" in page(response)


def test_adding_a_symptom_makes_it_the_persons_own(signed_in, user):
    response = signed_in.post("/symptoms/", {"name": "  Night   sweats "})

    assert response.status_code == 302
    assert response.url == "/symptoms/"
    assert list(Symptom.objects.owned_by(user).values_list("name", flat=True)) == ["Night sweats"]
    followed = signed_in.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == [
        "Added “Night sweats” to your symptoms."
    ]


@pytest.mark.parametrize("name", ["hives", "HIVES", "joint pain", "Joint  Pain"])
def test_a_name_already_in_the_persons_list_is_refused_ignoring_case(signed_in, user, name):
    SymptomFactory(owner=user, name="Hives")

    response = signed_in.post("/symptoms/", {"name": name})

    assert response.status_code == 200
    assert "This symptom is already in your list." in page(response)
    assert list(Symptom.objects.owned_by(user).values_list("name", flat=True)) == ["Hives"]


def test_a_name_another_person_uses_is_still_free(signed_in, user, other_user):
    SymptomFactory(owner=other_user, name="Hives")

    response = signed_in.post("/symptoms/", {"name": "Hives"})

    assert response.status_code == 302
    assert Symptom.objects.owned_by(user).get().name == "Hives"


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(signed_in, user, name):
    response = signed_in.post("/symptoms/", {"name": name})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Symptom.objects.owned_by(user).exists()


def test_removing_an_own_symptom_takes_it_off_every_day(signed_in, user):
    hives = SymptomFactory(owner=user, name="Hives")
    entry = DailyEntryFactory(user=user)
    entry.symptoms.set([hives])

    response = signed_in.post(f"/symptoms/{hives.pk}/delete/")

    assert response.status_code == 302
    assert response.url == "/symptoms/"
    assert not Symptom.objects.filter(pk=hives.pk).exists()
    assert not entry.symptoms.exists()


def test_removing_another_persons_symptom_is_not_found(signed_in, other_user):
    theirs = SymptomFactory(owner=other_user, name="Hair loss")

    response = signed_in.post(f"/symptoms/{theirs.pk}/delete/")

    assert response.status_code == 404
    assert Symptom.objects.filter(pk=theirs.pk).exists()


def test_a_catalogue_symptom_cannot_be_removed(signed_in):
    joint_pain = Symptom.objects.get(owner=None, name="Joint pain")

    response = signed_in.post(f"/symptoms/{joint_pain.pk}/delete/")

    assert response.status_code == 404
    assert Symptom.objects.filter(pk=joint_pain.pk).exists()


def test_removing_by_get_is_not_allowed(signed_in, user):
    hives = SymptomFactory(owner=user, name="Hives")

    response = signed_in.get(f"/symptoms/{hives.pk}/delete/")

    assert response.status_code == 405
    assert Symptom.objects.filter(pk=hives.pk).exists()


def test_another_persons_symptom_never_appears_on_the_log_or_symptoms_page(
    signed_in, user, other_user
):
    SymptomFactory(owner=user, name="My own symptom")
    SymptomFactory(owner=other_user, name="Someone else's secret")

    for url in ("/log/", "/symptoms/"):
        response = signed_in.get(url)
        assert response.status_code == 200
        assert "My own symptom" in page(response), url
        assert "Someone else's secret" not in page(response), url


def test_a_symptom_name_with_a_semicolon_is_refused_so_the_csv_export_stays_exact(signed_in, user):
    response = signed_in.post("/symptoms/", {"name": "Rash; itching"})

    assert "Leave out the semicolon (;)" in response.content.decode()
    assert not Symptom.objects.filter(owner=user).exists()

    logged = signed_in.post("/log/", {"new_symptom": "Rash; itching"})

    assert "Leave out the semicolon (;)" in logged.content.decode()
    assert not Symptom.objects.filter(owner=user).exists()
