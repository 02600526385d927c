"""The ingest transaction (detente.ingest) on its own connection, and the store's private connection."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyarrow as pa

from detente import Store
from detente.rules import cameo_codes_table, event_checks_sql

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"
GDELT2 = "20191024143000.export.CSV"


def test_scratch_tables_die_with_the_ingest(tmp_path: Path, data_dir: Path) -> None:
    """After a GDELT ingest the store's connection holds no reader or check table (today: _gdelt_src)."""
    store = Store(tmp_path / "home")
    report = store.ingest(data_dir / "gdelt_events" / GDELT2)
    assert (report.status, report.rows_stored) == ("ingested", 2111)
    tables = {r[0] for r in store.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {r[0] for r in store.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert tables == {"ingests", "ingest_files"}
    assert views == {"events", "quarantine"}
    functions = store.con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name LIKE '\\_gdelt%' ESCAPE '\\'"
    ).fetchone()
    assert functions == (0,)
    store.close()


def test_two_gdelt_files_in_a_row_each_get_their_raw_lines(tmp_path: Path, data_dir: Path) -> None:
    """The second file's quarantined raw text is its own (the per-ingest UDF does not leak)."""
    store = Store(tmp_path / "home")
    real = data_dir / "gdelt_events" / GDELT2
    lines = real.read_bytes().split(b"\n")
    second = tmp_path / "20191024144500.export.CSV"
    second.write_bytes(b"\n".join(lines[:40]) + b"\nnot a record\n")
    assert store.ingest(real).rows_stored == 2111
    report = store.ingest(second)
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined) == ("ingested", 41, 0, 41)
    raws = store.quarantine().order_by("source_line").raw.to_pyarrow().to_pylist()
    assert raws[0] == lines[0].decode() and raws[-1] == "not a record"
    store.close()


def test_write_table_replaces_a_derived_table(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.write_table("incidents", pa.table({"a": [1, 2]}))
    store.write_table("incidents", pa.table({"a": [3]}))
    assert store.table("incidents").a.to_pyarrow().to_pylist() == [3]
    assert store.version()[0] == 0
    store.close()


def test_validation_rules_live_beside_the_schema() -> None:
    codes = cameo_codes_table().column("code").to_pylist()
    assert "1213" in codes and "190" in codes  # ICEWS-only and GDELT CAMEO codes
    assert "Goldstein outside -10..10" in event_checks_sql()


def test_nothing_outside_the_store_touches_its_connection() -> None:
    """issue 14's check: no ``store.con`` / ``.con.`` outside the store and ingest modules."""
    found = subprocess.run(
        ["git", "grep", "-n", r"store.con\b\|\.con\.", "--", "."], cwd=SRC, capture_output=True, text=True, check=False
    ).stdout.splitlines()
    outside = [line for line in found if not line.startswith(("store.py:", "ingest.py:"))]
    assert outside == []
