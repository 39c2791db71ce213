"""config/uploads.py and config/body_limit.py together: a file stops at UPLOAD_MAX_BYTES while it
streams in, so nothing past the limit reaches memory or disk, the form fields around it still
arrive, and a body too large to be any acceptable upload is refused unread with 413."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import RequestFactory

from config.uploads import LimitedUploadHandler, refused_upload_size

LIMIT = 256 * 1024
CHUNK = 64 * 1024  # Django's upload handlers read 64 KB at a time


class KeptBytes(FileUploadHandler):
    """Stands where Django's memory and temporary-file handlers stand, counting what they would
    have kept."""

    kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        KeptBytes.kept += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_request(settings, size: int):
    settings.UPLOAD_MAX_BYTES = settings.IMPORT_UPLOAD_MAX_BYTES = LIMIT
    settings.FILE_UPLOAD_HANDLERS = [
        "config.uploads.LimitedUploadHandler",
        "tests.config.test_uploads.KeptBytes",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
    ]
    KeptBytes.kept = 0
    data = {
        "before": "kept",
        "file": SimpleUploadedFile("days.csv", b"x" * size),
        "after": "kept too",
    }
    return RequestFactory().post("/account/data/import/", data)


def test_a_file_past_the_limit_is_stopped_there_and_the_other_fields_still_arrive(settings):
    request = upload_request(settings, size=5 * 1024 * 1024)

    assert "file" not in request.FILES
    assert (request.POST["before"], request.POST["after"]) == ("kept", "kept too")
    handler = request.upload_handlers[0]
    assert isinstance(handler, LimitedUploadHandler)
    assert LIMIT < handler.received <= LIMIT + CHUNK  # it stopped at the limit...
    assert KeptBytes.kept <= LIMIT  # ...before any handler after it kept more
    assert refused_upload_size(request) == int(request.META["CONTENT_LENGTH"])


def test_a_file_within_the_limit_arrives_whole(settings):
    request = upload_request(settings, size=LIMIT)

    assert request.FILES["file"].read() == b"x" * LIMIT
    assert refused_upload_size(request) is None


def test_a_body_larger_than_any_upload_is_refused_unread_with_413(client, settings, user):
    settings.UPLOAD_MAX_BYTES = settings.IMPORT_UPLOAD_MAX_BYTES = LIMIT
    client.force_login(user)
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + LIMIT + 1
    file = SimpleUploadedFile("days.csv", b"x" * size)

    response = client.post("/account/data/import/", {"file": file, "existing": "skip"})

    assert response.status_code == 413
    assert response.content.decode() == (
        "The file is too large: Hearth accepts files of up to 0.25 MB."
    )
