"""A univariate self-exciting (Hawkes) process with an exponential kernel: likelihood, fit, simulation.

Intensity (Hawkes 1971; the kernel as in ``shared/notes/models.md`` B4)::

    λ(t) = μ + Σ_{t_k < t} α β exp(−β (t − t_k))

μ is the background rate, α the branching ratio (expected number of events each event triggers,
< 1 for a stationary process) and β the decay rate (1/β is the mean delay of a triggered event).
On an observation window [0, T] with events t_1 < … < t_n the log-likelihood is::

    ℓ = Σ_i log(μ + α β A_i) − μ T − α Σ_i (1 − exp(−β (T − t_i))),
    A_1 = 0,  A_i = exp(−β (t_i − t_{i−1})) (1 + A_{i−1})

computed by that recursion in O(n) with its analytic gradient, and maximised with scipy's
L-BFGS-B under the bounds μ > 0, 0 ≤ α ≤ 0.999, β > 0 from several starting decays. The
covariance of the estimate is the inverse of the observed information (a numerical Jacobian of the
analytic gradient). :func:`simulate` draws event times by Ogata's (1981) thinning; the recovery
test fits data simulated with known parameters. :func:`prob_none` is exact: with no event in a
window, the intensity is the known decaying curve, so P(no event) = exp(−∫λ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._extras import require

__all__ = [
    "HawkesFit",
    "HawkesParams",
    "excitation",
    "fit",
    "loglik",
    "prob_none",
    "simulate",
    "simulate_counts",
]

_ALPHA_MAX = 0.999
_BETA_STARTS = (3.0, 0.3, 0.03)  # starting decays, in 1/time-unit, relative to the mean event gap


@dataclass(frozen=True)
class HawkesParams:
    """Background rate ``mu``, branching ratio ``alpha`` and decay ``beta`` (per time unit)."""

    mu: float
    alpha: float
    beta: float

    def as_array(self) -> np.ndarray:
        """``[mu, alpha, beta]``."""
        return np.array([self.mu, self.alpha, self.beta])


@dataclass(frozen=True)
class HawkesFit:
    """A fitted process: parameters, maximised log-likelihood, covariance, events and window used."""

    params: HawkesParams
    loglik: float
    cov: np.ndarray
    n_events: int
    start: float
    end: float

    @property
    def stderr(self) -> np.ndarray:
        """Standard errors of (mu, alpha, beta) (NaN where the information is singular)."""
        d = np.diag(self.cov)
        return np.sqrt(np.where(d >= 0, d, np.nan))


def loglik(theta: Sequence[float] | np.ndarray, times: np.ndarray, end: float) -> tuple[float, np.ndarray]:
    """Log-likelihood and its gradient in (mu, alpha, beta) for events ``times`` (sorted, ≥ 0) on [0, end].

    The sums A_i = Σ_{j<i} exp(−β(t_i − t_j)) and Σ_{j<i} t_j exp(−β(t_i − t_j)) are running
    log-sum-exps (``numpy.logaddexp.accumulate``), so the recursion is vectorised and cannot overflow.
    """
    mu, alpha, beta = (float(v) for v in theta)
    t = np.asarray(times, float)
    with np.errstate(divide="ignore"):
        s = beta * t
        before = np.r_[-np.inf, np.logaddexp.accumulate(s)[:-1]]
        weighted = np.r_[-np.inf, np.logaddexp.accumulate(s + np.log(t))[:-1]]
    a = np.exp(before - s)
    b = np.exp(weighted - s) - t * a  # dA/dβ = −Σ_{j<i} (t_i − t_j) exp(−β(t_i − t_j))
    lam = mu + alpha * beta * a
    if np.any(lam <= 0):
        return -math.inf, np.zeros(3)
    tail = end - t
    decay = np.exp(-beta * tail)
    ll = float(np.log(lam).sum() - mu * end - alpha * (1 - decay).sum())
    grad = np.array(
        [
            (1 / lam).sum() - end,
            (beta * a / lam).sum() - (1 - decay).sum(),
            (alpha * (a + beta * b) / lam).sum() - alpha * (tail * decay).sum(),
        ]
    )
    return ll, grad


def _information(theta: np.ndarray, times: np.ndarray, end: float) -> np.ndarray:
    """Observed information: minus the numerical Jacobian of the analytic gradient."""
    h = 1e-5 * np.maximum(np.abs(theta), 1e-8)
    jac = np.empty((3, 3))
    for k in range(3):
        up, down = theta.copy(), theta.copy()
        up[k] += h[k]
        down[k] = max(down[k] - h[k], 0.0)
        jac[:, k] = (loglik(up, times, end)[1] - loglik(down, times, end)[1]) / (up[k] - down[k])
    return -(jac + jac.T) / 2


def fit(times: Sequence[float] | np.ndarray, start: float, end: float) -> HawkesFit:
    """Maximum-likelihood fit to the events in [start, end] (times before ``start`` are ignored).

    Raises ``ValueError`` with fewer than 3 events in the window.
    """
    minimize = require("scipy.optimize").minimize

    t = np.sort(np.asarray(times, float))
    t = t[(t >= start) & (t <= end)] - start
    span = end - start
    if t.size < 3 or span <= 0:
        raise ValueError(f"a Hawkes fit needs at least 3 events in a window of positive length, got {t.size}")
    gap = span / t.size
    bounds = [(1e-10, None), (0.0, _ALPHA_MAX), (1e-6 / gap, 1e3 / gap)]

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, grad = loglik(theta, t, span)
        return (-ll, -grad) if math.isfinite(ll) else (1e300, np.zeros(3))

    best = None
    for scale in _BETA_STARTS:
        x0 = np.array([0.5 * t.size / span, 0.5, scale / gap])
        res = minimize(objective, x0, jac=True, method="L-BFGS-B", bounds=bounds)
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None  # _BETA_STARTS is not empty
    theta = np.asarray(best.x, dtype=float)
    info = _information(theta, t, span)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.full((3, 3), np.nan)
    return HawkesFit(HawkesParams(*theta), float(-best.fun), cov, int(t.size), float(start), float(end))


def excitation(params: HawkesParams, history: np.ndarray, at: float) -> float:
    """Self-excited part of the intensity at ``at`` from the events of ``history`` before it."""
    h = np.asarray(history, float)
    h = h[h < at]
    return float(params.alpha * params.beta * np.exp(-params.beta * (at - h)).sum())


def prob_none(params: HawkesParams, history: np.ndarray, at: float, length: float) -> float:
    """P(no event in (at, at + length]) given the events of ``history`` up to ``at`` (exact)."""
    h = np.asarray(history, float)
    h = h[h <= at]
    carried = params.alpha * (np.exp(-params.beta * (at - h)) - np.exp(-params.beta * (at + length - h))).sum()
    return float(math.exp(-(params.mu * length + carried)))


def simulate(
    params: HawkesParams,
    start: float,
    end: float,
    rng: np.random.Generator,
    history: Sequence[float] | np.ndarray = (),
) -> np.ndarray:
    """Event times in (start, end] by Ogata's thinning, continuing from ``history`` (events ≤ start)."""
    mu, alpha, beta = params.mu, params.alpha, params.beta
    excite = excitation(params, np.asarray(history, float), start + 1e-12) if len(history) else 0.0
    t, out = start, list[float]()
    while True:
        bound = mu + excite  # the intensity only decays until the next event
        w = rng.exponential(1.0 / bound)
        t += w
        if t > end:
            return np.asarray(out)
        excite *= math.exp(-beta * w)
        if rng.uniform() * bound <= mu + excite:
            out.append(t)
            excite += alpha * beta


def simulate_counts(
    params: HawkesParams,
    history: np.ndarray,
    at: float,
    length: float,
    n_paths: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Numbers of events in (at, at + length] on ``n_paths`` independent paths (vectorised thinning)."""
    mu, alpha, beta = params.mu, params.alpha, params.beta
    excite = np.full(n_paths, excitation(params, history, at + 1e-12))
    t = np.full(n_paths, float(at))
    counts = np.zeros(n_paths, dtype=np.int64)
    active = np.ones(n_paths, dtype=bool)
    end = at + length
    while active.any():
        idx = np.flatnonzero(active)
        bound = mu + excite[idx]
        w = rng.exponential(1.0 / bound)
        t[idx] += w
        done = t[idx] > end
        active[idx[done]] = False
        keep = idx[~done]
        excite[keep] *= np.exp(-beta * w[~done])
        accept = rng.uniform(size=keep.size) * bound[~done] <= mu + excite[keep]
        hit = keep[accept]
        counts[hit] += 1
        excite[hit] += alpha * beta
    return counts
