"""``events``: the stored events, filtered by actor, dyad, period, category and source; newest first.

A dyad lists the events behind its tension index (decision 078). Exports write every row unless
``--limit`` is given; whenever a limit leaves rows out, stderr says how many and how to get them
all (decision 079). A filter that names nothing that exists is an error with the nearest values.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._options import Format, FormatOpt, OutputOpt, command_app, emit, first_day, last_day, note, open_store

__all__ = ["app", "events"]

app = command_app()

#: the columns the terminal table shows (CSV, JSON and Parquet get every column)
_BRIEF = [
    "event_id", "date", "actor1_country", "actor2_country", "event_code", "quad_class", "goldstein", "category",
    "description",
]  # fmt: skip
#: rows the terminal table shows when no ``--limit`` is given
TABLE_ROWS = 100


@app.command()
def events(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="ISO3 code on either side, e.g. PRK")] = None,
    dyad: Annotated[
        str | None, typer.Option(help="A>B (directed) or A-B (either direction): the events its index counts")
    ] = None,
    start: Annotated[str | None, typer.Option(help="first date, YYYY[-MM[-DD]]")] = None,
    end: Annotated[str | None, typer.Option(help="last date, YYYY[-MM[-DD]]")] = None,
    category: Annotated[str | None, typer.Option(help="e.g. missile_test, summit")] = None,
    source: Annotated[str | None, typer.Option(help="e.g. gdelt2, icews, cns, kb")] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help=f"at most this many rows (default: all; the table shows {TABLE_ROWS})")
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Events from the store, filtered; newest first."""
    from ..indicators.listing import FilterError, actor_codes, event_query, list_events

    store = open_store(ctx)
    try:
        query = event_query(
            actor=actor, dyad=dyad, start=first_day(start, "--start"), end=last_day(end, "--end"),
            category=category, source=source, stored=lambda: actor_codes(store),
        )  # fmt: skip
    except FilterError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"--{exc.param}") from None
    t = list_events(store, query)
    cap = limit or (TABLE_ROWS if fmt is Format.table else None)
    result = (t if cap is None else t.limit(cap + 1)).to_pyarrow()
    if cap is not None and result.num_rows > cap:
        total = int(t.count().to_pyarrow().as_py())
        result = result.slice(0, cap)
        kept = f"by --limit {cap}; drop it" if limit else f"(the table shows {cap}); --limit {total} or -f csv -o FILE"
        note("cut:", f"{total - cap:,} of {total:,} rows left out {kept} to get them all")
    columns = _BRIEF + (["counted_on"] if query.dyad else [])
    emit(result.select(columns) if fmt is Format.table else result, fmt, output, title="events")
