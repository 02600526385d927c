"""The ``detente analyze`` group: ``reciprocity``, ``event-study``, ``csis-2016``, ``claims`` and ``phases``.

``reciprocity`` (VAR, Granger tests, impulse responses), ``event-study`` (counts around a set of
events with a placebo test), ``csis-2016`` (the Beyond Parallel replication) and ``claims`` (every
registered claim with its verdict); ``phases`` is the command of :mod:`detente.cli.indicators`,
listed here too. All take ``--format`` and ``--output``; ``--show`` picks the table of a
multi-table result.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar

import pandas as pd
import typer

from ..analysis.anchors import ANCHOR_SETS, anchor_set
from ..analysis.claims import default_claims, run_claims
from ..analysis.csis2016 import csis_2016
from ..analysis.events_study import OUTCOMES, event_study, outcome_counts
from ..analysis.reciprocity import MEASURES, NotEnoughData, reciprocity_var
from . import COMMANDS
from ._lazy import LazyGroup
from ._options import Format, FormatOpt, OutputOpt, arrow_table, command_app, emit, frequency_and_span, open_store

__all__ = [
    "CsisShow",
    "StudyShow",
    "VarShow",
    "app",
    "claims",
    "csis_2016_command",
    "event_study_command",
    "reciprocity",
]


class _Analyses(LazyGroup):
    lazy: ClassVar = {"phases": COMMANDS["phases"]}


app = command_app(name="analyze", cls=_Analyses, help=COMMANDS["analyze"][1], no_args_is_help=True)

PermOpt = Annotated[int, typer.Option("--perm", min=99, help="placebo draws of the permutation test")]
SeedOpt = Annotated[int, typer.Option(help="random seed (results are reproducible)")]


class VarShow(str, Enum):
    """Tables of a reciprocity result."""

    granger = "granger"
    irf = "irf"
    lags = "lags"
    sample = "sample"
    coefficients = "coefficients"


class StudyShow(str, Enum):
    """Tables of an event study."""

    summary = "summary"
    windows = "windows"


class CsisShow(str, Enum):
    """Tables of the CSIS 2016 replication."""

    findings = "findings"
    seasons = "seasons"


@app.command()
def reciprocity(
    ctx: typer.Context,
    actors: Annotated[str, typer.Option(help="comma-separated actors; every ordered pair is a series")] = "PRK,KOR",
    freq: Annotated[str, typer.Option(help="day, week, month or year (or D, W, M, Y)")] = "month",
    measure: Annotated[str, typer.Option(help=f"series measure: {', '.join(MEASURES)}")] = "net_cooperation",
    start: Annotated[str | None, typer.Option(help="first date, YYYY[-MM[-DD]]")] = None,
    end: Annotated[str | None, typer.Option(help="last date, YYYY[-MM[-DD]]")] = None,
    maxlags: Annotated[int, typer.Option(min=1, help="largest lag tried")] = 12,
    ic: Annotated[str, typer.Option(help="lag criterion: aic, bic, hqic or fpe")] = "aic",
    orthogonal: Annotated[bool, typer.Option(help="orthogonalised impulse responses")] = False,
    show: Annotated[VarShow, typer.Option(help="granger, irf, lags, sample or coefficients")] = VarShow.granger,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """VAR between directed series of the actors, with Granger tests and impulse responses (three-way street)."""
    f, first, last = frequency_and_span(freq, start, end)
    names = [a.strip().upper() for a in actors.split(",") if a.strip()]
    if ic not in ("aic", "bic", "hqic", "fpe"):
        raise typer.BadParameter(f"unknown criterion {ic!r}", param_hint="--ic")
    try:
        res = reciprocity_var(
            open_store(ctx),
            names,
            f,
            measure=measure,
            start=first,
            end=last,
            maxlags=maxlags,
            ic=ic,
            orthogonal=orthogonal,
        )
    except NotEnoughData as exc:
        typer.echo(f"not enough data: {exc}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--actors/--measure") from None
    tables = {
        VarShow.granger: res.granger,
        VarShow.irf: res.irf,
        VarShow.lags: res.lag_order,
        VarShow.sample: res.sample_table(),
        VarShow.coefficients: res.coefficients,
    }
    s = res.sample
    title = (
        f"VAR({s['lags']}, {s['criterion']}) of {measure} by {f}, {s['first']}..{s['last']}, "
        f"{s['nobs']} observations" + (f"; {'; '.join(res.notes)}" if res.notes else "")
    )
    emit(arrow_table(tables[show].round(6), fmt), fmt, output, title=title)


@app.command("event-study")
def event_study_command(
    ctx: typer.Context,
    events: Annotated[str, typer.Option(help=f"event set: {', '.join(ANCHOR_SETS)}")] = "exercises",
    outcome: Annotated[str, typer.Option(help=f"outcome: {', '.join(OUTCOMES)}")] = "provocations",
    pre: Annotated[int, typer.Option(min=1, help="days before each event")] = 56,
    post: Annotated[int, typer.Option(min=1, help="days after each event (after its end with --during)")] = 56,
    during: Annotated[bool, typer.Option(help="count the event's own span separately")] = False,
    alternative: Annotated[str, typer.Option(help="greater, less or two-sided")] = "greater",
    perm: PermOpt = 5000,
    seed: SeedOpt = 0,
    show: Annotated[StudyShow, typer.Option(help="summary or windows")] = StudyShow.summary,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Outcome counts before and after a set of events, with a placebo-date (shift) permutation test."""
    if alternative not in ("greater", "less", "two-sided"):
        raise typer.BadParameter(f"unknown alternative {alternative!r}", param_hint="--alternative")
    try:
        anchors = anchor_set(events)
        counts = outcome_counts(open_store(ctx), outcome)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--events/--outcome") from None
    study = event_study(
        counts,
        anchors,
        pre=pre,
        post=post,
        during=during,
        alternative=alternative,  # type: ignore[arg-type]
        n_perm=perm,
        seed=seed,
        ids=show is StudyShow.windows,
    )
    frame = pd.DataFrame([study.summary()]) if show is StudyShow.summary else study.windows
    emit(arrow_table(frame, fmt), fmt, output, title=f"{outcome} around {events}")


