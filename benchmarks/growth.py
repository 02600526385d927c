"""Growth benchmark: the cost of ingesting the n-th small file into one store, n = 1..N (issue 16, item 12).

The files are the real GDELT 2.0 export of 2019-10-24 14:30 (``data/gdelt_events``, 2,111 rows)
with GLOBALEVENTID shifted by ``n * 10**9`` so that no row of one file repeats another's: every file
is ingested in full and the store grows by 2,111 rows a file. One process ingests them in order
into one store (``Store.ingest`` each, as ``detente ingest <folder>`` does). File ``n`` is written
just before its ingest and deleted after it (outside the timed region), so 10,000 files need the
disk of the store only. The wall-clock and CPU seconds of each ingest (``time.process_time``: every
thread of the process, DuckDB's included) are appended to ``--out`` as CSV (``n,seconds,cpu_seconds``)
as they are measured (a run cut short keeps its figures), and the medians of the windows named by
``--windows`` are printed at the end, with the ratio of each window to the first. On a shared
machine the wall-clock follows the load of the other processes; the CPU seconds much less so.

    python benchmarks/growth.py --files 10000 --out growth.csv

``--prefill`` measures only the files of the windows: before each window the store is filled in
bulk up to the file before it with exactly what ingesting those files one by one leaves (the same
Parquet files, bytes aside, and the same manifest rows: hash, counts, dates, file checksums, id
ranges), copied from the first file's ingest with the ids shifted, so the window's files meet the
store they would meet after a sequential run, in a fraction of its time. ``Store.verify`` checks
the filled store at the end.

    python benchmarks/growth.py --prefill --windows 1-100,901-1000,4901-5000,9901-10000 --out growth.csv
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from detente import Store

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "data" / "gdelt_events" / "20191024143000.export.CSV"
WINDOWS = "1-100,901-1000,4901-5000,9901-10000"


def _name(i: int) -> str:
    return f"{20191024143000 + i:d}.export.CSV"


def _bytes(lines: list[tuple[int, bytes]], i: int) -> bytes:
    return b"".join(str(eid + i * 10**9).encode() + b"\t" + rest + b"\n" for eid, rest in lines)


def make_file(lines: list[tuple[int, bytes]], i: int, folder: Path) -> Path:
    """Copy ``i`` of the export, its event ids shifted by ``i * 10**9``."""
    path = folder / _name(i)
    path.write_bytes(_bytes(lines, i))
    return path


def prefill(store: Store, lines: list[tuple[int, bytes]], lo: int, hi: int, folder: Path, chunk: int = 400) -> None:
    """Record files ``lo``..``hi`` as their ingests would have, in bulk, from the store's first ingest (file 1)."""
    from detente.ingest import ID_LEN, file_sha256
    from detente.manifest import FILE, attached, insert, writer_lock

    home, con = store.home, duckdb.connect()
    con.execute("SET threads = 1")  # one Parquet file per partition
    first = store.con.execute("SELECT * FROM ingests WHERE table_name = 'events' ORDER BY ingested_at LIMIT 1")
    row = dict(zip([d[0] for d in first.description], first.fetchone(), strict=True))  # type: ignore[arg-type]
    templates = store.con.execute("SELECT path FROM ingest_files WHERE ingest_id = ?", [row["ingest_id"]]).fetchall()
    ingests, files = [], []
    for a in range(lo, hi + 1, chunk):
        batch = []
        for i in range(a, min(a + chunk, hi + 1)):
            data = _bytes(lines, i)
            sha = hashlib.sha256(data).hexdigest()
            batch.append((i, sha[:ID_LEN], _name(i)))
            ingests.append([sha, "gdelt2", "gdelt2", "events", str(folder / _name(i)), _name(i), len(data),
                            row["rows_read"], row["rows_stored"], 0, row["date_min"], row["date_max"],
                            datetime.now(UTC), 0.0, 0, None])  # fmt: skip
        con.execute("CREATE OR REPLACE TABLE tags (i BIGINT, tag VARCHAR, name VARCHAR)")
        con.executemany("INSERT INTO tags VALUES (?, ?, ?)", batch)
        for (rel,) in templates:
            part = str(Path(rel).parent)
            cols = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{home / rel}')").fetchall()]
            shifted = {
                "event_id": "'gdelt2:' || (CAST(substr(e.event_id, 8) AS BIGINT) + (t.i - 1) * 1000000000)",
                "source_file": "t.name",
            }
            select = ", ".join(f"{shifted[c]} AS {c}" if c in shifted else f"e.{c}" for c in cols)
            out = folder / "_prefill"
            con.execute(
                f"COPY (SELECT t.tag, {select} FROM read_parquet('{home / rel}') e, tags t ORDER BY t.tag)"
                f" TO '{out}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARTITION_BY (tag),"
                " OVERWRITE_OR_IGNORE)"
            )
            bounds = dict(
                (tag, (lo_id, hi_id)) for tag, lo_id, hi_id in con.execute(
                    f"SELECT t.tag, min({shifted['event_id']}), max({shifted['event_id']})"
                    f" FROM read_parquet('{home / rel}') e, tags t GROUP BY t.tag"
                ).fetchall()
            )  # fmt: skip
            for _, tag, _ in batch:
                (written,) = (out / f"tag={tag}").glob("*.parquet")
                dest = home / part / f"{tag}-0.parquet"
                written.rename(dest)
                sha = [r[0] for r in ingests if r[0].startswith(tag)][0]
                files.append((sha, f"{part}/{tag}-0.parquet", pq.read_metadata(dest).num_rows, file_sha256(dest),
                              *bounds[tag]))  # fmt: skip
            shutil.rmtree(out)
    with writer_lock(home, 60), attached(con, home / "detente.duckdb", write=True, wait=60):
        con.executemany(insert(FILE, "ingests"), ingests)
        con.executemany(insert(FILE, "ingest_files"), files)
    con.close()


