"""Section "Military tensions": the four elements commentators name, the index, its phases, tested claims."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ...analysis.claims import cma_period
from ...indicators.tension import TensionWeights
from ...kb.freshness import stale_tables
from ..charts import components_chart, military_chart, tension_chart
from ..context import DYAD, BriefContext
from ..model import Chart, Inline, Ref, Section, Table
from ..text import cell, fmt_month, fmt_num, note, para
from ._common import cite_ids, cite_manifest, cite_rows, ids_evidence, month_rows, window

__all__ = ["ELEMENTS", "build", "cite_claim"]

#: files searched for curated incidents (the exercise table ships with the package)
CURATED_SOURCES = ("kb", "cns", "csis", "cow_mid")
#: element → (label, count columns, id column)
ELEMENTS = {
    "drills": ("military drills (days under a major exercise)", ("drill_days",), "drills_ids"),
    "troop_movements": ("cross-border troop movements and infiltrations", ("troop_movements",), "troop_movements_ids"),
    "border_incidents": ("incidents along the DMZ and the NLL", ("border_incidents",), "border_incidents_ids"),
    "capabilities": ("tests of new capabilities (missile launches by class, nuclear tests, satellite launches)",
                     ("launches_*", "nuclear_tests", "satellite_launches"), "capabilities_ids"),
}  # fmt: skip


def _columns(frame: pd.DataFrame, patterns: Iterable[str]) -> list[str]:
    out = []
    for p in patterns:
        out += [c for c in frame.columns if c.startswith(p[:-1])] if p.endswith("*") else [p]
    return [c for c in out if not c.endswith("_ids")]


def _window_value(ctx: BriefContext, frame: pd.DataFrame, cols: list[str], id_col: str, label: str) -> list[Inline]:
    total = float(frame[cols].to_numpy().sum()) if len(frame) else 0.0
    ids = [i for v in frame[id_col] for i in v] if len(frame) else []
    events, rows = ids_evidence(ids)
    if not events and not rows:
        return [*cell(fmt_num(total)), cite_manifest(ctx, CURATED_SOURCES, f"{label}: none recorded in these files")]
    return [*cell(fmt_num(total)), ctx.notes.cite(label, events=events, kb=rows)]


def cite_claim(ctx: BriefContext, claim_id: str) -> list[Inline]:
    """The claim's verdict with effect, interval and p-value, footnoted to its data coverage and method."""
    if claim_id not in ctx.claims.index:
        return cell(f"claim {claim_id} is not in the registry")
    c = ctx.claims.loc[claim_id]
    ref: Ref = ctx.notes.cite(
        f"Claim {claim_id}: {c['coverage']}",
        sources=[f"detente.analysis.claims: {c['method']}"],
    )
    if c["verdict"] == "not enough data":
        return [*cell(f"“{c['text']}”: not enough data ({c['note']})"), ref]
    return [
        *cell(f"“{c['text']}”: {c['verdict']} ({c['effect_label']} {c['effect']:.2f}, 95% interval "
              f"{c['ci_low']:.2f}–{c['ci_high']:.2f}, p = {c['p_value']:.3f}, n = {c['n']})"),
        ref,
    ]  # fmt: skip


def _elements(ctx: BriefContext, s: Section) -> None:
    m = ctx.military
    recent = month_rows(m, window(ctx.as_of, 12), ctx.as_of)
    before = month_rows(m, window(ctx.as_of, 24), window(ctx.as_of, 12) - pd.Timedelta(days=1))
    rows = []
    for name, (label, patterns, id_col) in ELEMENTS.items():
        cols = _columns(m, patterns)
        rows.append([
            cell(label),
            _window_value(ctx, recent, cols, id_col, f"{name}: events behind the last 12 months"),
            _window_value(ctx, before, cols, id_col, f"{name}: events behind the 12 months before"),
        ])  # fmt: skip
    s.blocks.append(
        Table(
            f"The four elements: last 12 months ({fmt_month(window(ctx.as_of, 12))} to {fmt_month(ctx.as_of)}) "
            "against the 12 months before",
            ["element", "last 12 months", "12 months before"],
            rows,
        )
    )
    stale = {t.name: t for t in stale_tables(ctx.as_of)}.get("exercises")
    if stale is not None:
        ex = ctx.kb("exercises")
        last_year = stale.covers_to.year
        s.blocks.append(
            note(
                f"Stale table: the exercise table runs to {last_year} (last row {stale.last_row}), before the "
                f"brief's date {ctx.as_of}",
                cite_rows(ctx, "exercises", ex[ex["year"] == last_year], f"Exercises of {last_year}"),
                "; drills after it count only where the store holds them (such as CSIS rows), so the drill "
                "element of later months is incomplete.",
            )
        )
    launch_cols = [c for c in m.columns if c.startswith("launches_") and not c.endswith("_ids")]
    by_class = recent[launch_cols].sum() if len(recent) else pd.Series(dtype=float)
    by_class = by_class[by_class > 0]
    if len(by_class):
        events, kb = ids_evidence([i for v in recent["capabilities_ids"] for i in v])
        ref = ctx.notes.cite("Launches and tests of the last 12 months", events=events, kb=kb)
        listed = ", ".join(f"{c.removeprefix('launches_').replace('_', ' ')} {int(v)}" for c, v in by_class.items())
        s.blocks.append(para(f"Launch days by missile class in the last 12 months: {listed}", ref, "."))
    else:
        s.blocks.append(note("No missile launch is recorded in the last 12 months up to the brief's date."))


