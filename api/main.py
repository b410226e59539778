"""The FastAPI application: ``api.main:app``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from api.problems import Problem, install_problem_handlers
from api.router import api_router
from matcher import __version__
from web import install_web

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """At start, plans a dead process left running are marked failed and queued plans are
    resubmitted; at shutdown the planning worker finishes its current job."""
    from sqlalchemy.exc import OperationalError

    from matcher.db import unit_of_work
    from matcher.planning.jobs import get_runner
    from matcher.planning.service import recover_interrupted

    try:
        with unit_of_work() as session:
            queued = recover_interrupted(session)
        for plan_id in queued:
            get_runner().submit(plan_id)
    except OperationalError as error:  # no schema yet, or database down: serve anyway
        logger.warning("could not recover planning jobs: %s", error)
    yield
    get_runner().shutdown()


def create_app() -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        title="matcher: pasar sistemik",
        version=__version__,
        description=(
            "Katalog UMKM dan koperasi terverifikasi serta alokasi belanja barang/jasa "
            "Perangkat Daerah. Kesalahan dikembalikan sebagai application/problem+json (RFC 9457)."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    install_problem_handlers(app)
    app.include_router(api_router)
    install_web(app)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/healthz", tags=["Sistem"], include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    # Make the Problem schema available to every route's declared problem responses.
    _openapi = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = _openapi()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for name, sub in (
            Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            .get("$defs", {})
            .items()
        ):
            components.setdefault(name, sub)
        components["Problem"].pop("$defs", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


app = create_app()
