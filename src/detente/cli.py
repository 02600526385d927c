"""The ``detente`` command line. Thin: parse, call the API, render."""

from __future__ import annotations

import os
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from . import backends
from .api.commands import serve
from .analysis.commands import claims, csis_2016_command, event_study_command, reciprocity
from .bargaining.commands import bargain
from .dyad import Dyad
from .forecast.commands import backtest, forecast, scenario
from .indicators.commands import index, military, phases, series
from .kb import timeline_path
from .kb.commands import agreement, agreements, incidents, kb_table, timeline
from .output import Format, emit
from .report.commands import brief
from .sources.detect import UNRECOGNISED
from .store import IngestReport, Store
from .theatres.commands import lessons, theatre, theatres

app = typer.Typer(help="Détente: a peace-process observatory for border conflicts.", no_args_is_help=True)
fetch_app = typer.Typer(help="Download raw event files.", no_args_is_help=True)
analyze_app = typer.Typer(
    help="Analyses: reciprocity, event studies, CSIS 2016 replication, claims, phases.", no_args_is_help=True
)
err = Console(stderr=True)

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv, json or parquet")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")]
#: files that sit beside data but are documentation, never data
_DOCS = {".md", ".txt", ".pdf"}


class Engine(str, Enum):
    """Engines ``--backend`` accepts (``spark`` is ``pyspark``)."""

    duckdb = "duckdb"
    spark = "spark"
    pyspark = "pyspark"


@app.callback()
def _engine(
    backend: Annotated[
        Engine | None,
        typer.Option(
            "--backend",
            help="engine of the events queries for this run (default: DETENTE_BACKEND, else duckdb)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Select the query engine: ``--backend`` sets ``DETENTE_BACKEND`` for this process."""
    if backend is None:
        return
    name = backends.parse_backend(backend.value)
    try:
        backends.require(name)
    except backends.BackendNotInstalled as exc:
        err.print(f"[red]error[/] {exc}")
        raise typer.Exit(2) from None
    os.environ["DETENTE_BACKEND"] = name


def _ingest_all(store: Store, paths: list[Path]) -> list[IngestReport]:
    reports: list[IngestReport] = []
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=len(paths))
        for path in paths:
            def stage(s: str, name: str = path.name) -> None:
                progress.update(task, description=f"{name}: {s}")

            reports.append(store.ingest(path, on_stage=stage))
            progress.advance(task)
    return reports


def _report_table(reports: list[IngestReport]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "file": Path(r.path).name, "status": r.status, "source": r.source, "format": r.format,
                "rows_read": r.rows_read, "rows_stored": r.rows_stored,
                "rows_quarantined": r.rows_quarantined, "seconds": round(r.seconds, 3), "error": r.error,
            }
            for r in reports
        ]
    )


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
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest")],
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Ingest event files (format auto-detected); re-ingesting a file adds nothing."""
    store = Store()
    reports = _ingest_all(store, _expand(paths))
    emit(_report_table(reports), fmt, output, title="ingest")
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(1)


@app.command()
def init(
    data: Annotated[Path | None, typer.Option(help="also ingest every recognised file under this folder")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Build the store from the shipped knowledge base (and optional raw data) and summarise it."""
    store = Store()
    shipped = timeline_path()
    reports = _ingest_all(store, [shipped, *(_expand([data]) if data else [])])
    failed = [r for r in reports if r.status == "failed"]
    other = sorted(Path(r.path).name for r in failed if UNRECOGNISED in (r.error or ""))
    if other:
        err.print(f"[yellow]skipped {len(other)} files that are not event data[/] ({', '.join(other)})")
    for r in failed:
        if UNRECOGNISED not in (r.error or ""):
            err.print(f"[red]failed[/] {Path(r.path).name}: {r.error}")
    emit(_sources_table(store), fmt, output, title=f"store at {store.home}")


def _sources_table(store: Store) -> pa.Table:
    t = store.ingests()
    return (
        t.order_by([t.source, t.file_name])
        .select(
            "source", "format", "file_name", "rows_read", "rows_stored", "rows_quarantined",
            "date_min", "date_max",
        )
        .to_pyarrow()
    )


