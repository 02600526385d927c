"""``/api/events``: filters, pagination, CSV and JSON, one event, the dyad list; exact counts on the real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient


def test_total_is_the_number_of_rows_in_the_real_file(client: TestClient, data_dir: Path) -> None:
    text = (data_dir / "nk_missile_tests_cns/north_korea_missile_test_database.csv").read_text("cp1252")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    r = client.get("/api/events", params={"source": "cns", "limit": 1})
    assert r.status_code == 200
    assert r.json()["total"] == len(rows) == 245


def test_pages_cover_every_event_once_newest_first(client: TestClient) -> None:
    ids, dates = [], []
    for offset in range(0, 600, 200):
        page = client.get("/api/events", params={"source": "cns", "limit": 200, "offset": offset}).json()
        ids += [e["event_id"] for e in page["items"]]
        dates += [e["date"] for e in page["items"]]
    assert len(ids) == len(set(ids)) == 245
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2023-04-12"  # the CNS file's last launch (docs/knowledge-base.md: the CSV ends 2023-04-12)


def test_filters_combine(client: TestClient) -> None:
    r = client.get("/api/events", params={"dyad": "PRK>KOR", "category": "artillery", "start": "2010-01-01",
                                          "end": "2010-12-31", "limit": 50})  # fmt: skip
    items = r.json()["items"]
    # the events PRK>KOR's index counts: PRK's acts on KOR and PRK's curated incidents without a target
    assert items and all(e["actor1_country"] == "PRK" and e["actor2_country"] in ("KOR", None) for e in items)
    assert all(e["category"] == "artillery" and e["date"].startswith("2010") for e in items)
    # the Yeonpyeong shelling of 2010-11-23 is in the curated timeline and in CSIS
    assert {"2010-11-23"} <= {e["date"] for e in items}
    both = client.get("/api/events", params={"dyad": "PRK-KOR", "limit": 1}).json()["total"]
    one = client.get("/api/events", params={"dyad": "PRK>KOR", "limit": 1}).json()["total"]
    other = client.get("/api/events", params={"dyad": "KOR>PRK", "limit": 1}).json()["total"]
    assert both == one + other


def test_csv_has_a_header_and_the_total(client: TestClient) -> None:
    r = client.get("/api/events", params={"source": "icews", "format": "csv", "limit": 10})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 10 and rows[0]["source"] == "icews"
    assert int(r.headers["x-total-count"]) == 3705  # rows of events.2018.sample.tab


def test_one_event(client: TestClient) -> None:
    r = client.get("/api/events/cns:87")
    assert r.status_code == 200
    (event,) = r.json()
    assert event["event_id"] == "cns:87" and event["source_file"] == "north_korea_missile_test_database.csv"
    assert client.get("/api/events/cns:999999").status_code == 404


def test_dyads_list_korea_first(client: TestClient) -> None:
    dyads = client.get("/api/dyads").json()
    assert dyads[0]["dyad"] == "PRK-KOR" and dyads[0]["events"] > 0
    assert "IND-PAK" in {d["dyad"] for d in dyads}


def test_sources_is_the_manifest(client: TestClient) -> None:
    files = {r["file_name"]: r for r in client.get("/api/sources").json()}
    assert files["north_korea_missile_test_database.csv"]["rows_stored"] == 245
    assert files["timeline.csv"]["source"] == "kb"
