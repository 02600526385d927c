"""The rooms keep their layers, and docs/architecture.md shows the imports as they are."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "architecture.py"


def _script():
    spec = importlib.util.spec_from_file_location("architecture", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_room_imports_a_higher_layer() -> None:
    arch = _script()
    assert arch.violations(arch.room_graph()) == []


def test_rule_catches_an_upward_import() -> None:
    arch = _script()
    graph = arch.room_graph()
    graph["kb"]["report"] = 1
    assert "kb (layer 6) imports report (layer 2)" in arch.violations(graph)


def test_known_edges_are_drawn() -> None:
    arch = _script()
    graph = arch.room_graph()
    assert "store" in graph["kb"] and "ontology" in graph["sources"] and "report" not in graph["kb"]


def test_only_the_cli_imports_typer_or_rich() -> None:
    found = subprocess.run(
        ["git", "grep", "-l", "-E", "^\\s*(import|from) (typer|rich)\\b", "--", "src/detente"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.split()
    assert found and all(f.startswith("src/detente/cli/") for f in found)


def test_diagram_is_current() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_only_the_store_touches_its_connection() -> None:
    found = subprocess.run(
        ["git", "grep", "-n", "-E", r"store\.con\b|\._con\b|\.con\.", "--", "src/detente"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.splitlines()
    owners = ("src/detente/store.py:", "src/detente/ingest.py:", "src/detente/manifest.py:")
    assert [line for line in found if not line.startswith(owners)] == []
