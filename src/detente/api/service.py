"""The app's stores: a pool of readers used concurrently, the store's version, cached results and jobs.

A DuckDB connection must not be used by two threads at once, so the service opens ``readers``
:class:`~detente.store.Store` objects on the same home (each its own in-memory connection; the
DuckDB file is attached read-only only to copy the manifest) and lends each to one request at a
time (:meth:`StoreService.run`): reads run side by side, never behind one lock.

The store's version (ingested files, last ingest time) is re-read by a background thread every
``version_ttl`` seconds on a store of its own, and at once after an ingest through the API
(:meth:`StoreService.refresh`), so :meth:`StoreService.version` never waits (``/api/health`` answers
while a brief builds or an ingest commits). A pooled store whose version is behind reloads its
manifest copy before it is lent. Results are cached by request and version (:meth:`cached`); the
expensive ones are computed as bounded jobs in worker processes (:meth:`job`, :mod:`.jobs`), and an
ingest through the API runs in a writer process of its own (:meth:`ingest`): neither holds the
server's interpreter lock.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .jobs import Jobs, busy, in_store, processes

if TYPE_CHECKING:
    from ..store import IngestReport, Store

__all__ = ["StoreService"]

T = TypeVar("T")
_log = logging.getLogger(__name__)
_MISSING = object()


class StoreService:
    """Reader stores lent one request at a time, the version, a small LRU cache and the job queue."""

    def __init__(
        self,
        home: Path | None = None,
        *,
        readers: int = 4,
        jobs: Jobs | None = None,
        job_wait: float = 120.0,
        cache_size: int = 256,
        version_ttl: float = 1.0,
    ) -> None:
        from ..store import Store

        self._meta: Store = Store(home)
        self.home = self._meta.home
        self._readers: queue.LifoQueue[Store] = queue.LifoQueue()
        self._all = [Store(self.home) for _ in range(readers)]
        self._seen: dict[int, tuple[int, str]] = {}
        self._meta_lock = threading.Lock()
        self._version = self._meta.version()
        for store in self._all:
            self._seen[id(store)] = store.version()
            self._readers.put(store)
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size
        self.jobs = jobs or Jobs()
        self._wait = job_wait
        self._writer: Executor | None = None
        self._writer_lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, args=(version_ttl,), daemon=True, name="detente-version")
        self._watcher.start()

    # -- the version ----------------------------------------------------------------
    def version(self) -> tuple[int, str]:
        """(ingested files, last ingest time) as last read: changes when the store's contents do; never waits."""
        return self._version

    def refresh(self) -> tuple[int, str]:
        """Re-read the version now (after an ingest)."""
        with self._meta_lock:
            self._version = self._meta.version()
        return self._version

    def _watch(self, ttl: float) -> None:
        while not self._stop.wait(ttl):
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - a busy or damaged file must not stop the watcher
                _log.warning("could not re-read the store's version", exc_info=True)

    # -- reading ----------------------------------------------------------------------
    def run(self, fn: Callable[[Store], T]) -> T:
        """``fn(store)`` on a reader store of its own (waits while every reader is lent)."""
        store = self._readers.get()
        try:
            if self._seen[id(store)] != self._version:
                self._seen[id(store)] = store.version()
            return fn(store)
        finally:
            self._readers.put(store)

    def _get(self, full: Hashable) -> Any:
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        return _MISSING

    def _put(self, full: Hashable, value: Any) -> None:
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def cached(self, key: Hashable, fn: Callable[[Store], T]) -> T:
        """``fn(store)`` computed once per store version and ``key`` (least recently used dropped first)."""
        full = (self.version(), key)
        value = self._get(full)
        if value is _MISSING:
            value = self.run(fn)
            self._put(full, value)
        return value

    async def job(self, client: str, key: Hashable, fn: Callable[..., T], *args: Any) -> T:
        """``fn(store, *args)`` (a module-level function) cached like :meth:`cached`, computed as a job.

        Raises 429/503 when the queue refuses (:mod:`.jobs`) and 202 when the job outlasts ``job_wait``.
        """
        full = (self.version(), key)
        value = self._get(full)
        if value is not _MISSING:
            return value
        future = self.jobs.submit(client, full, in_store, str(self.home), fn, *args)
        future.add_done_callback(lambda done: self._keep(full, done))
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self._wait)
        except TimeoutError:
            raise busy(202, "the result is being computed: ask again later") from None

    def _keep(self, full: Hashable, done: Future[Any]) -> None:
        if not done.cancelled() and done.exception() is None:
            self._put(full, done.result())

    def ingest(self, path: Path) -> IngestReport:
        """Ingest ``path`` in the writer process (started on first use), then re-read the version."""
        with self._writer_lock:
            if self._writer is None:
                self._writer = processes(1)
        report: IngestReport = self._writer.submit(in_store, str(self.home), _ingest, str(path)).result()
        self.refresh()
        return report

    def close(self) -> None:
        """Stop the watcher and the jobs, release the stores."""
        self._stop.set()
        self._watcher.join(timeout=30)
        self.jobs.close()
        if self._writer is not None:
            self._writer.shutdown(wait=True)
        for store in (self._meta, *self._all):
            store.close()


def _ingest(store: Store, path: str) -> IngestReport:
    return store.ingest(path)
