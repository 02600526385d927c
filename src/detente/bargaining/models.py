"""Closed-form bargaining models: compromise (weighted mean), weighted median and Nash bargaining.

- Compromise model: ``O = Σ c s x / Σ c s`` (the "NBS" of the Decide software; Leinaweaver &
  Thomson 2014 call it a computationally simple variant of the Nash bargaining solution).
- Weighted median: the position ``x`` where the cumulative ``c·s`` weight of the sorted positions
  first reaches half the total. With utilities that fall with distance it is the Condorcet winner
  of the pairwise votes ``Σ_k c_k s_k (|x_k - x_b| - |x_k - x_a|)`` (Black's median voter theorem);
  :func:`pairwise_margins` gives those votes.
- Asymmetric Nash bargaining: ``argmax_x Π_i (u_i(x) - u_i(d))^{w_i}`` with bargaining weights
  ``w_i`` (``c·s`` by default) and a disagreement point ``d``; linear (``-|x - x_i|``) or quadratic
  (``-(x - x_i)^2``) utilities. See ``docs/bargaining.md``.

Every estimator takes ``X`` of shape ``(n_actors, 3)`` or ``(n_games, n_actors, 3)`` with columns
position, salience (0-1), capability (see :mod:`.estimator`).

>>> import numpy as np
>>> X = np.array([[0.0, 1.0, 1.0], [100.0, 1.0, 3.0]])
>>> round(CompromiseModel().fit(X).outcome_, 6)
75.0
>>> round(NashBargainingModel(scale=(0.0, 100.0)).fit(X).outcome_, 6)
75.0
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .estimator import BaseModel, validate_x

__all__ = [
    "CompromiseModel",
    "NashBargainingModel",
    "WeightedMedianModel",
    "compromise",
    "nash_solution",
    "pairwise_margins",
    "weighted_median",
]

Weights = Literal["cs", "c", "equal"]
Utility = Literal["linear", "quadratic"]


def compromise(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean ``Σ w x / Σ w`` over the last axis."""
    return (w * x).sum(-1) / w.sum(-1)


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted median over the last axis: the first sorted position whose cumulative weight reaches half.

    At an exact half (a tie between two positions) the lower position is returned.
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, -1)
    cum = np.cumsum(np.take_along_axis(w, order, -1), axis=-1)
    half = cum[..., -1:] * 0.5
    idx = np.argmax(cum >= half * (1.0 - 1e-12), axis=-1)
    return np.take_along_axis(xs, idx[..., None], -1)[..., 0]


