"""Section "External actors": where each power stands (bargaining inputs) and what the event data show."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..context import BriefContext
from ..model import Inline, Ref, Section, Table
from ..text import cell, fmt_date, fmt_num, note, para, plural
from ._common import cite_manifest

__all__ = ["EXTERNAL", "MACHINE", "build", "cite_inputs", "inputs_note"]

#: the external actors the section looks at, in order
EXTERNAL = ("USA", "CHN", "RUS", "JPN", "UN")
#: sources whose events are machine-coded from news (the rest are curated records)
MACHINE = ("gdelt1", "gdelt2", "icews", "acled")


def cite_inputs(ctx: BriefContext, text: str, issues: Iterable[str], actors: Iterable[str]) -> Ref:
    """A footnote to the sources behind the bargaining inputs of ``actors`` on ``issues``."""
    ks = ctx.bargaining.issue_set
    keys: list[str] = []
    wanted = set(actors)
    for spec in ks.issues:
        if spec.id not in set(issues):
            continue
        for table in (spec.position, spec.salience):
            for actor, est in table.items():
                if actor in wanted:
                    keys.extend(est.sources)
    cited = [str(ks.sources[k]) for k in dict.fromkeys(keys) if k in ks.sources]
    return ctx.notes.cite(f"{text} (coded inputs of the shipped Korean issue set, as of {ks.as_of})",
                          sources=cited or [f"detente.bargaining Korean issue set ({ks.name})"],
                          query="detente bargain --show inputs")  # fmt: skip


def inputs_note(ctx: BriefContext) -> list[Inline]:
    """Why the bargaining inputs are left out when they were coded after the brief's date (else nothing).

    A brief knows only what was known on its date (issue 15 item 1), and no earlier coding ships.
    """
    as_of = ctx.bargaining.issue_set.as_of
    if as_of and as_of > ctx.as_of.isoformat()[: len(as_of)]:
        return cell("The shipped bargaining inputs (positions, salience, capabilities) were coded after this"
                    " brief's date and no earlier coding ships with Détente, so a brief of this date leaves them"
                    " out.")  # fmt: skip
    return []


def _positions(ctx: BriefContext, s: Section) -> None:
    ks = ctx.bargaining.issue_set
    issues = [spec.id for spec in ks.issues]
    actors = list(ks.actors)
    rows: list[list[list[Inline]]] = []
    for spec in ks.issues:
        values = [cell(f"{spec.position[a].value:g} · {spec.salience[a].value:g}") if a in spec.position else cell("—")
                  for a in actors]  # fmt: skip
        rows.append(
            [cell(spec.name), *values, [cite_inputs(ctx, f"Positions and salience on {spec.id}", [spec.id], actors)]]
        )
    s.blocks.append(
        Table("Position · salience of each actor on each issue (both 0-100)", ["issue", *actors, "evidence"], rows)
    )
    anchors = [cell(f"{spec.id}: {spec.low_label}; {spec.high_label}") for spec in ks.issues]
    s.blocks.append(para("Scale anchors — ", *[[*a, *cell(". ")] for a in anchors],
                         cite_inputs(ctx, "Issue scales and their anchors", issues, actors)))  # fmt: skip
    for actor in EXTERNAL:
        if actor not in ks.actors:
            continue
        d_prk, d_kor = [], []
        for spec in ks.issues:
            p = spec.position
            if actor in p and "PRK" in p and "KOR" in p:
                d_prk.append(abs(p[actor].value - p["PRK"].value))
                d_kor.append(abs(p[actor].value - p["KOR"].value))
        if not d_prk:
            continue
        closer = "the DPRK" if np.mean(d_prk) < np.mean(d_kor) else "the ROK"
        s.blocks.append(
            para(
                f"{ks.actors[actor]}: on average {np.mean(d_prk):.0f} points from the DPRK's position and "
                f"{np.mean(d_kor):.0f} from the ROK's over {plural(len(d_prk), 'issue')}, closer to {closer}",
                cite_inputs(ctx, f"Positions of {actor}, PRK and KOR", issues, [actor, "PRK", "KOR"]),
                ".",
            )
        )


def _events(ctx: BriefContext, s: Section) -> None:
    ev = ctx.events
    rows: list[list[list[Inline]]] = []
    for actor in EXTERNAL[:-1]:
        for other in ("PRK", "KOR"):
            sel = ev.filter(
                ((ev.actor1_country == actor) & (ev.actor2_country == other))
                | ((ev.actor1_country == other) & (ev.actor2_country == actor)),
                ev.quad_class.notnull(),
            )
            frame = sel.select("event_id", "date", "quad_class", "goldstein", "source").to_pandas()
            if frame.empty:
                rows.append([cell(f"{actor}–{other}"), cell("0"), cell("—"), cell("—"), cell("—"),
                             cell("no coded event in the store")])  # fmt: skip
                continue
            coop = frame["quad_class"].isin([1, 2]).mean()
            ref = ctx.notes.cite(
                f"Coded events between {actor} and {other} (either direction) up to the brief's date",
                events=frame["event_id"],
                query=f"detente events --dyad {actor}-{other} --end {ctx.as_of} --limit 100000",
            )
            span = f"{fmt_date(frame['date'].min())} – {fmt_date(frame['date'].max())}"
            rows.append([cell(f"{actor}–{other}"), [*cell(fmt_num(len(frame))), ref],
                         cell(f"{frame['goldstein'].mean():+.2f}"), cell(f"{coop:.0%}"), cell(span),
                         cell(", ".join(sorted(frame["source"].unique())))])  # fmt: skip
    s.blocks.append(
        Table(
            "Coded events between each power and the two Koreas (either direction)",
            ["pair", "events", "mean Goldstein", "cooperative share", "dates", "sources"],
            rows,
        )
    )
    coded = ev.filter(ev.source.isin(list(MACHINE)))
    days = int(coded.date.nunique().to_pandas())
    s.blocks.append(
        note(
            f"Coverage: the store's machine-coded events ({', '.join(MACHINE)}) fall on {fmt_num(days)} distinct days "
            "up to the brief's date",
            cite_manifest(ctx, MACHINE, "Machine-coded event files in the store"),
            "; the other rows are curated records of notable events. These rows describe those days and records, "
            "not the whole relationship; ingest longer GDELT or ICEWS spans (detente fetch gdelt, detente ingest) "
            "for a fuller picture.",
        )
    )


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("actors", "External actors")
    if warning := inputs_note(ctx):
        s.blocks.append(note(warning))
        _events(ctx, s)
        return s
    s.blocks.append(
        para(
            "Where each party stands comes from the coded inputs of the bargaining models (positions on a 0-100 "
            "scale per issue, salience, each with a rationale and sources)",
            cite_inputs(
                ctx,
                "Bargaining inputs",
                [spec.id for spec in ctx.bargaining.issue_set.issues],
                ctx.bargaining.issue_set.actors,
            ),
            "; what they did comes from the event data.",
        )
    )
    _positions(ctx, s)
    _events(ctx, s)
    return s
