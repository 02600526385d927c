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
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "data" / "gdelt_events" / "20191024143000.export.CSV"
WINDOWS = "1-100,901-1000,4901-5000,9901-10000"


def make_file(lines: list[tuple[int, bytes]], i: int, folder: Path) -> Path:
    """Copy ``i`` of the export, its event ids shifted by ``i * 10**9``."""
    path = folder / f"{20191024143000 + i:d}.export.CSV"
    path.write_bytes(b"".join(str(eid + i * 10**9).encode() + b"\t" + rest + b"\n" for eid, rest in lines))
    return path


def windows(spec: str, n: int) -> list[tuple[int, int]]:
    """The ``lo-hi`` windows of ``spec`` that end at or before file ``n``."""
    out = []
    for part in spec.split(","):
        lo, hi = (int(x) for x in part.split("-"))
        if hi <= n:
            out.append((lo, hi))
    return out


def summary(seconds: list[float], cpu: list[float], spec: str) -> list[str]:
    """One line per window: median wall and CPU seconds per file, each with its ratio to the first window's."""
    lines: list[str] = []
    first: tuple[float, float] | None = None
    for lo, hi in windows(spec, len(seconds)):
        wall, used = statistics.median(seconds[lo - 1 : hi]), statistics.median(cpu[lo - 1 : hi])
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
    args = parser.parse_args()
    from detente import Store

    lines = []
    for line in args.real.read_bytes().rstrip(b"\n").split(b"\n"):
        eid, rest = line.split(b"\t", 1)
        lines.append((int(eid), rest))
    seconds: list[float] = []
    cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="detente-growth-") as tmp, open(args.out, "w") as out:
        out.write("n,seconds,cpu_seconds\n")
        store = Store(Path(tmp) / "home")
        for i in range(1, args.files + 1):
            path = make_file(lines, i, Path(tmp))
            t, c = time.perf_counter(), time.process_time()
            report = store.ingest(path)
            seconds.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert report.status == "ingested" and report.rows_stored == len(lines), report
            path.unlink()
            out.write(f"{i},{seconds[-1]:.4f},{cpu[-1]:.4f}\n")
            out.flush()
        store.close()
    print("\n".join(summary(seconds, cpu, args.windows)))


if __name__ == "__main__":
    main()
