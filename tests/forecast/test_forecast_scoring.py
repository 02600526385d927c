"""Scoring rules against their definitions and published examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.forecast import scoring


def test_brier_and_log_loss_by_hand() -> None:
    p, y = np.array([0.9, 0.2, 0.5]), np.array([1, 0, 1])
    assert scoring.brier(p, y) == pytest.approx((0.01 + 0.04 + 0.25) / 3)
    assert scoring.log_loss(p, y) == pytest.approx(-(math.log(0.9) + math.log(0.8) + math.log(0.5)) / 3)
    # a 0/1 forecast that misses is clipped at EPS instead of scoring infinity
    assert scoring.log_loss(np.array([0.0]), np.array([1])) == pytest.approx(-math.log(scoring.EPS))
    assert scoring.skill(0.15, 0.25) == pytest.approx(0.4) and math.isnan(scoring.skill(0.1, 0.0))


def test_auc_and_average_precision_on_the_scikit_learn_example() -> None:
    """y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]: AUC 0.75 ("sklearn.metrics.auc_score", scikit-learn
    0.13 documentation, https://scikit-learn.sourceforge.net/0.13/modules/generated/sklearn.metrics.auc_score.html);
    AP = Σ (R_n − R_{n−1}) P_n = ½·1 + ½·⅔ = 5/6 by the formula of "sklearn.metrics.average_precision_score"
    (scikit-learn stable documentation, https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score)."""
    y, s = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    assert scoring.auc(s, y) == pytest.approx(0.75)
    assert scoring.aupr(s, y) == pytest.approx(5 / 6)
    assert math.isnan(scoring.auc(s, np.zeros(4))) and math.isnan(scoring.aupr(s, np.zeros(4)))
    assert scoring.auc(np.full(4, 0.3), y) == pytest.approx(0.5)  # ties count half


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    """The CRPS generalises the absolute error (Gneiting & Raftery 2007, JASA 102(477): 359-378)."""
    point = np.zeros(5)
    point[3] = 1.0
    for y in range(9):
        assert scoring.crps(point, y) == pytest.approx(abs(y - 3))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 1.0), min_size=1, max_size=8), st.integers(0, 12))
def test_crps_equals_the_kernel_form(weights: list[float], y: int) -> None:
    """Σ_k (F(k) − 1{y ≤ k})² = E|X − y| − ½ E|X − X'| for X, X' independent from the forecast."""
    pmf = np.asarray(weights) / np.sum(weights)
    k = np.arange(pmf.size)
    kernel = np.sum(pmf * np.abs(k - y)) - 0.5 * np.sum(pmf[:, None] * pmf[None, :] * np.abs(k[:, None] - k[None, :]))
    assert scoring.crps(pmf, y) == pytest.approx(kernel, abs=1e-12)


def test_pmf_summaries_and_interval_coverage() -> None:
    pmf = np.array([0.1, 0.2, 0.4, 0.3])
    assert scoring.pmf_mean(pmf) == pytest.approx(1.9)
    assert (scoring.pmf_quantile(pmf, 0.1), scoring.pmf_quantile(pmf, 0.5), scoring.pmf_quantile(pmf, 0.9)) == (0, 2, 3)
    assert scoring.coverage([pmf, pmf, pmf], np.array([0, 2, 5]), 0.8) == pytest.approx(2 / 3)


def test_calibration_table_bins_and_wilson_interval() -> None:
    p = np.array([0.05, 0.05, 0.15, 0.95, 0.95, 0.95, 0.95])
    y = np.array([0, 0, 1, 1, 1, 1, 0])
    table = scoring.calibration_table(p, y, bins=10)
    assert table["n"].sum() == 7 and list(table["n"].iloc[[0, 1, 9]]) == [2, 1, 4]
    top = table.iloc[9]
    assert top["observed"] == pytest.approx(0.75) and top["mean_p"] == pytest.approx(0.95)
    assert top["observed_lo"] < 0.75 < top["observed_hi"] <= 1.0
    assert math.isnan(table.iloc[5]["observed"])


def test_skill_interval_brackets_the_skill() -> None:
    rng = np.random.default_rng(4)
    ref = rng.uniform(0.1, 1.0, size=120)
    assert scoring.skill_interval(ref, ref) == (0.0, 0.0)
    assert scoring.skill_interval(ref / 2, ref) == pytest.approx((0.5, 0.5))
    noisy = ref * rng.uniform(0.5, 1.2, size=120)
    lo, hi = scoring.skill_interval(noisy, ref)
    assert lo < scoring.skill(noisy.sum(), ref.sum()) < hi
    assert all(math.isnan(v) for v in scoring.skill_interval(np.array([]), np.array([])))
