"""Summaries read from a PostgreSQL streaming replica; everything else uses the primary.

Active only when DATABASE_REPLICA_URL is set: settings then add the "replica" database, this
router and its middleware. The pages and API endpoints that only read and summarise a person's
records (trends, insights, history) say so with `@reads_from_replica`, and read the tracker's
tables from the replica. Writes, sign-in, sessions, accounts and every page without the mark
use the primary: a view that forgets it is only slower, never stale.

Read your own writes: a replica trails the primary by a little. A person who saved something in
the last `RECENT_WRITE_SECONDS` reads from the primary, so they always see their own save. The
marker is kept twice: as a cookie, for browsers, which works without a shared cache, and as a
cache key per person, for API clients, which may not keep cookies. Forging the cookie only sends
one's own reads to the primary.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse

from config.view_marks import is_marked, view_mark

REPLICA = "replica"
REPLICA_APPS = frozenset({"tracker"})
RECENT_WRITE_SECONDS = 10
RECENT_WRITE_COOKIE = "hearth_recent_write"
SAFE_METHODS = frozenset({"GET", "HEAD"})


# On a view (function or class) that only reads and summarises: its GET may read the replica.
reads_from_replica = view_mark("reads_from_replica")


def recent_write_key(user_id: int) -> str:
    return f"recent-write:{user_id}"


@dataclass
class RequestRouting:
    """What the router needs to know about the request being served."""

    request: HttpRequest
    wrote: bool = False
    _pinned: bool | None = None

    def replica_allowed(self) -> bool:
        return (
            is_marked(self.request.resolver_match, "reads_from_replica")
            and self.request.method in SAFE_METHODS
            and not self.wrote
            and not self.pinned_to_primary()
        )

    def pinned_to_primary(self) -> bool:
        """Whether this person saved something a moment ago (looked up once per request)."""
        if self._pinned is None:
            user = getattr(self.request, "user", None)
            self._pinned = RECENT_WRITE_COOKIE in self.request.COOKIES or bool(
                user is not None and user.is_authenticated and cache.get(recent_write_key(user.pk))
            )
        return self._pinned


_current: ContextVar[RequestRouting | None] = ContextVar("hearth_request_routing", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        routing = _current.get()
        if (
            routing is not None
            and model._meta.app_label in REPLICA_APPS
            and routing.replica_allowed()
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        routing = _current.get()
        if routing is not None and model._meta.app_label in REPLICA_APPS:
            routing.wrote = True
        # Always named, so an object read from the replica is still saved to the primary.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db != REPLICA


def replica_routing(get_response: Callable[[HttpRequest], HttpResponse]):
    """Lets the router see the request, and marks the person as having just written."""

    def middleware(request: HttpRequest) -> HttpResponse:
        routing = RequestRouting(request)
        token = _current.set(routing)
        try:
            response = get_response(request)
        finally:
            _current.reset(token)
        if routing.wrote:
            remember_recent_write(request, response)
        return response

    return middleware


def remember_recent_write(request: HttpRequest, response: HttpResponse) -> None:
    response.set_cookie(
        RECENT_WRITE_COOKIE,
        "1",
        max_age=RECENT_WRITE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cache.set(recent_write_key(user.pk), True, RECENT_WRITE_SECONDS)
