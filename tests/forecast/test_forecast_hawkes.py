"""The Hawkes process: likelihood against a brute-force sum, gradient, thinning, recovery of known parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from detente.forecast.hawkes import HawkesParams, excitation, fit, loglik, prob_none, simulate, simulate_counts

TRUE = HawkesParams(mu=0.5, alpha=0.6, beta=2.0)
SPAN = 4000.0


def _brute_loglik(theta: np.ndarray, t: np.ndarray, end: float) -> float:
    mu, alpha, beta = theta
    lam = [mu + alpha * beta * np.exp(-beta * (ti - t[:i])).sum() for i, ti in enumerate(t)]
    return float(np.log(lam).sum() - mu * end - alpha * (1 - np.exp(-beta * (end - t))).sum())


def test_loglik_equals_the_direct_double_sum_and_its_gradient_the_numerical_one() -> None:
    t = np.sort(np.random.default_rng(0).uniform(0, 200, size=150))
    theta = np.array([0.4, 0.5, 1.3])
    ll, grad = loglik(theta, t, 200.0)
    assert ll == pytest.approx(_brute_loglik(theta, t, 200.0), rel=1e-10)
    step = 1e-6
    numeric = [(loglik(theta + e, t, 200.0)[0] - loglik(theta - e, t, 200.0)[0]) / (2 * step) for e in np.eye(3) * step]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5)


def test_thinning_simulates_the_stationary_rate() -> None:
    """E[N(T)] = μT / (1 − α) for a stationary process; Var ≈ μT / (1 − α)³ bounds the check."""
    counts = [simulate(TRUE, 0.0, SPAN, np.random.default_rng(seed)).size for seed in range(3)]
    expected = TRUE.mu * SPAN / (1 - TRUE.alpha)
    sd = math.sqrt(TRUE.mu * SPAN / (1 - TRUE.alpha) ** 3)
    assert abs(np.mean(counts) - expected) < 3 * sd / math.sqrt(3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_maximum_likelihood_recovers_simulated_parameters(seed: int) -> None:
    """Recovery on data simulated by Ogata thinning, T = 4000 (about 5000 events).

    Tolerance: every estimate within 3 standard errors (observed information) of the truth, and
    within 10% (μ, β) or 0.05 (α) of it.
    """
    times = simulate(TRUE, 0.0, SPAN, np.random.default_rng(seed))
    est = fit(times, 0.0, SPAN)
    truth = TRUE.as_array()
    got = est.params.as_array()
    assert np.all(np.abs(got - truth) <= 3 * est.stderr)
    assert abs(got[0] - truth[0]) <= 0.10 * truth[0]
    assert abs(got[1] - truth[1]) <= 0.05
    assert abs(got[2] - truth[2]) <= 0.10 * truth[2]
    assert est.n_events == times.size


def test_fit_ignores_events_outside_the_window_and_needs_three() -> None:
    times = np.array([-5.0, 1.0, 2.0, 2.5, 30.0])
    assert fit(times, 0.0, 10.0).n_events == 3
    with pytest.raises(ValueError, match="at least 3 events"):
        fit(times, 0.0, 2.0)


def test_probability_of_no_event_is_exact() -> None:
    """exp(−∫λ) with no event in the window, against 40 000 simulated continuations."""
    history = simulate(TRUE, 0.0, 50.0, np.random.default_rng(5))
    p0 = prob_none(TRUE, history, 50.0, 1.5)
    counts = simulate_counts(TRUE, history, 50.0, 1.5, 40_000, np.random.default_rng(6))
    assert abs((counts == 0).mean() - p0) < 4 * math.sqrt(p0 * (1 - p0) / counts.size)
    # with no history and no excitation it is the Poisson probability
    assert prob_none(HawkesParams(0.3, 0.5, 1.0), np.array([]), 0.0, 2.0) == pytest.approx(math.exp(-0.6))
    assert excitation(TRUE, np.array([1.0]), 2.0) == pytest.approx(0.6 * 2.0 * math.exp(-2.0))
