"""The REST endpoints on a local FastAPI app that includes the router, reading the session store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from detente import Store
from detente.theatres.api import make_router, store


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(make_router())

    def session_store() -> Iterator[Store]:
        s = Store(home)
        try:
            yield s
        finally:
            s.close()

    app.dependency_overrides[store] = session_store
    with TestClient(app) as c:
        yield c


def test_theatres_endpoints(client: TestClient) -> None:
    listing = client.get("/theatres").json()
    assert {"IND-PAK", "ECU-PER", "PRK-KOR"} <= {t["dyad"] for t in listing}
    detail = client.get("/theatres/ECU-PER").json()
    assert detail["conflict_years"] == [{"year": 1995, "intensity": 1, "conflict_id": 403}]
    assert client.get("/theatres/XXX-PER").status_code == 404


def test_lessons_endpoints(client: TestClient) -> None:
    rows = client.get("/lessons", params={"view": "groups", "provision": "ceasefire"}).json()
    assert [r["arm"] for r in rows] == ["with", "without"]
    assert rows[0]["after_5_n"] == 17
    assert client.get("/lessons", params={"provision": "nonsense"}).status_code == 400
    assert client.get("/lessons", params={"sample": "everything"}).status_code == 422
    svg = client.get("/lessons/chart.svg", params={"provision": "ceasefire"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    brief = client.get("/lessons/brief")
    assert brief.headers["content-type"].startswith("text/markdown")
    assert "[^pax-577]:" in brief.text
