"""The models: ``bargain``, ``forecast``, ``backtest`` and ``scenario``.

- ``detente bargain [FILE]``: the bargaining models on an issue set (the shipped Korean set by
  default, any YAML issue set or a flat ``actor,issue,position,salience,capability`` CSV): per issue
  and model, the predicted outcome, the 80% interval of the Monte Carlo and the three most
  influential inputs; ``--show`` switches to the BDM round-by-round table, the influence of every
  input, the raw run outcomes or the inputs with their sources; ``--chart`` writes the
  positions-over-rounds chart.
- ``detente forecast --target missile --horizon 3``: every model's probability (or count
  distribution) for the window after the last complete month, with an interval under parameter
  uncertainty, the main drivers and the model's recent track record.
- ``detente backtest``: the rolling-origin leaderboard of every model against the baselines for
  each target and horizon; ``--show calibration`` the calibration tables, ``--chart`` the
  reliability chart (picture plus CSV).
- ``detente scenario FILE``: a YAML what-if against the baseline path, with 80% intervals, and the
  bargaining models re-run where the scenario edits their inputs.

All print through :func:`detente.cli._output.emit` (``--format table|csv|json|parquet``, ``--output``).
The model libraries are imported inside the commands, so loading this module stays cheap.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import typer

from ..bargaining.bdm import SCHOLZ_CODE_RULES
from ..bargaining.charts import CHART_SUFFIXES, rounds_chart, save_chart
from ..bargaining.inputs import BargainingInputError, IssueSet, data_path, load
from ..bargaining.solution import MODEL_NAMES, solve
from ..forecast.targets import HORIZONS
from ._options import Format, FormatOpt, OutputOpt, command_app, emit, err, note, open_store, round_floats

__all__ = [
    "BacktestView",
    "BargainView",
    "Example",
    "ModelChoice",
    "Rules",
    "ScenarioView",
    "TargetChoice",
    "app",
    "backtest",
    "bargain",
    "forecast",
    "scenario",
]

app = command_app()

SubjectOpt = Annotated[str, typer.Option(help="whose incidents: an initiator (PRK) or a dyad (PRK>KOR)")]
ContextOpt = Annotated[str, typer.Option(help="dyad of the tension index feature")]


class ModelChoice(str, Enum):
    """Models to run."""

    all = "all"
    bdm = "bdm"
    compromise = "compromise"
    median = "median"
    nash = "nash"


class BargainView(str, Enum):
    """Views of a bargaining result."""

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


def _issue_set(file: Path | None, example: Example, salience_scale: float) -> IssueSet:
    name, strict = _EXAMPLES[example]
    path = file if file is not None else data_path(name)
    strict = strict and file is None
    try:
        return load(path, salience_scale=salience_scale, strict=strict)
    except BargainingInputError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None


@app.command()
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
    show: Annotated[
        BargainView, typer.Option(help="summary, rounds, influence, distribution or inputs")
    ] = BargainView.summary,
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
    if (show is BargainView.rounds or chart is not None) and "bdm" not in models:
        raise typer.BadParameter(
            "the rounds table and chart come from BDM: add --model bdm or all", param_hint="--show"
        )
    if show in (BargainView.influence, BargainView.distribution) and runs == 0:
        raise typer.BadParameter(f"--show {show.value} needs --runs > 0", param_hint="--show")
    if show is BargainView.inputs and chart is None:  # nothing to solve
        runs, models = 0, ()
    sol = solve(issues, models, runs=runs, seed=seed, spread=spread, bdm={"max_rounds": max_rounds, **_RULES[rules]})
    if chart is not None:
        save_chart(rounds_chart(sol.rounds_table(), title=f"BDM ({rules.value} rules): positions by round"), chart)
        note("chart written to", str(chart), style="")
    views = {
        BargainView.summary: sol.summary_table, BargainView.rounds: sol.rounds_table,
        BargainView.influence: sol.influence_table, BargainView.distribution: sol.distribution_table,
        BargainView.inputs: issues.inputs_table,
    }  # fmt: skip
    table = views[show]()
    if fmt is Format.table:  # the terminal view: readable columns, results to 2 decimals, inputs as given
        if show is BargainView.inputs:
            table = table.select(["issue", "actor", "field", "value", "low", "high", "rationale"])
        else:
            table = round_floats(table, 2)
    mc = f", {runs} runs" if runs else ""
    emit(table, fmt, output, title=f"{issues.name}: {show.value} ({rules.value} BDM rules{mc})")


class TargetChoice(str, Enum):
    """Forecast targets (the names of :data:`detente.forecast.targets.TARGETS`)."""

    missile = "missile"
    major = "major"
    count = "count"  # type: ignore[assignment]  # shadows str.count, as the CLI value must be "count"


class BacktestView(str, Enum):
    """Views of a backtest."""

    leaderboard = "leaderboard"
    calibration = "calibration"
    forecasts = "forecasts"


class ScenarioView(str, Enum):
    """Views of a scenario run."""

    summary = "summary"
    months = "months"
    paths = "paths"
    bargaining = "bargaining"


def _horizon(value: int) -> int:
    if value not in HORIZONS:
        raise typer.BadParameter(f"{value} is not one of {', '.join(map(str, HORIZONS))}", param_hint="--horizon")
    return value


def _data(ctx: typer.Context, subject: str, context: str, as_of: str | None, *, live: bool = False) -> Any:
    """Monthly data to ``as_of``; ``live`` without ``as_of``: up to the data's date, so forecasts are for the
    first month not yet observed (issue 18)."""
    from ..forecast.features import build
    from ..report.context import latest_date

    store = open_store(ctx)
    try:
        if live and as_of is None:
            return build(store, subject, context, through=latest_date(store))
        return build(store, subject, context, end=as_of)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _arrow(frame: pd.DataFrame, digits: int = 4) -> pa.Table:
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(digits)
    return pa.Table.from_pandas(out, preserve_index=False)


@app.command()
def forecast(
    ctx: typer.Context,
    target: Annotated[TargetChoice, typer.Option(help="missile, major or count")] = TargetChoice.missile,
    horizon: Annotated[int, typer.Option(help="months ahead: 1, 3 or 6", callback=_horizon)] = 1,
    subject: SubjectOpt = "PRK",
    context: ContextOpt = "PRK-KOR",
    as_of: Annotated[
        str | None, typer.Option(help="origin month YYYY-MM (default: the data's now, forecasting the next month)")
    ] = None,
    level: Annotated[float, typer.Option(min=0.5, max=0.99, help="interval level")] = 0.8,
    draws: Annotated[int, typer.Option(min=10, help="draws for the intervals")] = 200,
    recent: Annotated[int, typer.Option(min=12, help="origins of the track record and ensemble weights")] = 36,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Probability (or count distribution) of the target over the next months, per model, with drivers."""
    from ..forecast.backtest import Backtest
    from ..forecast.models import DEFAULT_MODELS, ENSEMBLE_MEMBERS, Ensemble, Forecaster, make_model
    from ..forecast.targets import target as get_target

    data = _data(ctx, subject, context, as_of, live=True)
    tgt = get_target(target.value)
    first = data.last - horizon - recent
    run = Backtest(
        [tgt.name], [horizon], DEFAULT_MODELS, start=str(first), unrealised=True, refit_every=12, ensemble_window=recent
    ).run(data)
    track = run.leaderboard()
    last = run.forecasts[run.forecasts["origin"] == data.last].set_index("model")
    weights = last.loc["ensemble", "weights"]
    rng = np.random.default_rng(seed)
    q = ((1 - level) / 2, (1 + level) / 2)
    window = f"{(data.last + 1).start_time.date()}..{(data.last + horizon).end_time.date()}"
    rows = []
    for name in DEFAULT_MODELS:
        model: Forecaster
        if name == "ensemble":
            model = Ensemble(weights=[weights[m] for m in ENSEMBLE_MEMBERS]).fit(data, tgt, horizon)
        else:
            model = make_model(name).fit(data, tgt, horizon)
        f = model.predict(data)
        lo, hi = np.quantile(model.draws(data, draws, rng), q)
        score = track.loc[track["model"] == name, "score"]
        row: dict[str, Any] = {"model": name, "target": tgt.name, "horizon": horizon, "window": window,
                               "forecast": f.value, "lo": float(lo), "hi": float(hi)}  # fmt: skip
        if tgt.kind == "count" and f.pmf is not None:
            from ..forecast.scoring import pmf_quantile

            row["count_lo"], row["count_hi"] = pmf_quantile(f.pmf, q[0]), pmf_quantile(f.pmf, q[1])
        row["recent_score"] = float(score.iloc[0]) if len(score) else None
        row["drivers"] = "; ".join(str(d) for d in model.explain(data)) if name != "ensemble" else _weights(weights)
        rows.append(row)
    measure = "P(at least one)" if tgt.kind == "binary" else "expected count"
    title = (f"{tgt.name} ({tgt.description}), {measure}, {window}; {int(level * 100)}% intervals; "
             f"recent_score = {'Brier' if tgt.kind == 'binary' else 'CRPS'} "
             f"over the last {recent} origins")  # fmt: skip
    emit(_arrow(pd.DataFrame(rows)), fmt, output, title=title)


