"""Large import files (an Apple Health export.zip of hundreds of MB), kept encrypted on disk
until a background job has read them (portability/tasks.py: read_upload).

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


def store(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Encrypts the file's bytes (as they come, in chunks of any size) into a new stored file;
    returns its name and its plain size."""
    name = secrets.token_urlsafe(NAME_BYTES)
    path = path_of(name)
    cipher = notes_cipher()
    size = 0
    pending = bytearray()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for data in chunks:
                pending += data
                while len(pending) >= CHUNK:
                    out.write(_sealed(cipher, bytes(pending[:CHUNK])))
                    size += CHUNK
                    del pending[:CHUNK]
            if pending or not size:
                out.write(_sealed(cipher, bytes(pending)))
                size += len(pending)
    except BaseException:
        delete(name)
        raise
    return name, size


def _sealed(cipher, plain: bytes) -> bytes:
    return base64.urlsafe_b64decode(cipher.encrypt(plain))


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
