"""Load mix for ``make load``: officers reading shortlists, the dashboard and their needs,
creating needs and approving draft orders; viewers reading the dashboard and the catalogue.

Think time: each simulated user waits 3 to 7 s (uniform, mean 5 s) between actions. A real
procurement officer reads a shortlist, compares offers or fills in a need form between clicks,
which takes tens of seconds; 5 s on average is a brisk, sustained pace, so 100 users offer
about 100 / (5 s + response time) = up to 20 requests/s. ``run.py`` reports the throughput
actually achieved next to that offered rate, so a slow server shows as both higher latencies
and a lower rate.

Users start at ``run.py``'s spawn rate; each logs in once (Argon2, deliberately expensive).
Log-ins are reported in their own row, not as reads. Reads and writes are recorded only in
the steady-state window, from the moment all users are running until the end.

An approval refused for lack of capacity or budget (409) is a correct answer, counted apart;
anything else outside 2xx is an error (Locust's failure count), with the problem's detail."""

from __future__ import annotations

import json
import os
import random
import re
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
from locust import HttpUser, between, events, task

SETUP = json.loads(Path(os.environ["MATCHER_LOAD_SETUP"]).read_text())
RESULTS = Path(os.environ["MATCHER_LOAD_RESULTS"])
THINK_TIME = between(3, 7)
KEEP_ALIVE_SECONDS = 3.0  # below uvicorn's keep-alive timeout (5 s)
LATENCIES: dict[str, list[float]] = {}
LOGINS: list[float] = []
# Dashboard answers by how the server's cache answered (Server-Timing): client latency and
# server time, ms.
DASHBOARD: dict[str, list[tuple[float, float]]] = {}
# Failures by request and message: in the window (errors), or outside it (during the ramp,
# or requests cut off when the run stops).
ERRORS: dict[str, dict[str, int]] = {"window": {}, "outside": {}}
REFUSED: dict[str, int] = {"approve": 0}
WINDOW: dict[str, Any] = {"open": False, "start": None, "end": None, "cpu": []}


def _cpu_times() -> list[int]:
    """Busy and total jiffies of the whole machine (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return [sum(fields) - idle, sum(fields)]


def _cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by the server (its worker processes), PostgreSQL (the
    postmaster and its backends) and this Locust process: what the system under test costs,
    whatever else the machine is running."""
    used: dict[str, float] = {}
    for part, variable in (
        ("server", "MATCHER_LOAD_SERVER_PID"),
        ("postgres", "MATCHER_LOAD_PG_PID"),
    ):
        pid = os.environ.get(variable)
        if not pid:
            continue
        try:
            root = psutil.Process(int(pid))
            times = root.cpu_times()
            # Children that have exited (PostgreSQL backends) count in the parent's totals.
            total = times.user + times.system + times.children_user + times.children_system
            for process in root.children(recursive=True):
                times = process.cpu_times()
                total += times.user + times.system
            used[part] = total
        except psutil.Error:
            continue
    times = psutil.Process().cpu_times()
    used["locust"] = times.user + times.system
    return used


def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    if exception is not None:
        errors = ERRORS["window" if WINDOW["open"] else "outside"]
        key = f"{name}: {exception}"[:300]
        errors[key] = errors.get(key, 0) + 1
        return
    if name == "login":
        LOGINS.append(response_time)
    elif WINDOW["open"]:
        LATENCIES.setdefault(name, []).append(response_time)


def _open_window(**_kwargs: Any) -> None:
    WINDOW.update(open=True, start=time.time(), cpu=[_cpu_times()], used=[_cpu_seconds()])


def _close_window(**_kwargs: Any) -> None:
    if WINDOW["open"]:
        WINDOW.update(open=False, end=time.time(), cpu=[*WINDOW["cpu"], _cpu_times()])
        WINDOW["used"] = [*WINDOW["used"], _cpu_seconds()]
        WINDOW["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]


def _save(**_kwargs: Any) -> None:
    _close_window()
    RESULTS.write_text(
        json.dumps(
            {
                "latencies": LATENCIES,
                "logins": LOGINS,
                "refused": REFUSED,
                "errors": ERRORS,
                "dashboard": DASHBOARD,
                "window": {k: WINDOW.get(k) for k in ("start", "end", "cpu", "used", "loadavg")},
                "think_time": [3, 7],
            }
        )
    )


events.request.add_listener(_record)  # type: ignore[no-untyped-call]
events.spawning_complete.add_listener(_open_window)  # type: ignore[no-untyped-call]
events.test_stopping.add_listener(_close_window)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_save)  # type: ignore[no-untyped-call]


