"""Response headers Django does not set by itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
