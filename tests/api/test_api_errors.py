"""Every error is JSON with the security headers; an empty token is no token; event ids are checked, never SQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from detente.api import create_app
from detente.api.settings import ApiSettings

from .conftest import assert_json_error


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_token_is_no_token(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DETENTE_API_TOKEN", value)
    assert ApiSettings().token is None
    assert ApiSettings(token=SecretStr(value)).token is None


@pytest.mark.parametrize("header", ["Bearer ", "Bearer", "bearer  ", ""])
def test_bearer_with_nothing_after_it_enables_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_dir: Path, header: str
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(data_dir / "nk_missile_tests_cns/north_korea_missile_test_database.csv", folder / "cns.csv")
    monkeypatch.setenv("DETENTE_API_TOKEN", "")
    monkeypatch.setenv("DETENTE_API_INGEST_DIRS", str(folder))
    with TestClient(create_app(tmp_path / "home")) as c:
        r = c.post("/api/ingest", json={"path": str(folder / "cns.csv")}, headers={"Authorization": header})
        assert_json_error(r, 403)
        assert "read-only" in r.json()["detail"]
        assert c.get("/api/events", params={"limit": 1}).json()["total"] == 0  # nothing was ingested


@pytest.mark.parametrize(
    "event_id",
    ["a%00b", "cns%0a87", "x' OR '1'='1", "cns:87;drop", "CNS:87", "cns:", "..%2f..%2fetc", "kb:" + "a" * 300],
)
def test_an_id_that_cannot_be_one_is_a_422(client: TestClient, event_id: str) -> None:
    r = client.get(f"/api/events/{event_id}")
    assert r.status_code in (404, 422)  # "..%2f" may be routed nowhere: still JSON with headers
    assert_json_error(r, r.status_code)


def test_ids_of_every_stored_source_pass_the_pattern(client: TestClient) -> None:
    """One real id per stored source is served: the pattern admits every id the store makes."""
    sources = {s["source"] for s in client.get("/api/sources").json()}
    assert sources == {"cns", "csis", "cow_mid", "icews", "kb"}
    for source in sorted(sources):
        items = client.get("/api/events", params={"source": source, "limit": 1}).json()["items"]
        assert items, source
        one = client.get(f"/api/events/{items[0]['event_id']}")
        assert one.status_code == 200 and one.json()[0]["event_id"] == items[0]["event_id"]
    assert_json_error(client.get("/api/events/cns:999999"), 404)  # well formed, not stored


def test_every_error_is_json_with_the_headers(client: TestClient) -> None:
    assert_json_error(client.get("/api/nothing-here"), 404)
    assert_json_error(client.get("/static/index.html"), 404)
    assert_json_error(client.post("/api/events"), 405)
    assert_json_error(client.get("/api/events", params={"limit": 0}), 422)
    assert_json_error(client.get("/api/brief/assets/nonexistent.png"), 404)


def test_an_unexpected_exception_is_a_json_500_with_the_headers(api_home: Path) -> None:
    app = create_app(api_home, ApiSettings(token=None))

    def broken() -> None:
        {}["missing"]  # a bug in a route: KeyError

    app.add_api_route("/api/broken", broken)
    with TestClient(app) as c:
        r = c.get("/api/broken")
        assert_json_error(r, 500)
        assert r.json() == {"detail": "internal server error"}  # no traceback, no internals
        assert c.get("/api/health").status_code == 200  # the app goes on
