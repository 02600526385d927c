"""Index benchmark: the monthly dyadic aggregation behind the tension index over millions of events.

A store is filled once with synthetic GDELT 2.0 events (``synth_gdelt.py``: ``--files`` exports, one
per month, ``--rows`` in total), then the same aggregation — the dyad's events per (direction,
month): counts by QuadClass, Goldstein sum, log-damped mention weights, cooperation and conflict —
is timed four ways, each run in a fresh subprocess (so its peak RSS is its own), interleaved and
repeated, median reported:

- ``series``: :func:`detente.indicators.series.dyadic_series` (Ibis expression → DuckDB, plus the
  calendar and derived ratios in pandas);
- ``index``: :func:`detente.indicators.tension.tension_index` (the series plus the curated incidents,
  the drills and the standardisation);
- ``pandas``: the same aggregation hand-written in pandas on ``pandas.read_parquet`` of the columns
  it needs;
- ``duckdb``: the same aggregation as one bare DuckDB SQL query over the Parquet tree (the ceiling).

The three aggregations are checked to give the same cells before anything is timed. Imports and
opening the store are outside the timed region; peak RSS is the subprocess's ``VmHWM``.

    python benchmarks/bench_index.py --rows 10000000 --files 60 --repeat 3 --work /tmp/bench-index
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _machine import peak_rss_mb

HERE = Path(__file__).resolve().parent
METHODS = ("series", "index", "pandas", "duckdb")
_SUMS = ("events", "material_conflict", "goldstein_sum", "goldstein_wsum", "cooperation", "conflict")


def build(work: Path, rows: int, files: int) -> dict[str, float]:
    """Fill ``work/home`` with ``files`` synthetic exports (one per month from 2015-01); skip if done."""
    sys.path.insert(0, str(HERE))
    from synth_gdelt import generate

    from detente import Store

    home = work / "home"
    marker = work / "built.json"
    if marker.exists():
        return json.loads(marker.read_text())
    store = Store(home)
    per_file, gen, ing = rows // files, 0.0, 0.0
    for i in range(files):
        year, month = 2015 + i // 12, i % 12 + 1
        path = work / f"{year}{month:02d}15000000.export.CSV"
        t = time.perf_counter()
        generate(path, per_file, seed=i, added=f"{year}{month:02d}15000000")
        gen += time.perf_counter() - t
        t = time.perf_counter()
        report = store.ingest(path)
        ing += time.perf_counter() - t
        assert report.status == "ingested" and report.balanced, report
        path.unlink()
    stored = store.events().count().to_pyarrow().as_py()
    store.close()
    info = {"rows": stored, "files": files, "generate_s": round(gen, 1), "ingest_s": round(ing, 1)}
    marker.write_text(json.dumps(info))
    return info


def _pandas(home: Path, a: str, b: str) -> object:
    import numpy as np
    import pandas as pd

    cols = ["date", "date_precision", "actor1_country", "actor2_country", "quad_class", "goldstein", "mentions"]
    df = pd.read_parquet(home / "events", columns=cols)
    keep = (
        df["actor1_country"].isin([a, b])
        & df["actor2_country"].isin([a, b])
        & (df["actor1_country"] != df["actor2_country"])
        & (df["date_precision"].isna() | df["date_precision"].isin(["day", "month"]))
    )
    d = df[keep].copy()
    d["direction"] = d["actor1_country"] + ">" + d["actor2_country"]
    d["period"] = pd.to_datetime(d["date"]).dt.to_period("M").dt.start_time.dt.date
    g = d["goldstein"].astype(float).round(1)
    m = d["mentions"].astype(float)
    w = np.where(m.isna() | (m < 1), 1.0, 1.0 + np.log(m.where(m >= 1, 1.0)))
    d = d.assign(
        g=g,
        w=np.where(g.isna(), 0.0, w),
        gw=g * w,
        mc=(d["quad_class"] == 4).astype(int),
        coop=g.where(g > 0, 0.0),
        conf=(-g).where(g < 0, 0.0),
    )
    both = pd.concat([d, d.assign(direction=f"{a}-{b}")])
    out = both.groupby(["direction", "period"]).agg(
        events=("g", "size"),
        material_conflict=("mc", "sum"),
        goldstein_sum=("g", "sum"),
        weight_sum=("w", "sum"),
        goldstein_wsum=("gw", "sum"),
        cooperation=("coop", "sum"),
        conflict=("conf", "sum"),
    )
    return out.reset_index()


def _duckdb(home: Path, a: str, b: str) -> object:
    import duckdb

    glob = str(home / "events" / "**" / "*.parquet")
    sql = f"""
    WITH e AS (
      SELECT actor1_country || '>' || actor2_country AS direction,
             CAST(date_trunc('month', date) AS DATE) AS period, quad_class,
             round(CAST(goldstein AS DOUBLE), 1) AS g,
             CASE WHEN mentions IS NULL OR mentions < 1 THEN 1.0 ELSE 1.0 + ln(mentions) END AS w
      FROM read_parquet('{glob}', hive_partitioning = true)
      WHERE actor1_country IN ('{a}', '{b}') AND actor2_country IN ('{a}', '{b}')
        AND actor1_country <> actor2_country AND coalesce(date_precision, 'day') IN ('day', 'month')
    ), e2 AS (SELECT * FROM e UNION ALL SELECT '{a}-{b}' AS direction, period, quad_class, g, w FROM e)
    SELECT direction, period, count(*) AS events, count(*) FILTER (WHERE quad_class = 4) AS material_conflict,
           sum(g) AS goldstein_sum, sum(CASE WHEN g IS NULL THEN 0 ELSE w END) AS weight_sum,
           sum(g * w) AS goldstein_wsum, sum(CASE WHEN g > 0 THEN g ELSE 0 END) AS cooperation,
           sum(CASE WHEN g < 0 THEN -g ELSE 0 END) AS conflict
    FROM e2 GROUP BY ALL
    """
    con = duckdb.connect()
    try:
        return con.sql(sql).df()
    finally:
        con.close()


def run_one(method: str, home: Path, dyad: str) -> dict[str, float]:
    """Time one method (called in a subprocess); imports and opening the store are outside the timing."""
    a, b = dyad.split("-")
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    from detente import Store
    from detente.indicators.series import dyadic_series
    from detente.indicators.tension import tension_index

    store = Store(home) if method in ("series", "index") else None
    t = time.perf_counter()
    if method == "pandas":
        frame = _pandas(home, a, b)
    elif method == "duckdb":
        frame = _duckdb(home, a, b)
    elif method == "series":
        frame = dyadic_series(store, dyad, "month")
    else:
        frame = tension_index(store, dyad, "month")
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "rss_mb": peak_rss_mb(), "rows_out": len(frame)}  # type: ignore[arg-type]


def check(home: Path, dyad: str) -> int:
    """The three aggregations agree on every non-empty (direction, month) cell; returns the cell count."""
    import pandas as pd

    from detente import Store
    from detente.indicators.series import dyadic_series

    a, b = dyad.split("-")
    ours = dyadic_series(Store(home), dyad, "month")
    ours = ours[ours["events"] > 0].set_index(["direction", "period"])
    for other in (_pandas(home, a, b), _duckdb(home, a, b)):
        other = other.copy()  # type: ignore[attr-defined]
        other["period"] = pd.to_datetime(other["period"]).dt.date
        other = other.set_index(["direction", "period"]).sort_index()
        joined = ours.join(other, rsuffix="_other", how="outer")
        for col in _SUMS:
            diff = (joined[col].astype(float) - joined[f"{col}_other"].astype(float)).abs().max()
            assert diff < 1e-6, (col, diff)
    return len(ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dyad", default="PRK-KOR")
    parser.add_argument("--work", type=Path, default=Path("/tmp/detente-bench-index"))
    parser.add_argument("--run", choices=METHODS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = args.work / "home"
    if args.run:
        print(json.dumps(run_one(args.run, home, args.dyad)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    info = build(args.work, args.rows, args.files)
    cells = check(home, args.dyad)
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
    for r in range(args.repeat):
        order = METHODS[r % len(METHODS) :] + METHODS[: r % len(METHODS)]
        for method in order:
            cmd = [sys.executable, __file__, "--run", method, "--work", str(args.work), "--dyad", args.dyad]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            runs[method].append(json.loads(out))
    summary = {
        m: {
            "median_s": round(statistics.median(x["seconds"] for x in v), 3),
            "runs_s": [round(x["seconds"], 3) for x in v],
            "peak_rss_mb": round(max(x["rss_mb"] for x in v)),
        }
        for m, v in runs.items()
    }
    result = {
        "store": info,
        "dyad": args.dyad,
        "cells": cells,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.processor() or platform.machine(),
        "results": summary,
    }
    (args.work / "results.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
