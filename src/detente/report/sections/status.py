"""Section "Current status": the tension index now, its phase, the channels, and the latest incidents."""

from __future__ import annotations

import pandas as pd

from ...indicators.tension import TensionWeights
from ..context import DYAD, BriefContext
from ..model import Inline, Section, Table
from ..text import Piece, cell, fmt_date, fmt_month, join, note, para, plural, shorten
from ._common import cite_ids, cite_index_month, cite_rows, ids_evidence, month_rows, window

__all__ = ["CURATED", "build", "in_force"]

#: sources of curated incidents (each row checked by a person)
CURATED = ("kb", "cns", "csis")


def in_force(cbm: pd.DataFrame, day: object) -> pd.DataFrame:
    """Confidence-building measures started on or before ``day`` and not ended by then."""
    started = cbm["start"] <= day
    ended = cbm["end"].notna() & (cbm["end"].map(lambda e: e is not None and e <= day))
    return cbm[started & ~ended]


def _index(ctx: BriefContext, s: Section) -> None:
    idx = ctx.index
    if idx.empty:
        s.blocks.append(note(f"No event involving {DYAD} is stored up to {ctx.as_of}: no tension index."))
        return
    last = idx.iloc[-1].to_dict()
    year = month_rows(idx, window(ctx.as_of, 12), ctx.as_of)
    before = month_rows(idx, window(ctx.as_of, 24), window(ctx.as_of, 12) - pd.Timedelta(days=1))
    weights = TensionWeights().component_weights()
    contrib = sorted(((w * float(last[f"z_{c}"]), c) for c, w in weights.items()), reverse=True)
    top = [f"{c.replace('_', ' ')} ({v:+.2f})" for v, c in contrib[:2] if v > 0]
    parts: list[Piece] = [
        f"The tension index of {DYAD} (0-100; 50 when every component is at its mean) stood at ",
        cite_index_month(ctx, last),
        f" in {fmt_month(last['period'])}",
    ]
    if len(year) and len(before):
        ids = [i for v in year["event_ids"] for i in v]
        ref = cite_ids(ctx, f"Tension index {DYAD}: every id behind the last 12 months", ids)
        ids0 = [i for v in before["event_ids"] for i in v]
        ref0 = cite_ids(ctx, f"Tension index {DYAD}: every id behind the 12 months before", ids0)
        parts += [
            "; its mean over the last 12 months was ",
            [*cell(f"{year['tension'].mean():.1f}"), ref],
            " against ",
            [*cell(f"{before['tension'].mean():.1f}"), ref0],
            " in the 12 months before",
        ]
    parts.append(". ")
    if top:
        parts.append(f"The components pushing it up most that month: {', '.join(top)} (weight × z-score).")
    s.blocks.append(para(*parts))
    ph = ctx.phases
    if len(ph):
        cur = ph.iloc[-1]
        events, rows = ids_evidence(cur["opening_events"])
        ref = (
            ctx.notes.cite(f"Events opening the phase that began {fmt_month(cur['start'])}", events=events, kb=rows)
            if events or rows
            else ctx.notes.cite("Phase detection on the tension index", sources=["detente.indicators.phases (PELT)"])
        )
        s.blocks.append(
            para(
                f"Change-point detection puts the current phase's start in {fmt_month(cur['start'])}: a phase "
                f"labelled {cur['label']} (mean {cur['mean']:.1f}, {cur['change']:+.1f} against the phase before)",
                ref,
                ".",
            )
        )


def _channels(ctx: BriefContext, s: Section) -> None:
    hot = ctx.kb("hotlines")
    hot = hot[hot["date"] <= ctx.as_of]
    cbm = ctx.kb("cbm")
    active = in_force(cbm, ctx.as_of)
    parts: list[Piece] = []
    if len(hot):
        h = hot.iloc[[-1]]
        r = h.iloc[0]
        parts += [
            (
                f"Last recorded change on the inter-Korean lines: {r['line']} {r['event']} on "
                f"{fmt_date(r['date'], r['date_precision'])} ({r['description']})"
            ),
            cite_rows(ctx, "hotlines", h, "Inter-Korean communication lines: latest change"),
            ". ",
        ]
    else:
        parts.append("The knowledge base records no communication-line event up to the brief's date. ")
    parts += [
        f"Of {plural(len(cbm[cbm['start'] <= ctx.as_of]), 'confidence-building measure')} begun by then, ",
        [*cell(f"{len(active)}"), cite_rows(ctx, "cbm", active, "Confidence-building measures in force")]
        if len(active)
        else cell("none"),
        " were in force on the brief's date.",
    ]
    s.blocks.append(para(*parts))


def _scores(ctx: BriefContext, s: Section) -> None:
    st = ctx.provision_status
    if st.empty:
        return
    g = st.groupby("agreement_id", sort=False)
    score = (g["points"].sum() / (3 * g["provision_id"].count()) * 100).round(1)
    parts = []
    for agreement_id, value in score.items():
        rows = st[st["agreement_id"] == agreement_id]
        reversed_n = int((rows["status"] == "reversed").sum())
        ref = ctx.notes.cite(
            f"Provision statuses of {agreement_id} on the brief's date",
            kb=[("provisions", p) for p in rows["provision_id"]],
            events=[i for refs in rows["timeline_refs"] for i in ctx.resolve_refs(refs)],
            query=f"detente agreement {agreement_id} --as-of {ctx.as_of}",
        )
        parts.append([*cell(f"{agreement_id} {value:.1f} ({reversed_n} of {len(rows)} provisions reversed)"), ref])
    s.blocks.append(para("Implementation scores on the brief's date: ", join(parts, "; ", "; "), "."))


def _latest(ctx: BriefContext, s: Section) -> None:
    ev = ctx.events
    sel = ev.filter(ev.source.isin(list(CURATED)), ev.category.notnull())
    cols = ["event_id", "date", "date_precision", "source", "category", "actor1_country", "description"]
    recent = sel.order_by([sel.date.desc(), sel.event_id]).limit(24).select(cols).to_pandas()
    if recent.empty:
        s.blocks.append(note("No curated incident (CNS, CSIS, timeline) is stored up to the brief's date."))
        return
    # a timeline row with several actors is stored once per pair: one line per row of the source
    key = recent[["date", "source", "description"]].astype(str).agg("|".join, axis=1)
    recent["ids"] = key.map(recent.groupby(key)["event_id"].apply(list))
    recent = recent[~key.duplicated()].head(8)
    rows: list[list[list[Inline]]] = []
    for r in recent.to_dict("records"):
        ref = ctx.notes.cite(f"Event {r['event_id']}", events=r["ids"])
        rows.append([cell(fmt_date(r["date"], r["date_precision"])), cell(r["source"]), cell(r["category"]),
                     cell(r["actor1_country"] or ""), cell(shorten(r["description"])), [ref]])  # fmt: skip
    s.blocks.append(
        Table("Latest curated incidents and events", ["date", "source", "category", "by", "description", "event"], rows)
    )


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("status", "Current status")
    _index(ctx, s)
    _scores(ctx, s)
    _channels(ctx, s)
    _latest(ctx, s)
    return s
