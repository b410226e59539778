"""A real server and a real Chromium: uvicorn in a thread on a free port of 127.0.0.1 over a
fresh SQLite file loaded with the Kota Batu demo data, and the Debian ``chromium`` driven by
Playwright (its own browser download cannot be reached here). Skipped with a reason when
the browser or the Playwright package is missing."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MATCHER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _clear_caches() -> None:
    from matcher.config import get_settings
    from matcher.db import get_engine, get_sessionmaker

    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    screenshots: Path


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (make system-deps installs the Debian chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    import uvicorn

    from matcher.db import get_engine, unit_of_work
    from matcher.demo.generate import generate
    from matcher.demo.load import load_dataset
    from matcher.migrations import upgrade

    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'web.db'}"
    screenshots = Path(os.environ.get("MATCHER_SCREENSHOTS", str(folder / "screens")))
    if screenshots.exists():
        shutil.rmtree(screenshots)
    screenshots.mkdir(parents=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MATCHER_DATABASE_URL", url)
        _clear_caches()
        upgrade(url)
        with unit_of_work() as session:
            load_dataset(session, generate())

        from api.main import app

        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        try:
            yield LiveServer(f"http://127.0.0.1:{port}", url, screenshots)
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            get_engine().dispose()
    _clear_caches()


@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
