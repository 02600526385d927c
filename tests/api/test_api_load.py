"""The load-test harness against a real server on 127.0.0.1 (a short run; the 50-client run is in BENCHMARKS.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

from detente.api.loadtest import run_load, serve_in_thread


def test_concurrent_clients_get_no_errors(api_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(api_home, home)
    with serve_in_thread(home) as base:
        result = run_load(base, "/api/indicators/tension?dyad=PRK-KOR&start=2024-01-01", clients=8, seconds=2)
    assert result.errors == 0
    assert result.requests > 8
    assert result.p50_ms <= result.p99_ms <= result.max_ms
    assert len(result.loadavg) == 3 and min(result.loadavg) >= 0
