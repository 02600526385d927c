"""What-if scenarios: change the knowledge-base paths ahead, simulate, compare with the baseline path.

A scenario file (YAML) names a reporting ``window`` and a list of ``changes`` to the monthly
knowledge-base columns (:data:`.features.EXOGENOUS`) after the forecast origin, plus optional
``bargaining`` edits to the bargaining model's inputs::

    name: No major US-ROK exercise, March-August 2027
    window: {start: 2027-03, months: 6}
    changes:
      - exercises: {start: 2027-03, months: 6, scale: 0}      # no exercise days, none planned
      - hotline: {start: 2026-09, state: open}
      - sanctions_resolution: {month: 2026-10}
      - rok_camp: {start: 2027-01, camp: conservative}
      - feature: cbm_active, start: 2026-09, add: 1           # any column: set, scale or add
    bargaining:
      - {issue: exercises, status_quo: 0, rationale: "scale anchor: 0 = suspend all combined exercises"}
      - {issue: exercises, actor: USA, position: 40, rationale: "..."}

The **baseline path** continues the last known state: the exercise calendar repeats the last twelve
months, the hotline, the leaders, implementation and measures in force stay as they are, no new
sanctions resolution. The simulator (:class:`Simulator`) fits a one-month negative binomial GLM
(:class:`.models.GLM` on the features that can be computed on simulated paths) for each monthly
series (launches, major provocations, provocations), then walks month by month from the origin to
the window's end: features from the path so far, counts drawn from each model. Both paths use the
same parameter draws (Laplace approximation) and the same random numbers, so their difference is
the scenario's effect, not noise. The 80% interval of the difference is taken across parameter
draws; the difference reported is their mean, which can lie outside that interval when most draws
change nothing and a few change much (``note`` says so, decision 058). ``bargaining`` edits re-run
:func:`detente.bargaining.solve` on the issues they touch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._extras import require
from .features import EXOGENOUS, SIMULABLE, MonthlyData, derive
from .models import GLM, GLM_FEATURES
from .targets import SERIES, TARGETS, Target

__all__ = [
    "SIM_FEATURES",
    "BargainingEdit",
    "Change",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "Simulator",
    "bargaining_effect",
    "baseline_path",
    "example_path",
    "load",
    "parse",
    "run",
]

#: the simulator's GLM features: the GLM's features that simulated paths can produce
SIM_FEATURES = tuple(f for f in GLM_FEATURES if f in SIMULABLE)
_HISTORY = 72  # months of history the simulator carries (the longest lag feature looks back 60)
_TARGET_OF = {"missile": "launches", "major": "major", "count": "provocations"}


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the entry at fault."""


@dataclass(frozen=True)
class Change:
    """Set, scale or add to ``feature`` from ``start`` for ``months`` months (None: to the window's end).

    Setting a tenure (``rok_tenure``, ``dprk_tenure``) restarts it: the set value in the start month,
    one more each month after.
    """

    feature: str
    start: pd.Period
    months: int | None = None
    set: float | None = None
    scale: float | None = None
    add: float | None = None

    def apply(self, path: pd.DataFrame) -> None:
        """Apply in place to the future path (rows indexed by month)."""
        rows = path.index >= self.start
        if self.months is not None:
            rows &= path.index < self.start + self.months
        col = path[self.feature]
        if self.set is not None and self.feature.endswith("_tenure"):
            path.loc[rows, self.feature] = self.set + np.arange(int(rows.sum()), dtype=float)
        elif self.set is not None:
            path.loc[rows, self.feature] = self.set
        if self.scale is not None:
            path.loc[rows, self.feature] = col[rows] * self.scale
        if self.add is not None:
            path.loc[rows, self.feature] = col[rows] + self.add


