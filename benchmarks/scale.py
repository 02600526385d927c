"""Scale benchmark: ingest and the indicator queries at 1M, 10M and 100M GDELT-like events, DuckDB vs Spark.

One run does everything, in this order, under ``--work`` (default ``/work/bench-data/scale``):

1. ``csv``: ten synthetic GDELT 2.0 exports of 1M rows each (``synth_gdelt.py``, seeds 0-9).
2. ``ingest`` (rows/s, peak memory), every run in a fresh subprocess:
   - ``duckdb``: ``Store(home).ingest(file)`` for each file: the full pipeline (parse, type, validate,
     quarantine, dedupe, map, Hive-partitioned zstd Parquet, manifest);
   - ``spark``: Spark local[2] reads the same files with the GDELT schema and writes the same
     Hive-partitioned Parquet through :func:`detente.backends.gdelt_canonical` (mapping only: no line
     accounting, quarantine or duplicate check, so it does less work than the store).
3. ``chunks``: 100 chunks of 1M canonical rows straight to Parquet (``source=gdelt2/year=…``), each
   made from one of the ten ingested files with new event ids and dates spread uniformly over GDELT
   2.0's span (2015-02-19 .. 2024-12-31); actors, codes, counts, tone and places stay as the synthetic
   generator drew them. A size-N store is N/1M chunks (hard links) plus the real curated files (the
   timeline, CNS, CSIS), so the tension index has real incidents.
4. ``query``: on each size of the curve (1, 2, 4, 8, 10, 16, 32, 64, 100M) and each engine, a fresh
   subprocess opens the engine (timed apart), then runs each query ``--repeat`` times:
   - ``dyadic``: ``dyadic_series(events, "PRK-KOR", "month")`` (the monthly dyadic index; a span scan
     plus the aggregation);
   - ``tension``: ``tension_index(events, "PRK-KOR", "month")``;
   - ``pandas`` (baseline): ``read_parquet`` of the seven columns the monthly aggregation needs, the
     dyad mask and a ``groupby`` by direction and month, on the sizes that fit (``--pandas-max``;
     the subprocess gets a 16 GiB address-space limit so it fails instead of swapping the machine).
   Every run records wall time, the process tree's peak RSS (sampled every 0.1 s, JVM included) and
   the load average, and a checksum (events and Goldstein sum of the series) that must agree across
   engines.
5. ``report``: the curve as PNG/SVG plus its data (CSV) in ``benchmarks/``, and the Markdown section
   for BENCHMARKS.md (on stdout, or ``--out``), from ``results.json``.

    python benchmarks/scale.py all --work /work/bench-data/scale
    python benchmarks/scale.py query --sizes 1000000,100000000 --engines duckdb --repeat 5
    python benchmarks/scale.py report > /tmp/scale-section.md
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from _machine import machine, versions

HERE = Path(__file__).resolve().parent
CHUNK = 1_000_000
BASE_FILES = 10
CURVE = (1, 2, 4, 8, 10, 16, 32, 64, 100)  # millions of events
INGEST_SIZES = (1, 10)  # millions of rows through the ingest paths
SPAN = (date(2015, 2, 19), date(2024, 12, 31))  # GDELT 2.0's first day .. the last full year
SPARK_CONF = {"spark.driver.memory": "6g"}
PANDAS_LIMIT = 16 * 2**30  # address space of the pandas baseline
QUERIES = ("dyadic", "tension")
_PANDAS_COLUMNS = ["date", "date_precision", "actor1_country", "actor2_country", "quad_class", "goldstein", "mentions"]


# -- helpers ------------------------------------------------------------------------------------


def _q(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _csv_path(work: Path, i: int) -> Path:
    return work / "csv" / f"2019102414{i:02d}00.export.CSV"


def _tree(work: Path, millions: int) -> Path:
    return work / "trees" / f"{millions}M"


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants (KiB), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run_measured(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd``; its JSON result (last stdout line) plus the tree's peak RSS and the load average."""
    load = _load()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    base = {"load_before": load, "load_after": _load(), "peak_rss_mb": round(peak[0] / 1024)}
    if proc.returncode != 0:
        return base | {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}"}
    return base | json.loads(out.strip().splitlines()[-1])


