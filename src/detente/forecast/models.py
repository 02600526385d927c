"""Forecasting models: three baselines, a GLM, gradient boosting, a Hawkes process and an ensemble.

Every model follows the scikit-learn contract without depending on it: keyword-only parameters
stored as given, ``fit(data, target, horizon)`` returns ``self``, learned state ends in ``_``. A
model is fitted on a :class:`~.features.MonthlyData` truncated to the forecast origin
(:meth:`~.features.MonthlyData.as_of`), so it cannot see later months, and ``predict(data)``
forecasts the window after ``data.last``. A :class:`Forecast` is a probability (binary targets) or
a distribution over counts; ``explain(data)`` names the drivers behind it and ``draws`` samples the
forecast under the model's parameter uncertainty (for the intervals of ``detente forecast``).

=============== =====================================================================================
``climatology`` the base rate of the outcome over every realised origin since 1990 (binary: Jeffreys
                estimate (k + ½)/(n + 1); counts: the empirical distribution)
``persistence`` what happened in the last h months happens again (probability 0 or 1; a point mass)
``last12``      the last 12 months: a month has an event with probability (k + ½)/13, so the window
                of h months with 1 − (1 − r)^h; counts Poisson with 12-month mean × h
``glm``         logistic regression / negative binomial (NB2, dispersion by moments from a Poisson
                fit) on the standardised features, statsmodels, with a small ridge penalty
``lightgbm``    gradient-boosted trees (binary or Poisson objective), LightGBM's native API
``hawkes``      a self-exciting process fitted to the incident days of the last 10 years
                (:mod:`.hawkes`): exact P(no event), counts by simulation
``ensemble``    a weighted average of members (probabilities or distributions)
=============== =====================================================================================
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._estimator import BaseEstimator
from .._extras import require
from . import hawkes
from .features import FEATURES, LOG_FEATURES, MonthlyData
from .targets import Target

__all__ = [
    "DEFAULT_MODELS",
    "ENSEMBLE_MEMBERS",
    "GLM",
    "GLM_FEATURES",
    "MODELS",
    "TRAIN_START",
    "Z_CLIP",
    "Boosting",
    "Climatology",
    "Driver",
    "Ensemble",
    "Forecast",
    "Forecaster",
    "HawkesForecaster",
    "LastYear",
    "Persistence",
    "combine",
    "count_pmf",
    "make_model",
    "training_set",
    "window_days",
]

#: first origin used for training (the frame starts 1988-01; two years of lags first)
TRAIN_START = pd.Period("1990-01", "M")
#: members of the ensemble
ENSEMBLE_MEMBERS = ("glm", "lightgbm", "hawkes", "last12")
#: the GLM's features, fixed in advance: recent activity, the tension index and the knowledge base
GLM_FEATURES = (
    "launches_3m",
    "launches_12m",
    "launch_gap",
    "major_12m",
    "provocations_3m",
    "provocations_12m",
    "tension",
    "drills_expected",
    "hotline_open",
    "rok_conservative",
    "dprk_kju",
    "implementation",
    "sanctions_12m",
    "test_moratorium",
    "month_sin",
    "month_cos",
)
#: standardised GLM inputs are clipped to ±Z_CLIP: no extrapolation beyond the training range
Z_CLIP = 3.0
_TAIL = 1e-6


@dataclass(frozen=True)
class Driver:
    """One reason behind a forecast: a feature, its value and its effect (link scale or SHAP)."""

    name: str
    value: float
    effect: float

    def __str__(self) -> str:
        effect = "" if math.isnan(self.effect) else f" ({self.effect:+.2f})"
        return f"{self.name}={self.value:.3g}{effect}"


@dataclass(frozen=True)
class Forecast:
    """A forecast for one window: ``value`` is P(outcome) for a binary target, the mean for a count."""

    kind: str
    value: float
    pmf: np.ndarray | None = None


def count_pmf(mean: float, alpha: float = 0.0) -> np.ndarray:
    """Poisson (``alpha`` = 0) or negative binomial NB2 (variance mean + alpha·mean²) probabilities 0…K."""
    stats = require("scipy.stats")

    mean = max(float(mean), 0.0)
    if mean == 0.0:
        return np.array([1.0])
    dist = stats.poisson(mean) if alpha <= 1e-9 else stats.nbinom(1.0 / alpha, 1.0 / (1.0 + alpha * mean))
    k = np.arange(int(min(dist.ppf(1 - _TAIL), 2000)) + 1)
    pmf = dist.pmf(k)
    return pmf / pmf.sum()


def window_days(origin: pd.Period, horizon: int) -> tuple[float, float]:
    """Day numbers (since 1970-01-01) of the start of month origin+1 and the window's length in days."""
    first = (origin + 1).start_time
    stop = (origin + horizon + 1).start_time
    epoch = pd.Timestamp("1970-01-01")
    return float((first - epoch).days), float((stop - first).days)


