"""Cache keys for one person's trends and insights, so a write makes every cached number stale."""

CACHE_SECONDS = 24 * 60 * 60


def cache_key(user, *parts) -> str:
    # The data version changes on every write, so a stale entry is never read again; "v3" is
    # the shape of what is cached, raised when it changes (v2: which answers are intimate;
    # v3: the flare calendar caches its days, and the template draws them).
    return ":".join(["trends", "v3", str(user.pk), str(user.data_version), *map(str, parts)])
