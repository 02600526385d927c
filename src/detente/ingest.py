"""One file's ingest transaction: checks, duplicates, quarantine, staging, publish, manifest.

An :class:`Ingest` runs on its own in-memory DuckDB connection (it reads the stored Parquet files,
never the store's DuckDB file), so every scratch table, view and Python function a reader or the
checks create (``_gdelt_src``, ``_checked``, ``_gdelt_raw``, ...) dies with it.
The steps, each of which leaves the store as it was if the process dies there:

1. the file's size and mtime are noted and its bytes hashed (SHA-256, the ingest id); bytes already
   in the manifest are "unchanged", unless their stored files are missing or damaged, in which case
   what is left of them is moved to the trash and the file is ingested again (restored), or unless
   they were stored under a scope that does not cover this one: then the file is read again and
   only the lines the ingest does not hold yet go on (decision 085);
2. the reader parses the file; the central checks (:mod:`detente.rules`) and the duplicate checks
   (against the stored files whose id range can hold an id, decision 084) mark rejected rows;
   stored and quarantined rows are written to ``_staging/<id>/``;
3. the file is stat'ed again: a file whose size or mtime changed while it was read is refused;
4. publish: a journal listing the destination files is written (``_journal/<id>.json``), the files
   are moved into the tree, the ingest and its files (rows, checksums, id ranges) are recorded in
   the manifest (the commit point), and the journal is removed. On open, the store removes the
   files a journal names that the manifest does not record (an interrupted publish) and nothing else.

The counts: records read = stored + quarantined + out of scope (left out by a scoped reader).

Any fault of one file (unreadable, damaged, full disk, ...) gives a failed :class:`IngestReport`
with a one-line reason; it never raises.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .rules import CAMEO_TABLE, cameo_codes_table, event_checks_sql
from .schema import EVENT_SCHEMA
from .sources.base import Reader, SourceError
from .sources.detect import detect

if TYPE_CHECKING:
    from .scope import Scope
    from .store import Store

__all__ = ["ID_LEN", "Ingest", "IngestReport", "covers", "file_sha256", "one_line", "parquet_intact", "scope_key"]

ID_LEN = 16  # hex digits of the SHA-256 used in file names


@dataclass(frozen=True)
class IngestReport:
    """Outcome of ingesting one file. ``status``: ingested, unchanged or failed.

    ``rows_read`` counts every record of the file, ``rows_out_of_scope`` those a scoped read left out.
    """

    path: str
    status: str
    source: str | None = None
    format: str | None = None
    rows_read: int = 0
    rows_stored: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    error: str | None = None
    rows_out_of_scope: int = 0

    @property
    def balanced(self) -> bool:
        """rows read = rows stored + rows quarantined + rows out of scope."""
        return self.rows_read == self.rows_stored + self.rows_quarantined + self.rows_out_of_scope


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def one_line(exc: BaseException) -> str:
    """A fault as the reason of a failed report: a SourceError's own text, else type and first line.

    >>> one_line(OSError(28, "No space left on device"))
    'OSError: [Errno 28] No space left on device'
    """
    if isinstance(exc, SourceError):
        return str(exc)
    text = (str(exc).strip().splitlines() or [""])[0]
    module = type(exc).__module__.strip("_").split(".")[0]
    kind = type(exc).__name__ if module == "builtins" else f"{module}.{type(exc).__name__}"
    return f"{kind}: {text}".rstrip(": ")


def _q(path: Path) -> str:
    """A path as a SQL string literal (paths are ours, but quote them properly anyway)."""
    return "'" + str(path).replace("'", "''") + "'"


def parquet_intact(path: Path) -> bool:
    """True if ``path`` ends like a whole Parquet file (footer length and ``PAR1`` magic fit its size)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(max(size - 8, 0))
            tail = fh.read(8)
    except OSError:
        return False
    footer = int.from_bytes(tail[:4], "little") if len(tail) == 8 else size
    return head == b"PAR1" and tail[4:] == b"PAR1" and footer + 12 <= size


