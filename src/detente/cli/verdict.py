"""``verdict``: the call of a month (deteriorated, improved, unchanged, with the two flags) and its evidence."""

from __future__ import annotations

from typing import Annotated

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

_SHOWN = ["month", "verdict", "risk_alert", "resolution_opportunity", "index", "delta", "noise_sd", "z",
          "deterioration", "improvement", "reason", "event_ids"]  # fmt: skip


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
    d = parse_dyad(None, dyad, hint="--dyad")
    first = first_day(month or since, "--month" if month else "--since")
    frame = monthly_verdicts(open_store(ctx), d, start=first, end=first if month else None)
    if month and frame.empty:
        raise typer.BadParameter(f"no index of {d} for {month}", param_hint="--month")
    emit(round_floats(arrow_table(frame, fmt, _SHOWN), 2), fmt, output, title=f"{d} monthly verdict")
    if chart:
        from ..indicators.charts import save_chart

        save_chart(verdict_chart(frame, f"{d}: monthly verdict"), chart)
