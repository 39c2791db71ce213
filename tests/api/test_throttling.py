"""Throttling: each person and each anonymous address gets a budget of requests per hour, and
the request past it answers 429 with Retry-After."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory


@pytest.fixture
def small_budgets(monkeypatch):
    # DRF reads the rates once, at import; tests set small ones the same way.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/hour", "user": "5/hour"})


def test_the_default_budgets_come_from_settings():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "100/hour",
        "user": "1000/hour",
    }


def test_a_person_over_budget_gets_429_with_retry_after(small_budgets, owner, user):
    statuses = [owner.get("/api/v1/me/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
    refused = owner.get("/api/v1/me/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert list(refused.json()["errors"]) == ["detail"]


def test_each_person_has_their_own_budget(small_budgets, owner, bearer, user):
    for _ in range(6):
        owner.get("/api/v1/me/")

    assert bearer(UserFactory()).get("/api/v1/me/").status_code == 200


def test_anonymous_requests_are_counted_even_when_refused(small_budgets, db):
    client = APIClient()

    statuses = [client.get("/api/v1/entries/").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    assert "Retry-After" in client.get("/api/v1/me/").headers


def test_wrong_tokens_are_counted_against_the_address(small_budgets, db):
    client = APIClient(HTTP_AUTHORIZATION="Bearer " + "0" * 64)

    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_the_public_schema_is_throttled_per_address_too(small_budgets, db):
    client = APIClient()

    statuses = [client.get("/api/v1/schema/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
