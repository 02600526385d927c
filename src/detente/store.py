"""The event store: Hive-partitioned Parquet plus a DuckDB file, read through Ibis.

Layout under ``home``::

    events/source=<s>/year=<y>/<ingest>-<n>.parquet   canonical events
    tables/<name>/source=<s>/<ingest>.parquet           side tables (agreements, conflict_years, ...)
    quarantine/source=<s>/<ingest>.parquet              rejected lines with reasons
    detente.duckdb                                      manifest (ingests, their files) + derived tables
    _journal/<ingest>.json                              files of a publish under way (detente.ingest)
    _trash/<time>/...                                   files set aside, never deleted

:class:`Store` opens, reads, lists and holds the manifest; one file's ingest transaction is a
:class:`~detente.ingest.Ingest`. The store never deletes a file it cannot account for: on open it
removes only the files of a publish whose journal says it was interrupted, moves any other file
unknown to the manifest to ``_trash/`` (listed in :attr:`Store.notices`), and refuses to open a tree
of Parquet files whose manifest is missing (:meth:`Store.repair` rebuilds it). :meth:`Store.verify`
compares the tree with the manifest; reads skip a damaged Parquet file and list it in
:attr:`Store.damaged`. See ``docs/data-model.md``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from . import backends
from .config import settings
from .ingest import ID_LEN, Ingest, IngestReport, file_sha256, parquet_intact
from .manifest import (
    FILE,
    MANIFEST,
    StoreError,
    attached,
    create,
    empty,
    insert,
    load,
    writer_lock,
    writer_lock_if_free,
)  # fmt: skip
from .rules import sql_type
from .schema import EVENT_SCHEMA, QUARANTINE_SCHEMA
from .sources.base import Reader

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

    from .scope import Scope

__all__ = ["IngestReport", "Store", "StoreError", "Verification"]

_TOPS = ("events", "tables", "quarantine")


@dataclass(frozen=True)
class Verification:
    """What :meth:`Store.verify` found: ``problems`` (one line each) over ``files`` Parquet files."""

    files: int
    rows: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _q(path: Path) -> str:
    """A path as a SQL string literal (paths are ours, but quote them properly anyway)."""
    return "'" + str(path).replace("'", "''") + "'"


def _tree(home: Path) -> list[Path]:
    """Every Parquet file of the store's tree (events, side tables, quarantine)."""
    return sorted(f for top in _TOPS for f in (home / top).rglob("*.parquet"))


def _tag(path: Path) -> str:
    return path.name[:ID_LEN]