def training_set(
    data: MonthlyData, target: Target, horizon: int, features: Sequence[str] = FEATURES
) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and realised outcomes of every origin from :data:`TRAIN_START` to ``data.last - horizon``."""
    X = data.features(horizon).loc[TRAIN_START:, list(features)]
    y = data.outcome(target, horizon).loc[TRAIN_START:]
    ok = y.notna().to_numpy()
    return X[ok], y.to_numpy()[ok]


class Forecaster(BaseEstimator):
    """Base class: the shared estimator contract (:class:`~detente._estimator.BaseEstimator`) and the default draws."""

    name: ClassVar[str] = ""
    #: whether a fit does not depend on the horizon (then :meth:`with_horizon` reuses it)
    horizon_free: ClassVar[bool] = False
    _fit_call: ClassVar[str] = "fit(data, target, horizon)"

    def clone(self) -> Forecaster:
        """An unfitted copy with the same parameters."""
        return type(self)(**self.get_params(deep=False))

    def with_horizon(self, horizon: int) -> Forecaster:
        """A copy of a fitted horizon-free model that forecasts ``horizon`` months."""
        import copy

        if not self.horizon_free:
            raise TypeError(f"{type(self).__name__} must be refitted for another horizon")
        self._check()
        other = copy.copy(self)
        other.horizon_ = int(horizon)
        return other

    def _check(self) -> None:
        self._check_fitted("target_")

    def _start(self, target: Target, horizon: int) -> None:
        self.target_, self.horizon_ = target, int(horizon)

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> Forecaster:  # pragma: no cover
        raise NotImplementedError

    def predict(self, data: MonthlyData) -> Forecast:  # pragma: no cover
        raise NotImplementedError

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` forecasts under parameter uncertainty (the point forecast when the model has none)."""
        return np.full(n, self.predict(data).value)

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """The main drivers of the forecast after ``data.last`` (none by default)."""
        return ()

# --------------------------------------------------------------------------------------- baselines


class Climatology(Forecaster):
    """The base rate over every realised origin since :data:`TRAIN_START`."""

    name = "climatology"

    def __init__(self) -> None:
        pass

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> Climatology:
        """Store the realised outcomes."""
        self._start(target, horizon)
        y = data.outcome(target, horizon).loc[TRAIN_START:].dropna().to_numpy()
        self.outcomes_ = y
        return self

    def predict(self, data: MonthlyData) -> Forecast:
        """(k + ½)/(n + 1), or the empirical distribution of the counts."""
        self._check()
        y = self.outcomes_
        if self.target_.kind == "binary":
            return Forecast("binary", float((y.sum() + 0.5) / (y.size + 1.0)))
        if y.size == 0:
            return Forecast("count", 0.0, np.array([1.0]))
        return Forecast("count", float(y.mean()), np.bincount(y.astype(int)) / y.size)

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """The realised outcomes behind the rate."""
        self._check()
        y = self.outcomes_
        return (
            Driver("origins since 1990", float(y.size), math.nan),
            Driver("outcome mean", float(y.mean()), math.nan),
        )

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """Jeffreys posterior of the rate (binary) or bootstrap means (counts)."""
        self._check()
        y = self.outcomes_
        if self.target_.kind == "binary":
            return rng.beta(y.sum() + 0.5, y.size - y.sum() + 0.5, size=n)
        return rng.choice(y, size=(n, y.size)).mean(axis=1) if y.size else np.zeros(n)


class Persistence(Forecaster):
    """The last h months repeat: P = 1 if they held an event, else 0; counts a point mass at their total."""

    name = "persistence"

    def __init__(self) -> None:
        pass

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> Persistence:
        """Nothing to learn."""
        self._start(target, horizon)
        return self

    def predict(self, data: MonthlyData) -> Forecast:
        """The last ``horizon`` months' total (binary: whether it is positive)."""
        self._check()
        total = self._total(data)
        if self.target_.kind == "binary":
            return Forecast("binary", float(total > 0))
        pmf = np.zeros(int(total) + 1)
        pmf[-1] = 1.0
        return Forecast("count", total, pmf)

    def _total(self, data: MonthlyData) -> float:
        return float(data.monthly[self.target_.series].iloc[-self.horizon_ :].sum())

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """The last h months' total."""
        self._check()
        return (Driver(f"{self.target_.series} in the last {self.horizon_} months", self._total(data), math.nan),)


