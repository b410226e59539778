"""Reading uploaded files within the configured size limit (413 beyond it)."""

from __future__ import annotations

from fastapi import UploadFile

from matcher.errors import FieldError, PayloadTooLarge, RowError

READ_CHUNK = 1024 * 1024


def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The whole upload, read in chunks; stops and raises 413 as soon as it passes ``limit``."""
    if upload.size is not None and upload.size > limit:
        raise PayloadTooLarge(f"Berkas melebihi batas {limit} byte")
    parts: list[bytes] = []
    total = 0
    while chunk := upload.file.read(READ_CHUNK):
        total += len(chunk)
        if total > limit:
            raise PayloadTooLarge(f"Berkas melebihi batas {limit} byte")
        parts.append(chunk)
    return b"".join(parts)


def row_field_errors(errors: list[RowError]) -> list[FieldError]:
    """Import row errors as problem-document field errors: loc = (file, row, column)."""
    return [FieldError((e.file, e.row, e.column), e.reason) for e in errors]
