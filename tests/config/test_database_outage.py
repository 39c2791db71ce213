"""When PostgreSQL can't be reached: a friendly 503 page (JSON under /api/), never a traceback."""

import datetime
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory

from accounts.tokens import create_token
from config import views
from config.middleware_db import API_MESSAGE, RETRY_AFTER_SECONDS
from tests.pages import words
from tracker.models import DailyEntry

YESTERDAY = datetime.date(2026, 11, 24)
FRIENDLY = "Hearth is back in a moment"


pytestmark = pytest.mark.usefixtures("clock")


def refuse(self, *args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def database_down(db):
    """Every query fails the way psycopg fails while PostgreSQL restarts; call to bring it back."""
    patches = [
        mock.patch.object(CursorWrapper, name, refuse) for name in ("execute", "executemany")
    ]
    for patch in patches:
        patch.start()

    def bring_back() -> None:
        while patches:
            patches.pop().stop()

    yield bring_back
    bring_back()  # before the test database rolls back


@pytest.fixture
def signed_in(user):
    """A browser that sees what a person would: failures answer pages, they do not raise."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def api_client(user):
    secret = create_token(user, "Script")[1]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")


def assert_friendly_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    text = words(response)
    assert FRIENDLY in text
    assert "Traceback" not in text and "OperationalError" not in text


def test_a_page_answers_the_friendly_503_while_the_database_is_down(signed_in, database_down):
    assert_friendly_page(signed_in.get("/trends/?range=all"))


def test_saving_the_log_form_during_an_outage_answers_503_and_says_to_check_the_day(
    signed_in, database_down
):
    response = signed_in.post(f"/log/{YESTERDAY}/", {"stress": "4"})

    assert_friendly_page(response)
    assert "open that day to check" in words(response)


def test_the_503_page_offers_to_try_the_same_address_again(signed_in, database_down):
    response = signed_in.get("/history/?month=2026-10")

    assert 'href="/history/?month=2026-10"' in response.content.decode()


def test_the_api_answers_a_json_503_in_its_error_shape(api_client, database_down):
    response = api_client.get("/api/v1/entries/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"errors": {"detail": [API_MESSAGE]}}


def test_an_api_write_during_an_outage_answers_503_and_nothing_half_saved_remains(
    api_client, user, database_down
):
    response = api_client.put(
        f"/api/v1/entries/{YESTERDAY}/", {"stress": 4}, content_type="application/json"
    )
    database_down()

    assert response.status_code == 503
    assert response.json()["errors"]["detail"] == [API_MESSAGE]
    assert not DailyEntry.objects.filter(user=user).exists()


def test_a_lost_connection_counts_as_an_outage_too(signed_in):
    with mock.patch.object(
        CursorWrapper, "execute", side_effect=InterfaceError("connection already closed")
    ):
        response = signed_in.get("/log/")

    assert_friendly_page(response)


def test_healthz_reports_503_while_the_database_is_down(database_down):
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_pages_work_again_as_soon_as_the_database_is_back(signed_in, user, database_down):
    assert signed_in.get("/trends/").status_code == 503

    database_down()

    assert signed_in.get("/trends/").status_code == 200
    assert signed_in.post(f"/log/{YESTERDAY}/", {"stress": "4"}).status_code == 302
    assert DailyEntry.objects.get(user=user, day=YESTERDAY).stress == 4
    assert Client().get("/healthz").status_code == 200


def database_touching_middleware(get_response):
    """Stands for any middleware that reads the database before the view runs."""

    def middleware(request):
        from accounts.models import User

        User.objects.exists()
        return get_response(request)

    return middleware


def test_an_outage_met_in_a_middleware_also_answers_503(db, settings, database_down):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.config.test_database_outage.database_touching_middleware",
    ]
    client = Client(raise_request_exception=False)

    assert_friendly_page(client.get("/privacy/"))
    api = client.get("/api/v1/me/")
    assert api.status_code == 503
    assert api.json() == {"errors": {"detail": [API_MESSAGE]}}


def test_other_server_errors_still_answer_the_500_page():
    request = RequestFactory().get("/trends/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.server_error(request)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
