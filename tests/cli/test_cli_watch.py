"""``detente track-record`` and ``detente alerts`` on a store of the real curated Korea files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from korea_store import built_store, korea_files
from typer.testing import CliRunner

from detente.cli import app


@pytest.fixture(scope="module")
def home(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("watch") / "home"
    built_store(path, korea_files(data_dir, coded=False)).close()
    return path


@pytest.mark.slow
def test_track_record_issues_once_and_catches_an_edit(home: Path) -> None:
    env = {"DETENTE_HOME": str(home)}
    first = CliRunner().invoke(app, ["track-record", "--issue"], env=env)
    assert first.exit_code == 0, first.output
    # the data reach 2026-08-20: forecasts are issued from August 2026 (observed in part), for September on
    assert "forecasts issued from 2026-08" in first.output and "hash chain intact" in first.output
    again = CliRunner().invoke(app, ["track-record", "--issue"], env=env)
    assert "0 forecasts issued from 2026-08" in again.output
    log = home / "forecasts" / "record.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["value"] = 0.999
    lines[2] = json.dumps(entry)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tampered = CliRunner().invoke(app, ["track-record"], env=env)
    assert tampered.exit_code == 1 and "line 3" in tampered.output


def test_alerts_fire_once(home: Path) -> None:
    env = {"DETENTE_HOME": str(home), "DETENTE_ALERT_URLS": ""}
    first = CliRunner().invoke(app, ["alerts", "--check", "-f", "json"], env=env)
    assert first.exit_code == 0, first.output
    fired = json.loads(first.stdout[first.stdout.index("[") :])
    assert fired and {"rule", "month", "title"} <= set(fired[0])
    # CNS ends in 2023-04 while the data reach 2026-08
    assert any(a["rule"] == "source-silent" and "cns has no event since 2023-04-12" in a["title"] for a in fired)
    again = CliRunner().invoke(app, ["alerts", "--check", "-f", "json"], env=env)
    assert "0 new as of 2026-08-20" in again.output
    assert json.loads(again.stdout[again.stdout.index("[") :]) == fired
    assert (home / "alerts" / "alerts.atom").is_file()