def windows(spec: str, n: int) -> list[tuple[int, int]]:
    """The ``lo-hi`` windows of ``spec`` that end at or before file ``n``."""
    out = []
    for part in spec.split(","):
        lo, hi = (int(x) for x in part.split("-"))
        if hi <= n:
            out.append((lo, hi))
    return out


def summary(numbers: list[int], seconds: list[float], cpu: list[float], spec: str) -> list[str]:
    """One line per window: median wall and CPU seconds per file, each with its ratio to the first window's."""
    lines: list[str] = []
    first: tuple[float, float] | None = None
    for lo, hi in windows(spec, numbers[-1]):
        inside = [k for k, n in enumerate(numbers) if lo <= n <= hi]
        wall, used = statistics.median(seconds[k] for k in inside), statistics.median(cpu[k] for k in inside)
        first = first or (wall, used)
        lines.append(
            f"files {lo}-{hi}: median {wall:.4f} s wall ({wall / first[0]:.2f}x the first window),"
            f" {used:.4f} s CPU ({used / first[1]:.2f}x)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--windows", default=WINDOWS, help="comma-separated lo-hi windows of files to summarise")
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--prefill", action="store_true", help="fill the store in bulk before each window")
    args = parser.parse_args()
    from detente import Store

    lines = []
    for line in args.real.read_bytes().rstrip(b"\n").split(b"\n"):
        eid, rest = line.split(b"\t", 1)
        lines.append((int(eid), rest))
    seconds: list[float] = []
    cpu: list[float] = []
    measured = range(1, args.files + 1)
    if args.prefill:
        measured = [i for lo, hi in windows(args.windows, 10**9) for i in range(lo, hi + 1)]  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="detente-growth-") as tmp, open(args.out, "w") as out:
        out.write("n,seconds,cpu_seconds\n")
        store = Store(Path(tmp) / "home")
        done = 0
        for i in measured:
            if i > done + 1:
                prefill(store, lines, done + 1, i - 1, Path(tmp))
            done = i
            path = make_file(lines, i, Path(tmp))
            t, c = time.perf_counter(), time.process_time()
            report = store.ingest(path)
            seconds.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert report.status == "ingested" and report.rows_stored == len(lines), report
            path.unlink()
            out.write(f"{i},{seconds[-1]:.4f},{cpu[-1]:.4f}\n")
            out.flush()
        check = store.verify()
        assert check.ok and check.rows == done * len(lines), check.problems[:3]
        store.close()
    print(f"{done} files, {check.rows:,} rows stored, verified")
    print("\n".join(summary(list(measured), seconds, cpu, args.windows)))


if __name__ == "__main__":
    main()
