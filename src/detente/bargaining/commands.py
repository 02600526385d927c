"""The ``detente bargain`` command, registered on the main app by ``cli.py``.

Runs the bargaining models on an issue set (the shipped Korean set by default, any YAML issue set
or a flat ``actor,issue,position,salience,capability`` CSV) and prints, per issue and model, the
predicted outcome, the 80% interval of the Monte Carlo and the three most influential inputs;
``--show`` switches to the BDM round-by-round table, the influence of every input, the raw run
outcomes or the inputs with their sources. ``--chart`` writes the positions-over-rounds chart.
``--format``/``--output`` as for every command (``--format json`` is the JSON result).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.compute as pc
import typer
from rich.console import Console

from ..output import Format, emit
from .bdm import SCHOLZ_CODE_RULES
from .charts import CHART_SUFFIXES, rounds_chart, save_chart
from .inputs import BargainingInputError, IssueSet, data_path, load
from .solution import MODEL_NAMES, solve

__all__ = ["Example", "ModelChoice", "Rules", "Show", "bargain"]

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv, json or parquet")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")]
_err = Console(stderr=True)


class ModelChoice(str, Enum):
    """Models to run."""

    all = "all"
    bdm = "bdm"
    compromise = "compromise"
    median = "median"
    nash = "nash"


class Show(str, Enum):
    """Views of the result."""

    summary = "summary"
    rounds = "rounds"
    influence = "influence"
    distribution = "distribution"
    inputs = "inputs"


class Rules(str, Enum):
    """BDM rule set: Scholz et al.'s paper or their published code."""

    paper = "paper"
    scholz_code = "scholz-code"


class Example(str, Enum):
    """Shipped issue sets."""

    korea = "korea"
    ec = "ec"


_EXAMPLES = {Example.korea: ("korea.yaml", True), Example.ec: ("ec_emissions.csv", False)}
_RULES: dict[Rules, dict[str, str]] = {Rules.paper: {}, Rules.scholz_code: SCHOLZ_CODE_RULES}


def _rounded(table: pa.Table, digits: int = 2) -> pa.Table:
    cols = [pc.round(c, digits) if pa.types.is_floating(c.type) else c for c in table.columns]
    return pa.Table.from_arrays(cols, names=table.column_names)


def _issue_set(file: Path | None, example: Example, salience_scale: float) -> IssueSet:
    name, strict = _EXAMPLES[example]
    path = file if file is not None else data_path(name)
    strict = strict and file is None
    try:
        return load(path, salience_scale=salience_scale, strict=strict)
    except BargainingInputError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None


def bargain(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="issue set: .yaml/.yml, or .csv with actor,issue,position,salience,capability (default: --example)",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    issue: Annotated[list[str] | None, typer.Option("--issue", "-i", help="only this issue id (repeatable)")] = None,
    model: Annotated[ModelChoice, typer.Option("--model", "-m", help="bdm, compromise, median, nash or all")] = (
        ModelChoice.all
    ),
    runs: Annotated[int, typer.Option("--runs", "-n", min=0, help="Monte Carlo runs (0: point forecasts only)")] = 1000,
    seed: Annotated[int, typer.Option(help="seed of the Monte Carlo draws")] = 0,
    spread: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="relative range given to inputs that have none")
    ] = 0.0,
    show: Annotated[Show, typer.Option(help="summary, rounds, influence, distribution or inputs")] = Show.summary,
    rules: Annotated[Rules, typer.Option(help="BDM rules: paper (default) or scholz-code")] = Rules.paper,
    max_rounds: Annotated[int, typer.Option(min=1, help="BDM round cap")] = 10,
    example: Annotated[Example, typer.Option(help="shipped issue set used when FILE is not given")] = Example.korea,
    salience_scale: Annotated[float, typer.Option(min=1e-9, help="salience scale of a CSV file (100 or 1)")] = 100.0,
    chart: Annotated[Path | None, typer.Option(help="write the BDM rounds chart: .png, .svg, .html or .json")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Predicted outcome per issue (BDM, compromise, weighted median, Nash) with Monte Carlo intervals."""
    if runs == 1:
        raise typer.BadParameter("use 0 (no Monte Carlo) or at least 2 runs", param_hint="--runs")
    if chart is not None and chart.suffix.lower() not in CHART_SUFFIXES:
        raise typer.BadParameter(f"must end in one of {', '.join(CHART_SUFFIXES)}", param_hint="--chart")
    issues = _issue_set(file, example, salience_scale)
    if issue:
        try:
            issues = issues.select(issue)
        except KeyError as exc:
            raise typer.BadParameter(str(exc).strip("'\""), param_hint="--issue") from None
    models: tuple[str, ...] = MODEL_NAMES if model is ModelChoice.all else (model.value,)
    if (show is Show.rounds or chart is not None) and "bdm" not in models:
        raise typer.BadParameter(
            "the rounds table and chart come from BDM: add --model bdm or all", param_hint="--show"
        )
    if show in (Show.influence, Show.distribution) and runs == 0:
        raise typer.BadParameter(f"--show {show.value} needs --runs > 0", param_hint="--show")
    if show is Show.inputs and chart is None:  # nothing to solve
        runs, models = 0, ()
    sol = solve(issues, models, runs=runs, seed=seed, spread=spread, bdm={"max_rounds": max_rounds, **_RULES[rules]})
    if chart is not None:
        save_chart(rounds_chart(sol.rounds_table(), title=f"BDM ({rules.value} rules): positions by round"), chart)
        _err.print(f"chart written to {chart}")
    views = {
        Show.summary: sol.summary_table, Show.rounds: sol.rounds_table, Show.influence: sol.influence_table,
        Show.distribution: sol.distribution_table, Show.inputs: issues.inputs_table,
    }  # fmt: skip
    table = views[show]()
    if fmt is Format.table:  # the terminal view: readable columns, results to 2 decimals, inputs as given
        if show is Show.inputs:
            table = table.select(["issue", "actor", "field", "value", "low", "high", "rationale"])
        else:
            table = _rounded(table)
    mc = f", {runs} runs" if runs else ""
    emit(table, fmt, output, title=f"{issues.name}: {show.value} ({rules.value} BDM rules{mc})")
