"""``verdict``: the call of a month (deteriorated, improved, unchanged, with the two flags) and its evidence."""

from __future__ import annotations

from typing import Annotated

import pyarrow as pa
import typer

from ._options import (
    ChartOpt,
    DyadOpt,
    Format,
    FormatOpt,
    OutputOpt,
    arrow_table,
    command_app,
    emit,
    first_day,
    open_store,
    parse_dyad,
    round_floats,
)

__all__ = ["app", "verdict"]

app = command_app()

_SHOWN = ["month", "verdict", "risk_alert", "resolution_opportunity", "tension", "delta", "noise_sd", "z",
          "deterioration", "improvement", "reason", "event_ids"]  # fmt: skip


def _typed(table: pa.Table) -> pa.Table:
    """List columns empty in every row (no reversal this month) typed as lists of strings, not of nulls."""
    fields = [pa.field(f.name, pa.list_(pa.string())) if f.type == pa.list_(pa.null()) else f for f in table.schema]
    return table.cast(pa.schema(fields))


@app.command("verdict")
def verdict(
    ctx: typer.Context,
    dyad: DyadOpt = None,
    month: Annotated[str | None, typer.Option("--month", help="one month, YYYY-MM")] = None,
    since: Annotated[str | None, typer.Option("--since", help="every month from YYYY-MM (default: all)")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Monthly verdict: deteriorated / improved / unchanged, risk alert, resolution opportunity, with evidence."""
    from ..verdict import monthly_verdicts, verdict_chart

    if month and since:
        raise typer.BadParameter("give --month or --since, not both", param_hint="--month")
    if fmt is Format.parquet and output is None:
        raise typer.BadParameter("parquet needs --output PATH", param_hint="--format")
    if chart is not None and chart.suffix.lower() not in (".png", ".svg", ".json"):
        raise typer.BadParameter("must end in .png, .svg or .json", param_hint="--chart")
    d = parse_dyad(None, dyad, hint="--dyad")
    first = first_day(month or since, "--month" if month else "--since")
    frame = monthly_verdicts(open_store(ctx), d, start=first, end=first if month else None)
    if month and frame.empty:
        raise typer.BadParameter(f"no index of {d} for {month}", param_hint="--month")
    table = _typed(arrow_table(frame, fmt, _SHOWN))
    emit(round_floats(table, 2) if fmt is Format.table else table, fmt, output, title=f"{d} monthly verdict")
    if chart:
        from ..indicators.charts import save_chart

        save_chart(verdict_chart(frame, f"{d}: monthly verdict"), chart)
