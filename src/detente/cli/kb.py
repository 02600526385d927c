"""``agreements``, ``agreement``, ``timeline``, ``incidents`` and ``kb``: the curated knowledge base.

``agreements`` (scores by agreement or category), ``agreement ID`` (provision by provision),
``timeline`` (the merged incident timeline), ``incidents`` (the linked incidents, filtered; or build
the incident tables in the store and report on the linking) and ``kb TABLE`` (print a shipped table;
``kb audit [DIR]``, ``kb validate DIR``). All take ``--format`` and ``--output`` like every other
command; ``agreements``, ``timeline`` and ``kb TABLE`` take ``--kb DIR``, a knowledge-base folder
loaded beside the shipped one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from ..kb import missiles, tables, tracker
from ..kb.linking import link_events, link_store, store_events, write_links
from ._options import Format, FormatOpt, OutputOpt, command_app, emit, first_day, last_day, note, open_store
from ._output import printable

__all__ = ["By", "Show", "agreement", "agreements", "app", "incidents", "kb_table", "timeline"]

app = command_app()

KbOpt = Annotated[
    Path | None, typer.Option("--kb", help="a knowledge-base folder (docs/knowledge-base.md) beside the shipped one")
]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="date of the status, YYYY[-MM[-DD]] (default: today)")]


class By(str, Enum):
    """Grouping of implementation scores."""

    agreement = "agreement"
    category = "category"
    agreement_category = "agreement_category"


class Show(str, Enum):
    """Reports of the ``incidents`` command."""

    list = "list"
    summary = "summary"
    ambiguous = "ambiguous"
    missiles = "missiles"
    unmatched = "unmatched"
    links = "links"


def _arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def _states(folder: Path) -> tuple[str, ...] | None:
    """The two states of the registry theatre whose knowledge base is ``folder`` (None: no such theatre)."""
    from ..theatres import load_registry

    found = [t.states for t in load_registry().theatres if t.kb is not None and t.kb == folder.resolve()]
    return found[0] if found else None


def _user_kb(folder: Path | None, hint: str = "--kb", states: tuple[str, ...] | None = None) -> Path | None:
    """``--kb DIR`` checked: a folder whose every table validates, else one line per problem and exit 1.

    The problems go to stdout for ``kb validate`` (``hint`` DIR, they are its result), else to stderr.
    """
    if folder is None:
        return None
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder", param_hint=hint)
    if problems := tables.validate(folder, states or _states(folder)):
        for problem in problems:
            typer.echo(printable(str(problem)), err=hint != "DIR")
        note("invalid", f"{folder}: {len(problems)} problem(s)", style="red")
        raise typer.Exit(1)
    return folder


def _beside(shipped: pd.DataFrame, folder: Path | None, load: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """The shipped rows, then those of ``folder``; with a folder, a first column ``kb`` says whose each row is."""
    if folder is None:
        return shipped
    parts = [shipped.assign(kb="shipped"), load(folder).assign(kb=str(folder))]
    out = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
    return out[["kb", *(c for c in out.columns if c != "kb")]]


def _brief(table: pa.Table, fmt: Format, columns: list[str]) -> pa.Table:
    """All columns for csv/json/parquet; the readable subset for the terminal table."""
    return table.select(columns) if fmt is Format.table else table


@app.command()
def agreements(
    as_of: AsOfOpt = None,
    by: Annotated[By, typer.Option(help="agreement (list with scores), category or agreement_category")] = By.agreement,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Agreements with their implementation score (0-100) today or --as-of a date; --by category for category scores."""
    when = last_day(as_of, "--as-of") or date.today()
    folder = _user_kb(kb)
    first = ["kb"] if folder is not None else []
    if by is By.agreement:
        frame = _beside(tracker.agreements_overview(when), folder, lambda f: tracker.agreements_overview(when, f))
        table = _brief(
            _arrow(frame),
            fmt,
            [*first, "id", "name", "date_signed", "pax_id", "provisions", "score", "reversed", "later_fate"],
        )
    else:
        table = _arrow(_beside(tracker.scores(when, by.value), folder, lambda f: tracker.scores(when, by.value, f)))
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
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The merged incident timeline (CNS, CSIS, curated timeline, COW MID), oldest first, with its provenance."""
    first, last = first_day(since, "--since"), last_day(until, "--until")
    if first and last and first > last:
        raise typer.BadParameter("--since must be on or before --until", param_hint="--since")
    folder = _user_kb(kb)
    store = open_store(ctx)
    try:
        events = store_events(store)
    finally:
        store.close()
    if folder is not None and (folder / tables.TIMELINE.file).is_file():
        extra = tracker.timeline_events(folder).select(events.column_names).cast(events.schema)
        events = pa.concat_tables([events, extra])
    inc = link_events(events).incidents.to_pandas()
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
    actor: Annotated[str | None, typer.Option(help="with list: ISO3 code on either side, e.g. PRK")] = None,
    dyad: Annotated[
        str | None, typer.Option(help="with list: A>B or A-B; its events and its sides' untargeted ones")
    ] = None,
    start: Annotated[str | None, typer.Option(help="with list: first date, YYYY[-MM[-DD]]")] = None,
    end: Annotated[str | None, typer.Option(help="with list: last date, YYYY[-MM[-DD]]")] = None,
    category: Annotated[
        str | None, typer.Option(help="with list: a category or a family (launch, clash, propaganda)")
    ] = None,
    show: Annotated[
        Show, typer.Option(help="list, summary, ambiguous, missiles (yearly check), unmatched or links")
    ] = Show.list,
    first: Annotated[int, typer.Option(help="first year of the missile check")] = 1984,
    last: Annotated[int, typer.Option(help="last year of the missile check")] = 2023,
    save: Annotated[bool, typer.Option(help="write incident_links and incidents into the store")] = True,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Linked incidents (one per real-world event, whatever its sources), filtered; --show for the link reports.

    The list has every incident (no cut), oldest first; the tension index counts incidents too, by its
    own rule (``detente.indicators.find_incidents``), never the rows. The reports: ``summary`` (counts),
    ``ambiguous`` cases, the ``missiles`` check per year, ``unmatched`` launches and the ``links``.
    Except for the list, the link tables are written into the store (``--no-save``: not).
    """
    if show is Show.list:
        _incident_list(ctx, actor, dyad, (start, end), category, fmt, output)
        return
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


