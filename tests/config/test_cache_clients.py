"""config.cache reuses one redis.Redis per connection pool, where Django makes one per call."""

from config.cache import ForgivingRedisCache

# Nothing listens on port 1; making a client does not connect.
CLOSED_PORT = "redis://127.0.0.1:1/0"


def make_cache() -> ForgivingRedisCache:
    return ForgivingRedisCache(CLOSED_PORT, {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_every_call_gets_the_same_client_of_the_same_pool():
    client = make_cache()._cache

    reading = client.get_client("a")

    assert client.get_client("b") is reading
    assert client.get_client("c", write=True) is reading  # one server: one pool for both
    assert reading.connection_pool is client._get_connection_pool(False)


def test_two_caches_never_share_a_client():
    assert make_cache()._cache.get_client() is not make_cache()._cache.get_client()


def test_the_reused_client_still_falls_back_while_redis_is_down():
    cache = make_cache()

    cache.set("key", "value")

    assert cache.get("key") == "value"  # from the worker's own memory
