"""Shared devices: after the person's idle timeout, pages with health data ask who it is again."""

import datetime
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from accounts.middleware import LAST_SEEN_SESSION_KEY, shows_health_data
from accounts.models import IDLE_TIMEOUT_CHOICES
from accounts.tokens import create_token
from config import urls as site_urls
from tests.conftest import PASSWORD
from tests.factories import DailyEntryFactory
from tracker import urls as tracker_urls
from tracker.models import DailyEntry

START = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
TWELVE_HOURS = datetime.timedelta(hours=12)
ONE_SECOND = datetime.timedelta(seconds=1)

HEALTH_PAGES = [
    "/log/",
    "/log/2026-11-24/",
    "/history/",
    "/trends/",
    "/trends/table/stress/",
    "/insights/",
    "/week/",
    "/report/",
    "/medications/",
    "/symptoms/",
    "/account/profile/",
    "/account/tokens/",  # a token made there reads everything
    "/share/",  # a link made there shows the journal to whoever holds it
]
PAGES_WITHOUT_HEALTH_DATA = [
    "/privacy/",
    "/account/security/",
    "/accounts/sessions/",
    "/api/v1/docs/",
]


@pytest.fixture
def started(freeze_time, client, user):
    """Signed in at START, with one page seen then."""
    freeze_time(START)
    client.force_login(user)
    client.get("/")
    return client


def is_sent_to_reauthenticate(response, path: str) -> bool:
    return response.status_code == 302 and response.url == (
        f"/accounts/reauthenticate/?{urlencode({'next': path})}"
    )


def asks_for_the_password_again(response, path: str) -> bool:
    # Two weeks is also how long a session lasts (SESSION_COOKIE_AGE), so after the longest
    # choice the session itself is over and the person signs in from the start.
    return is_sent_to_reauthenticate(response, path) or (
        response.status_code == 302 and response.url == f"/accounts/login/?next={path}"
    )


@pytest.mark.parametrize("minutes", [minutes for minutes, _ in IDLE_TIMEOUT_CHOICES])
def test_pages_open_until_the_chosen_idle_time_has_passed(minutes, freeze_time, client, user):
    user.idle_timeout_minutes = minutes
    user.save()
    freeze_time(START)
    client.force_login(user)

    freeze_time(START + datetime.timedelta(minutes=minutes) - ONE_SECOND)

    assert client.get("/log/").status_code == 200


@pytest.mark.parametrize("minutes", [minutes for minutes, _ in IDLE_TIMEOUT_CHOICES])
def test_pages_with_health_data_ask_again_just_after_the_chosen_idle_time(
    minutes, freeze_time, client, user
):
    user.idle_timeout_minutes = minutes
    user.save()
    freeze_time(START)
    client.force_login(user)

    freeze_time(START + datetime.timedelta(minutes=minutes) + ONE_SECOND)

    assert asks_for_the_password_again(client.get("/log/"), "/log/")


def test_each_request_restarts_the_idle_clock(started, freeze_time):
    freeze_time(START + TWELVE_HOURS - ONE_SECOND)
    assert started.get("/history/").status_code == 200

    freeze_time(START + 2 * TWELVE_HOURS - 2 * ONE_SECOND)

    assert started.get("/history/").status_code == 200


@pytest.mark.parametrize("path", HEALTH_PAGES)
def test_every_page_with_health_data_asks_again_after_the_idle_time(started, freeze_time, path):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    assert is_sent_to_reauthenticate(started.get(path), path)


@pytest.mark.parametrize("path", PAGES_WITHOUT_HEALTH_DATA)
def test_pages_without_health_data_stay_open_after_the_idle_time(started, freeze_time, path):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    assert started.get(path).status_code == 200


def test_the_home_page_still_answers_after_the_idle_time(started, freeze_time):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    response = started.get("/")

    assert response.status_code == 302
    assert response.url == "/log/"  # home sends a signed-in person on; /log/ then asks


def test_signing_out_still_works_after_the_idle_time(started, freeze_time):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    response = started.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in started.session


def test_the_reauthentication_page_says_why_in_neutral_words(started, freeze_time):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    response = started.get("/trends/", follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "You have been away for a while" in text
    assert 'name="password"' in text


def test_visiting_a_page_without_health_data_while_idle_does_not_restart_the_clock(
    started, freeze_time
):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)
    started.get("/")
    started.get("/privacy/")

    assert is_sent_to_reauthenticate(started.get("/log/"), "/log/")


