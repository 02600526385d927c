"""The command table: every command loads on demand, the help lists them all without importing them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from detente.cli import COMMANDS, app
from detente.cli._lazy import load

#: libraries that no command listing may import (the heavy ones, and the store)
HEAVY = ("ibis", "duckdb", "pandas", "pyarrow", "altair", "fastapi", "statsmodels", "pydantic", "detente.store")


def _imported_by(*args: str, home: Path | None = None) -> list[str]:
    """The HEAVY modules and command modules that ``detente ARGS`` imports, run in a fresh interpreter."""
    code = (
        "import json, sys\nfrom detente.cli import app\n"
        f"try:\n    app({list(args)!r})\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m in {HEAVY!r} or m.startswith('detente.cli.'))))"
    )
    env = {**os.environ, **({"DETENTE_HOME": str(home)} if home else {})}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_imports_no_command_and_no_heavy_library() -> None:
    assert _imported_by("--help") == ["detente.cli._lazy"]


def test_sources_reads_the_manifest_without_ibis_or_pandas(tmp_path: Path) -> None:
    CliRunner().invoke(app, ["init"], env={"DETENTE_HOME": str(tmp_path)})
    imported = _imported_by("sources", home=tmp_path)
    assert "ibis" not in imported and "pandas" not in imported and "detente.store" not in imported
    assert {"detente.cli.store", "duckdb"} <= set(imported)


def test_the_table_names_every_command_with_its_own_help() -> None:
    """The help shown without loading is the first line of the command's docstring (or the group's help)."""
    for name, (module, help_text) in COMMANDS.items():
        command = load(module, name)
        assert command.help is not None and command.help.splitlines()[0] == help_text, name
        assert isinstance(command, typer.core.TyperGroup) == (name in ("analyze", "fetch", "store")), name


def test_commands_and_aliases_users_have() -> None:
    group = typer.main.get_group(app)
    ctx = typer.Context(group)
    assert group.list_commands(ctx) == list(COMMANDS)
    analyze = group.get_command(ctx, "analyze")
    assert analyze.list_commands(ctx) == ["reciprocity", "event-study", "csis-2016", "claims", "phases"]
    # `detente analyze phases` is the command `detente phases`, registered once in detente.cli.indicators
    assert analyze.get_command(ctx, "phases").callback is group.get_command(ctx, "phases").callback
    assert group.get_command(ctx, "fetch").list_commands(ctx) == ["gdelt"]


def test_a_typo_is_answered_with_the_commands_it_may_mean() -> None:
    result = CliRunner().invoke(app, ["sorces"])
    assert result.exit_code == 2 and "Did you mean 'sources'" in result.output


def test_the_engine_travels_in_the_context_not_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DETENTE_BACKEND", raising=False)
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["--backend", "duckdb", "events", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "DETENTE_BACKEND" not in os.environ
