"""RFC 9457 problem details: the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import MatcherError, TooManyRequests

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    loc: list[str | int] = Field(
        description="Path of the field at fault, e.g. ['body', 'unit_price']"
    )
    msg: str
    type: str = "value_error"


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldProblem] = Field(default_factory=list)
    # Extension members used by some problems (e.g. the current state of an order).
    current_state: str | None = None


_TITLES = {
    400: "Permintaan tidak valid",
    401: "Tidak terautentikasi",
    403: "Akses ditolak",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Konflik",
    413: "Berkas terlalu besar",
    415: "Jenis berkas tidak didukung",
    422: "Masukan tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Kesalahan internal",
    503: "Layanan tidak tersedia",
}


def problem_response(
    request: Request,
    status: int,
    detail: str | None,
    *,
    title: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    problem = Problem(
        title=title or _TITLES.get(status, "Kesalahan"),
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors or [],
        **extra,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations for the problem responses a route can return."""
    declared: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        declared[code] = {
            "model": Problem,
            "description": _TITLES.get(code, "Kesalahan"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return declared


async def _matcher_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MatcherError)
    errors = [FieldProblem(loc=list(e.loc), msg=e.message) for e in exc.errors]
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem_response(
        request,
        exc.status_code,
        exc.detail,
        title=exc.title,
        errors=errors,
        headers=headers,
        **exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldProblem(
            loc=[str(p) if not isinstance(p, int) else p for p in e["loc"]],
            msg=e["msg"],
            type=e["type"],
        )
        for e in exc.errors()
    ]
    fields = ", ".join(".".join(str(p) for p in e.loc[1:] or e.loc) for e in errors)
    return problem_response(request, 422, f"Data tidak valid pada: {fields}", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem_response(
        request, exc.status_code, str(exc.detail) if exc.detail else None, headers=exc.headers
    )


async def _stale(request: Request, _exc: Exception) -> JSONResponse:
    return problem_response(
        request, 409, "Data telah diubah oleh permintaan lain; muat ulang lalu coba lagi"
    )


async def _integrity(request: Request, exc: Exception) -> JSONResponse:
    logger.info("integrity error: %s", exc)
    return problem_response(request, 409, "Data bertentangan dengan data yang sudah ada")


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    """A number the database cannot hold (an id or quantity beyond 64-bit on SQLite, beyond
    the column's range on PostgreSQL) is bad input, not a server error."""
    logger.info("value out of range: %s", exc)
    return problem_response(
        request, 422, "Nilai angka di luar jangkauan yang dapat disimpan", title=_TITLES[422]
    )


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    logger.error("database unavailable: %s", exc)
    return problem_response(
        request,
        503,
        "Basis data tidak dapat dihubungi; coba lagi sebentar lagi",
        headers={"Retry-After": "5"},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(request, 500, "Terjadi kesalahan tak terduga")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MatcherError, _matcher_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(Exception, _unexpected)
