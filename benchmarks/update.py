"""Update benchmark: ``detente update`` over a local GDELT 2.0 mirror, against sequential download + bare
DuckDB and against gdeltforge's full parse of the same files.

A mirror of ``--files`` synthetic 15-minute exports of ``--rows`` rows each (``synth_gdelt.py``, one
seed per file, the real export's country mix by default: ``--mix real``), zipped like GDELT's and
listed in ``gdeltv2/masterfilelist.txt`` with their sizes and MD5s, is served by
``python -m http.server`` in its own process on 127.0.0.1. Each method runs in a fresh subprocess
(its peak RSS is its own ``VmHWM``, the largest of its process tree for gdeltforge's workers), niced,
into an empty folder:

- ``update``: :func:`detente.update.update` (read the list, 4 parallel downloads, MD5 checks, every
  file ingested through ``Store.ingest``: hash, parse, type, validate, map, quarantine, dedupe,
  partitioned Parquet, manifest, update log);
- ``update --scope korea``: the same with the Korea scope pushed into the read;
- ``sequential + duckdb``: for each listed file in turn, ``httpx2.get``, unzip, and
  ``COPY (SELECT * FROM read_csv(<file>, delim='\\t', header=false)) TO '<n>.parquet'``; no checks;
- ``gdeltforge``: gdeltforge's own full parse, ``GDELTConverter.process_all_files()`` (a process
  pool of ``os.cpu_count()`` workers, each unzipping and converting whole files with polars to
  zstd Parquet), run by the Python of ``--gdeltforge-python`` over hard links to the mirror's zips:
  it reads local files, so its time has no download in it.

Rows/s counts every record read (in scope or not).

    python benchmarks/update.py --files 2000 --rows 10000 --work /tmp/bench-update
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from _machine import HERE, machine, versions
from synth_gdelt import MIXES, generate

START = datetime(2019, 10, 1)

_UPDATE = """
import json, sys, time
from datetime import date
sys.path.insert(0, {bench!r})
from _machine import peak_rss_mb
from detente.scope import resolve_scope
from detente.update import update
t = time.perf_counter()
r = update({home!r}, start=date(2019, 10, 1), end=date(2019, 12, 31), base_url={base!r},
           scope=resolve_scope({scope!r}) if {scope!r} else None, backoff=0)
seconds = time.perf_counter() - t
tot = r.totals()
print(json.dumps({{"seconds": seconds, "files": tot["ingested"], "rows": tot["rows_read"] + tot["out_of_scope"],
                  "stored": tot["rows_stored"], "out_of_scope": tot["out_of_scope"], "rss_mb": peak_rss_mb()}}))
"""

_SEQUENTIAL = """
import io, json, sys, time, zipfile
from pathlib import Path
sys.path.insert(0, {bench!r})
from _machine import peak_rss_mb
import duckdb, httpx2
out = Path({home!r}); out.mkdir(parents=True)
t = time.perf_counter()
con = duckdb.connect()
rows = files = 0
with httpx2.Client() as client:
    listing = client.get({base!r} + "gdeltv2/masterfilelist.txt").text.split()
    for url in listing[2::3]:
        name = url.rsplit("/", 1)[-1]
        data = client.get({base!r} + "gdeltv2/" + name).content
        csv = out / name.removesuffix(".zip")
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            csv.write_bytes(zf.read(zf.namelist()[0]))
        n = con.execute(
            f"COPY (SELECT * FROM read_csv('{{csv}}', delim='\\t', header=false, quote='', escape=''))"
            f" TO '{{out / (name + '.parquet')}}' (FORMAT parquet)"
        ).fetchone()[0]
        csv.unlink()
        rows += n
        files += 1
seconds = time.perf_counter() - t
print(json.dumps({{"seconds": seconds, "files": files, "rows": rows, "stored": rows, "out_of_scope": 0,
                  "rss_mb": peak_rss_mb()}}))
"""


_GDELTFORGE = """
import json, os, sys, time, yaml
from importlib import metadata, resources
from pathlib import Path
import pyarrow.parquet as pq
from gdeltforge.conversion.converter import GDELTConverter
sys.path.insert(0, {bench!r})
from _machine import peak_rss_mb
work = Path({home!r}); zips = work / "downloaded_data"; zips.mkdir(parents=True)
for name in sorted(os.listdir({mirror!r})):
    if name.endswith(".export.CSV.zip"):
        os.link(os.path.join({mirror!r}, name), zips / name)
config = yaml.safe_load(resources.files("gdeltforge").joinpath("config/default_settings.yaml").read_text("utf-8"))
for key in ("downloaded_data", "unzipped_data", "parquet_data", "cleaned_data"):
    config["paths"][f"event_15min_{{key}}_directory"] = str(work / key)
converter = GDELTConverter(config, dataset="gdelt_event_15min", quiet=True, force=True)
t = time.perf_counter()
outputs, failed = converter.process_all_files()
seconds = time.perf_counter() - t
assert not failed, failed
rows = sum(pq.read_metadata(p).num_rows for p in outputs)
print(json.dumps({{"seconds": seconds, "files": len(outputs), "rows": rows, "stored": rows, "out_of_scope": 0,
                  "rss_mb": peak_rss_mb(), "version": metadata.version("gdeltforge")}}))
