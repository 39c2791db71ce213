"""/api/v1/medications/: the person's medications, with the rules of the medications page."""

import pytest

from tests.factories import MedicationFactory
from tracker.models import Medication

pytestmark = pytest.mark.usefixtures("clock")


def test_a_medication_round_trips(owner, user):
    created = owner.post(
        "/api/v1/medications/",
        {"name": " Methotrexate ", "dose": "15 mg weekly", "started": "2026-03-01"},
        format="json",
    )
    assert created.status_code == 201
    medication = Medication.objects.get()
    assert medication.user == user
    assert created.json() == {
        "id": medication.pk,
        "name": "Methotrexate",
        "dose": "15 mg weekly",
        "started": "2026-03-01",
        "stopped": None,
        "note": "",
    }
    url = f"/api/v1/medications/{medication.pk}/"

    assert owner.get(url).json() == created.json()
    patched = owner.patch(url, {"stopped": "2026-06-30"}, format="json").json()
    assert patched == {**created.json(), "stopped": "2026-06-30"}
    replaced = owner.put(url, {"name": "Folic acid", "started": "2026-03-02"}, format="json")
    assert replaced.json() == {
        **created.json(),
        "name": "Folic acid",
        "dose": "",
        "started": "2026-03-02",
    }
    assert owner.get("/api/v1/medications/").json()["results"] == [replaced.json()]
    assert owner.delete(url).status_code == 204
    assert owner.get(url).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"name": "X", "started": "2026-11-26"},
            "started",
            "Enter the day you started, today or earlier.",
        ),
        ({"name": "X", "started": "1899-12-31"}, "started", "Enter a day in 1900 or later."),
        (
            {"name": "X", "started": "2026-05-02", "stopped": "2026-05-01"},
            "stopped",
            "The stop date can't be before the start date.",
        ),
        ({"name": "   ", "started": "2026-05-02"}, "name", "This field is required."),
        ({"started": "2026-05-02"}, "name", "This field is required."),
        ({"name": "X"}, "started", "This field is required."),
        (
            {"name": "X", "started": "2026-02-30"},
            "started",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"name": "X", "started": 20260501},
            "started",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"name": "X", "started": "2026-05-01", "note": "n" * 501},
            "note",
            "The note can be up to 500 characters; this has 501. Shorten it and save again.",
        ),
    ],
)
def test_the_medications_page_rules_apply(owner, user, body, field, message):
    response = owner.post("/api/v1/medications/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"errors": {field: [message]}}
    assert not Medication.objects.exists()


def test_a_patch_is_checked_against_the_saved_dates(owner, user):
    medication = MedicationFactory(user=user, started="2026-05-02")

    response = owner.patch(
        f"/api/v1/medications/{medication.pk}/", {"stopped": "2026-05-01"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["stopped"]
    medication.refresh_from_db()
    assert medication.stopped is None


def test_another_persons_medication_answers_404_to_everything(owner, other_user):
    theirs = MedicationFactory(user=other_user)
    url = f"/api/v1/medications/{theirs.pk}/"

    statuses = [
        owner.get(url).status_code,
        owner.put(url, {"name": "Mine now", "started": "2026-01-01"}, format="json").status_code,
        owner.patch(url, {"name": "Mine now"}, format="json").status_code,
        owner.delete(url).status_code,
    ]

    assert statuses == [404, 404, 404, 404]
    assert Medication.objects.get(pk=theirs.pk).name == theirs.name
