"""Monte Carlo over input uncertainty, vectorised across runs, and which inputs move the outcome.

Every input (position, salience, capability of every actor) has a range ``[low, high]`` around its
point value. A run draws each input independently from the triangular distribution on its range
peaked at the point value (a point mass where ``low == high``); all runs are solved in one call of
the model's vectorised ``fit``. The result is the distribution of the predicted outcome, its
central interval (80% by default) and, per input, Spearman's rank correlation between the drawn
value and the outcome: the inputs with the largest ``|ρ|`` are the ones that move the forecast most.
The outcome at the point values need not lie inside the interval: a model with a threshold (BDM's
offers, Nash's feasibility) can jump as soon as an input moves, so ``point_percentile_`` and
``point_inside_`` say where the point lies among the runs, and the reports say why when it lies
outside (decision 058).

>>> import numpy as np
>>> from detente.bargaining.models import CompromiseModel
>>> X = np.array([[0.0, 0.5, 1.0], [100.0, 0.5, 1.0]])
>>> low, high = X.copy(), X.copy()
>>> low[1, 0], high[1, 0] = 80.0, 100.0  # only the second actor's position is uncertain
>>> mc = MonteCarlo(CompromiseModel(), runs=2000, seed=1).fit(X, low, high)
>>> bool(40.0 <= mc.interval_[0] < mc.interval_[1] <= 50.0), mc.point_
(True, 50.0)
>>> int(np.nanargmax(np.abs(mc.influence_)))  # flat index of (actor 1, position)
3
"""

from __future__ import annotations

import numpy as np

from .estimator import BaseModel, validate_x

__all__ = ["FIELDS", "MonteCarlo", "default_ranges", "rank_correlation", "triangular"]

#: the input columns of ``X``
FIELDS = ("position", "salience", "capability")


