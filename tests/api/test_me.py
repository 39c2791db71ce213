"""/api/v1/me/ and /api/v1/conditions/: the person's profile, with the profile page's rules."""

import pytest

from accounts.catalogue import CONDITIONS


def test_me_is_the_persons_profile(owner, user):
    user.display_name = "Ada"
    user.save()

    assert owner.get("/api/v1/me/").json() == {
        "email": "ada@example.org",
        "display_name": "Ada",
        "time_zone": "Europe/London",
        "conditions": [],
        "other_condition": "",
    }


def test_patch_changes_the_fields_sent_and_keeps_the_others(owner, user):
    response = owner.patch(
        "/api/v1/me/",
        {
            "time_zone": "America/New_York",
            "conditions": ["lupus", "other"],
            "other_condition": "Behçet's",
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "email": "ada@example.org",
        "display_name": "",
        "time_zone": "America/New_York",
        "conditions": ["lupus", "other"],
        "other_condition": "Behçet's",
    }
    user.refresh_from_db()
    assert user.time_zone == "America/New_York"
    assert owner.patch("/api/v1/me/", {"display_name": "Ada"}, format="json").json()[
        "conditions"
    ] == ["lupus", "other"]


def test_the_email_address_cannot_be_changed_here(owner, user):
    owner.patch("/api/v1/me/", {"email": "someone@example.org"}, format="json")

    user.refresh_from_db()
    assert user.email == "ada@example.org"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"time_zone": 1}, "time_zone"),
        ({"conditions": ["gout"]}, "conditions"),
        ({"conditions": "lupus"}, "conditions"),
        ({"other_condition": "Behçet's"}, "other_condition"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
)
def test_the_profile_pages_rules_apply(owner, user, body, field):
    response = owner.patch("/api/v1/me/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    user.refresh_from_db()
    assert user.time_zone == "Europe/London"


def test_the_conditions_are_the_catalogue(owner):
    response = owner.get("/api/v1/conditions/")

    assert response.status_code == 200
    assert [(c["slug"], c["name"]) for c in response.json()["results"]] == CONDITIONS