_TIMING = re.compile(r'dashboard;desc="(\w+)";dur=([\d.]+)')


def _dashboard_timing(response: Any) -> None:
    match = _TIMING.search(response.headers.get("Server-Timing", ""))
    if match:
        latency = response.elapsed.total_seconds() * 1000
        DASHBOARD.setdefault(match[1], []).append((latency, float(match[2])))


def _check(response: Any) -> None:
    """Mark a non-2xx answer as a failure carrying the problem's title and detail."""
    if 200 <= response.status_code < 300:
        response.success()
        return
    if response.status_code == 0:  # no answer: the connection failed or was cut off
        response.failure(f"no response ({response.error!r})"[:300])
        return
    try:
        problem = response.json()
        message = f"{response.status_code} {problem.get('title')}: {problem.get('detail')}"
    except ValueError:
        message = f"{response.status_code} {response.text[:200]}"
    response.failure(message)


class _Signed(HttpUser):
    abstract = True
    idle_since = 0.0

    def log_in(self, email: str) -> None:
        response = self.client.post(
            "/api/v1/auth/token",
            data={"username": email, "password": SETUP["password"]},
            name="login",
        )
        response.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        self.idle_since = time.monotonic()

    def _connect(self) -> None:
        """uvicorn closes a keep-alive connection idle for 5 s. A browser whose reused
        connection turns out closed sends the request again on a new one; Locust's client
        does not retry and would count a reset. So after a think time of 4 s or more a user
        starts on a new connection, as the browser ends up doing."""
        if time.monotonic() - self.idle_since >= KEEP_ALIVE_SECONDS:
            self.client.close()

    def request(self, method: str, url: str, name: str, **kwargs: Any) -> None:
        self._connect()
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as reply:
            if name == "write approve" and reply.status_code == 409:
                REFUSED["approve"] += 1
                reply.success()
            else:
                _check(reply)
            if name == "read dashboard" and WINDOW["open"] and reply.status_code == 200:
                _dashboard_timing(reply)
        self.idle_since = time.monotonic()

    def get(self, url: str, name: str) -> None:
        self.request("GET", url, name)


class Officer(_Signed):
    weight = 4
    wait_time = THINK_TIME

    def on_start(self) -> None:
        self.account = random.choice(SETUP["officers"])
        self.log_in(self.account["email"])

    @task(5)
    def shortlist(self) -> None:
        need = random.choice(self.account["needs"])
        self.get(f"/api/v1/needs/{need}/shortlist", "read shortlist")

    @task(3)
    def dashboard(self) -> None:
        self.get("/api/v1/dashboard", "read dashboard")

    @task(2)
    def needs(self) -> None:
        self.get("/api/v1/needs?size=20", "read needs")

    @task(2)
    def create_need(self) -> None:
        body = {
            "category": "SNACK",
            "description": "Snack box rapat koordinasi (uji beban)",
            "quantity": random.randint(20, 200),
            "unit": "kotak",
            "max_unit_price": 20_000,
            "needed_by": (date.today() + timedelta(days=21)).isoformat(),
            "region": "Sisir",
        }
        self.request("POST", "/api/v1/needs", "write need", json=body)

    @task(2)
    def approve(self) -> None:
        orders = self.account["orders"]
        if not orders:
            return
        order = orders.pop()
        self.request("POST", f"/api/v1/orders/{order}/approve", "write approve")


class Viewer(_Signed):
    weight = 1
    wait_time = THINK_TIME

    def on_start(self) -> None:
        self.log_in(SETUP["viewer"])

    @task(3)
    def dashboard(self) -> None:
        self.get("/api/v1/dashboard", "read dashboard")

    @task(2)
    def offers(self) -> None:
        self.get("/api/v1/offers?size=50", "read offers")
