"""portability/upload_store.py, the periodic clean-up and the import page's own size limit: a
large file is kept encrypted in chunks that can be read back from any position, under any of the
notes' keys; it goes once read, with its job or its owner's account, or after
IMPORT_UPLOAD_KEEP_SECONDS; only the import page takes files past UPLOAD_MAX_BYTES."""

import datetime
import os
import pathlib
import time

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory

from config.uploads import upload_limit
from portability import deletion, tasks, upload_store
from portability.models import ImportJob
from tests.pages import words
from tests.portability.importer_files import upload
from tests.portability.test_import_large import THREE_NIGHTS
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")
MEGABYTE = 1024 * 1024
CONTENT = os.urandom(2 * upload_store.CHUNK + 12_345)


@pytest.fixture(autouse=True)
def folder(settings, tmp_path) -> pathlib.Path:
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"


def pieces(content: bytes, size: int):
    return (content[at : at + size] for at in range(0, len(content), size))


@pytest.mark.parametrize("piece", [64 * 1024, 1_000_003, 3 * upload_store.CHUNK])
def test_a_file_reads_back_whole_whatever_the_size_of_the_pieces_it_came_in(piece):
    name, size = upload_store.store(pieces(CONTENT, piece))

    assert size == len(CONTENT)
    with upload_store.open_stored(name) as file:
        assert file.read() == CONTENT


@pytest.mark.parametrize("length", [0, 1, upload_store.CHUNK - 1, upload_store.CHUNK])
def test_files_of_edge_sizes_read_back_exactly(length):
    name, size = upload_store.store([CONTENT[:length]])

    with upload_store.open_stored(name) as file:
        assert (size, file.read()) == (length, CONTENT[:length])
        assert file.seek(0, os.SEEK_END) == length


def test_any_position_can_be_read_as_zip_files_are():
    name, _ = upload_store.store([CONTENT])

    with upload_store.open_stored(name) as file:
        for position in [len(CONTENT) - 22, 5, upload_store.CHUNK - 3, 2 * upload_store.CHUNK]:
            file.seek(position)
            assert file.read(40) == CONTENT[position : position + 40]
        file.seek(-10, os.SEEK_END)
        assert file.read() == CONTENT[-10:]


def test_what_is_on_disk_is_ciphertext_readable_by_hearth_alone(folder):
    name, _ = upload_store.store([b"HealthData sleep " * 100_000])

    on_disk = (folder / name).read_bytes()
    assert b"HealthData" not in on_disk
    assert (folder / name).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_file_stored_under_an_old_key_reads_after_a_new_key_is_put_first(settings):
    name, _ = upload_store.store([CONTENT])

    settings.NOTES_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.NOTES_ENCRYPTION_KEYS,
    ]

    with upload_store.open_stored(name) as file:
        assert file.read() == CONTENT


@pytest.mark.parametrize("name", ["", "../secret", "a/b", "x.y"])
def test_only_names_the_store_gives_are_opened(name):
    with pytest.raises(ValueError):
        upload_store.path_of(name)


def waiting_job(user, state: str, **values) -> ImportJob:
    name, size = upload_store.store([THREE_NIGHTS])
    return ImportJob.objects.create(
        owner=user,
        state=state,
        kind="file",
        source="apple_health",
        upload_name=name,
        bytes_total=size,
        overwrite=False,
        **values,
    )


def test_the_clean_up_ends_what_waited_too_long_and_leaves_the_rest(user, folder, settings):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(
        seconds=settings.IMPORT_UPLOAD_KEEP_SECONDS + 60
    )
    stale = [waiting_job(user, state, created_at=long_ago) for state in ("uploaded", "reading")] + [
        waiting_job(user, "read", created_at=long_ago, file_text='{"days": {}}')
    ]
    fresh = waiting_job(user, "uploaded")
    orphan, _ = upload_store.store([b"left by a crash"])
    stale_time = time.time() - settings.IMPORT_UPLOAD_KEEP_SECONDS - 60
    os.utime(folder / orphan, (stale_time, stale_time))

    tasks.clean_import_uploads()

    for job in stale:
        job.refresh_from_db()
        assert (job.state, job.upload_name, job.file_text) == ("failed", "", "")
        assert job.error == tasks.WAITED_TOO_LONG
    assert sorted(path.name for path in folder.iterdir()) == [fresh.upload_name]
    fresh.refresh_from_db()
    assert fresh.state == "uploaded"


def test_the_clean_up_runs_on_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["portability-clean-import-uploads"]
    assert schedule["task"] == "portability.tasks.clean_import_uploads"
    assert tasks.clean_import_uploads.name == schedule["task"]


def test_deleting_the_account_deletes_its_stored_file(
    user, folder, django_capture_on_commit_callbacks
):
    job = waiting_job(user, "uploaded")

    with django_capture_on_commit_callbacks(execute=True):
        deletion.delete_account(user)

    assert not ImportJob.objects.exists()
    assert not (folder / job.upload_name).exists()


def test_only_the_import_page_takes_files_past_the_upload_limit(settings):
    settings.UPLOAD_MAX_BYTES = 20 * MEGABYTE
    settings.IMPORT_UPLOAD_MAX_BYTES = 600 * MEGABYTE
    requests = RequestFactory()

    assert upload_limit(requests.post("/account/data/import/")) == 600 * MEGABYTE
    assert upload_limit(requests.post("/account/data/import/preview/")) == 20 * MEGABYTE
    assert upload_limit(requests.post("/api/v1/import/")) == 20 * MEGABYTE


