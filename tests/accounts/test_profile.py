"""The profile page: display name, time zone and the conditions a person lives with."""

import re

import pytest

from accounts.models import Condition
from tests.pages import page


def field_block(response, name: str) -> str:
    """One field's wrapper, from its opening tag to its input: label, help, errors, input."""
    for block in re.split(r'(?=<(?:div|fieldset) class="field[ "])', page(response)):
        field_input = re.search(rf'<[^>]* name="{name}"[^>]*>', block)
        if field_input:
            return block[: field_input.end()]
    raise AssertionError(f"no field called {name}")


@pytest.fixture
def lupus(db):
    return Condition.objects.get(slug="lupus")


@pytest.fixture
def other(db):
    return Condition.objects.get(slug="other")


def test_the_profile_shows_the_persons_current_answers(signed_in, user, lupus):
    user.display_name = "Ada"
    user.save()
    user.conditions.set([lupus])

    response = signed_in.get("/account/profile/")

    assert response.status_code == 200
    assert 'name="display_name" value="Ada"' in page(response)
    assert re.search(r'<option value="Europe/London" selected>', page(response))
    assert re.search(rf'name="conditions" value="{lupus.pk}"[^>]*checked', page(response))


def test_saving_the_profile_stores_name_time_zone_and_conditions(signed_in, user, lupus, other):
    response = signed_in.post(
        "/account/profile/",
        {
            "display_name": "Ada",
            "time_zone": "Pacific/Auckland",
            "conditions": [lupus.pk, other.pk],
            "other_condition": "Behçet's disease",
        },
    )

    assert response.status_code == 302
    assert response.url == "/account/profile/"
    user.refresh_from_db()
    assert user.display_name == "Ada"
    assert user.time_zone == "Pacific/Auckland"
    assert set(user.conditions.all()) == {lupus, other}
    assert user.other_condition == "Behçet's disease"
    followed = signed_in.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == ["Your profile is saved."]


def test_conditions_can_all_be_unticked(signed_in, user, lupus):
    user.conditions.set([lupus])

    signed_in.post("/account/profile/", {"time_zone": "Europe/London"})

    assert not user.conditions.exists()


def test_another_condition_needs_other_ticked(signed_in, user, lupus):
    response = signed_in.post(
        "/account/profile/",
        {
            "display_name": "Ada",
            "time_zone": "Pacific/Auckland",
            "conditions": [lupus.pk],
            "other_condition": "Behçet's disease",
        },
    )

    assert response.status_code == 200
    assert "Tick “Other” above, or leave this empty." in field_block(response, "other_condition")
    assert 'value="Behçet\'s disease"' in field_block(response, "other_condition")
    assert 'name="display_name" value="Ada"' in page(response)
    assert re.search(r'<option value="Pacific/Auckland" selected>', page(response))
    assert re.search(rf'name="conditions" value="{lupus.pk}"[^>]*checked', page(response))
    user.refresh_from_db()
    assert user.display_name == ""
    assert user.time_zone == "Europe/London"
    assert not user.conditions.exists()


def test_an_unknown_time_zone_is_refused(signed_in, user):
    response = signed_in.post(
        "/account/profile/", {"display_name": "Ada", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 200
    assert "“Mars/Olympus” is not a time zone we know." in field_block(response, "time_zone")
    assert "Nothing was saved yet" in page(response)
    user.refresh_from_db()
    assert user.time_zone == "Europe/London"
    assert user.display_name == ""


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_sign_in(client, method):
    response = getattr(client, method)("/account/profile/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/account/profile/"
