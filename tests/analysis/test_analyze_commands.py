"""The analyze commands, on a local Typer app that registers them as ``cli.py`` does."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
import typer
from typer.testing import CliRunner, Result

from detente import Store
from detente.cli.analyze import claims, csis_2016_command, event_study_command, reciprocity
from detente.cli.indicators import phases

app = typer.Typer()
analyze = typer.Typer()
app.add_typer(analyze, name="analyze")
analyze.command()(reciprocity)
analyze.command("event-study")(event_study_command)
analyze.command()(phases)
analyze.command()(claims)
analyze.command("csis-2016")(csis_2016_command)


Run = Callable[..., Result]


@pytest.fixture
def run(real_store: Store, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DETENTE_HOME", str(real_store.home))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["analyze", *args])

    return invoke


def test_claims_print_a_verdict_with_numbers_for_each(run: Run) -> None:
    res = run("claims", "--perm", "199")
    assert res.exit_code == 0, res.output
    for claim in (
        "exercises-provocations",
        "summits-fewer",
        "progressive-cooperat",
        "sanctions-provocations",
        "cma-2018-border",
        "leadership-cooperat",
    ):
        assert claim in res.output
    res = run("claims", "--id", "cma-2018-border", "--format", "json")
    [row] = json.loads(res.output)
    # 26 since the 2016 loudspeaker restart is dated to the day (2016-01-08, issue 21)
    assert row["verdict"] in ("supported", "not supported", "inconclusive", "not enough data") and row["n"] == 26
    assert run("claims", "--id", "nonsense").exit_code == 2


def test_reciprocity_tables(run: Run) -> None:
    res = run("reciprocity", "--actors", "PRK,KOR", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert {(r["cause"], r["effect"]) for r in rows} == {("PRK>KOR", "KOR>PRK"), ("KOR>PRK", "PRK>KOR")}
    res = run("reciprocity", "--show", "sample", "--format", "json")
    [sample] = json.loads(res.output)
    assert sample["series"] == "PRK>KOR, KOR>PRK" and sample["criterion"] == "aic"
    assert run("reciprocity", "--actors", "PRK,KOR", "--start", "2018-01-01", "--end", "2018-06-30").exit_code == 1


def test_event_study_and_csis(run: Run) -> None:
    res = run(
        "event-study", "--events", "sanctions", "--pre", "90", "--post", "90", "--perm", "199", "--format", "json"
    )
    [summary] = json.loads(res.output)
    assert summary["anchors"] == 10 and summary["placebos"] == 199  # 10 sanctions resolutions (1695 is not one)
    res = run("event-study", "--events", "summits", "--show", "windows", "--format", "json", "--perm", "199")
    windows = json.loads(res.output)
    assert len(windows) == 8 and isinstance(windows[0]["post_ids"], list)
    res = run("csis-2016", "--sources", "csis", "--perm", "199", "--format", "json")
    assert [f["finding"] for f in json.loads(res.output)] == [
        "null_effect",
        "persistence",
        "step_change",
        "length_matters",
    ]
    assert run("event-study", "--events", "elections").exit_code == 2


def test_phases_under_analyze(run: Run) -> None:
    res = run("phases", "PRK-KOR", "--start", "2015-01-01", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert {r["label"] for r in csv.DictReader(io.StringIO(res.output))} <= {"thaw", "freeze", "stable"}