def _weights(weights: dict[str, float]) -> str:
    return "weights " + ", ".join(f"{m} {w:.2f}" for m, w in weights.items())


@app.command()
def backtest(
    ctx: typer.Context,
    target: Annotated[list[TargetChoice] | None, typer.Option(help="repeatable; default all")] = None,
    horizon: Annotated[list[int] | None, typer.Option(help="repeatable: 1, 3, 6; default all")] = None,
    model: Annotated[list[str] | None, typer.Option(help="repeatable; default all")] = None,
    start: Annotated[str, typer.Option(help="first origin YYYY-MM")] = "2000-01",
    end: Annotated[str | None, typer.Option(help="last origin YYYY-MM (default: last realised)")] = None,
    stride: Annotated[int, typer.Option(min=1, help="months between origins")] = 1,
    refit: Annotated[int, typer.Option(min=1, help="months between refits")] = 1,
    period: Annotated[str | None, typer.Option(help="score origins in FIRST:LAST, e.g. 2010-01:2025-12")] = None,
    show: Annotated[
        BacktestView, typer.Option(help="leaderboard, calibration or forecasts")
    ] = BacktestView.leaderboard,
    chart: Annotated[Path | None, typer.Option(help="reliability chart (.png/.svg/.html/.json) plus .csv")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="processes (one per target)")] = 1,
    subject: SubjectOpt = "PRK",
    context: ContextOpt = "PRK-KOR",
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Rolling-origin backtest: every model against the baselines for each target and horizon."""
    from ..forecast.backtest import Backtest
    from ..forecast.charts import reliability_chart, save_chart
    from ..forecast.models import DEFAULT_MODELS

    horizons = [_horizon(h) for h in (horizon or HORIZONS)]
    models = tuple(model or DEFAULT_MODELS)
    first, last = _period(period)
    data = _data(ctx, subject, context, None)
    bt = Backtest([t.value for t in (target or list(TargetChoice))], horizons, models, start=start, end=end,
                  stride=stride, refit_every=refit)  # fmt: skip
    try:
        with err.status("backtest") as status:
            result = bt.run(data, progress=lambda m: status.update(f"backtest: {m}"), jobs=jobs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    calibration = result.calibration(start=first, end=last)
    if chart is not None:
        picture, table = save_chart(reliability_chart(calibration, f"Reliability, {data.subject}"), calibration, chart)
        note("chart written to", f"{picture} (data: {table})", style="")
    if show is BacktestView.calibration:
        frame = calibration
    elif show is BacktestView.forecasts:
        frame = result.table()
    else:
        frame = result.leaderboard(first, last)
    scope = f"origins {first or start}..{last or 'last realised'}"
    emit(_arrow(frame), fmt, output, title=f"backtest ({show.value}), {data.subject}, {scope}")


def _period(text: str | None) -> tuple[str | None, str | None]:
    if text is None:
        return None, None
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        return str(pd.Period(parts[0], "M")), str(pd.Period(parts[1], "M"))
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: use FIRST:LAST months, e.g. 2010-01:2025-12", param_hint="--period"
        ) from None


@app.command()
def scenario(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="scenario YAML (default: --example)")] = None,
    example: Annotated[str | None, typer.Option(help="a shipped scenario, e.g. no_exercises_2027")] = None,
    show: Annotated[ScenarioView, typer.Option(help="summary, months, paths or bargaining")] = ScenarioView.summary,
    draws: Annotated[int, typer.Option(min=10, help="parameter draws")] = 100,
    paths: Annotated[int, typer.Option(min=1, help="simulated paths per draw")] = 20,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    level: Annotated[float, typer.Option(min=0.5, max=0.99, help="interval level")] = 0.8,
    runs: Annotated[int, typer.Option(min=0, help="bargaining Monte Carlo runs")] = 500,
    subject: SubjectOpt = "PRK",
    context: ContextOpt = "PRK-KOR",
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """A what-if scenario against the baseline path: forecast differences with intervals, bargaining re-run."""
    from ..forecast import scenarios

    if (file is None) == (example is None):
        raise typer.BadParameter("give a scenario FILE or --example NAME (not both)")
    try:
        spec = scenarios.load(file if file is not None else scenarios.example_path(example or ""))
    except scenarios.ScenarioError as exc:
        raise typer.BadParameter(str(exc)) from None
    if show is ScenarioView.bargaining and not spec.bargaining:
        raise typer.BadParameter("this scenario edits no bargaining input", param_hint="--show")
    data = _data(ctx, subject, context, None)
    sim = scenarios.Simulator(draws=draws, paths=paths, seed=seed)
    try:
        result = scenarios.run(spec, data, sim, level=level, bargaining_runs=runs)
    except scenarios.ScenarioError as exc:
        raise typer.BadParameter(str(exc)) from None
    window = f"{spec.window_start.start_time.date()}..{spec.window_end.end_time.date()}"
    title = f"{spec.name}: {window}, origin {data.last}, {int(level * 100)}% intervals of the difference"
    if show is ScenarioView.bargaining and result.bargaining is not None:
        emit(_arrow(result.bargaining), fmt, output, title=f"{spec.name}: bargaining models before and after")
        return
    if show is ScenarioView.months:
        frame = result.monthly
    elif show is ScenarioView.paths:
        frame = _paths(result)
    else:
        frame = result.summary
    emit(_arrow(frame), fmt, output, title=title)
    if show is ScenarioView.summary and result.bargaining is not None and fmt is Format.table and output is None:
        emit(_arrow(result.bargaining, 2), Format.table, None, title="bargaining models on the edited issues")


def _paths(result: Any) -> pd.DataFrame:
    base, alt = result.baseline_path, result.scenario_path
    changed = [c for c in base.columns if not np.allclose(base[c].to_numpy(float), alt[c].to_numpy(float))]
    rows = [
        {
            "month": m.start_time.date(),
            "feature": c,
            "baseline": float(base.loc[m, c]),
            "scenario": float(alt.loc[m, c]),
        }
        for m in base.index
        for c in changed
    ]
    return pd.DataFrame(rows, columns=["month", "feature", "baseline", "scenario"])
