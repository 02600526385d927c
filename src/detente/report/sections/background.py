"""Section "Background and timeline": the record the knowledge base holds and the key dates."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..context import BriefContext
from ..model import Inline, Section, Table
from ..text import cell, fmt_date, note, para, plural
from ._common import cite_rows

__all__ = ["build"]

_SUMMIT_KINDS = ("inter-Korean summit", "US–DPRK summit")


def _key_dates(ctx: BriefContext) -> list[tuple[date, list[Inline], str, list[Inline]]]:
    """(date, what, kind, evidence) for agreements, leader-level summits and nuclear tests up to ``as_of``."""
    rows: list[tuple[date, list[Inline], str, list[Inline]]] = []
    agreements = ctx.kb("agreements")
    for r in agreements[agreements["date_signed"] <= ctx.as_of].to_dict("records"):
        ref = cite_rows(ctx, "agreements", pd.DataFrame([r]), f"Agreement {r['id']}",
                        events=ctx.timeline_ids(r["date_signed"], ("agreement",)))  # fmt: skip
        rows.append((r["date_signed"], cell(r["name"]), f"agreement ({r['kind']})", [ref]))
    summits = ctx.kb("summits")
    summits = summits[summits["kind"].isin(_SUMMIT_KINDS) & (summits["date_start"] <= ctx.as_of)]
    for r in summits.to_dict("records"):
        ref = cite_rows(ctx, "summits", pd.DataFrame([r]), f"Summit {r['id']}",
                        events=ctx.timeline_ids(r["date_start"], ("summit", "talks")))  # fmt: skip
        rows.append((r["date_start"], cell(f"{r['participants']} ({r['place']})"), r["kind"], [ref]))
    t = ctx.timeline
    for r in t[t["category"] == "nuclear_test"].drop_duplicates("date").to_dict("records"):
        ref = ctx.notes.cite("Nuclear test (curated timeline)", events=ctx.timeline_ids(r["date"], ("nuclear_test",)))
        rows.append((r["date"], cell(r["description"]), "nuclear test", [ref]))
    return sorted(rows, key=lambda x: (x[0], x[2]))


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("background", "Background and timeline")
    agreements = ctx.kb("agreements")
    agreements = agreements[agreements["date_signed"] <= ctx.as_of]
    summits = ctx.kb("summits")
    summits = summits[summits["date_start"] <= ctx.as_of]
    if agreements.empty:
        s.blocks.append(note(f"The knowledge base holds no agreement signed on or before {ctx.as_of}."))
        return s
    first = agreements.iloc[0]
    s.blocks.append(
        para(
            f"The first agreement in the knowledge base is the {first['name']} ({first['kind']}), signed ",
            fmt_date(first["date_signed"], first["date_precision"]),
            cite_rows(ctx, "agreements", agreements.iloc[[0]], f"Agreement {first['id']}"),
            f". Up to {ctx.as_of} the knowledge base lists ",
            plural(len(agreements), "agreement"),
            f" signed between {agreements['date_signed'].min().year} and {agreements['date_signed'].max().year}",
            cite_rows(ctx, "agreements", agreements, "Agreements in the knowledge base up to the brief's date"),
            " and ",
            plural(len(summits), "summit or round of talks", "summits and rounds of talks"),
            cite_rows(ctx, "summits", summits, "Summits and talks in the knowledge base up to the brief's date"),
            ". The curated timeline adds ",
            plural(len(ctx.timeline), "stored event"),
            ctx.notes.cite(
                "The curated timeline's stored events up to the brief's date", events=ctx.timeline["event_id"]
            ),
            ".",
        )
    )
    rows = _key_dates(ctx)
    s.blocks.append(
        para(
            "Key dates: every agreement, every leader-level inter-Korean and US–DPRK summit, and every nuclear test"
            " in the record, with the evidence behind each row."
        )
    )
    s.blocks.append(
        Table(
            "Key dates",
            ["date", "what", "kind", "evidence"],
            [[cell(fmt_date(d)), what, cell(kind), ev] for d, what, kind, ev in rows],
        )
    )
    return s
