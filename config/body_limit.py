"""Request bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE answer 413 before anything reads them.

Django refuses an oversized form body only when `request.POST` is read (with a bare 400), and DRF
reads JSON from the stream, past Django's check. Nothing Hearth accepts comes near the limit
(notes hold 2,000 characters); file uploads (multipart) keep Django's own limits.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from tracker.api.errors import error_body


def too_large_message() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
    return f"The request body is too large: Hearth accepts up to {megabytes:g} MB."


def request_body_limit(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.content_type == "multipart/form-data"
        if limit is None or length <= limit or multipart:
            return get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(error_body({"detail": too_large_message()}), status=413)
        return HttpResponse(
            too_large_message(), status=413, content_type="text/plain; charset=utf-8"
        )

    return middleware
