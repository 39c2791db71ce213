"""Request bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE answer 413 before anything reads them.

Django refuses an oversized form body only when `request.POST` is read (with a bare 400), and DRF
reads JSON from the stream, past Django's check. Nothing Hearth accepts comes near the limit
(notes hold 2,000 characters). A file upload (multipart) may be larger: its file stops at
UPLOAD_MAX_BYTES while it streams in (config/uploads.py), and a body larger than that file and
the form fields together is refused here, unread.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from config.errors import error_body
from config.uploads import upload_limit


def too_large_message(multipart: bool = False, upload_bytes: int | None = None) -> str:
    if multipart:
        megabytes = (upload_bytes or settings.UPLOAD_MAX_BYTES) / 1024 / 1024
        return f"The file is too large: Hearth accepts files of up to {megabytes:g} MB."
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
        upload_bytes = upload_limit(request)
        if limit is not None and multipart:
            limit += upload_bytes
        if limit is None or length <= limit:
            return get_response(request)
        message = too_large_message(multipart, upload_bytes)
        if request.path.startswith("/api/"):
            return JsonResponse(error_body({"detail": message}), status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")

    return middleware