@app.command()
def sources(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """Rows read, stored and quarantined per source and file, with the date span."""
    emit(_sources_table(Store()), fmt, output, title="sources")


@app.command()
def quarantine(
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    file: Annotated[str | None, typer.Option(help="only this file name")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1000,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Rejected lines: file, line number, raw text and reason."""
    q = Store().quarantine()
    if source:
        q = q.filter(q.source == source)
    if file:
        q = q.filter(q.source_file == file)
    q = q.order_by([q.source_file, q.source_line]).limit(limit)
    emit(q.select("source", "source_file", "source_line", "reason", "raw").to_pyarrow(), fmt, output, "quarantine")


def _parse_date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint=flag) from None


@app.command()
def events(
    actor: Annotated[str | None, typer.Option(help="ISO3 code on either side, e.g. PRK")] = None,
    dyad: Annotated[str | None, typer.Option(help="A>B (directed) or A-B (either direction)")] = None,
    start: Annotated[str | None, typer.Option(help="first date, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="last date, YYYY-MM-DD")] = None,
    category: Annotated[str | None, typer.Option(help="e.g. missile_test, summit")] = None,
    source: Annotated[str | None, typer.Option(help="e.g. gdelt2, icews, cns, kb")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Events from the store, filtered; newest first."""
    t = Store().events()
    preds = []
    if dyad:
        try:
            preds.append(Dyad.parse(dyad).filter(t))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--dyad") from None
    if actor:
        code = actor.upper()
        preds.append((t.actor1_country == code) | (t.actor2_country == code))
    if (d := _parse_date(start, "--start")) is not None:
        preds.append(t.date >= d)
    if (d := _parse_date(end, "--end")) is not None:
        preds.append(t.date <= d)
    if category:
        preds.append(t.category == category)
    if source:
        preds.append(t.source == source)
    if preds:
        t = t.filter(*preds)
    t = t.order_by([t.date.desc(), t.event_id]).limit(limit)
    columns = None if fmt in (Format.csv, Format.json, Format.parquet) else [
        "event_id", "date", "actor1_country", "actor2_country", "event_code", "quad_class",
        "goldstein", "category", "description",
    ]
    result = t.to_pyarrow()
    emit(result.select(columns) if columns else result, fmt, output, title="events")


# indicators and analyses (detente.indicators, detente.analysis)
app.command()(series)
app.command()(index)
app.command()(military)
app.command()(phases)
app.add_typer(analyze_app, name="analyze")
analyze_app.command()(reciprocity)
analyze_app.command("event-study")(event_study_command)
analyze_app.command("csis-2016")(csis_2016_command)
analyze_app.command()(claims)
analyze_app.command()(phases)

# knowledge base and agreement tracker (detente.kb.commands)
app.command()(agreements)
app.command()(agreement)
app.command()(timeline)
app.command()(incidents)
app.command("kb")(kb_table)
app.command()(bargain)
app.command()(forecast)
app.command()(backtest)
app.command()(scenario)
app.command()(brief)
app.command()(serve)
app.command()(theatres)
app.command()(theatre)
app.command()(lessons)
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("gdelt")
def fetch_gdelt_cmd(
    start: Annotated[str, typer.Option(help="first day, YYYY-MM-DD (UTC)")],
    end: Annotated[str, typer.Option(help="last day, YYYY-MM-DD (UTC), inclusive")],
    dest: Annotated[Path, typer.Option(help="folder for the downloaded files")] = Path("gdelt"),
    version: Annotated[int, typer.Option(min=1, max=2, help="GDELT 1 (daily) or 2 (15-minute)")] = 2,
    base_url: Annotated[str | None, typer.Option(help="mirror root holding gdeltv2/ and events/")] = None,
    ingest_files: Annotated[bool, typer.Option("--ingest", help="ingest the verified files afterwards")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Download GDELT event exports for a date range, MD5-verified and resumable."""
    from .sources.fetch import DEFAULT_BASE_URL, ProgressEvent, fetch_gdelt

    first, last = _parse_date(start, "--start"), _parse_date(end, "--end")
    if first is None or last is None or first > last:
        raise typer.BadParameter("--start must be on or before --end", param_hint="--start")
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
        TransferSpeedColumn(), console=err, transient=True,
    ) as progress:
        task = progress.add_task("reading file list", total=None)

        def on_event(ev: ProgressEvent) -> None:
            if ev.kind == "plan":
                progress.update(task, total=ev.bytes_total, description=f"{ev.files_total} files")
            elif ev.kind == "bytes":
                progress.update(task, advance=ev.nbytes, description=ev.name or "")

        report = fetch_gdelt(first, last, dest, version=version, base_url=base_url or DEFAULT_BASE_URL,
                             progress=on_event)
    if report.error:
        err.print(f"[red]error[/] {report.error}")
        raise typer.Exit(1)
    for problem in report.problems:
        err.print(f"[yellow]list line {problem.line}[/] of {problem.list_name}: {problem.reason}")
    rows = [
        {"file": f.name, "status": f.status, "size": f.size, "md5": f.md5, "attempts": f.attempts,
         "resumed_from": f.resumed_from, "error": f.error}
        for f in report.files
    ]
    emit(pa.Table.from_pylist(rows) if rows else pa.table({"file": pa.array([], pa.string())}), fmt, output,
         title=f"GDELT {version} files {first}..{last}")
    if ingest_files:
        store = Store()
        reports = _ingest_all(store, [f.path for f in report.files if f.ok and f.path])
        emit(_report_table(reports), Format.table, None, title="ingest")
    if not report.ok:
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
