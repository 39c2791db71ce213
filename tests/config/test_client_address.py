"""Every limit counts requests by one client address (config/client_address.py): the sign-in,
sign-up and reset limits (allauth) and the API's throttles. X-Forwarded-For is believed only as
far as TRUSTED_PROXY_COUNT proxies of Hearth's own wrote it."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from config.client_address import client_address
from tests.conftest import PASSWORD
from tests.pages import words

PROXY = "10.0.0.1"
LOCKED = "Too many failed login attempts"


def address(proxies: int, settings, **meta: str) -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    return client_address(RequestFactory().get("/", **meta))


def test_without_a_proxy_the_connection_address_counts_whatever_the_header_says(settings):
    assert address(0, settings, REMOTE_ADDR="198.51.100.7") == "198.51.100.7"
    assert (
        address(0, settings, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
        == "198.51.100.7"
    )


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    forwarded = "192.0.2.66, 203.0.113.9"  # the client claimed the first; the proxy saw the last

    assert address(1, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"


def test_behind_two_proxies_the_address_the_outer_one_appended_counts(settings):
    forwarded = "192.0.2.66, 203.0.113.9, 10.0.0.2"

    assert address(2, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"


def test_behind_a_proxy_a_request_without_the_header_counts_by_its_connection(settings):
    assert address(1, settings, REMOTE_ADDR=PROXY) == PROXY


# The API's throttle for requests without credentials.


@pytest.fixture
def three_anonymous_requests_an_hour(monkeypatch):
    # DRF reads the rates once, when its throttle classes are defined.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/hour", "user": None})


def api_statuses(requests: list[dict[str, str]]) -> list[int]:
    return [Client(**meta).get("/api/v1/me/").status_code for meta in requests]


@pytest.mark.django_db
@pytest.mark.usefixtures("three_anonymous_requests_an_hour")
def test_a_forged_forwarded_header_does_not_escape_the_api_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    forged = [
        {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"} for n in range(4)
    ]

    assert api_statuses(forged) == [401, 401, 401, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("three_anonymous_requests_an_hour")
def test_behind_a_proxy_the_api_limits_each_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = [
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, 203.0.113.1"}
        for n in range(4)
    ]
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.2"}

    assert api_statuses(first) == [401, 401, 401, 429]
    assert api_statuses([second]) == [401]


# allauth's limit on failed sign-ins per address (10 a minute).


def fail_sign_ins(client: Client, count: int) -> None:
    for attempt in range(count):
        client.post("/accounts/login/", {"login": f"guess{attempt}@example.org", "password": "x"})


def sign_in(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_a_forged_forwarded_header_does_not_escape_the_sign_in_limit(user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(10):
        fail_sign_ins(
            Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"), 1
        )

    locked = sign_in(
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99"), user.email
    )

    assert LOCKED in words(locked)


def test_behind_a_proxy_the_sign_in_limit_holds_back_one_client_not_everyone(user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_sign_ins(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1"), 10)

    guesser = sign_in(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1"), user.email)
    someone_else = sign_in(
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2"), user.email
    )

    assert LOCKED in words(guesser)
    assert someone_else.status_code == 302