@app.command("csis-2016")
def csis_2016_command(
    ctx: typer.Context,
    sources: Annotated[
        str, typer.Option(help="provocation sources: comma-separated, e.g. csis")
    ] = "kb,cns,csis,cow_mid",
    window: Annotated[int, typer.Option(min=7, help="days in each of the pre, during and post windows")] = 56,
    perm: PermOpt = 5000,
    seed: SeedOpt = 0,
    show: Annotated[CsisShow, typer.Option(help="findings or seasons")] = CsisShow.findings,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Replicate CSIS Beyond Parallel's 2016 study of spring exercises 2005-2016: where our data agree and where not."""
    chosen = tuple(s.strip() for s in sources.split(",") if s.strip())
    rep = csis_2016(open_store(ctx), window=window, n_perm=perm, seed=seed, sources=chosen)
    frame = rep.findings if show is CsisShow.findings else rep.seasons
    columns = ["finding", "ours", "agree"] if show is CsisShow.findings else None
    emit(arrow_table(frame, fmt, columns), fmt, output, title=f"CSIS 2016 replication ({', '.join(chosen)})")


@app.command()
def claims(
    ctx: typer.Context,
    claim_id: Annotated[list[str] | None, typer.Option("--id", help="only these claims (repeatable)")] = None,
    perm: PermOpt = 5000,
    seed: SeedOpt = 0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Test the registered claims: effect, interval, p-value, coverage and a plain verdict for each."""
    chosen = default_claims()
    if claim_id:
        known = {c.id for c in chosen}
        unknown = [i for i in claim_id if i not in known]
        if unknown:
            raise typer.BadParameter(
                f"unknown claim(s) {', '.join(unknown)}: use {', '.join(sorted(known))}", param_hint="--id"
            )
        chosen = [c for c in chosen if c.id in claim_id]
    frame = run_claims(open_store(ctx), chosen, n_perm=perm, seed=seed)
    emit(
        arrow_table(frame, fmt, ["claim", "verdict", "effect", "ci_low", "ci_high", "p_value", "n", "effect_label"]),
        fmt,
        output,
        title="claims",
    )
