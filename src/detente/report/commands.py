"""The ``detente brief`` command: the status brief as HTML, PDF or Markdown, written with its charts and data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .render import BriefFormat

__all__ = ["brief"]

_err = Console(stderr=True)


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint="--as-of") from None


def brief(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="use data up to this day, YYYY-MM-DD (default: latest)")
    ] = None,
    fmt: Annotated[
        list[BriefFormat] | None, typer.Option("--format", "-f", help="html, pdf or md; repeat for several")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="file to write (default: brief-<date>.<format> here); with several "
            "formats, its suffix is replaced by each format's",
        ),
    ] = None,
    runs: Annotated[int, typer.Option(min=0, max=100_000, help="Monte Carlo runs of the bargaining models")] = 1000,
    seed: Annotated[int, typer.Option(help="random seed (results are reproducible)")] = 0,
    origins: Annotated[
        int, typer.Option(min=12, max=240, help="realised origins of the forecasts' backtest skill")
    ] = 36,
) -> None:
    """Write the status brief on the inter-Korean peace process, built from the store and the models.

    Charts (SVG, PNG, Vega-Lite spec, CSV) and every footnote's event ids go to <name>_files/ beside
    the brief. An empty store is first filled from the shipped knowledge base (as `detente init` does).
    """
    from ..store import Store
    from .builder import build_brief, ensure_store
    from .render import write_brief

    day = _as_of(as_of)
    store = Store()
    try:
        for report in ensure_store(store):
            _err.print(f"[yellow]empty store[/]: ingested the shipped {Path(report.path).name} ({report.status})")
        with _err.status("building the brief"):
            result = build_brief(store, day, runs=runs, seed=seed, forecast_origins=origins)
    finally:
        store.close()
    formats = list(dict.fromkeys(fmt or [BriefFormat.html]))
    target = output or Path(f"brief-{result.as_of}.{formats[0].value}")
    with _err.status(f"writing {target}"):
        written = write_brief(result, target, *formats)
    missing = sum(len(n.missing) for n in result.footnotes)
    if missing:
        _err.print(f"[red]{missing} cited event id(s) are not in the store[/]")
    briefs, files = written[: len(formats)], written[len(formats) :]
    _err.print(f"{len(result.footnotes)} footnotes; {len(files)} chart and footnote files in {files[0].parent}")
    for path in briefs:
        typer.echo(str(path))
