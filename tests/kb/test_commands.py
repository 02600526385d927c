"""The knowledge-base commands, on a local Typer app that registers them as ``cli.py`` does."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner, Result

from detente import Store
from detente.cli.kb import agreement, agreements, incidents, kb_table, timeline
from detente.kb import tables

app = typer.Typer()
app.command()(agreements)
app.command()(agreement)
app.command()(timeline)
app.command()(incidents)
app.command("kb")(kb_table)

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def home(real_paths: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the curated timeline, CNS and CSIS (no COW MID: kept small)."""
    path = tmp_path_factory.mktemp("cli") / "home"
    store = Store(path)
    for name in ("kb", "cns", "csis"):
        assert store.ingest(real_paths[name]).status == "ingested"
    store.close()
    return path


@pytest.fixture
def run(home: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DETENTE_HOME", str(home))

    def invoke(*args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_agreements_lists_scores_as_of_a_date(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("agreements", "--as-of", "2019-01-01", "-f", "csv").stdout)))
    scored = {r["id"]: (r["provisions"], r["score"]) for r in rows if r["score"]}
    assert scored == {"PD-2018": ("14", "57.1"), "PYD-2018": ("16", "22.9"), "CMA-2018": ("12", "69.4")}
    assert rows[-1]["id"] == "PYD-2018"  # nothing signed after 19 Sep 2018 is listed
    assert next(r for r in rows if r["id"] == "J15-2000")["pax_id"] == "541"
    cats = json.loads(run("agreements", "--as-of", "2025-01-01", "--by", "category", "-f", "json").stdout)
    assert {c["category"]: c["reversed"] for c in cats}["military_cbm"] == 14