@dataclass(frozen=True)
class BargainingEdit:
    """A change to one bargaining input: an issue's status quo, or an actor's position/salience/capability."""

    issue: str
    quantity: str
    value: float
    actor: str | None = None
    rationale: str = ""


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario file."""

    name: str
    window_start: pd.Period
    window_months: int
    changes: tuple[Change, ...]
    bargaining: tuple[BargainingEdit, ...] = ()
    description: str = ""

    @property
    def window_end(self) -> pd.Period:
        """Last month of the window."""
        return self.window_start + self.window_months - 1


# ------------------------------------------------------------------------------------------ parsing


def _month(value: object, where: str) -> pd.Period:
    try:
        return pd.Period(str(value), "M")
    except (ValueError, TypeError):
        raise ScenarioError(f"{where}: {value!r} is not a month (YYYY-MM)") from None


def _num(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise ScenarioError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _months(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScenarioError(f"{where}: months must be a positive integer, got {value!r}")
    return value


def _preset(kind: str, spec: Mapping[str, Any], where: str) -> list[Change]:
    """Expand the named changes (exercises, hotline, sanctions_resolution, rok_camp) to column changes."""
    if kind == "exercises":
        start, months = _month(spec.get("start"), f"{where}.start"), _months(spec.get("months"), f"{where}.months")
        scale = _num(spec.get("scale", 0), f"{where}.scale")
        return [Change(c, start, months, scale=scale) for c in ("drill_days", "drill_plan")]
    if kind == "hotline":
        state = spec.get("state")
        if state not in ("open", "closed"):
            raise ScenarioError(f"{where}.state: expected open or closed, got {state!r}")
        start, months = _month(spec.get("start"), f"{where}.start"), _months(spec.get("months"), f"{where}.months")
        return [Change("hotline_open", start, months, set=1.0 if state == "open" else 0.0)]
    if kind == "sanctions_resolution":
        return [Change("sanctions_new", _month(spec.get("month"), f"{where}.month"), 1, add=1.0)]
    if kind == "rok_camp":
        camp = spec.get("camp")
        if camp not in ("conservative", "progressive"):
            raise ScenarioError(f"{where}.camp: expected conservative or progressive, got {camp!r}")
        start = _month(spec.get("start"), f"{where}.start")
        return [Change("rok_conservative", start, None, set=1.0 if camp == "conservative" else 0.0),
                Change("rok_tenure", start, None, set=0.0)]  # fmt: skip
    raise ScenarioError(
        f"{where}: unknown change {kind!r}; use exercises, hotline, sanctions_resolution, rok_camp or feature"
    )


def _change(entry: object, where: str) -> list[Change]:
    if not isinstance(entry, Mapping) or not entry:
        raise ScenarioError(f"{where}: expected a mapping, got {entry!r}")
    if "feature" in entry:
        feature = entry["feature"]
        if feature not in EXOGENOUS:
            raise ScenarioError(f"{where}.feature: {feature!r} is not one of {', '.join(EXOGENOUS)}")
        unknown = set(entry) - {"feature", "start", "months", "set", "scale", "add"}
        if unknown:
            raise ScenarioError(f"{where}: unknown key(s) {sorted(unknown)}")
        ops = {k: _num(entry[k], f"{where}.{k}") for k in ("set", "scale", "add") if k in entry}
        if len(ops) != 1:
            raise ScenarioError(f"{where}: give exactly one of set, scale, add")
        start, months = _month(entry.get("start"), f"{where}.start"), _months(entry.get("months"), f"{where}.months")
        return [Change(feature, start, months, **ops)]
    if len(entry) != 1:
        raise ScenarioError(f"{where}: one named change per entry, got {sorted(entry)}")
    ((kind, spec),) = entry.items()
    if not isinstance(spec, Mapping):
        raise ScenarioError(f"{where}.{kind}: expected a mapping, got {spec!r}")
    if kind == "exercises" and spec.get("months") is None:
        raise ScenarioError(f"{where}.exercises: give months (how long the change lasts)")
    return _preset(str(kind), spec, f"{where}.{kind}")


def _edit(entry: object, where: str) -> BargainingEdit:
    if not isinstance(entry, Mapping):
        raise ScenarioError(f"{where}: expected a mapping, got {entry!r}")
    fields = [f for f in ("status_quo", "position", "salience", "capability") if f in entry]
    if len(fields) != 1:
        raise ScenarioError(f"{where}: give exactly one of status_quo, position, salience, capability")
    name = fields[0]
    actor = entry.get("actor")
    if (name == "status_quo") == (actor is not None):
        raise ScenarioError(f"{where}: status_quo takes no actor; position, salience and capability need one")
    return BargainingEdit(
        str(entry.get("issue", "")), name, _num(entry[name], f"{where}.{name}"), actor, str(entry.get("rationale", ""))
    )


def parse(text: str) -> Scenario:
    """Parse a scenario from YAML text (:class:`ScenarioError` names the entry at fault)."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}") from None
    if not isinstance(doc, Mapping):
        raise ScenarioError("top level: expected a mapping")
    unknown = set(doc) - {"name", "description", "window", "changes", "bargaining"}
    if unknown:
        raise ScenarioError(f"top level: unknown key(s) {sorted(unknown)}")
    window = doc.get("window")
    if not isinstance(window, Mapping):
        raise ScenarioError("window: expected {start: YYYY-MM, months: N}")
    months = _months(window.get("months"), "window.months")
    if months is None:
        raise ScenarioError("window.months: required")
    raw = doc.get("changes") or []
    if not isinstance(raw, list) or not raw:
        raise ScenarioError("changes: expected a non-empty list")
    changes = tuple(c for i, e in enumerate(raw) for c in _change(e, f"changes[{i}]"))
    edits = doc.get("bargaining") or []
    if not isinstance(edits, list):
        raise ScenarioError("bargaining: expected a list")
    return Scenario(
        str(doc.get("name") or "scenario"),
        _month(window.get("start"), "window.start"),
        months,
        changes,
        tuple(_edit(e, f"bargaining[{i}]") for i, e in enumerate(edits)),
        str(doc.get("description") or ""),
    )


