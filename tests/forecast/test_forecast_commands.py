"""The forecast, backtest and scenario commands through typer's CliRunner, on the real-data store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from detente.cli.models import TargetChoice, backtest, forecast, scenario
from detente.forecast.targets import TARGETS

app = typer.Typer()
app.command()(forecast)
app.command()(backtest)
app.command()(scenario)
runner = CliRunner()


@pytest.fixture(scope="module")
def store_copy(forecast_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's store for the commands to open themselves (one DuckDB file, one opener)."""
    forecast_store.con.execute("CHECKPOINT")
    home = tmp_path_factory.mktemp("commands") / "home"
    shutil.copytree(forecast_store.home, home)
    return home


@pytest.fixture(autouse=True)
def home(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DETENTE_HOME", str(store_copy))
    return store_copy


def _json(args: list[str]) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_target_choices_are_the_targets() -> None:
    assert [t.value for t in TargetChoice] == list(TARGETS)


@pytest.mark.slow
def test_forecast_gives_every_model_with_an_interval_and_drivers() -> None:
    rows = _json(["forecast", "--target", "major", "--horizon", "6", "--draws", "50", "--recent", "12"])
    assert [r["model"] for r in rows] == [
        "climatology",
        "persistence",
        "last12",
        "glm",
        "lightgbm",
        "hawkes",
        "ensemble",
    ]
    for r in rows:
        # the data reach 2026-08-20 (three August launches), so August is observed: the window starts in September
        assert r["window"] == "2026-09-01..2027-02-28"
        assert 0 <= r["lo"] <= r["hi"] <= 1 and 0 <= r["forecast"] <= 1
        assert r["recent_score"] is not None and r["drivers"]
    assert rows[-1]["drivers"].startswith("weights glm")


@pytest.mark.slow
def test_forecast_counts_carry_a_predictive_interval() -> None:
    rows = _json(["forecast", "--target", "count", "--horizon", "1", "--draws", "20", "--recent", "12"])
    for r in rows:
        assert r["count_lo"] <= r["count_hi"] and r["forecast"] >= 0


def test_forecast_rejects_an_unknown_horizon() -> None:
    result = runner.invoke(app, ["forecast", "--horizon", "2"])
    assert result.exit_code != 0 and "1, 3, 6" in result.output


def test_backtest_leaderboard_and_chart(tmp_path: Path) -> None:
    chart = tmp_path / "reliability.png"
    rows = _json(["backtest", "--target", "missile", "--horizon", "1", "--start", "2025-06", "--refit", "12",
                  "--chart", str(chart)])  # fmt: skip
    assert {r["model"] for r in rows} == {
        "climatology",
        "persistence",
        "last12",
        "glm",
        "lightgbm",
        "hawkes",
        "ensemble",
    }
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = (tmp_path / "reliability.csv").read_text().splitlines()
    assert data[0].startswith("target,horizon,model,bin,n,mean_p,observed")
    cal = _json(["backtest", "--target", "missile", "--horizon", "1", "--start", "2025-01", "--refit", "12",
                 "--model", "climatology", "--model", "persistence", "--show", "calibration"])  # fmt: skip
    assert sum(r["n"] for r in cal if r["model"] == "persistence") == 18
    bad = runner.invoke(app, ["backtest", "--period", "2010"])
    assert bad.exit_code != 0 and "FIRST:LAST" in bad.output


@pytest.mark.slow
def test_scenario_example_and_file(tmp_path: Path) -> None:
    rows = _json(["scenario", "--example", "no_exercises_2027", "--draws", "20", "--paths", "5", "--runs", "0"])
    assert [r["target"] for r in rows] == ["missile", "major", "count"]
    barg = _json(["scenario", "--example", "no_exercises_2027", "--show", "bargaining", "--draws", "10",
                  "--paths", "2", "--runs", "0"])  # fmt: skip
    assert {r["model"] for r in barg} == {"bdm", "compromise", "median", "nash"}
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "name: s\nwindow: {start: 2027-02, months: 2}\nchanges:\n  - hotline: {start: 2027-02, state: open}\n"
    )
    paths = _json(["scenario", str(spec), "--show", "paths", "--draws", "10", "--paths", "2"])
    assert {r["feature"] for r in paths} == {"hotline_open"}
    no_edit = runner.invoke(app, ["scenario", str(spec), "--show", "bargaining", "--draws", "10", "--paths", "2"])
    assert no_edit.exit_code != 0 and "edits no bargaining input" in no_edit.output
    both = runner.invoke(app, ["scenario", str(spec), "--example", "hotline_restored"])
    assert both.exit_code != 0
