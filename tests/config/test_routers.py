"""Reads from a replica (config/routers.py): which database each query goes to, and why.

The tests need no real replica: a recording router notes each decision the real one makes and
then sends the query to the test database anyway.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpResponse
from django.test import Client
from django.urls import ResolverMatch, resolve

from accounts.models import User
from accounts.tokens import create_token
from config.routers import (
    RECENT_WRITE_COOKIE,
    RECENT_WRITE_SECONDS,
    REPLICA,
    ReplicaRouter,
    RequestRouting,
    _current,
    reads_from_replica,
    recent_write_key,
)
from tests.conftest import NOW, TODAY
from tests.factories import DailyEntryFactory
from tracker.models import DailyEntry, Symptom

decisions: list[tuple[str, str]] = []


class RecordingRouter(ReplicaRouter):
    def db_for_read(self, model, **hints) -> str:
        decisions.append((model._meta.label, super().db_for_read(model, **hints)))
        return DEFAULT_DB_ALIAS


@pytest.fixture(autouse=True)
def replica_configured(settings, freeze_time):
    freeze_time(NOW)
    settings.DATABASE_ROUTERS = ["tests.config.test_routers.RecordingRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "config.routers.replica_routing"]
    decisions.clear()


def read_from(database: str) -> set[str]:
    return {label for label, chosen in decisions if chosen == database}


def fresh_browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_trends_read_a_persons_records_from_the_replica_and_the_account_from_the_primary(user):
    DailyEntryFactory(user=user, day=TODAY)
    browser = fresh_browser(user)

    assert browser.get("/trends/?range=all").status_code == 200

    assert "tracker.DailyEntry" in read_from(REPLICA)
    assert "accounts.User" in read_from(DEFAULT_DB_ALIAS)
    assert not {label for label in read_from(REPLICA) if not label.startswith("tracker.")}


@pytest.mark.parametrize(
    "path", ["/history/", "/insights/", "/api/v1/trends/", "/api/v1/insights/"]
)
def test_history_insights_and_the_summary_api_read_from_the_replica(user, path):
    DailyEntryFactory(user=user, day=TODAY)
    browser = fresh_browser(user)

    assert browser.get(path).status_code == 200

    assert read_from(REPLICA)
    assert not read_from(REPLICA) & read_from(DEFAULT_DB_ALIAS)


@pytest.mark.parametrize("path", [f"/log/{TODAY}/", "/medications/", "/api/v1/entries/"])
def test_pages_that_edit_read_only_from_the_primary(user, path):
    DailyEntryFactory(user=user, day=TODAY)

    assert fresh_browser(user).get(path).status_code == 200

    assert decisions and not read_from(REPLICA)


def test_after_saving_in_the_browser_the_person_reads_from_the_primary(user):
    browser = fresh_browser(user)

    saved = browser.post(f"/log/{TODAY}/", {"stress": "7"})
    cache.delete(recent_write_key(user.pk))  # the cookie alone is enough, even on another worker
    decisions.clear()
    trends = browser.get("/trends/?range=30d")

    assert saved.cookies[RECENT_WRITE_COOKIE]["max-age"] == RECENT_WRITE_SECONDS
    assert saved.cookies[RECENT_WRITE_COOKIE]["httponly"]
    assert trends.status_code == 200
    assert decisions and not read_from(REPLICA)


def test_after_saving_through_the_api_the_person_reads_from_the_primary_without_a_cookie(user):
    secret = create_token(user, "Script")[1]
    script = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    saved = script.put(f"/api/v1/entries/{TODAY}/", {"stress": 7}, content_type="application/json")
    assert saved.status_code == 201
    decisions.clear()
    no_cookies = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    trends = no_cookies.get("/api/v1/trends/")

    assert cache.get(recent_write_key(user.pk)) is True
    stress = next(m for m in trends.json()["summary"]["measures"] if m["name"] == "stress")
    assert stress["mean"] == 7.0
    assert decisions and not read_from(REPLICA)


def test_once_the_moment_has_passed_the_replica_is_used_again(user):
    browser = fresh_browser(user)
    browser.post(f"/log/{TODAY}/", {"stress": "7"})
    cache.delete(recent_write_key(user.pk))  # the cache key and the cookie both expire
    browser.cookies.pop(RECENT_WRITE_COOKIE)
    decisions.clear()

    browser.get("/trends/?range=30d")

    assert "tracker.DailyEntry" in read_from(REPLICA)


def test_someone_elses_save_does_not_pin_this_person_to_the_primary(user, other_user):
    fresh_browser(other_user).post(f"/log/{TODAY}/", {"stress": "7"})
    decisions.clear()

    fresh_browser(user).get("/trends/?range=30d")

    assert "tracker.DailyEntry" in read_from(REPLICA)


def test_a_failed_save_leaves_the_person_on_the_replica(user):
    browser = fresh_browser(user)

    refused = browser.post(f"/log/{TODAY}/", {"stress": "eleven"})

    assert refused.status_code == 200
    assert RECENT_WRITE_COOKIE not in refused.cookies


def test_the_router_without_a_request_uses_the_primary(db):
    router = ReplicaRouter()

    assert router.db_for_read(DailyEntry) == DEFAULT_DB_ALIAS
    assert router.db_for_write(DailyEntry) == DEFAULT_DB_ALIAS


def test_a_write_in_the_middle_of_a_request_sends_its_later_reads_to_the_primary(rf, user):
    request = rf.get("/trends/")
    request.user = user
    request.resolver_match = resolve("/trends/")
    router = ReplicaRouter()
    token = _current.set(RequestRouting(request))
    try:
        assert router.db_for_read(Symptom) == REPLICA
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
        assert router.db_for_write(DailyEntry) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Symptom) == DEFAULT_DB_ALIAS
    finally:
        _current.reset(token)


def test_a_view_without_the_mark_reads_from_the_primary_whatever_its_name(rf, user):
    def new_summary(request):
        return HttpResponse("A new summary")

    request = rf.get("/trends/")
    request.user = user
    # Named like the trends page, in the tracker's namespace: only the mark counts.
    request.resolver_match = ResolverMatch(
        new_summary, (), {}, url_name="trends", app_names=["tracker"], namespaces=["tracker"]
    )

    assert not RequestRouting(request).replica_allowed()


def test_a_view_with_the_mark_reads_from_the_replica(rf, user):
    @reads_from_replica
    def new_summary(request):
        return HttpResponse("A new summary")

    request = rf.get("/new-summary/")
    request.user = user
    request.resolver_match = ResolverMatch(new_summary, (), {}, url_name="new_summary")

    assert RequestRouting(request).replica_allowed()


def test_migrations_never_run_on_the_replica():
    router = ReplicaRouter()

    assert router.allow_migrate(REPLICA, "tracker") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "tracker") is True


def settings_with(environment: dict[str, str]) -> str:
    code = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []), "
        "settings.MIDDLEWARE[-1])"
    )
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_REPLICA_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environment)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_settings_add_the_replica_only_when_its_url_is_given():
    replica = "postgres://postgres@127.0.0.1:55433/hearth"

    assert settings_with({"DATABASE_REPLICA_URL": replica}) == (
        "['default', 'replica'] ['config.routers.ReplicaRouter'] config.routers.replica_routing"
    )
    assert settings_with({}).startswith("['default'] []")
