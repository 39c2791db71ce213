"""Site-wide pages that belong to no single app: landing, health check, CSRF failure, method not
allowed, server error. (The privacy page reads accounts' privacy version: accounts/views.py.)"""

import sys

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache

from config.errors import error_body
from config.middleware_db import DATABASE_DOWN, database_unavailable_response


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:log_today")
    return render(request, "home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """Hearth's own 405 page (the API's JSON error under /api/), for a request whose method the
    view does not take, such as opening a Remove button's address."""
    if request.path.startswith("/api/"):
        message = f'Method "{request.method}" not allowed.'
        response = JsonResponse(error_body({"detail": message}), status=405)
    else:
        response = render(request, "405.html", status=405)
    response["Allow"] = allowed
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler; a database outage (even one met in a middleware) answers 503 instead."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable_response(request)
    return defaults.server_error(request)
