"""``/api/events``: filters, pagination, CSV and JSON, one event, the dyad list; exact counts on the real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
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


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"actor": "NK"}, "unknown actor code 'NK'; did you mean PRK?"),
        ({"dyad": "NK-SK"}, "did you mean PRK-KOR?"),
        ({"source": "acled2"}, "unknown source 'acled2'; did you mean acled?"),
        ({"category": "missile"}, "unknown category 'missile'; did you mean missile_test?"),
        ({"start": "2021-01-01", "end": "2020-01-01"}, "start 2021-01-01 is after end 2020-01-01"),
    ],
)
def test_a_filter_that_names_nothing_is_a_422_with_the_nearest(
    client: TestClient, params: dict[str, str], detail: str
) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422 and detail in r.json()["detail"]


def test_the_dyad_list_is_the_cli_list(client: TestClient, api_home: Path) -> None:
    """One selection for both: 2026's PRK-KOR events, untargeted launches included."""
    from typer.testing import CliRunner

    from detente.cli import app

    page = client.get("/api/events", params={"dyad": "PRK-KOR", "start": "2026-01-01", "limit": 1000}).json()
    cli = CliRunner().invoke(app, ["events", "--dyad", "PRK-KOR", "--start", "2026", "-f", "csv"],
                             env={"DETENTE_HOME": str(api_home)})  # fmt: skip
    listed = [r["event_id"] for r in csv.DictReader(io.StringIO(cli.stdout))]
    assert [e["event_id"] for e in page["items"]] == listed and page["total"] == len(listed) > 1
    assert any(e["actor2_country"] is None and e["category"] == "missile_test" for e in page["items"])


def test_incidents_are_the_cli_list(client: TestClient, api_home: Path) -> None:
    """2017's PRK launches: 18 linked incidents, the same as ``detente incidents``; CSV; a bad filter is a 422."""
    from typer.testing import CliRunner

    from detente.cli import app

    params = {"actor": "PRK", "category": "launch", "start": "2017-01-01", "end": "2017-12-31"}
    rows = client.get("/api/incidents", params=params).json()
    cli = CliRunner().invoke(app, ["incidents", "--actor", "PRK", "--category", "launch", "--start", "2017",
                                   "--end", "2017", "-f", "csv"], env={"DETENTE_HOME": str(api_home)})  # fmt: skip
    listed = [r["incident_id"] for r in csv.DictReader(io.StringIO(cli.stdout))]
    assert [r["incident_id"] for r in rows] == listed and len(listed) == 18
    assert rows[0]["date"] == "2017-02-11" and rows[0]["sources"] == "cns+csis"
    text = client.get("/api/incidents", params={**params, "format": "csv"}).text
    assert len(list(csv.DictReader(io.StringIO(text)))) == 18
    bad = client.get("/api/incidents", params={"actor": "NK"})
    assert bad.status_code == 422 and "did you mean PRK?" in bad.json()["detail"]
    lunch = client.get("/api/incidents", params={"category": "lunch"})
    assert lunch.status_code == 422 and lunch.json()["detail"].endswith("'lunch'; did you mean launch?")
