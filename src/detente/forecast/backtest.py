"""One rolling-origin evaluation object for every target, horizon and model.

:class:`Backtest` walks the forecast origins month by month (from ``start``, every ``stride``
months, to the last origin whose outcome is realised). At each origin every model sees only the
data known at the end of that month (:meth:`~.features.MonthlyData.as_of`); it is refitted on all
realised origins so far (an expanding window, from 1990) when ``refit_every`` months have passed
since its last fit, and forecasts the next window. The ensemble at an origin weights its members
half equally and half by the inverse of their mean score (Brier, or CRPS for counts) over the last
``ensemble_window`` origins already realised at that origin (:func:`ensemble_weights`), equally
until 12 are. :class:`BacktestResult` holds every
forecast with its outcome and scores them: Brier score, Brier skill against climatology and
persistence over the same origins, log loss, AUC, AUPR, CRPS for counts (with skill), coverage of
80% prediction intervals, calibration tables and the reliability chart (``docs/forecasting.md``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import scoring
from .features import MonthlyData
from .models import DEFAULT_MODELS, ENSEMBLE_MEMBERS, Forecast, Forecaster, combine, make_model
from .targets import HORIZONS, TARGETS, target

__all__ = ["LEADERBOARD_COLUMNS", "Backtest", "BacktestResult", "ensemble_weights"]

_MIN_REALISED = 12
#: columns of :meth:`BacktestResult.leaderboard`
LEADERBOARD_COLUMNS = (
    "target",
    "horizon",
    "model",
    "origins",
    "outcome_mean",
    "forecast_mean",
    "score",
    "skill_climatology",
    "skill_climatology_lo",
    "skill_climatology_hi",
    "skill_persistence",
    "skill_persistence_lo",
    "skill_persistence_hi",
    "beats_baselines",
    "log_loss",
    "auc",
    "aupr",
    "mae",
    "coverage_80",
)


@dataclass
class Backtest:
    """Rolling-origin evaluation of ``models`` on ``targets`` × ``horizons``.

    Parameters
    ----------
    targets, horizons, models
        What to evaluate (default: everything; ``ensemble`` needs its members in ``models``).
    start, end
        First and last origin (``YYYY-MM``); ``end`` defaults to the last origin with a realised
        outcome, or the data's last month when ``unrealised`` is set (for live forecasts).
    stride
        Months between origins.
    refit_every
        Months between refits (1 = every origin).
    ensemble_window
        Realised origins whose scores weight the ensemble's members.
    params
        Model parameters by model name, e.g. ``{"lightgbm": {"rounds": 100}}``.
    """

    targets: Sequence[str] = tuple(TARGETS)
    horizons: Sequence[int] = HORIZONS
    models: Sequence[str] = DEFAULT_MODELS
    start: str = "2000-01"
    end: str | None = None
    stride: int = 1
    refit_every: int = 1
    ensemble_window: int = 36
    unrealised: bool = False
    params: dict[str, dict[str, Any]] = field(default_factory=dict)

    def origins(self, data: MonthlyData, horizon: int) -> list[pd.Period]:
        """The forecast origins for ``horizon``."""
        last = data.last if self.unrealised else data.observed - horizon
        if self.end is not None:
            last = min(last, pd.Period(self.end, "M"))
        first = pd.Period(self.start, "M")
        if first > last:
            return []
        return list(pd.period_range(first, last, freq="M")[:: self.stride])

    def run(self, data: MonthlyData, progress: Callable[[str], None] | None = None, jobs: int = 1) -> BacktestResult:
        """Forecast every origin with every model; returns the forecasts with their outcomes.

        ``jobs`` > 1 runs the targets in that many processes.
        """
        base = [m for m in self.models if m != "ensemble"]
        if "ensemble" in self.models and not set(ENSEMBLE_MEMBERS) <= set(base):
            raise ValueError(f"the ensemble needs its members {', '.join(ENSEMBLE_MEMBERS)} among the models")
        for name in self.targets:
            target(name)  # unknown names fail before any work
        if jobs > 1 and len(self.targets) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(self.targets))) as pool:
                futures = [pool.submit(self._run_target, data, name, base) for name in self.targets]
                parts = []
                for name, fut in zip(self.targets, futures, strict=True):
                    parts.append(fut.result())
                    if progress:
                        progress(name)
        else:
            parts = []
            for name in self.targets:
                if progress:
                    progress(name)
                parts.append(self._run_target(data, name, base))
        frames = [pd.DataFrame(rows) for part in parts for rows in part if rows]
        return BacktestResult(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())

    def _run_target(self, data: MonthlyData, name: str, base: list[str]) -> list[list[dict[str, Any]]]:
        """Every horizon of one target; horizon-free fits (Hawkes) are shared between horizons."""
        tgt = target(name)
        shared: dict[tuple[str, pd.Period], Forecaster] = {}
        out = []
        for h in self.horizons:
            rows = self._run_one(data, name, h, base, shared)
            if "ensemble" in self.models and rows:
                rows += self._ensemble(rows, tgt.kind, h)
            out.append(rows)
        return out

    def _run_one(
        self,
        data: MonthlyData,
        name: str,
        horizon: int,
        base: list[str],
        shared: dict[tuple[str, pd.Period], Forecaster],
    ) -> list[dict[str, Any]]:
        tgt = target(name)
        realised = data.outcome(tgt, horizon)
        fitted: dict[str, Forecaster] = {}
        last_fit: pd.Period | None = None
        rows = []
        origins = self.origins(data, horizon)
        for origin in origins:
            hist = data.as_of(origin)
            if last_fit is None or (origin - last_fit).n >= self.refit_every or origin == origins[-1]:
                fitted = {}
                for m in base:
                    model = make_model(m, **self.params.get(m, {}))
                    key = (f"{m}:{name}", origin)
                    if model.horizon_free and key in shared:
                        model = shared[key].with_horizon(horizon)
                    else:
                        model.fit(hist, tgt, horizon)
                        if model.horizon_free:
                            shared[key] = model
                    fitted[m] = model
                last_fit = origin
            y = realised.get(origin, math.nan)
            for m in base:
                rows.append(_row(name, horizon, origin, m, fitted[m].predict(hist), y))
        return rows

    def _ensemble(self, rows: list[dict[str, Any]], kind: str, horizon: int) -> list[dict[str, Any]]:
        frame = pd.DataFrame(rows)
        frame["score_"] = [_score(kind, r.value, r.pmf, r.y) for r in frame.itertuples()]
        wide = frame.pivot(index="origin", columns="model", values="score_")[list(ENSEMBLE_MEMBERS)]
        by_origin = {o: g.set_index("model") for o, g in frame.groupby("origin")}
        out = []
        for origin, group in by_origin.items():
            known = wide.loc[: origin - horizon].dropna().tail(self.ensemble_window)
            weights = ensemble_weights(known.mean().to_numpy() if len(known) >= _MIN_REALISED else None)
            members = [Forecast(kind, group.loc[m, "value"], group.loc[m, "pmf"]) for m in ENSEMBLE_MEMBERS]
            first = group.iloc[0]
            row = _row(first["target"], horizon, origin, "ensemble", combine(members, weights), first["y"])
            row["weights"] = dict(zip(ENSEMBLE_MEMBERS, np.round(weights / weights.sum(), 4), strict=True))
            out.append(row)
        return out


def ensemble_weights(scores: np.ndarray | None) -> np.ndarray:
    """Member weights: half equal, half proportional to 1 / mean score (equal when ``scores`` is None).

    The equal half keeps every member at least 1/(2M): a member whose recent score is near zero
    (a rate of 11 launch months in 12) cannot take the whole ensemble to a certainty.
    """
    m = len(ENSEMBLE_MEMBERS)
    if scores is None:
        return np.full(m, 1.0 / m)
    inverse = 1.0 / np.maximum(np.asarray(scores, float), 1e-12)
    return 0.5 / m + 0.5 * inverse / inverse.sum()


def _row(name: str, horizon: int, origin: pd.Period, model: str, f: Forecast, y: float) -> dict[str, Any]:
    return {
        "target": name,
        "horizon": horizon,
        "origin": origin,
        "model": model,
        "value": f.value,
        "pmf": f.pmf,
        "y": y,
    }


def _score(kind: str, value: float, pmf: np.ndarray | None, y: float) -> float:
    if isinstance(y, float) and math.isnan(y):
        return math.nan
    if kind == "binary" or pmf is None:
        return (value - y) ** 2
    return scoring.crps(pmf, y)


def _origin_scores(kind: str, g: pd.DataFrame) -> np.ndarray:
    """Per-origin scores of one model, in origin order."""
    g = g.sort_values("origin")
    return np.array([_score(kind, v, p, y) for v, p, y in zip(g["value"], g["pmf"], g["y"], strict=True)])


@dataclass
class BacktestResult:
    """Every forecast of a backtest: ``target``, ``horizon``, ``origin``, ``model``, ``value``, ``pmf``, ``y``."""

    forecasts: pd.DataFrame

    def realised(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Forecasts whose outcome is known, with origins in [start, end]."""
        f = self.forecasts
        f = f[f["y"].notna()]
        if start is not None:
            f = f[f["origin"] >= pd.Period(start, "M")]
        if end is not None:
            f = f[f["origin"] <= pd.Period(end, "M")]
        return f

    def leaderboard(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Scores per target, horizon and model over the realised origins in [start, end].

        ``score`` is the Brier score (binary) or the CRPS (counts); the skills are 1 − score /
        reference over the same origins, with 90% moving-block bootstrap intervals (blocks of 12
        origins); ``beats_baselines`` is true when both point skills are positive.
        """
        f = self.realised(start, end)
        rows = []
        for (name, h), group in f.groupby(["target", "horizon"], sort=True):
            kind = TARGETS[name].kind
            scores = {m: self._scores(kind, g) for m, g in group.groupby("model")}
            per_origin = {m: _origin_scores(kind, g) for m, g in group.groupby("model")}
            for m, s in scores.items():
                row: dict[str, Any] = {"target": name, "horizon": h, "model": m, **s}
                for ref in ("climatology", "persistence"):
                    if ref in scores:
                        row[f"skill_{ref}"] = scoring.skill(s["score"], scores[ref]["score"])
                        lo, hi = scoring.skill_interval(per_origin[m], per_origin[ref])
                    else:
                        row[f"skill_{ref}"] = lo = hi = math.nan
                    row[f"skill_{ref}_lo"], row[f"skill_{ref}_hi"] = lo, hi
                row["beats_baselines"] = bool(row["skill_climatology"] > 0 and row["skill_persistence"] > 0)
                rows.append(row)
        board = pd.DataFrame(rows, columns=list(LEADERBOARD_COLUMNS))
        return board.sort_values(["target", "horizon", "score"], kind="stable").reset_index(drop=True)

    @staticmethod
    def _scores(kind: str, g: pd.DataFrame) -> dict[str, float]:
        p, y = g["value"].to_numpy(float), g["y"].to_numpy(float)
        out = {"origins": len(g), "outcome_mean": float(y.mean()), "forecast_mean": float(p.mean())}
        nan = math.nan
        if kind == "binary":
            return out | {
                "score": scoring.brier(p, y),
                "log_loss": scoring.log_loss(p, y),
                "auc": scoring.auc(p, y),
                "aupr": scoring.aupr(p, y),
                "mae": nan,
                "coverage_80": nan,
            }
        pmfs = list(g["pmf"])
        return out | {
            "score": float(np.mean([scoring.crps(f, v) for f, v in zip(pmfs, y, strict=True)])),
            "log_loss": nan,
            "auc": nan,
            "aupr": nan,
            "mae": float(np.mean(np.abs(p - y))),
            "coverage_80": scoring.coverage(pmfs, y, 0.8),
        }

    def calibration(self, start: str | None = None, end: str | None = None, *, bins: int = 10) -> pd.DataFrame:
        """Calibration table of every binary target, horizon and model (see :func:`.scoring.calibration_table`)."""
        f = self.realised(start, end)
        parts = []
        for (name, h, m), g in f.groupby(["target", "horizon", "model"], sort=True):
            if TARGETS[name].kind != "binary":
                continue
            table = scoring.calibration_table(g["value"].to_numpy(float), g["y"].to_numpy(float), bins)
            parts.append(table.assign(target=name, horizon=h, model=m))
        if not parts:
            return pd.DataFrame(columns=["target", "horizon", "model", "bin", "n", "mean_p", "observed"])
        out = pd.concat(parts, ignore_index=True)
        return out[["target", "horizon", "model", "bin", "n", "mean_p", "observed", "observed_lo", "observed_hi"]]

    def table(self) -> pd.DataFrame:
        """Every forecast as a flat table: origin as a date, the count distribution's mean and 10/90% quantiles."""
        f = self.forecasts.copy()
        f["origin"] = [o.start_time.date() for o in f["origin"]]
        f["q10"] = [scoring.pmf_quantile(p, 0.1) if p is not None else math.nan for p in f["pmf"]]
        f["q90"] = [scoring.pmf_quantile(p, 0.9) if p is not None else math.nan for p in f["pmf"]]
        return f.drop(columns=[c for c in ("pmf", "weights") if c in f.columns])
