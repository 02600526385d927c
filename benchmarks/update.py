"""Update benchmark: ``detente update`` over a local GDELT 2.0 mirror against sequential download + bare DuckDB.

A mirror of ``--files`` synthetic 15-minute exports (``synth_gdelt.py``: one synthetic table of
``--files`` × ``--rows`` rows cut into consecutive files, zipped like GDELT's, listed in
``gdeltv2/masterfilelist.txt`` with their sizes and MD5s) is served by ``python -m http.server`` in
its own process on 127.0.0.1. Each method runs in a fresh subprocess (its peak RSS is its own
``VmHWM``), into an empty folder:

- ``update``: :func:`detente.update.update` (read the list, 4 parallel downloads, MD5 checks, every
  file ingested through ``Store.ingest``: hash, parse, type, validate, map, quarantine, dedupe,
  partitioned Parquet, manifest, update log);
- ``update --scope korea``: the same with the Korea scope pushed into the read;
- ``sequential + duckdb``: for each listed file in turn, ``httpx2.get``, unzip, and
  ``COPY (SELECT * FROM read_csv(<file>, delim='\\t', header=false)) TO '<n>.parquet'``; no checks.

Rows/s counts every record read (in scope or not). gdeltforge is not installed in this
environment (it is not a dependency), so it is not in the table.

    python benchmarks/update.py --files 2000 --rows 1000 --work /tmp/bench-update
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _machine import HERE, machine, versions
from synth_gdelt import generate

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


def build_mirror(root: Path, files: int, rows: int, seed: int) -> int:
    """Write the mirror under ``root`` (kept between runs with the same sizes); returns its byte total."""
    stamp = root / f".built-{files}x{rows}-{seed}"
    if stamp.exists():
        return int(stamp.read_text())
    shutil.rmtree(root, ignore_errors=True)
    (root / "gdeltv2").mkdir(parents=True)
    table = generate(root / "all.csv", files * rows, seed=seed)
    lines = table.read_bytes().split(b"\n")[:-1]
    table.unlink()
    listing, total = [], 0
    for i in range(files):
        slot = START + timedelta(minutes=15 * i)
        name = f"{slot:%Y%m%d%H%M%S}.export.CSV.zip"
        body = b"\n".join(lines[i * rows : (i + 1) * rows]) + b"\n"
        path = root / "gdeltv2" / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name.removesuffix(".zip"), body)
        data = path.read_bytes()
        total += len(data)
        listing.append(f"{len(data)} {hashlib.md5(data).hexdigest()} http://data.gdeltproject.org/gdeltv2/{name}")
    (root / "gdeltv2" / "masterfilelist.txt").write_text("\n".join(listing) + "\n")
    stamp.write_text(str(total))
    return total


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(code: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), str(HERE)])}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1000, help="rows per file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-update"))
    args = parser.parse_args()
    mirror = args.work / "mirror"
    started = time.perf_counter()
    size = build_mirror(mirror, args.files, args.rows, args.seed)
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
    methods = {
        "update": lambda home: _UPDATE.format(bench=bench, home=home, base=base, scope=None),
        "update --scope korea": lambda home: _UPDATE.format(bench=bench, home=home, base=base, scope="korea"),
        "sequential + duckdb": lambda home: _SEQUENTIAL.format(bench=bench, home=home, base=base),
    }
    results: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    load_before = os.getloadavg()
    try:
        for r in range(args.repeat):
            for name, code in methods.items():
                home = args.work / f"run-{r}-{name.replace(' ', '_')}"
                shutil.rmtree(home, ignore_errors=True)
                results[name].append(run(code(str(home))))
                shutil.rmtree(home, ignore_errors=True)
                print(name, results[name][-1], flush=True)
    finally:
        server.terminate()
        server.wait(10)
    load_after = os.getloadavg()
    base_rate = None
    table = []
    for name, runs in results.items():
        secs = statistics.median(x["seconds"] for x in runs)
        rows = runs[0]["rows"]
        rate = rows / secs
        base_rate = base_rate or rate
        table.append({
            "method": name, "median_s": round(secs, 2), "runs_s": [round(x["seconds"], 2) for x in runs],
            "files": runs[0]["files"], "rows": rows, "stored": runs[0]["stored"],
            "out_of_scope": runs[0]["out_of_scope"],
            "files_per_s": round(runs[0]["files"] / secs, 1), "rows_per_s": round(rate),
            "peak_rss_mb": round(max(x["rss_mb"] for x in runs)),
        })  # fmt: skip
    seq = next(t for t in table if t["method"] == "sequential + duckdb")
    for t in table:
        t["vs_sequential_duckdb"] = round(t["rows_per_s"] / seq["rows_per_s"], 2)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"), "machine": machine(),
        "versions": versions(["duckdb", "pyarrow", "httpx2"]), "load_before": load_before, "load_after": load_after,
        "files": args.files, "rows_per_file": args.rows, "mirror_mb": round(size / 1e6), "results": table,
    }  # fmt: skip
    (HERE / f"update_results_{args.files}x{args.rows}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