def test_entering_the_password_again_restarts_the_idle_clock(client, user, freeze_time):
    # allauth stamps reauthentication with the real clock, so the test starts in the past.
    before = timezone.now() - TWELVE_HOURS - datetime.timedelta(minutes=5)
    freeze_time(before)
    client.force_login(user)
    freeze_time(before + TWELVE_HOURS + datetime.timedelta(minutes=1))
    assert is_sent_to_reauthenticate(client.get("/log/"), "/log/")

    response = client.post("/accounts/reauthenticate/?next=/log/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/log/"
    assert client.get("/log/").status_code == 200


def test_a_day_typed_before_the_timeout_is_saved_after_the_password(client, user, freeze_time):
    before = timezone.now() - TWELVE_HOURS - datetime.timedelta(minutes=5)
    freeze_time(before)
    client.force_login(user)
    freeze_time(before + TWELVE_HOURS + datetime.timedelta(minutes=1))
    day = user.today() - datetime.timedelta(days=1)

    asked = client.post(f"/log/{day}/", {"stress": "6"})
    assert is_sent_to_reauthenticate(asked, f"/log/{day}/")
    assert not DailyEntry.objects.exists()
    client.post(f"/accounts/reauthenticate/?next=/log/{day}/", {"password": PASSWORD})

    assert DailyEntry.objects.get(user=user, day=day).stress == 6


def test_the_api_answers_401_in_its_error_shape_to_an_idle_browser(started, freeze_time):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    response = started.get("/api/v1/entries/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    detail = response.json()["errors"]["detail"]
    assert len(detail) == 1 and "away for a while" in detail[0]


def test_the_insights_api_answers_401_to_an_idle_browser(started, freeze_time):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    response = started.get("/api/v1/insights/")

    assert response.status_code == 401
    assert "errors" in response.json()


def test_a_bearer_token_has_no_idle_time(started, freeze_time, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20))
    _, secret = create_token(user, "Phone shortcut")
    freeze_time(START + 30 * TWELVE_HOURS)

    response = started.get("/api/v1/entries/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert response.json()["results"][0]["day"] == "2026-11-20"


def test_one_persons_idle_session_leaves_another_persons_session_alone(
    started, freeze_time, other_user
):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)
    other = Client()
    other.force_login(other_user)

    assert other.get("/log/").status_code == 200
    assert is_sent_to_reauthenticate(started.get("/log/"), "/log/")


def stored_session(client) -> dict:
    return Session.objects.get(pk=client.session.session_key).get_decoded()


def test_the_session_is_written_at_most_once_a_minute(started, freeze_time):
    first = stored_session(started)[LAST_SEEN_SESSION_KEY]
    assert first == START.timestamp()

    for seconds in (10, 30, 59):
        freeze_time(START + datetime.timedelta(seconds=seconds))
        started.get("/log/")
        assert stored_session(started)[LAST_SEEN_SESSION_KEY] == first

    freeze_time(START + datetime.timedelta(seconds=60))
    started.get("/log/")

    assert stored_session(started)[LAST_SEEN_SESSION_KEY] == first + 60


def test_pages_within_the_minute_cause_no_session_write(
    started, freeze_time, django_assert_num_queries
):
    freeze_time(START + datetime.timedelta(seconds=20))
    started.get("/privacy/")

    with django_assert_num_queries(2):  # the session and the person: reads only
        started.get("/privacy/")


def test_the_reauthentication_page_offers_a_passkey_to_someone_who_has_one(
    started, freeze_time, user
):
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    response = started.get("/log/", follow=True)

    assert 'name="password"' in response.content.decode()
    assert f'href="{reverse("mfa_reauthenticate_webauthn")}' in response.content.decode()


@pytest.mark.parametrize("path", ["/account/data/", "/account/data/import/"])
def test_the_pages_that_carry_the_whole_journal_ask_again_after_the_idle_time(
    started, freeze_time, path
):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    assert is_sent_to_reauthenticate(started.get(path), path)


def test_every_page_of_the_journal_carries_the_mark():
    unmarked = [
        pattern.name
        for pattern in tracker_urls.urlpatterns
        if not getattr(pattern.callback, "shows_health_data", False)
    ]

    assert unmarked == []


def a_new_page(request):
    return HttpResponse("A new page")


# A new page in the tracker's own namespace, with and without the mark, beside the real site.
new_pages = [
    path("plain/", login_required(a_new_page), name="new_plain_page"),
    path("marked/", shows_health_data(login_required(a_new_page)), name="new_marked_page"),
]
urlpatterns = [*site_urls.urlpatterns, path("new/", include((new_pages, "tracker")))]


@pytest.mark.urls(__name__)
def test_a_new_page_without_the_mark_is_not_treated_as_showing_health_data(started, freeze_time):
    freeze_time(START + TWELVE_HOURS + ONE_SECOND)

    assert started.get("/new/plain/").status_code == 200
    assert is_sent_to_reauthenticate(started.get("/new/marked/"), "/new/marked/")
