"""One store per app, used by one request at a time, with a cache keyed by the store's contents.

DuckDB connections are not safe for concurrent use, so every read of the store happens under one
lock (:meth:`StoreService.run`). Results of the expensive endpoints (indicators, claims, briefs) are
cached by request and by the store's version — the number of ingested files and the time of the
last ingest — so they are recomputed only after an ingest. The version is re-read at most once per
``version_ttl`` seconds and at once after an ingest through the API.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["StoreService"]

T = TypeVar("T")


class StoreService:
    """The app's store behind a lock, with a small LRU cache of results."""

    def __init__(self, home: Path | None = None, *, cache_size: int = 256, version_ttl: float = 1.0) -> None:
        from ..store import Store

        self.store: Store = Store(home)
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size
        self._ttl = version_ttl
        self._version: tuple[int, str] | None = None
        self._checked = 0.0

    @contextmanager
    def locked(self) -> Iterator[Store]:
        """The store, for this request only (released when the block ends)."""
        with self._lock:
            yield self.store

    def run(self, fn: Callable[[Store], T]) -> T:
        """``fn(store)`` under the lock."""
        with self._lock:
            return fn(self.store)

    def version(self) -> tuple[int, str]:
        """(ingested files, last ingest time) — changes exactly when the store's contents do."""
        now = time.monotonic()
        if self._version is None or now - self._checked > self._ttl:
            with self._lock:
                self._version = self.store.version()
            self._checked = now
        return self._version

    def invalidate(self) -> None:
        """Forget the version (after an ingest): the next request re-reads it."""
        self._version = None

    def cached(self, key: Hashable, fn: Callable[[Store], T], *, reads_store: bool = True) -> T:
        """``fn(store)`` computed once per store version and ``key`` (least recently used dropped first).

        ``reads_store=False`` computes without taking the store's lock (for results that need no store).
        """
        full = (self.version(), key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = self.run(fn) if reads_store else fn(self.store)
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        """Release the store."""
        with self._lock:
            self.store.close()
