"""Case attachments encrypted at rest (issue 14 §2.10): ID scans, letters, supplements.

The applicant's details are encrypted with `core.crypto`; the files handed in with them (a scan of the
身份证明, an application form with name and address) get the same key management. A file is stored as
a sequence of Fernet tokens, one per 64 KiB of plain bytes:

    b"GKENC1\n" + (4-byte big-endian length + token)*

so it is encrypted and decrypted chunk by chunk, and a download streams the plain bytes without
holding the file in memory. The storage name is random and carries no part of the original file name
(which may itself name the applicant). Files stored before encryption are read as they are.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.core.files import File

from gongkai.core.crypto import cipher

MAGIC = b"GKENC1\n"
CHUNK = 64 * 1024


def encrypted_file(chunks: Iterable[bytes]) -> File:
    """A temporary file holding the encrypted form of `chunks` (the plain bytes, in any chunking)."""
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 — handed to the storage, closed by it
    out.write(MAGIC)
    f = cipher()
    buffer = b""

    def emit(plain: bytes) -> None:
        token = f.encrypt(plain)
        out.write(len(token).to_bytes(4, "big") + token)

    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= CHUNK:
            emit(buffer[:CHUNK])
            buffer = buffer[CHUNK:]
    if buffer:
        emit(buffer)
    out.seek(0)
    return File(out)


def decrypted_chunks(stored: IO[bytes]) -> Iterator[bytes]:
    """The plain bytes of a stored attachment, chunk by chunk (a legacy plain file as it is)."""
    head = stored.read(len(MAGIC))
    if head != MAGIC:
        yield head
        while chunk := stored.read(CHUNK):
            yield chunk
        return
    f = cipher()
    while size := stored.read(4):
        token = stored.read(int.from_bytes(size, "big"))
        yield f.decrypt(token)


def is_encrypted(stored: IO[bytes]) -> bool:
    """Whether a stored attachment is in the encrypted format (reads only its first bytes)."""
    return stored.read(len(MAGIC)) == MAGIC
