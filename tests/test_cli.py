"""The command line: the output convention and the commands of the foundation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from detente.cli import app


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def test_init_builds_the_store_from_shipped_data(run) -> None:
    rows = json.loads(run("init", "--format", "json"))
    assert [(r["source"], r["rows_read"], r["rows_stored"], r["rows_quarantined"]) for r in rows] == [
        ("kb", 300, 300, 0)
    ]
    assert rows[0]["date_min"] == "1945-08-15"


def test_init_names_skipped_and_failed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    cns = (data_dir / "nk_missile_tests_cns" / "north_korea_missile_test_database.csv").read_bytes()
    (folder / "north_korea_missile_test_database.csv").write_bytes(cns)
    (folder / "empty.export.CSV").write_bytes(b"")
    result = CliRunner().invoke(app, ["init", "--data", str(folder), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "skipped 1 files that are not event data (notes.csv)" in result.stderr
    assert "failed empty.export.CSV:" in result.stderr and "Traceback" not in result.stderr
    rows = json.loads(result.stdout)
    assert sorted((r["source"], r["rows_stored"]) for r in rows) == [("cns", 245), ("kb", 300)]


def test_events_filters_and_formats(run, tmp_path: Path) -> None:
    run("init")
    # the curated timeline has all six DPRK nuclear tests
    tests = json.loads(run("events", "--category", "nuclear_test", "--format", "json"))
    assert [t["date"] for t in tests] == [
        "2017-09-03", "2016-09-09", "2016-01-06", "2013-02-12", "2009-05-25", "2006-10-09",
    ]
    assert all(t["actor1_country"] == "PRK" and t["source"] == "kb" for t in tests)
    text = run("events", "--dyad", "PRK>KOR", "--start", "2010-01-01", "--end", "2010-12-31", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["actor1_country"] for r in rows} == {"PRK"} and {r["actor2_country"] for r in rows} == {"KOR"}
    assert "2010-11-23" in {r["date"] for r in rows}  # Yeonpyeong shelling
    out = tmp_path / "ev.parquet"
    run("events", "--actor", "PRK", "--limit", "5", "--format", "parquet", "--output", str(out))
    assert pq.read_table(out).num_rows == 5


def test_sources_and_quarantine_commands(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    header = "date,date_precision,actor,target,event_type,description,casualties,source,confidence"
    bad.write_text(f"{header}\n2020-13-01,day,PRK,KOR,other,x,,,verified\n2020-06-16,day,PRK,KOR,other,y,,,verified\n")
    result = CliRunner().invoke(app, ["ingest", str(bad), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["rows_quarantined"] == 1
    q = json.loads(run("quarantine", "--format", "json"))
    assert [(r["source_file"], r["source_line"]) for r in q] == [("bad.csv", 2)]
    assert "month must be in 1..12" in q[0]["reason"]
    src = list(csv.DictReader(io.StringIO(run("sources", "--format", "csv"))))
    assert (src[0]["rows_read"], src[0]["rows_stored"], src[0]["rows_quarantined"]) == ("2", "1", "1")


def test_bad_input_gives_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    result = runner.invoke(app, ["events", "--dyad", "north-south"])
    assert result.exit_code == 2 and "use A>B" in result.output
    result = runner.invoke(app, ["events", "--start", "yesterday"])
    assert result.exit_code == 2 and "not an ISO date" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(empty), "--format", "json"])
    assert result.exit_code == 1
    assert "empty file" in json.loads(result.stdout)[0]["error"]
