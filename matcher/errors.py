"""One exception hierarchy for the domain. The API turns these into RFC 9457 problems,
the CLI into a message and a non-zero exit status."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One field at fault: ``loc`` is a path such as ``("body", "unit_price")``."""

    loc: tuple[str | int, ...]
    message: str


class MatcherError(Exception):
    """Base of every error the domain raises on purpose."""

    status_code = 500
    title = "Kesalahan internal"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors: list[FieldError] = errors or []
        # Extension members of the problem document, e.g. {"current_state": "approved"}.
        self.extra: dict[str, str] = extra or {}


class NotFound(MatcherError):
    status_code = 404
    title = "Tidak ditemukan"


class Conflict(MatcherError):
    status_code = 409
    title = "Konflik"


class InvalidTransition(Conflict):
    """A state machine refused a transition; the problem names the current state."""

    def __init__(self, detail: str, *, current_state: str) -> None:
        super().__init__(detail, extra={"current_state": current_state})
        self.current_state = current_state


class InvalidInput(MatcherError):
    status_code = 422
    title = "Masukan tidak valid"


class Unauthorized(MatcherError):
    status_code = 401
    title = "Tidak terautentikasi"


class Forbidden(MatcherError):
    status_code = 403
    title = "Akses ditolak"


class TooManyRequests(MatcherError):
    """Refused for a while (e.g. a locked log-in); ``retry_after`` seconds until it may work."""

    status_code = 429
    title = "Terlalu banyak permintaan"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = max(1, retry_after)


class PayloadTooLarge(MatcherError):
    status_code = 413
    title = "Berkas terlalu besar"


class UnsupportedMedia(MatcherError):
    status_code = 415
    title = "Jenis berkas tidak didukung"


@dataclass
class RowError:
    """A rejected row of an import file: the spreadsheet line number (header is line 1)."""

    file: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class RowErrors(Exception):
    """Raised when a whole file cannot be read (missing file or column)."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(
            f"{e.file} baris {e.row} kolom {e.column}: {e.reason}" for e in self.errors
        )