class LastYear(Forecaster):
    """The last 12 months' rate (months with an event, or the mean count)."""

    name = "last12"

    def __init__(self) -> None:
        pass

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> LastYear:
        """Nothing to learn."""
        self._start(target, horizon)
        return self

    def _last(self, data: MonthlyData) -> np.ndarray:
        return data.monthly[self.target_.series].iloc[-12:].to_numpy(float)

    def predict(self, data: MonthlyData) -> Forecast:
        """1 − (1 − r)^h with r = (k + ½)/13, or Poisson(mean × h)."""
        self._check()
        x = self._last(data)
        h = self.horizon_
        if self.target_.kind == "binary":
            r = (float((x > 0).sum()) + 0.5) / (x.size + 1.0)
            return Forecast("binary", 1 - (1 - r) ** h)
        mean = float(x.mean()) * h
        return Forecast("count", mean, count_pmf(mean))

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """Months with an event and the mean count over the last 12 months."""
        self._check()
        x = self._last(data)
        return (
            Driver("months with an event of the last 12", float((x > 0).sum()), math.nan),
            Driver("mean per month over the last 12", float(x.mean()), math.nan),
        )

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """Jeffreys posterior of the monthly rate (binary) or the Gamma posterior of the mean (counts)."""
        self._check()
        x = self._last(data)
        h = self.horizon_
        if self.target_.kind == "binary":
            k = (x > 0).sum()
            return 1 - (1 - rng.beta(k + 0.5, x.size - k + 0.5, size=n)) ** h
        return rng.gamma(x.sum() + 0.5, 1.0 / x.size, size=n) * h


# ---------------------------------------------------------------------------------------------- GLM


def _transform(X: pd.DataFrame) -> pd.DataFrame:
    out = X.astype(float)
    logs = [c for c in out.columns if c in LOG_FEATURES]
    out[logs] = np.log1p(out[logs].clip(lower=0))
    return out


