"""The event store: Hive-partitioned Parquet plus a DuckDB file, read through Ibis.

Layout under ``home``::

    events/source=<s>/year=<y>/<ingest>-<n>.parquet   canonical events
    tables/<name>/source=<s>/<ingest>.parquet           side tables (agreements, conflict_years, ...)
    quarantine/source=<s>/<ingest>.parquet              rejected lines with reasons
    detente.duckdb                                      manifest of ingests + derived tables

An ingest writes a file's rows to ``_staging/`` first, moves them into place, and only then
records the file in the manifest. Files in the tree whose ingest is not in the manifest are
leftovers of an interrupted run and are removed when the store is opened, so a killed ingest
leaves the store as it was before that file. The manifest is keyed by the file's SHA-256, so
ingesting the same bytes twice adds nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis
import pyarrow as pa

from . import backends
from .config import settings
from .schema import EVENT_SCHEMA, INGEST_SCHEMA, QUARANTINE_SCHEMA
from .sources.base import Reader, SourceError
from .sources.detect import detect

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

__all__ = ["IngestReport", "Store"]

_ID_LEN = 16  # hex digits of the SHA-256 used in file names


@dataclass(frozen=True)
class IngestReport:
    """Outcome of ingesting one file. ``status``: ingested, unchanged or failed."""

    path: str
    status: str
    source: str | None = None
    format: str | None = None
    rows_read: int = 0
    rows_stored: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def balanced(self) -> bool:
        """rows read = rows stored + rows quarantined."""
        return self.rows_read == self.rows_stored + self.rows_quarantined


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def _sql_type(t: pa.DataType) -> str:
    return {
        pa.string(): "VARCHAR",
        pa.date32(): "DATE",
        pa.int8(): "TINYINT",
        pa.int32(): "INTEGER",
        pa.int64(): "BIGINT",
        pa.float32(): "FLOAT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
        pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ",
    }[t]


def _empty_select(schema: pa.Schema) -> str:
    cols = ", ".join(f"CAST(NULL AS {_sql_type(f.type)}) AS {f.name}" for f in schema)
    return f"SELECT {cols} WHERE false"


def _q(path: Path) -> str:
    """A path as a SQL string literal (paths are ours, but quote them properly anyway)."""
    return "'" + str(path).replace("'", "''") + "'"


class Store:
    """Détente's event store. Open with ``Store()`` (``DETENTE_HOME``) or ``Store(path)``.

    ``backend`` (default ``DETENTE_BACKEND``): the engine :meth:`events` runs on, ``duckdb`` or
    ``pyspark`` (alias ``spark``; master ``DETENTE_SPARK_MASTER``). Writes, the manifest and the side
    tables always use the DuckDB file.
    """

    def __init__(self, home: str | Path | None = None, backend: str | None = None) -> None:
        config = settings()
        self.home = Path(home) if home is not None else config.home
        self.backend = backends.parse_backend(backend or config.backend)
        if self.backend not in ("duckdb", "pyspark"):
            raise ValueError(f"{self.backend} is a source of events, not a store engine: use duckdb or pyspark")
        self._engine: BaseBackend | None = None
        self.home.mkdir(parents=True, exist_ok=True)
        self.ibis = ibis.duckdb.connect(str(self.home / "detente.duckdb"))
        self.con: duckdb.DuckDBPyConnection = self.ibis.con
        cols = ", ".join(f"{f.name} {_sql_type(f.type)}" for f in INGEST_SCHEMA)
        self.con.execute(f"CREATE TABLE IF NOT EXISTS ingests ({cols}, PRIMARY KEY (ingest_id))")
        self._recover()
        self._refresh_views()

    # -- reading ------------------------------------------------------------------
    def events(self) -> ibis.Table:
        """All stored events as an Ibis table (canonical schema) on the store's engine."""
        if self.backend == "pyspark":
            return backends.spark_events(self.engine(), self.home)
        return self.ibis.table("events")

    def engine(self) -> BaseBackend:
        """The Ibis connection :meth:`events` runs on: DuckDB, or Spark connected on first use."""
        if self.backend == "duckdb":
            return self.ibis
        if self._engine is None:
            config = settings()
            self._engine = backends.spark_connect(master=config.spark_master, conf=config.spark_conf)
        return self._engine

    def quarantine(self) -> ibis.Table:
        """All quarantined lines: ingest, source, file, line, raw text, reason."""
        return self.ibis.table("quarantine")

    def ingests(self) -> ibis.Table:
        """The manifest: one row per ingested file with its counts."""
        return self.ibis.table("ingests")

    def table(self, name: str) -> ibis.Table:
        """A side table (``agreements``, ``conflict_years``, ...) or a core table by name."""
        return self.ibis.table(name)

    def close(self) -> None:
        """Release the DuckDB file (a Spark session is process-wide and stays up for other users)."""
        self._engine = None
        self.ibis.disconnect()

    # -- writing ------------------------------------------------------------------
    def ingest(
        self,
        path: str | Path,
        reader: Reader | None = None,
        on_stage: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Ingest one file atomically; never raises for bad input (see ``IngestReport``)."""
        path = Path(path)
        started = time.perf_counter()
        stage = on_stage or (lambda _s: None)
        try:
            if not path.is_file():
                raise SourceError(f"{path}: not a file")
            stage("hashing")
            ingest_id = file_sha256(path)
            done = self.con.execute(
                "SELECT source, format, rows_read, rows_stored, rows_quarantined"
                " FROM ingests WHERE ingest_id = ?",
                [ingest_id],
            ).fetchone()
            if done:
                return IngestReport(str(path), "unchanged", *done, seconds=time.perf_counter() - started)
            stage("detecting format")
            reader = reader or detect(path)
            stage(f"reading {reader.name}")
            result = reader.read(path, self.con)
            stage("validating")
            counts = self._write(path, ingest_id, reader, result.rows, result.rows_read, started)
        except SourceError as exc:
            return IngestReport(str(path), "failed", error=str(exc), seconds=time.perf_counter() - started)
        finally:
            shutil.rmtree(self.home / "_staging", ignore_errors=True)
            for name in ("_rows", "_checked"):
                self.con.execute(f"DROP TABLE IF EXISTS {name}")
                self.con.execute(f"DROP VIEW IF EXISTS {name}")
        return IngestReport(
            str(path), "ingested", reader.source, reader.name, *counts,
            seconds=time.perf_counter() - started,
        )

    def _write(
        self,
        path: Path,
        ingest_id: str,
        reader: Reader,
        rows: pa.Table | duckdb.DuckDBPyRelation,
        rows_read: int,
        started: float,
    ) -> tuple[int, int, int]:
        """Check, count and publish a reader's rows (the reader's rows are the view ``_input``)."""
        con = self.con
        if isinstance(rows, pa.Table):
            con.register("_input", rows)
        else:
            rows.create_view("_input", replace=True)
        try:
            return self._write_input(path, ingest_id, reader, rows_read, started)
        finally:
            for name in ("_input", "_bad_raw"):
                con.execute(f"DROP VIEW IF EXISTS {name}")
            con.execute("DROP TABLE IF EXISTS _bad")

    def _write_input(
        self, path: Path, ingest_id: str, reader: Reader, rows_read: int, started: float
    ) -> tuple[int, int, int]:
        """The body of :meth:`_write`, over the view ``_input``."""
        # Only the columns the checks need are materialised (``_checked``); the rows themselves
        # stream from ``_input`` straight into Parquet (zstd level 1: a quarter less CPU than the
        # default level 3 for ~15% larger files), and their raw text is read back only for
        # quarantined lines. See BENCHMARKS.md.
        con = self.con
        is_events = reader.table == "events"
        checks = self._event_checks() if is_events else "reject_reason"
        narrow = "source_line, source, event_id, date" if is_events else ", ".join(("source_line", *reader.keys))
        con.execute(f"CREATE TEMP TABLE _checked AS SELECT {narrow}, {checks} AS _reason FROM _input")
        if is_events:
            self._mark_duplicates()
        elif reader.keys:
            self._mark_key_duplicates(reader.table, reader.keys)
        # a line is stored only if none of the rows made from it was rejected
        con.execute("CREATE TEMP TABLE _bad AS SELECT DISTINCT source_line FROM _checked WHERE _reason IS NOT NULL")
        good = " WHERE source_line NOT IN (SELECT source_line FROM _bad)"
        quarantined = con.execute("SELECT count(*) FROM _bad").fetchone()[0]
        stored = con.execute(f"SELECT count(DISTINCT source_line) FROM _checked{good}").fetchone()[0]
        if stored + quarantined != rows_read:
            raise SourceError(
                f"{path.name}: accounting mismatch in reader {reader.name}: read {rows_read},"
                f" stored {stored}, quarantined {quarantined} (reader bug)"
            )
        good = good if quarantined else ""
        tag = ingest_id[:_ID_LEN]
        staging = self.home / "_staging" / tag
        staging.mkdir(parents=True)
        if is_events:
            cols = ", ".join(
                "CAST(year(date) AS INTEGER) AS year" if f.name == "year" else f.name for f in EVENT_SCHEMA
            )
            con.execute(
                f"COPY (SELECT {cols} FROM _input{good}) TO {_q(staging / 'events')}"
                f" (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARTITION_BY (source, year),"
                f" FILENAME_PATTERN '{tag}-{{i}}', OVERWRITE_OR_IGNORE)"
            )
        else:
            cols = ", ".join(f.name for f in reader.schema)
            target = staging / "tables" / reader.table / f"source={reader.source}"
            target.mkdir(parents=True)
            con.execute(
                f"COPY (SELECT {cols} FROM _input{good}) TO {_q(target / f'{tag}.parquet')}"
                " (FORMAT parquet, COMPRESSION zstd)"
            )
        if quarantined:
            target = staging / "quarantine" / f"source={reader.source}"
            target.mkdir(parents=True)
            con.register("_bad_raw", self._raw_of_bad_lines())
            con.execute(
                f"COPY (SELECT ? AS ingest_id, ? AS source, ? AS source_file, q.source_line, b.raw, q.reason"
                f" FROM (SELECT source_line, string_agg(DISTINCT _reason, '; ') AS reason FROM _checked"
                f" WHERE source_line IN (SELECT source_line FROM _bad) GROUP BY source_line) q"
                f" LEFT JOIN _bad_raw b USING (source_line) ORDER BY q.source_line)"
                f" TO {_q(target / f'{tag}.parquet')} (FORMAT parquet, COMPRESSION zstd)",
                [ingest_id, reader.source, path.name],
            )
        dates = (None, None)
        if is_events:
            dates = con.execute(f"SELECT min(date), max(date) FROM _checked{good}").fetchone()
        # publish: move files into the tree, then record the ingest (the commit point)
        for f in sorted(staging.rglob("*.parquet")):
            dest = self.home / f.relative_to(staging)
            dest.parent.mkdir(parents=True, exist_ok=True)
            f.rename(dest)
        con.execute(
            "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ingest_id, reader.source, reader.name, reader.table, str(path.resolve()), path.name,
                path.stat().st_size, rows_read, stored, quarantined, dates[0], dates[1],
                datetime.now(UTC), time.perf_counter() - started,
            ],
        )
        self._refresh_views()
        return rows_read, stored, quarantined

    def _raw_of_bad_lines(self, batch: int = 2000) -> pa.Table:
        """``source_line``, ``raw`` of the quarantined lines, read back from ``_input``.

        Asked in batches of literal line numbers so the filter reaches the reader's scan: a
        reader may compute ``raw`` lazily (GDELT reads it from the file only for these lines).
        """
        lines = [r[0] for r in self.con.execute("SELECT source_line FROM _bad ORDER BY 1").fetchall()]
        parts = [pa.table({"source_line": pa.array([], pa.int64()), "raw": pa.array([], pa.string())})]
        for i in range(0, len(lines), batch):
            numbers = ", ".join(str(int(n)) for n in lines[i : i + batch])
            parts.append(
                self.con.sql(
                    "SELECT CAST(source_line AS BIGINT) AS source_line, CAST(any_value(raw) AS VARCHAR) AS raw"
                    f" FROM _input WHERE source_line IN ({numbers}) GROUP BY source_line"
                ).to_arrow_table()
            )
        return pa.concat_tables(parts)

    @staticmethod
    def _event_checks() -> str:
        """SQL for the reason a canonical event row is rejected (null when it is fine)."""
        return (
            "coalesce(reject_reason,"
            " CASE WHEN event_id IS NULL THEN 'missing event id' END,"
            " CASE WHEN date IS NULL THEN 'missing or unparseable date' END,"
            " CASE WHEN date < DATE '1800-01-01' OR date > current_date + 1"
            "  THEN 'impossible date ' || CAST(date AS VARCHAR) END,"
            " CASE WHEN quad_class NOT BETWEEN 1 AND 4 THEN 'QuadClass not in 1..4: ' || quad_class END,"
            " CASE WHEN goldstein NOT BETWEEN -10 AND 10 THEN 'Goldstein outside -10..10: ' || goldstein END,"
            " CASE WHEN event_code IS NOT NULL AND event_code NOT IN (SELECT code FROM _cameo_codes)"
            "  THEN 'unknown CAMEO event code ' || event_code END)"
        )

    def _mark_duplicates(self) -> None:
        """Reject rows whose event id repeats within the file or is already stored."""
        con = self.con
        con.execute(
            "UPDATE _checked SET _reason = 'duplicate event id ' || event_id || ' (first at line ' || first || ')'"
            " FROM (SELECT event_id AS eid, min(source_line) AS first FROM _checked WHERE _reason IS NULL"
            "       GROUP BY event_id HAVING count(*) > 1) d"
            " WHERE _checked.event_id = d.eid AND _checked.source_line > d.first AND _reason IS NULL"
        )
        con.execute(
            "UPDATE _checked SET _reason = 'event id ' || event_id || ' already stored from an earlier file'"
            " WHERE _reason IS NULL AND event_id IN (SELECT event_id FROM events"
            "  WHERE source IN (SELECT DISTINCT source FROM _checked))"
        )

    def _mark_key_duplicates(self, table: str, keys: tuple[str, ...]) -> None:
        """Reject side-table rows whose key repeats within the file or is already stored (decision 040).

        ``table`` and ``keys`` are identifiers declared by the reader class, never text from a file.
        """
        con = self.con
        label = " || ', ' || ".join(f"'{k}=' || coalesce(CAST(_checked.{k} AS VARCHAR), 'null')" for k in keys)
        cols = ", ".join(keys)
        con.execute(
            f"UPDATE _checked SET _reason = 'duplicate key ' || {label} || ' (first at line ' || d.first || ')'"
            f" FROM (SELECT {cols}, min(source_line) AS first FROM _checked WHERE _reason IS NULL"
            f"       GROUP BY ALL HAVING count(*) > 1) d"
            f" WHERE {' AND '.join(f'_checked.{k} IS NOT DISTINCT FROM d.{k}' for k in keys)}"
            "  AND _checked.source_line > d.first AND _reason IS NULL"
        )
        stored = con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ?", [table]
        ).fetchone()[0]
        if stored:
            con.execute(
                f"UPDATE _checked SET _reason = 'key ' || {label} || ' already stored from an earlier file'"
                f" WHERE _reason IS NULL AND EXISTS (SELECT 1 FROM {table} s WHERE"
                f" {' AND '.join(f's.{k} IS NOT DISTINCT FROM _checked.{k}' for k in keys)})"
            )

    # -- housekeeping -------------------------------------------------------------
    def _recover(self) -> None:
        """Remove leftovers of an interrupted ingest (files not recorded in the manifest)."""
        shutil.rmtree(self.home / "_staging", ignore_errors=True)
        known = {r[0][:_ID_LEN] for r in self.con.execute("SELECT ingest_id FROM ingests").fetchall()}
        for top in ("events", "tables", "quarantine"):
            for f in (self.home / top).rglob("*.parquet"):
                if f.name[:_ID_LEN] not in known:
                    f.unlink()

    def _refresh_views(self) -> None:
        """(Re)create the temp views over the Parquet tree and the ontology."""
        from .ontology import cameo_codes, goldstein_of

        con = self.con
        # GDELT's CAMEO list plus the codes only the ICEWS codebook has (1213)
        codes = sorted(set(cameo_codes().column("code").to_pylist()) | set(goldstein_of("icews")))
        con.register("_cameo_codes_arrow", pa.table({"code": codes}))
        con.execute("CREATE OR REPLACE TEMP TABLE _cameo_codes AS SELECT code FROM _cameo_codes_arrow")
        con.unregister("_cameo_codes_arrow")
        for name, top, schema, hive in (
            ("events", self.home / "events", EVENT_SCHEMA, True),
            ("quarantine", self.home / "quarantine", QUARANTINE_SCHEMA, True),
        ):
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {self._parquet_select(top, schema, hive)}")
        tables = self.home / "tables"
        if tables.is_dir():
            for sub in sorted(p for p in tables.iterdir() if p.is_dir() and p.name.isidentifier()):
                if any(sub.rglob("*.parquet")):
                    glob = _q(sub / "**" / "*.parquet")
                    con.execute(
                        f"CREATE OR REPLACE TEMP VIEW {sub.name} AS SELECT * FROM"
                        f" read_parquet({glob}, hive_partitioning = true, union_by_name = true)"
                    )

    @staticmethod
    def _parquet_select(top: Path, schema: pa.Schema, hive: bool) -> str:
        if not any(top.rglob("*.parquet")):
            return _empty_select(schema)
        cols = ", ".join(f"CAST({f.name} AS {_sql_type(f.type)}) AS {f.name}" for f in schema)
        glob = _q(top / "**" / "*.parquet")
        return (
            f"SELECT {cols} FROM read_parquet({glob}, hive_partitioning = {str(hive).lower()},"
            " union_by_name = true)"
        )
