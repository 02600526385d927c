"""Monte Carlo: triangular draws, rank correlation, intervals and influential inputs."""

from __future__ import annotations

import numpy as np
import pytest

from detente.bargaining import BDMModel, CompromiseModel, IssueSet, MonteCarlo, NashBargainingModel, solve
from detente.bargaining.montecarlo import default_ranges, rank_correlation, triangular


def test_triangular_draws() -> None:
    u = np.random.default_rng(0).random(200_000)
    x = triangular(np.float64(0.0), np.float64(2.0), np.float64(10.0), u)
    assert x.min() >= 0.0 and x.max() <= 10.0
    assert x.mean() == pytest.approx(4.0, abs=0.02)  # (0 + 2 + 10) / 3
    assert np.mean(x <= 2.0) == pytest.approx(0.2, abs=0.005)  # F(mode) = (2 - 0) / (10 - 0)
    assert np.all(triangular(np.float64(3.0), np.float64(3.0), np.float64(3.0), u[:5]) == 3.0)


def test_rank_correlation_hand_case() -> None:
    # ranks of x = [1, 2, 2, 3] are [1, 2.5, 2.5, 4]; with y = 1..4: ρ = 4.5 / sqrt(4.5 * 5)
    rho = rank_correlation(np.array([[1.0, 4.0, 7.0], [2.0, 3.0, 7.0], [2.0, 2.0, 7.0], [3.0, 1.0, 7.0]]),
                           np.array([1.0, 2.0, 3.0, 4.0]))  # fmt: skip
    assert rho[0] == pytest.approx(4.5 / np.sqrt(22.5))
    assert rho[1] == pytest.approx(-1.0) and np.isnan(rho[2])  # constant input: no influence measured


def test_one_uncertain_input_drives_the_outcome() -> None:
    X = np.array([[0.0, 0.5, 1.0], [100.0, 0.5, 1.0]])
    low, high = X.copy(), X.copy()
    low[1, 0] = 80.0
    mc = MonteCarlo(CompromiseModel(), runs=5000, seed=7).fit(X, low, high)
    # outcome = x_B / 2 with x_B triangular on [80, 100] peaked at 100
    assert mc.point_ == 50.0 and mc.outcomes_.min() >= 40.0 and mc.outcomes_.max() <= 50.0
    assert mc.quantiles_[50] == pytest.approx(50 - 10 * (1 - np.sqrt(0.5)), abs=0.1)
    assert mc.influence_[1, 0] == pytest.approx(1.0)
    assert np.isnan(mc.influence_).sum() == 5
    again = MonteCarlo(CompromiseModel(), runs=5000, seed=7).fit(X, low, high)
    assert np.array_equal(again.outcomes_, mc.outcomes_)  # the seed fixes the draws


def test_bad_ranges_are_refused() -> None:
    X = np.array([[0.0, 0.5, 1.0], [10.0, 0.5, 1.0]])
    with pytest.raises(ValueError, match="within"):
        MonteCarlo(CompromiseModel(), runs=10).fit(X, X + 1, X + 2)
    with pytest.raises(ValueError, match="salience"):
        MonteCarlo(CompromiseModel(), runs=10).fit(X, X, X + [0, 0.9, 0])
    with pytest.raises(ValueError, match="runs"):
        MonteCarlo(CompromiseModel(), runs=1).fit(X, X, X)


def test_default_ranges_only_widen_fixed_inputs() -> None:
    X = np.array([[0.0, 0.95, 2.0], [10.0, 0.5, 1.0]])
    low, high = X.copy(), X.copy()
    low[1, 0] = 9.0
    lo, hi = default_ranges(X, low, high, 0.1, (0.0, 10.0))
    assert (lo[0].tolist(), hi[0].tolist()) == ([0.0, pytest.approx(0.85), 1.8], [1.0, 1.0, 2.2])
    assert (lo[1, 0], hi[1, 0]) == (9.0, 10.0)  # given range kept


def test_korean_nash_is_held_at_the_status_quo_by_pyongyang(korea_set: IssueSet) -> None:
    spec = korea_set.issue("denuclearization")
    X = korea_set.matrix(spec.id)
    low, high = korea_set.bounds(spec.id)
    mc = MonteCarlo(NashBargainingModel(disagreement=0.0, scale=spec.scale), runs=400, seed=0).fit(X, low, high)
    assert mc.point_ == 0.0  # the DPRK sits at the status quo: every move leaves it worse off
    prk = spec.actors.index("PRK")
    assert int(np.nanargmax(np.abs(mc.influence_))) == prk * 3  # its position is what moves the solution


def test_korean_set_runs_all_models(korea_set: IssueSet) -> None:
    sol = solve(korea_set, runs=200, seed=1)
    rows = sol.summary_table().to_pylist()
    assert len(rows) == 6 * 4
    for r in rows:
        assert r["p10"] <= r["p50"] <= r["p90"]
        assert all(r[f"input_{k}"] for k in (1, 2, 3)) or r["p10"] == r["p90"]
    bdm = [r for r in sol.results if r.model_name == "bdm"]
    assert all(isinstance(r.model, BDMModel) and r.model.n_rounds_ <= 10 for r in bdm)
    assert sol.distribution_table().num_rows == 6 * 4 * 200
    assert set(sol.to_dict()["issues"]) == {s.id for s in korea_set.issues}


def test_a_point_outside_its_interval_says_why(korea_set: IssueSet) -> None:
    """Issue 15 item 6: Nash 0.0 with 1-12 and the sanctions BDM 5.0 with 7-59 were printed without a word."""
    sol = solve(korea_set, runs=1000, seed=0)
    by = {(r.issue.id, r.model_name): r for r in sol.results}
    nash, bdm = by[("denuclearization", "nash")], by[("sanctions_relief", "bdm")]
    for r in (nash, bdm):
        assert r.mc is not None and not r.mc.point_inside_
        assert "outside their 80% interval" in r.note() and r.mc.point_percentile_ < 10
    assert nash.note().startswith("no position leaves every actor better off")  # the status note is kept
    for r in sol.results:  # every other point lies inside its interval, and its note is silent about it
        assert r.mc is not None
        inside = r.mc.interval_[0] - 1e-9 <= r.mc.point_ <= r.mc.interval_[1] + 1e-9
        assert inside == r.mc.point_inside_ and ("outside their" in r.note()) == (not inside)
    entry = sol.to_dict()["issues"]["sanctions_relief"]["bdm"]
    assert entry["point_in_interval"] is False and "percentile 3 " in entry["note"]
