"""Expensive results (briefs, forecasts, claims, bargaining) computed off the request path, bounded.

A :class:`Jobs` queue runs at most ``workers`` computations at once on its own threads, holds at most
``limit`` jobs (queued or running) and one pending job per client (the peer address):

- a request for a result already being computed joins that job (no new work);
- a client with a pending job that asks for a different one gets 429 with ``Retry-After``;
- a full queue answers 503 with ``Retry-After``;
- a request waits for its job up to the service's ``job_wait`` seconds, then gets 202 with
  ``Retry-After`` while the job goes on (asking again later joins it or finds its result cached).

So however many new ``as_of`` or ``runs`` values a client sends, it keeps at most one job in the queue,
and all clients together keep at most ``workers`` threads busy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fastapi import HTTPException

__all__ = ["RETRY_AFTER", "Jobs", "busy"]

#: seconds a refused or pending client is told to wait before asking again
RETRY_AFTER = 10


def busy(status: int, detail: str) -> HTTPException:
    """A 429, 503 or 202 answer with ``Retry-After`` (FastAPI renders it as ``{"detail": ...}``)."""
    return HTTPException(status, detail, headers={"Retry-After": str(RETRY_AFTER)})


class Jobs:
    """A fixed number of worker threads with per-client and total limits on pending jobs."""

    def __init__(self, workers: int = 1, limit: int = 4, per_client: int = 1) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="detente-job")
        self._limit = limit
        self._per_client = per_client
        self._lock = threading.Lock()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._owner: dict[Hashable, str] = {}

    def submit(self, client: str, key: Hashable, fn: Callable[[], Any]) -> Future[Any]:
        """The job computing ``key`` (started with ``fn`` unless already pending); raises 429 or 503."""
        with self._lock:
            if key in self._pending:
                return self._pending[key]
            mine = sum(1 for owner in self._owner.values() if owner == client)
            if mine >= self._per_client:
                raise busy(429, f"you already have {mine} job(s) under way: retry in {RETRY_AFTER} s")
            if len(self._pending) >= self._limit:
                raise busy(503, f"the server is computing {len(self._pending)} jobs: retry in {RETRY_AFTER} s")
            future = self._pool.submit(fn)
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
        """Stop taking jobs; queued ones are dropped, running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