def _charts(ctx: BriefContext, s: Section) -> None:
    idx = ctx.index
    if idx.empty:
        s.blocks.append(note(f"No event involving {DYAD} is stored up to the brief's date: no index to chart."))
        return
    start = window(ctx.as_of, 180)
    spec, data = tension_chart(idx, ctx.phases, start, f"Tension index {DYAD}, monthly, with phases")
    ids = [i for v in idx[idx["period"] >= start]["event_ids"] for i in v]
    ref = cite_ids(ctx, f"Tension index {DYAD}: every id behind the charted months", ids,
                   f"detente index {DYAD} --freq month --ids")  # fmt: skip
    s.blocks.append(Chart("tension", f"Tension index {DYAD} with phases", spec, data,
                          "Line chart of the monthly tension index with shaded phases", [ref]))  # fmt: skip
    last36 = idx[idx["period"] >= window(ctx.as_of, 36)]
    spec, data = components_chart(
        last36, TensionWeights().component_weights(), "What drives the index (last 36 months)"
    )
    s.blocks.append(Chart("components", "Components of the tension index", spec, data,
                          "Stacked bars of each component's contribution to the index score", [ref]))  # fmt: skip
    m = ctx.military
    m60 = m[m["period"] >= window(ctx.as_of, 60)]
    spec, data = military_chart(m60, "The four military-tension elements (last 60 months)")
    ids = [i for c in ("drills_ids", "troop_movements_ids", "border_incidents_ids", "capabilities_ids")
           for v in m60[c] for i in v]  # fmt: skip
    ref = cite_ids(ctx, "Military-tension elements: every id behind the charted months", ids,
                   f"detente military {DYAD} --freq month --ids")  # fmt: skip
    s.blocks.append(
        Chart(
            "military",
            "Military-tension elements",
            spec,
            data,
            "Bar charts of drill days, troop movements, border incidents and launches per month",
            [ref],
        )
    )


def _phases(ctx: BriefContext, s: Section) -> None:
    ph = ctx.phases
    if ph.empty:
        return
    rows = []
    for r in ph.tail(6).iloc[::-1].to_dict("records"):
        events, kb = ids_evidence(r["opening_events"])
        ev: list[Inline] = (
            [ctx.notes.cite(f"Events opening the phase that began {fmt_month(r['start'])}", events=events, kb=kb)]
            if events or kb
            else cell("no event in its first months")
        )
        rows.append([cell(fmt_month(r["start"])), cell(fmt_month(r["end"])), cell(r["label"]),
                     cell(f"{r['mean']:.1f}"), cell(f"{r['change']:+.1f}"), ev])  # fmt: skip
    s.blocks.append(Table("The latest phases of the index (change points; PELT)",
                          ["from", "to", "label", "mean index", "change", "opening events"], rows))  # fmt: skip


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("military", "Military tensions")
    s.blocks.append(
        para(
            "Four elements are measured separately, each from the events behind it: the frequency and scope of "
            "military drills, cross-border troop movements, incidents along the border, and the development of new "
            "military capabilities. Curated incidents (CNS, CSIS, the timeline, COW MID) are deduplicated across "
            "sources; drills come from the knowledge base's exercise table."
        )
    )
    if ctx.military.empty:
        s.blocks.append(note(f"No military event involving {DYAD} is stored up to the brief's date."))
        return s
    _elements(ctx, s)
    _charts(ctx, s)
    _phases(ctx, s)
    if ctx.as_of <= cma_period()[1]:  # the second claim is about a period that ends later
        s.blocks.append(para("Tested claim: ", cite_claim(ctx, "exercises-provocations"), "."))
        return s
    s.blocks.append(para("Tested claims: ", cite_claim(ctx, "exercises-provocations"), "; ",
                         cite_claim(ctx, "cma-2018-border"), "."))  # fmt: skip
    return s