def _incident_list(
    ctx: typer.Context,
    actor: str | None,
    dyad: str | None,
    span: tuple[str | None, str | None],
    category: str | None,
    fmt: Format,
    output: Path | None,
) -> None:
    from ..indicators.listing import FilterError, incident_list

    store = open_store(ctx)
    try:
        frame = incident_list(
            store, actor=actor, dyad=dyad, start=first_day(span[0], "--start"), end=last_day(span[1], "--end"),
            category=category,
        )  # fmt: skip
    except FilterError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"--{exc.param}") from None
    finally:
        store.close()
    frame["date"] = frame["date"].dt.date
    columns = ["date", "category", "initiators", "sources", "n_events", "description", "incident_id"]
    emit(_brief(_arrow(frame), fmt, columns), fmt, output, title=f"incidents: {len(frame)}")


@app.command("kb")
def kb_table(
    name: Annotated[str, typer.Argument(help=f"one of: {', '.join(tables.TABLES)}; or audit, or validate")],
    directory: Annotated[
        Path | None,
        typer.Argument(help="with audit: a knowledge-base folder (default: the shipped one); with validate: required"),
    ] = None,
    kb: KbOpt = None,
    theatre: Annotated[
        str | None, typer.Option("--theatre", help="with validate: the theatre (id or name) whose states leaders name")
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Print a shipped knowledge-base table (every row with its source and confidence).

    ``detente kb audit [DIR]`` audits a knowledge-base folder instead: per table, rows, sources by class,
    rows on weak sources only, unsourced and recalled rows, the newest date; then every row that breaks a
    sourcing rule. It exits 1 when any row does. ``detente kb validate DIR`` checks a folder against the
    layout (docs/knowledge-base.md): one line per problem naming the file, row and field; exit 1 if any.
    Leaders must name the states of ``--theatre`` (default: of the registry theatre whose folder it is).
    """
    if name == "audit":
        _audit(directory, fmt, output)
        return
    if name == "validate":
        _validate(directory, theatre)
        return
    if name not in tables.TABLES:
        raise typer.BadParameter(f"unknown table {name!r}; one of: {', '.join(tables.TABLES)}", param_hint="NAME")
    folder = _user_kb(kb)
    table = tables.load(name)
    if folder is not None:
        table = _arrow(_beside(table.to_pandas(), folder, lambda f: tables.load(name, f, _states(f)).to_pandas()))
    emit(table, fmt, output, title=tables.TABLES[name].description)


def _validate(directory: Path | None, theatre: str | None) -> None:
    if directory is None:
        raise typer.BadParameter("validate needs a knowledge-base folder", param_hint="DIR")
    states = None
    if theatre is not None:
        from ..theatres import RegistryError, load_registry

        try:
            states = load_registry().get(theatre).states
        except RegistryError as exc:
            raise typer.BadParameter(str(exc), param_hint="--theatre") from None
    _user_kb(directory, "DIR", states)
    note("valid", f"{directory}: no problem", style="green")


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