def test_agreement_provision_by_provision(run: Run, tmp_path: Path) -> None:
    rows = json.loads(run("agreement", "pd-2018", "--as-of", "2025-01-01", "--format", "json").stdout)
    assert len(rows) == 14
    office = next(r for r in rows if r["provision_id"] == "PD-1.3")
    assert (office["status"], office["since"]) == ("reversed", "2020-06-16")
    assert office["timeline_events"].startswith("kb:2020-06-16-")
    assert "BBC" in office["source"] and office["confidence"] == "verified"
    table = run("agreement", "PD-2018", "--as-of", "2019-01-01").stdout
    assert "PD-2018 as of 2019-01-01: score 57.1 (0 reversed)" in table
    out = tmp_path / "cma.parquet"
    run("agreement", "CMA-2018", "--as-of", "2024-07-01", "-f", "parquet", "-o", str(out))
    statuses = pq.read_table(out).column("status").to_pylist()
    # by July 2024: all but CMA-2.3 (minimal), CMA-4.1 (roads blown up only in October) and CMA-5.1
    assert statuses.count("reversed") == 9 and len(statuses) == 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("agreement", "XX-1"), "unknown agreement"),
        (("agreement", "SG-2018"), "no coded provisions"),
        (("agreement", "PD-2018", "--as-of", "2018-04-01"), "signed on 2018-04-27"),
        (("agreements", "--as-of", "2019-13-01"), "is not an ISO date"),
        (("timeline", "--since", "2020-01-02", "--until", "2020-01-01"), "--since must be on or before"),
        (("kb", "nope"), "unknown table"),
        (("incidents", "--actor", "NK"), "unknown actor code 'NK'; did you mean PRK?"),
        (("incidents", "--category", "lunch"), "unknown category or family 'lunch'"),
        (("incidents", "--start", "2018", "--end", "2017"), "is after end"),
    ],
)
def test_bad_arguments_are_usage_errors(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run(*args, code=2)
    assert message in " ".join(result.output.split())


def test_timeline_filters_the_merged_incidents(run: Run) -> None:
    rows = json.loads(
        run(
            "timeline", "--since", "2017-01-01", "--until", "2017-12-31", "--types", "nuclear_test", "-f", "json"
        ).stdout
    )
    assert [(r["date"], r["sources"]) for r in rows] == [("2017-09-03", "csis+kb")]
    launches = json.loads(
        run("timeline", "--since", "2017-11-28", "--until", "2017-11-29", "--types", "launch", "-f", "json").stdout
    )
    # Hwasong-15: CNS F1 118 dates it 28-Nov-17 (UTC, 6:18 PM); the timeline gives the Korean date 2017-11-29;
    # the CSIS scrape has no row for it
    assert [(r["date"], r["sources"], r["incident_id"]) for r in launches] == [("2017-11-28", "cns+kb", "inc:cns:118")]
    multi = json.loads(run("timeline", "--multi-source", "--types", "launch", "-f", "json").stdout)
    assert len(multi) == 137 and all(r["n_sources"] > 1 for r in multi)


def test_incidents_reports_and_saves(run: Run, home: Path) -> None:
    summary = json.loads(run("incidents", "--show", "summary", "-f", "json").stdout)
    assert {r["metric"]: r["value"] for r in summary}["events"] == 1198
    store = Store(home)
    assert store.table("incident_links").count().execute() == 1198
    store.close()
    years = json.loads(run("incidents", "--show", "missiles", "--no-save", "-f", "json").stdout)
    assert len(years) == 40 and all(y["unexplained"] == 0 and y["within_tolerance"] for y in years)
    unmatched = list(csv.DictReader(io.StringIO(run("incidents", "--show", "unmatched", "-f", "csv").stdout)))
    assert len(unmatched) == 72


def test_incidents_lists_each_launch_once(run: Run) -> None:
    """2017: 44 PRK launch rows (CNS 21, CSIS 16, timeline 7) are 18 incidents, CNS's 15 days and CSIS's 16 in one."""
    rows = list(csv.DictReader(io.StringIO(run(
        "incidents", "--actor", "PRK", "--category", "launch", "--start", "2017", "--end", "2017", "-f", "csv"
    ).stdout)))  # fmt: skip
    assert len(rows) == 18 and sum(int(r["n_events"]) for r in rows) == 44
    assert [r["date"] for r in rows if r["sources"] == "cns+kb"] == ["2017-11-28"]  # Hwasong-15: no CSIS row
    dyad = json.loads(run("incidents", "--dyad", "PRK-KOR", "--start", "2026-08", "-f", "json").stdout)
    assert [(r["date"], r["category"]) for r in dyad] == [
        ("2026-08-06", "missile_test"), ("2026-08-12", "missile_test"), ("2026-08-20", "missile_test")
    ]  # fmt: skip


def test_kb_prints_a_shipped_table(run: Run) -> None:
    rows = json.loads(run("kb", "leaders", "-f", "json").stdout)
    assert len(rows) == 17 and all(r["source"] and r["confidence"] == "verified" for r in rows)
    assert "LO-2018" in run("kb", "cbm").stdout


def test_kb_audit_command_reports_the_shipped_tables(tmp_path: Path) -> None:
    """``detente kb audit`` on the shipped KB: 11 tables, exit 0; on a broken copy it names the row and exits 1."""
    from detente.cli import app as full_app

    ok = CliRunner().invoke(full_app, ["kb", "audit", "-f", "json"])
    assert ok.exit_code == 0, ok.output
    rows = json.loads(ok.stdout)
    assert len(rows) == 11 and {r["table"] for r in rows} >= {"agreements", "exercises", "timeline"}
    assert sum(r["rows_weak_only"] for r in rows) == 0 and sum(r["rows_unsourced"] for r in rows) == 0
    broken = tmp_path / "kb"
    broken.mkdir()
    (broken / "summits.csv").write_text(
        "id,kind,date_start,date_end,date_precision,place,participants,outcome_summary,source,confidence\n"
        "X-1,summit,2020-01-01,2020-01-01,day,Nowhere,A; B,none,,verified\n",
        encoding="utf-8",
    )
    bad = CliRunner().invoke(full_app, ["kb", "audit", str(broken)])
    assert bad.exit_code == 1 and "summits" in bad.output and "Traceback" not in bad.output


IND_PAK = Path(__file__).resolve().parents[2] / "src" / "detente" / "kb" / "data" / "ind-pak"


def _edit(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _set(row: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def _add_column(rows: list[list[str]]) -> None:
    for i, r in enumerate(rows):
        r.append("mood" if i == 0 else "tense")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the India-Pakistan KB with one fault of each kind."""
    folder = tmp_path / "ind-pak"
    shutil.copytree(IND_PAK, folder)
    _edit(folder / "agreements.csv", _set(3, "date_signed", "1966-02-30"))  # row 3: Tashkent's date made impossible
    _edit(folder / "transitions.csv", _set(5, "status", "halfway"))
    _edit(folder / "cbm.csv", _set(2, "source", ""))
    _edit(folder / "summits.csv", _add_column)
    _edit(folder / "leaders.csv", _set(4, "country", "KOR"))
    _edit(folder / "timeline.csv", _set(7, "event_type", "skirmish"))
    return folder


def test_kb_validate_passes_on_both_shipped_knowledge_bases(run: Run) -> None:
    shipped = tables.shipped_folder()
    assert tables.validate(shipped) == [] and tables.validate(IND_PAK, ("IND", "PAK")) == []
    for folder in (shipped, IND_PAK):
        assert "no problem" in run("kb", "validate", str(folder)).output


def test_kb_validate_names_the_file_row_and_field_of_each_fault(run: Run, broken: Path) -> None:
    result = run("kb", "validate", str(broken), "--theatre", "India-Pakistan", code=1)
    assert result.stdout.splitlines() == [
        "agreements.csv: row 3, field date_signed: '1966-02-30' is not a date (day is out of range for month)",
        "transitions.csv: row 5, field status: status 'halfway' is not one of"
        " ('not_initiated', 'minimal', 'intermediate', 'full', 'reversed')",
        "summits.csv: header, field mood: unknown column",
        "leaders.csv: row 4, field country: country 'KOR' is not one of ('IND', 'PAK')",
        "cbm.csv: row 2, field source: empty source",
        "timeline.csv: row 7, field event_type: event_type 'skirmish' is not one of the allowed codes",
    ]
    assert "Traceback" not in result.output
    # without the theatre's states any ISO3 code is a country; the other five faults remain
    assert len(run("kb", "validate", str(broken), code=1).stdout.splitlines()) == 5


def test_kb_validate_needs_a_folder(run: Run) -> None:
    assert "validate needs a knowledge-base folder" in run("kb", "validate", code=2).output
    assert "is not a folder" in run("kb", "validate", "no-such-kb", code=2).output
    assert "unknown theatre 'Atlantis'" in run("kb", "validate", str(IND_PAK), "--theatre", "Atlantis", code=2).output


def test_kb_option_loads_a_folder_beside_the_shipped_one(run: Run, broken: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("agreements", "--kb", str(IND_PAK), "-f", "csv").stdout)))
    by_kb = {k: [r for r in rows if r["kb"] == k] for k in {r["kb"] for r in rows}}
    assert len(by_kb["shipped"]) == 26 and len(by_kb[str(IND_PAK)]) == 15
    simla = next(r for r in by_kb[str(IND_PAK)] if r["date_signed"] == "1972-07-02")
    assert (simla["id"], simla["name"]) == ("SIM-1972", "Simla Agreement")
    leaders = json.loads(run("kb", "leaders", "--kb", str(IND_PAK), "-f", "json").stdout)
    assert [sum(r["kb"] == k for r in leaders) for k in ("shipped", str(IND_PAK))] == [17, 14]
    # a table the folder lacks adds nothing
    sanctions = json.loads(run("kb", "sanctions", "--kb", str(IND_PAK), "-f", "json").stdout)
    assert {r["kb"] for r in sanctions} == {"shipped"} and len(sanctions) == tables.load("sanctions").num_rows
    plain = list(csv.DictReader(io.StringIO(run("timeline", "-f", "csv").stdout)))
    both = list(csv.DictReader(io.StringIO(run("timeline", "--kb", str(IND_PAK), "-f", "csv").stdout)))
    assert len(both) == len(plain) + 41
    assert any(r["date"] == "2025-04-22" and "Pahalgam" in r["description"] for r in both)
    assert not any("Pahalgam" in r["description"] for r in plain)
    bad = run("agreements", "--kb", str(broken), code=1)
    assert "agreements.csv: row 3, field date_signed" in bad.output and "Traceback" not in bad.output
