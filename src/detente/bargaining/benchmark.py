"""Speed benchmark: Monte Carlo runs of BDM on the Korean issue set, vectorised against plain Python.

Each run draws every input of the shipped Korean set (7 actors, 6 issues) from its range and plays
BDM (paper rules, 10-round cap) on all six issues. The vectorised model solves every game of every
run in one ``BDMModel.fit`` call; the baseline plays a sample of the same games one by one with
:func:`.reference.play`. The sampled games' outcomes must agree exactly, so both sides do the same
work. Timings are wall-clock, best of ``repeat``.

    python -m detente.bargaining.benchmark --runs 10000 --sample 100
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any

import numpy as np

from .bdm import BDMModel
from .inputs import korea
from .montecarlo import triangular
from .reference import play

__all__ = ["draw_games", "main", "run"]


def draw_games(runs: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs of ``runs`` Monte Carlo runs of the Korean set: games ``(runs × issues, 7, 3)`` and their scale widths."""
    issue_set = korea()
    rng = np.random.default_rng(seed)
    games, widths = [], []
    for spec in issue_set.issues:
        X = issue_set.matrix(spec.id)
        low, high = issue_set.bounds(spec.id)
        games.append(triangular(low, X, high, rng.random((runs, *X.shape))))
        widths.append(np.full(runs, spec.scale[1] - spec.scale[0]))
    return np.concatenate(games), np.concatenate(widths)


def _best(fn: Any, repeat: int) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def run(runs: int = 10_000, sample: int = 100, seed: int = 0, repeat: int = 3) -> dict[str, Any]:
    """Time ``runs`` vectorised runs and ``sample`` plain-Python runs; returns the measured figures."""
    games, widths = draw_games(runs, seed)
    if not (widths == widths[0]).all():
        raise ValueError("the benchmark assumes one scale width for every issue")
    model = BDMModel(max_rounds=10, scale=(0.0, float(widths[0])))
    fast_s, fitted = _best(lambda: model.fit(games), repeat)
    issues = games.shape[0] // runs
    picks = [i * runs + k for i in range(issues) for k in range(min(sample, runs))]

    def loop() -> list[float]:
        return [play(list(g[:, 0]), list(g[:, 1]), list(g[:, 2]), max_rounds=10, scale=(0.0, float(widths[0])))
                ["medians"][-1] for g in games[picks]]  # fmt: skip

    slow_s, ref = _best(loop, 1)
    agree = bool(np.allclose(np.asarray(ref), fitted.outcome_[picks], atol=1e-9))
    per_fast = fast_s / runs
    per_slow = slow_s / min(sample, runs)
    return {
        "runs": runs, "issues": issues, "actors": games.shape[1], "sample": min(sample, runs),
        "vectorised_s": fast_s, "python_sample_s": slow_s,
        "vectorised_ms_per_run": per_fast * 1e3, "python_ms_per_run": per_slow * 1e3,
        "speedup_per_run": per_slow / per_fast, "python_full_estimate_s": per_slow * runs,
        "outcomes_agree": agree, "mean_rounds": float(np.mean(fitted.n_rounds_)),
        "oscillating_share": float(np.mean(fitted.oscillating_)),
        "machine": f"{platform.python_implementation()} {platform.python_version()}, numpy {np.__version__}, "
                   f"{os.cpu_count()} CPUs, {platform.machine()}",
    }  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark as a Markdown table (for BENCHMARKS.md)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    r = run(a.runs, a.sample, a.seed, a.repeat)
    print(f"BDM Monte Carlo, Korean issue set: {r['runs']:,} runs x {r['issues']} issues x {r['actors']} actors "
          f"({r['machine']})\n")  # fmt: skip
    print("| implementation | runs timed | wall time (s) | ms per run | full runs (s) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| vectorised numpy (`BDMModel.fit`) | {r['runs']:,} | {r['vectorised_s']:.2f} | "
          f"{r['vectorised_ms_per_run']:.3f} | {r['vectorised_s']:.2f} |")  # fmt: skip
    print(f"| plain Python loops (`reference.play`) | {r['sample']:,} | {r['python_sample_s']:.2f} | "
          f"{r['python_ms_per_run']:.2f} | ~{r['python_full_estimate_s']:.0f} (estimated) |")  # fmt: skip
    print(
        f"\nSpeed-up per run: {r['speedup_per_run']:.0f}x; sampled outcomes identical: {r['outcomes_agree']}; "
        f"mean rounds played {r['mean_rounds']:.2f}; oscillating at the cap {r['oscillating_share']:.1%}."
    )


if __name__ == "__main__":  # pragma: no cover
    main()
