"""Draft of ``detente store verify|repair`` as plain functions, for the CLI package to wire (issue 16).

Each returns the process exit code and the lines to print (plain text: untrusted paths and file
names must be printed without markup interpretation). ``verify`` exits 1 when it finds a problem,
so a cron job can alert on it; ``repair`` exits 0 and says what it recorded.
"""

from __future__ import annotations

from pathlib import Path

from .store import Store, StoreError

__all__ = ["store_repair", "store_verify"]


def store_verify(home: Path | None = None) -> tuple[int, list[str]]:
    """``detente store verify``: compare the tree with the manifest (reads only)."""
    try:
        store = Store(home)
    except StoreError as exc:
        return 1, [f"error: {exc}"]
    try:
        check = store.verify()
    finally:
        store.close()
    lines = [*store.notices, *check.problems]
    summary = f"{check.files:,} Parquet files, {check.rows:,} rows checked"
    if check.ok:
        return 0, [*lines, f"ok: {summary}"]
    return 1, [*lines, f"{len(check.problems)} problem(s) in {summary}; ingest the named source files again to restore them"]


def store_repair(home: Path | None = None) -> tuple[int, list[str]]:
    """``detente store repair``: record again the ingests whose files are in the tree but not in the manifest."""
    try:
        done = Store.repair(home)
    except StoreError as exc:
        return 1, [f"error: {exc}"]
    return 0, done or ["nothing to repair: every file in the tree is in the manifest"]
