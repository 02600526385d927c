"""The brief's section "Lessons from other border conflicts", in Markdown, built from the results.

Every number is computed (nothing is typed in), printed with its n and 95 % interval, and footnoted
to the PA-X agreement ids, UCDP conflict ids and COW MID dispute numbers behind it.
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

__all__ = ["NAMED_THEATRES", "lessons_section"]

#: The theatres commentators name (issue 10), in the order the section shows them.
NAMED_THEATRES = ("PRK-KOR", "IND-PAK", "CHN-IND", "ERI-ETH", "ECU-PER", "KHM-THA")


@dataclass
class _Footnotes:
    """Numbered footnotes, one per source record, in order of first use."""

    texts: dict[str, str] = field(default_factory=dict)

    def ref(self, key: str, text: str) -> str:
        self.texts.setdefault(key, text)
        return f"[^{key}]"

    def render(self) -> list[str]:
        return [f"[^{k}]: {t}" for k, t in self.texts.items()]


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


def _ucdp_note(notes: _Footnotes, record: Record, conflict: int) -> str:
    cy = record.conflict_years[record.conflict_years["conflict_id"] == conflict]
    if cy.empty:
        return ""
    years = ", ".join(str(int(y)) for y in cy["year"])
    first = cy.iloc[0]
    return notes.ref(
        f"ucdp-{conflict}",
        f"UCDP/PRIO Armed Conflict Dataset, conflict {conflict} ({first['location']}; {first['territory_name']});"
        f" active years: {years}.",
    )


def _pax_note(notes: _Footnotes, record: Record, agt_id: int) -> str:
    row = record.agreements[record.agreements["AgtId"] == agt_id]
    if row.empty:
        return ""
    r = row.iloc[0]
    title = " ".join(str(r["Agt"]).split())
    return notes.ref(f"pax-{agt_id}", f'PA-X AgtId {agt_id}: "{title}", {r["Con"]}, {r["date"]} (stage {r["Stage"]}).')


def _mid_note(notes: _Footnotes, record: Record, dispnum: int, dyad: str | None = None) -> str:
    d = record.mid_disputes[record.mid_disputes["dispnum"] == dispnum]
    dyads = len(d)
    if dyad is not None and not d[(d["a"] + "-" + d["b"]) == dyad].empty:
        d = d[(d["a"] + "-" + d["b"]) == dyad]
    if d.empty:
        return notes.ref(f"mid-{dispnum}", f"COW MID 5 dispute {dispnum}.")
    r = d.iloc[0]
    return notes.ref(
        f"mid-{dispnum}",
        f"COW MID 5 dispute {dispnum}: {r['a']}-{r['b']}, {_year(r['start_year'])}–{_year(r['end_year'])},"
        f" hostility level {int(r['hostlev'])} ({dyads} state pair(s) on opposite sides).",
    )


def _theatres(lines: list[str], notes: _Footnotes, record: Record, theatres: pa.Table) -> None:
    t = theatres.to_pandas().set_index("dyad")
    lines += [
        "### The theatres", "",
        (f"Détente finds {len(t)} pairs of states with a territorial conflict in at least one of UCDP, PA-X and"
        " COW MID (interstate territorial conflicts, interstate agreements on territory, repeated territorial"
        " disputes with force). The ones commentators name:"), "",
        "| theatre | UCDP active years (last) | PA-X agreements | COW MID disputes (territorial, with force) |",
        "|---|---|---|---|",
    ]  # fmt: skip
    for dyad in NAMED_THEATRES:
        if dyad not in t.index:
            lines.append(f"| {dyad} | not found in the loaded data | | |")
            continue
        r = t.loc[dyad]
        refs = "".join(_ucdp_note(notes, record, int(c)) for c in str(r["ucdp_conflicts"]).split(";") if c)
        last = "" if pd.isna(r["ucdp_last_year"]) else f" ({int(r['ucdp_last_year'])})"
        lines.append(
            f"| {r['name']} | {int(r['ucdp_active_years'])}{last}{refs} | {int(r['pax_agreements'])} |"
            f" {int(r['mid_disputes'])} ({int(r['mid_territorial_force_disputes'])}) |"
        )
    lines.append("")


def _followed(lines: list[str], notes: _Footnotes, record: Record, lessons: Lessons, mid_end: int | None) -> None:
    u = lessons.units
    f = u[u["ucdp_years"].notna()]
    o = lessons.overall
    events = int(f["ucdp_event"].sum())
    lines.append(
        f"**{lessons.sample.capitalize()} agreements.** Of {len(f)} signings with follow-up"
        f" ({int(f['n_agreements'].sum())} agreements, {f['ucdp_conflict'].nunique()} conflicts), {events} were"
        f" followed by an active UCDP conflict-year before coverage ends in {lessons.coverage_end}. Share with no"
        f" active year within 5 years (Kaplan-Meier): {_ci(o['km_5'], o['km_5_low'], o['km_5_high'], o['n_followed'])};"
        f" share active within 5 years among signings with 5 covered years:"
        f" {_ci(o['after_5'], o['after_5_low'], o['after_5_high'], o['after_5_n'])}; share active in the 5 years"
        f" before signing: {_ci(o['before_5'], o['before_5_low'], o['before_5_high'], o['before_5_n'])}."
    )  # fmt: skip
    lines.append("")
    if lessons.sample != "interstate":
        return
    lines += ["| theatre | signed | PA-X | stages | provision groups | what followed |", "|---|---|---|---|---|---|"]
    named = {"-".join(sorted(d.split("-"))): d for d in NAMED_THEATRES}
    for r in u.itertuples():
        if r.dyad not in named or r.dyad == "KOR-PRK":
            continue
        ids = [int(i) for i in str(r.pax_ids).split(";")]
        refs = "".join(_pax_note(notes, record, i) for i in ids)
        groups = _labels([g.name for g in GROUPS if getattr(r, g.name)])
        ucdp = _ucdp_note(notes, record, int(r.ucdp_conflict))
        followed = what_followed(pd.Series(r._asdict()), lessons.coverage_end, mid_end)
        if pd.notna(r.mid_next_dispute) and bool(r.mid_event):
            followed += _mid_note(notes, record, int(r.mid_next_dispute), r.dyad)
        lines.append(f"| {named[r.dyad]} | {r.date} | {', '.join(map(str, ids))}{refs} | {r.stages} | {groups} |"
                     f" {followed}{ucdp} |")  # fmt: skip
    lines.append("")


def _groups(lines: list[str], lessons: list[Lessons]) -> None:
    kb = korea_groups()
    lines += [
        "### Provisions: agreements with a group against those without", "",
        ("Share of signings followed by an active UCDP conflict-year within 5 years (95 % Wilson interval, n ="
        " signings whose 5 years lie inside coverage), and the Cox hazard ratio of the group (95 % interval,"
        " clustered by conflict)."), "",
        "| sample | group | in the 2018 Korean texts | with | without | hazard ratio | reading |",
        "|---|---|---|---|---|---|---|",
    ]  # fmt: skip
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
            lines.append(
                f"| {les.sample} | {g.label} | {korea} |"
                f" {_ci(w['after_5'], w['after_5_low'], w['after_5_high'], w['after_5_n'])} |"
                f" {_ci(wo['after_5'], wo['after_5_low'], wo['after_5_high'], wo['after_5_n'])} | {hr} | {reading} |"
            )
            caveats.setdefault(f"{les.sample} {g.label}", str(w["caveats"]))
    lines += ["", "Caveats, as computed for each row:", ""]
    lines += [f"- *{k}*: {v}." for k, v in caveats.items()]
    lines.append("")


def _korea(lines: list[str], notes: _Footnotes, record: Record, lessons: Lessons, mid_end: int | None) -> None:
    p = lessons.profiles
    lines += ["### Korea against the record", ""]
    for r in p.itertuples():
        groups = _labels(str(r.groups).split(";"))
        pax = "" if pd.isna(r.pax_id) else _pax_note(notes, record, int(r.pax_id))
        differs = ""
        if isinstance(r.only_kb, str) and (r.only_kb or r.only_pax):
            differs = (f" (PA-X's own coding differs: only in our reading {r.only_kb or 'nothing'};"
                       f" only in PA-X {r.only_pax or 'nothing'})")  # fmt: skip
        lines.append(f"- **{r.kb_id}**{pax} ({r.stage_label}): {groups}{differs}.")
    lines += ["", (f"Most similar {lessons.sample} agreements elsewhere (same groups and stage; Jaccard index) and"
              " what followed:"), ""]  # fmt: skip
    for r in lessons.similar[lessons.similar["rank"] <= 3].itertuples():
        row = pd.Series(r._asdict())
        followed = what_followed(row, lessons.coverage_end, mid_end)
        refs = _pax_note(notes, record, int(r.pax_id)) + _ucdp_note(notes, record, int(r.ucdp_conflict))
        if pd.notna(r.mid_next_dispute) and bool(r.mid_event):
            refs += _mid_note(notes, record, int(r.mid_next_dispute), r.dyad)
        lines.append(f"- {r.kb_id} ~ {r.con}, {r.date} (similarity {r.similarity:.2f}): {followed}.{refs}")
    lines.append("")


def _korea_now(lines: list[str], notes: _Footnotes, record: Record, korea: dict[str, Any]) -> None:
    cy = [c for c in korea["conflict_years"]]
    last = max((c["year"] for c in cy), default=None)
    cov = record.coverage
    refs = "".join(_ucdp_note(notes, record, c["conflict_id"]) for c in korea["ucdp_conflicts"])
    disputes = korea["mid_disputes"]
    recent = [d for d in disputes if cov.mid_disputes and d["end_year"] >= cov.mid_disputes[1] - 5]
    mid_refs = "".join(_mid_note(notes, record, d["dispnum"], "KOR-PRK") for d in recent)
    first_pax = min((a["date"] for a in korea["agreements"] if a["pax_id"] is not None), default=None)
    lines += [
        "### Where Korea stands", "",
        (f"UCDP records the Korean conflict as active up to {last}{refs}; no year since reached 25 battle-related"
        f" deaths through {cov.ucdp[1] if cov.ucdp else 'n/a'}, so by UCDP's measure every Korean agreement in PA-X"
        f" (the first signed {first_pax}) is followed by no relapse, and the comparison above rests on the other"
        " theatres. COW MID, which counts"
        f" threats, displays and uses of force, records {len(disputes)} disputes between the two Koreas up to"
        f" {cov.mid_disputes[1] if cov.mid_disputes else 'n/a'}, {len(recent)} of them in its last six years{mid_refs}."),
    ]  # fmt: skip
    kb = [y for y in korea["incidents"] if y.get("kb_incidents") is not None and y["year"] >= 2018]
    if kb:
        counts = ", ".join(f"{y['year']}: {y['kb_incidents']} (clashes: {y['kb_clashes']})" for y in kb)
        lines.append(
            f"Since the 2018 texts, the knowledge base links these military-tension incidents per year: {counts}."
        )
    lines.append("")


def lessons_section(record: Record, theatres: pa.Table, lessons: list[Lessons], korea: dict[str, Any]) -> str:
    """The section as Markdown with footnotes; ``lessons``: UCDP-outcome results, interstate first."""
    notes = _Footnotes()
    mid_end = record.coverage.mid_incidents[1] if record.coverage.mid_incidents else None
    c = record.coverage
    lines = [
        "## Lessons from other border conflicts", "",
        ("Commentators say Korea should learn from India–Pakistan, Ecuador–Peru, Eritrea–Ethiopia, China–India and"
        " Cambodia–Thailand. This section shows the record, from PA-X (agreements"
        f" {c.pax[0] if c.pax else '?'}–{c.pax[1] if c.pax else '?'}), the UCDP/PRIO Armed Conflict Dataset"
        f" ({c.ucdp[0] if c.ucdp else '?'}–{c.ucdp[1] if c.ucdp else '?'}) and COW MID (incidents"
        f" {c.mid_incidents[0] if c.mid_incidents else '?'}–{mid_end or '?'}). It describes what followed"
        " agreements; it does not show what agreements caused."), "",
    ]  # fmt: skip
    _theatres(lines, notes, record, theatres)
    lines += ["### What followed agreements", ""]
    for les in lessons:
        _followed(lines, notes, record, les, mid_end)
    _groups(lines, lessons)
    _korea(lines, notes, record, lessons[0], mid_end)
    _korea_now(lines, notes, record, korea)
    lines += [
        "### Caveats", "",
        ("- Agreements are signed where and when there was fighting; a provision that is common in hot conflicts"
        " will look harmful. None of these numbers is an effect."),
        ("- Interstate n is small and a handful of conflicts dominate it; the territorial sample is larger but"
        " mostly intrastate (secession and autonomy)."),
        (f"- Coverage ends differ: UCDP {c.ucdp[1] if c.ucdp else '?'}, COW MID {mid_end or '?'}, PA-X"
        f" {c.pax[1] if c.pax else '?'}; later relapses are censored, and agreements signed after a source ends"
        " have no follow-up in it."),
        ("- PA-X codes what a text says, not what was implemented; the Korean texts' groups are our reading of"
        " the knowledge base's provisions."), "",
    ]  # fmt: skip
    lines += notes.render()
    return "\n".join(lines) + "\n"
