"""The store: atomic, idempotent ingests, exact accounting, recovery after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd

import detente
from detente import Store
from detente.kb import timeline_path

TIMELINE = timeline_path()
HEADER = TIMELINE.read_text("utf-8").splitlines()[0]


def _tree(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in home.rglob("*.parquet"))


def test_public_api_is_pinned() -> None:
    assert detente.__all__ == ["EVENT_SCHEMA", "IngestReport", "Store"]
    assert all(hasattr(detente, name) for name in detente.__all__)


def test_ibis_duckdb_pins_work(tmp_path: Path) -> None:
    """docs/decisions/001: create_table, list_tables and read_parquet on the pinned versions."""
    store = Store(tmp_path)
    t = store.ibis.create_table("smoke", pd.DataFrame({"a": [1, 2, 3]}))
    assert "smoke" in store.ibis.list_tables()
    t.to_parquet(tmp_path / "smoke.parquet")
    assert store.ibis.read_parquet(tmp_path / "smoke.parquet").a.sum().execute() == 6
    store.ibis.drop_table("smoke")
    store.close()


def test_reingest_adds_nothing(store: Store) -> None:
    first = store.ingest(TIMELINE)
    assert first.status == "ingested" and first.balanced
    years = {p.split("/")[2] for p in _tree(store.home) if p.startswith("events/")}
    assert "year=2010" in years and "year=1945" in years and not any("NULL" in y for y in years)
    n_events = store.events().count().execute()
    files = _tree(store.home)
    again = store.ingest(TIMELINE)
    assert again.status == "unchanged"
    assert (again.rows_read, again.rows_stored) == (first.rows_read, first.rows_stored)
    assert store.events().count().execute() == n_events
    assert _tree(store.home) == files
    assert store.ingests().count().execute() == 1


def test_same_events_in_another_file_are_quarantined_as_duplicates(store: Store, tmp_path: Path) -> None:
    store.ingest(TIMELINE)
    copy = tmp_path / "copy.csv"
    lines = TIMELINE.read_text("utf-8").splitlines()
    copy.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")  # same rows, different bytes
    report = store.ingest(copy)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3, 0, 3)
    reasons = store.quarantine().filter(lambda q: q.source_file == "copy.csv").reason.to_pyarrow().to_pylist()
    assert all("already stored from an earlier file" in r for r in reasons)


def test_bad_rows_are_quarantined_with_line_raw_and_reason(store: Store, tmp_path: Path) -> None:
    good = TIMELINE.read_text("utf-8").splitlines()[1]
    bad_lines = [
        good,
        good.replace("1945-08-15", "1945-02-30", 1),  # impossible date
        good.replace(",other,", ",teleportation,", 1),  # unknown type
        "1999-01-01,day,PRK",  # too few fields
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(
        (HEADER + "\n" + "\n".join(bad_lines) + "\n").encode() + b'2001-01-01,day,PRK,,other,"caf\xe9",,,verified\n'
    )
    report = store.ingest(path)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (5, 1, 4)
    q = store.quarantine().order_by("source_line").to_pandas()
    assert q.source_line.tolist() == [3, 4, 5, 6]
    assert "day is out of range" in q.reason[0]
    assert q.reason[1] == "unknown event_type 'teleportation'"
    assert q.reason[2] == "expected 9 fields, found 3"
    assert q.raw[2] == "1999-01-01,day,PRK"
    assert q.reason[3].startswith("invalid text encoding: byte 0xE9")
    assert "caf\\xe9" in q.raw[3]


def test_empty_and_unknown_files_fail_cleanly(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty)
    assert report.status == "failed" and "empty file" in report.error
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,shape\nred,round\n")
    report = store.ingest(odd)
    assert report.status == "failed" and "format not recognised" in report.error
    assert "korea-facts" in report.error  # names the known formats
    assert store.ingests().count().execute() == 0


_KILL_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from detente import Store
    real_rename = Path.rename
    def rename_then_die(self, target):
        real_rename(self, target)
        os._exit(9)  # killed after the first file was published, before the manifest commit
    Path.rename = rename_then_die
    Store(sys.argv[1]).ingest(sys.argv[2])
    """
)


def test_kill_mid_ingest_leaves_store_as_before(tmp_path: Path) -> None:
    home = tmp_path / "home"
    second = tmp_path / "second.csv"
    lines = TIMELINE.read_text("utf-8").splitlines()
    second.write_text("\n".join([lines[0], *lines[150:]]) + "\n", encoding="utf-8")
    first = tmp_path / "first.csv"
    first.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    store = Store(home)
    assert store.ingest(first).rows_stored == 149
    before_files, before_n = _tree(home), store.events().count().execute()
    store.close()
    proc = subprocess.run([sys.executable, "-c", _KILL_SCRIPT, str(home), str(second)], check=False)
    assert proc.returncode == 9
    assert len(_tree(home)) > len(before_files)  # the kill left a half-published file behind
    store = Store(home)  # opening recovers
    assert _tree(home) == before_files
    assert store.events().count().execute() == before_n
    report = store.ingest(second)  # and the file can be ingested again, completely
    assert report.status == "ingested" and report.rows_stored == len(lines) - 150
    store.close()


def test_sigkill_during_ingest_is_all_or_nothing(tmp_path: Path) -> None:
    """A real SIGKILL at a random moment: afterwards the file is either wholly in or wholly out."""
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from detente import Store; Store(sys.argv[1]).ingest(sys.argv[2])",
         str(home), str(TIMELINE)],
    )
    try:
        proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    store = Store(home)
    n = store.events().count().execute()
    ingested = store.ingests().count().execute()
    reference = Store(tmp_path / "reference")
    full = reference.ingest(TIMELINE)
    assert full.status == "ingested"
    assert (ingested, n) in {(0, 0), (1, reference.events().count().execute())}
    assert store.ingest(TIMELINE).rows_stored == full.rows_stored  # completes, or was complete
    reference.close()
    store.close()