def test_a_body_past_the_upload_limit_elsewhere_is_refused_unread_with_413(signed_in, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024 + 1
    file = SimpleUploadedFile("days.csv", b"x" * size)

    elsewhere = signed_in.post("/account/data/import/preview/", {"file": file})
    file.seek(0)
    import_page = signed_in.post("/account/data/import/", {"file": file, "existing": "skip"})

    assert elsewhere.status_code == 413
    assert import_page.status_code == 200  # taken, and refused by the form as a Hearth file


def test_a_file_past_the_import_limit_is_refused_with_the_limit_and_the_choices_kept(
    signed_in, settings
):
    settings.UPLOAD_MAX_BYTES = 1024
    settings.IMPORT_UPLOAD_MAX_BYTES = MEGABYTE
    padding = b" " * (MEGABYTE + MEGABYTE // 7 - len(THREE_NIGHTS))

    response = upload(signed_in, THREE_NIGHTS + padding, "export.zip", existing="fill")

    text = words(response)
    assert "This file is 1.2 MB, and Hearth imports files of up to 1 MB." in text
    assert 'value="fill" required id="id_existing_2" checked' in response.content.decode()
    assert not ImportJob.objects.exists() and not DailyEntry.objects.exists()


def test_hearths_own_file_keeps_the_smaller_limit(signed_in, settings):
    settings.UPLOAD_MAX_BYTES = MEGABYTE
    content = b"day,stress\r\n" + b"2026-11-20,1\r\n" * 80_000

    response = upload(signed_in, content, "days.csv")

    assert "This file is 1.1 MB, and Hearth imports files of up to 1 MB." in words(response)
    assert not ImportJob.objects.exists() and not DailyEntry.objects.exists()


def test_the_page_says_how_large_another_apps_export_may_be(signed_in, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 600 * MEGABYTE

    text = words(signed_in.get("/account/data/import/"))

    assert "An Apple Health export may be up to 600 MB." in text


def test_another_apps_csv_keeps_the_smaller_limit(signed_in, settings):
    settings.UPLOAD_MAX_BYTES = MEGABYTE
    header = "date,sex.solo,sex.partner,desire.value,note.value\r\n"
    content = (header + "2026-11-20,,,1,\r\n" * 66_000).encode()

    response = upload(signed_in, content, "drip.csv", source="drip")

    assert "This file is 1.1 MB, and Hearth imports files of up to 1 MB." in words(response)
    assert not ImportJob.objects.exists() and not DailyEntry.objects.exists()


# Uploads too large for memory, sealed as they arrive -------------------------------------------


@pytest.fixture
def nothing_in_plain(settings, monkeypatch):
    """Uploads past 1 KB leave memory; Django's plain temporary file must never be made."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024

    def refuse(*args, **kwargs):
        raise AssertionError("An upload was written in plain to a temporary file.")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)


def test_an_upload_past_memory_is_sealed_as_it_arrives_and_gone_after_its_request(
    signed_in, user, folder, nothing_in_plain, monkeypatch
):
    seen = []  # what was on disk while the request read the file
    finish = upload_store.SealedUpload.finish

    def finish_and_look(self):
        finish(self)
        seen.append((folder / self.sealer.name).read_bytes())

    monkeypatch.setattr(upload_store.SealedUpload, "finish", finish_and_look)
    note = "a note that must never be on disk in plain"
    first = datetime.date(2026, 9, 1)
    days = [f"{first + datetime.timedelta(days=n)},3,{note}" for n in range(40)]
    csv = "\n".join(["day,stress,notes", *days, ""]).encode()
    assert len(csv) > 1024

    upload(signed_in, csv, "days.csv")

    [on_disk] = seen
    assert note.encode() not in on_disk and b"2026-09-01" not in on_disk
    assert DailyEntry.objects.filter(user=user).count() == 40
    assert list(folder.iterdir()) == []  # closed with the request, so deleted


def test_a_large_upload_is_handed_to_its_job_sealed_as_it_came(
    signed_in, user, folder, nothing_in_plain, settings
):
    settings.UPLOAD_MAX_BYTES = 1024  # large: read by a job

    upload(signed_in, THREE_NIGHTS, "export.zip")

    job = ImportJob.objects.get(owner=user)
    # The file sealed on the way in is the job's: not sealed a second time, not deleted.
    assert [path.name for path in folder.iterdir()] == [job.upload_name]
    with upload_store.open_stored(job.upload_name) as stored_file:
        assert stored_file.read() == THREE_NIGHTS


def test_an_upload_refused_past_its_limit_leaves_nothing_sealed(
    signed_in, user, folder, nothing_in_plain, settings
):
    settings.IMPORT_UPLOAD_MAX_BYTES = settings.UPLOAD_MAX_BYTES = 4096

    response = upload(signed_in, b"day,stress\n" + b"x" * 10_000, "days.csv")

    assert response.status_code == 200
    assert "Hearth imports files of up to" in words(response)
    assert list(folder.iterdir()) == []