def _fingerprint(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def scope_key(reader: Reader | None) -> str | None:
    """The manifest's ``scope`` of what ``reader`` keeps: its scope's countries, None for everything."""
    scope = getattr(reader, "scope", None)
    return scope.key if scope is not None else None


def covers(held: str | None, wanted: str | None) -> bool:
    """True if a file stored under scope ``held`` already holds every row of scope ``wanted`` (keys).

    >>> covers(None, "KOR"), covers("KOR,PRK", "KOR"), covers("KOR", None), covers("KOR", "IND,KOR")
    (True, True, False, False)
    """
    return held is None or (wanted is not None and set(wanted.split(",")) <= set(held.split(",")))


def _union(held: str | None, wanted: str | None) -> str | None:
    if held is None or wanted is None:
        return None
    return ",".join(sorted(set(held.split(",")) | set(wanted.split(","))))


def _span(*values: object) -> tuple[object, object]:
    known = [v for v in values if v is not None]
    return (min(known), max(known)) if known else (None, None)  # type: ignore[type-var]


class Ingest:
    """One file's transaction on ``store``; :meth:`run` gives its :class:`IngestReport`."""

    def __init__(
        self,
        store: Store,
        path: str | Path,
        reader: Reader | None = None,
        on_stage: Callable[[str], None] | None = None,
        scope: Scope | None = None,
    ) -> None:
        self.store = store
        self.path = Path(path)
        self.reader = reader
        #: the scope a detected GDELT reader keeps (a given ``reader`` keeps its own)
        self.scope = scope
        self.stage = on_stage or (lambda _s: None)
        self.started = time.perf_counter()
        #: the store table the file's rows went to, once its reader is known
        self.table = reader.table if reader else ""

    def run(self) -> IngestReport:
        """Ingest the file atomically; never raises for a fault of this file."""
        con = self.store._scratch()
        try:
            return self._run(con)
        except Exception as exc:  # noqa: BLE001 - every per-file fault is a failed report (issue 16)
            return self._report("failed", error=one_line(exc))
        finally:
            con.close()
            shutil.rmtree(self.store.home / "_staging", ignore_errors=True)

    def _report(
        self, status: str, source: str | None = None, fmt: str | None = None, *counts: int, error: str | None = None
    ) -> IngestReport:
        read, stored, quarantined, out = counts or (0, 0, 0, 0)
        return IngestReport(
            str(self.path), status, source, fmt, read, stored, quarantined, time.perf_counter() - self.started,
            error, out,
        )  # fmt: skip

    def _run(self, con: duckdb.DuckDBPyConnection) -> IngestReport:
        path = self.path
        if not path.is_file():
            raise SourceError(f"{path}: not a file")
        before = _fingerprint(path)
        self.stage("hashing")
        ingest_id = file_sha256(path)
        held = self.store._recorded(ingest_id)
        wanted = scope_key(self.reader) if self.reader else (self.scope.key if self.scope else None)
        if held:
            if self.store._damage(ingest_id):
                self.stage("restoring")
                self.store._forget(ingest_id)
                held = None
            elif covers(held["scope"], wanted):
                counts = (held["rows_read"], held["rows_stored"], held["rows_quarantined"], held["rows_out_of_scope"])
                return self._report("unchanged", held["source"], held["format"], *counts)
        self.stage("detecting format")
        reader = self.reader or detect(path)
        if self.reader is None and self.scope is not None and hasattr(reader, "scope"):
            reader.scope = self.scope
        wanted = scope_key(reader)
        self.table = reader.table
        self.stage(f"reading {reader.name}")
        result = reader.read(path, con)
        self.stage("validating")
        rows = result.rows
        name = ingest_id[:ID_LEN]
        view = "_read" if held else "_input"
        if isinstance(rows, pa.Table):
            con.register(view, rows)
        else:
            rows.create_view(view, replace=True)
        again = 0
        if held:  # a wider scope: only the lines this ingest does not hold yet are checked and stored
            again = self._skip_held(con, ingest_id)
            name = f"{name}-{secrets.token_hex(4)}"
        checked = _Checked(con, self.store, reader, path, ingest_id, name)
        (_, stored, quarantined), dates = checked.write(result.rows_read - again)
        after = _fingerprint(path)
        if after != before:
            raise SourceError(
                f"{path.name}: the file changed while it was read ({before[0]:,} -> {after[0]:,} bytes);"
                " nothing stored: ingest it again once it is complete"
            )
        records = result.rows_read + result.out_of_scope
        scope = wanted
        if held:
            stored, quarantined = stored + held["rows_stored"], quarantined + held["rows_quarantined"]
            dates = _span(*dates, held["date_min"], held["date_max"])
            scope = _union(held["scope"], wanted)
        counts = (records, stored, quarantined, records - stored - quarantined)
        self.stage("publishing")
        self._publish(reader, ingest_id, before[0], counts, dates, scope, checked.bounds, held)
        return self._report("ingested", reader.source, reader.name, *counts)

    def _skip_held(self, con: duckdb.DuckDBPyConnection, ingest_id: str) -> int:
        """Make ``_input`` the rows of ``_read`` whose line this ingest holds in no file; how many it holds."""
        files = [self.store.home / p for p, _, _ in self.store._files_of(ingest_id)]
        lines = "SELECT CAST(NULL AS BIGINT) AS source_line WHERE false"
        if files:
            listed = ", ".join(map(_q, files))
            lines = f"SELECT DISTINCT source_line FROM read_parquet([{listed}], union_by_name = true)"
        con.execute(f"CREATE TEMP TABLE _held AS {lines}")
        held = "source_line IN (SELECT source_line FROM _held)"
        con.execute(f"CREATE TEMP VIEW _input AS SELECT * FROM _read WHERE NOT {held}")
        found = con.execute(f"SELECT count(DISTINCT source_line) FROM _read WHERE {held}")
        return int(found.fetchone()[0])  # type: ignore[index]

    def _publish(
        self,
        reader: Reader,
        ingest_id: str,
        size: int,
        counts: tuple[int, int, int, int],
        dates: tuple[object, object],
        scope: str | None,
        bounds: dict[str, tuple[str, str]],
        held: dict[str, Any] | None,
    ) -> None:
        """Move the staged files into the tree under a journal, then commit the manifest (replacing ``held``)."""
        home = self.store.home
        staging = home / "_staging" / ingest_id[:ID_LEN]
        staged = sorted(staging.rglob("*.parquet"))
        files = [
            (rel := str(f.relative_to(staging)), pq.read_metadata(f).num_rows, file_sha256(f),
             *bounds.get(rel.rsplit("/", 1)[0], (None, None)))
            for f in staged
        ]  # fmt: skip
        journal = home / "_journal" / f"{ingest_id[:ID_LEN]}.json"
        journal.parent.mkdir(exist_ok=True)
        tmp = journal.with_suffix(".tmp")
        tmp.write_text(json.dumps({"ingest_id": ingest_id, "files": [f[0] for f in files]}), "utf-8")
        os.replace(tmp, journal)
        for f, (rel, *_) in zip(staged, files, strict=True):
            dest = home / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            f.rename(dest)
        path = self.path
        read, stored, quarantined, out = counts
        self.store._record(
            [
                held["ingest_id"] if held else ingest_id, reader.source, reader.name, reader.table,
                str(path.resolve()), path.name, size, read, stored, quarantined, dates[0], dates[1],
                datetime.now(UTC), time.perf_counter() - self.started, out, scope,
            ],
            [(held["ingest_id"] if held else ingest_id, *f) for f in files],
            replace=held is not None,
        )  # fmt: skip
        journal.unlink()


class _Checked:
    """The checks and the staging of one reader's rows (the view ``_input`` on ``con``).

    Only the columns the checks need are materialised (``_checked``); the rows themselves stream
    from ``_input`` straight into Parquet (zstd level 1: a quarter less CPU than the default level 3
    for ~15% larger files), and their raw text is read back only for quarantined lines. See
    BENCHMARKS.md.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, store: Store, reader: Reader, path: Path, ingest_id: str, name: str
    ) -> None:
        self.con, self.store, self.home, self.reader, self.path = con, store, store.home, reader, path
        #: the ingest id and the stem of the files written (the id's tag, then a suffix when widening)
        self.ingest_id, self.name = ingest_id, name
        #: (smallest, largest) event id stored, per partition folder (``events/source=s/year=y``)
        self.bounds: dict[str, tuple[str, str]] = {}

    def write(self, rows_read: int) -> tuple[tuple[int, int, int], tuple[object, object]]:
        """Check, count and stage; (rows read, stored, quarantined) and the (min, max) date stored."""
        con, reader = self.con, self.reader
        is_events = reader.table == "events"
        if is_events:
            con.register("_cameo_arrow", cameo_codes_table())
            con.execute(f"CREATE TEMP TABLE {CAMEO_TABLE} AS SELECT code FROM _cameo_arrow")
        checks = event_checks_sql() if is_events else "reject_reason"
        narrow = "source_line, source, event_id, date" if is_events else ", ".join(("source_line", *reader.keys))
        con.execute(f"CREATE TEMP TABLE _checked AS SELECT {narrow}, {checks} AS _reason FROM _input")
        if is_events:
            self._mark_duplicates()
        elif reader.keys:
            self._mark_key_duplicates(reader.table, reader.keys)
        # a line is stored only if none of the rows made from it was rejected
        con.execute("CREATE TEMP TABLE _bad AS SELECT DISTINCT source_line FROM _checked WHERE _reason IS NOT NULL")
        good = " WHERE source_line NOT IN (SELECT source_line FROM _bad)"
        quarantined = con.execute("SELECT count(*) FROM _bad").fetchone()[0]  # type: ignore[index]
        stored = con.execute(f"SELECT count(DISTINCT source_line) FROM _checked{good}").fetchone()[0]  # type: ignore[index]
        if stored + quarantined != rows_read:
            raise SourceError(
                f"{self.path.name}: accounting mismatch in reader {reader.name}: read {rows_read},"
                f" stored {stored}, quarantined {quarantined} (reader bug)"
            )
        good = good if quarantined else ""
        self._stage(good, quarantined)
        dates: tuple[object, object] = (None, None)
        if is_events:
            dates = con.execute(f"SELECT min(date), max(date) FROM _checked{good}").fetchone()  # type: ignore[assignment]
            self.bounds = {
                f"events/source={s}/year={y}": (lo, hi)
                for s, y, lo, hi in con.execute(
                    f"SELECT source, CAST(year(date) AS INTEGER), min(event_id), max(event_id) FROM _checked{good}"
                    " GROUP BY ALL"
                ).fetchall()
            }
        return (rows_read, stored, quarantined), dates

    def _stage(self, good: str, quarantined: int) -> None:
        con, reader = self.con, self.reader
        tag = self.name
        staging = self.home / "_staging" / self.ingest_id[:ID_LEN]
        staging.mkdir(parents=True)
        if reader.table == "events":
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
                [self.ingest_id, reader.source, self.path.name],
            )

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
    def _stored(files: list[Path]) -> str | None:
        """SQL reading the intact ones of ``files``; None if none."""
        listed = ", ".join(_q(f) for f in files if parquet_intact(f))
        return f"read_parquet([{listed}], hive_partitioning = true, union_by_name = true)" if listed else None

    def _mark_duplicates(self) -> None:
        """Reject rows whose event id repeats within the file or is already stored.

        Only the stored files an id can be in are read: of its source and year (the id fixes the
        event and so its date), and whose id range in the manifest holds it (decision 084).
        """
        con = self.con
        con.execute(
            "UPDATE _checked SET _reason = 'duplicate event id ' || event_id || ' (first at line ' || first || ')'"
            " FROM (SELECT event_id AS eid, min(source_line) AS first FROM _checked WHERE _reason IS NULL"
            "       GROUP BY event_id HAVING count(*) > 1) d"
            " WHERE _checked.event_id = d.eid AND _checked.source_line > d.first AND _reason IS NULL"
        )
        bounds = con.execute(
            "SELECT source, CAST(year(date) AS INTEGER), min(event_id), max(event_id) FROM _checked"
            " WHERE _reason IS NULL AND source IS NOT NULL GROUP BY ALL"
        ).fetchall()
        stored = self._stored(self.store._colliding(bounds))
        if stored:
            con.execute(
                "UPDATE _checked SET _reason = 'event id ' || event_id || ' already stored from an earlier file'"
                f" WHERE _reason IS NULL AND event_id IN (SELECT event_id FROM {stored})"
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
        stored = self._stored(sorted((self.home / "tables" / table).rglob("*.parquet")))
        if stored:
            con.execute(
                f"UPDATE _checked SET _reason = 'key ' || {label} || ' already stored from an earlier file'"
                f" WHERE _reason IS NULL AND EXISTS (SELECT 1 FROM {stored} s WHERE"
                f" {' AND '.join(f's.{k} IS NOT DISTINCT FROM _checked.{k}' for k in keys)})"
            )