"""


def _mirror_file(root: Path, i: int, rows: int, seed: int, mix: str) -> str:
    """Write the ``i``-th 15-minute export (its own seed, so its own ids) zipped; its master-list line."""
    slot = START + timedelta(minutes=15 * i)
    name = f"{slot:%Y%m%d%H%M%S}.export.CSV"
    csv = generate(root / "gdeltv2" / name, rows, seed=seed * 100_000 + i, added=f"{slot:%Y%m%d%H%M%S}", mix=mix)
    path = csv.with_name(name + ".zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv, name)
    csv.unlink()
    data = path.read_bytes()
    return f"{len(data)} {hashlib.md5(data).hexdigest()} http://data.gdeltproject.org/gdeltv2/{name}.zip"


def build_mirror(root: Path, files: int, rows: int, seed: int, mix: str) -> int:
    """Write the mirror under ``root`` (kept between runs with the same sizes); returns its byte total.

    Files are written one at a time by two worker processes, so memory stays that of one file.
    """
    stamp = root / f".built-{files}x{rows}-{seed}-{mix}"
    if stamp.exists():
        return int(stamp.read_text())
    shutil.rmtree(root, ignore_errors=True)
    (root / "gdeltv2").mkdir(parents=True)
    with ProcessPoolExecutor(2) as pool:
        n = range(files)
        listing = list(pool.map(_mirror_file, [root] * files, n, [rows] * files, [seed] * files, [mix] * files))
    (root / "gdeltv2" / "masterfilelist.txt").write_text("\n".join(listing) + "\n")
    total = sum(int(line.split()[0]) for line in listing)
    stamp.write_text(str(total))
    return total


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants now, in MB (0 for a process gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def run(code: str, python: str = sys.executable) -> dict[str, float]:
    """Run ``code`` niced in a fresh ``python``; its JSON line, with the peak RSS of its process tree.

    ``tree_rss_mb`` is sampled every 0.1 s (the sum over the process and its workers);
    ``rss_mb`` is the main process's own ``VmHWM``.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), str(HERE)])}
    proc = subprocess.Popen(["nice", "-n", "10", python, "-c", code], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"benchmark step failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]) | {"tree_rss_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1000, help="rows per file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--mix", choices=sorted(MIXES), default="real", help="countries' mix of the synthetic rows")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-update"))
    parser.add_argument("--gdeltforge-python", default="/work/gfvenv/bin/python",
                        help="a Python with gdeltforge installed ('' to leave it out)")  # fmt: skip
    parser.add_argument("--only", nargs="*", help="run only these methods, in this order")
    args = parser.parse_args()
    mirror = args.work / "mirror"
    started = time.perf_counter()
    size = build_mirror(mirror, args.files, args.rows, args.seed, args.mix)
    print(
        f"mirror: {args.files} files, {args.files * args.rows:,} rows, {size / 1e6:.0f} MB zipped"
        f" (built or reused in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(mirror)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    time.sleep(1.0)
    bench = str(HERE)
    methods: dict[str, tuple[str, Callable[[str], str]]] = {
        "update": (sys.executable, lambda home: _UPDATE.format(bench=bench, home=home, base=base, scope=None)),
        "update --scope korea": (
            sys.executable, lambda home: _UPDATE.format(bench=bench, home=home, base=base, scope="korea")
        ),
        "sequential + duckdb": (sys.executable, lambda home: _SEQUENTIAL.format(bench=bench, home=home, base=base)),
    }  # fmt: skip
    if args.gdeltforge_python:
        gdeltforge = partial(_GDELTFORGE.format, bench=bench, mirror=str(mirror / "gdeltv2"))
        methods["gdeltforge"] = (args.gdeltforge_python, lambda home: gdeltforge(home=home))
    if args.only:
        methods = {k: methods[k] for k in args.only}
    results: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    load_before = os.getloadavg()
    try:
        for r in range(args.repeat):
            for name, (python, code) in methods.items():
                home = args.work / f"run-{r}-{name.replace(' ', '_')}"
                shutil.rmtree(home, ignore_errors=True)
                load = os.getloadavg()
                results[name].append(
                    run(code(str(home)), python) | {"load_before": load, "load_after": os.getloadavg()}
                )
                shutil.rmtree(home, ignore_errors=True)
                print(name, results[name][-1], flush=True)
    finally:
        server.terminate()
        server.wait(10)
    load_after = os.getloadavg()
    table = []
    for name, runs in results.items():
        secs = statistics.median(x["seconds"] for x in runs)
        rows = runs[0]["rows"]
        rate = rows / secs
        table.append({
            "method": name, "median_s": round(secs, 2), "runs_s": [round(x["seconds"], 2) for x in runs],
            "files": runs[0]["files"], "rows": rows, "stored": runs[0]["stored"],
            "out_of_scope": runs[0]["out_of_scope"],
            "files_per_s": round(runs[0]["files"] / secs, 1), "rows_per_s": round(rate),
            "peak_rss_mb": round(max(x["rss_mb"] for x in runs)),
            "peak_tree_rss_mb": round(max(x["tree_rss_mb"] for x in runs)),
            "load": [x["load_before"][0] for x in runs] + [runs[-1]["load_after"][0]],
        })  # fmt: skip
    for other in ("sequential + duckdb", "gdeltforge"):
        ref = next((t for t in table if t["method"] == other), None)
        for t in table:
            if ref is not None:
                t[f"vs_{other.split()[0]}"] = round(t["rows_per_s"] / ref["rows_per_s"], 2)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"), "machine": machine(),
        "versions": versions(["duckdb", "pyarrow", "httpx2"]), "load_before": load_before, "load_after": load_after,
        "files": args.files, "rows_per_file": args.rows, "mix": args.mix, "mirror_mb": round(size / 1e6),
        "results": table,
    }  # fmt: skip
    (HERE / f"update_results_{args.files}x{args.rows}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
