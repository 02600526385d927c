"""``agreements``, ``agreement``, ``timeline``, ``incidents`` and ``kb``: the curated knowledge base.

``agreements`` (scores by agreement or category), ``agreement ID`` (provision by provision),
``timeline`` (the merged incident timeline), ``incidents`` (build the incident tables in the store
and report on the linking) and ``kb TABLE`` (print a shipped table). All take ``--format`` and
``--output`` like every other command.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from ..kb import missiles, tables, tracker
from ..kb.linking import link_store, write_links
from ._options import Format, FormatOpt, OutputOpt, command_app, emit, first_day, last_day, note, open_store

__all__ = ["By", "Show", "agreement", "agreements", "app", "incidents", "kb_table", "timeline"]

app = command_app()

AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="date of the status, YYYY[-MM[-DD]] (default: today)")]


class By(str, Enum):
    """Grouping of implementation scores."""

    agreement = "agreement"
    category = "category"
    agreement_category = "agreement_category"


class Show(str, Enum):
    """Reports of the ``incidents`` command."""

    summary = "summary"
    ambiguous = "ambiguous"
    missiles = "missiles"
    unmatched = "unmatched"
    links = "links"


def _arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def _brief(table: pa.Table, fmt: Format, columns: list[str]) -> pa.Table:
    """All columns for csv/json/parquet; the readable subset for the terminal table."""
    return table.select(columns) if fmt is Format.table else table


@app.command()
def agreements(
    as_of: AsOfOpt = None,
    by: Annotated[By, typer.Option(help="agreement (list with scores), category or agreement_category")] = By.agreement,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Agreements with their implementation score (0-100) today or --as-of a date; --by category for category scores."""
    when = last_day(as_of, "--as-of") or date.today()
    if by is By.agreement:
        table = _arrow(tracker.agreements_overview(when))
        table = _brief(
            table, fmt, ["id", "name", "date_signed", "pax_id", "provisions", "score", "reversed", "later_fate"]
        )
    else:
        table = _arrow(tracker.scores(when, by.value))
    emit(table, fmt, output, title=f"implementation scores as of {when} (by {by.value})")


@app.command()
def agreement(
    agreement_id: Annotated[str, typer.Argument(help="agreement id, e.g. PD-2018, PYD-2018, CMA-2018")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """One agreement provision by provision: status on --as-of, since when, and the events behind it."""
    when = last_day(as_of, "--as-of") or date.today()
    try:
        detail = tracker.agreement_detail(agreement_id.upper(), when)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc).strip("'\""), param_hint="AGREEMENT_ID") from None
    score = tracker.scores(when)
    row = score[score["agreement_id"] == agreement_id.upper()].iloc[0]
    table = _brief(_arrow(detail), fmt, ["provision_id", "category", "status", "since", "event", "timeline_events"])
    emit(
        table,
        fmt,
        output,
        title=f"{agreement_id.upper()} as of {when}: score {row['score']} ({row['reversed']} reversed)",
    )


@app.command()
def timeline(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="first date, YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, typer.Option(help="last date, YYYY[-MM[-DD]]")] = None,
    types: Annotated[
        str | None, typer.Option(help="comma-separated categories or families, e.g. missile_test,launch")
    ] = None,
    multi_source: Annotated[
        bool, typer.Option("--multi-source", help="only incidents seen by several sources")
    ] = False,
    limit: Annotated[int, typer.Option(min=1)] = 1000,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The merged incident timeline (CNS, CSIS, curated timeline, COW MID), oldest first, with its provenance."""
    first, last = first_day(since, "--since"), last_day(until, "--until")
    if first and last and first > last:
        raise typer.BadParameter("--since must be on or before --until", param_hint="--since")
    store = open_store(ctx)
    try:
        inc = link_store(store).incidents.to_pandas()
    finally:
        store.close()
    if inc.empty:
        note("no events in the store:", "run `detente init` (and ingest CNS/CSIS/COW MID files) first")
    if first:
        inc = inc[inc["date"] >= first]
    if last:
        inc = inc[inc["date"] <= last]
    if types:
        wanted = {t.strip() for t in types.split(",") if t.strip()}
        inc = inc[inc["category"].isin(wanted) | inc["family"].isin(wanted)]
    if multi_source:
        inc = inc[inc["n_sources"] > 1]
    table = _arrow(inc.head(limit).reset_index(drop=True)) if not inc.empty else _arrow(inc)
    emit(
        _brief(table, fmt, ["date", "category", "sources", "n_events", "description", "incident_id"]),
        fmt,
        output,
        title="timeline",
    )


@app.command()
def incidents(
    ctx: typer.Context,
    show: Annotated[
        Show, typer.Option(help="summary, ambiguous, missiles (yearly check), unmatched or links")
    ] = Show.summary,
    first: Annotated[int, typer.Option(help="first year of the missile check")] = 1984,
    last: Annotated[int, typer.Option(help="last year of the missile check")] = 2023,
    save: Annotated[bool, typer.Option(help="write incident_links and incidents into the store")] = True,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Link the store's events into incidents and report: counts, ambiguous cases, the missile check."""
    store = open_store(ctx)
    try:
        linking = link_store(store)
        if save:
            write_links(store, linking)
    finally:
        store.close()
    if show is Show.summary:
        table = linking.summary()
    elif show is Show.ambiguous:
        table = linking.ambiguous
    elif show is Show.links:
        table = linking.links
    else:
        try:
            frame = (missiles.yearly_comparison if show is Show.missiles else missiles.unmatched_launches)(
                linking, first, last
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--show") from None
        table = _arrow(frame)
    emit(table, fmt, output, title=f"incidents: {show.value}")


@app.command("kb")
def kb_table(
    name: Annotated[str, typer.Argument(help=f"one of: {', '.join(tables.TABLES)}; or audit")],
    directory: Annotated[
        Path | None, typer.Argument(help="with audit: a knowledge-base folder (default: the shipped one)")
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Print a shipped knowledge-base table (every row with its source and confidence).

    ``detente kb audit [DIR]`` audits a knowledge-base folder instead: per table, rows, sources by class,
    rows on weak sources only, unsourced and recalled rows, the newest date; then every row that breaks a
    sourcing rule. It exits 1 when any row does.
    """
    if name == "audit":
        _audit(directory, fmt, output)
        return
    if name not in tables.TABLES:
        raise typer.BadParameter(f"unknown table {name!r}; one of: {', '.join(tables.TABLES)}", param_hint="NAME")
    emit(tables.load(name), fmt, output, title=tables.TABLES[name].description)


def _audit(directory: Path | None, fmt: Format, output: Path | None) -> None:
    from ..kb import quality

    if directory is not None and not directory.is_dir():
        raise typer.BadParameter(f"{directory} is not a folder", param_hint="DIR")
    table, summary = quality.audit(directory)
    emit(table, fmt, output, title="knowledge-base audit")
    failing = quality.problems(directory)
    if failing.num_rows:
        emit(failing, Format.table, None, title="rows that break a sourcing rule")
    note("summary", ", ".join(f"{k} {v}" for k, v in summary.items()), style="")
    if summary["rows_failing"]:
        raise typer.Exit(1)
