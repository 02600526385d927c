"""CLI commands of the indicators, registered on the main ``detente`` app by ``cli.py``.

``series DYAD`` (dyadic series), ``index DYAD`` (tension index with components), ``military``
(the four military-tension elements) and ``phases DYAD`` (change points, thaw/freeze/stable).
The dyad is given as an argument or with ``--dyad`` (``PRK-KOR`` either direction, ``PRK>KOR``
directed; default ``PRK-KOR``); ``--freq`` takes day/week/month/year or D/W/M/Y. All take
``--format`` and ``--output``; ``--chart FILE.png|.svg|.json`` also draws the table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from ..dyad import Dyad
from ..output import Format, emit
from ..store import Store
from .military import military_elements
from .phases import find_phases
from .series import dyadic_series, parse_freq
from .tension import tension_index

__all__ = ["arrow_table", "index", "military", "parse_dyad", "parse_options", "phases", "series"]

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv, json or parquet")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")]
DyadArg = Annotated[str | None, typer.Argument(help="A-B (either direction) or A>B (A acting on B); default PRK-KOR")]
DyadOpt = Annotated[str | None, typer.Option("--dyad", help="same as the DYAD argument")]
FreqOpt = Annotated[str, typer.Option("--freq", help="day, week, month or year (or D, W, M, Y)")]
StartOpt = Annotated[str | None, typer.Option("--start", help="first date, YYYY-MM-DD (default: first event)")]
EndOpt = Annotated[str | None, typer.Option("--end", help="last date, YYYY-MM-DD (default: last event)")]
IdsOpt = Annotated[bool, typer.Option("--ids", help="add the event ids behind each row")]
ChartOpt = Annotated[Path | None, typer.Option("--chart", help="also write a chart: .png, .svg or .json")]


def parse_dyad(argument: str | None, option: str | None) -> Dyad:
    """The dyad from the argument or ``--dyad`` (default PRK-KOR); BadParameter on bad syntax."""
    if argument and option and argument != option:
        raise typer.BadParameter(f"two dyads given: {argument!r} and {option!r}", param_hint="--dyad")
    try:
        return Dyad.parse(argument or option or "PRK-KOR")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="DYAD") from None


def parse_options(freq: str, start: str | None, end: str | None) -> tuple[str, date | None, date | None]:
    """Validated frequency and dates; BadParameter naming the flag otherwise."""
    try:
        f = parse_freq(freq)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--freq") from None
    dates = []
    for value, flag in ((start, "--start"), (end, "--end")):
        try:
            dates.append(date.fromisoformat(value) if value else None)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint=flag) from None
    return f, dates[0], dates[1]


def arrow_table(frame: pd.DataFrame, fmt: Format, columns: list[str] | None = None) -> pa.Table:
    """The frame as Arrow; list columns (event ids) sorted, and joined with ``;`` for table and CSV output.

    Sorting makes the output the same on every engine and run (an aggregate collects ids in no set
    order). ``columns`` (the readable subset) applies to the terminal table only.
    """
    out = (frame[columns] if columns is not None and fmt is Format.table else frame).copy()
    joined = fmt in (Format.table, Format.csv)
    for col in out.columns:
        if len(out) and isinstance(out[col].iloc[0], list):
            out[col] = [";".join(sorted(v)) if joined else sorted(v) for v in out[col]]
    return pa.Table.from_pandas(out, preserve_index=False)


def series(
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    weight: Annotated[
        str, typer.Option(help="weight of the weighted Goldstein: mentions, sources, articles, none")
    ] = "mentions",
    sources: Annotated[str | None, typer.Option(help="comma-separated event sources, e.g. gdelt2,icews")] = None,
    ids: IdsOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Dyadic series: QuadClass counts, Goldstein sums and means, cooperation, conflict (both directions and their sum)."""
    d = parse_dyad(dyad_arg, dyad)
    f, first, last = parse_options(freq, start, end)
    if weight not in ("mentions", "sources", "articles", "none"):
        raise typer.BadParameter(f"unknown weight {weight!r}", param_hint="--weight")
    chosen = [s.strip() for s in sources.split(",")] if sources else None
    frame = dyadic_series(
        Store(),
        d,
        f,
        start=first,
        end=last,
        sources=chosen,
        weight=weight,  # type: ignore[arg-type]
        event_ids=ids,
    )
    brief = [
        "period",
        "direction",
        "events",
        "material_conflict",
        "verbal_conflict",
        "goldstein_mean",
        "net_cooperation",
        "conflict_share",
    ] + (["event_ids"] if ids else [])
    emit(arrow_table(frame, fmt, brief), fmt, output, title=f"{d} series by {f}")
    if chart:
        from .charts import save_chart, series_chart

        save_chart(series_chart(frame, f"{d}: net cooperation by {f}"), chart)


def index(
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    ids: IdsOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Tension index (0-100) with its components: conflict counts, hostility, cooperation, severity, drills."""
    d = parse_dyad(dyad_arg, dyad)
    f, first, last = parse_options(freq, start, end)
    frame = tension_index(Store(), d, f, start=first, end=last, event_ids=ids)
    brief = [
        "period",
        "index",
        "material_conflict",
        "verbal_conflict",
        "hostility",
        "cooperation",
        "severity",
        "drills",
        "events",
        "incidents",
        "sources_active",
    ] + (["event_ids"] if ids else [])
    emit(arrow_table(frame.round(4), fmt, brief), fmt, output, title=f"{d} tension index by {f}")
    if chart:
        from .charts import index_chart, save_chart

        save_chart(index_chart(frame, f"{d} tension index by {f}"), chart)


def military(
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    ids: IdsOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """The four military-tension elements: drills, troop movements, border incidents, new capabilities."""
    d = parse_dyad(dyad_arg, dyad)
    f, first, last = parse_options(freq, start, end)
    frame = military_elements(Store(), d, f, start=first, end=last, event_ids=ids)
    brief = [
        "period",
        "drill_days",
        "named_exercises",
        "suspensions",
        "troop_movements",
        "border_incidents",
        "border_lethal",
        "launches_icbm",
        "launches_irbm",
        "launches_srbm",
        "nuclear_tests",
        "satellite_launches",
    ]
    emit(arrow_table(frame, fmt, brief), fmt, output, title=f"{d} military-tension elements by {f}")
    if chart:
        from .charts import military_chart, save_chart

        save_chart(military_chart(frame, f"{d} military-tension elements by {f}"), chart)


def phases(
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    min_size: Annotated[int, typer.Option(min=2, help="shortest phase, in periods")] = 6,
    threshold: Annotated[float, typer.Option(help="index points of change that make a thaw or a freeze")] = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Phases of the tension index (change points), labelled thaw / freeze / stable, with their opening events."""
    d = parse_dyad(dyad_arg, dyad)
    f, first, last = parse_options(freq, start, end)
    store = Store()
    idx = tension_index(store, d, f, start=first, end=last)
    frame = find_phases(store, d, f, min_size=min_size, threshold=threshold, index=idx)
    emit(arrow_table(frame, fmt), fmt, output, title=f"{d} phases by {f}")
    if chart:
        from .charts import index_chart, save_chart

        save_chart(index_chart(idx, f"{d} tension index and phases by {f}", frame), chart)