def triangular(low: np.ndarray, mode: np.ndarray, high: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution at uniforms ``u`` (``low`` where the range is empty)."""
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = np.where(width > 0, (mode - low) / width, 0.0)
    left = low + np.sqrt(np.maximum(u * width * (mode - low), 0.0))
    right = high - np.sqrt(np.maximum((1.0 - u) * width * (high - mode), 0.0))
    return np.where(width > 0, np.where(u < cut, left, right), low)


def default_ranges(
    X: np.ndarray, low: np.ndarray, high: np.ndarray, spread: float, scale: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Give every input without a range (``low == high``) one of relative width ``spread``.

    Positions get ``± spread × (scale width)`` within the scale, saliences ``± spread`` within
    [0, 1] and capabilities ``× (1 ± spread)``.
    """
    fixed = low == high
    width = scale[1] - scale[0]
    half = np.stack([np.full(X.shape[:-1], spread * width), np.full(X.shape[:-1], spread), X[..., 2] * spread], -1)
    floor = np.array([scale[0], 0.0, 0.0])
    ceiling = np.array([scale[1], 1.0, np.inf])
    new_low = np.where(fixed, np.maximum(X - half, floor), low)
    new_high = np.where(fixed, np.minimum(X + half, ceiling), high)
    return new_low, new_high


def _ranks(a: np.ndarray) -> np.ndarray:
    """Average ranks along axis 0 (ties share their mean rank)."""
    order = np.argsort(a, axis=0, kind="stable")
    sorted_a = np.take_along_axis(a, order, 0)
    n = a.shape[0]
    ranks_sorted = np.empty_like(sorted_a, dtype=float)
    for col in range(a.shape[1]):
        vals = sorted_a[:, col]
        starts = np.r_[0, np.flatnonzero(np.diff(vals) != 0) + 1]
        ends = np.r_[starts[1:], n]
        ranks_sorted[:, col] = np.repeat((starts + ends - 1) / 2.0, ends - starts)
    out = np.empty_like(ranks_sorted)
    np.put_along_axis(out, order, ranks_sorted, 0)
    return out


def rank_correlation(inputs: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Spearman's ρ between each column of ``inputs`` (runs, k) and ``outcome`` (runs,); NaN if either is constant."""
    r = _ranks(np.column_stack([outcome, inputs]))
    r -= r.mean(0)
    norm = np.sqrt((r**2).sum(0))
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = (r[:, 1:] * r[:, :1]).sum(0) / (norm[1:] * norm[0])
    return np.where((norm[1:] > 0) & (norm[0] > 0), rho, np.nan)


class MonteCarlo(BaseModel):
    """Distribution of a model's outcome under input uncertainty.

    Parameters
    ----------
    model : estimator
        Any bargaining model of this package (it is copied, never fitted in place).
    runs : int
        Number of draws.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same draws.
    interval : float
        Coverage of the central interval reported in ``interval_`` (0.8: the 10th-90th percentiles).

    Attributes
    ----------
    point_ : float
        The model's outcome at the point values.
    draws_ : ndarray, shape (runs, n_actors, 3)
        The drawn inputs.
    outcomes_ : ndarray, shape (runs,)
        The outcome of every run.
    interval_ : (float, float)
        Central interval of ``outcomes_``.
    quantiles_ : dict
        Percentiles 5, 10, 25, 50, 75, 90, 95 of ``outcomes_``.
    influence_ : ndarray, shape (n_actors, 3)
        Spearman's ρ of each input with the outcome (NaN for inputs that did not vary).
    point_percentile_ : float
        Mid-rank percentile of ``point_`` among ``outcomes_`` (ties count half).
    point_inside_ : bool
        Whether ``point_`` lies within ``interval_``.
    """

    def __init__(self, model: BaseModel, *, runs: int = 1000, seed: int = 0, interval: float = 0.8) -> None:
        self.model = model
        self.runs = runs
        self.seed = seed
        self.interval = interval

    def fit(self, X: object, low: object, high: object) -> MonteCarlo:
        """Draw ``runs`` input sets within ``[low, high]`` around ``X`` (all ``(n_actors, 3)``) and solve them."""
        x, single = validate_x(X)
        lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        if not single or lo.shape != x[0].shape or hi.shape != x[0].shape:
            raise ValueError(
                "X, low and high must all have shape (n_actors, 3); "
                f"got {x.shape[1:] if single else x.shape}, {lo.shape}, {hi.shape}"
            )
        if not ((lo <= x[0]) & (x[0] <= hi)).all():
            raise ValueError("every value of X must lie within [low, high]")
        if (lo[:, 1] < 0).any() or (hi[:, 1] > 1).any() or (lo[:, 2] < 0).any():
            raise ValueError("the ranges must keep salience within [0, 1] and capability >= 0")
        if int(self.runs) != self.runs or self.runs < 2:
            raise ValueError(f"runs must be an integer >= 2, got {self.runs!r}")
        if not 0.0 < self.interval < 1.0:
            raise ValueError(f"interval must lie in (0, 1), got {self.interval!r}")
        rng = np.random.default_rng(self.seed)
        u = rng.random((int(self.runs), *x[0].shape))
        draws = triangular(lo, x[0], hi, u)
        model = type(self.model)(**self.model.get_params(deep=False))
        self.point_ = float(np.asarray(model.fit(x[0]).outcome_))
        outcomes = np.asarray(model.fit(draws).outcome_, dtype=float)
        tail = (1.0 - self.interval) / 2.0 * 100.0
        self.draws_ = draws
        self.outcomes_ = outcomes
        self.interval_ = (float(np.percentile(outcomes, tail)), float(np.percentile(outcomes, 100.0 - tail)))
        self.quantiles_ = {q: float(np.percentile(outcomes, q)) for q in (5, 10, 25, 50, 75, 90, 95)}
        self.influence_ = rank_correlation(draws.reshape(len(draws), -1), outcomes).reshape(x[0].shape)
        below, ties = np.mean(outcomes < self.point_), np.mean(np.isclose(outcomes, self.point_))
        self.point_percentile_ = float(100.0 * (below + ties / 2.0))
        self.point_inside_ = bool(self.interval_[0] - 1e-9 <= self.point_ <= self.interval_[1] + 1e-9)
        return self

    def outside_note(self) -> str:
        """Why the point lies outside the interval (empty when it lies inside)."""
        if self.point_inside_:
            return ""
        share = round(self.interval * 100)
        return (
            f"the point outcome {self.point_:.3g} lies at percentile {self.point_percentile_:.0f} of the runs, "
            f"outside their {share}% interval: the model jumps as soon as the inputs move off their point values "
            "(a threshold), so the interval describes the outcomes of nearby inputs"
        )
