"""Run the bargaining models on an issue set: point forecasts, Monte Carlo intervals, influential inputs.

>>> from detente.bargaining.inputs import ec_emissions
>>> sol = solve(ec_emissions(), models=("compromise", "median"), runs=0)
>>> [(r["model"], round(r["outcome"], 5)) for r in sol.summary_table().to_pylist()]
[('compromise', 7.38996), ('median', 7.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from .bdm import OFFER_KINDS, BDMModel
from .estimator import BaseModel
from .inputs import IssueSet, IssueSpec
from .models import CompromiseModel, NashBargainingModel, WeightedMedianModel
from .montecarlo import FIELDS, MonteCarlo, default_ranges

__all__ = ["MODEL_NAMES", "IssueResult", "Solution", "make_model", "solve"]

#: the models ``solve`` knows, in output order
MODEL_NAMES = ("bdm", "compromise", "median", "nash")


def make_model(name: str, spec: IssueSpec, bdm: dict[str, Any] | None = None) -> BaseModel:
    """The estimator ``name`` configured for ``spec`` (BDM and Nash use the issue's scale; Nash its status quo)."""
    if name == "bdm":
        return BDMModel(scale=spec.scale, **(bdm or {}))
    if name == "compromise":
        return CompromiseModel()
    if name == "median":
        return WeightedMedianModel()
    if name == "nash":
        d = None if spec.status_quo is None else spec.status_quo.value
        return NashBargainingModel(disagreement=d, scale=spec.scale)
    raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")


@dataclass
class IssueResult:
    """One model on one issue: the fitted point model and, with runs > 0, its Monte Carlo."""

    issue: IssueSpec
    model_name: str
    model: BaseModel
    mc: MonteCarlo | None = None

    def note(self) -> str:
        """Plain-language status: convergence of BDM, feasibility of Nash, a point outside its interval."""
        outside = self.mc.outside_note() if self.mc is not None else ""
        return "; ".join(part for part in (self._status(), outside) if part)

    def _status(self) -> str:
        m = self.model
        if isinstance(m, BDMModel):
            if m.converged_:
                return f"converged after {m.n_rounds_} rounds"
            if m.oscillating_:
                return f"oscillating at the {m.n_rounds_}-round cap (mean swings {m.amplitude_:.3g})"
            return f"not converged at the {m.n_rounds_}-round cap"
        if isinstance(m, NashBargainingModel):
            d = "each actor's worst point" if m.disagreement is None else f"status quo {m.disagreement:g}"
            if m.feasible_:
                return f"disagreement point: {d}"
            return f"no position leaves every actor better off than the {d}: the status quo holds"
        return ""

    def influence(self) -> list[tuple[str, str, float]]:
        """(actor, field, ρ) for every input that varied, largest ``|ρ|`` first."""
        if self.mc is None:
            return []
        rows = []
        for a, actor in enumerate(self.issue.actors):
            for f, name in enumerate(FIELDS):
                rho = float(self.mc.influence_[a, f])
                if not np.isnan(rho):
                    rows.append((actor, name, rho))
        return sorted(rows, key=lambda r: (-abs(r[2]), r[0], r[1]))


@dataclass
class Solution:
    """All results of :func:`solve`, with table views for output."""

    issue_set: IssueSet
    results: list[IssueResult] = field(default_factory=list)
    runs: int = 0
    seed: int = 0

    def summary_table(self, top: int = 3) -> pa.Table:
        """Per issue and model: outcome, 80% interval and median of the runs, the ``top`` inputs, a note."""
        rows = []
        for r in self.results:
            q = r.mc.quantiles_ if r.mc else {}
            row: dict[str, Any] = {
                "issue": r.issue.id, "model": r.model_name, "outcome": float(np.asarray(r.model.outcome_)),
                "p10": q.get(10), "p50": q.get(50), "p90": q.get(90),
            }  # fmt: skip
            infl = r.influence()
            for k in range(top):
                row[f"input_{k + 1}"] = f"{infl[k][0]} {infl[k][1]} (ρ={infl[k][2]:+.2f})" if k < len(infl) else None
            row["note"] = r.note()
            rows.append(row)
        return pa.Table.from_pylist(rows)

    def influence_table(self) -> pa.Table:
        """Every varied input per issue and model with Spearman's ρ and its rank."""
        rows = [
            {"issue": r.issue.id, "model": r.model_name, "rank": k + 1, "actor": a, "field": f, "rho": rho}
            for r in self.results for k, (a, f, rho) in enumerate(r.influence())
        ]  # fmt: skip
        return pa.Table.from_pylist(rows, schema=_INFLUENCE)

    def distribution_table(self) -> pa.Table:
        """Outcome of every Monte Carlo run per issue and model."""
        parts = [(r.issue.id, r.model_name, r.mc.outcomes_) for r in self.results if r.mc is not None]
        return pa.table({
            "issue": [i for i, _, o in parts for _ in o], "model": [m for _, m, o in parts for _ in o],
            "run": [k for _, _, o in parts for k in range(len(o))],
            "outcome": np.concatenate([o for _, _, o in parts]) if parts else np.array([], float),
        })  # fmt: skip

    def rounds_table(self) -> pa.Table:
        """BDM round by round: position of every actor, the offer it took and from whom, mean and median."""
        rows = []
        for r in self.results:
            m = r.model
            if not isinstance(m, BDMModel):
                continue
            actors = r.issue.actors
            for k in range(m.n_rounds_ + 1):
                for a, actor in enumerate(actors):
                    sender = int(m.senders_[k - 1, a]) if k else -1
                    rows.append({
                        "issue": r.issue.id, "round": k, "actor": actor, "position": float(m.positions_[k, a]),
                        "risk": float(m.risk_[k - 1, a]) if k else None,
                        "offer": OFFER_KINDS[int(m.kinds_[k - 1, a])] if k else None,
                        "from": actors[sender] if sender >= 0 else None,
                        "mean": float(m.means_[k]), "median": float(m.medians_[k]),
                    })  # fmt: skip
        return pa.Table.from_pylist(rows, schema=_ROUNDS)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready nested result: inputs' provenance aside, everything the tables show."""
        out: dict[str, Any] = {"issue_set": self.issue_set.name, "as_of": self.issue_set.as_of, "runs": self.runs,
                               "seed": self.seed, "issues": {}}  # fmt: skip
        for r in self.results:
            entry: dict[str, Any] = {"outcome": float(np.asarray(r.model.outcome_)), "note": r.note()}
            if r.mc is not None:
                entry["interval_80"] = list(r.mc.interval_)
                entry["point_in_interval"] = r.mc.point_inside_
                entry["quantiles"] = {str(k): v for k, v in r.mc.quantiles_.items()}
                entry["influence"] = [{"actor": a, "field": f, "rho": rho} for a, f, rho in r.influence()]
            if isinstance(r.model, BDMModel):
                entry["means"] = [float(v) for v in r.model.means_[: r.model.n_rounds_ + 1]]
                entry["medians"] = [float(v) for v in r.model.medians_[: r.model.n_rounds_ + 1]]
                entry["converged"], entry["oscillating"] = r.model.converged_, r.model.oscillating_
            out["issues"].setdefault(r.issue.id, {})[r.model_name] = entry
        return out


_INFLUENCE = pa.schema([("issue", pa.string()), ("model", pa.string()), ("rank", pa.int64()), ("actor", pa.string()),
                        ("field", pa.string()), ("rho", pa.float64())])  # fmt: skip
_ROUNDS = pa.schema([("issue", pa.string()), ("round", pa.int64()), ("actor", pa.string()), ("position", pa.float64()),
                     ("risk", pa.float64()), ("offer", pa.string()), ("from", pa.string()), ("mean", pa.float64()),
                     ("median", pa.float64())])  # fmt: skip


def solve(
    issue_set: IssueSet,
    models: Sequence[str] = MODEL_NAMES,
    runs: int = 1000,
    seed: int = 0,
    spread: float = 0.0,
    bdm: dict[str, Any] | None = None,
) -> Solution:
    """Fit ``models`` on every issue and, with ``runs`` > 0, run the Monte Carlo.

    ``spread`` gives inputs without a range one of that relative width (see
    :func:`.montecarlo.default_ranges`); ``bdm`` passes parameters to :class:`.bdm.BDMModel`
    (e.g. ``BDMModel.scholz_code`` rules or ``max_rounds``). Every model sees the same draws
    (one seed per issue).
    """
    unknown = [m for m in models if m not in MODEL_NAMES]
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from {', '.join(MODEL_NAMES)}")
    sol = Solution(issue_set, runs=runs, seed=seed)
    for i, spec in enumerate(issue_set.issues):
        X = issue_set.matrix(spec.id)
        low, high = issue_set.bounds(spec.id)
        if spread > 0:
            low, high = default_ranges(X, low, high, spread, spec.scale)
        for name in MODEL_NAMES:
            if name not in models:
                continue
            model = make_model(name, spec, bdm).fit(X)
            mc = MonteCarlo(make_model(name, spec, bdm), runs=runs, seed=seed + i).fit(X, low, high) if runs else None
            sol.results.append(IssueResult(spec, name, model, mc))
    return sol
