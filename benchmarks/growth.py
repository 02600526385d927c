"""Growth benchmark: the cost of ingesting the n-th small file into one store, n = 1..N (issue 16, item 12).

The files are the real GDELT 2.0 export of 2019-10-24 14:30 (``data/gdelt_events``, 2,111 rows)
with GLOBALEVENTID shifted by ``n * 10**9`` so that no row of one file repeats another's: every file
is ingested in full and the store grows by 2,111 rows a file. One process ingests them in order
into one store (``Store.ingest`` each, as ``detente ingest <folder>`` does); the seconds of each
ingest are written as CSV (``n,seconds``) and summarised per block of files.

    python benchmarks/growth.py --files 300 --out growth.csv
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "data" / "gdelt_events" / "20191024143000.export.CSV"


def make_files(real: Path, n: int, folder: Path) -> list[Path]:
    """``n`` copies of the export with disjoint event ids."""
    lines = real.read_bytes().rstrip(b"\n").split(b"\n")
    paths = []
    for i in range(1, n + 1):
        shifted = []
        for line in lines:
            eid, rest = line.split(b"\t", 1)
            shifted.append(str(int(eid) + i * 10**9).encode() + b"\t" + rest)
        path = folder / f"{20191024143000 + i:d}.export.CSV"
        path.write_bytes(b"\n".join(shifted) + b"\n")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--block", type=int, default=50, help="files per summary line")
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from detente import Store

    with tempfile.TemporaryDirectory(prefix="detente-growth-") as tmp:
        files = make_files(args.real, args.files, Path(tmp))
        store = Store(Path(tmp) / "home")
        seconds = []
        for path in files:
            t = time.perf_counter()
            report = store.ingest(path)
            seconds.append(time.perf_counter() - t)
            assert report.status == "ingested" and report.rows_stored == 2111, report
        store.close()
    args.out.write_text("n,seconds\n" + "".join(f"{i},{s:.4f}\n" for i, s in enumerate(seconds, 1)))
    for lo in range(0, len(seconds), args.block):
        block = seconds[lo : lo + args.block]
        print(f"files {lo + 1}-{lo + len(block)}: median {statistics.median(block):.3f} s")


if __name__ == "__main__":
    main()
