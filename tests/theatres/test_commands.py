"""The ``theatres``, ``theatre`` and ``lessons`` commands on a local Typer app that registers them as cli.py will."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner, Result

from detente.cli.theatres import lessons, theatre, theatres

from .conftest import Raw

app = typer.Typer()
app.command()(theatres)
app.command()(theatre)
app.command()(lessons)

Run = Callable[..., Result]


@pytest.fixture
def run(home: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DETENTE_HOME", str(home))

    def invoke(*args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_theatres_csv_lists_the_named_theatres(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("theatres", "-f", "csv").stdout)))
    dyads = [r["dyad"] for r in rows]
    assert {"PRK-KOR", "IND-PAK", "CHN-IND", "ERI-ETH", "ECU-PER", "KHM-THA"} <= set(dyads)
    assert dyads[0] == "PRK-KOR"  # four sources
    korea = rows[0]
    assert korea["kb_agreements"] == "26" and int(korea["kb_incidents"]) > 0


def test_theatre_json_has_the_issue_keys(run: Run, raw: Raw) -> None:
    detail = json.loads(run("theatre", "ECU-PER", "-f", "json").stdout)
    assert {"dyad", "conflict_years", "agreements", "incidents"} <= set(detail)
    assert detail["dyad"] == "ECU-PER"
    assert detail["conflict_years"] == [{"year": 1995, "intensity": 1, "conflict_id": 403}]
    assert all({"date", "pax_id", "stage", "provisions"} <= set(a) for a in detail["agreements"])
    raw_ids = {int(r["AgtId"]) for r in raw.pax if r["UcdpCon"] == "403"}
    assert {a["pax_id"] for a in detail["agreements"]} == raw_ids
    assert all(isinstance(y["year"], int) and "mid_incidents" in y for y in detail["incidents"])
    assert detail["years"][-1]["year"] == 1998


def test_theatre_sections_and_parquet(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "years.parquet"
    run("theatre", "IND-PAK", "-f", "parquet", "-o", str(out))
    years = pq.read_table(out).to_pylist()
    assert [y["year"] for y in years if y["ucdp_intensity"] == 2] == [1948, 1965, 1971]
    agreements = list(
        csv.DictReader(io.StringIO(run("theatre", "IND-PAK", "--section", "agreements", "-f", "csv").stdout))
    )
    assert "577" in {a["pax_id"] for a in agreements}
    assert "mid_disputes" in run("theatre", "IND-PAK").stdout  # the table format shows every section
    run("theatre", "XXX-PER", code=2)


def test_lessons_groups_and_chart(run: Run, tmp_path: Path) -> None:
    png, svg = tmp_path / "km.png", tmp_path / "km.svg"
    rows = json.loads(run("lessons", "-f", "json", "--chart", str(png)).stdout)
    assert {r["group"] for r in rows} >= {"ceasefire", "border", "stage:Pre"}
    assert all(r["n_signings"] >= 0 and "caveats" in r for r in rows)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    curves = json.loads(run("lessons", "--view", "curves", "--provision", "ceasefire", "--chart", str(svg),
                            "-f", "json").stdout)  # fmt: skip
    assert {c["arm"] for c in curves} == {"with", "without"}  # the chart's data ...
    assert "<svg" in svg.read_text("utf-8")  # ... and the chart


def test_lessons_views(run: Run) -> None:
    agreements = list(csv.DictReader(io.StringIO(run("lessons", "--view", "agreements", "--dyad", "IND-PAK",
                                                     "-f", "csv").stdout)))  # fmt: skip
    assert [a["pax_id"] for a in agreements] == ["1522", "1523", "1443", "446", "577", "1291", "1524", "2370"]
    korea = json.loads(run("lessons", "--view", "korea", "--sample", "territorial", "-f", "json").stdout)
    assert korea[0]["group"] == "ceasefire" and korea[0]["verdict"] == "relapsed sooner"
    run("lessons", "--provision", "nonsense", code=2)
    run("lessons", "--sample", "everything", code=2)


def test_lessons_brief_has_footnotes(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "lessons.md"
    run("lessons", "--view", "brief", "-o", str(out))
    text = out.read_text("utf-8")
    assert text.startswith("## Lessons from other border conflicts")
    refs = set(re.findall(r"\[\^([a-z]+-\d+)\](?!:)", text))
    defined = set(re.findall(r"^\[\^([a-z]+-\d+)\]:", text, re.MULTILINE))
    assert refs == defined
    assert {"pax-577", "ucdp-218", "ucdp-403", "pax-212", "ucdp-235"} <= defined
    assert any(r.startswith("mid-") for r in defined)
    assert "95 %" in text and "n=" in text
