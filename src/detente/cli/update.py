"""``update`` (bring every configured source up to date) and ``coverage`` (what the store holds, and every gap)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ._options import Format, FormatOpt, OutputOpt, command_app, emit, err, first_day, last_day, note, open_store

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["app", "coverage", "update"]

app = command_app()


@app.command("update")
def update(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="first day, YYYY[-MM[-DD]] (default: after the last run)")] = None,
    until: Annotated[str | None, typer.Option(help="last day, YYYY[-MM[-DD]] (default: today, UTC)")] = None,
    source: Annotated[list[str] | None, typer.Option(help="gdelt2 or gdelt1, repeatable (default: configured)")] = None,
    scope: Annotated[str | None, typer.Option(help="a named scope (e.g. korea) whose countries are kept")] = None,
    countries: Annotated[str | None, typer.Option(help="ISO3 codes to keep, e.g. PRK,KOR,USA")] = None,
    all_countries: Annotated[bool, typer.Option("--all-countries", help="keep every row (no scope)")] = False,
    base_url: Annotated[str | None, typer.Option(help="mirror root holding gdeltv2/ and events/")] = None,
    connections: Annotated[int, typer.Option(min=1, max=32, help="parallel downloads")] = 4,
    check_alerts: Annotated[bool, typer.Option("--alerts/--no-alerts", help="evaluate the alert rules after")] = True,
) -> None:
    """Bring every configured source up to date since its last run: download, check, ingest (safe from cron)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

    from ..scope import Scope, ScopeError, resolve_scope
    from ..sources.fetch import ProgressEvent
    from ..update import UpdateError
    from ..update import update as run_update

    chosen: Scope | Literal["all"] | None
    try:
        chosen = "all" if all_countries else resolve_scope(scope, countries)
    except ScopeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope/--countries") from None
    store = open_store(ctx)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"), TimeRemainingColumn(), console=err, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("reading file lists", total=None, rows=0)

        def on_event(ev: ProgressEvent) -> None:
            if ev.kind == "plan":
                progress.update(task, total=ev.bytes_total, description=f"{ev.files_total} files")
            progress.update(task, completed=ev.bytes_done, rows=ev.rows_done,
                            description=f"{ev.files_done}/{ev.files_total} files")  # fmt: skip

        try:
            report = run_update(store.home, sources=source or None, start=first_day(since, "--since"),
                                end=last_day(until, "--until"), scope=chosen, base_url=base_url,
                                connections=connections, progress=on_event)  # fmt: skip
        except UpdateError as exc:
            note("error", str(exc), style="red")
            raise typer.Exit(1) from None
    for line in report.lines():
        typer.echo(line)
    if check_alerts:
        store.close()
        _alerts(open_store(ctx))  # a fresh view of the store the update wrote to
    if not report.ok:
        raise typer.Exit(1)


@app.command("coverage")
def coverage(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option(help="a source, e.g. gdelt2; repeat for several")] = None,
    start: Annotated[str | None, typer.Option(help="first day, YYYY[-MM[-DD]]")] = None,
    end: Annotated[str | None, typer.Option(help="last day, YYYY[-MM[-DD]]")] = None,
    months: Annotated[bool, typer.Option("--months", help="coverage per month instead of the gaps")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Expected files against what the store holds, per source, and every gap with its reason."""
    from ..coverage import coverage as ledger

    try:
        result = ledger(open_store(ctx), sources=source or None, start=first_day(start, "--start"),
                        end=last_day(end, "--end"))  # fmt: skip
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--source") from None
    if months:
        emit(result.months_table(), fmt, output, title="coverage per month")
    else:
        emit(result.gaps_table(), fmt, output, title="gaps")
    for s in result.sources:
        if s.note:
            note(s.source, s.note)


def _alerts(store: Store) -> None:
    """Evaluate the alert rules on the data as they now stand; say how many fired."""
    from ..alerts import evaluate
    from ..forecast.record import ForecastRecord
    from ..report.context import latest_date

    as_of = latest_date(store)
    if as_of is not None:
        new = evaluate(store, as_of, record=ForecastRecord(store.home))
        note("alerts", f"{len(new)} new as of {as_of} (detente alerts lists them)", style="")
