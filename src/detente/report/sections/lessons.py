"""Section "Lessons from other border conflicts": the theatres' record, and Korea's indicators for another dyad.

The record (PA-X, UCDP, COW MID) is :func:`detente.theatres.views.lessons_parts_of`, turned into the
brief's blocks: each PA-X agreement, UCDP conflict and COW MID dispute it names becomes a footnote
citing that stored record (resolved against the store like every footnote), and a figure computed
from the record cites the files it was computed from. The second part computes the same indicators as for
Korea — coded events, curated incidents, the military elements, the tension index — for another
dyad present in the data (India–Pakistan by default), over the years both are covered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from ..context import DYAD, BriefContext
from ..model import Block, Heading, Inline, Paragraph, Ref, Section, Strong, Table, Text, plain
from ..notes import RECORD_KEYS
from ..text import cell, fmt_date, fmt_num, note, para
from ._common import cite_manifest, ids_evidence, manifest_lines

if TYPE_CHECKING:
    from ...theatres.brief import Part, Piece

__all__ = ["COMPARE", "MIN_MONTHS", "build"]

#: the other dyad whose indicators are shown beside Korea's
COMPARE = "IND-PAK"
#: sources of the record of other conflicts (PA-X, UCDP ACD, COW MID)
RECORD = ("pax", "ucdp", "cow_mid")
#: sources the record's computed figures are drawn from (the record, and Korea's linked incidents)
COMPUTED = (*RECORD, "kb", "cns", "csis")
#: months with coded events a dyad needs before its monthly tension index is shown
MIN_MONTHS = 24


def _record(ctx: BriefContext, s: Section) -> None:
    from ...theatres.views import lessons_parts_of

    try:
        parts = lessons_parts_of(ctx.store, as_of=ctx.as_of)
    except ValueError as exc:
        s.blocks.append(
            note(
                f"The record of other border conflicts is missing: {exc}. It needs the PA-X agreements "
                "(pax_all_agreements_v10.csv), the UCDP/PRIO Armed Conflict Dataset (ucdp-prio-acd-221.csv) and COW "
                "MID 5 (MIDIP, MIDI, MIDA, MIDB); ingest them with detente ingest",
                cite_manifest(ctx, RECORD, "Files of the record in the store"),
                ".",
            )
        )
        return
    s.blocks += [_block(ctx, part) for part in parts]


def _block(ctx: BriefContext, part: Part) -> Block:
    """One part of the record as a block of the brief; a figure without a source cites what it is computed from."""
    from ...theatres.brief import Grid
    from ...theatres.brief import Heading as Subheading

    if isinstance(part, Subheading):
        return Heading(part.text)
    if isinstance(part, Grid):
        rows = [[_inline(ctx, c) for c in row] for row in part.rows]
        for row in rows:
            cells = [c for c in row if re.search(r"\d", plain(c))]
            if cells and not any(isinstance(p, Ref) for c in row for p in c):
                cells[-1].append(_computed(ctx))
        return Table(part.caption, part.header, rows)
    pieces = _inline(ctx, part.parts)
    if re.search(r"\d", plain(pieces)) and not any(isinstance(p, Ref) for p in pieces):
        pieces.append(_computed(ctx))
    return Paragraph(pieces)


def _inline(ctx: BriefContext, pieces: list[Piece]) -> list[Inline]:
    from ...theatres.brief import Bold, Source

    out: list[Inline] = []
    for p in pieces:
        if isinstance(p, Source):
            files = manifest_lines(ctx, (RECORD_KEYS[p.table][1],))
            out.append(ctx.notes.cite(p.text.rstrip("."), records=[(p.table, p.row)], sources=files,
                                      query="detente lessons --view brief"))  # fmt: skip
        else:
            out.append(Strong(p.text) if isinstance(p, Bold) else Text(p))
    return out


def _computed(ctx: BriefContext) -> Ref:
    return ctx.notes.cite("Computed by detente.theatres from the stored PA-X, UCDP ACD, COW MID and incident files",
                          sources=manifest_lines(ctx, COMPUTED), query="detente lessons --view brief")  # fmt: skip


def _yearly(ctx: BriefContext, dyad: str) -> pd.DataFrame:
    from ...indicators.military import military_elements

    return military_elements(ctx.events, dyad, "year", end=ctx.as_of, event_ids=True)


def _row(ctx: BriefContext, dyad: str, years: tuple[int, int], yearly: pd.DataFrame) -> list[list[Inline]]:
    ev = ctx.events
    a, b = dyad.split("-")
    sel = ev.filter(((ev.actor1_country == a) & (ev.actor2_country == b))
                    | ((ev.actor1_country == b) & (ev.actor2_country == a)), ev.quad_class.notnull())  # fmt: skip
    coded = sel.select("event_id", "date", "source", "quad_class").to_pandas()
    first, last = years
    y = yearly[(pd.to_datetime(yearly["period"]).dt.year >= first) & (pd.to_datetime(yearly["period"]).dt.year <= last)]
    cells: list[list[Inline]] = [cell(dyad)]
    if coded.empty:
        cells.append(
            [*cell("0"), cite_manifest(ctx, tuple(ctx.sources["source"]), f"{dyad}: no coded event in these files")]
        )
    else:
        ref = ctx.notes.cite(f"Coded events of {dyad} (either direction)", events=coded["event_id"],
                             query=f"detente events --dyad {dyad} --limit 100000")  # fmt: skip
        days = coded["date"].nunique()
        cells.append(
            [
                *cell(f"{fmt_num(len(coded))} on {fmt_num(days)} days ({', '.join(sorted(coded['source'].unique()))})"),
                ref,
            ]
        )
    for col, id_col in (("border_incidents", "border_incidents_ids"), ("troop_movements", "troop_movements_ids")):
        total = int(y[col].sum()) if len(y) else 0
        events, kb = ids_evidence([i for v in y[id_col] for i in v])
        if events or kb:
            cells.append([*cell(fmt_num(total)), ctx.notes.cite(f"{dyad}: {col.replace('_', ' ')} {first}-{last}",
                                                                events=events, kb=kb)])  # fmt: skip
        else:
            missing = f"{dyad}: no {col.replace('_', ' ')} in these files"
            cells.append([*cell(fmt_num(total)), cite_manifest(ctx, ("kb", "cns", "csis", "cow_mid"), missing)])
    if len(y) and y["border_incidents"].sum():
        peak = y.loc[y["border_incidents"].idxmax()]
        year = pd.Timestamp(peak["period"]).year
        events, kb = ids_evidence(peak["border_incidents_ids"])
        ref = ctx.notes.cite(f"{dyad}: border incidents in {year}", events=events, kb=kb)
        cells.append([*cell(f"{year} ({int(peak['border_incidents'])})"), ref])
    else:
        cells.append(cell("—"))
    return cells


def _compare(ctx: BriefContext, s: Section) -> None:
    mid = ctx.sources[ctx.sources["source"] == "cow_mid"]
    if mid.empty:
        s.blocks.append(
            note(
                "The same indicators for another dyad need incident data beyond Korea: ingest COW MID 5 "
                f"(MIDIP_5.01.csv) for militarised incidents, and ICEWS or GDELT files covering {COMPARE} for coded "
                "events. The store holds no COW MID file",
                cite_manifest(ctx, RECORD, "Files of the record in the store"),
                ".",
            )
        )
        return
    first, last = int(mid["first"].iloc[0].year), int(mid["last"].iloc[0].year)
    other = _yearly(ctx, COMPARE)
    korea = _yearly(ctx, DYAD)
    s.blocks.append(
        para(
            f"The same indicators for {COMPARE} and {DYAD}, over {first}-{last}, the years COW MID's incident data "
            "cover for both",
            cite_manifest(ctx, ("cow_mid",), "COW MID files in the store"),
            " (curated incidents deduplicated across sources, as for Korea; coded events from every file in the "
            "store):",
        )
    )
    s.blocks.append(
        Table(
            f"Military-tension indicators, {first}-{last}",
            ["dyad", "coded events", "border incidents", "troop movements", "peak year (border incidents)"],
            [_row(ctx, COMPARE, (first, last), other), _row(ctx, DYAD, (first, last), korea)],
        )
    )
    _index_note(ctx, s, COMPARE)


def _index_note(ctx: BriefContext, s: Section, dyad: str) -> None:
    """The tension index of ``dyad`` when its coded events span enough months, or what is missing."""
    ev = ctx.events
    a, b = dyad.split("-")
    sel = ev.filter(((ev.actor1_country == a) & (ev.actor2_country == b))
                    | ((ev.actor1_country == b) & (ev.actor2_country == a)), ev.quad_class.notnull())  # fmt: skip
    spans = sel.group_by("source").aggregate(first=sel.date.min(), last=sel.date.max()).order_by("source").to_pandas()
    months = int(sel.select(m=sel.date.truncate("M")).distinct().count().to_pandas())
    described = ", ".join(f"{r.source} {fmt_date(r.first)} to {fmt_date(r.last)}" for r in spans.itertuples())
    if months < MIN_MONTHS:
        s.blocks.append(
            note(
                f"Coded events of {dyad} fall in {months} distinct month(s) ({described or 'no machine-coded file'}): "
                f"too few for a monthly tension index (at least {MIN_MONTHS} months with events are needed), so none "
                f"is shown. Ingest ICEWS or GDELT files covering {dyad} over several years (detente fetch gdelt, "
                "detente ingest) to compare phases with Korea's."
            )
        )
        return
    from ...indicators.tension import tension_frame

    idx = tension_frame(ctx.events, dyad, "month", end=ctx.as_of, event_ids=True)
    last = idx[idx["events"] > 0].iloc[-1]
    events, kb = ids_evidence(last["event_ids"])
    ref = ctx.notes.cite(f"Tension index {dyad}, {fmt_date(last['period'], 'month')}", events=events, kb=kb)
    s.blocks.append(
        para(f"Tension index of {dyad} in its latest month with coded events ({fmt_date(last['period'], 'month')}): ",
             f"{last['tension']:.1f}", ref, f"; coded events in {months} months ({described}).")
    )  # fmt: skip


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("lessons", "Lessons from other border conflicts")
    _record(ctx, s)
    _compare(ctx, s)
    return s