def _self(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


# -- 1. synthetic exports -----------------------------------------------------------------------


def make_csvs(work: Path) -> None:
    """Ten 1M-row GDELT 2.0 exports (seeds 0-9: distinct GLOBALEVENTIDs), kept if already there."""
    sys.path.insert(0, str(HERE))
    from synth_gdelt import generate

    (work / "csv").mkdir(parents=True, exist_ok=True)
    for i in range(BASE_FILES):
        path = _csv_path(work, i)
        if not path.exists():
            generate(path, CHUNK, seed=i)


# -- 2. ingest ----------------------------------------------------------------------------------


def _ingest_duckdb(files: list[Path], out: Path) -> tuple[int, float]:
    """Rows stored and seconds of ``Store.ingest`` over ``files`` (the store opened beforehand)."""
    from detente import Store

    store = Store(out)
    started = time.perf_counter()
    rows = 0
    for f in files:
        report = store.ingest(f)
        if report.status != "ingested":
            raise RuntimeError(f"{f.name}: {report.status} {report.error}")
        rows += report.rows_stored
    seconds = time.perf_counter() - started
    store.close()
    return rows, seconds


def _ingest_spark(files: list[Path], out: Path) -> tuple[int, float]:
    """Rows written and seconds of Spark's read-map-write (the session started beforehand)."""
    from ibis.backends.pyspark.datatypes import PySparkSchema

    from detente import backends

    con = backends.spark_connect(master="local[2]", conf=SPARK_CONF)
    session = con._session
    schema = PySparkSchema.from_ibis(backends.GDELT_BQ_SCHEMA)
    started = time.perf_counter()
    raw = session.read.schema(schema).option("sep", "\t").option("quote", "\u0000").csv([str(f) for f in files])
    raw.createOrReplaceTempView("gdelt_raw")
    con.create_view("gdelt_canonical", backends.gdelt_canonical(con.table("gdelt_raw")), overwrite=True)
    writer = session.table("gdelt_canonical").write.partitionBy("source", "year").option("compression", "zstd")
    writer.parquet(str(out / "events"))
    seconds = time.perf_counter() - started
    return session.read.parquet(str(out / "events")).count(), seconds


def ingest_one(engine: str, millions: int, work: Path) -> dict[str, Any]:
    """One timed ingest of ``millions`` 1M-row files into a fresh directory (imports and set-up excluded)."""
    files = [_csv_path(work, i) for i in range(millions)]
    out = work / "ingest" / f"{engine}-{millions}M"
    shutil.rmtree(out, ignore_errors=True)
    run = {"duckdb": _ingest_duckdb, "spark": _ingest_spark}[engine]
    rows, seconds = run(files, out)
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}


