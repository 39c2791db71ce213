"""Shared devices: after the idle time a person chose, pages with their health data ask for the
password (or a passkey) again.

A view says it shows or takes a person's health records with `@shows_health_data`, next to its
`@login_required`. A view without the mark stays open to an idle session, so every page of the
journal, the API's records and the account pages that hold them carry it.

The time of the last request lives in the session. Sign-in and allauth's reauthentication are
recorded in the session too (with their time), so either one restarts the idle clock.
"""

from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import ResolverMatch, reverse
from django.utils import timezone

from accounts.allauth_internals import get_reauthentication_flows, suspend_request
from config.view_marks import is_marked, view_mark

LAST_SEEN_SESSION_KEY = "hearth_last_seen"
# Writing the session on every page view would turn each read into a write; noting activity at
# most once a minute means the timeout can come up to a minute early, never late.
LAST_SEEN_PRECISION_SECONDS = 60

AWAY_MESSAGE = "You have been away for a while. To see your journal again, confirm it is you."


def start_idle_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """On every sign-in (Django's user_logged_in): the idle clock starts now."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_SESSION_KEY] = timezone.now().timestamp()


# On a view (function or class) that shows or takes a person's health records.
shows_health_data = view_mark("shows_health_data")


def last_active(request: HttpRequest) -> float | None:
    """When this session last showed activity (seconds since the epoch): its last noted
    request, sign-in or reauthentication, whichever came last; None if nothing is known."""
    times = [record["at"] for record in get_authentication_records(request, request.user)]
    if LAST_SEEN_SESSION_KEY in request.session:
        times.append(request.session[LAST_SEEN_SESSION_KEY])
    return max(times, default=None)


def _uses_bearer_token(request: HttpRequest) -> bool:
    scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0]
    return scheme.lower() == "bearer"


def _answers_json(match: ResolverMatch) -> bool:
    # The API, and an import's status.json, which scripts read rather than people.
    return match.namespace == "api" or match.route.endswith(".json")


class IdleTimeoutMiddleware:
    """Sends a person who has been idle longer than `User.idle_timeout_minutes` to allauth's
    reauthentication page before any page with health data; the API answers 401 instead.
    Requests with a Bearer token are left to the token: scripts have no idle time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or _uses_bearer_token(request):
            return None
        now = timezone.now().timestamp()
        last = last_active(request)
        if last is not None and now - last > request.user.idle_timeout_minutes * 60:
            # Only signing in again restarts the clock: visiting a page without health data
            # while idle must not, or anyone could reset it from the home page.
            health_data = is_marked(request.resolver_match, "shows_health_data")
            if health_data and get_reauthentication_flows(request.user):
                return self._ask_again(request)
            return None
        if last is None or now - last >= LAST_SEEN_PRECISION_SECONDS:
            request.session[LAST_SEEN_SESSION_KEY] = now
        return None

    def _ask_again(self, request: HttpRequest) -> HttpResponse:
        if _answers_json(request.resolver_match):
            response = JsonResponse({"errors": {"detail": [AWAY_MESSAGE]}}, status=401)
            response["WWW-Authenticate"] = "Bearer"
            return response
        messages.info(request, AWAY_MESSAGE)
        # allauth keeps a POST's body in the session and replays it after the password, so a
        # day typed into the log form before the timeout is not lost.
        return suspend_request(request, reverse("account_reauthenticate"))
