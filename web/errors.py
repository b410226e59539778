"""Errors on pages: the API's problem handlers stay in charge of /api; every other path gets
an HTML page in Indonesian (or, when the session is missing or expired, a redirect to the
log-in page)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse

from matcher.errors import MatcherError, Unauthorized
from web.auth import clear_session_cookie, login_url

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]

TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Tidak dapat dilakukan sekarang",
    413: "Berkas terlalu besar",
    415: "Jenis berkas tidak didukung",
    422: "Masukan tidak valid",
    500: "Terjadi kesalahan",
    503: "Layanan sedang tidak tersedia",
}


def is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path == "/api" or path.startswith("/static/"))


def _status_and_detail(exc: Exception) -> tuple[int, str | None]:
    if isinstance(exc, MatcherError):
        return exc.status_code, exc.detail
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, None
    if isinstance(exc, RequestValidationError):
        return 422, "Alamat halaman atau isian tidak valid."
    return 500, None


def error_page(request: Request, status: int, detail: str | None) -> Response:
    from web.templating import render

    return render(
        request,
        "error.html",
        {"status": status, "detail": detail},
        principal=getattr(request.state, "principal", None),
        status_code=status,
        title=TITLES.get(status, "Kesalahan"),
    )


def _page_aware(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            result = api_handler(request, exc)
            return await result if isinstance(result, Awaitable) else result
        if isinstance(exc, Unauthorized):
            response = RedirectResponse(login_url(request), status_code=303)
            clear_session_cookie(response)
            return response
        status, detail = _status_and_detail(exc)
        if status >= 500:
            logger.exception("error on page %s", request.url.path, exc_info=exc)
        return error_page(request, status, detail)

    return handle


def install_error_pages(app: FastAPI) -> None:
    """Wrap the API's exception handlers so pages get HTML; the API keeps its problems."""
    for exc_class, handler in list(app.exception_handlers.items()):
        app.exception_handlers[exc_class] = _page_aware(handler)
