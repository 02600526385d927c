"""What every command shares: output options, the period and dyad parsers, the store, the stderr console.

A period is written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` wherever a date is asked for: a start
takes its first day, an end (``--end``, ``--until``, ``--as-of``) its last day. Text that comes from
data or from the user is printed on the terminal as plain text (:func:`note`), never as rich markup.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.text import Text

from ._output import Format, emit, printable

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ..dyad import Dyad
    from ..store import Store

__all__ = [
    "ChartOpt",
    "DyadArg",
    "DyadOpt",
    "EndOpt",
    "Format",
    "FormatOpt",
    "FreqOpt",
    "OutputOpt",
    "Period",
    "Run",
    "StartOpt",
    "TheatreOpt",
    "arrow_table",
    "command_app",
    "emit",
    "err",
    "first_day",
    "frequency_and_span",
    "last_day",
    "note",
    "open_store",
    "parse_dyad",
    "parse_period",
    "parse_theatre",
    "round_floats",
    "theatre_dyad",
]

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv, json or parquet")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")]
DyadArg = Annotated[str | None, typer.Argument(help="A-B (either direction) or A>B (A acting on B); default PRK-KOR")]
DyadOpt = Annotated[str | None, typer.Option("--dyad", help="same as the DYAD argument")]
FreqOpt = Annotated[str, typer.Option("--freq", help="day, week, month or year (or D, W, M, Y)")]
StartOpt = Annotated[str | None, typer.Option("--start", help="first date, YYYY[-MM[-DD]] (default: first event)")]
EndOpt = Annotated[str | None, typer.Option("--end", help="last date, YYYY[-MM[-DD]] (default: last event)")]
TheatreOpt = Annotated[
    str | None,
    typer.Option("--theatre", help="a registry theatre (id, name or alias, e.g. IND-PAK) instead of the dyad"),
]
ChartOpt = Annotated[Path | None, typer.Option("--chart", help="also write a chart: .png, .svg or .json")]

#: the stderr console: progress, warnings and notes (results go to stdout)
err = Console(stderr=True)

_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def command_app(**settings: Any) -> typer.Typer:
    """A typer app as every command module makes one: plain click help and errors, no rich markup (decision 042)."""
    return typer.Typer(rich_markup_mode=None, **settings)


@dataclass(frozen=True)
class Run:
    """What the ``detente`` callback hands every command through ``ctx.obj``: the engine chosen."""

    backend: str | None = None


@dataclass(frozen=True)
class Period:
    """A year, a month or a day, as given: ``form`` says which; ``first`` and ``last`` are its days."""

    first: date
    last: date
    form: Literal["year", "month", "day"]


def parse_period(text: str, flag: str) -> Period:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a :class:`Period`; BadParameter naming ``flag`` otherwise.

    >>> parse_period("2018-02", "--start")
    Period(first=datetime.date(2018, 2, 1), last=datetime.date(2018, 2, 28), form='month')
    """
    m = _PERIOD.fullmatch(text.strip())
    if m is None:
        raise typer.BadParameter(f"{text!r} is not an ISO date: use YYYY, YYYY-MM or YYYY-MM-DD", param_hint=flag)
    year, month, day = int(m[1]), None if m[2] is None else int(m[2]), None if m[3] is None else int(m[3])
    try:
        if month is None:
            return Period(date(year, 1, 1), date(year, 12, 31), "year")
        if day is None:
            first = date(year, month, 1)
            return Period(first, first.replace(day=calendar.monthrange(year, month)[1]), "month")
        return Period(date(year, month, day), date(year, month, day), "day")
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not an ISO date: {exc}", param_hint=flag) from None


def first_day(text: str | None, flag: str) -> date | None:
    """The first day of the period ``text`` (None stays None)."""
    return None if text is None else parse_period(text, flag).first


def last_day(text: str | None, flag: str) -> date | None:
    """The last day of the period ``text`` (None stays None)."""
    return None if text is None else parse_period(text, flag).last


def frequency_and_span(freq: str, start: str | None, end: str | None) -> tuple[str, date | None, date | None]:
    """Validated ``--freq``, the first day of ``--start`` and the last day of ``--end``."""
    from ..indicators.series import parse_freq

    try:
        f = parse_freq(freq)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--freq") from None
    return f, first_day(start, "--start"), last_day(end, "--end")


def parse_dyad(argument: str | None, option: str | None = None, hint: str = "DYAD") -> Dyad:
    """The dyad from the argument or ``--dyad`` (default PRK-KOR); BadParameter on bad syntax."""
    from ..dyad import Dyad

    if argument and option and argument != option:
        raise typer.BadParameter(f"two dyads given: {argument!r} and {option!r}", param_hint="--dyad")
    try:
        return Dyad.parse(argument or option or "PRK-KOR")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=hint) from None


def theatre_dyad(argument: str | None, option: str | None, theatre: str | None) -> Dyad:
    """The dyad of the argument or ``--dyad`` (:func:`parse_dyad`), or of ``--theatre`` (its two states, both ways)."""
    if theatre is None:
        return parse_dyad(argument, option)
    if argument or option:
        raise typer.BadParameter("give a dyad or --theatre, not both", param_hint="--theatre")
    from ..theatres.registry import RegistryError, load_registry

    try:
        return parse_dyad(load_registry().get(theatre).id, hint="--theatre")
    except RegistryError as exc:
        raise typer.BadParameter(str(exc), param_hint="--theatre") from None


def parse_theatre(text: str, hint: str = "DYAD") -> str:
    """A theatre's pair as ``A-B`` (either order; ``A>B`` is read as the pair); BadParameter on bad syntax."""
    d = parse_dyad(text, hint=hint)
    return f"{d.a}-{d.b}"


def open_store(ctx: typer.Context) -> Store:
    """The store, on the engine of ``--backend`` (``ctx.obj``) or of the configuration."""
    from ..store import Store

    run = ctx.find_object(Run)
    return Store(backend=run.backend if run else None)


def arrow_table(frame: pd.DataFrame, fmt: Format, columns: list[str] | None = None) -> pa.Table:
    """The frame as Arrow; list columns (event ids) sorted, and joined with ``;`` for table and CSV output.

    Sorting makes the output the same on every engine and run (an aggregate collects ids in no set
    order). ``columns`` (the readable subset) applies to the terminal table only.
    """
    import pyarrow as pa

    out = (frame[columns] if columns is not None and fmt is Format.table else frame).copy()
    joined = fmt in (Format.table, Format.csv)
    for col in out.columns:
        if len(out) and isinstance(out[col].iloc[0], list):
            out[col] = [";".join(sorted(v)) if joined else sorted(v) for v in out[col]]
    return pa.Table.from_pandas(out, preserve_index=False)


def round_floats(table: pa.Table, digits: int) -> pa.Table:
    """``table`` with its float columns rounded to ``digits`` (for the terminal table)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = [pc.round(c, digits) if pa.types.is_floating(c.type) else c for c in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names)


def note(label: str, message: str = "", style: str = "yellow") -> None:
    """``label`` (ours) in ``style``, then ``message`` as plain text with control characters escaped, on stderr."""
    err.print(Text.assemble((label, style), " " if label and message else "", printable(message)), soft_wrap=True)
