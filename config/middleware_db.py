"""What Hearth answers when its database can't be reached: a friendly 503, never a traceback.

A request that fails because PostgreSQL is down or restarting (`OperationalError`,
`InterfaceError`) gets a plain page saying so, or the API's JSON error shape for `/api/` paths,
with `Retry-After`. The page is rendered without a request context, so showing it needs no
database (base.html would look up the signed-in person). `config.views.server_error` (the 500
handler) uses the same answer for failures raised outside a view, in a middleware.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from config.errors import error_body

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 15
API_MESSAGE = (
    "Hearth can't reach its database for a moment, so this request was not completed. "
    f"Please try again in {RETRY_AFTER_SECONDS} seconds."
)

logger = logging.getLogger(__name__)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body({"detail": API_MESSAGE}), status=503)
    else:
        page = render_to_string("503.html", {"retry_url": request.get_full_path()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def database_unavailable(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answers 503 when a view fails because the database can't be reached."""

    def middleware(request: HttpRequest) -> HttpResponse:
        return get_response(request)

    def process_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        # The class only: a database error's text can quote the values of a refused row.
        logger.warning(
            "database unavailable: %s %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
        )
        return database_unavailable_response(request)

    middleware.process_exception = process_exception
    return middleware
