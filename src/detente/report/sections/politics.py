"""Section "Political and economic factors": leaders and camps, sanctions, humanitarian and economic ties."""

from __future__ import annotations

import pandas as pd

from ..context import BriefContext
from ..model import Section, Table
from ..text import Piece, cell, fmt_date, note, para, plural
from ._common import cite_rows
from .military import cite_claim

__all__ = ["build", "in_office"]


def in_office(leaders: pd.DataFrame, country: str, day: object) -> pd.DataFrame:
    """The leader of ``country`` on ``day``: the latest term begun by then and not ended (one row or none)."""
    rows = leaders[(leaders["country"] == country) & (leaders["term_start"] <= day)]
    rows = rows.loc[rows["term_end"].map(lambda e: e is None or pd.isna(e) or e > day).astype(bool)]
    return rows.sort_values("term_start").tail(1)


def _leaders(ctx: BriefContext, s: Section) -> None:
    leaders = ctx.kb("leaders")
    parts: list[Piece] = []
    for country, label in (("KOR", "South Korea"), ("PRK", "North Korea")):
        row = in_office(leaders, country, ctx.as_of)
        if row.empty:
            parts.append(f"The knowledge base names no leader of {label} on the brief's date. ")
            continue
        r = row.iloc[0]
        camp = f", {r['camp']} camp" if r["camp"] else ""
        parts += [
            f"{label}: {r['name']} ({r['role']}{camp}) since {fmt_date(r['term_start'])}",
            cite_rows(ctx, "leaders", row, f"Leader of {country} on the brief's date"),
            ". ",
        ]
    s.blocks.append(para(*parts))
    presidents = leaders[(leaders["country"] == "KOR") & (leaders["role"] == "president")
                         & (leaders["term_start"] <= ctx.as_of)]  # fmt: skip
    s.blocks.append(
        Table(
            "South Korean presidents and their camp",
            ["from", "to", "president", "party", "camp", "evidence"],
            [
                [
                    cell(fmt_date(r["term_start"])),
                    cell(fmt_date(r["term_end"]) if r["term_end"] and r["term_end"] <= ctx.as_of else "in office"),
                    cell(r["name"]),
                    cell(r["party"]),
                    cell(r["camp"]),
                    [cite_rows(ctx, "leaders", pd.DataFrame([r]), f"ROK president {r['name']}")],
                ]
                for r in presidents.to_dict("records")
            ],
        )
    )
    s.blocks.append(para("Tested claims: ", cite_claim(ctx, "progressive-cooperation"), "; ",
                         cite_claim(ctx, "leadership-cooperation"), "."))  # fmt: skip


def _sanctions(ctx: BriefContext, s: Section) -> None:
    sanc = ctx.kb("sanctions")
    sanc = sanc[sanc["date"] <= ctx.as_of]
    res = sanc[sanc["kind"] == "resolution"]
    other = sanc[sanc["kind"] == "other resolution"]  # 1695 (2006): not a sanctions resolution
    if res.empty:
        s.blocks.append(note("No UN Security Council sanctions resolution is recorded up to the brief's date."))
        return
    last = res.iloc[[-1]]
    r = last.iloc[0]
    parts: list[Piece] = [
        "The UN Security Council adopted ",
        [
            *cell(plural(len(res), "sanctions resolution")),
            cite_rows(ctx, "sanctions", res, "UNSC sanctions resolutions"),
        ],
        f" ({len(res) + len(other)} with {', '.join(other['id'])})" if len(other) else "",
        (
            f" on the DPRK from {res['date'].min().year}; the last, {r['id']} of {fmt_date(r['date'])} ({r['vote']}), "
            f"followed {r['trigger']}"
        ),
        cite_rows(ctx, "sanctions", last, f"Resolution {r['id']}"),
        ". ",
    ]
    for row in sanc[sanc["kind"] != "resolution"].to_dict("records"):
        parts += [f"{fmt_date(row['date'])}: {row['kind']} — {row['measures']} ({row['vote'] or row['trigger']})",
                  cite_rows(ctx, "sanctions", pd.DataFrame([row]), f"{row['id']}"), ". "]  # fmt: skip
    s.blocks.append(para(*parts))
    s.blocks.append(para("Tested claim: ", cite_claim(ctx, "sanctions-provocations"), "."))


def _exchanges(ctx: BriefContext, s: Section, label: str, types: tuple[str, ...], category: str) -> None:
    t = ctx.timeline
    sel = t[t["original_type"].isin(types)]
    rows = sel.drop_duplicates("date")
    st = ctx.provision_status
    st = st[st["category"] == category] if len(st) else st
    parts: list[Piece] = []
    if rows.empty:
        parts.append(f"The curated timeline records no {label} event up to the brief's date. ")
    else:
        last = rows.iloc[-1]
        parts += [
            f"The curated timeline records {plural(len(rows), label + ' event')}",
            ctx.notes.cite(f"Timeline events: {label}", events=sel["event_id"]),
            f"; the latest on {fmt_date(last['date'], last['date_precision'])}: {last['description']}",
            ctx.notes.cite(f"Timeline event: latest {label}", events=sel[sel["date"] == last["date"]]["event_id"]),
            ". ",
        ]
    if len(st):
        counts = st["status"].value_counts()
        listed = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
        ref = ctx.notes.cite(f"Provisions of category {category} on the brief's date",
                             kb=[("provisions", p) for p in st["provision_id"]])  # fmt: skip
        parts += [f"The {plural(len(st), category + ' provision')} of the 2018 texts stand at: {listed}", ref, "."]
    s.blocks.append(para(*parts))


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("politics", "Political and economic factors")
    _leaders(ctx, s)
    _sanctions(ctx, s)
    _exchanges(ctx, s, "humanitarian", ("family_reunion", "humanitarian"), "humanitarian")
    _exchanges(ctx, s, "economic cooperation", ("economic_cooperation",), "economic")
    return s