def load(path: str | Path) -> Scenario:
    """Read a scenario file."""
    p = Path(path)
    try:
        return parse(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{p}: cannot read ({exc})") from None


def example_path(name: str) -> Path:
    """A scenario shipped in ``detente/forecast/data`` (``name`` without ``.yaml``)."""
    return Path(str(resources.files("detente.forecast").joinpath("data", f"{name}.yaml")))


# ------------------------------------------------------------------------------------------- paths


def baseline_path(data: MonthlyData, last: pd.Period) -> pd.DataFrame:
    """The knowledge-base columns for the months after ``data.last`` up to ``last`` if nothing changes.

    The exercise calendar repeats the same month a year earlier (``drill_plan`` = the days that
    follow), tenures grow, no new sanctions resolution, everything else keeps its last value.
    """
    months = pd.period_range(data.last + 1, last, freq="M")
    hist = data.monthly
    path = pd.DataFrame(index=months, columns=list(EXOGENOUS), dtype=float)
    for c in EXOGENOUS:
        path[c] = hist[c].iloc[-1]
    drills = list(hist["drill_days"].to_numpy(float))
    for _m in months:
        drills.append(drills[-12])
    path["drill_days"] = drills[len(hist) :]
    path["drill_plan"] = path["drill_days"]
    path["sanctions_new"] = 0.0
    steps = np.arange(1, len(months) + 1, dtype=float)
    path["rok_tenure"] = hist["rok_tenure"].iloc[-1] + steps
    path["dprk_tenure"] = hist["dprk_tenure"].iloc[-1] + steps
    return path


def _apply(path: pd.DataFrame, changes: Sequence[Change]) -> pd.DataFrame:
    out = path.copy()
    for ch in changes:
        ch.apply(out)
    return out


# --------------------------------------------------------------------------------------- simulation


@dataclass
class Simulator:
    """Month-by-month simulation of the three monthly series under a knowledge-base path.

    ``draws`` parameter draws × ``paths`` paths per draw; ``seed`` fixes both.
    """

    draws: int = 100
    paths: int = 20
    seed: int = 0
    models_: dict[str, GLM] = field(default_factory=dict, init=False, repr=False)

    def fit(self, data: MonthlyData) -> Simulator:
        """One-month NB GLMs of each series on :data:`SIM_FEATURES`."""
        self.models_ = {
            s: GLM(features=SIM_FEATURES).fit(data, Target(s, s, "count", f"monthly {s}"), 1) for s in SERIES
        }
        return self

    def simulate(self, data: MonthlyData, paths: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, np.ndarray]]:
        """Counts per named path: ``{path: {series: array (draws, paths, months)}}``, common random numbers."""
        if not self.models_:
            raise AttributeError("Simulator is not fitted yet: call fit(data)")
        first = next(iter(paths.values()))
        steps = len(first)
        n = self.draws * self.paths
        rng = np.random.default_rng(self.seed)
        betas = {
            s: rng.multivariate_normal(m.params_, m.cov_, size=self.draws, method="eigh").repeat(self.paths, axis=0)
            for s, m in self.models_.items()
        }
        uniforms = rng.uniform(size=(len(SERIES), steps, n))
        hist = data.monthly.iloc[-_HISTORY:]
        months = pd.period_range(hist.index[0], first.index[-1], freq="M")
        out = {}
        for name, path in paths.items():
            exo = {c: np.r_[hist[c].to_numpy(float), path[c].to_numpy(float)] for c in EXOGENOUS}
            plan = np.r_[_history_plan(data), path["drill_plan"].to_numpy(float)]
            counts = {s: np.tile(hist[s].to_numpy(float), (n, 1)) for s in SERIES}
            for step in range(steps):
                size = len(hist) + step
                cols = {s: counts[s] for s in SERIES} | {c: v[:size] for c, v in exo.items()}
                cols["drill_plan"] = np.r_[plan[:size], plan[size : size + 1]]
                feats = derive(cols, months[:size], 1)
                frame = pd.DataFrame({f: np.broadcast_to(feats[f][..., -1], (n,)) for f in SIM_FEATURES})
                for k, s in enumerate(SERIES):
                    model = self.models_[s]
                    mean = np.exp(np.clip(np.sum(model.design(frame) * betas[s], axis=1), -30, 30))
                    new = _nb_ppf(uniforms[k, step], mean, model.alpha_)
                    counts[s] = np.column_stack([counts[s], new])
            out[name] = {s: counts[s][:, len(hist) :].reshape(self.draws, self.paths, steps) for s in SERIES}
        return out


