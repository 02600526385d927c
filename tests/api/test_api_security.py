"""Read-only unless a token is configured; ingest confined to allowed folders; headers; clear 4xx errors."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from detente.api import create_app
from detente.api.settings import ApiSettings

TOKEN = "s3cret-token"


@pytest.fixture
def allowed(tmp_path: Path, data_dir: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(data_dir / "nk_missile_tests_cns/north_korea_missile_test_database.csv", folder / "cns.csv")
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "link.csv").symlink_to(tmp_path / "secret.csv")
    return folder


@pytest.fixture
def writer(tmp_path: Path, allowed: Path) -> Iterator[TestClient]:
    settings = ApiSettings(token=SecretStr(TOKEN), ingest_dirs=str(allowed))
    with TestClient(create_app(tmp_path / "home", settings)) as c:
        yield c


def test_read_only_without_a_token(client: TestClient, data_dir: Path) -> None:
    r = client.post("/api/ingest", json={"path": str(data_dir / "icews_events/events.2018.sample.tab")})
    assert r.status_code == 403
    assert "read-only" in r.json()["detail"]


def test_ingest_needs_the_token(writer: TestClient, allowed: Path) -> None:
    body = {"path": str(allowed / "cns.csv")}
    assert writer.post("/api/ingest", json=body).status_code == 401
    wrong = writer.post("/api/ingest", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert writer.get("/api/events", params={"limit": 1}).json()["total"] == 0
    ok = writer.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["rows_stored"] == 245 and ok.json()["path"] == "cns.csv"  # no server path echoed
    assert writer.get("/api/events", params={"limit": 1}).json()["total"] == 245  # the cache saw the ingest
    again = writer.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json()["status"] == "unchanged"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("{allowed}/../secret.csv", 403),  # climbing out
        ("{allowed}/link.csv", 403),  # a symlink to outside
        ("/etc/passwd", 403),
        ("{allowed}/nothing.csv", 404),
        ("{allowed}", 404),  # a folder, not a file
    ],
)
def test_paths_are_confined(writer: TestClient, allowed: Path, path: str, status: int) -> None:
    r = writer.post("/api/ingest", json={"path": path.format(allowed=allowed)},
                    headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert r.status_code == status, r.text
    assert str(allowed.parent) not in r.text


def test_unrecognised_file_is_a_clear_422(writer: TestClient, allowed: Path) -> None:
    (allowed / "notes.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    r = writer.post("/api/ingest", json={"path": str(allowed / "notes.csv")},
                    headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert r.status_code == 422 and "could not ingest notes.csv" in r.json()["detail"]


def test_security_headers(client: TestClient) -> None:
    for url in ("/", "/api/health", "/static/dashboard.js"):
        h = client.get(url).headers
        assert "script-src 'self'" in h["content-security-policy"] and "'unsafe-inline'" not in h[
            "content-security-policy"].split("style-src")[0]  # fmt: skip
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
    bundle = client.get("/static/vendor/vega-bundle.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    assert "vegaEmbed" in bundle.text and "cdn." not in client.get("/").text  # shipped, no CDN
    assert client.get("/static/../settings.py").status_code == 404
    assert client.get("/static/index.html").status_code == 404  # only the two assets are served there


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/events?dyad=PRKKOR", "bad dyad 'PRKKOR'"),
        ("/api/events?start=2020-02-30", "valid date"),
        ("/api/events?start=2021-01-01&end=2020-01-01", "start 2021-01-01 is after end 2020-01-01"),
        ("/api/events?limit=0", "greater than or equal to 1"),
        ("/api/events?limit=100000", "limit must be at most 1000"),
        ("/api/events?category=coup", "unknown category 'coup'"),
        ("/api/events?actor=P1K", "unknown actor code 'P1K'"),
        ("/api/events?source=x;drop", "unknown source 'x;drop'"),
        ("/api/indicators/tension?freq=hour", "Input should be"),
        ("/api/charts/pie", "Input should be"),
        ("/api/bargaining?runs=999999", "less than or equal to 5000"),
    ],
)
def test_bad_input_is_a_clear_422(client: TestClient, url: str, message: str) -> None:
    r = client.get(url)
    assert r.status_code == 422
    assert message in str(r.json()["detail"])


def test_queries_are_not_injectable(client: TestClient) -> None:
    """An event id is a value, never SQL: one that cannot be an id is a 422, and nothing breaks."""
    assert client.get("/api/events/x' OR '1'='1").status_code == 422
    assert client.get("/api/events", params={"limit": 1}).json()["total"] > 0


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/events", "/api/indicators/tension", "/api/agreements", "/api/claims", "/api/forecasts",
              "/api/bargaining", "/api/brief", "/api/ingest", "/api/theatres"):  # fmt: skip
        assert p in paths
