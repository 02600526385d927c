"""CLI start-up benchmark: ``detente --help`` vs a bare ``python -c "import typer, rich"``, and ``detente sources``.

Every run is a whole fresh process, timed from outside (wall clock around ``Popen`` .. ``wait4``, CPU
as the child's user + system seconds from ``wait4``), its output thrown away. The commands run in
turn, one of each per round (A B A B ...), so that a ratio is taken pair by pair on the same load;
the median of the rounds is reported with min and max. ``--before REV`` also times the same commands
on the ``src/`` of another commit (exported with ``git archive``), in the same rounds, so today's and
the earlier figures sit side by side.

``detente sources`` needs a store: ``--home`` names one, else one is built in ``--work`` from the
shipped knowledge base plus ``--data`` (``detente init --data DIR``, once, not timed).

    python benchmarks/bench_cli_startup.py --runs 10 --data /work/shared/data --before HEAD~1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import machine, versions

HERE = Path(__file__).resolve().parent
BARE = [sys.executable, "-c", "import typer, rich"]


def detente(src: Path, *args: str) -> list[str]:
    """``detente ARGS`` on the code in ``src`` (the console script's own call: ``detente.cli:app``)."""
    return [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(src)!r}); from detente.cli import app; app()",
        *args,
    ]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit status of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def summary(values: list[float]) -> dict[str, float]:
    """Median, min and max, rounded to the millisecond (ratios to 3 decimals)."""
    return {k: round(f(values), 3) for k, f in (("median", statistics.median), ("min", min), ("max", max))}


def build_store(home: Path, data: Path | None, src: Path) -> None:
    """``detente init [--data DATA]`` into ``home`` (not timed)."""
    env = {**os.environ, "DETENTE_HOME": str(home)}
    args = ["init", *(["--data", str(data)] if data else []), "--format", "csv"]
    subprocess.run(detente(src, *args), env=env, check=True, capture_output=True)


def export_src(rev: str, into: Path) -> Path:
    """The ``src/`` tree of commit ``rev``, written under ``into``."""
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "src"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="rounds (each runs every command once)")
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--home", type=Path, help="store for `detente sources` (default: build one in --work)")
    parser.add_argument("--data", type=Path, help="raw data for the store built in --work (detente init --data)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--before", help="also time the src/ of this commit, e.g. HEAD~1")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-cli-"))
    work.mkdir(parents=True, exist_ok=True)
    trees = {"now": HERE.parent / "src"}
    if args.before:
        trees[args.before] = export_src(args.before, work)
    home = args.home or work / "home"
    if args.home is None and not (home / "detente.duckdb").exists():
        build_store(home, args.data, trees["now"])
    env = {**os.environ, "DETENTE_HOME": str(home)}
    env.pop("DETENTE_BACKEND", None)
    commands = {"bare python -c 'import typer, rich'": BARE}
    for label, src in trees.items():
        commands[f"detente --help ({label})"] = detente(src, "--help")
        commands[f"detente sources ({label})"] = detente(src, "sources")

    load_before = os.getloadavg()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for round_ in range(args.warmup + args.runs):
        for name, cmd in commands.items():
            wall, cpu, code = timed(cmd, env)
            if code != 0:
                raise SystemExit(f"{name} exited with {code}")
            if round_ >= args.warmup:
                times[name].append((wall, cpu))
    load_after = os.getloadavg()

    bare = times["bare python -c 'import typer, rich'"]
    results = {}
    for name, runs in times.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        row: dict[str, object] = {"wall_s": summary(walls), "cpu_s": summary(cpus)}
        if name.startswith("detente --help"):
            row["wall_ratio_to_bare"] = summary([w / b for (w, _), (b, _) in zip(runs, bare, strict=True)])
            row["cpu_ratio_to_bare"] = summary([c / b for (_, c), (_, b) in zip(runs, bare, strict=True)])
        results[name] = row
    report = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "machine": machine(),
        "versions": versions(["typer", "rich", "duckdb", "pyarrow", "ibis-framework", "pandas"]),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "runs": args.runs,
        "store": str(home),
        "results": results,
    }
    print(f"{'command':<44} {'wall median (min-max) s':>26} {'cpu median s':>13} {'help / bare (wall, cpu)':>24}")
    for name, row in results.items():
        w, c = row["wall_s"], row["cpu_s"]
        ratio = ""
        if "wall_ratio_to_bare" in row:
            ratio = f"{row['wall_ratio_to_bare']['median']:.2f}x, {row['cpu_ratio_to_bare']['median']:.2f}x"
        print(f"{name:<44} {w['median']:>8.3f} ({w['min']:.3f}-{w['max']:.3f}) {c['median']:>13.3f} {ratio:>24}")
    print(f"load average before {report['load_average_before']}, after {report['load_average_after']}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
