"""The brief's section "Lessons from other border conflicts", as typed parts built from the results.

Every number is computed (nothing is typed in), printed with its n and 95 % interval, and footnoted
to the PA-X agreement, UCDP conflict and COW MID dispute behind it: a :class:`Source` names the
stored record (side table and key), so the status brief resolves it against the store like every
other footnote (decision 031). :func:`lessons_parts` gives the parts (headings, paragraphs, tables
whose cells are text, :class:`Bold` text and :class:`Source` marks); the report turns them into its
own blocks, and :func:`markdown` writes them as Markdown with ``[^pax-577]`` footnotes (for
``detente lessons --view brief`` and ``GET /api/lessons/brief``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from .groups import GROUPS
from .korea import KOREA_TEXTS, korea_groups
from .lessons import Lessons, what_followed
from .record import Record

__all__ = [
    "NAMED_THEATRES",
    "RECORD_TABLES",
    "TITLE",
    "Bold",
    "Grid",
    "Heading",
    "Para",
    "Part",
    "Source",
    "lessons_parts",
    "lessons_section",
    "markdown",
]

#: The section's title.
TITLE = "Lessons from other border conflicts"
#: The theatres commentators name (issue 10), in the order the section shows them.
NAMED_THEATRES = ("PRK-KOR", "IND-PAK", "CHN-IND", "ERI-ETH", "ECU-PER", "KHM-THA")
#: Store side table, key column and source of each kind of record a footnote names.
RECORD_TABLES: dict[str, tuple[str, str]] = {
    "agreements": ("AgtId", "pax"),
    "conflict_years": ("conflict_id", "ucdp"),
    "mid_dispute_participants": ("dispnum", "cow_mid"),
}


@dataclass(frozen=True)
class Source:
    """A footnote mark: one stored record (``table``, ``row`` = its key) described by ``text``; ``key`` names it."""

    key: str
    text: str
    table: str
    row: str


@dataclass(frozen=True)
class Bold:
    """Emphasised text."""

    text: str


Piece = str | Bold | Source


@dataclass(frozen=True)
class Heading:
    """A sub-heading of the section."""

    text: str


@dataclass
class Para:
    """A paragraph of pieces (``bullet``: an item of a list)."""

    parts: list[Piece]
    bullet: bool = False


@dataclass
class Grid:
    """A table: caption (the report shows it), header, rows of cells (each a list of pieces)."""

    caption: str
    header: list[str]
    rows: list[list[list[Piece]]] = field(default_factory=list)


Part = Heading | Para | Grid


def _pct(x: Any) -> str:
    return "n/a" if x is None or pd.isna(x) else f"{float(x):.0%}"


def _ci(share: Any, low: Any, high: Any, n: Any) -> str:
    if share is None or pd.isna(share):
        return "n/a"
    return f"{_pct(share)} ({_pct(low)}–{_pct(high)}, n={int(n)})"


def _year(value: Any) -> str:
    return "?" if value is None or pd.isna(value) else str(int(value))


def _labels(names: list[str]) -> str:
    return "; ".join(g.label for g in GROUPS if g.name in names) or "none of the groups"


def _ucdp_note(record: Record, conflict: int) -> list[Piece]:
    cy = record.conflict_years[record.conflict_years["conflict_id"] == conflict]
    if cy.empty:
        return []
    years = ", ".join(str(int(y)) for y in cy["year"])
    first = cy.iloc[0]
    text = (f"UCDP/PRIO Armed Conflict Dataset, conflict {conflict} ({first['location']}; {first['territory_name']});"
            f" active years: {years}.")  # fmt: skip
    return [Source(f"ucdp-{conflict}", text, "conflict_years", str(conflict))]


def _pax_note(record: Record, agt_id: int) -> list[Piece]:
    row = record.agreements[record.agreements["AgtId"] == agt_id]
    if row.empty:
        return []
    r = row.iloc[0]
    title = " ".join(str(r["Agt"]).split())
    text = f'PA-X AgtId {agt_id}: "{title}", {r["Con"]}, {r["date"]} (stage {r["Stage"]}).'
    return [Source(f"pax-{agt_id}", text, "agreements", str(agt_id))]


def _mid_note(record: Record, dispnum: int, dyad: str | None = None) -> list[Piece]:
    d = record.mid_disputes[record.mid_disputes["dispnum"] == dispnum]
    dyads = len(d)
    if dyad is not None and not d[(d["a"] + "-" + d["b"]) == dyad].empty:
        d = d[(d["a"] + "-" + d["b"]) == dyad]
    text = f"COW MID 5 dispute {dispnum}."
    if not d.empty:
        r = d.iloc[0]
        text = (f"COW MID 5 dispute {dispnum}: {r['a']}-{r['b']}, {_year(r['start_year'])}–{_year(r['end_year'])},"
                f" hostility level {int(r['hostlev'])} ({dyads} state pair(s) on opposite sides).")  # fmt: skip
    return [Source(f"mid-{dispnum}", text, "mid_dispute_participants", str(dispnum))]


def _theatres(parts: list[Part], record: Record, theatres: pa.Table) -> None:
    t = theatres.to_pandas().set_index("dyad")
    parts += [
        Heading("The theatres"),
        Para([f"Détente finds {len(t)} pairs of states with a territorial conflict in at least one of UCDP, PA-X and"
              " COW MID (interstate territorial conflicts, interstate agreements on territory, repeated territorial"
              " disputes with force). The ones commentators name:"]),
    ]  # fmt: skip
    header = ["theatre", "UCDP active years (last)", "PA-X agreements", "COW MID disputes (territorial, with force)"]
    grid = Grid("The theatres commentators name", header)
    for dyad in NAMED_THEATRES:
        if dyad not in t.index:
            grid.rows.append([[dyad], ["not found in the loaded data"], [], []])
            continue
        r = t.loc[dyad]
        refs = [n for c in str(r["ucdp_conflicts"]).split(";") if c for n in _ucdp_note(record, int(c))]
        last = "" if pd.isna(r["ucdp_last_year"]) else f" ({int(r['ucdp_last_year'])})"
        grid.rows.append([[str(r["name"])], [f"{int(r['ucdp_active_years'])}{last}", *refs],
                          [str(int(r["pax_agreements"]))],
                          [f"{int(r['mid_disputes'])} ({int(r['mid_territorial_force_disputes'])})"]])  # fmt: skip
    parts.append(grid)


def _followed(parts: list[Part], record: Record, lessons: Lessons, mid_end: int | None) -> None:
    u = lessons.units
    f = u[u["ucdp_years"].notna()]
    o = lessons.overall
    events = int(f["ucdp_event"].sum())
    parts.append(Para([
        Bold(f"{lessons.sample.capitalize()} agreements."),
        f" Of {len(f)} signings with follow-up"
        f" ({int(f['n_agreements'].sum())} agreements, {f['ucdp_conflict'].nunique()} conflicts), {events} were"
        f" followed by an active UCDP conflict-year before coverage ends in {lessons.coverage_end}. Share with no"
        f" active year within 5 years (Kaplan-Meier): {_ci(o['km_5'], o['km_5_low'], o['km_5_high'], o['n_followed'])};"
        f" share active within 5 years among signings with 5 covered years:"
        f" {_ci(o['after_5'], o['after_5_low'], o['after_5_high'], o['after_5_n'])}; share active in the 5 years"
        f" before signing: {_ci(o['before_5'], o['before_5_low'], o['before_5_high'], o['before_5_n'])}.",
    ]))  # fmt: skip
    if lessons.sample != "interstate":
        return
    grid = Grid("What followed the named theatres' interstate agreements",
                ["theatre", "signed", "PA-X", "stages", "provision groups", "what followed"])  # fmt: skip
    named = {"-".join(sorted(d.split("-"))): d for d in NAMED_THEATRES}
    for r in u.itertuples():
        if r.dyad not in named or r.dyad == "KOR-PRK":
            continue
        ids = [int(i) for i in str(r.pax_ids).split(";")]
        refs = [n for i in ids for n in _pax_note(record, i)]
        groups = _labels([g.name for g in GROUPS if getattr(r, g.name)])
        followed: list[Piece] = [what_followed(pd.Series(r._asdict()), lessons.coverage_end, mid_end)]
        if pd.notna(r.mid_next_dispute) and bool(r.mid_event):
            followed += _mid_note(record, int(r.mid_next_dispute), r.dyad)
        followed += _ucdp_note(record, int(r.ucdp_conflict))
        grid.rows.append([[named[r.dyad]], [str(r.date)], [", ".join(map(str, ids)), *refs], [str(r.stages)],
                          [groups], followed])  # fmt: skip
    parts.append(grid)


def _groups(parts: list[Part], lessons: list[Lessons]) -> None:
    kb = korea_groups()
    parts += [
        Heading("Provisions: agreements with a group against those without"),
        Para(["Share of signings followed by an active UCDP conflict-year within 5 years (95 % Wilson interval, n ="
              " signings whose 5 years lie inside coverage), and the Cox hazard ratio of the group (95 % interval,"
              " clustered by conflict)."]),
    ]  # fmt: skip
    header = ["sample", "group", "in the 2018 Korean texts", "with", "without", "hazard ratio", "reading"]
    grid = Grid("Provision groups: with against without", header)
    caveats: dict[str, str] = {}
    for les in lessons:
        for g in GROUPS:
            rows = les.comparison[les.comparison["group"] == g.name].set_index("arm")
            if rows.empty:
                continue
            w, wo = rows.loc["with"], rows.loc["without"]
            korea = ", ".join(t for t in KOREA_TEXTS if g.name in kb[t]) or "no"
            hr = "n/a" if pd.isna(w["hr"]) else f"{w['hr']:.2f} ({w['hr_low']:.2f}–{w['hr_high']:.2f})"
            reading = les.korea.set_index("group").loc[g.name, "verdict"] if not les.korea.empty else "n/a"
            grid.rows.append([[les.sample], [g.label], [korea],
                              [_ci(w["after_5"], w["after_5_low"], w["after_5_high"], w["after_5_n"])],
                              [_ci(wo["after_5"], wo["after_5_low"], wo["after_5_high"], wo["after_5_n"])],
                              [hr], [str(reading)]])  # fmt: skip
            caveats.setdefault(f"{les.sample} {g.label}", str(w["caveats"]))
    parts += [grid, Para(["Caveats, as computed for each row:"])]
    parts += [Para([Bold(k), f": {v}."], bullet=True) for k, v in caveats.items()]


def _korea(parts: list[Part], record: Record, lessons: Lessons, mid_end: int | None) -> None:
    p = lessons.profiles
    parts.append(Heading("Korea against the record"))
    for r in p.itertuples():
        groups = _labels(str(r.groups).split(";"))
        pax = [] if pd.isna(r.pax_id) else _pax_note(record, int(r.pax_id))
        differs = ""
        if isinstance(r.only_kb, str) and (r.only_kb or r.only_pax):
            differs = (f" (PA-X's own coding differs: only in our reading {r.only_kb or 'nothing'};"
                       f" only in PA-X {r.only_pax or 'nothing'})")  # fmt: skip
        parts.append(Para([Bold(str(r.kb_id)), *pax, f" ({r.stage_label}): {groups}{differs}."], bullet=True))
    parts.append(Para([f"Most similar {lessons.sample} agreements elsewhere (same groups and stage; Jaccard index)"
                       " and what followed:"]))  # fmt: skip
    for r in lessons.similar[lessons.similar["rank"] <= 3].itertuples():
        followed = what_followed(pd.Series(r._asdict()), lessons.coverage_end, mid_end)
        refs = _pax_note(record, int(r.pax_id)) + _ucdp_note(record, int(r.ucdp_conflict))
        if pd.notna(r.mid_next_dispute) and bool(r.mid_event):
            refs += _mid_note(record, int(r.mid_next_dispute), r.dyad)
        parts.append(Para([f"{r.kb_id} ~ {r.con}, {r.date} (similarity {r.similarity:.2f}): {followed}.", *refs],
                          bullet=True))  # fmt: skip


def _korea_now(parts: list[Part], record: Record, korea: dict[str, Any]) -> None:
    cy = [c for c in korea["conflict_years"]]
    last = max((c["year"] for c in cy), default=None)
    cov = record.coverage
    refs = [n for c in korea["ucdp_conflicts"] for n in _ucdp_note(record, c["conflict_id"])]
    disputes = korea["mid_disputes"]
    recent = [d for d in disputes if cov.mid_disputes and d["end_year"] >= cov.mid_disputes[1] - 5]
    mid_refs = [n for d in recent for n in _mid_note(record, d["dispnum"], "KOR-PRK")]
    first_pax = min((a["date"] for a in korea["agreements"] if a["pax_id"] is not None), default=None)
    parts += [
        Heading("Where Korea stands"),
        Para([f"UCDP records the Korean conflict as active up to {last}", *refs,
              f"; no year since reached 25 battle-related deaths through {cov.ucdp[1] if cov.ucdp else 'n/a'}, so by"
              f" UCDP's measure every Korean agreement in PA-X (the first signed {first_pax}) is followed by no"
              " relapse, and the comparison above rests on the other theatres. COW MID, which counts threats,"
              f" displays and uses of force, records {len(disputes)} disputes between the two Koreas up to"
              f" {cov.mid_disputes[1] if cov.mid_disputes else 'n/a'}, {len(recent)} of them in its last six years",
              *mid_refs, "."]),
    ]  # fmt: skip
    kb = [y for y in korea["incidents"] if y.get("kb_incidents") is not None and y["year"] >= 2018]
    if kb:
        counts = ", ".join(f"{y['year']}: {y['kb_incidents']} (clashes: {y['kb_clashes']})" for y in kb)
        parts.append(Para([f"Since the 2018 texts, the knowledge base links these military-tension incidents per year:"
                           f" {counts}."]))  # fmt: skip


def lessons_parts(
    record: Record, theatres: pa.Table, lessons: list[Lessons], korea: dict[str, Any], korean_texts: bool = True
) -> list[Part]:
    """The section's parts (without its title); ``lessons``: UCDP-outcome results, interstate first.

    ``korean_texts=False`` (a brief dated before the Korean texts were signed) leaves out the comparison
    of their provisions with the record.
    """
    mid_end = record.coverage.mid_incidents[1] if record.coverage.mid_incidents else None
    c = record.coverage
    parts: list[Part] = [
        Para(["Commentators say Korea should learn from India–Pakistan, Ecuador–Peru, Eritrea–Ethiopia, China–India"
              " and Cambodia–Thailand. This section shows the record, from PA-X (agreements"
              f" {c.pax[0] if c.pax else '?'}–{c.pax[1] if c.pax else '?'}), the UCDP/PRIO Armed Conflict Dataset"
              f" ({c.ucdp[0] if c.ucdp else '?'}–{c.ucdp[1] if c.ucdp else '?'}) and COW MID (incidents"
              f" {c.mid_incidents[0] if c.mid_incidents else '?'}–{mid_end or '?'}). It describes what followed"
              " agreements; it does not show what agreements caused."]),
    ]  # fmt: skip
    _theatres(parts, record, theatres)
    parts.append(Heading("What followed agreements"))
    for les in lessons:
        _followed(parts, record, les, mid_end)
    if korean_texts:
        _groups(parts, lessons)
        _korea(parts, record, lessons[0], mid_end)
    else:
        parts.append(Para(["The Korean texts this section compares with the record were signed after the brief's"
                           " date, so it leaves that comparison out."]))  # fmt: skip
    _korea_now(parts, record, korea)
    parts += [
        Heading("Caveats"),
        Para(["Agreements are signed where and when there was fighting; a provision that is common in hot conflicts"
              " will look harmful. None of these numbers is an effect."], bullet=True),
        Para(["Interstate n is small and a handful of conflicts dominate it; the territorial sample is larger but"
              " mostly intrastate (secession and autonomy)."], bullet=True),
        Para([f"Coverage ends differ: UCDP {c.ucdp[1] if c.ucdp else '?'}, COW MID {mid_end or '?'}, PA-X"
              f" {c.pax[1] if c.pax else '?'}; later relapses are censored, and agreements signed after a source ends"
              " have no follow-up in it."], bullet=True),
    ]  # fmt: skip
    if korean_texts:
        parts.append(Para(["PA-X codes what a text says, not what was implemented; the Korean texts' groups are our"
                           " reading of the knowledge base's provisions."], bullet=True))  # fmt: skip
    return parts


def _md(pieces: list[Piece], notes: dict[str, str]) -> str:
    out = []
    for p in pieces:
        if isinstance(p, Source):
            notes.setdefault(p.key, p.text)
            out.append(f"[^{p.key}]")
        else:
            out.append(f"**{p.text}**" if isinstance(p, Bold) else p)
    return "".join(out)


def markdown(parts: list[Part], title: str = TITLE) -> str:
    """The parts as Markdown under ``## title``, each source a footnote ``[^pax-577]`` defined at the end."""
    notes: dict[str, str] = {}
    lines = [f"## {title}", ""]
    for i, part in enumerate(parts):
        if isinstance(part, Heading):
            lines += [f"### {part.text}", ""]
        elif isinstance(part, Grid):
            lines.append("| " + " | ".join(part.header) + " |")
            lines.append("|" + "---|" * len(part.header))
            lines += ["| " + " | ".join(_md(c, notes) for c in row) + " |" for row in part.rows]
            lines.append("")
        elif part.bullet:
            lines.append(f"- {_md(part.parts, notes)}")
            following = parts[i + 1] if i + 1 < len(parts) else None
            if not (isinstance(following, Para) and following.bullet):
                lines.append("")
        else:
            lines += [_md(part.parts, notes), ""]
    lines += [f"[^{k}]: {t}" for k, t in notes.items()]
    return "\n".join(lines) + "\n"


def lessons_section(record: Record, theatres: pa.Table, lessons: list[Lessons], korea: dict[str, Any]) -> str:
    """The section as Markdown with footnotes; ``lessons``: UCDP-outcome results, interstate first."""
    return markdown(lessons_parts(record, theatres, lessons, korea))
