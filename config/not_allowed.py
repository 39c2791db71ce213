"""Every 405 gets Hearth's own page, like 404 and 500 (the API's JSON error under /api/).

Django has no handler for 405: require_POST and the like answer it with an empty body, which
the browser shows as a blank page. Answers that already say something (DRF's) are left alone.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from config import views


def method_not_allowed_page(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 405 and not response.content:
            return views.method_not_allowed(request, response.get("Allow", ""))
        return response

    return middleware
