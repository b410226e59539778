"""Executors: run a picklable function over items, results in order, serially, on a local
process pool or on a dask.distributed cluster. The scenario sweeps
(:mod:`matcher.scenarios.sweep`) and the regional decomposition
(:mod:`matcher.optimizer.decomposition`) both run their work through one of these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a picklable function over items and returns the results in order."""

    name: str

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    name = "serial"

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return [fn(item) for item in items]

    def close(self) -> None:
        return None


class LocalExecutor:
    """A process pool on the local cores (spawned workers: the solvers' threads never see a
    fork)."""

    name = "local"

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        return list(self._pool.map(fn, items))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class DaskExecutor:
    """A dask.distributed cluster at ``address`` (or an existing ``Client``)."""

    name = "dask"

    def __init__(self, address: str | None = None, client: Any = None) -> None:
        from dask.distributed import Client

        self._own = client is None
        self.client = client if client is not None else Client(address)  # type: ignore[no-untyped-call]

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        futures = self.client.map(fn, list(items), pure=False)
        return list(self.client.gather(futures))

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(kind: str, address: str | None = None, workers: int = 2) -> Executor:
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "serial":
        return SerialExecutor()
    if kind == "dask":
        return DaskExecutor(address)
    raise ValueError(f"executor tidak dikenal: {kind} (local, serial, dask)")
