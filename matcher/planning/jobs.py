"""Background execution of planning jobs inside the API process.

One worker thread: a 2-core machine gains nothing from two solves at once (each solve uses
both cores). A job is a Plan row; its status and progress are what clients poll. A process
that dies mid-run leaves the plan 'running'; ``recover_interrupted`` marks such plans failed
at the next start (nothing partial was written: lines are stored in one transaction)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

logger = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, work: Callable[[int], None]) -> None:
        self._work = work
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._futures: dict[int, Future[None]] = {}

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plan-job")
            return self._executor

    def submit(self, plan_id: int) -> Future[None]:
        future = self._pool().submit(self._run, plan_id)
        with self._lock:
            self._futures[plan_id] = future
        return future

    def _run(self, plan_id: int) -> None:
        try:
            self._work(plan_id)
        except Exception:  # the job itself records the failure on the plan
            logger.exception("planning job %s failed", plan_id)
        finally:
            with self._lock:
                self._futures.pop(plan_id, None)

    def wait(self, plan_id: int, timeout: float | None = None) -> None:
        with self._lock:
            future = self._futures.get(plan_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=False)


_runner: JobRunner | None = None
_runner_lock = threading.Lock()


def get_runner() -> JobRunner:
    """The process-wide runner of planning jobs."""
    global _runner
    with _runner_lock:
        if _runner is None:
            from matcher.planning.service import execute_plan

            _runner = JobRunner(lambda plan_id: execute_plan(plan_id))
        return _runner
