"""Clear-Site-Data: what a browser keeps for Hearth (the service worker, its cached app shell,
days waiting in IndexedDB) is wiped from the device when a person signs out or deletes their
account, so the next person at a shared phone or computer finds nothing."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"cache", "storage"'


def clears_site_data(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Adds Clear-Site-Data to the answer that ends a person's session (they were signed in
    before the view and are not after it); any other answer of the view is left alone."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = view(request, *args, **kwargs)
        if was_signed_in and not request.user.is_authenticated:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    return wrapped
