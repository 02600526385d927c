"""Section "Evolution of peace initiatives": agreements by decade, implementation of the coded texts over time."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ...kb.asof import known_by
from ..charts import implementation_chart
from ..context import BriefContext
from ..model import Chart, Inline, Ref, Section, Table
from ..text import cell, fmt_date, join, note, para, plural
from ._common import cite_rows

__all__ = ["build", "implementation_dates", "implementation_frame"]


def implementation_dates(signed: date, as_of: date) -> list[date]:
    """Year-ends from the signing year to the year before ``as_of``, then ``as_of`` itself."""
    ends = [date(y, 12, 31) for y in range(signed.year, as_of.year) if date(y, 12, 31) >= signed]
    return [*ends, as_of]


def date_label(day: date, as_of: date) -> str:
    """``2019`` for a year-end, the ISO date for the brief's own date."""
    return day.isoformat() if day == as_of else f"end {day.year}"


def implementation_frame(as_of: date) -> pd.DataFrame:
    """Status of every coded provision at each of :func:`implementation_dates` (long format)."""
    from ...kb import tables
    from ...kb.tracker import provision_status

    provisions = tables.provisions().to_pandas()
    agreements = tables.agreements().to_pandas().set_index("id")
    coded = [a for a in dict.fromkeys(provisions["agreement_id"]) if agreements.loc[a, "date_signed"] <= as_of]
    if not coded:
        return pd.DataFrame(columns=["date", "label", "agreement_id", "provision_id", "status", "points"])
    first = min(agreements.loc[a, "date_signed"] for a in coded)
    parts = []
    for d in implementation_dates(first, as_of):
        st = provision_status(d)
        st = st[st["agreement_id"].isin(coded)][["agreement_id", "provision_id", "status", "points"]]
        parts.append(st.assign(date=d, label=date_label(d, as_of)))
    return pd.concat(parts, ignore_index=True)[["date", "label", "agreement_id", "provision_id", "status", "points"]]


def _transition_ref(ctx: BriefContext, agreement_id: str) -> Ref:
    """Footnote: the agreement's dated transitions up to ``as_of`` and the timeline events behind them."""
    from ...kb import tables

    t = tables.transitions().to_pandas()
    p = tables.provisions().to_pandas()
    ids = set(p.loc[p["agreement_id"] == agreement_id, "provision_id"])
    t = t[t["provision_id"].isin(ids) & (t["date"] <= ctx.as_of)]
    events = [i for refs in t["timeline_refs"] for i in ctx.resolve_refs(refs)]
    return cite_rows(ctx, "transitions", t, f"Implementation transitions of {agreement_id} up to the brief's date",
                     events=events)  # fmt: skip


def _scores(ctx: BriefContext, frame: pd.DataFrame) -> tuple[list[Inline], Table]:
    dates = sorted(frame["date"].unique())
    header = ["agreement", *[date_label(d, dates[-1]) for d in dates], "reversed now", "evidence"]
    rows: list[list[list[Inline]]] = []
    sentences: list[list[Inline]] = []
    for agreement_id, g in frame.groupby("agreement_id", sort=False):
        ref = _transition_ref(ctx, str(agreement_id))
        score = g.groupby("date")["points"].sum() / (3 * g.groupby("date")["provision_id"].count()) * 100
        last = g[g["date"] == dates[-1]]
        reversed_now = int((last["status"] == "reversed").sum())
        rows.append([cell(str(agreement_id)), *[cell(f"{score.get(d, float('nan')):.1f}") for d in dates],
                     cell(f"{reversed_now} of {len(last)}"), [ref]])  # fmt: skip
        peak_date = score.idxmax()
        sentences.append(
            [
                *cell(f"{agreement_id} peaked at {score.max():.1f} ({fmt_date(peak_date)}) and stands at "
                      f"{score.iloc[-1]:.1f} with {reversed_now} of {len(last)} provisions reversed"),
                ref,
            ]
        )  # fmt: skip
    table = Table(
        "Implementation score (0-100, share of full implementation) at each year-end and on the brief's date",
        header,
        rows,
    )
    return join(sentences, "; ", "; "), table


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("initiatives", "Evolution of peace initiatives")
    agreements = ctx.kb("agreements")
    agreements = agreements[agreements["date_signed"] <= ctx.as_of]
    if agreements.empty:
        s.blocks.append(note(f"No agreement in the knowledge base was signed on or before {ctx.as_of}."))
        return s
    decades = agreements.groupby(agreements["date_signed"].map(lambda d: d.year // 10 * 10))
    parts = [
        [*cell(f"{decade}s: {len(g)}"), cite_rows(ctx, "agreements", g, f"Agreements signed in the {decade}s")]
        for decade, g in decades
    ]
    s.blocks.append(para("Agreements signed per decade: ", join(parts, "; ", "; "), "."))
    frame = implementation_frame(ctx.as_of)
    if frame.empty:
        s.blocks.append(note("None of the agreements with coded provisions was signed by the brief's date."))
    else:
        sentence, table = _scores(ctx, frame)
        n_coded = frame["agreement_id"].nunique()
        s.blocks.append(
            para(
                f"Implementation is coded provision by provision for {plural(n_coded, 'agreement')} "
                "(Peace Accords Matrix scale: not initiated 0, minimal 1, intermediate 2, full 3; reversed counts 0). "
                "On the brief's date: ",
                sentence,
                ".",
            )
        )
        s.blocks.append(table)
        spec, data = implementation_chart(frame, "Implementation status of each provision")
        s.blocks.append(
            Chart(
                "implementation",
                "Implementation status of each provision",
                spec,
                data,
                "Heat map of implementation status by provision and date",
                [_transition_ref(ctx, a) for a in dict.fromkeys(frame["agreement_id"])],
            )
        )
    provisions = ctx.kb("provisions")
    uncoded = agreements[~agreements["id"].isin(set(provisions["agreement_id"]))]
    if len(uncoded):
        s.blocks.append(
            para(
                f"The other {plural(len(uncoded), 'agreement')}",
                cite_rows(ctx, "agreements", uncoded, "Agreements without coded provisions"),
                " carry their later fate as recorded text, not scores:",
            )
        )
        s.blocks.append(
            Table(
                "Agreements without coded provisions: what became of them",
                ["signed", "agreement", "later fate", "evidence"],
                [
                    [
                        cell(fmt_date(r["date_signed"], r["date_precision"])),
                        cell(r["name"]),
                        cell(known_by(r["later_fate"], ctx.as_of) or "nothing recorded by then"),
                        [cite_rows(ctx, "agreements", pd.DataFrame([r]), f"Agreement {r['id']}")],
                    ]
                    for r in uncoded.to_dict("records")
                ],
            )
        )
    return s
