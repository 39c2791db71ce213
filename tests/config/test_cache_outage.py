"""Redis down: pages still work from the database (config/cache.py), only without the cache."""

import datetime
import logging
import time

import pytest
from django.core.cache import cache, caches

from config.cache import RETRY_SECONDS, ForgivingRedisCache
from tests.conftest import NOW, TODAY
from tests.factories import DailyEntryFactory
from tests.pages import trend_data

ONE_DAY = datetime.timedelta(days=1)
# Nothing listens on port 1: connections are refused at once, as when Redis is stopped.
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def redis_down(settings, freeze_time):
    freeze_time(NOW)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def stress_mean(response) -> float | None:
    measures = trend_data(response)["summary"]["measures"]
    return next(measure["mean"] for measure in measures if measure["name"] == "stress")


def test_the_cache_in_use_is_the_forgiving_redis_one():
    assert isinstance(caches["default"], ForgivingRedisCache)


def test_trends_are_served_from_the_database_with_the_right_numbers(signed_in, user):
    for offset, stress in enumerate([2, 4, 9]):
        DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY, stress=stress)

    response = signed_in.get("/trends/?range=30d")

    assert response.status_code == 200
    assert stress_mean(response) == 5.0


def test_a_save_shows_at_once_because_a_missed_cache_delete_cannot_serve_stale_numbers(
    signed_in, user
):
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 2.0

    saved = signed_in.post(f"/log/{TODAY}/", {"stress": "8"})

    assert saved.status_code == 302
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 8.0


def test_every_page_a_person_uses_still_answers(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=3)

    for path in ["/log/", "/history/", "/trends/?range=all", "/insights/", "/api/v1/trends/"]:
        assert signed_in.get(path).status_code == 200, path


def test_while_redis_is_away_each_worker_caches_in_its_own_memory():
    assert cache.get("key", "fallback") == "fallback"
    assert cache.set("key", 1) is None
    assert cache.get("key") == 1
    assert cache.get_many(["key", "b"]) == {"key": 1}
    assert cache.delete("key") is True
    assert cache.has_key("key") is False
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_limits_kept_in_the_cache_still_hold_while_redis_is_away():
    # allauth's one-use check on authenticator codes and its sign-in counters use add/incr.
    assert cache.add("code-used", 1) is True
    assert cache.add("code-used", 1) is False
    cache.set("attempts", 4)
    assert cache.incr("attempts") == 5


def test_the_outage_is_logged_once_and_redis_is_not_retried_on_every_call(caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        cache.get("first")
        started = time.monotonic()
        for number in range(200):
            cache.get(f"key-{number}")
        elapsed = time.monotonic() - started

    assert [record.message.split(":")[0] for record in caplog.records] == [
        "cache unreachable, serving from the database"
    ]
    assert elapsed < RETRY_SECONDS  # no connection attempt while the outage lasts


def test_the_cache_is_tried_again_after_the_pause_and_recovery_is_logged(caplog, monkeypatch):
    with caplog.at_level(logging.CRITICAL, logger="config.cache"):
        cache.get("first")
    clock = time.monotonic() + RETRY_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", lambda *args: "back")

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("key") == "back"

    assert [record.message for record in caplog.records] == ["cache reachable again"]
