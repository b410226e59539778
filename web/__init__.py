"""The web application: server-rendered pages in Bahasa Indonesia over the same services as
the JSON API, with a little vanilla JavaScript (no build step, no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"


def web_router() -> APIRouter:
    from web.routes import admin, needs, orders, planner, plans, public, supplier

    router = APIRouter(include_in_schema=False)
    for module in (public, needs, plans, orders, supplier, admin, planner):
        router.include_router(module.router)
    return router


def install_web(app: FastAPI) -> None:
    """Pages, their static files at /static and HTML error pages outside /api."""
    from web.errors import install_error_pages

    app.include_router(web_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app)
