"""``init``, ``ingest``, ``sources`` and ``quarantine``: build the store and say what is in it.

``sources`` reads only the manifest, through a read-only DuckDB connection to the store's file: it
neither opens the store (which recovers interrupted ingests and builds its views) nor imports Ibis,
so it answers in a fraction of a second and cannot change the store (decision 043).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._options import Format, FormatOpt, OutputOpt, command_app, emit, err, note, open_store

if TYPE_CHECKING:
    import pyarrow as pa

    from ..scope import Scope
    from ..store import IngestReport, Store

__all__ = ["app", "ingest", "ingest_all", "init", "quarantine", "report_table", "repair", "sources", "verify"]

app = command_app()
store_app = command_app(help="Check the store against its manifest, or rebuild the manifest from the tree.")
app.add_typer(store_app, name="store")

#: files that sit beside data but are documentation, never data
_DOCS = {".md", ".txt", ".pdf"}
#: the manifest columns ``sources`` shows, in order
_SOURCES = (
    "source", "format", "file_name", "rows_read", "rows_stored", "rows_quarantined", "rows_out_of_scope", "scope",
    "date_min", "date_max",
)  # fmt: skip


def ingest_all(store: Store, paths: list[Path], scope: Scope | None = None) -> list[IngestReport]:
    """Ingest ``paths`` one by one with a progress bar on stderr (file names shown as plain text)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ._output import printable

    reports: list[IngestReport] = []
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("ingesting", total=len(paths))
        for path in paths:

            def stage(s: str, name: str = printable(path.name)) -> None:
                progress.update(task, description=f"{name}: {s}")

            reports.append(store.ingest(path, on_stage=stage, scope=scope))
            progress.advance(task)
    return reports


def report_table(reports: list[IngestReport]) -> pa.Table:
    """One row per ingested file: status, source, format, row accounting, seconds and error."""
    import pyarrow as pa

    return pa.Table.from_pylist(
        [
            {
                "file": Path(r.path).name, "status": r.status, "source": r.source, "format": r.format,
                "rows_read": r.rows_read, "rows_stored": r.rows_stored, "rows_quarantined": r.rows_quarantined,
                "rows_out_of_scope": r.rows_out_of_scope, "seconds": round(r.seconds, 3), "error": r.error,
            }
            for r in reports
        ]
    )  # fmt: skip


def _expand(paths: list[Path]) -> list[Path]:
    """Files named, and the files under folders named: not documentation, hidden files or partial downloads."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and _is_data(f.relative_to(p))))
        else:
            files.append(p)
    return files


def _is_data(relative: Path) -> bool:
    """Whether a file found in a folder may be data (``.part``: a download still under way)."""
    return relative.suffix.lower() not in _DOCS | {".part"} and not any(x.startswith(".") for x in relative.parts)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest")],
    scope: Annotated[str | None, typer.Option(help="GDELT files: a named scope (e.g. korea) to keep")] = None,
    countries: Annotated[str | None, typer.Option(help="GDELT files: ISO3 codes to keep, e.g. PRK,KOR,USA")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Ingest event files (format auto-detected); re-ingesting a file adds nothing.

    A GDELT file stored under a narrower scope than this one's (none: every row) is read again and
    only the rows it does not hold yet are stored.
    """
    from ..scope import ScopeError, resolve_scope

    try:
        chosen = resolve_scope(scope, countries)
    except ScopeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope/--countries") from None
    reports = ingest_all(open_store(ctx), _expand(paths), chosen)
    emit(report_table(reports), fmt, output, title="ingest")
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(1)


@app.command()
def init(
    ctx: typer.Context,
    data: Annotated[Path | None, typer.Option(help="also ingest every recognised file under this folder")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Build the store from the shipped knowledge base (and optional raw data) and summarise it."""
    from ..kb import timeline_path
    from ..sources.detect import UNRECOGNISED

    store = open_store(ctx)
    reports = ingest_all(store, [timeline_path(), *(_expand([data]) if data else [])])
    failed = [r for r in reports if r.status == "failed"]
    other = sorted(Path(r.path).name for r in failed if UNRECOGNISED in (r.error or ""))
    if other:
        note(f"skipped {len(other)} files that are not event data", f"({', '.join(other)})")
    for r in failed:
        if UNRECOGNISED not in (r.error or ""):
            note("failed", f"{Path(r.path).name}: {r.error}", style="red")
    t = store.ingests()
    table = t.order_by([t.source, t.file_name]).select(*_SOURCES).to_pyarrow()
    emit(table, fmt, output, title=f"store at {store.home}")


def _manifest(home: Path) -> pa.Table:
    """The manifest's rows as ``sources`` shows them, read-only (no rows if there is no store yet)."""
    import duckdb

    from ..schema import INGEST_SCHEMA

    path = home / "detente.duckdb"
    if not path.is_file():
        return INGEST_SCHEMA.empty_table().select(list(_SOURCES))
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            columns = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'ingests'")
            have = {r[0] for r in columns.fetchall()}
            added = {"rows_out_of_scope": "CAST(0 AS BIGINT)", "scope": "CAST(NULL AS VARCHAR)"}  # not migrated yet
            cols = ", ".join(c if c in have else f"{added[c]} AS {c}" for c in _SOURCES)
            return con.execute(f"SELECT {cols} FROM ingests ORDER BY source, file_name").fetch_arrow_table()
    except duckdb.Error as exc:
        note("error", f"cannot read the store's manifest {path}: {str(exc).splitlines()[0]}", style="red")
        raise typer.Exit(1) from None


@app.command()
def sources(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """Rows read, stored and quarantined per source and file, with the date span."""
    from ..config import settings

    emit(_manifest(settings().home), fmt, output, title="sources")


@app.command()
def quarantine(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    file: Annotated[str | None, typer.Option(help="only this file name")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1000,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Rejected lines: file, line number, raw text and reason."""
    q = open_store(ctx).quarantine()
    if source:
        q = q.filter(q.source == source)
    if file:
        q = q.filter(q.source_file == file)
    q = q.order_by([q.source_file, q.source_line]).limit(limit)
    emit(q.select("source", "source_file", "source_line", "reason", "raw").to_pyarrow(), fmt, output, "quarantine")


@store_app.command()
def verify() -> None:
    """Compare the Parquet tree with the manifest (files, row counts, checksums); exit 1 on any problem."""
    from ..store import Store, StoreError

    try:
        store = Store()
    except StoreError as exc:
        note("error", str(exc), style="red")
        raise typer.Exit(1) from None
    try:
        check = store.verify()
    finally:
        store.close()
    for line in [*store.notices, *check.problems]:
        note("", line, style="")
    summary = f"{check.files:,} Parquet files, {check.rows:,} rows checked"
    if not check.ok:
        note("problems", f"{len(check.problems)} in {summary}; ingest the named source files again to restore them")
        raise typer.Exit(1)
    note("ok", summary, style="green")


@store_app.command()
def repair() -> None:
    """Record again the ingests whose files are in the tree but missing from the manifest (nothing is deleted)."""
    from ..store import Store, StoreError

    try:
        done = Store.repair()
    except StoreError as exc:
        note("error", str(exc), style="red")
        raise typer.Exit(1) from None
    for line in done or ["nothing to repair: every file in the tree is in the manifest"]:
        note("", line, style="")
