"""A brief is written atomically: a build that fails or is killed after its charts leaves the previous one intact."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from detente.report import BriefFormat, render, write_brief
from detente.report.model import Brief

#: a child that writes the brief and is killed (SIGKILL) once its first PNG chart is rendered
KILLED_CHILD = """
import os, pickle, signal, sys
from detente.report import BriefFormat, render
brief = pickle.loads(open(sys.argv[1], "rb").read())
real = render.render_png
def render_png(spec):
    real(spec)
    os.kill(os.getpid(), signal.SIGKILL)
render.render_png = render_png
render.write_brief(brief, sys.argv[2], BriefFormat.html, BriefFormat.md)
"""


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous(small_brief: Brief, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A brief written in html and md, and every byte of its folder."""
    out = tmp_path / "out"
    write_brief(small_brief, out / "brief.html", BriefFormat.html, BriefFormat.md)
    return out, _tree(out)


def _newer(brief: Brief) -> Brief:
    return replace(brief, subtitle=brief.subtitle + " (second build)")


def test_a_build_failing_after_its_charts_changes_nothing(
    small_brief: Brief, previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    assert {"brief.html", "brief.md", "brief_files/footnotes.json", "brief_files/tension.svg"} <= set(before)
    written: list[str] = []
    real = render.render_markdown

    def failing(brief: Brief, assets: str) -> str:
        written.extend(p.name for p in out.glob(".brief.partial-*/brief_files/*"))  # charts are rendered
        real(brief, assets)
        raise RuntimeError("the build died here")

    monkeypatch.setattr(render, "render_markdown", failing)
    with pytest.raises(RuntimeError, match="died here"):
        write_brief(_newer(small_brief), out / "brief.html", BriefFormat.html, BriefFormat.md)
    assert "tension.png" in written and "footnotes.json" in written
    assert _tree(out) == before  # same files, same bytes, no partial folder left
    assert sorted(p.name for p in out.iterdir()) == ["brief.html", "brief.md", "brief_files"]


def test_a_killed_build_leaves_the_previous_brief_and_the_next_one_tidies(
    small_brief: Brief, previous: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    out, before = previous
    pickled = tmp_path / "brief.pkl"
    pickled.write_bytes(pickle.dumps(_newer(small_brief)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.run([sys.executable, "-c", KILLED_CHILD, str(pickled), str(out / "brief.html")],
                           env=env, capture_output=True, timeout=300)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    partial = [p for p in out.iterdir() if p.name.startswith(".brief.partial-")]
    assert len(partial) == 1 and list(partial[0].glob("brief_files/*.svg"))  # it died half-way through the charts
    assert {k: v for k, v in _tree(out).items() if not k.startswith(".brief.partial-")} == before
    written = write_brief(_newer(small_brief), out / "brief.html", BriefFormat.html, BriefFormat.md)
    assert sorted(p.name for p in out.iterdir()) == ["brief.html", "brief.md", "brief_files"]  # partial removed
    assert "(second build)" in (out / "brief.md").read_text("utf-8")
    assert set(_tree(out)) == set(before) and {str(p.relative_to(out)) for p in written} == set(before)
