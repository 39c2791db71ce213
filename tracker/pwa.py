"""Hearth as an app on a phone: the web app manifest, the service worker and the pages it keeps
for when the network is gone (templates/pwa/, static/js/offline*.js).

The service worker keeps only the app shell: static files and two pages rendered for nobody in
particular (the offline page and an empty log form). It fetches them without cookies and these
views never read the person, so no cached answer can hold anyone's data."""

import functools
import hashlib
import json

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from tracker.forms import DailyEntryForm

THEME_COLOUR = "#7a3b2e"  # --accent in static/css/hearth.css
BACKGROUND_COLOUR = "#fbf7f3"  # --bg
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/maskable-512.png", "512x512", "maskable"),
]
# What every page loads (templates/base.html), plus the icons: the shell kept on the phone.
SHELL_STATIC = [
    "css/hearth.css",
    "js/hearth.js",
    "js/error-summary.js",
    "js/character-count.js",
    "js/offline-queue.js",
    "js/offline.js",
    "img/hearth.svg",
    "icons/apple-touch-icon-180.png",
    *(path for path, _, _ in ICONS),
]


@require_safe
@cache_control(no_cache=True)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "id": "/log/",
            "name": "Hearth",
            "short_name": "Hearth",
            "description": "A private journal for living with autoimmune disease.",
            "lang": "en",
            "start_url": reverse("tracker:log_today"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
                for path, sizes, purpose in ICONS
            ],
        },
        content_type="application/manifest+json",
    )


def queue_owner(user) -> str:
    """An opaque name for the person, kept with each day waiting in the phone's offline queue:
    a day saved while one person's session was open is only ever sent, shown or filled in for
    that person, even if their session ends without signing out and someone else signs in."""
    return salted_hmac("hearth.pwa.queue_owner", str(user.pk)).hexdigest()[:24]


@functools.cache
def shell_version() -> str:
    """A hash of the shell's static files: a deploy that changes any of them changes /sw.js,
    so browsers install the new worker and drop the old shell. Worked out once a process, as a
    deploy starts new processes: browsers ask for /sw.js often, and the files are some 100 KB."""
    digest = hashlib.sha256()
    for path in SHELL_STATIC:
        with open(finders.find(path), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:16]


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL_STATIC] + [
        reverse("pwa_offline"),
        reverse("pwa_offline_log"),
    ]
    return render(
        request,
        "pwa/sw.js",
        {
            "version": shell_version(),
            "shell": json.dumps(shell),
            "queue_script": static("js/offline-queue.js"),
            "offline_page": reverse("pwa_offline"),
            "offline_log": reverse("pwa_offline_log"),
        },
        content_type="text/javascript; charset=utf-8",
    )


def _for_nobody(request: HttpRequest) -> HttpRequest:
    # The worker fetches these pages without cookies; a person opening one directly must not
    # get their name or menu into a page meant for the shell either.
    request.user = AnonymousUser()
    return request


@require_safe
@cache_control(no_cache=True)
def offline(request: HttpRequest) -> HttpResponse:
    return render(_for_nobody(request), "pwa/offline.html")


@require_safe
@cache_control(no_cache=True)
def offline_log(request: HttpRequest) -> HttpResponse:
    """The empty log form the worker shows for /log/ while offline: the shared catalogue only,
    no version, no day (offline.js reads the day from the address the person opened)."""
    return render(_for_nobody(request), "pwa/offline_log.html", {"form": DailyEntryForm(user=None)})


@require_safe
def install(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/install.html")
