"""/api/v1/symptoms/: the shared catalogue plus the person's own, added and removed with the rules
of the symptoms page."""

import pytest

from tests.factories import SymptomFactory
from tracker.models import Symptom


def names(response) -> list[str]:
    return [symptom["name"] for symptom in response.json()["results"]]


def test_the_list_is_the_catalogue_and_the_persons_own(owner, user, other_user):
    SymptomFactory(owner=user, name="Hives")
    SymptomFactory(owner=other_user, name="Tinnitus")

    response = owner.get("/api/v1/symptoms/")

    assert response.status_code == 200
    catalogue = list(Symptom.objects.filter(owner__isnull=True).values_list("name", flat=True))
    assert sorted(names(response)) == sorted([*catalogue, "Hives"])
    own = [s for s in response.json()["results"] if s["own"]]
    assert [s["name"] for s in own] == ["Hives"]


def test_adding_a_symptom_makes_it_the_persons_own(owner, user):
    response = owner.post("/api/v1/symptoms/", {"name": "  Night   sweats "}, format="json")

    assert response.status_code == 201
    symptom = Symptom.objects.get(name="Night sweats")
    assert symptom.owner == user
    assert response.json() == {"id": symptom.pk, "name": "Night sweats", "own": True}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hives", "This symptom is already in your list."),
        ("JOINT PAIN", "This symptom is already in your list."),
        ("   ", "This field is required."),  # what the page says too
        ("", "This field may not be blank."),
        (
            "x" * 61,
            "A symptom's name can be up to 60 characters; this has 61. Shorten it and save again.",
        ),
        (61, "Not a valid string."),
        (None, "This field may not be null."),
    ],
)
def test_the_symptoms_page_rules_apply(owner, user, name, message):
    SymptomFactory(owner=user, name="Hives")

    response = owner.post("/api/v1/symptoms/", {"name": name}, format="json")

    assert response.status_code == 400
    assert response.json() == {"errors": {"name": [message]}}
    assert Symptom.objects.owned_by(user).count() == 1


def test_a_persons_own_symptom_can_be_deleted(owner, user):
    hives = SymptomFactory(owner=user, name="Hives")

    assert owner.delete(f"/api/v1/symptoms/{hives.pk}/").status_code == 204
    assert not Symptom.objects.filter(pk=hives.pk).exists()


def test_catalogue_symptoms_cannot_be_deleted_and_answer_404(owner, user):
    rash = Symptom.objects.get(name="Rash", owner__isnull=True)

    response = owner.delete(f"/api/v1/symptoms/{rash.pk}/")

    assert response.status_code == 404
    assert Symptom.objects.filter(pk=rash.pk).exists()


@pytest.mark.parametrize("symptom_id", ["999999", "abc", "0"])
def test_unknown_ids_answer_404(owner, user, symptom_id):
    assert owner.delete(f"/api/v1/symptoms/{symptom_id}/").status_code == 404
