"""Section "Recent summits and their outcomes": the latest summits and talks, with the recorded outcome.

An outcome is told as it was known on the brief's date (:func:`~detente.kb.asof.known_by`): a talks
row of October 1994 read on the 20th does not tell the Agreed Framework signed on the 21st.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ...kb.asof import known_by
from ..context import BriefContext
from ..model import Inline, Section, Table
from ..text import cell, fmt_date, note, para, plural
from ._common import cite_rows

__all__ = ["RECENT", "build"]

#: how many of the latest summits and talks the table lists
RECENT = 10


def _cite(ctx: BriefContext, row: dict[str, object]) -> list[Inline]:
    events = ctx.timeline_ids(row["date_start"], ("summit", "talks", "agreement"))  # type: ignore[arg-type]
    return [cite_rows(ctx, "summits", pd.DataFrame([row]), f"Summit or talks {row['id']}", events=events)]


def _outcome(ctx: BriefContext, row: dict[str, object], written: date) -> str:
    """The outcome as known on the brief's date; a date after the table's newest row is an intention."""
    known = known_by(row["outcome_summary"], ctx.as_of, written)  # type: ignore[arg-type]
    return known or "not recorded by the brief's date"


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("summits", "Recent summits and their outcomes")
    summits = ctx.kb("summits")
    written = max(summits["date_start"])  # the table's newest row: later dates in it are intentions
    summits = summits[summits["date_start"] <= ctx.as_of].sort_values(["date_start", "id"])
    if summits.empty:
        s.blocks.append(note("The knowledge base records no summit or talks up to the brief's date."))
        return s
    for kind, label in (("inter-Korean summit", "inter-Korean summit"), ("US–DPRK summit", "US–DPRK summit")):
        rows = summits[summits["kind"] == kind]
        if rows.empty:
            s.blocks.append(note(f"No {label} is recorded up to the brief's date."))
            continue
        last = rows.iloc[-1].to_dict()
        days = (ctx.as_of - last["date_start"]).days
        s.blocks.append(
            para(
                f"The last {label} on record met on {fmt_date(last['date_start'], last['date_precision'])} "
                f"({last['place']}), {plural(days, 'day')} before the brief's date",
                *_cite(ctx, last),
                f"; outcome recorded: {_outcome(ctx, last, written)}",
            )
        )
    recent = summits.tail(RECENT).iloc[::-1]
    s.blocks.append(
        Table(
            f"The {len(recent)} latest summits and talks",
            ["date", "kind", "participants", "outcome", "evidence"],
            [
                [
                    cell(fmt_date(r["date_start"], r["date_precision"])),
                    cell(r["kind"]),
                    cell(r["participants"]),
                    cell(_outcome(ctx, r, written)),
                    _cite(ctx, r),
                ]
                for r in recent.to_dict("records")
            ],
        )
    )
    return s
