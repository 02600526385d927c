"""Untrusted terminal text (issue 16 item 5): rich markup is never read from data, control characters are escaped.

A curated-timeline CSV whose actor code is ``[/red]``, whose description carries an ANSI escape and whose
file name starts with one, plus a line with ``[/]`` that is quarantined, is ingested into a fresh store
through the CLI; ``ingest``, ``events`` and ``quarantine`` then print it as a table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app

HEADER = "date,date_precision,actor,target,event_type,description,casualties,source,confidence"
ESC = "\x1b[31m"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _hostile_file(folder: Path) -> Path:
    path = folder / f"{ESC}facts.csv"
    path.write_text(
        f"{HEADER}\n"
        f"2020-06-16,day,[/red],KOR,other,{ESC}liaison office [bold]blown up,,,verified\n"
        "2020-13-01,day,PRK,KOR,other,a [/] line,,,verified\n",
        encoding="utf-8",
    )
    return path


def test_markup_and_escapes_in_data_are_shown_as_text(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", str(_hostile_file(tmp_path))])
    assert ingested.exit_code == 0, ingested.output
    assert "\x1b" not in ingested.stdout and "\\x1b[31mfacts.csv" in ingested.stdout

    events = runner.invoke(app, ["events"])
    assert events.exit_code == 0, events.output
    assert "[/red]" in events.stdout and "[bold]blown up" in events.stdout
    assert "\x1b" not in events.stdout and "\\x1b[31mliaison" in events.stdout

    quarantined = runner.invoke(app, ["quarantine"])
    assert quarantined.exit_code == 0, quarantined.output
    assert "a [/] line" in quarantined.stdout and "month must be in 1..12" in quarantined.stdout
    assert "\x1b" not in quarantined.stdout


def test_data_formats_keep_the_exact_text(home: Path, tmp_path: Path) -> None:
    """CSV and JSON are data: the values come back exactly (JSON escapes control characters itself)."""
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(_hostile_file(tmp_path))]).exit_code == 0
    [event] = json.loads(runner.invoke(app, ["events", "-f", "json"]).stdout)
    assert event["actor1_country"] == "[/red]" and event["description"].startswith(f"{ESC}liaison")
    [line] = json.loads(runner.invoke(app, ["quarantine", "-f", "json"]).stdout)
    assert line["source_file"] == f"{ESC}facts.csv" and "a [/] line" in line["raw"]


def test_file_names_in_warnings_are_text(home: Path, tmp_path: Path) -> None:
    """``init --data`` names the files it skips: a name with markup and an escape is printed as text."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / f"[bold]{ESC}notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["init", "--data", str(folder), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "skipped 1 files that are not event data ([bold]\\x1b[31mnotes.csv)" in result.stderr
    assert "\x1b" not in result.stderr
