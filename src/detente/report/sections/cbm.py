"""Section "Confidence-building measures": each measure, when it began and ended, and its state now."""

from __future__ import annotations

import pandas as pd

from ..context import BriefContext
from ..model import Section, Table
from ..text import Piece, cell, fmt_date, note, para, plural
from ._common import cite_rows
from .status import in_force

__all__ = ["build", "state_of"]


def state_of(row: dict[str, object], day: object) -> str:
    """``in force``, ``ended`` or ``not yet begun`` on ``day``."""
    if row["start"] > day:  # type: ignore[operator]
        return "not yet begun"
    end = row["end"]
    return "ended" if end is not None and not pd.isna(end) and end <= day else "in force"  # type: ignore[operator]


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("cbm", "Confidence-building measures")
    cbm = ctx.kb("cbm")
    begun = cbm[cbm["start"] <= ctx.as_of]
    if begun.empty:
        s.blocks.append(note("No confidence-building measure had begun by the brief's date."))
        return s
    active = in_force(cbm, ctx.as_of)
    ended = begun[~begun["id"].isin(active["id"])]
    parts: list[Piece] = [
        f"Of {plural(len(begun), 'measure')} begun by the brief's date",
        cite_rows(ctx, "cbm", begun, "Confidence-building measures begun by the brief's date"),
        ", ",
    ]
    parts += (
        [f"{len(active)} were in force", cite_rows(ctx, "cbm", active, "Confidence-building measures in force")]
        if len(active)
        else ["none was in force"]
    )
    if len(ended):
        parts += [
            " and ",
            f"{len(ended)} had ended",
            cite_rows(ctx, "cbm", ended, "Confidence-building measures ended"),
        ]
        durations = [(r["end"] - r["start"]).days for r in ended.to_dict("records")]
        parts.append(f"; the ended ones lasted a median of {int(pd.Series(durations).median())} days")
    parts.append(".")
    s.blocks.append(para(*parts))
    s.blocks.append(
        Table(
            "Confidence-building measures",
            ["measure", "kind", "agreement", "from", "to", "ended by", "state", "evidence"],
            [
                [
                    cell(r["name"]),
                    cell(r["kind"].replace("_", " ")),
                    cell(r["agreement_id"] or "—"),
                    cell(fmt_date(r["start"], r["start_precision"])),
                    cell(fmt_date(r["end"], r["end_precision"]) if r["end"] and r["end"] <= ctx.as_of else "—"),
                    cell(r["end_event"] if r["end"] and r["end"] <= ctx.as_of else ""),
                    cell(state_of(r, ctx.as_of)),
                    [cite_rows(ctx, "cbm", pd.DataFrame([r]), f"Measure {r['id']}")],
                ]
                for r in begun.sort_values("start").to_dict("records")
            ],
        )
    )
    return s
