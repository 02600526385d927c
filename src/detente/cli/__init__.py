"""The ``detente`` command line. Thin: parse, call the API, render.

One module per command group: :mod:`.store` (init, ingest, sources, quarantine), :mod:`.events`,
:mod:`.indicators`, :mod:`.analyze`, :mod:`.kb`, :mod:`.models` (bargain, forecast, backtest,
scenario), :mod:`.report` (brief), :mod:`.serve`, :mod:`.theatres`, :mod:`.border` (watch), :mod:`.fetch`,
:mod:`.update`, :mod:`.watch` (track record, alerts) and :mod:`.verdict`; what they share
is in :mod:`._options`. :data:`COMMANDS` lists every command with its module, and a command's module
is imported only when that command runs, so ``detente --help`` imports no command (decision 042).
The engine of ``--backend`` reaches the commands through the typer context (``ctx.obj``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import typer

from ._lazy import LazyGroup

if TYPE_CHECKING:
    from typer._click import Context  # the context type the group methods take

__all__ = ["COMMANDS", "app"]

#: every command of ``detente``: name -> (module of detente.cli, the first line of its docstring), in help order
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("store", "Ingest event files (format auto-detected); re-ingesting a file adds nothing."),
    "init": ("store", "Build the store from the shipped knowledge base (and optional raw data) and summarise it."),
    "sources": ("store", "Rows read, stored and quarantined per source and file, with the date span."),
    "quarantine": ("store", "Rejected lines: file, line number, raw text and reason."),
    "store": ("store", "Check the store against its manifest, or rebuild the manifest from the tree."),
    "events": ("events", "Events from the store, filtered; newest first."),
    "series": (
        "indicators",
        "Dyadic series: QuadClass counts, Goldstein sums and means, cooperation, conflict (each direction and both).",
    ),
    "index": (
        "indicators",
        "Tension index (0-100) with its components: conflict counts, hostility, cooperation, severity, drills.",
    ),
    "military": (
        "indicators",
        "The four military-tension elements: drills, troop movements, border incidents, new capabilities.",
    ),
    "phases": (
        "indicators",
        "Phases of the tension index (change points), labelled thaw / freeze / stable, with their opening events.",
    ),
    "analyze": ("analyze", "Analyses: reciprocity, event studies, CSIS 2016 replication, claims, phases."),
    "agreements": (
        "kb",
        (
            "Agreements with their implementation score (0-100) today or --as-of a date; --by category for"
            " category scores."
        ),
    ),
    "agreement": (
        "kb",
        "One agreement provision by provision: status on --as-of, since when, and the events behind it.",
    ),
    "timeline": (
        "kb",
        "The merged incident timeline (CNS, CSIS, curated timeline, COW MID), oldest first, with its provenance.",
    ),
    "incidents": (
        "kb",
        "Linked incidents (one per real-world event, whatever its sources), filtered; --show for the link reports.",
    ),
    "kb": ("kb", "Print a shipped knowledge-base table (every row with its source and confidence)."),
    "bargain": (
        "models",
        "Predicted outcome per issue (BDM, compromise, weighted median, Nash) with Monte Carlo intervals.",
    ),
    "forecast": (
        "models",
        "Probability (or count distribution) of the target over the next months, per model, with drivers.",
    ),
    "backtest": (
        "models",
        "Rolling-origin backtest: every model against the baselines for each target and horizon.",
    ),
    "scenario": (
        "models",
        "A what-if scenario against the baseline path: forecast differences with intervals, bargaining re-run.",
    ),
    "brief": (
        "report",
        "Write the status brief on the inter-Korean peace process, built from the store and the models.",
    ),
    "serve": ("serve", "Serve the dashboard at http://HOST:PORT/ and the REST API under /api (OpenAPI at /docs)."),
    "theatres": (
        "theatres",
        "Pairs of states with a territorial or border conflict, found from UCDP, PA-X and COW MID.",
    ),
    "theatre": (
        "theatres",
        "One theatre: UCDP conflict-years, PA-X (and KB) agreements, COW MID disputes and incidents per year.",
    ),
    "lessons": (
        "theatres",
        "What followed agreements with provisions like Korea's: outcomes, survival, Korea against the record.",
    ),
    "fetch": ("fetch", "Download raw event files."),
    "update": (
        "update",
        "Bring every configured source up to date since its last run: download, check, ingest (safe from cron).",
    ),
    "coverage": ("update", "Expected files against what the store holds, per source, and every gap with its reason."),
    "watch": (
        "border",
        "Asia border watch: per theatre, index now and its 12-month change, UCDP, last agreement, CBMs, coverage.",
    ),
    "track-record": (
        "watch",
        "Live skill of the forecasts Détente issued and logged, against the baselines, and the log's check.",
    ),
    "verdict": (
        "verdict",
        "Monthly verdict: deteriorated / improved / unchanged, risk alert, resolution opportunity, with evidence.",
    ),
    "alerts": (
        "watch",
        "Alerts fired so far (each once): rule, month, title and evidence; --check evaluates the rules first.",
    ),
}


class _Detente(LazyGroup):
    lazy: ClassVar = COMMANDS

    def invoke(self, ctx: Context) -> Any:
        """Run the command; a missing extra or a store that cannot be opened ends in one line, not a traceback."""
        from .._extras import MissingExtraError

        try:
            return super().invoke(ctx)
        except MissingExtraError as exc:
            from ._options import note

            note("error", str(exc), style="red")
            raise typer.Exit(2) from None
        except Exception as exc:
            manifest = sys.modules.get("detente.manifest")  # a StoreError exists only once the store was loaded
            if manifest is None or not isinstance(exc, manifest.StoreError):
                raise
            from ._options import note

            note("error", str(exc), style="red")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Detente,
    help="Détente: a peace-process observatory for border conflicts.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.callback()
def main(
    ctx: typer.Context,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="engine of the events queries for this run, a store engine of detente.backends.ENGINES"
            " (default: DETENTE_BACKEND, else duckdb)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Select the query engine: ``--backend`` is handed to the commands in ``ctx.obj``."""
    from ._options import Run

    name = None
    if backend is not None:
        from .. import backends
        from ._options import note

        try:
            name = backends.store_engine(backend).name
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--backend") from None
        try:
            backends.require(name)
        except backends.BackendNotInstalled as exc:
            note("error", str(exc), style="red")
            raise typer.Exit(2) from None
    ctx.obj = Run(backend=name)
