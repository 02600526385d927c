"""The store's DuckDB file, held only for the moment of a read or a write, and the writer's lock.

A :class:`~detente.store.Store` works on an in-memory DuckDB connection: on open it copies the
manifest and the derived tables from ``detente.duckdb`` (attached read-only for a few
milliseconds), and each write (an ingest's commit, a derived table) attaches the file read-write for
that write only. So readers (the CLI, a notebook, the dashboard) never hold the file and work while
a server or an ingest runs. Writers take ``.writer.lock`` (``flock``) for a whole ingest, so two
ingests never check duplicates against the same tree at once; the second waits
(``DETENTE_LOCK_WAIT`` seconds), then gets a one-line refusal.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb
import pyarrow as pa

from .rules import sql_type
from .schema import INGEST_FILE_SCHEMA, INGEST_SCHEMA

__all__ = ["FILE", "MANIFEST", "StoreError", "attached", "create", "insert", "load", "writer_lock"]

#: the manifest's file name under the store's home
MANIFEST = "detente.duckdb"
#: the name the file is attached under
FILE = "_detente_file"
#: the manifest tables. Their keys (``ingest_id``, ``path``) are kept unique by the ingest itself, under
#: the writer lock, not by a PRIMARY KEY: DuckDB rewrites a key's whole index at every commit's
#: checkpoint, a cost that grew with the store (decision 084)
TABLES = {"ingests": INGEST_SCHEMA, "ingest_files": INGEST_FILE_SCHEMA}
#: what the rows recorded before a column was added hold in it, when not NULL
ADDED = {"rows_out_of_scope": "0"}


class StoreError(Exception):
    """The store cannot be opened or written as asked (missing manifest, busy); one line."""


def _q(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


@contextmanager
def attached(con: duckdb.DuckDBPyConnection, path: Path, *, write: bool, wait: float) -> Iterator[None]:
    """``path`` attached to ``con`` as :data:`FILE` for the block, waiting up to ``wait`` s for a holder."""
    deadline = time.monotonic() + wait
    mode = "" if write else " (READ_ONLY)"
    while True:
        try:
            con.execute(f"ATTACH {_q(path)} AS {FILE}{mode}")
            break
        except (duckdb.IOException, duckdb.BinderException) as exc:
            text = str(exc)
            if "lock" not in text.lower() and "already attached" not in text:
                raise
            if time.monotonic() >= deadline:
                holder = text.split("(PID ", 1)[1].split(")", 1)[0] if "(PID " in text else "?"
                raise StoreError(
                    f"the store {path.parent} is in use by another process (PID {holder}):"
                    " wait for it to finish (or stop it) and try again"
                ) from None
            time.sleep(0.05)
    try:
        yield
    finally:
        con.execute(f"DETACH {FILE}")


def create(con: duckdb.DuckDBPyConnection, schema: str = FILE) -> None:
    """The manifest tables in ``schema`` (the attached file, or ``memory.main`` for in-memory copies).

    A manifest written before a column existed gets it (decision 085): rows recorded before then
    hold :data:`ADDED` for it (``rows_out_of_scope`` 0: nothing was left out) or NULL (``scope``:
    everything; ``id_min``/``id_max``: not known, so duplicate checks always read that file). A table
    made with a PRIMARY KEY (before decision 084) is copied to one without, in one transaction.
    """
    database = schema.split(".")[0]
    for name, fields in TABLES.items():
        cols = ", ".join(f"{f.name} {sql_type(f.type)}" for f in fields)
        con.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{name} ({cols})")
        keyed = con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE database_name = ? AND schema_name = 'main'"
            " AND table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [database, name],
        ).fetchone()
        if keyed and keyed[0]:
            con.execute("BEGIN")
            con.execute(f"CREATE TABLE {schema}._unkeyed AS SELECT * FROM {schema}.{name}")
            con.execute(f"DROP TABLE {schema}.{name}")
            con.execute(f"ALTER TABLE {schema}._unkeyed RENAME TO {name}")
            con.execute("COMMIT")
        have = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main'"
                " AND table_name = ?",
                [database, name],
            ).fetchall()
        }
        for f in fields:
            if f.name not in have:
                default = f" DEFAULT {ADDED[f.name]}" if f.name in ADDED else ""
                con.execute(f"ALTER TABLE {schema}.{name} ADD COLUMN {f.name} {sql_type(f.type)}{default}")


def insert(database: str, table: str) -> str:
    """``INSERT`` of one row of a manifest table into ``database`` (``_detente_file`` or ``memory``), by name."""
    names = [f.name for f in TABLES[table]]
    return f"INSERT INTO {database}.main.{table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Copy every table of the attached file into ``con``'s in-memory database (replacing copies)."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'", [FILE]
        ).fetchall()
    ]
    for name in names:
        con.execute(f'CREATE OR REPLACE TABLE memory.main."{name}" AS SELECT * FROM {FILE}.main."{name}"')
    create(con, "memory.main")


def empty(schema: pa.Schema) -> str:
    """SQL selecting no rows of ``schema``'s columns and types."""
    cols = ", ".join(f"CAST(NULL AS {sql_type(f.type)}) AS {f.name}" for f in schema)
    return f"SELECT {cols} WHERE false"


@contextmanager
def writer_lock(home: Path, wait: float) -> Iterator[None]:
    """The store's writer lock for the block; a :class:`StoreError` naming the holder after ``wait`` s."""
    fh = _try_lock(home, wait)
    if fh is None:
        holder = (home / ".writer.lock").read_text("utf-8").strip() or "?"
        raise StoreError(
            f"another process (PID {holder}) is writing to the store {home}: wait for it to finish, then try again"
        )
    try:
        yield
    finally:
        fh.close()


def _try_lock(home: Path, wait: float) -> IO[str] | None:
    """The open, locked lock file (PID written in it), or None if another holder keeps it ``wait`` s."""
    fh = open(home / ".writer.lock", "a+", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                fh.close()
                return None
            time.sleep(0.05)
    fh.truncate(0)
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


@contextmanager
def writer_lock_if_free(home: Path) -> Iterator[bool]:
    """The writer lock for the block if no one holds it now: True, else False (never waits)."""
    fh = _try_lock(home, 0.0)
    try:
        yield fh is not None
    finally:
        if fh is not None:
            fh.close()