def bench_ingest(work: Path, engines: list[str], sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    results = []
    for millions in sizes:
        for engine in engines:
            r = run_measured(_self("_ingest", engine, str(millions), "--work", str(work)))
            results.append({"engine": engine, "millions": millions} | r)
            print(f"ingest {engine} {millions}M: {r}", flush=True)
    return results


# -- 3. chunks and size trees -------------------------------------------------------------------


def make_chunks(work: Path, count: int = 100) -> None:
    """``count`` chunks of 1M canonical rows re-dated over :data:`SPAN`, from the 10M DuckDB ingest."""
    import duckdb

    from detente.schema import EVENT_SCHEMA

    base = work / "ingest" / "duckdb-10M" / "events"
    if not any(base.rglob("*.parquet")):
        raise RuntimeError(f"no ingested base under {base}: run the ingest step (duckdb, 10M) first")
    out = work / "chunks"
    days = (SPAN[1] - SPAN[0]).days + 1
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW base AS SELECT * FROM read_parquet({_q(base / '**' / '*.parquet')}, hive_partitioning = true)"
    )
    for k in range(count):
        if any(out.glob(f"source=gdelt2/year=*/c{k:03d}_*.parquet")):
            continue
        shift = (k // BASE_FILES) * 1_000_000_000
        values = {
            "event_id": f"'gdelt2:' || CAST(CAST(substr(event_id, 8) AS BIGINT) + {shift} AS VARCHAR)",
            "date": f"DATE '{SPAN[0].isoformat()}' + CAST((source_line * 7919 + {k} * 104729) % {days} AS INTEGER)",
            "year": (
                f"year(DATE '{SPAN[0].isoformat()}' + CAST((source_line * 7919 + {k} * 104729) % {days} AS INTEGER))"
            ),
            "source_file": f"'scale-chunk-{k:03d}'",
        }
        cols = ", ".join(f"{values.get(f.name, f.name)} AS {f.name}" for f in EVENT_SCHEMA)
        con.execute(
            f"COPY (SELECT {cols} FROM base WHERE source_file = ?) TO {_q(out)}"
            f" (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARTITION_BY (source, year),"
            f" FILENAME_PATTERN 'c{k:03d}_{{i}}', OVERWRITE_OR_IGNORE)",
            [_csv_path(work, k % BASE_FILES).name],
        )


def make_curated(work: Path) -> Path:
    """A store of the real curated files (timeline, CNS, CSIS) whose Parquet joins every size tree."""
    from detente import Store
    from detente.kb import timeline_path

    home = work / "curated"
    data = Path(os.environ.get("DETENTE_SHARED_DATA", "/work/shared/data"))
    store = Store(home)
    for f in (
        timeline_path(),
        data / "nk_missile_tests_cns" / "north_korea_missile_test_database.csv",
        data / "nk_provocations_csis" / "north_korea_provocations_1958_present.csv",
    ):
        report = store.ingest(f)
        if report.status not in ("ingested", "unchanged"):
            raise RuntimeError(f"{f.name}: {report.error}")
    store.close()
    return home / "events"


def make_trees(work: Path, sizes: tuple[int, ...]) -> None:
    """For each size N (millions): ``trees/NM/events`` = hard links to chunks 0..N-1 + the curated files."""
    curated = make_curated(work)
    chunks = work / "chunks"
    for millions in sizes:
        top = _tree(work, millions) / "events"
        shutil.rmtree(top, ignore_errors=True)
        wanted = [f for f in chunks.rglob("*.parquet") if int(f.name[1:4]) < millions]
        for src, root in [(f, chunks) for f in wanted] + [(f, curated) for f in curated.rglob("*.parquet")]:
            dest = top / src.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(src, dest)


def tree_rows(work: Path, millions: int) -> int:
    import duckdb

    glob = _q(_tree(work, millions) / "events" / "**" / "*.parquet")
    (count,) = duckdb.sql(f"SELECT count(*) FROM read_parquet({glob})").fetchone() or (0,)
    return int(count)


# -- 4. queries ---------------------------------------------------------------------------------


def _checksum(frame: Any) -> dict[str, float]:
    both = frame[frame["direction"] == "PRK-KOR"]
    return {"events": int(both["events"].sum()), "goldstein_sum": round(float(both["goldstein_sum"].sum()), 3)}


def _engine_events(engine: str, home: Path) -> Any:
    import ibis

    from detente import backends

    if engine == "duckdb":
        return backends.events_table(ibis.duckdb.connect(), home)
    return backends.spark_events(backends.spark_connect(master="local[2]", conf=SPARK_CONF), home)


def _pandas_monthly(home: Path) -> Any:
    """The monthly PRK-KOR aggregation as a pandas user would write it (both directions and the sum)."""
    import numpy as np
    import pandas as pd

    frame = pd.read_parquet(home / "events", columns=_PANDAS_COLUMNS)
    a1, a2 = frame["actor1_country"], frame["actor2_country"]
    mask = ((a1 == "PRK") & (a2 == "KOR")) | ((a1 == "KOR") & (a2 == "PRK"))
    mask &= frame["date_precision"].isna() | frame["date_precision"].isin(["day", "month"])
    d = frame[mask].copy()
    d["direction"] = d["actor1_country"] + ">" + d["actor2_country"]
    d["period"] = pd.to_datetime(d["date"]).dt.to_period("M").dt.to_timestamp()
    d["g"] = d["goldstein"].astype("float64").round(1)
    d["w"] = 1.0 + np.log(d["mentions"].clip(lower=1).fillna(1).astype("float64"))
    d["gw"] = d["g"] * d["w"]
    d["q4"] = d["quad_class"] == 4
    agg = {
        "events": ("g", "size"),
        "goldstein_sum": ("g", "sum"),
        "material_conflict": ("q4", "sum"),
        "gw": ("gw", "sum"),
    }
    directed = d.groupby(["direction", "period"]).agg(**agg).reset_index()
    both = d.groupby("period").agg(**agg).reset_index().assign(direction="PRK-KOR")
    return pd.concat([directed, both], ignore_index=True)


def query_one(engine: str, millions: int, work: Path, repeat: int) -> dict[str, Any]:
    """Open the engine, then time each query ``repeat`` times; checksums of the last run."""
    home = _tree(work, millions)
    started = time.perf_counter()
    runs: dict[str, list[float]] = {}
    if engine == "pandas":
        resource.setrlimit(resource.RLIMIT_AS, (PANDAS_LIMIT, PANDAS_LIMIT))  # fail, never swap the machine
        for _ in range(repeat):
            t = time.perf_counter()
            frame = _pandas_monthly(home)
            runs.setdefault("dyadic", []).append(round(time.perf_counter() - t, 3))
        return {"setup_s": 0.0, "runs": runs, "checksum": _checksum(frame)}
    from detente.indicators import dyadic_series, tension_index

    events = _engine_events(engine, home)
    setup = time.perf_counter() - started
    checks: dict[str, Any] = {}
    for name, fn in (("dyadic", dyadic_series), ("tension", tension_index)):
        for _ in range(repeat):
            t = time.perf_counter()
            frame = fn(events, "PRK-KOR", "month")
            runs.setdefault(name, []).append(round(time.perf_counter() - t, 3))
        checks[name] = (
            _checksum(frame)
            if name == "dyadic"
            else {"periods": len(frame), "index_sum": round(float(frame["index"].sum()), 6)}
        )
    return {"setup_s": round(setup, 3), "runs": runs, "checksum": checks["dyadic"], "tension_check": checks["tension"]}


def bench_query(
    work: Path, engines: list[str], sizes: tuple[int, ...], repeat: int, spark_repeat: int, pandas_max: int
) -> list[dict[str, Any]]:
    results = []
    for millions in sizes:
        rows = tree_rows(work, millions)
        for engine in engines:
            if engine == "pandas" and millions > pandas_max:
                results.append({"engine": engine, "millions": millions, "rows": rows, "skipped": f"> {pandas_max}M"})
                continue
            times = spark_repeat if engine == "spark" else repeat
            cmd = _self("_query", engine, str(millions), "--work", str(work), "--repeat", str(times))
            r = run_measured(cmd)
            results.append({"engine": engine, "millions": millions, "rows": rows} | r)
            print(f"query {engine} {millions}M: {r}", flush=True)
    return results


# -- 5. report ----------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    out = versions(("duckdb", "ibis-framework", "pyspark", "pyarrow", "pandas"))
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    out["java"] = (java.stderr.splitlines() or ["-"])[0]
    return out


def _best(r: dict[str, Any], query: str) -> float | None:
    runs = r.get("runs", {}).get(query)
    return min(runs) if runs else None


def _median(r: dict[str, Any], query: str) -> float | None:
    runs = r.get("runs", {}).get(query)
    return statistics.median(runs) if runs else None


def doubling(points: list[tuple[int, float]]) -> list[dict[str, float]]:
    """Time ratio per doubling of rows between consecutive sizes: (t2/t1) ** (1 / log2(n2/n1))."""
    out = []
    for (n1, t1), (n2, t2) in itertools.pairwise(points):
        if t1 > 0 and n2 > n1:
            out.append({"from": n1, "to": n2, "per_doubling": round((t2 / t1) ** (1 / math.log2(n2 / n1)), 2)})
    return out


def per_doubling_fit(points: list[tuple[int, float]], smallest: int = 8) -> float | None:
    """Time factor per doubling of rows over sizes >= ``smallest``: 2 ** slope of log2 t on log2 n."""
    pts = [(math.log2(n), math.log2(t)) for n, t in points if n >= smallest and t > 0]
    if len(pts) < 2:
        return None
    mx, my = statistics.fmean(x for x, _ in pts), statistics.fmean(y for _, y in pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return round(2**slope, 2)


def curve_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (engine, query, size) with median and best seconds and peak RSS."""
    rows = []
    for r in results["query"]:
        for query in QUERIES:
            med = _median(r, query)
            if med is None:
                continue
            rows.append(
                {
                    "engine": r["engine"],
                    "query": query,
                    "millions": r["millions"],
                    "rows": r["rows"],
                    "median_s": med,
                    "best_s": _best(r, query),
                    "first_s": r["runs"][query][0],
                    "peak_rss_mb": r["peak_rss_mb"],
                    "load_before": r["load_before"][0],
                }
            )
    return rows


def save_chart(rows: list[dict[str, Any]], stem: Path) -> None:
    """Time vs rows (log-log), one line per engine and query: PNG, SVG and the data as CSV."""
    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    frame = pd.DataFrame(rows)
    frame.to_csv(stem.with_suffix(".csv"), index=False)
    frame["series"] = frame["engine"] + " · " + frame["query"]
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "rows:Q",
                scale=alt.Scale(type="log", domain=[frame["rows"].min(), frame["rows"].max()], nice=False),
                title="events",
            ),
            y=alt.Y("median_s:Q", scale=alt.Scale(type="log"), title="seconds (median)"),
            color=alt.Color("series:N", title="engine · query"),
            tooltip=["engine", "query", "rows", "median_s", "peak_rss_mb"],
        )
        .properties(title="Monthly PRK-KOR indicators: time vs events (2 cores)", width=560, height=340)
    )
    spec = chart.to_dict()
    stem.with_suffix(".png").write_bytes(vlc.vegalite_to_png(spec, scale=1.5))
    stem.with_suffix(".svg").write_text(vlc.vegalite_to_svg(spec))


def markdown(results: dict[str, Any], chart: str) -> str:
    """The "Scale" section: machine, ingest table, query table, curve, doubling ratios."""
    m, v = results["machine"], results["versions"]
    lines = [
        "## Scale (issue 8): DuckDB and Spark local, 1M to 100M synthetic GDELT events",
        "",
        (
            f"Results as of {results['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']};"
            f" Python {v['python']}, DuckDB {v['duckdb']}, Ibis {v['ibis-framework']}, PySpark {v['pyspark']}"
            f" ({v['java']}), pandas {v['pandas']}. Spark: local[2], driver memory"
            f" {SPARK_CONF['spark.driver.memory']}. Wall-clock seconds; the machine was shared with other jobs,"
            " so each row gives the 1-minute load average at its start. Produced by `benchmarks/scale.py`"
            " (method in its docstring and `docs/scale.md`)."
        ),
        "",
        "### Ingest (synthetic GDELT 2.0 exports of 1M rows)",
        "",
        "| engine | rows | seconds | rows/s | peak RSS MB | load |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results["ingest"]:
        if "error" in r:
            lines.append(f"| {r['engine']} | {r['millions']}M | failed: {r['error']} | | {r['peak_rss_mb']} | |")
            continue
        lines.append(
            f"| {r['engine']} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows_per_s']:,} | {r['peak_rss_mb']:,}"
            f" | {r['load_before'][0]} |"
        )
    lines += [
        "",
        (
            "`duckdb` = `Store.ingest` (the whole pipeline); `spark` = Spark reading the files and writing the"
            " same Hive-partitioned Parquet through `backends.gdelt_canonical` (mapping only, no validation)."
        ),
        "",
        "### Queries (PRK-KOR, monthly; median of the runs, first run in brackets)",
        "",
        (
            "| events | engine | setup s | dyadic index s | tension index s | peak RSS MB | load "
            "| checksum (events, Σ Goldstein) |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results["query"]:
        if "skipped" in r or "error" in r:
            why = r.get("skipped") or f"failed: {r['error']}"
            lines.append(f"| {r['rows']:,} | {r['engine']} | | {why} | | {r.get('peak_rss_mb', '')} | | |")
            continue
        cells = []
        for q in QUERIES:
            med = _median(r, q)
            cells.append("—" if med is None else f"{med:.2f} ({r['runs'][q][0]:.2f})")
        c = r["checksum"]
        lines.append(
            f"| {r['rows']:,} | {r['engine']} | {r['setup_s']:.1f} | {cells[0]} | {cells[1]} | {r['peak_rss_mb']:,}"
            f" | {r['load_before'][0]} | {c['events']:,}, {c['goldstein_sum']:,} |"
        )
    lines += ["", f"![time vs events]({chart}.png)", ""]
    lines += [f"Curve: [SVG]({chart}.svg); data: [`{chart}.csv`]({chart}.csv).", ""]
    lines += [
        "### Cost per doubling of rows",
        "",
        "Median time ratio per doubling between consecutive sizes, (t2/t1) ** (1 / log2(n2/n1)), and the"
        " least-squares factor over 8M-100M (2 ** slope of log2 time on log2 rows):",
        "",
    ]
    for (engine, query), pts in sorted(_series_points(results).items()):
        ratios = ", ".join(f"{d['from']}→{d['to']}M ×{d['per_doubling']}" for d in doubling(pts))
        fit = per_doubling_fit(pts)
        lines.append(f"- {engine} · {query}: {ratios}" + (f"; fit 8M-100M ×{fit}" if fit else ""))
    lines.append("")
    return "\n".join(lines)


def _series_points(results: dict[str, Any]) -> dict[tuple[str, str], list[tuple[int, float]]]:
    points: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row in curve_rows(results):
        points.setdefault((row["engine"], row["query"]), []).append((row["millions"], row["median_s"]))
    return {k: sorted(v) for k, v in points.items()}


# -- command line -------------------------------------------------------------------------------


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(float(x)) // CHUNK if float(x) >= CHUNK else int(x) for x in text.split(","))


def _results_path(work: Path) -> Path:
    return work / "results.json"


def _read(work: Path) -> dict[str, Any]:
    path = _results_path(work)
    return json.loads(path.read_text()) if path.exists() else {"ingest": [], "query": []}


def _write(work: Path, results: dict[str, Any]) -> None:
    results |= {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(), "versions": _versions()}
    _results_path(work).write_text(json.dumps(results, indent=2) + "\n")


def _merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Results of ``new`` replace those of ``old`` for the same engine and size."""

    def key(r: dict[str, Any]) -> tuple[str, int]:
        return r["engine"], r["millions"]

    fresh = {key(r) for r in new}
    return sorted([r for r in old if key(r) not in fresh] + new, key=lambda r: (r["millions"], r["engine"]))


def _steps(args: argparse.Namespace) -> Iterator[str]:
    order = ("csv", "ingest", "chunks", "query", "report")
    yield from order if args.step == "all" else (args.step,)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("all", "csv", "ingest", "chunks", "query", "report", "_ingest", "_query"))
    parser.add_argument("engine", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("millions", nargs="?", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=Path("/work/bench-data/scale"))
    parser.add_argument("--sizes", type=_sizes, default=None, help="events, comma-separated (1000000,...) or millions")
    parser.add_argument("--engines", default="duckdb,spark,pandas")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark-repeat", type=int, default=2, help="runs per query on Spark (slower)")
    parser.add_argument("--pandas-max", type=int, default=64, help="largest size (millions) for the pandas baseline")
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown section here (default: stdout)")
    args = parser.parse_args()
    work: Path = args.work
    if args.step == "_ingest":
        print(json.dumps(ingest_one(args.engine, args.millions, work)))
        return
    if args.step == "_query":
        print(json.dumps(query_one(args.engine, args.millions, work, args.repeat)))
        return
    work.mkdir(parents=True, exist_ok=True)
    engines = args.engines.split(",")
    for step in _steps(args):
        results = _read(work)
        if step == "csv":
            make_csvs(work)
        elif step == "ingest":
            new = bench_ingest(work, [e for e in engines if e != "pandas"], args.sizes or INGEST_SIZES)
            results["ingest"] = _merge(results["ingest"], new)
            _write(work, results)
        elif step == "chunks":
            make_chunks(work)
            make_trees(work, args.sizes or CURVE)
        elif step == "query":
            new = bench_query(work, engines, args.sizes or CURVE, args.repeat, args.spark_repeat, args.pandas_max)
            results["query"] = _merge(results["query"], new)
            _write(work, results)
        else:
            chart = HERE / "scale_curve"
            save_chart(curve_rows(results), chart)
            where = (args.out or HERE.parent / "BENCHMARKS.md").resolve().parent
            text = markdown(results, os.path.relpath(chart, where)) + "\n"
            if args.out:
                args.out.write_text(text)
            else:
                sys.stdout.write(text)


if __name__ == "__main__":
    main()
