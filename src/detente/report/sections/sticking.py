"""Section "Sticking points": where the two Koreas and the US stand furthest apart, and what was reversed."""

from __future__ import annotations

from ..context import BriefContext
from ..model import Inline, Section, Table
from ..text import cell, note, para
from .actors import cite_inputs, inputs_note

__all__ = ["build", "gaps"]


def gaps(ctx: BriefContext) -> list[dict[str, object]]:
    """Per issue: the DPRK's position, the ROK's and the US's, the largest gap to the DPRK and the mean salience."""
    out = []
    for spec in ctx.bargaining.issue_set.issues:
        p, sal = spec.position, spec.salience
        if not {"PRK", "KOR", "USA"} <= set(p):
            continue
        gap = max(abs(p["USA"].value - p["PRK"].value), abs(p["KOR"].value - p["PRK"].value))
        mean_sal = (sal["PRK"].value + sal["KOR"].value + sal["USA"].value) / 3
        out.append({"issue": spec.id, "name": spec.name, "PRK": p["PRK"].value, "KOR": p["KOR"].value,
                    "USA": p["USA"].value, "gap": gap, "salience": mean_sal,
                    "weight": gap * mean_sal / 100})  # fmt: skip
    return sorted(out, key=lambda r: -float(r["weight"]))  # type: ignore[arg-type]


def _reversed(ctx: BriefContext, s: Section) -> None:
    st = ctx.provision_status
    if st.empty:
        s.blocks.append(note("No coded provision was signed by the brief's date."))
        return
    rows: list[list[list[Inline]]] = []
    for category, g in st.groupby("category", sort=True):
        rev = g[g["status"] == "reversed"]
        ref = ctx.notes.cite(
            f"Provisions of category {category} and their status on the brief's date",
            kb=[("provisions", p) for p in g["provision_id"]],
            events=[i for refs in g["timeline_refs"] for i in ctx.resolve_refs(refs)],
        )
        rows.append([cell(str(category)), cell(f"{len(rev)} of {len(g)}"),
                     cell(", ".join(rev["provision_id"]) or "none"), [ref]])  # fmt: skip
    s.blocks.append(Table("Provisions reversed by the brief's date, by category",
                          ["category", "reversed", "provisions", "evidence"], rows))  # fmt: skip


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("sticking", "Sticking points")
    if warning := inputs_note(ctx):
        s.blocks.append(note(warning))
        _reversed(ctx, s)
        return s
    rows = gaps(ctx)
    if rows:
        top = rows[0]
        s.blocks.append(
            para(
                "Ranking the issues by the largest gap between the DPRK's position and the ROK's or the US's, "
                f"weighted by the three parties' mean salience, the hardest is {top['name']}: the DPRK at "
                f"{top['PRK']:g}, the ROK at {top['KOR']:g} and the US at {top['USA']:g} on the 0-100 scale",
                cite_inputs(ctx, f"Positions on {top['issue']}", [str(top["issue"])], ["PRK", "KOR", "USA"]),
                ".",
            )
        )
        s.blocks.append(
            Table(
                "Gaps between the parties per issue (0-100 scale)",
                ["issue", "DPRK", "ROK", "US", "largest gap to the DPRK", "mean salience", "evidence"],
                [
                    [
                        cell(str(r["name"])),
                        cell(f"{r['PRK']:g}"),
                        cell(f"{r['KOR']:g}"),
                        cell(f"{r['USA']:g}"),
                        cell(f"{r['gap']:g}"),
                        cell(f"{r['salience']:.0f}"),
                        [cite_inputs(ctx, f"Positions on {r['issue']}", [str(r["issue"])], ["PRK", "KOR", "USA"])],
                    ]
                    for r in rows
                ],
            )
        )
    _reversed(ctx, s)
    return s
