"""Shared fixtures: the real data folder, a fresh store per test, and the store of the real Korea files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from korea_store import built_store, korea_files

from detente import Store

SHARED = Path(os.environ.get("DETENTE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``../shared/data``; its absence is a failure, never a skip."""
    if not SHARED.is_dir():
        pytest.fail(f"real data folder missing: {SHARED} (set DETENTE_SHARED_DATA)")
    return SHARED


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "home")
    yield s
    s.close()


@pytest.fixture(scope="session")
def real_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Every real Korea event file (:func:`korea_files`), built once per session; tests only read it."""
    store = built_store(tmp_path_factory.mktemp("real") / "home", korea_files(data_dir))
    yield store
    store.close()