def pairwise_margins(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Votes for position ``x[a]`` against ``x[b]``: ``M[a, b] = Σ_k w_k (|x_k - x_b| - |x_k - x_a|)``.

    ``M[a, b] > 0`` means ``x[a]`` beats ``x[b]``; a position beating every other is the Condorcet winner.
    """
    d = np.abs(x[..., None, :] - x[..., :, None])  # d[a, k] = |x_k - x_a|
    dw = (d * w[..., None, :]).sum(-1)  # Σ_k w_k |x_k - x_a|
    return dw[..., None, :] - dw[..., :, None]


def _weights(arr: np.ndarray, kind: Weights) -> np.ndarray:
    if kind == "cs":
        return arr[..., 1] * arr[..., 2]
    if kind == "c":
        return arr[..., 2].copy()
    if kind == "equal":
        return np.ones_like(arr[..., 0])
    raise ValueError(f"weights must be 'cs', 'c' or 'equal', got {kind!r}")


def _slopes(x: np.ndarray, ideal: np.ndarray, reach: np.ndarray, w: np.ndarray, utility: Utility) -> tuple:
    """Right and left derivatives of ``Σ w_i log g_i`` at ``x`` (...,) where ``g_i`` is the gain over ``d``."""
    diff = x[..., None] - ideal
    if utility == "linear":
        gain = reach - np.abs(diff)
        right, left = -np.where(diff >= 0, 1.0, -1.0), -np.where(diff > 0, 1.0, -1.0)
    else:
        gain = reach**2 - diff**2
        right = left = -2.0 * diff
    active = w > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(active, w / gain, 0.0)
    return (scale * right).sum(-1), (scale * left).sum(-1)


def nash_solution(
    x: np.ndarray,
    w: np.ndarray,
    disagreement: np.ndarray | None,
    scale: tuple[np.ndarray, np.ndarray],
    utility: Utility = "linear",
    iterations: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Asymmetric Nash bargaining solution per game and whether any point improves on disagreement for all.

    ``x`` and ``w`` have shape (..., n). ``disagreement`` is a position per game (...,) or ``None``
    for each actor's worst point of ``scale``. On the open interval where every actor with weight
    > 0 gains, ``Σ w_i log(u_i(x) - u_i(d))`` is concave, so bisection on the sign of its one-sided
    derivatives (vectorised across games) finds the maximum, kinks of linear utilities included.
    Where that interval is empty the solution is the disagreement point itself.
    """
    lo_s, hi_s = scale
    if disagreement is None:
        reach = np.maximum(x - lo_s[..., None], hi_s[..., None] - x)
        fallback = (lo_s + hi_s) / 2
    else:
        fallback = np.asarray(disagreement, dtype=float)
        reach = np.abs(fallback[..., None] - x)
    active = w > 0
    lo = np.maximum(np.where(active, x - reach, -np.inf).max(-1), lo_s)
    hi = np.minimum(np.where(active, x + reach, np.inf).min(-1), hi_s)
    feasible = (hi - lo) > 1e-12 * (hi_s - lo_s)
    a, b = np.where(feasible, lo, 0.0), np.where(feasible, hi, 1.0)
    for _ in range(iterations):
        m = (a + b) / 2
        right, left = _slopes(m, x, reach, w, utility)
        up, down = right > 0, left < 0
        a, b = np.where(up, m, np.where(down, a, m)), np.where(up, b, m)
        if not (b - a > 4 * np.finfo(float).eps * np.maximum(np.abs(a), 1.0)).any():
            break
    return np.where(feasible, (a + b) / 2, fallback), feasible


class CompromiseModel(BaseModel):
    """Compromise model: the ``c·s``-weighted mean position.

    Parameters
    ----------
    weights : {"cs", "c", "equal"}
        ``c·s`` (default), capability only, or the plain mean.

    Attributes
    ----------
    outcome_ : float or ndarray
        Predicted outcome (one per game for a 3-D ``X``).
    """

    def __init__(self, *, weights: Weights = "cs") -> None:
        self.weights = weights

    def fit(self, X: object) -> CompromiseModel:
        """Compute the weighted mean of ``X`` and return ``self``."""
        arr, single = validate_x(X)
        out = compromise(arr[..., 0], _weights(arr, self.weights))
        self.outcome_ = float(out[0]) if single else out
        return self


class WeightedMedianModel(BaseModel):
    """Weighted median (the Condorcet winner of ``c·s``-weighted pairwise votes).

    Parameters
    ----------
    weights : {"cs", "c", "equal"}
        Vote weights.

    Attributes
    ----------
    outcome_ : float or ndarray
        The weighted median position.
    margins_ : ndarray
        ``margins_[..., a, b]``: votes for actor ``a``'s position against actor ``b``'s.
    """

    def __init__(self, *, weights: Weights = "cs") -> None:
        self.weights = weights

    def fit(self, X: object) -> WeightedMedianModel:
        """Compute the weighted median and the pairwise vote margins; return ``self``."""
        arr, single = validate_x(X)
        w = _weights(arr, self.weights)
        out = weighted_median(arr[..., 0], w)
        margins = pairwise_margins(arr[..., 0], w)
        self.outcome_ = float(out[0]) if single else out
        self.margins_ = margins[0] if single else margins
        return self


class NashBargainingModel(BaseModel):
    """Asymmetric Nash bargaining solution with a disagreement point.

    Parameters
    ----------
    disagreement : float or None
        The position that holds if bargaining breaks down (usually the status quo). ``None``: each
        actor's disagreement utility is that of its worst point on ``scale``.
    scale : (float, float) or None
        Ends of the issue scale; ``None`` uses the span of the positions (and ``disagreement``).
    utility : {"linear", "quadratic"}
        ``-|x - x_i|`` or ``-(x - x_i)^2``.
    weights : {"cs", "c", "equal"}
        Bargaining weights (exponents); ``"equal"`` gives the symmetric solution.

    Attributes
    ----------
    outcome_ : float or ndarray
        The solution; the disagreement point where no position makes every actor better off.
    feasible_ : bool or ndarray
        Whether some position makes every actor (with weight > 0) strictly better off than ``d``.
    """

    def __init__(
        self,
        *,
        disagreement: float | None = None,
        scale: tuple[float, float] | None = None,
        utility: Utility = "linear",
        weights: Weights = "cs",
    ) -> None:
        self.disagreement = disagreement
        self.scale = scale
        self.utility = utility
        self.weights = weights

    def fit(self, X: object) -> NashBargainingModel:
        """Solve the bargaining problem for every game in ``X``; return ``self``."""
        if self.utility not in ("linear", "quadratic"):
            raise ValueError(f"utility must be 'linear' or 'quadratic', got {self.utility!r}")
        arr, single = validate_x(X)
        x, w = arr[..., 0], _weights(arr, self.weights)
        if self.scale is not None:
            lo_s, hi_s = (np.full(x.shape[:-1], float(v)) for v in self.scale)
        else:
            extra = [] if self.disagreement is None else [np.full(x.shape[:-1] + (1,), float(self.disagreement))]
            span = np.concatenate([x, *extra], -1)
            lo_s, hi_s = span.min(-1), span.max(-1)
        d = None if self.disagreement is None else np.full(x.shape[:-1], float(self.disagreement))
        out, feasible = nash_solution(x, w, d, (lo_s, hi_s), self.utility)
        self.outcome_ = float(out[0]) if single else out
        self.feasible_ = bool(feasible[0]) if single else feasible
        return self
