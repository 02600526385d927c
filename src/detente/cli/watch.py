"""``track-record`` (the forecasts issued, scored and checked) and ``alerts`` (the rules, their history)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from ._options import Format, FormatOpt, OutputOpt, command_app, emit, first_day, note, open_store, round_floats

__all__ = ["alerts", "app", "track_record"]

app = command_app()


@app.command("track-record")
def track_record(
    ctx: typer.Context,
    issue: Annotated[bool, typer.Option("--issue", help="issue forecasts at the data's now, score due ones")] = False,
    subject: Annotated[str, typer.Option(help="whose incidents: an initiator (PRK) or a dyad (PRK>KOR)")] = "PRK",
    context: Annotated[str, typer.Option(help="dyad of the tension index feature")] = "PRK-KOR",
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Live skill of the forecasts Détente issued and logged, against the baselines, and the log's check."""
    from ..forecast.features import build
    from ..forecast.record import ForecastRecord
    from ..report.context import latest_date

    store = open_store(ctx)
    record = ForecastRecord(store.home)
    if issue:
        try:
            data = build(store, subject, context, through=latest_date(store))
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        issued, scored = record.issue(data), record.score(data)
        note("record", f"{len(issued)} forecasts issued from {data.last}, {len(scored)} scored", style="")
    board = record.track_record()
    emit(round_floats(pa.Table.from_pandas(board, preserve_index=False), 4), fmt, output,
         title="live track record (scored forecasts only)")  # fmt: skip
    check = record.verify()
    note("check", str(check), style="" if check.ok else "red")
    if not check.ok:
        raise typer.Exit(1)


@app.command("alerts")
def alerts(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="evaluate the rules now (new alerts fire, are sent)")] = False,
    since: Annotated[str | None, typer.Option(help="list alerts of months from YYYY[-MM[-DD]]")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Alerts fired so far (each once): rule, month, title and evidence; --check evaluates the rules first."""
    from ..alerts import AlertLog, evaluate
    from ..forecast.record import ForecastRecord
    from ..report.context import latest_date

    store = open_store(ctx)
    if check:
        as_of = latest_date(store)
        if as_of is None:
            raise typer.BadParameter("the store holds no events yet: ingest or update first")
        new = evaluate(store, as_of, record=ForecastRecord(store.home))
        note("alerts", f"{len(new)} new as of {as_of}", style="")
    rows = AlertLog(store.home).alerts()
    first = first_day(since, "--since")
    frame = pd.DataFrame(rows)
    if first is not None and not frame.empty:
        frame = frame[frame["month"].astype(str) >= first.strftime("%Y-%m")]
    keep = [c for c in ("fired_at", "rule", "month", "title", "event_ids", "links") if c in frame.columns]
    if frame.empty:
        table = pa.table({c: pa.array([], pa.string()) for c in ("rule", "month", "title")})
    else:
        table = pa.Table.from_pandas(frame[keep].astype(str), preserve_index=False)
    emit(table, fmt, output, title="alerts")
