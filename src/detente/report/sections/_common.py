"""Evidence helpers shared by the sections: split id lists, cite knowledge-base rows and index months."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from ..context import DYAD, BriefContext
from ..model import Inline, Ref, Text
from ..notes import kb_key
from ..text import fmt_month

__all__ = [
    "cite_ids",
    "cite_index_month",
    "cite_manifest",
    "cite_rows",
    "ids_evidence",
    "manifest_lines",
    "month_rows",
    "window",
]


def ids_evidence(ids: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split indicator ids into stored event ids and exercise-table rows (``exercise:`` ids)."""
    events, rows = [], []
    for i in ids:
        if i.startswith("exercise:"):
            rows.append(("exercises", i.removeprefix("exercise:")))
        else:
            events.append(i)
    return events, rows


def cite_ids(ctx: BriefContext, text: str, ids: Iterable[str], query: str | None = None) -> Ref:
    """A footnote to every id behind an indicator's periods; when there are none, to the indicator itself."""
    events, rows = ids_evidence(ids)
    if not events and not rows:
        where = f"detente.indicators over the store up to {ctx.as_of}"
        return ctx.notes.cite(f"{text} (none recorded: every component is at its zero value)", sources=[where],
                              query=query)  # fmt: skip
    return ctx.notes.cite(text, events=events, kb=rows, query=query)


def cite_rows(ctx: BriefContext, table: str, frame: pd.DataFrame, text: str, events: Iterable[str] = ()) -> Ref:
    """A footnote citing the rows of ``frame`` (rows of knowledge-base ``table``) and optional events."""
    rows = [(table, kb_key(table, r)) for r in frame.to_dict("records")]
    events = list(events)
    if not rows and not events:
        from ...kb.tables import TABLES

        searched = f"knowledge-base table {table} ({TABLES[table].file}): no row up to {ctx.as_of}"
        return ctx.notes.cite(f"{text} (none)", sources=[searched], query=f"detente kb {table}")
    return ctx.notes.cite(text, kb=rows, events=events)


def month_rows(frame: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Rows of a monthly frame with ``first <= period <= last``."""
    return frame[(frame["period"] >= first) & (frame["period"] <= last)]


def window(as_of: date, months: int) -> date:
    """First day of the month ``months - 1`` months before ``as_of``'s month (a window of ``months`` months)."""
    start = pd.Timestamp(as_of).to_period("M") - (months - 1)
    return start.to_timestamp().date()


def cite_index_month(ctx: BriefContext, row: dict[str, object]) -> list[Inline]:
    """``value`` of the tension index in one month, footnoted to every id behind that month."""
    month = fmt_month(row["period"])  # type: ignore[arg-type]
    text = f"Tension index {DYAD}, {month}: the dyad's coded events, curated incidents and exercise days of the month"
    query = f"detente index {DYAD} --freq month --start {month} --end {month} --ids"
    ref = cite_ids(ctx, text, row.get("event_ids") or [], query)  # type: ignore[arg-type]
    return [Text(f"{float(row['tension']):.1f}"), ref]  # type: ignore[arg-type]


def manifest_lines(ctx: BriefContext, sources: tuple[str, ...]) -> list[str]:
    """The ingested files of ``sources`` as citations (file, format, rows stored, dates) from the manifest.

    Only what the brief's date knows: a file whose events begin later is counted, not named, and a
    file running past the date says it is read up to it.
    """
    ing = ctx.store.ingests()
    rows = ing.filter(ing.source.isin(list(sources))).order_by(["source", "file_name"]).to_pandas()
    cited, later = [], 0
    for r in rows.itertuples():
        first, last = (None if pd.isna(d) else pd.Timestamp(d).date() for d in (r.date_min, r.date_max))
        if first is not None and first > ctx.as_of:
            later += 1
            continue
        span = "" if first is None else f", from {first}"
        span += "" if last is None else f" to {last}" if last <= ctx.as_of else " (read up to the brief's date)"
        cited.append(f"{r.file_name} ({r.source}, {r.format}): {r.rows_stored} rows stored{span}")
    if later:
        cited.append(f"{later} file(s) of {', '.join(sources)} with events only after the brief's date, not read")
    return cited or [f"no file of {', '.join(sources)} is ingested"]


def cite_manifest(ctx: BriefContext, sources: tuple[str, ...], text: str) -> Ref:
    """A footnote to the ingested files of ``sources`` (file, format, rows stored, dates) from the manifest."""
    return ctx.notes.cite(text, sources=manifest_lines(ctx, sources), query="detente sources")
