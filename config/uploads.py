"""Uploaded files stop at settings.UPLOAD_MAX_BYTES while they stream in.

Django writes an upload to memory or a temporary file in full before any form can look at its
size, so a 300 MB file used to land on disk before the import said no. LimitedUploadHandler runs
first in FILE_UPLOAD_HANDLERS and passes each chunk on to Django's own handlers until the file
passes the limit; then it skips the file (Django deletes what was written of it) and the rest of
it is read past without being kept. The form fields around the file still arrive, so the page can
say why and keep the person's choices. A request body too large to be any acceptable upload is
refused unread, with 413, by config/body_limit.py.

The import page alone (LARGE_UPLOAD_URL) takes files up to settings.IMPORT_UPLOAD_MAX_BYTES: an
Apple Health export is often hundreds of MB. Past Django's FILE_UPLOAD_MAX_MEMORY_SIZE a file
streams, encrypted a chunk at a time, into portability's store (upload_store.SealingUploadHandler),
never whole into memory and never in plain on disk.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.urls import reverse

LARGE_UPLOAD_URL = "portability:import"


def upload_limit(request: HttpRequest) -> int:
    """The largest file this request may upload."""
    if request.path == reverse(LARGE_UPLOAD_URL):
        return max(settings.IMPORT_UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
    return settings.UPLOAD_MAX_BYTES


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.request_size = 0
        self.received = 0  # bytes of the current file seen so far
        self.refused = False
        self.limit = upload_limit(request) if request is not None else settings.UPLOAD_MAX_BYTES

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_size = content_length
        return None  # Django parses the body as usual

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler holds the file


def refused_upload_size(request: HttpRequest) -> int | None:
    """If a file in this request passed its limit (upload_limit) and was skipped, the size the
    request said it had (the file's, give or take the form fields); None otherwise."""
    for handler in request.upload_handlers:
        if isinstance(handler, LimitedUploadHandler) and handler.refused:
            return handler.request_size
    return None
