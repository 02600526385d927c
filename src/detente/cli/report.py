"""``brief``: the status brief as HTML, PDF or Markdown, written with its charts and data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..report.model import BriefFormat
from ._options import command_app, err, last_day, note, open_store
from ._output import printable

__all__ = ["app", "brief"]

app = command_app()


@app.command()
def brief(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="use data up to this day, YYYY[-MM[-DD]] (default: latest)")
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
    from ..report.builder import build_brief, ensure_store
    from ..report.render import write_brief

    day = last_day(as_of, "--as-of")
    store = open_store(ctx)
    try:
        for report in ensure_store(store):
            note("empty store:", f"ingested the shipped {Path(report.path).name} ({report.status})")
        with err.status("building the brief"):
            result = build_brief(store, day, runs=runs, seed=seed, forecast_origins=origins)
    finally:
        store.close()
    formats = list(dict.fromkeys(fmt or [BriefFormat.html]))
    target = output or Path(f"brief-{result.as_of}.{formats[0].value}")
    with err.status(Text(f"writing {printable(str(target))}")):
        written = write_brief(result, target, *formats)
    missing = sum(len(n.missing) for n in result.footnotes)
    if missing:
        note(f"{missing} cited event id(s) are not in the store", style="red")
    briefs, files = written[: len(formats)], written[len(formats) :]
    note(f"{len(result.footnotes)} footnotes;", f"{len(files)} chart and footnote files in {files[0].parent}", style="")
    for path in briefs:
        typer.echo(str(path))
