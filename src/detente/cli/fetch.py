"""The ``detente fetch`` group: ``gdelt``, the GDELT event exports of a date range, MD5-verified and resumable,
or (``--via bigquery``) GDELT 2.0's public BigQuery table queried and ingested."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from . import COMMANDS
from ._options import Format, FormatOpt, OutputOpt, command_app, emit, err, first_day, last_day, note, open_store
from ._output import printable
from .store import ingest_all, report_table

__all__ = ["app", "gdelt"]

app = command_app(name="fetch", help=COMMANDS["fetch"][1], no_args_is_help=True)


_TABLE = "gdelt-bq.gdeltv2.events_partitioned"  # gdelt_bigquery.DEFAULT_TABLE (not imported: the CLI loads lazily)


class Via(str, Enum):
    """Where the events come from."""

    http = "http"
    bigquery = "bigquery"


@app.command("gdelt")
def gdelt(
    ctx: typer.Context,
    start: Annotated[str, typer.Option(help="first day, YYYY[-MM[-DD]] (UTC)")],
    end: Annotated[str, typer.Option(help="last day, YYYY[-MM[-DD]] (UTC), inclusive")],
    dest: Annotated[Path, typer.Option(help="folder for the downloaded files")] = Path("gdelt"),
    version: Annotated[int, typer.Option(min=1, max=2, help="GDELT 1 (daily) or 2 (15-minute)")] = 2,
    base_url: Annotated[str | None, typer.Option(help="mirror root holding gdeltv2/ and events/")] = None,
    ingest_files: Annotated[bool, typer.Option("--ingest", help="ingest the verified files afterwards")] = False,
    connections: Annotated[int, typer.Option(min=1, max=32, help="parallel downloads")] = 4,
    via: Annotated[Via, typer.Option(help="http: the files; bigquery: GDELT 2.0's public BigQuery table")] = Via.http,
    scope: Annotated[str | None, typer.Option(help="--via bigquery: a named scope (e.g. korea)")] = None,
    countries: Annotated[str | None, typer.Option(help="--via bigquery: ISO3 codes, e.g. PRK,KOR,USA")] = None,
    project: Annotated[str | None, typer.Option(help="--via bigquery: the Google Cloud project billed")] = None,
    table: Annotated[str, typer.Option(help="--via bigquery: the public table")] = _TABLE,
    yes: Annotated[bool, typer.Option("--yes", help="--via bigquery: run the query after its dry run")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Download GDELT event exports for a date range, MD5-verified and resumable (or query BigQuery)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TransferSpeedColumn

    from ..sources.fetch import DEFAULT_BASE_URL, ProgressEvent, fetch_gdelt

    first, last = first_day(start, "--start"), last_day(end, "--end")
    if first is None or last is None or first > last:
        raise typer.BadParameter("--start must be on or before --end", param_hint="--start")
    if via is Via.bigquery:
        if version != 2:
            raise typer.BadParameter("--via bigquery reads GDELT 2.0 only", param_hint="--version")
        _via_bigquery(ctx, first, last, scope, countries, project, table, yes)
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
        TransferSpeedColumn(), console=err, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("reading file list", total=None)

        def on_event(ev: ProgressEvent) -> None:
            if ev.kind == "plan":
                progress.update(task, total=ev.bytes_total, description=f"{ev.files_total} files")
            elif ev.kind == "bytes":
                progress.update(task, advance=ev.nbytes, description=printable(ev.name or ""))

        report = fetch_gdelt(first, last, dest, version=version, base_url=base_url or DEFAULT_BASE_URL,
                             connections=connections, progress=on_event)  # fmt: skip
    if report.error:
        note("error", report.error, style="red")
        raise typer.Exit(1)
    for problem in report.problems:
        note(f"list line {problem.line}", f"of {problem.list_name}: {problem.reason}")
    rows = [
        {"file": f.name, "status": f.status, "size": f.size, "md5": f.md5, "attempts": f.attempts,
         "resumed_from": f.resumed_from, "error": f.error}
        for f in report.files
    ]  # fmt: skip
    emit(pa.Table.from_pylist(rows) if rows else pa.table({"file": pa.array([], pa.string())}), fmt, output,
         title=f"GDELT {version} files {first}..{last}")  # fmt: skip
    if ingest_files:
        reports = ingest_all(open_store(ctx), [f.path for f in report.files if f.ok and f.path])
        emit(report_table(reports), Format.table, None, title="ingest")
    if not report.ok:
        raise typer.Exit(1)


def _via_bigquery(
    ctx: typer.Context, first: date, last: date, scope: str | None, countries: str | None, project: str | None,
    table: str, yes: bool,
) -> None:  # fmt: skip
    """``fetch gdelt --via bigquery``: dry run, then (``--yes`` or a yes at the prompt) run and ingest."""
    import sys

    from ..backends import BackendNotInstalled
    from ..gdelt_bigquery import BigQueryError, IbisBigQueryClient, describe_bytes, fetch_gdelt_bigquery
    from ..scope import ScopeError, resolve_scope

    try:
        chosen = resolve_scope(scope, countries)
    except ScopeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope/--countries") from None
    try:
        client = IbisBigQueryClient.connect(project_id=project)
    except BackendNotInstalled as exc:
        note("error", str(exc), style="red")
        raise typer.Exit(2) from None
    except BigQueryError as exc:
        note("error", str(exc), style="red")
        raise typer.Exit(1) from None

    def confirm(scanned: int) -> bool:
        note("dry run", f"the query will scan {describe_bytes(scanned)}", style="cyan")
        if yes:
            return True
        if sys.stdin.isatty():
            return typer.confirm("run it?", default=False, err=True)
        note("not run: pass --yes", "to run the query and ingest its rows")
        return False

    try:
        fetch = fetch_gdelt_bigquery(open_store(ctx), first, last, client, scope=chosen, table=table, confirm=confirm)
    except (ValueError, RuntimeError) as exc:
        note("error", str(exc), style="red")
        raise typer.Exit(1) from None
    if not fetch.ran:
        return
    note("ran", f"job {fetch.job_id}: {fetch.rows:,} rows", style="green")
    if fetch.ingest is not None:
        emit(report_table([fetch.ingest]), Format.table, None, title="ingest")
        if fetch.ingest.status == "failed":
            raise typer.Exit(1)
