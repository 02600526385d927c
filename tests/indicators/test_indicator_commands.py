"""The indicator commands, on a local Typer app that registers them as ``cli.py`` does."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from detente import Store
from detente.cli.indicators import index, military, phases, series

app = typer.Typer()
app.command()(series)
app.command()(index)
app.command()(military)
app.command()(phases)


Run = Callable[..., Result]


@pytest.fixture
def run(real_store: Store, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DETENTE_HOME", str(real_store.home))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    return invoke


def test_index_by_month_covers_1990_to_the_latest_month(run: Run) -> None:
    res = run("index", "--dyad", "PRK-KOR", "--freq", "M", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    periods = [r["period"] for r in rows]
    assert "1990-01-01" in periods and periods[-1] == "2026-08-01"
    by = {r["period"]: float(r["tension"]) for r in rows if r["tension"]}  # months without coverage have none
    assert by["2010-03-01"] > by["2010-02-01"] and by["2018-06-01"] < by["2017-09-01"]
    assert {"severity", "cooperation", "z_severity", "score"} <= set(rows[0])


def test_index_argument_ids_and_json(run: Run) -> None:
    res = run(
        "index",
        "PRK>KOR",
        "--freq",
        "year",
        "--start",
        "2017-01-01",
        "--end",
        "2017-12-31",
        "--ids",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.output)
    assert row["period"] == "2017-01-01" and isinstance(row["event_ids"], list) and row["incidents"] > 0


def test_series_and_military_with_charts(run: Run, tmp_path: Path) -> None:
    res = run(
        "series",
        "PRK-KOR",
        "--freq",
        "Y",
        "--start",
        "2018-01-01",
        "--end",
        "2018-12-31",
        "--format",
        "csv",
        "--chart",
        str(tmp_path / "s.svg"),
    )
    assert res.exit_code == 0, res.output
    directions = [r["direction"] for r in csv.DictReader(io.StringIO(res.output))]
    assert directions == ["KOR>PRK", "PRK-KOR", "PRK>KOR"]
    assert (tmp_path / "s.svg").read_text().startswith("<svg")
    res = run("military", "--start", "2017-01-01", "--end", "2017-12-31", "--chart", str(tmp_path / "m.png"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"


def test_phases_with_chart_data(run: Run, tmp_path: Path) -> None:
    res = run("phases", "PRK-KOR", "--start", "1990-01-01", "--format", "json", "--chart", str(tmp_path / "p.json"))
    assert res.exit_code == 0, res.output
    labels = {row["label"] for row in json.loads(res.output)}
    assert {"thaw", "freeze"} <= labels
    spec = json.loads((tmp_path / "p.json").read_text())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite")


def test_bad_input_is_a_usage_error(run: Run) -> None:
    for args in (
        ("index", "PRK KOR"),
        ("index", "--freq", "Q"),
        ("series", "--start", "1990-13-01"),
        ("index", "PRK-KOR", "--dyad", "USA-PRK"),
    ):
        res = run(*args)
        assert res.exit_code == 2, (args, res.output)
