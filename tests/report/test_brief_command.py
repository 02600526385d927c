"""``detente brief`` through typer's CliRunner on a local app: an empty store is filled, the files are written."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from detente.cli.report import brief


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command()(brief)
    app.command("noop")(lambda: None)  # a second command keeps `brief` a subcommand, as in the real CLI
    return app


def test_brief_on_an_empty_store_builds_it_from_the_shipped_data(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is built from the shipped timeline first (dated 2018-06-30 to keep the test short)."""
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    out = tmp_path / "brief.md"
    args = [
        "brief",
        "-f",
        "md",
        "-f",
        "html",
        "-o",
        str(out),
        "--as-of",
        "2018-06-30",
        "--runs",
        "0",
        "--origins",
        "12",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(out), str(out.with_suffix(".html"))]
    assert "<h2>11. Lessons from other border conflicts</h2>" in out.with_suffix(".html").read_text("utf-8")
    text = out.read_text("utf-8")
    assert "## 11. Lessons from other border conflicts" in text
    assert "as of 2018-06-30" in text
    assert (tmp_path / "brief_files" / "footnotes.json").is_file()
    assert (tmp_path / "brief_files" / "tension.svg").is_file()


def test_bad_date_is_a_clear_error(app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["brief", "--as-of", "2026-02-30"])
    assert result.exit_code == 2
    assert "is not an ISO date" in result.output
