"""Expensive results (briefs, forecasts, claims, bargaining) computed off the request path, bounded.

A :class:`Jobs` queue runs at most ``workers`` computations at once in worker *processes* (spawned,
each with its own store on the same home, see :func:`in_store`), so a brief's Python work never
competes with the server's event loop for the interpreter lock. It holds at most ``limit`` jobs
(queued or running) and ``per_client`` pending jobs per client (the peer address; the dashboard
asks for three at once: forecasts, their chart, bargaining):

- a request for a result already being computed joins that job (no new work);
- a client with ``per_client`` pending jobs that asks for another gets 429 with ``Retry-After``;
- a full queue answers 503 with ``Retry-After``;
- a request waits for its job up to the service's ``job_wait`` seconds, then gets 202 with
  ``Retry-After`` while the job goes on (asking again later joins it or finds its result cached).

So however many new ``as_of`` or ``runs`` values a client sends, it keeps at most ``per_client`` jobs
in the queue, and all clients together keep at most ``workers`` processes busy.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["RETRY_AFTER", "Jobs", "busy", "in_store", "processes"]

#: seconds a refused or pending client is told to wait before asking again
RETRY_AFTER = 10


def busy(status: int, detail: str) -> HTTPException:
    """A 429, 503 or 202 answer with ``Retry-After`` (FastAPI renders it as ``{"detail": ...}``)."""
    return HTTPException(status, detail, headers={"Retry-After": str(RETRY_AFTER)})


#: the worker process's stores, by home (opened on a job's first use, re-read when the version moved)
_STORES: dict[str, Store] = {}


def in_store(home: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(store, *args)`` on this process's store of ``home`` (what a worker process runs)."""
    from ..store import Store

    store = _STORES.get(home)
    if store is None:
        store = _STORES[home] = Store(Path(home))
    store.version()  # reloads the manifest copy if another process ingested since
    return fn(store, *args)


def _exit_with(parent: int) -> None:
    """In a worker: end the process when ``parent`` (the server) is gone, even if it was killed."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="detente-parent-watch").start()


def processes(workers: int) -> Executor:
    """``workers`` spawned worker processes (never forked from a threaded server holding DuckDB)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_exit_with, initargs=(os.getpid(),))


class Jobs:
    """A fixed pool of workers (:func:`processes` by default) with per-client and total limits on pending jobs."""

    def __init__(self, workers: int = 1, limit: int = 4, per_client: int = 1, executor: Executor | None = None) -> None:
        self._pool = executor or processes(workers)
        self._limit = limit
        self._per_client = per_client
        self._lock = threading.Lock()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._owner: dict[Hashable, str] = {}

    def submit(self, client: str, key: Hashable, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """The job computing ``key`` (``fn(*args)`` started unless already pending); raises 429 or 503."""
        with self._lock:
            if key in self._pending:
                return self._pending[key]
            mine = sum(1 for owner in self._owner.values() if owner == client)
            if mine >= self._per_client:
                raise busy(429, f"you already have {mine} job(s) under way: retry in {RETRY_AFTER} s")
            if len(self._pending) >= self._limit:
                raise busy(503, f"the server is computing {len(self._pending)} jobs: retry in {RETRY_AFTER} s")
            future = self._pool.submit(fn, *args)
            self._pending[key] = future
            self._owner[key] = client
        future.add_done_callback(lambda _f: self._done(key))
        return future

    def _done(self, key: Hashable) -> None:
        with self._lock:
            self._pending.pop(key, None)
            self._owner.pop(key, None)

    def pending(self) -> int:
        """Jobs queued or running now."""
        with self._lock:
            return len(self._pending)

    def close(self) -> None:
        """Stop: queued jobs are dropped and worker processes stopped (a job only fills a cache: nothing is lost)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        # ProcessPoolExecutor.terminate_workers() arrives in Python 3.14; until then its process table
        for process in list((getattr(self._pool, "_processes", None) or {}).values()):
            process.terminate()
