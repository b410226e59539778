"""Load mix for ``make load``: officers reading shortlists and the dashboard, creating needs
and approving draft orders, and viewers reading the dashboard and catalogue. Each request's
latency is recorded as a read or a write; ``run.py`` prints the percentiles. An approval
refused for lack of capacity or budget (409) is a correct answer, counted apart; anything
else outside 2xx is an error."""

from __future__ import annotations

import json
import os
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

SETUP = json.loads(Path(os.environ["MATCHER_LOAD_SETUP"]).read_text())
RESULTS = Path(os.environ["MATCHER_LOAD_RESULTS"])
LATENCIES: dict[str, list[float]] = {"read": [], "write": []}
REFUSED: dict[str, int] = {"approve": 0}


def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    if exception is None:
        LATENCIES["write" if name.startswith("write") else "read"].append(response_time)


def _save(**_kwargs: Any) -> None:
    RESULTS.write_text(json.dumps({"latencies": LATENCIES, "refused": REFUSED}))


events.request.add_listener(_record)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_save)  # type: ignore[no-untyped-call]


class Officer(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.account = random.choice(SETUP["officers"])
        response = self.client.post(
            "/api/v1/auth/token",
            data={"username": self.account["email"], "password": SETUP["password"]},
            name="login",
        )
        response.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    @task(5)
    def shortlist(self) -> None:
        need = random.choice(self.account["needs"])
        self.client.get(f"/api/v1/needs/{need}/shortlist", name="read shortlist")

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/api/v1/dashboard", name="read dashboard")

    @task(2)
    def needs(self) -> None:
        self.client.get("/api/v1/needs?size=20", name="read needs")

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
        self.client.post("/api/v1/needs", json=body, name="write need")

    @task(2)
    def approve(self) -> None:
        orders = self.account["orders"]
        if not orders:
            return
        order = orders.pop()
        with self.client.post(
            f"/api/v1/orders/{order}/approve", name="write approve", catch_response=True
        ) as response:
            if response.status_code == 409:
                REFUSED["approve"] += 1
                response.success()


class Viewer(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        response = self.client.post(
            "/api/v1/auth/token",
            data={"username": SETUP["viewer"], "password": SETUP["password"]},
            name="login",
        )
        response.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/api/v1/dashboard", name="read dashboard")

    @task(2)
    def offers(self) -> None:
        self.client.get("/api/v1/offers?size=50", name="read offers")
