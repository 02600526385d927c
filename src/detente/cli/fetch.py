"""The ``detente fetch`` group: ``gdelt``, the GDELT event exports of a date range, MD5-verified and resumable."""

from __future__ import annotations

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
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Download GDELT event exports for a date range, MD5-verified and resumable."""
    from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TransferSpeedColumn

    from ..sources.fetch import DEFAULT_BASE_URL, ProgressEvent, fetch_gdelt

    first, last = first_day(start, "--start"), last_day(end, "--end")
    if first is None or last is None or first > last:
        raise typer.BadParameter("--start must be on or before --end", param_hint="--start")
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
