"""Site-wide pages: landing, privacy, health check, error pages and neutral page titles."""

import json
import re

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import Client, RequestFactory
from django.views import defaults

from tests.pages import page


@pytest.mark.django_db
def test_visitors_see_the_landing_page_with_a_way_to_sign_up(client):
    response = client.get("/")

    assert response.status_code == 200
    assert 'href="/accounts/signup/"' in page(response)
    assert 'href="/accounts/login/"' in page(response)


def test_signed_in_people_go_straight_to_todays_log(signed_in):
    response = signed_in.get("/")

    assert response.status_code == 302
    assert response.url == "/log/"


@pytest.mark.django_db
def test_the_privacy_notice_says_who_can_see_the_records(client):
    response = client.get("/privacy/")

    assert response.status_code == 200
    assert "Only you." in page(response)
    assert settings.SUPPORT_EMAIL in page(response)


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


class _BrokenCursor:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def execute(self, sql, params=None):
        raise OperationalError("could not connect to server")


def test_the_health_check_answers_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr(type(connections["default"]), "cursor", lambda self: _BrokenCursor())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}


def test_the_tests_run_with_debug_off_so_the_real_error_pages_show():
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_a_missing_page_answers_with_hearths_own_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We couldn't find that page" in page(response)
    assert "Nothing you logged has been lost." in page(response)


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_shows_the_friendly_403_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": "x"})

    assert response.status_code == 403
    assert "That form had expired" in page(response)


def test_the_500_page_renders_without_a_database_or_context():
    request = RequestFactory().get("/log/")

    response = defaults.server_error(request)

    assert response.status_code == 500
    assert "Something went wrong on our side" in page(response)


@pytest.mark.parametrize("url", ["/log/", "/history/", "/symptoms/", "/account/profile/"])
def test_page_titles_say_nothing_about_sex_or_intimacy(signed_in, url):
    response = signed_in.get(url)

    title = re.search(r"<title>(.*?)</title>", page(response), flags=re.S)[1]
    assert title.endswith("· Hearth")
    assert "sex" not in title.lower()
    assert "intimacy" not in title.lower()
