"""Shared fixtures: the real data folder and a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
