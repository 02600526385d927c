"""Build an expensive fixture once per test session, even when pytest-xdist runs several workers.

The first worker to arrive builds into a folder shared by the session's workers (under a file lock);
the others wait and reuse it. Stores are copied per worker, since a DuckDB file is opened by one
process at a time.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

__all__ = ["FORECAST_ORIGINS", "build_once", "copy_home"]

#: backtest origins of the forecasts in the test briefs (the command's default is 36)
FORECAST_ORIGINS = 12


def _shared_root(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent  # the xdist session's folder, shared by its workers


def build_once(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, build: Callable[[Path], None]
) -> Path:
    """Folder ``name`` filled by ``build(folder)`` exactly once per session."""
    root = _shared_root(tmp_path_factory, worker_id)
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (folder / ".done").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                build(folder)
                (folder / ".done").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def copy_home(home: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A private copy of a closed store's home for this worker."""
    target = tmp_path_factory.mktemp(name) / "home"
    shutil.copytree(home, target)
    return target
