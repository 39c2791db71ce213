"""A Redis cache that Hearth can live without.

Everything Hearth caches can be computed again from PostgreSQL, and stale entries can't be
served after a write (cache keys carry each person's `data_version`, bumped in the database). So
when Redis is unreachable each worker falls back to a cache in its own memory: pages are served
from the database and cached per worker, only slower. After a failure Redis is left alone for
`RETRY_SECONDS` so that each request does not wait for a connection timeout; the outage is
logged once when it starts and once when it ends.

While Redis is down, the limits kept in the cache (sign-in attempts, API throttling, the
one-use check on authenticator codes) are kept per worker rather than shared: looser, but never
switched off.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis for every call, and each one fills a table of
    some 170 response callbacks first (the most called function of a cached /trends/ page in a
    profile). One redis.Redis per connection pool (thread-safe, as the pool is) serves every
    call; the pool still opens and heals the connections."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()
        # While Redis is away each worker keeps its own small cache, so sign-in rate limits,
        # API throttles and the one-use check on authenticator codes still hold per worker.
        self._local = LocMemCache(
            "hearth-while-redis-is-down", {"OPTIONS": {"MAX_ENTRIES": 10_000}}
        )

    def _call(self, method: str, *args, **kwargs):
        if self._down and time.monotonic() < self._down_until:
            return getattr(self._local, method)(*args, **kwargs)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            with self._lock:
                if not self._down:
                    logger.warning("cache unreachable, serving from the database: %s", error)
                self._down = True
                self._down_until = time.monotonic() + RETRY_SECONDS
            return getattr(self._local, method)(*args, **kwargs)
        if self._down:
            with self._lock:
                if self._down:
                    logger.warning("cache reachable again")
                    self._local.clear()
                self._down = False
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def clear(self):
        return self._call("clear")