def _history_plan(data: MonthlyData) -> np.ndarray:
    """``drill_plan`` of the carried history months (the calendar a year earlier)."""
    drills = data.monthly["drill_days"].to_numpy(float)
    plan = np.r_[np.zeros(12), drills[:-12]] if drills.size > 12 else np.zeros(drills.size)
    return plan[-_HISTORY:]


def _nb_ppf(u: np.ndarray, mean: np.ndarray, alpha: float) -> np.ndarray:
    stats = require("scipy.stats")

    if alpha <= 1e-9:
        return stats.poisson.ppf(u, mean)
    return stats.nbinom.ppf(u, 1.0 / alpha, 1.0 / (1.0 + alpha * mean))


# ------------------------------------------------------------------------------------------ results


@dataclass
class ScenarioResult:
    """Forecast differences over the window and, when the scenario edits them, the bargaining outcomes."""

    scenario: Scenario
    origin: pd.Period
    summary: pd.DataFrame
    monthly: pd.DataFrame
    baseline_path: pd.DataFrame
    scenario_path: pd.DataFrame
    bargaining: pd.DataFrame | None = None


def _summaries(sims: dict[str, dict[str, np.ndarray]], window: slice, level: float) -> pd.DataFrame:
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows = []
    for tname, series in _TARGET_OF.items():
        kind = TARGETS[tname].kind
        base = sims["baseline"][series][..., window].sum(axis=-1)
        alt = sims["scenario"][series][..., window].sum(axis=-1)
        stat = (lambda x: (x > 0).mean(axis=1)) if kind == "binary" else (lambda x: x.mean(axis=1))
        b, a = stat(base), stat(alt)  # per parameter draw
        diff = a - b
        d_lo, d_hi, d_mean = float(np.quantile(diff, lo_q)), float(np.quantile(diff, hi_q)), float(diff.mean())
        rows.append(
            {
                "target": tname,
                "measure": "P(at least one)" if kind == "binary" else "expected count",
                "baseline": float(b.mean()),
                "scenario": float(a.mean()),
                "difference": d_mean,
                "difference_lo": d_lo,
                "difference_hi": d_hi,
                "baseline_lo": float(np.quantile(b, lo_q)),
                "baseline_hi": float(np.quantile(b, hi_q)),
                "note": _outside_note(diff, d_mean, d_lo, d_hi, level),
            }
        )
    return pd.DataFrame(rows)


def _outside_note(diff: np.ndarray, mean: float, lo: float, hi: float, level: float) -> str:
    """Why the mean difference lies outside its interval (empty when it lies inside)."""
    if lo - 1e-12 <= mean <= hi + 1e-12:
        return ""
    none = float(np.mean(np.isclose(diff, 0.0)))
    return (
        f"the mean difference {mean:.2g} lies outside the {level:.0%} interval of the parameter draws: "
        f"{none:.0%} of the draws change nothing and the effect comes from a few (a skewed distribution)"
    )


