"""The theatre and lessons endpoints of the app (``/api/theatres``, ``/api/lessons``), reading the session store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.api.settings import ApiSettings


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(home, ApiSettings(token=None, ingest_dirs=""))) as c:
        yield c


def test_theatres_endpoints(client: TestClient) -> None:
    listing = client.get("/api/theatres").json()
    assert {"IND-PAK", "ECU-PER", "PRK-KOR"} <= {t["dyad"] for t in listing}
    detail = client.get("/api/theatres/ECU-PER").json()
    assert detail["conflict_years"] == [{"year": 1995, "intensity": 1, "conflict_id": 403}]
    assert client.get("/api/theatres/XXX-PER").status_code == 404


def test_lessons_endpoints(client: TestClient) -> None:
    rows = client.get("/api/lessons", params={"view": "groups", "provision": "ceasefire"}).json()
    assert [r["arm"] for r in rows] == ["with", "without"]
    assert rows[0]["after_5_n"] == 17
    assert client.get("/api/lessons", params={"provision": "nonsense"}).status_code == 400
    assert client.get("/api/lessons", params={"sample": "everything"}).status_code == 422
    svg = client.get("/api/lessons/chart.svg", params={"provision": "ceasefire"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    brief = client.get("/api/lessons/brief")
    assert brief.headers["content-type"].startswith("text/markdown")
    assert "[^pax-577]:" in brief.text
