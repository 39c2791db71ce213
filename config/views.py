"""Site-wide pages that belong to no single app: landing, privacy, health check, CSRF failure."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.models import PRIVACY_VERSION


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:log_today")
    return render(request, "home.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"privacy_version": PRIVACY_VERSION})


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