def _per_month(sims: dict[str, dict[str, np.ndarray]], months: pd.PeriodIndex) -> pd.DataFrame:
    rows = []
    for i, m in enumerate(months):
        for tname, series in _TARGET_OF.items():
            b = sims["baseline"][series][..., i]
            a = sims["scenario"][series][..., i]
            if TARGETS[tname].kind == "binary":
                b, a = (b > 0), (a > 0)
            rows.append({"month": m.start_time.date(), "target": tname, "baseline": float(b.mean()),
                         "scenario": float(a.mean()), "difference": float(a.mean() - b.mean())})  # fmt: skip
    return pd.DataFrame(rows)


def run(
    scenario: Scenario,
    data: MonthlyData,
    simulator: Simulator | None = None,
    *,
    level: float = 0.8,
    bargaining_runs: int = 500,
) -> ScenarioResult:
    """Simulate the baseline and the scenario path from ``data.last`` through the window's end."""
    if scenario.window_start <= data.last:
        raise ScenarioError(f"window.start {scenario.window_start} must come after the data's last month {data.last}")
    for ch in scenario.changes:
        if ch.start <= data.last:
            raise ScenarioError(
                f"change to {ch.feature} starts {ch.start}, not after the data's last month {data.last}"
            )
    base = baseline_path(data, scenario.window_end)
    alt = _apply(base, scenario.changes)
    sim = simulator or Simulator()
    if not sim.models_:
        sim.fit(data)
    sims = sim.simulate(data, {"baseline": base, "scenario": alt})
    first = (scenario.window_start - (data.last + 1)).n
    window = slice(first, first + scenario.window_months)
    summary = _summaries(sims, window, level)
    monthly = _per_month(sims, base.index)
    table = bargaining_effect(scenario.bargaining, bargaining_runs, sim.seed) if scenario.bargaining else None
    return ScenarioResult(scenario, data.last, summary, monthly, base, alt, table)


# ---------------------------------------------------------------------------------------- bargaining


def _edited(issue_set: Any, edits: Sequence[BargainingEdit]) -> Any:
    from ..bargaining import Estimate

    specs = {s.id: s for s in issue_set.issues}
    for e in edits:
        if e.issue not in specs:
            raise ScenarioError(f"bargaining: no issue {e.issue!r}; issues: {', '.join(specs)}")
        spec = specs[e.issue]
        lo, hi = spec.scale
        if e.quantity in ("status_quo", "position") and not lo <= e.value <= hi:
            raise ScenarioError(
                f"bargaining: {e.quantity} {e.value:g} of {e.issue} is outside the scale [{lo:g}, {hi:g}]"
            )
        est = Estimate(e.value, e.value, e.value, e.rationale or "scenario assumption")
        if e.quantity == "status_quo":
            spec = replace(spec, status_quo=est)
        else:
            if e.actor not in spec.actors:
                raise ScenarioError(f"bargaining: actor {e.actor!r} is not on issue {e.issue!r}")
            spec = replace(spec, **{e.quantity: {**getattr(spec, e.quantity), e.actor: est}})
        specs[e.issue] = spec
    return replace(issue_set, issues=tuple(specs[s.id] for s in issue_set.issues))


def bargaining_effect(edits: Sequence[BargainingEdit], runs: int = 500, seed: int = 0) -> pd.DataFrame:
    """Outcomes of every bargaining model on the edited issues, before and after the edits (80% intervals)."""
    from ..bargaining import korea, solve

    issues = sorted({e.issue for e in edits})
    before = korea()
    after = _edited(before, edits)
    b = solve(before.select(issues), runs=runs, seed=seed).summary_table().to_pandas()
    a = solve(after.select(issues), runs=runs, seed=seed).summary_table().to_pandas()
    keys = ["issue", "model"]
    out = b[[*keys, "outcome", "p10", "p90"]].merge(
        a[[*keys, "outcome", "p10", "p90", "note"]], on=keys, suffixes=("_baseline", "_scenario")
    )
    out["change"] = out["outcome_scenario"] - out["outcome_baseline"]
    return out
