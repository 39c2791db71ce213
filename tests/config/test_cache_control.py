"""Nothing answered to a signed-in person is kept in a cache: the back button or the disk cache
of a shared computer must not show their journal after they sign out. Static files keep their
long caching, and pages for nobody in particular are left alone."""

import pytest
from django.test import Client

from accounts.tokens import create_token
from tests.factories import DailyEntryFactory, MedicationFactory

PAGES_WITH_HEALTH_DATA = [
    "/log/",
    "/history/",
    "/trends/",
    "/insights/",
    "/report/",
    "/medications/",
    "/symptoms/",
    "/account/profile/",
    "/account/security/",
    "/privacy/",  # shows who is signed in
]
API_ANSWERS = [
    "/api/v1/me/",
    "/api/v1/entries/",
    "/api/v1/medications/",
    "/api/v1/trends/",
    "/api/v1/insights/",
]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def journal(user):
    DailyEntryFactory(user=user)
    MedicationFactory(user=user, name="Methotrexate")
    return user


@pytest.mark.parametrize("address", PAGES_WITH_HEALTH_DATA)
def test_pages_for_a_signed_in_person_are_never_stored(signed_in, journal, address):
    response = signed_in.get(address)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize("address", API_ANSWERS)
def test_api_answers_to_a_token_are_never_stored(journal, address):
    secret = create_token(journal, "Script")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.get(address)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_api_answers_to_the_site_session_are_never_stored(signed_in, journal):
    response = signed_in.get("/api/v1/entries/")

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_redirect_after_saving_is_never_stored(signed_in, journal):
    response = signed_in.post(
        "/medications/", {"name": "Hydroxychloroquine", "started": "2026-01-05"}
    )

    assert response.status_code == 302

    assert {"private", "no-store"} <= cache_control(response)


def test_a_page_that_already_forbids_storing_keeps_its_own_header(signed_in):
    response = signed_in.get("/account/tokens/")

    assert "no-store" in cache_control(response)
    assert response["Cache-Control"].count("no-store") == 1


@pytest.mark.django_db
def test_pages_for_nobody_in_particular_are_left_to_the_browser(client):
    assert "no-store" not in cache_control(client.get("/privacy/"))
    assert "no-store" not in cache_control(client.get("/"))


def test_static_files_keep_their_caching_for_a_signed_in_person(signed_in, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_MAX_AGE = 3600

    response = signed_in.get("/static/css/hearth.css")

    assert response.status_code == 200
    assert response.streaming, "WhiteNoise did not serve it"
    assert cache_control(response) == {"max-age=3600", "public"}
