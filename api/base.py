"""What every API view shares: ApiBase (throttles counted first, allauth's refusals as the API's)
and the schema's description of a day in the query string. Every error's JSON shape is set by
api/errors.py's exception handler."""

from allauth.core.exceptions import ReauthenticationRequired
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response


def day_query(name: str, description: str) -> OpenApiParameter:
    """A day in the query string; as on the pages, an empty value counts as not given."""
    blank = {"type": "string", "maxLength": 0}
    return OpenApiParameter(
        name, {"oneOf": [{"type": "string", "format": "date"}, blank]}, description=description
    )


class ApiBase:
    """The first base class of every API view (before DRF's view or viewset).

    It counts every request against the throttles before permissions are checked: DRF
    throttles after the permission check, so requests refused for want of credentials (or with
    wrong ones) would never be counted; this way anonymous addresses are limited too.

    A view that asks a browser session to confirm the password again (allauth's
    reauthentication_required) answers 403 with `reauthentication_message`: a JSON client
    cannot be sent to allauth's page."""

    reauthentication_message = (
        "This needs your password again: confirm it on the site first, or use an API token."
    )

    def perform_authentication(self, request: Request) -> None:
        try:
            super().perform_authentication(request)
        finally:
            self.check_throttles(request)

    def check_throttles(self, request: Request) -> None:
        if not getattr(self, "_throttles_checked", False):
            self._throttles_checked = True
            super().check_throttles(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ReauthenticationRequired):
            exc = PermissionDenied(self.reauthentication_message)
        return super().handle_exception(exc)
