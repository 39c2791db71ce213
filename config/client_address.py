"""The address a request came from: the one every rate limit counts (sign-in, sign-up, password
reset through allauth's adapter; the API's throttles here).

Each proxy in front of Hearth appends the address it was reached from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies the entry that many places from the right was written by Hearth's own
outermost proxy; everything to its left is whatever the client chose to send. With no proxy (the
default, 0) the header is ignored and the connection's own address is used.
"""

from django.conf import settings
from django.http import HttpRequest
from rest_framework import throttling


def client_address(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if proxies and forwarded:
        # Fewer entries than proxies means a proxy was bypassed or misconfigured; the leftmost
        # entry is then the furthest one any of them saw.
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's limit for requests without credentials, counted per client_address()."""

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)


class UserRateThrottle(throttling.UserRateThrottle):
    """DRF's limit per person; a request without credentials counts per client_address()."""

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)
