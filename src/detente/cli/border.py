"""``watch``: the Asia border watch, every registry theatre side by side (:func:`detente.theatres.border_watch`).

The table format shows "no data" where a value is missing; CSV, JSON and Parquet keep nulls, and the
``missing`` column says in every format what data would fill each gap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from ._options import Format, FormatOpt, OutputOpt, command_app, emit, last_day, open_store

__all__ = ["app", "watch"]

app = command_app()

_TABLE = ["theatre", "index_month", "tension", "change_12m", "coverage", "ucdp", "last_agreement_date",
          "last_agreement", "cbms_in_force"]  # fmt: skip


@app.command()
def watch(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="date of the watch, YYYY[-MM[-DD]] (default: the latest event)")
    ] = None,
    registry: Annotated[
        Path | None, typer.Option("--registry", help="a file of more theatres, laid out as the shipped registry.yaml")
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Asia border watch: per theatre, index now and its 12-month change, UCDP, last agreement, CBMs, coverage."""
    from ..theatres import RegistryError, border_watch, load_registry

    when = last_day(as_of, "--as-of")
    try:
        theatres = load_registry(registry)
    except RegistryError as exc:
        raise typer.BadParameter(str(exc), param_hint="--registry") from None
    store = open_store(ctx)
    try:
        frame = border_watch(store, theatres, when)
    finally:
        store.close()
    when = frame.attrs.pop("as_of")  # Arrow would try to keep attrs as JSON metadata
    if fmt is Format.table:
        shown = frame[_TABLE].astype(object).where(frame[_TABLE].notna(), "no data")
        table = pa.Table.from_pandas(shown.astype(str), preserve_index=False)
    else:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    emit(table, fmt, output, title=f"Asia border watch as of {when}")
    _gaps(frame, fmt, output)


def _gaps(frame: pd.DataFrame, fmt: Format, output: Path | None) -> None:
    """Under the terminal table, what data would fill each theatre's gaps (the ``missing`` column)."""
    if fmt is not Format.table or output is not None:
        return
    gaps = frame.loc[frame["missing"] != "", ["theatre", "missing"]]
    if not gaps.empty:
        emit(pa.Table.from_pandas(gaps, preserve_index=False), Format.table, None, title="missing data")
