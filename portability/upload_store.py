"""Large import files (an Apple Health export.zip of hundreds of MB), kept encrypted on disk
until a background job has read them (portability/tasks.py: read_upload), and every upload too
large for memory while its request lasts (SealingUploadHandler): nothing uploaded is ever on
disk in plain.

A file is written in chunks of CHUNK bytes, each one a Fernet token under the notes' keys
(config/encryption.py), stored as raw bytes one after another. Every full chunk's token has the
same length, so `open_stored` can seek to any chunk and decrypt only it: the zip reader jumps to
the central directory at the end and back, and never more than one chunk is in memory. The file's
name is random (never the person's, the job's id or the file's name), readable by Hearth's own
user only, in settings.IMPORT_UPLOAD_DIR; a backup of that folder holds only ciphertext. It is
deleted once read, when its job is deleted (cancel, account deletion) and, if anything was
missed, by the periodic clean-up (tasks.clean_import_uploads).
"""

import base64
import io
import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from config.encryption import notes_cipher

CHUNK = 1024 * 1024
NAME_BYTES = 32


def token_size(plain_bytes: int) -> int:
    """The raw size of the Fernet token of plain_bytes: version, time and IV (25 bytes), the
    AES-CBC ciphertext (padded to whole blocks, a block more when already whole), the HMAC."""
    return 25 + (plain_bytes // 16 + 1) * 16 + 32


CHUNK_TOKEN = token_size(CHUNK)


def folder() -> Path:
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(name: str) -> Path:
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise ValueError("Not a stored import file's name.")
    return folder() / name


class Sealer:
    """A new stored file, written as its bytes come (in pieces of any size) and encrypted a
    CHUNK at a time: never more than one chunk of plain bytes in memory, none on disk."""

    def __init__(self) -> None:
        self.name = secrets.token_urlsafe(NAME_BYTES)
        self.size = 0  # plain bytes sealed so far
        self._cipher = notes_cipher()
        self._pending = bytearray()
        descriptor = os.open(path_of(self.name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._out = os.fdopen(descriptor, "wb")

    def write(self, data: bytes) -> None:
        self._pending += data
        while len(self._pending) >= CHUNK:
            self._out.write(_sealed(self._cipher, bytes(self._pending[:CHUNK])))
            self.size += CHUNK
            del self._pending[:CHUNK]

    def finish(self) -> tuple[str, int]:
        """Seals what is left (an empty file is one empty chunk); the name and plain size."""
        if self._pending or not self.size:
            self._out.write(_sealed(self._cipher, bytes(self._pending)))
            self.size += len(self._pending)
            self._pending.clear()
        self._out.close()
        return self.name, self.size

    def discard(self) -> None:
        self._out.close()
        delete(self.name)


def store(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Encrypts the file's bytes (as they come, in chunks of any size) into a new stored file;
    returns its name and its plain size."""
    sealer = Sealer()
    try:
        for data in chunks:
            sealer.write(data)
        return sealer.finish()
    except BaseException:
        sealer.discard()
        raise


def _sealed(cipher, plain: bytes) -> bytes:
    return base64.urlsafe_b64decode(cipher.encrypt(plain))


class SealedUpload(UploadedFile):
    """A file uploaded past FILE_UPLOAD_MAX_MEMORY_SIZE, kept sealed in the store while the
    request lasts (where Django would write it in plain to a temporary file) and read back
    decrypted. Django closes every uploaded file when the request ends; closing deletes it,
    unless `keep` has handed it to a job."""

    def __init__(self, name: str, content_type: str, charset: str | None, extra: dict | None):
        super().__init__(None, name, content_type, 0, charset, extra)
        self.sealer = Sealer()
        self.kept = False

    def finish(self) -> None:
        name, self.size = self.sealer.finish()
        self.file = open_stored(name)

    def keep(self) -> tuple[str, int]:
        self.kept = True
        return self.sealer.name, self.size

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        if not self.kept:
            self.sealer.discard()


class SealingUploadHandler(FileUploadHandler):
    """Streams an upload too large for memory into a SealedUpload, a chunk at a time: in
    FILE_UPLOAD_HANDLERS where Django's TemporaryFileUploadHandler would be, so no upload is
    ever on disk in plain."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file = SealedUpload(
            self.file_name, self.content_type, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.file.sealer.write(raw_data)

    def file_complete(self, file_size: int) -> SealedUpload:
        self.file.finish()
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()


def keep_upload(upload: UploadedFile) -> tuple[str, int]:
    """The uploaded file as a stored file that outlives the request (its name and size): a
    SealedUpload already is one; any other is sealed now."""
    if isinstance(upload, SealedUpload):
        return upload.keep()
    upload.seek(0)
    return store(upload.chunks())


def open_stored(name: str) -> BinaryIO:
    """The stored file, decrypted as it is read (seekable)."""
    return io.BufferedReader(_Decrypting(path_of(name)), buffer_size=CHUNK)


def delete(name: str) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)


def delete_older_than(seconds: float) -> int:
    """Deletes stored files last written more than `seconds` ago; how many."""
    cutoff = time.time() - seconds
    deleted = 0
    for path in folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


class _Decrypting(io.RawIOBase):
    def __init__(self, path: Path) -> None:
        self.file = path.open("rb")
        stored = self.file.seek(0, os.SEEK_END)
        self.cached: tuple[int, bytes] | None = None
        # The last chunk's padding hides its exact length: decrypting it tells.
        last = max(stored - 1, 0) // CHUNK_TOKEN
        self.size = last * CHUNK + len(self._chunk(last))
        self.position = 0

    def _chunk(self, number: int) -> bytes:
        if self.cached and self.cached[0] == number:
            return self.cached[1]
        self.file.seek(number * CHUNK_TOKEN)
        sealed = self.file.read(CHUNK_TOKEN)
        plain = notes_cipher().decrypt(base64.urlsafe_b64encode(sealed)) if sealed else b""
        self.cached = (number, plain)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        number, offset = divmod(self.position, CHUNK)
        data = self._chunk(number)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.size}[whence]
        self.position = max(base + offset, 0)
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        self.file.close()
        super().close()
