"""``detente bargain`` on a local Typer app that registers it as ``cli.py`` does."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner, Result

from detente.cli.models import bargain

app = typer.Typer()
app.command()(bargain)
app.command("noop")(lambda: None)  # a second command keeps "bargain" as a sub-command, as in cli.py

Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    def invoke(*args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(app, ["bargain", *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_korean_summary_per_issue_and_model(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--runs", "200", "-f", "csv").stdout)))
    assert len(rows) == 24 and {r["model"] for r in rows} == {"bdm", "compromise", "median", "nash"}
    for r in rows:
        assert float(r["p10"]) <= float(r["p50"]) <= float(r["p90"])
        assert r["input_1"].count("ρ=") == 1
    nash = next(r for r in rows if (r["issue"], r["model"]) == ("denuclearization", "nash"))
    assert float(nash["outcome"]) == 0.0 and "status quo holds" in nash["note"]
    table = run("--runs", "100", "--issue", "peace_regime").stdout
    assert "peace_regime" in table and "denuclearization" not in table and "100 runs" in table


def test_ec_rounds_with_the_code_rules(run: Run) -> None:
    out = run("--example", "ec", "--model", "bdm", "--rules", "scholz-code", "--runs", "0", "--show", "rounds",
              "-f", "json").stdout  # fmt: skip
    rows = json.loads(out)
    means = {r["round"]: r["mean"] for r in rows}
    assert sorted(means) == list(range(11)) and all(7.2 <= m <= 7.6 for m in means.values())
    lux = next(r for r in rows if (r["round"], r["actor"]) == (1, "Luxembourg"))
    assert (lux["position"], lux["offer"], lux["from"]) == (7.0, "conflict", "Belgium")
    summary = json.loads(run("--example", "ec", "--model", "bdm", "--rules", "scholz-code", "--runs", "0",
                             "-f", "json").stdout)  # fmt: skip
    assert summary[0]["note"].startswith("oscillating at the 10-round cap")


def test_user_csv_and_parquet_output(run: Run, tmp_path: Path) -> None:
    src = tmp_path / "deu.csv"
    src.write_text("actor,issue,position,salience,capability\nA,tolls,0,100,1\nB,tolls,100,100,3\n", "utf-8")
    out = tmp_path / "r.parquet"
    run(str(src), "--model", "compromise", "--runs", "50", "--spread", "0.1", "-f", "parquet", "-o", str(out))
    t = pq.read_table(out).to_pylist()
    assert t[0]["outcome"] == 75.0 and t[0]["p10"] < 75.0 < t[0]["p90"]
    inputs = json.loads(run(str(src), "--show", "inputs", "--runs", "0", "-f", "json").stdout)
    assert [(r["actor"], r["field"], r["value"]) for r in inputs][:3] == [("A", "position", 0.0),
                                                                           ("A", "salience", 100.0),
                                                                           ("A", "capability", 1.0)]  # fmt: skip


def test_chart_as_picture_and_data(run: Run, tmp_path: Path) -> None:
    png, spec = tmp_path / "rounds.png", tmp_path / "rounds.json"
    run("--example", "ec", "--model", "bdm", "--runs", "0", "--chart", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run("--example", "ec", "--model", "bdm", "--runs", "0", "--chart", str(spec))
    doc = json.loads(spec.read_text("utf-8"))
    values = next(iter(doc["datasets"].values()))
    lines = {v["line"] for v in values}
    assert {"Belgium", "weighted mean", "weighted median"} <= lines and len(values) == 6 * 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--issue", "unification"], "no issue 'unification'"),
        (["--runs", "1"], "at least 2 runs"),
        (["--model", "nash", "--show", "rounds"], "come from BDM"),
        (["--runs", "0", "--show", "influence"], "needs --runs > 0"),
        (["--chart", "x.pdf"], "must end in one of"),
    ],
)
def test_bad_options(run: Run, args: list[str], message: str) -> None:
    assert message in run(*args, code=2).output


def test_bad_file_names_the_field(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors: {A: {name: a, capability: 1}}\nissues:\n  - {id: i, name: I, scale: [0, 1], "
                   "actors: {A: {position: 2, salience: 50}, B: {position: 0, salience: 5}}}\n", "utf-8")  # fmt: skip
    out = run(str(bad), code=2).output
    assert "issues[i].actors.A.position" in " ".join(out.split())
