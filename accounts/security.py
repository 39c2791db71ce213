"""The security activity log: recording what happens to an account, never health data."""

import re

from django.http import HttpRequest

from accounts.models import SecurityEvent, User

# Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def coarse_device(user_agent: str) -> str:
    """'Firefox on Android' from a user agent: enough to recognise a device, no more."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    # Scripts and API clients: keep the product name only ("python-requests", "curl").
    match = re.match(r"[A-Za-z][\w.-]{0,40}", user_agent)
    return match.group(0) if match else "Unknown device"


def record(request: HttpRequest | None, user: User, kind: SecurityEvent.Kind) -> SecurityEvent:
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SecurityEvent.objects.create(user=user, kind=kind, device=coarse_device(user_agent))