class Store:
    """Détente's event store. Open with ``Store()`` (``DETENTE_HOME``) or ``Store(path)``.

    ``backend`` (default ``DETENTE_BACKEND``): the engine :meth:`events` runs on, one of
    :func:`detente.backends.names` ``(store=True)`` (Spark's master: ``DETENTE_SPARK_MASTER``).
    Writes, the manifest and the side tables always use the DuckDB file. Raises :class:`StoreError`
    (one line) if the manifest is missing while the tree holds Parquet files, or another process
    holds the DuckDB file.

    :meth:`events` gives every stored row, so one real-world event reported by several sources is
    several rows (PRK's missile tests: CSIS, CNS and the timeline each). The de-duplicated view is
    ``detente.kb.linked_incidents(store, ...)`` (the store may not import the rooms above it).
    """

    def __init__(self, home: str | Path | None = None, backend: str | None = None) -> None:
        config = settings()
        self.home = Path(home) if home is not None else config.home
        self._engine_kind = backends.store_engine(backend or config.backend)
        self.backend = self._engine_kind.name
        self._engine: BaseBackend | None = None
        #: one line per thing the store did or found on its own (files set aside, damaged files)
        self.notices: list[str] = []
        #: Parquet files (relative paths) that reads skip because they are damaged
        self.damaged: list[str] = []
        self.home.mkdir(parents=True, exist_ok=True)
        if not (self.home / MANIFEST).exists() and (stray := _tree(self.home)):
            raise StoreError(
                f"{self.home}: the manifest {MANIFEST} is missing but the tree holds {len(stray)} Parquet"
                " files; nothing was changed: rebuild the manifest with Store.repair (detente store repair)"
            )
        self._file = self.home / MANIFEST
        self._wait = config.lock_wait
        self.ibis = ibis.duckdb.connect()
        self._con: duckdb.DuckDBPyConnection = self.ibis.con
        with writer_lock_if_free(self.home) as alone:
            if alone:  # no ingest under way: the tree is ours to tidy
                with attached(self._con, self._file, write=True, wait=self._wait):
                    create(self._con)
                    load(self._con)
                    self._bound_ids()
                self._recover()
            else:
                self._load()
        self._refresh_views()

    def _load(self) -> None:
        """Copy the manifest and the derived tables from the file (attached read-only for the copy)."""
        if self._file.exists():
            with attached(self._con, self._file, write=False, wait=self._wait):
                load(self._con)
        else:
            create(self._con, "memory.main")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The file attached read-write for the block: statements name its tables ``_detente_file.<t>``."""
        with attached(self._con, self._file, write=True, wait=self._wait):
            yield

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The in-memory DuckDB connection, for inspection in tests and notebooks; Détente uses the methods."""
        return self._con

    # -- reading ------------------------------------------------------------------
    def events(self) -> ibis.Table:
        """All stored events as an Ibis table (canonical schema) on the store's engine."""
        if self._engine_kind.is_store_connection:
            return self.ibis.table("events")
        return self._engine_kind.events(self.engine(), self.home)

    def engine(self) -> BaseBackend:
        """The Ibis connection :meth:`events` runs on: the store's own (DuckDB), or one made on first use."""
        if self._engine is None:
            kind = self._engine_kind
            self._engine = self.ibis if kind.is_store_connection else kind.configured(settings())
        return self._engine

    def event(self, event_id: str) -> pa.Table:
        """The stored row of ``event_id`` (no row if none), the id passed to DuckDB as a parameter."""
        return self._con.execute("SELECT * FROM events WHERE event_id = ? LIMIT 1", [event_id]).fetch_arrow_table()

    def quarantine(self) -> ibis.Table:
        """All quarantined lines: ingest, source, file, line, raw text, reason."""
        return self.ibis.table("quarantine")

    def ingests(self) -> ibis.Table:
        """The manifest: one row per ingested file with its counts."""
        return self.ibis.table("ingests")

    def table(self, name: str) -> ibis.Table:
        """A side table (``agreements``, ``conflict_years``, ...) or a core table by name."""
        return self.ibis.table(name)

    def version(self) -> tuple[int, str]:
        """(ingested files, last ingest time) as the file has them now, another process's ingests included.

        When they differ from this store's copy, the copy and the views are read again.
        """
        sql = "SELECT count(*), CAST(max(ingested_at) AS VARCHAR) FROM {}ingests"
        mine = self._con.execute(sql.format("")).fetchone() or (0, None)
        if self._file.exists():
            with attached(self._con, self._file, write=False, wait=self._wait):
                now = self._con.execute(sql.format(f"{FILE}.")).fetchone() or (0, None)
                if now != mine:
                    load(self._con)
            if now != mine:
                self._refresh_views()
                mine = now
        return int(mine[0]), str(mine[1])

    def write_table(self, name: str, table: pa.Table) -> None:
        """Create or replace the derived table ``name`` (an identifier) in the DuckDB file."""
        if not name.isidentifier():
            raise ValueError(f"bad table name {name!r}")
        self._con.register("_derived", table)
        try:
            with writer_lock(self.home, self._wait), self._writing():
                self._con.execute(f"CREATE OR REPLACE TABLE {FILE}.main.{name} AS SELECT * FROM _derived")
            self._con.execute(f"CREATE OR REPLACE TABLE memory.main.{name} AS SELECT * FROM _derived")
        finally:
            self._con.unregister("_derived")

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
        scope: Scope | None = None,
    ) -> IngestReport:
        """Ingest one file atomically; never raises for a fault of the file (see ``detente.ingest``).

        ``scope`` (without ``reader``): the countries a GDELT file's rows are kept for. A file stored
        under a narrower scope is read again and only the rows it does not hold yet are stored.
        """
        try:
            with writer_lock(self.home, self._wait):
                self.version()  # another process's ingests are part of what this file can collide with
                ingest = Ingest(self, path, reader, on_stage, scope)
                report = ingest.run()
        except StoreError as exc:
            return IngestReport(str(path), "failed", error=str(exc))
        touched = {ingest.table, *(("quarantine",) if report.rows_quarantined else ())}
        if report.status == "ingested" and not touched <= self._globbed:
            self._refresh_views()  # a tree the views did not read yet (the views glob the others at query time)
        return report

    # -- the manifest, for Ingest ---------------------------------------------------
    def _scratch(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB connection for one ingest (spilling under ``_staging/``).

        Everything a reader and the checks create on it (tables, views, Python functions, which
        DuckDB keeps per database, not per cursor) dies when it is closed.
        """
        con = duckdb.connect()
        con.execute(f"SET temp_directory = {_q(self.home / '_staging' / '_spill')}")
        return con

    def _recorded(self, ingest_id: str) -> dict[str, Any] | None:
        """The manifest row of an ingest (also found by its 16-digit tag), None if not recorded."""
        cur = self._con.execute(
            "SELECT * FROM ingests WHERE ingest_id = ? OR ingest_id = ?", [ingest_id, ingest_id[:ID_LEN]]
        )
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def _colliding(self, bounds: list[tuple[str, int, str, str]]) -> list[Path]:
        """Stored events files that may hold an id of ``bounds`` ((source, year, smallest id, largest id)).

        Found in the manifest (not by listing the tree): the files of that source and year whose id
        range overlaps, and those whose range is not recorded. The cost does not grow with the store.
        """
        paths: list[str] = []
        for source, year, lo, hi in bounds:
            paths += [
                r[0]
                for r in self._con.execute(
                    "SELECT path FROM ingest_files WHERE starts_with(path, ?)"
                    " AND (id_min IS NULL OR (id_min <= ? AND id_max >= ?)) ORDER BY path",
                    [f"events/source={source}/year={year}/", hi, lo],
                ).fetchall()
            ]
        return [self.home / p for p in paths]

    def _files_of(self, ingest_id: str) -> list[tuple[str, int, str]]:
        """(path, rows, sha256) of every file the manifest records for an ingest."""
        return self._con.execute(
            "SELECT path, rows, sha256 FROM ingest_files WHERE ingest_id = ? OR ingest_id = ? ORDER BY path",
            [ingest_id, ingest_id[:ID_LEN]],
        ).fetchall()

    def _damage(self, ingest_id: str) -> list[str]:
        """Recorded files of an ingest that are missing or not whole Parquet files."""
        return [p for p, _, _ in self._files_of(ingest_id) if not parquet_intact(self.home / p)]

    def _forget(self, ingest_id: str) -> None:
        """Set what is left of an ingest's files aside and drop it from the manifest (to ingest it again)."""
        tag = ingest_id[:ID_LEN]
        left = [f for f in _tree(self.home) if _tag(f) == tag]
        if left:
            self._trash(left, f"of damaged ingest {tag}")
        with self._writing():
            for table in ("ingests", "ingest_files"):
                for db in (FILE, "memory"):
                    self._con.execute(
                        f"DELETE FROM {db}.main.{table} WHERE ingest_id = ? OR ingest_id = ?", [ingest_id, tag]
                    )

    def _record(self, ingest: list[object], files: list[tuple[object, ...]], replace: bool = False) -> None:
        """Commit an ingest: its manifest row (replacing its old one) and its new files, in one transaction."""
        con = self._con
        with self._writing():
            con.execute("BEGIN")
            try:
                self._write_row(FILE, ingest, files, replace)
                con.execute("COMMIT")  # the commit point of the ingest
            except BaseException:
                con.execute("ROLLBACK")
                raise
        self._write_row("memory", ingest, files, replace)

    def _write_row(self, db: str, ingest: list[object], files: list[tuple[object, ...]], replace: bool) -> None:
        if replace:
            self._con.execute(f"DELETE FROM {db}.main.ingests WHERE ingest_id = ?", [ingest[0]])
        self._con.execute(insert(db, "ingests"), ingest)
        if files:
            self._con.executemany(insert(db, "ingest_files"), files)

    # -- checking and repairing -----------------------------------------------------
    def verify(self) -> Verification:
        """Compare the tree with the manifest: every recorded file present, whole, with its rows and checksum.

        Also reports files the manifest does not know and publishes left unfinished. Reads only.
        """
        problems: list[str] = []
        recorded = self._con.execute(
            "SELECT f.path, f.rows, f.sha256, i.file_name FROM ingest_files f JOIN ingests i USING (ingest_id)"
            " ORDER BY f.path"
        ).fetchall()
        rows = 0
        for rel, n, sha, origin in recorded:
            f = self.home / rel
            if not f.exists():
                problems.append(f"missing: {rel} ({n:,} rows of {origin})")
            elif not parquet_intact(f):
                problems.append(f"damaged: {rel} is not a whole Parquet file ({origin})")
            elif (got := pq.read_metadata(f).num_rows) != n:
                problems.append(f"row count: {rel} holds {got:,} rows, the manifest says {n:,} ({origin})")
            elif file_sha256(f) != sha:
                problems.append(f"checksum: {rel} differs from the file that was published ({origin})")
            else:
                rows += n
        known = {r[0] for r in recorded}
        tags = {r[0][:ID_LEN] for r in self._con.execute("SELECT ingest_id FROM ingests").fetchall()}
        with_files = {
            r[0][:ID_LEN] for r in self._con.execute("SELECT DISTINCT ingest_id FROM ingest_files").fetchall()
        }
        tree = _tree(self.home)
        for f in tree:
            rel = str(f.relative_to(self.home))
            if _tag(f) not in tags:
                problems.append(f"unknown: {rel} belongs to no ingest in the manifest")
            elif rel not in known and _tag(f) in with_files:
                problems.append(f"unrecorded: {rel} is not among the files of ingest {_tag(f)}")
        for journal in sorted((self.home / "_journal").glob("*.json")):
            problems.append(f"interrupted: the publish of ingest {journal.stem} did not finish")
        return Verification(files=len(tree), rows=rows, problems=tuple(problems))

    @classmethod
    def repair(cls, home: str | Path | None = None) -> list[str]:
        """Rebuild the manifest of ``home`` from its tree; one line per ingest it recorded again.

        Every ingest tag found in the tree but not in the manifest (all of them when the DuckDB file
        is missing) is recorded from its files: source, table, file name, rows, dates and checksums.
        Its id is the 16-digit tag of the file names (the full hash is not in the tree), which
        re-ingesting the same file still recognises. Nothing in the tree is moved or changed.
        """
        config = settings()
        home = Path(home) if home is not None else config.home
        con = duckdb.connect()
        try:
            with writer_lock(home, config.lock_wait), attached(con, home / MANIFEST, write=True, wait=config.lock_wait):
                create(con)
                tags = {r[0][:ID_LEN] for r in con.execute(f"SELECT ingest_id FROM {FILE}.ingests").fetchall()}
                groups: dict[str, list[Path]] = {}
                for f in _tree(home):
                    if _tag(f) not in tags:
                        groups.setdefault(_tag(f), []).append(f)
                return [_rebuild(con, home, tag, files) for tag, files in sorted(groups.items())]
        finally:
            con.close()

    # -- housekeeping -------------------------------------------------------------
    def _trash(self, files: list[Path], why: str) -> Path:
        """Move ``files`` (in the tree) to a new ``_trash/<time>/`` folder, keeping their paths; noted."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        trash = self.home / "_trash" / stamp
        for f in files:
            dest = trash / f.relative_to(self.home)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(f, dest)
        self.notices.append(f"moved {len(files)} file(s) {why} to {trash}")
        return trash

    def _bound_ids(self) -> None:
        """Record the id range of the events files that have none (written before decision 084, or rebuilt)."""
        con = self._con
        for (rel,) in con.execute(
            "SELECT path FROM memory.main.ingest_files WHERE id_min IS NULL AND starts_with(path, 'events/')"
        ).fetchall():
            if parquet_intact(f := self.home / rel):
                lo, hi = con.execute(f"SELECT min(event_id), max(event_id) FROM read_parquet({_q(f)})").fetchone()  # type: ignore[misc]
                for db in (FILE, "memory"):
                    con.execute(
                        f"UPDATE {db}.main.ingest_files SET id_min = ?, id_max = ? WHERE path = ?", [lo, hi, rel]
                    )

    def _recover(self) -> None:
        """Undo interrupted publishes (journal files only); set any other unknown file aside."""
        shutil.rmtree(self.home / "_staging", ignore_errors=True)
        known = {r[0][:ID_LEN] for r in self._con.execute("SELECT ingest_id FROM ingests").fetchall()}
        journals = self.home / "_journal"
        for tmp in journals.glob("*.tmp"):
            tmp.unlink()  # a journal never completed: its publish had not begun
        recorded = {r[0] for r in self._con.execute("SELECT path FROM ingest_files").fetchall()}
        for journal in sorted(journals.glob("*.json")):
            for rel in json.loads(journal.read_text("utf-8"))["files"]:
                f = self.home / rel  # a file of a publish that did not reach its commit
                inside = f.resolve().is_relative_to(self.home.resolve()) and f.name.startswith(journal.stem)
                if rel not in recorded and inside:
                    f.unlink(missing_ok=True)
            journal.unlink()
        unknown = [f for f in _tree(self.home) if _tag(f) not in known]
        if unknown:
            self._trash(unknown, "unknown to the manifest")

    def _refresh_views(self) -> None:
        """(Re)create the temp views over the intact Parquet files of the tree (damaged ones listed)."""
        con = self._con
        self.damaged = []
        self._globbed: set[str] = set()  # views that read their whole tree by a glob
        for name, top, schema in (
            ("events", self.home / "events", EVENT_SCHEMA),
            ("quarantine", self.home / "quarantine", QUARANTINE_SCHEMA),
        ):
            scan = self._scan(top, name)
            if scan is None:
                select = empty(schema)
            else:
                cols = ", ".join(f"CAST({f.name} AS {sql_type(f.type)}) AS {f.name}" for f in schema)
                select = f"SELECT {cols} FROM {scan}"
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
        tables = self.home / "tables"
        if tables.is_dir():
            for sub in sorted(p for p in tables.iterdir() if p.is_dir() and p.name.isidentifier()):
                if scan := self._scan(sub, sub.name):
                    con.execute(f"CREATE OR REPLACE TEMP VIEW {sub.name} AS SELECT * FROM {scan}")
        for rel in self.damaged:
            self.notices.append(f"skipped damaged file {rel} (see Store.verify)")

    def _scan(self, top: Path, view: str) -> str | None:
        """``read_parquet`` of the intact files under ``top`` (a glob when all are), None if there are none."""
        files = sorted(top.rglob("*.parquet"))
        whole = [f for f in files if parquet_intact(f)]
        self.damaged += [str(f.relative_to(self.home)) for f in files if f not in whole]
        if not whole:
            return None
        if len(whole) == len(files):
            self._globbed.add(view)
        which = _q(top / "**" / "*.parquet") if len(whole) == len(files) else "[" + ", ".join(map(_q, whole)) + "]"
        return f"read_parquet({which}, hive_partitioning = true, union_by_name = true)"


def _rebuild(con: duckdb.DuckDBPyConnection, home: Path, tag: str, files: list[Path]) -> str:
    """Record one ingest from its files in the tree (see :meth:`Store.repair`); a line saying so."""
    rel = [str(f.relative_to(home)) for f in files]
    data = [f for f, r in zip(files, rel, strict=True) if not r.startswith("quarantine/")]
    quarantine = [f for f in files if f not in data]
    top = rel[0].split("/")
    table = top[1] if top[0] == "tables" else "events"
    source = next(p.removeprefix("source=") for p in rel[0].split("/") if p.startswith("source="))
    whole = [f for f in data if parquet_intact(f)]
    stored, first, last, name = 0, None, None, None
    if whole:
        listed = "[" + ", ".join(map(_q, whole)) + "]"
        dates = "min(date), max(date)" if table == "events" else "NULL, NULL"
        stored, first, last, name = con.execute(
            f"SELECT count(DISTINCT source_line), {dates}, any_value(source_file)"
            f" FROM read_parquet({listed}, union_by_name = true)"
        ).fetchone()  # type: ignore[misc]
    quarantined = sum(pq.read_metadata(f).num_rows for f in quarantine if parquet_intact(f))
    if name is None and quarantine:
        name = pq.read_table(quarantine[0], columns=["source_file"]).column(0)[0].as_py()
    mtime = datetime.fromtimestamp(max(f.stat().st_mtime for f in files), UTC)
    con.execute(
        insert(FILE, "ingests"),
        [
            tag, source, None, table, None, name, None,
            stored + quarantined, stored, quarantined, first, last, mtime, 0.0, 0, None,
        ],
    )
    recorded = [(tag, r, pq.read_metadata(f).num_rows, file_sha256(f), None, None)
                for f, r in zip(files, rel, strict=True) if parquet_intact(f)]
    if recorded:
        con.executemany(insert(FILE, "ingest_files"), recorded)
    return (
        f"recorded ingest {tag} of {name or '?'}: {len(files)} file(s), {stored:,} rows stored, "
        f"{quarantined:,} quarantined"
    )