class GLM(Forecaster):
    """Logistic regression (binary) or negative binomial NB2 (counts), statsmodels, ridge-penalised.

    Features (:data:`GLM_FEATURES`) are log1p-transformed where they are counts
    (:data:`.features.LOG_FEATURES`), standardised on the training rows and clipped to ±:data:`Z_CLIP`
    (a feature that barely varied in training, such as implementation before 2018, cannot push
    the linear predictor far outside its training range); constant columns are dropped. The penalty ``ridge`` (per
    observation, intercept unpenalised) keeps the fit finite when a feature separates the outcomes
    (e.g. no major provocation while a test moratorium held). Parameter uncertainty is the Laplace
    approximation: β ~ N(β̂, (Zᵀ W Z + n·ridge·I)⁻¹).
    """

    name = "glm"

    def __init__(self, *, features: Sequence[str] = GLM_FEATURES, ridge: float = 0.02) -> None:
        self.features = features
        self.ridge = ridge

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> GLM:
        """Fit on every realised origin of ``data``."""
        self._start(target, horizon)
        X, y = training_set(data, target, horizon, self.features)
        T = _transform(X)
        center, scale = T.mean(), T.std(ddof=0)
        keep = scale > 1e-9
        self.columns_ = list(T.columns[keep])
        self.center_, self.scale_ = center[keep], scale[keep]
        Z = self._z(T)
        self.params_, self.alpha_ = self._fit(Z, y, target.kind)
        self.cov_ = self._laplace(Z, y)
        return self

    def _z(self, T: pd.DataFrame) -> np.ndarray:
        Z = ((T[self.columns_] - self.center_) / self.scale_).fillna(0.0).clip(-Z_CLIP, Z_CLIP).to_numpy()
        return np.column_stack([np.ones(len(Z)), Z])

    def _family(self, kind: str, alpha: float) -> Any:
        sm = require("statsmodels.api")

        if kind == "binary":
            return sm.families.Binomial()
        return sm.families.Poisson() if alpha <= 0 else sm.families.NegativeBinomial(alpha=alpha)

    def _penalised(self, Z: np.ndarray, y: np.ndarray, kind: str, alpha: float) -> np.ndarray:
        sm = require("statsmodels.api")
        sm_exceptions = require("statsmodels.tools.sm_exceptions")
        ConvergenceWarning, DomainWarning = sm_exceptions.ConvergenceWarning, sm_exceptions.DomainWarning

        pen = np.full(Z.shape[1], self.ridge)
        pen[0] = 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", DomainWarning)
            res = sm.GLM(y, Z, family=self._family(kind, alpha)).fit_regularized(alpha=pen, L1_wt=0.0)
        return np.asarray(res.params, float)

    def _fit(self, Z: np.ndarray, y: np.ndarray, kind: str) -> tuple[np.ndarray, float]:
        params = self._penalised(Z, y, kind, 0.0)
        if kind == "binary":
            return params, 0.0
        mu = np.exp(Z @ params)
        alpha = max(0.0, float(np.sum((y - mu) ** 2 - mu) / np.sum(mu**2)))  # moments: Σ((y − μ)² − μ) = α Σ μ²
        return (self._penalised(Z, y, kind, alpha), alpha) if alpha > 1e-6 else (params, 0.0)

    def _mean(self, Z: np.ndarray, params: np.ndarray) -> np.ndarray:
        eta = np.clip(Z @ params, -30, 30)
        return 1 / (1 + np.exp(-eta)) if self.target_.kind == "binary" else np.exp(eta)

    def _laplace(self, Z: np.ndarray, y: np.ndarray) -> np.ndarray:
        mu = self._mean(Z, self.params_)
        w = mu * (1 - mu) if self.target_.kind == "binary" else mu / (1 + self.alpha_ * mu)
        pen = np.full(Z.shape[1], len(y) * self.ridge)
        pen[0] = 0.0
        info = (Z * w[:, None]).T @ Z + np.diag(pen)
        return np.linalg.pinv(info)

    def design(self, X: pd.DataFrame) -> np.ndarray:
        """The model matrix (intercept first) of raw feature rows: log1p for counts, standardised, clipped."""
        self._check()
        return self._z(_transform(X[list(self.features)]))

    def _row(self, data: MonthlyData) -> tuple[np.ndarray, pd.Series]:
        X = data.features(self.horizon_).iloc[[-1]][list(self.features)]
        return self._z(_transform(X))[0], X.iloc[0]

    def predict(self, data: MonthlyData) -> Forecast:
        """The forecast for the window after ``data.last``."""
        self._check()
        z, _ = self._row(data)
        value = float(self._mean(z[None, :], self.params_)[0])
        if self.target_.kind == "binary":
            return Forecast("binary", value)
        return Forecast("count", value, count_pmf(value, self.alpha_))

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """The three largest contributions β_j·z_j to the linear predictor (relative to the average origin)."""
        self._check()
        z, x = self._row(data)
        effects = z[1:] * self.params_[1:]
        top = np.argsort(-np.abs(effects))[:3]
        return tuple(Driver(self.columns_[i], float(x[self.columns_[i]]), float(effects[i])) for i in top)

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """Forecasts under β drawn from the Laplace approximation."""
        self._check()
        z, _ = self._row(data)
        betas = rng.multivariate_normal(self.params_, self.cov_, size=n, method="eigh")
        return self._mean(betas, z)  # row i: the linear predictor with the i-th draw


# ---------------------------------------------------------------------------------------- LightGBM


