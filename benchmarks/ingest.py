"""Ingest benchmark: Détente's ``Store.ingest`` against plain pandas, bare DuckDB and gdeltforge.

One synthetic GDELT 2.0 export (``synth_gdelt.py``) is converted to Parquet by each method, every
run in a fresh subprocess so that its peak RSS is its own; the methods are interleaved and repeated,
and the median is reported. Rows/s counts the file's records.

- ``detente``: ``Store(home).ingest(file)``, the store opened beforehand: hash, detect, parse, type,
  validate, map, quarantine, dedupe, write Hive-partitioned zstd Parquet, record the manifest.
- ``pandas``: ``pandas.read_csv(file, sep="\\t", header=None, names=<61 GDELT names>)`` then
  ``DataFrame.to_parquet`` (pyarrow, defaults).
- ``duckdb``: ``COPY (SELECT * FROM read_csv('<file>', delim='\\t', header=false)) TO 'x.parquet'``.
- ``gdeltforge``: ``GDELTConverter.process_single_file`` of the gdeltforge package (its ``convert``
  step for one file: polars, all fields as text then numeric casts, zstd Parquet), if installed.

With ``--bad`` the file has damaged lines; plain ``read_csv`` calls refuse such a file, so the two
baselines then skip bad lines (pandas ``on_bad_lines="skip", encoding_errors="replace"``, DuckDB
``ignore_errors=true``), while Détente quarantines them with reasons.

    python benchmarks/ingest.py --rows 1000000 --repeat 3
    python benchmarks/ingest.py --rows 1000000 --bad 0.001     # with 0.1% damaged lines
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from _machine import machine, peak_rss_mb, versions

METHODS = ("detente", "pandas", "duckdb", "gdeltforge")
HERE = Path(__file__).resolve().parent


# -- one measured run (in its own process) -------------------------------------------------------


def _detente(file: Path, work: Path, tolerant: bool) -> Callable[[], int]:
    from detente import Store

    store = Store(work / "home")

    def run() -> int:
        report = store.ingest(file)
        if report.status != "ingested":
            raise RuntimeError(f"ingest {report.status}: {report.error}")
        return report.rows_read

    return run


def _pandas(file: Path, work: Path, tolerant: bool) -> Callable[[], int]:
    import pandas as pd

    from detente.sources.gdelt import V2_COLUMNS

    options = {"on_bad_lines": "skip", "encoding_errors": "replace"} if tolerant else {}

    def run() -> int:
        frame = pd.read_csv(file, sep="\t", header=None, names=list(V2_COLUMNS), low_memory=False, **options)
        frame.to_parquet(work / "pandas.parquet")
        return len(frame)

    return run


def _duckdb(file: Path, work: Path, tolerant: bool) -> Callable[[], int]:
    import duckdb

    def literal(p: Path) -> str:
        return "'" + str(p).replace("'", "''") + "'"

    con = duckdb.connect()
    out = work / "duckdb.parquet"
    options = ", ignore_errors=true" if tolerant else ""

    def run() -> int:
        con.execute(
            f"COPY (SELECT * FROM read_csv({literal(file)}, delim='\t', header=false{options})) TO {literal(out)}"
        )
        return con.execute(f"SELECT count(*) FROM read_parquet({literal(out)})").fetchone()[0]

    return run


def _gdeltforge(file: Path, work: Path, tolerant: bool) -> Callable[[], int]:
    from importlib import resources

    import pyarrow.parquet as pq
    import yaml
    from gdeltforge.conversion.converter import GDELTConverter

    text = resources.files("gdeltforge").joinpath("config/default_settings.yaml").read_text("utf-8")
    config = yaml.safe_load(text)
    for key in ("downloaded_data", "unzipped_data", "parquet_data", "cleaned_data"):
        config["paths"][f"event_15min_{key}_directory"] = str(work / "gdeltforge" / key)
    converter = GDELTConverter(config, dataset="gdelt_event_15min", quiet=True, force=True)

    def run() -> int:
        written = converter.process_single_file(str(file))
        return sum(pq.ParquetFile(p).metadata.num_rows for p in written)

    return run


def run_one(method: str, file: Path, work: Path, tolerant: bool = False) -> dict[str, float]:
    """Time one method on ``file`` (imports and set-up excluded); its rows, seconds, CPU and peak RSS.

    ``tolerant``: the baselines skip lines they cannot parse (for files with damaged lines, which
    plain ``read_csv`` calls refuse); Détente and gdeltforge need no option for that.
    """
    work.mkdir(parents=True, exist_ok=True)
    run = globals()[f"_{method}"](file, work, tolerant)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    rows = run()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"rows": rows, "seconds": seconds, "cpu_s": cpu, "peak_rss_mb": peak_rss_mb()}



# -- the benchmark ----------------------------------------------------------------------------


def _available(method: str) -> str | None:
    """None if ``method`` can run here, else why not."""
    if method != "gdeltforge":
        return None
    try:
        return None if md.version("gdeltforge") else "not installed"
    except md.PackageNotFoundError:
        return "not installed (pip install gdeltforge)"


def _subprocess_run(method: str, file: Path, work: Path, tolerant: bool) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", method, "--file", str(file), "--work", str(work)]
    cmd += ["--tolerant"] if tolerant else []
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{method} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def benchmark(rows: int, repeat: int, bad: float, seed: int, work: Path, methods: tuple[str, ...]) -> dict[str, object]:
    """Generate the file, run every method ``repeat`` times (interleaved), summarise.

    The file is generated in a subprocess too, so that this driver stays small.
    """
    work.mkdir(parents=True, exist_ok=True)
    file = work / "20191024143000.export.CSV"
    synth = [sys.executable, str(HERE / "synth_gdelt.py"), str(file), "--rows", str(rows), "--seed", str(seed)]
    subprocess.run([*synth, "--bad", str(bad)], check=True)
    load_before = os.getloadavg()
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    skipped = {m: why for m in methods if (why := _available(m))}
    for r in range(repeat):
        order = [m for m in methods if m not in skipped]
        order = order[r % len(order) :] + order[: r % len(order)]
        for method in order:
            scratch = work / f"run-{method}"
            shutil.rmtree(scratch, ignore_errors=True)
            runs[method].append(_subprocess_run(method, file, scratch, tolerant=bad > 0))
            shutil.rmtree(scratch, ignore_errors=True)
    results: dict[str, dict[str, object]] = {}
    for method, done in runs.items():
        if method in skipped:
            results[method] = {"skipped": skipped[method]}
            continue
        median = statistics.median(d["seconds"] for d in done)
        results[method] = {
            "rows": done[0]["rows"],
            "seconds": [round(d["seconds"], 3) for d in done],
            "median_s": round(median, 3),
            "rows_per_s": round(rows / median),
            "median_cpu_s": round(statistics.median(d["cpu_s"] for d in done), 3),
            "peak_rss_mb": round(max(d["peak_rss_mb"] for d in done)),
        }
    det = results["detente"]["rows_per_s"] if "rows_per_s" in results.get("detente", {}) else None
    ratios = {
        f"detente_vs_{m}": round(det / r["rows_per_s"], 2)
        for m, r in results.items()
        if det and m != "detente" and "rows_per_s" in r
    }
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "versions": versions(("detente", "duckdb", "pyarrow", "pandas", "numpy", "polars", "gdeltforge")),
        "params": {"rows": rows, "repeat": repeat, "bad": bad, "seed": seed, "file_bytes": file.stat().st_size},
        "results": results,
        "ratios": ratios,
        "targets": {"detente_vs_pandas": ">= 2.0", "detente_vs_duckdb": ">= 0.7"},
    }


def _print(summary: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    params = summary["params"]
    table = Table(title=f"Ingest of {params['rows']:,} synthetic GDELT 2.0 rows ({params['file_bytes'] / 1e6:.0f} MB)")
    for col in ("method", "median s", "runs (s)", "rows/s", "CPU s", "peak RSS MB", "detente ÷ method"):
        table.add_column(col, justify="left" if col in ("method", "runs (s)") else "right")
    for method, r in summary["results"].items():
        if "skipped" in r:
            table.add_row(method, "-", r["skipped"], "-", "-", "-", "-")
            continue
        ratio = summary["ratios"].get(f"detente_vs_{method}", 1.0 if method == "detente" else "-")
        table.add_row(
            method,
            f"{r['median_s']:.2f}",
            " ".join(f"{s:.2f}" for s in r["seconds"]),
            f"{r['rows_per_s']:,}",
            f"{r['median_cpu_s']:.2f}",
            str(r["peak_rss_mb"]),
            f"{ratio}",
        )
    Console().print(table)
    print(
        f"load average (1, 5, 15 min) before {summary['load_average']['before']},"
        f" after {summary['load_average']['after']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bad", type=float, default=0.0, help="share of damaged lines in the file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--work", type=Path, default=None, help="scratch directory (default: a new temp dir)")
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default: <work>/results.json)")
    parser.add_argument("--one", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tolerant", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.file, args.work, args.tolerant)))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="detente-bench-"))
    summary = benchmark(args.rows, args.repeat, args.bad, args.seed, work, tuple(args.methods.split(",")))
    out = args.out or work / "results.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    _print(summary)
    print(f"results: {out}")


if __name__ == "__main__":
    main()
