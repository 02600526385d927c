"""One store with the shipped timeline and the real Korean and ICEWS files, served through one app per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from detente import Store
from detente.api import create_app
from detente.api.security import CSP
from detente.api.settings import ApiSettings
from detente.kb import timeline_path

API_FILES = (
    "nk_missile_tests_cns/north_korea_missile_test_database.csv",
    "nk_provocations_csis/north_korea_provocations_1958_present.csv",
    "cow_mid/MIDIP_5.01.csv",
    "icews_events/events.2018.sample.tab",
)


@pytest.fixture(scope="session")
def api_home(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("api") / "home"
    store = Store(home)
    try:
        for path in (timeline_path(), *(data_dir / f for f in API_FILES)):
            report = store.ingest(path)
            assert report.status == "ingested", report
    finally:
        store.close()
    return home


@pytest.fixture(scope="session")
def client(api_home: Path) -> Iterator[TestClient]:
    """A read-only app (no token configured)."""
    with TestClient(create_app(api_home, ApiSettings(token=None, ingest_dirs=""))) as c:
        yield c


def assert_json_error(r: httpx2.Response, status: int) -> None:
    """``r`` is a JSON error of ``status`` with a ``detail`` and every security header."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json()["detail"]
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
