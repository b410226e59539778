"""A process-local cache of computed dashboards (and their JSON), keyed by what a dashboard
depends on: the period, the agency scope, the business day (certificate warnings, overdue
payments and the policy in force depend on it) and the data stamp (:mod:`matcher.stamp`),
which changes in the same transaction as any change to agencies, suppliers, certificates,
offers, needs, plans or orders. A new order therefore changes the dashboard on the next
request, in every worker process; nothing is invalidated by hand.

The spending part (every figure but unmet demand, which alone reads needs) is also kept on
its own, keyed on the stamp of everything but needs and plans: after a change to needs only,
a dashboard recomputes unmet demand and reuses the spending figures.

- A session with watched changes of its own not yet committed (it sees data no stamp names)
  neither reads nor fills the cache: it computes.
- Concurrent requests for the same key compute once; the others wait for that result.
- At most ``max_entries`` entries (least recently used go first); an entry older than
  ``max_age`` seconds is recomputed even under the same stamp, bounding how long a change
  made outside the ORM (raw SQL) could go unseen.

The cached :class:`Dashboard` is shared between requests: callers must not change it."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from matcher.dashboard.service import (
    Dashboard,
    Period,
    compute_dashboard,
    compute_spending,
    compute_unmet,
    with_unmet,
)
from matcher.stamp import current_tokens, has_unstamped_changes

_JSON = TypeAdapter(Dashboard)

# (part, start, end, agency scope, business day, stamp token)
Key = tuple[str, date, date, int | None, date, str]


@dataclass(frozen=True)
class CachedDashboard:
    dashboard: Dashboard
    json: bytes
    computed_at: float
    spending_reused: bool = False  # computed with the cached spending part


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    bypassed: int = 0
    waits: int = 0
    spending_reused: int = 0


def dashboard_json(dashboard: Dashboard) -> bytes:
    """The API's JSON body for a dashboard."""
    return _JSON.dump_json(dashboard)


class DashboardCache:
    def __init__(
        self,
        *,
        max_entries: int = 64,
        max_age: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.clock = clock
        self.stats = CacheStats()
        self._entries: OrderedDict[Key, CachedDashboard] = OrderedDict()
        self._computing: dict[Key, threading.Event] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.stats = CacheStats()

    def get(
        self, session: Session, period: Period, *, agency_id: int | None, today: date
    ) -> CachedDashboard:
        """The dashboard for the period and scope as of ``today``, from the cache when the
        data has not changed since it was computed."""
        return self.lookup(session, period, agency_id=agency_id, today=today)[0]

    def lookup(
        self, session: Session, period: Period, *, agency_id: int | None, today: date
    ) -> tuple[CachedDashboard, str]:
        """As :meth:`get`, with how it was answered: ``hit``, ``waited`` (for another
        request computing the same key), ``miss`` (computed and kept), ``partial`` (unmet
        demand computed, the spending part reused) or ``bypass`` (computed for a session
        with changes of its own, not kept)."""
        if has_unstamped_changes(session):
            with self._lock:
                self.stats.bypassed += 1
            return self._compute(session, period, agency_id, today), "bypass"
        token, outside_demand = current_tokens(session)
        key: Key = ("dashboard", period.start, period.end, agency_id, today, token)
        waited = False
        while True:
            with self._lock:
                entry = self._fresh(key)
                if entry is not None:
                    self.stats.hits += 1
                    return entry, "waited" if waited else "hit"
                waiting = self._computing.get(key)
                if waiting is None:
                    done = self._computing[key] = threading.Event()
                    self.stats.misses += 1
                    break
                self.stats.waits += 1
            # Another request computes this key: wait for it, then look again (if it failed,
            # this request computes).
            waiting.wait(timeout=120)
            waited = True
        try:
            entry = self._compute(session, period, agency_id, today, outside_demand)
            self._store(key, entry)
            return entry, "partial" if entry.spending_reused else "miss"
        finally:
            with self._lock:
                self._computing.pop(key, None)
            done.set()

    def _fresh(self, key: Key) -> CachedDashboard | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self.clock() - entry.computed_at > self.max_age:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def _store(self, key: Key, entry: CachedDashboard) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _compute(
        self,
        session: Session,
        period: Period,
        agency_id: int | None,
        today: date,
        outside_demand: str | None = None,
    ) -> CachedDashboard:
        """The whole dashboard; with ``outside_demand`` (the stamp of everything but needs
        and plans) its spending part comes from the cache when that stamp has not moved."""
        if outside_demand is None:
            dashboard = compute_dashboard(session, period, agency_id=agency_id, today=today)
            return CachedDashboard(dashboard, dashboard_json(dashboard), self.clock())
        key: Key = ("spending", period.start, period.end, agency_id, today, outside_demand)
        with self._lock:
            part = self._fresh(key)
            if part is not None:
                self.stats.spending_reused += 1
        reused = part is not None
        if part is None:
            spending = compute_spending(session, period, agency_id=agency_id, today=today)
            part = CachedDashboard(spending, b"", self.clock())
            self._store(key, part)
        dashboard = with_unmet(part.dashboard, compute_unmet(session, period, agency_id=agency_id))
        return CachedDashboard(dashboard, dashboard_json(dashboard), self.clock(), reused)


DASHBOARDS = DashboardCache()
