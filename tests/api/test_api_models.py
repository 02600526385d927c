"""Indicators, agreements, claims, forecasts, bargaining, charts and the theatres router through the API."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from detente.indicators.tension import COMPONENTS, tension_frame


def test_tension_index_is_the_indicator_itself(client: TestClient, api_home: Path) -> None:
    r = client.get("/api/indicators/tension", params={"dyad": "PRK-KOR", "start": "2017-01-01", "end": "2018-12-31"})
    assert r.status_code == 200
    rows = r.json()
    assert [row["period"] for row in rows][:2] == ["2017-01-01", "2017-02-01"] and len(rows) == 24
    assert all(0 <= row["tension"] <= 100 for row in rows)
    assert set(COMPONENTS) <= set(rows[0])
    r.close()
    # the same numbers as the Python API on the same store (one of the app's reader stores)
    direct = client.app.state.service.run(
        lambda store: tension_frame(
            store, "PRK-KOR", "month", start=pd.Timestamp("2017-01-01").date(), end=pd.Timestamp("2018-12-31").date()
        )
    )
    assert [round(x, 9) for x in direct["tension"]] == [round(row["tension"], 9) for row in rows]
    again = client.get(
        "/api/indicators/tension", params={"dyad": "PRK-KOR", "start": "2017-01-01", "end": "2018-12-31"}
    )
    assert again.content == r.content  # served from the cache, identical


def test_military_elements_and_phases(client: TestClient) -> None:
    m = client.get("/api/indicators/military", params={"start": "2017-01-01", "end": "2017-12-31", "ids": True}).json()
    assert len(m) == 12
    # the sixth nuclear test, 2017-09-03 (curated timeline and CSIS)
    sept = next(r for r in m if r["period"] == "2017-09-01")
    assert sept["nuclear_tests"] == 1 and any(i.startswith("kb:2017-09-03") for i in sept["capabilities_ids"])
    phases = client.get("/api/indicators/phases").json()
    assert phases and {p["label"] for p in phases} <= {"thaw", "freeze", "stable"}


def test_agreements_as_of_a_date(client: TestClient) -> None:
    """docs/knowledge-base.md: Panmunjom Declaration 57.1 on 2019-01-01 and 11.9 on 2025-01-01."""
    early = {a["id"]: a for a in client.get("/api/agreements", params={"as_of": "2019-01-01"}).json()}
    late = {a["id"]: a for a in client.get("/api/agreements", params={"as_of": "2025-01-01"}).json()}
    assert early["PD-2018"]["score"] == 57.1 and late["PD-2018"]["score"] == 11.9
    assert "WD-2023" not in early and "WD-2023" in late
    detail = client.get("/api/agreements/PD-2018", params={"as_of": "2019-01-01"}).json()
    assert len(detail) == 14  # the Panmunjom Declaration's 14 provisions
    before = client.get("/api/agreements/PD-2018", params={"as_of": "2018-01-01"})
    assert before.status_code == 422 and "signed on 2018-04-27" in before.json()["detail"]
    assert client.get("/api/agreements/ARM-1953").status_code == 404  # no coded provisions
    heat = client.get("/api/implementation", params={"as_of": "2019-06-30"}).json()
    assert {r["label"] for r in heat} == {"end 2018", "2019-06-30"}
    assert len(client.get("/api/provisions", params={"as_of": "2019-01-01"}).json()) == 42


def test_claims(client: TestClient) -> None:
    rows = client.get("/api/claims", params={"perm": 200, "claim": ["cma-2018-border"]}).json()
    assert [r["claim"] for r in rows] == ["cma-2018-border"]
    assert rows[0]["verdict"] in {"supported", "not supported", "inconclusive", "not enough data"}
    bad = client.get("/api/claims", params={"claim": "nope"})
    assert bad.status_code == 422 and "unknown claim(s) nope" in bad.json()["detail"]


def test_forecasts_with_skill(client: TestClient) -> None:
    """Every model's forecast for each target and horizon, with its rolling-origin skill, and the events behind."""
    from detente.forecast.models import DEFAULT_MODELS

    body = client.get("/api/forecasts", params={"recent": 12}).json()
    assert body["available"] is True, body["reason"]
    keys = {(f["target"], f["horizon"], f["model"]) for f in body["forecasts"]}
    assert keys == {(t, h, m) for t in ("missile", "major") for h in (1, 3) for m in DEFAULT_MODELS}
    assert all(0 <= f["probability"] <= 1 for f in body["forecasts"])
    assert {f["issued"] for f in body["forecasts"]} == {"2026-08"}  # the month of the data's date, 2026-08-20
    assert all(s["origins"] >= 12 for s in body["skill"])
    ids = body["event_ids"]
    assert ids and client.get(f"/api/events/{ids[-1]}").status_code == 200
    early = client.get("/api/forecasts", params={"as_of": "1960-01-01", "recent": 12}).json()
    assert early["available"] is False and early["reason"].startswith("no forecast is available")


def test_bargaining(client: TestClient) -> None:
    rows = client.get("/api/bargaining", params={"runs": 100}).json()
    point = {(r["issue"], r["model"]): r["outcome"] for r in rows}
    assert point[("peace_regime", "bdm")] == 80.0  # docs/bargaining.md: BDMModel().fit(X).outcome_ -> 80.0
    assert all(r["p10"] <= r["p90"] for r in rows)
    inputs = client.get("/api/bargaining", params={"view": "inputs", "runs": 0}).json()
    assert {r["actor"] for r in inputs} >= {"PRK", "KOR", "USA", "CHN", "RUS", "JPN", "UN"}


def test_charts_are_vega_lite_with_the_data(client: TestClient) -> None:
    spec = client.get("/api/charts/tension", params={"dyad": "IND-PAK"}).json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert "IND-PAK" in str(spec["title"]) or "IND-PAK" in str(spec)
    svg = client.get("/api/charts/military", params={"format": "svg"})
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<svg")
    data = client.get("/api/charts/implementation", params={"as_of": "2019-06-30", "format": "csv"})
    assert data.text.splitlines()[0] == '"date","label","agreement_id","provision_id","status"'
    missing = client.get("/api/charts/tension", params={"dyad": "ISL-NZL"})
    assert missing.status_code == 404 and "no stored event involves ISL-NZL" in missing.json()["detail"]


def test_theatres_router_is_mounted(client: TestClient) -> None:
    """The lessons need PA-X and UCDP, which this store lacks, and say so."""
    assert client.get("/api/theatres").status_code == 200
    r = client.get("/api/lessons/brief")
    assert r.status_code == 422
    assert "PA-X" in r.json()["detail"]