class Boosting(Forecaster):
    """Gradient-boosted trees (LightGBM's native API; binary or Poisson objective), small and deterministic.

    Drivers are LightGBM's per-feature contributions (TreeSHAP, on the raw score scale); draws
    refit on moving-block bootstrap samples of the training rows (blocks of 12 months).
    """

    name = "lightgbm"

    def __init__(
        self,
        *,
        features: Sequence[str] = FEATURES,
        rounds: int = 150,
        learning_rate: float = 0.05,
        leaves: int = 7,
        min_leaf: int = 20,
        seed: int = 0,
        bootstrap: int = 30,
    ) -> None:
        self.features = features
        self.rounds = rounds
        self.learning_rate = learning_rate
        self.leaves = leaves
        self.min_leaf = min_leaf
        self.seed = seed
        self.bootstrap = bootstrap

    def _train(self, X: np.ndarray, y: np.ndarray) -> Any:
        lgb = require("lightgbm")

        params = {
            "objective": "binary" if self.target_.kind == "binary" else "poisson",
            "learning_rate": self.learning_rate,
            "num_leaves": self.leaves,
            "min_data_in_leaf": self.min_leaf,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": 1,
            "verbose": -1,
        }
        if self.target_.kind == "binary" and (y.min() == y.max()):
            return float(y[0])  # one class only: LightGBM cannot fit; the rate is certain
        return lgb.train(params, lgb.Dataset(X, y, feature_name=list(self.features)), num_boost_round=self.rounds)

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> Boosting:
        """Train on every realised origin of ``data``."""
        self._start(target, horizon)
        X, y = training_set(data, target, horizon, self.features)
        self.train_X_, self.train_y_ = X.to_numpy(float), y
        self.booster_ = self._train(self.train_X_, y)
        return self

    def _value(self, booster: Any, x: np.ndarray) -> float:
        return booster if isinstance(booster, float) else float(booster.predict(x, num_threads=1)[0])

    def _x(self, data: MonthlyData) -> np.ndarray:
        return data.features(self.horizon_).iloc[[-1]][list(self.features)].to_numpy(float)

    def predict(self, data: MonthlyData) -> Forecast:
        """The forecast after ``data.last``."""
        self._check()
        value = self._value(self.booster_, self._x(data))
        if self.target_.kind == "binary":
            return Forecast("binary", value)
        return Forecast("count", value, count_pmf(value))

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """The three largest SHAP contributions (raw score scale)."""
        self._check()
        if isinstance(self.booster_, float):
            return ()
        x = self._x(data)
        contrib = self.booster_.predict(x, pred_contrib=True, num_threads=1)[0][:-1]
        top = np.argsort(-np.abs(contrib))[:3]
        return tuple(Driver(self.features[i], float(x[0, i]), float(contrib[i])) for i in top)

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """Forecasts of models refitted on ``min(n, bootstrap)`` moving-block bootstrap samples, resampled to n."""
        self._check()
        x = self._x(data)
        size = self.train_y_.size
        block = 12
        values = []
        for _ in range(max(1, min(n, self.bootstrap))):
            starts = rng.integers(0, max(size - block, 1), size=math.ceil(size / block))
            idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:size] % size
            values.append(self._value(self._train(self.train_X_[idx], self.train_y_[idx]), x))
        return rng.choice(np.asarray(values), size=n)


# ------------------------------------------------------------------------------------------ Hawkes


class HawkesForecaster(Forecaster):
    """Self-exciting process on the target series' incident days of the last ``window_years`` years.

    With fewer than 3 incidents in the window the process is a plain Poisson one (α = 0) at the
    Jeffreys rate. The window is in days; P(≥ 1 incident) is exact, counts are simulated (``paths``).
    """

    name = "hawkes"
    horizon_free = True

    def __init__(self, *, window_years: float = 10.0, paths: int = 2000, seed: int = 0) -> None:
        self.window_years = window_years
        self.paths = paths
        self.seed = seed

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> HawkesForecaster:
        """Maximum-likelihood fit on the incidents up to the end of ``data.last``."""
        self._start(target, horizon)
        end, _ = window_days(data.last, horizon)
        start = end - 365.25 * self.window_years
        times = np.asarray(data.event_times.get(target.series, np.array([])), float)
        inside = times[(times >= start) & (times <= end)]
        if inside.size >= 3:
            self.fit_ = hawkes.fit(inside, start, end)
        else:
            params = hawkes.HawkesParams((inside.size + 0.5) / (end - start), 0.0, 1.0)
            self.fit_ = hawkes.HawkesFit(params, math.nan, np.zeros((3, 3)), int(inside.size), start, end)
        return self

    def _history(self, data: MonthlyData) -> np.ndarray:
        return np.asarray(data.event_times.get(self.target_.series, np.array([])), float)

    def _expected(self, params: hawkes.HawkesParams, history: np.ndarray, at: float, length: float) -> float:
        """E[N(at, at + length]] from the mean-intensity equation of the exponential kernel."""
        mu, a, b = params.mu, params.alpha, params.beta
        e0 = hawkes.excitation(params, history, at)
        rate = b * (1 - a)
        e_inf = a * mu / (1 - a)
        return mu * length + e_inf * length + (e0 - e_inf) * (1 - math.exp(-rate * length)) / rate

    def predict(self, data: MonthlyData) -> Forecast:
        """P(≥ 1 incident in the window), or the simulated count distribution."""
        self._check()
        at, length = window_days(data.last, self.horizon_)
        history = self._history(data)
        params = self.fit_.params
        if self.target_.kind == "binary":
            return Forecast("binary", 1 - hawkes.prob_none(params, history, at, length))
        rng = np.random.default_rng([self.seed, int(at)])
        counts = hawkes.simulate_counts(params, history, at, length, self.paths, rng)
        return Forecast("count", float(counts.mean()), np.bincount(counts) / counts.size)

    def explain(self, data: MonthlyData) -> tuple[Driver, ...]:
        """Background rate, branching ratio and the share of the current intensity due to recent incidents."""
        self._check()
        at, _ = window_days(data.last, self.horizon_)
        params = self.fit_.params
        excited = hawkes.excitation(params, self._history(data), at)
        return (
            Driver("background rate per 30 days", params.mu * 30, math.nan),
            Driver("branching ratio", params.alpha, math.nan),
            Driver("self-excitation share of intensity", excited / (params.mu + excited), math.nan),
        )

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """Forecasts under parameters drawn from the Laplace approximation (clipped to the bounds)."""
        self._check()
        at, length = window_days(data.last, self.horizon_)
        history = self._history(data)
        cov = self.fit_.cov
        theta = self.fit_.params.as_array()
        ok = np.all(np.isfinite(cov)) and np.all(np.linalg.eigvalsh((cov + cov.T) / 2) >= -1e-12)
        thetas = rng.multivariate_normal(theta, cov, size=n, method="eigh") if ok else np.tile(theta, (n, 1))
        out = np.empty(n)
        for i, (mu, a, b) in enumerate(thetas):
            p = hawkes.HawkesParams(max(mu, 1e-10), min(max(a, 0.0), 0.999), max(b, 1e-9))
            out[i] = (
                1 - hawkes.prob_none(p, history, at, length)
                if self.target_.kind == "binary"
                else self._expected(p, history, at, length)
            )
        return out


