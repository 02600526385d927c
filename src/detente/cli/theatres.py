"""``theatres``, ``theatre`` and ``lessons``: border conflicts other than Korea, and what followed their agreements.

All take ``--format table|csv|json|parquet`` and ``--output PATH``. ``theatre --format json`` is one
JSON object (``dyad``, ``conflict_years``, ``agreements``, ``incidents``, ...); its other formats
show one flat ``--section``. ``lessons --view brief`` prints Markdown; ``lessons --chart FILE``
also writes the Kaplan-Meier chart (``.png``, ``.svg``, ``.html``, ``.json``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .._json import dumps
from ..theatres.outcomes import SAMPLES
from ..theatres.survival import OUTCOMES
from ..theatres.views import Section, View, lessons_brief, lessons_table, theatre_json, theatre_section, theatres_table
from ._options import Format, FormatOpt, OutputOpt, command_app, emit, open_store, parse_theatre, round_floats
from ._output import printable

__all__ = ["app", "lessons", "theatre", "theatres"]

app = command_app()

#: Columns the ``table`` format shows per lessons view (CSV, JSON and Parquet get every column).
_BRIEF_COLUMNS = {
    View.groups: ["group", "arm", "n_signings", "n_conflicts", "after_5", "after_5_low", "after_5_high", "after_5_n",
                  "km_5", "km_5_low", "km_5_high", "hr", "hr_low", "hr_high", "cox_note"],
    View.agreements: ["pax_id", "date", "con", "stage", "ucdp_conflict", "ucdp_before_5", "ucdp_after_1",
                      "ucdp_after_3", "ucdp_after_5", "ucdp_next_year", "mid_after_5", "mid_next_date"],
    View.signings: ["signing", "pax_ids", "stages", "ucdp_after_5", "ucdp_years", "ucdp_event", "mid_years",
                    "mid_event"],
    View.similar: ["kb_id", "rank", "pax_id", "date", "con", "stage", "similarity", "full_similarity",
                   "ucdp_after_5", "ucdp_next_year", "mid_next_date", "mid_next_dispute"],
    View.korea: ["group", "korea_texts", "with_n", "with_after_5", "without_n", "without_after_5", "hr", "hr_low",
                 "hr_high", "verdict"],
}  # fmt: skip


def _write_text(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def theatres(
    ctx: typer.Context,
    min_mid_disputes: Annotated[
        int, typer.Option(min=1, help="COW MID: territorial disputes with force needed to count a pair")
    ] = 3,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Pairs of states with a territorial or border conflict, found from UCDP, PA-X and COW MID."""
    emit(theatres_table(open_store(ctx), min_mid_disputes), fmt, output, title="theatres")


@app.command()
def theatre(
    ctx: typer.Context,
    dyad: Annotated[str, typer.Argument(help="A-B in either order, e.g. ECU-PER, IND-PAK, PRK-KOR")],
    section: Annotated[
        Section | None,
        typer.Option(help="flat section for table/CSV/Parquet (default: all for table, years otherwise)"),
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """One theatre: UCDP conflict-years, PA-X (and KB) agreements, COW MID disputes and incidents per year."""
    pair = parse_theatre(dyad)
    try:
        detail = theatre_json(open_store(ctx), pair)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="DYAD") from None
    if fmt is Format.json:
        _write_text(dumps(detail, indent=1) + "\n", output)
        return
    if section is None and fmt is Format.table and output is None:
        for name in Section:
            emit(theatre_section(detail, name), fmt, None, title=f"{detail['dyad']} {detail['name']}: {name.value}")
        for note in detail["notes"]:
            typer.echo(f"note: {printable(note)}")
        return
    chosen = section or Section.years
    emit(theatre_section(detail, chosen), fmt, output, title=f"{detail['dyad']}: {chosen.value}")


@app.command()
def lessons(
    ctx: typer.Context,
    dyad: Annotated[str | None, typer.Option(help="only this theatre's agreements, e.g. IND-PAK")] = None,
    provision: Annotated[
        str | None,
        typer.Option(
            help="one group (ceasefire, demilitarisation, joint_military, border, third_party,"
            " guarantees) or stage:<Pre|Cea|SubPar|SubComp|Imp|Ren|Oth>"
        ),
    ] = None,
    view: Annotated[View, typer.Option(help="what to show")] = View.groups,
    sample: Annotated[str, typer.Option(help="interstate or territorial")] = "interstate",
    outcome: Annotated[str, typer.Option(help="ucdp (next active conflict-year) or mid (next use of force)")] = "ucdp",
    top: Annotated[int, typer.Option(min=1, help="similar agreements per Korean text")] = 5,
    chart: Annotated[Path | None, typer.Option(help="also write the survival chart (.png, .svg, .html, .json)")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """What followed agreements with provisions like Korea's: outcomes, survival, Korea against the record."""
    if sample not in SAMPLES:
        raise typer.BadParameter(f"{sample!r}: use {' or '.join(SAMPLES)}", param_hint="--sample")
    if outcome not in OUTCOMES:
        raise typer.BadParameter(f"{outcome!r}: use {' or '.join(OUTCOMES)}", param_hint="--outcome")
    if dyad is not None:
        dyad = parse_theatre(dyad, hint="--dyad")
    store = open_store(ctx)
    if view is View.brief:
        _write_text(lessons_brief(store, top), output)
        return
    try:
        table, les = lessons_table(store, view, sample, outcome, dyad, provision, top)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="--provision") from None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--dyad" if dyad else "--sample") from None
    if chart is not None:
        from ..theatres.chart import write_chart

        title = f"No relapse after signing ({les.sample} agreements, outcome {les.outcome})"
        try:
            write_chart(les.curves, chart, title)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--chart") from None
    columns = _BRIEF_COLUMNS.get(view) if fmt is Format.table else None
    if columns:
        table = table.select([c for c in columns if c in table.column_names])
    emit(
        round_floats(table, 3) if fmt is Format.table else table,
        fmt,
        output,
        title=f"lessons: {view.value} ({sample}, {outcome})",
    )
