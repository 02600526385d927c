"""The speed benchmark runs and its two implementations agree (no timing assertions here)."""

from __future__ import annotations

import pytest

from detente.bargaining.benchmark import draw_games, main, run


def test_draws_cover_every_issue() -> None:
    games, widths = draw_games(5, seed=1)
    assert games.shape == (30, 7, 3) and (widths == 100.0).all()


def test_small_benchmark_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(runs=40, sample=3, repeat=1)
    assert r["outcomes_agree"] and (r["runs"], r["issues"], r["actors"], r["sample"]) == (40, 6, 7, 3)
    main(["--runs", "20", "--sample", "2", "--repeat", "1"])
    out = capsys.readouterr().out
    assert "| vectorised numpy" in out and "sampled outcomes identical: True" in out