# ---------------------------------------------------------------------------------------- ensemble


def combine(forecasts: Sequence[Forecast], weights: Sequence[float] | np.ndarray) -> Forecast:
    """The weighted average of forecasts of one kind (probabilities, or mixtures of distributions)."""
    w = np.asarray(weights, float)
    w = w / w.sum()
    kind = forecasts[0].kind
    value = float(np.dot(w, [f.value for f in forecasts]))
    if kind == "binary":
        return Forecast("binary", value)
    pmfs = [f.pmf if f.pmf is not None else np.array([1.0]) for f in forecasts]
    pmf = np.zeros(max(p.size for p in pmfs))
    for wi, p in zip(w, pmfs, strict=True):
        pmf[: p.size] += wi * p
    return Forecast("count", value, pmf)


class Ensemble(Forecaster):
    """A weighted average of member models (equal weights unless given).

    The backtest and ``detente forecast`` weight the members half equally, half by the inverse of
    their mean score on the last realised origins (:func:`.backtest.ensemble_weights`); this class
    applies whatever weights it gets.
    """

    name = "ensemble"

    def __init__(self, *, members: Sequence[str] = ENSEMBLE_MEMBERS, weights: Sequence[float] | None = None) -> None:
        self.members = members
        self.weights = weights

    def _weights(self) -> np.ndarray:
        return np.ones(len(self.members)) if self.weights is None else np.asarray(self.weights, float)

    def fit(self, data: MonthlyData, target: Target, horizon: int) -> Ensemble:
        """Fit every member."""
        self._start(target, horizon)
        self.models_ = [make_model(m).fit(data, target, horizon) for m in self.members]
        return self

    def predict(self, data: MonthlyData) -> Forecast:
        """The weighted average of the members' forecasts."""
        self._check()
        return combine([m.predict(data) for m in self.models_], self._weights())

    def draws(self, data: MonthlyData, n: int, rng: np.random.Generator) -> np.ndarray:
        """The weighted average of the members' draws."""
        self._check()
        w = self._weights() / self._weights().sum()
        return np.sum([wi * m.draws(data, n, rng) for wi, m in zip(w, self.models_, strict=True)], axis=0)


MODELS: dict[str, type[Forecaster]] = {
    cls.name: cls for cls in (Climatology, Persistence, LastYear, GLM, Boosting, HawkesForecaster, Ensemble)
}
#: every model, baselines first
DEFAULT_MODELS = tuple(MODELS)


def make_model(name: str, **params: Any) -> Forecaster:
    """A new model by name (see :data:`MODELS`)."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
    return MODELS[name](**params)
