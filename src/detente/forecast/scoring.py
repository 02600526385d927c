"""Proper scoring rules and ranking metrics for the backtest (``docs/forecasting.md`` gives the formulas).

Binary forecasts (probabilities ``p`` of outcomes ``y`` in {0, 1}): Brier score, logarithmic loss
(probabilities clipped to [:data:`EPS`, 1 − EPS] so a 0/1 persistence forecast has a finite loss),
skill against a reference (with a moving-block bootstrap interval), area under the ROC curve (rank
form, ties counted half) and area under the precision-recall curve (average precision, the
step-wise sum used by scikit-learn). Count
forecasts (a probability mass function over 0, 1, …): the ranked probability form of the CRPS,
Σ_k (F(k) − 1{y ≤ k})², and the coverage of central prediction intervals. Calibration: observed
frequency per probability bin with a Wilson interval.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._extras import require

__all__ = [
    "EPS",
    "auc",
    "aupr",
    "brier",
    "calibration_table",
    "coverage",
    "crps",
    "log_loss",
    "pmf_mean",
    "pmf_quantile",
    "skill",
    "skill_interval",
]

#: probabilities are clipped to [EPS, 1 - EPS] in the log loss
EPS = 1e-3


def brier(p: np.ndarray, y: np.ndarray) -> float:
    """Mean squared difference between probability and outcome."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    return float(np.mean((p - y) ** 2))


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood (natural log) of the outcomes, probabilities clipped to [EPS, 1-EPS]."""
    p = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    y = np.asarray(y, float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def skill(score: float, reference: float) -> float:
    """Skill score ``1 − score / reference`` for a negatively oriented score (NaN if the reference is 0)."""
    return float(1.0 - score / reference) if reference > 0 else math.nan


def skill_interval(
    scores: np.ndarray,
    reference: np.ndarray,
    *,
    block: int = 12,
    draws: int = 500,
    level: float = 0.9,
    seed: int = 0,
) -> tuple[float, float]:
    """Moving-block bootstrap interval of the skill ``1 − Σ scores / Σ reference`` over paired origins.

    Blocks of ``block`` consecutive origins are resampled (with replacement) so that the serial
    dependence of monthly, overlapping outcomes is kept; ``level`` is the central coverage.
    """
    s, r = np.asarray(scores, float), np.asarray(reference, float)
    n = s.size
    if n == 0:
        return math.nan, math.nan
    size = min(block, n)
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, n - size + 1, size=(draws, math.ceil(n / size)))
    idx = (starts[:, :, None] + np.arange(size)[None, None, :]).reshape(draws, -1)[:, :n]
    ref = r[idx].sum(axis=1)
    ok = ref > 0
    if not ok.any():  # a perfect reference: no skill is defined
        return math.nan, math.nan
    sk = 1.0 - s[idx][ok].sum(axis=1) / ref[ok]
    lo, hi = np.quantile(sk, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve: P(p of a random event > p of a random non-event), ties half (NaN if one class)."""
    rankdata = require("scipy.stats").rankdata

    p, y = np.asarray(p, float), np.asarray(y, float)
    pos, neg = int((y == 1).sum()), int((y == 0).sum())
    if pos == 0 or neg == 0:
        return math.nan
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def aupr(p: np.ndarray, y: np.ndarray) -> float:
    """Average precision: Σ_k (R_k − R_{k−1}) P_k over the distinct thresholds (NaN without events)."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    pos = (y == 1).sum()
    if pos == 0:
        return math.nan
    order = np.argsort(-p, kind="stable")
    p, y = p[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(p) != 0), p.size - 1]  # last index of each distinct threshold
    tp = np.cumsum(y)[last]
    precision = tp / (last + 1)
    recall = tp / pos
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def crps(pmf: np.ndarray, y: float) -> float:
    """CRPS of a count forecast (probabilities of 0, 1, …, K, renormalised) for the outcome ``y``.

    Σ_k (F(k) − 1{y ≤ k})²; beyond K the forecast's F is 1, so each k in (K, y) adds 1.
    """
    f = np.cumsum(np.asarray(pmf, float))
    f = f / f[-1]
    k = np.arange(f.size)
    return float(np.sum((f - (k >= y)) ** 2) + max(0, int(y) - f.size))


def pmf_mean(pmf: np.ndarray) -> float:
    """Mean of a distribution on 0, 1, …, K."""
    pmf = np.asarray(pmf, float)
    return float(np.dot(np.arange(pmf.size), pmf))


def pmf_quantile(pmf: np.ndarray, q: float) -> int:
    """Smallest k with F(k) ≥ q."""
    f = np.cumsum(np.asarray(pmf, float))
    return min(int(np.searchsorted(f, q - 1e-12)), f.size - 1)


def coverage(pmfs: list[np.ndarray], y: np.ndarray, level: float = 0.8) -> float:
    """Share of outcomes inside the central ``level`` prediction interval of their forecast."""
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    inside = [pmf_quantile(f, lo_q) <= v <= pmf_quantile(f, hi_q) for f, v in zip(pmfs, y, strict=True)]
    return float(np.mean(inside)) if inside else math.nan


def _wilson(k: float, n: int, z: float = 1.6448536269514722) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    phat = k / n
    centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def calibration_table(p: np.ndarray, y: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Per probability bin [i/bins, (i+1)/bins): forecasts, mean probability and observed frequency.

    Each bin also carries the 90% Wilson interval of its observed frequency.
    """
    p, y = np.asarray(p, float), np.asarray(y, float)
    which = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        lo, hi = _wilson(float(y[mask].sum()), n)
        rows.append(
            {
                "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                "n": n,
                "mean_p": float(p[mask].mean()) if n else math.nan,
                "observed": float(y[mask].mean()) if n else math.nan,
                "observed_lo": lo,
                "observed_hi": hi,
            }
        )
    return pd.DataFrame(rows)
