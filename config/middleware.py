"""Response headers Django does not set by itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """Permissions-Policy's structured-header form: {"camera": []} -> "camera=()"."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


def permissions_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    """Tell the browser which powerful features no Hearth page may use
    (settings.PERMISSIONS_POLICY). Listed before WhiteNoise, so static files carry it too."""
    header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware


def private_when_signed_in(get_response: Callable[[HttpRequest], HttpResponse]):
    """Whatever is answered to a signed-in person (through the session or an API token) may
    carry their health data, so no browser or proxy may keep a copy: the back button or a shared
    computer's disk cache would show it after sign-out. Static files never get here (WhiteNoise
    answers them first), so they keep their far-future caching."""

    def middleware(request: HttpRequest) -> HttpResponse:
        # Read before the view as well: signing out ends the session the page was shown to.
        signed_in = request.user.is_authenticated
        response = get_response(request)
        # An API token is checked inside the view, which then sets request.user.
        signed_in = signed_in or request.user.is_authenticated
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
