"""Compromise model, weighted median and Nash bargaining: EC anchors and hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.bargaining import CompromiseModel, NashBargainingModel, WeightedMedianModel
from detente.bargaining.models import compromise, pairwise_margins, weighted_median


def test_ec_compromise_and_capability_mean(ec: np.ndarray) -> None:
    # Σ c·s = 67.7 and Σ c·s·x = 500.3 with salience on 0-100 (notes/models.md, A-1 and A-3)
    w = ec[:, 1] * ec[:, 2] * 100
    assert w.sum() == pytest.approx(67.7) and (w * ec[:, 0]).sum() == pytest.approx(500.3)
    assert CompromiseModel().fit(ec).outcome_ == pytest.approx(7.38996, abs=5e-6)
    assert CompromiseModel(weights="c").fit(ec).outcome_ == pytest.approx(7.47525, abs=5e-6)


def test_ec_weighted_median_and_condorcet_margins(ec: np.ndarray) -> None:
    m = WeightedMedianModel().fit(ec)
    assert m.outcome_ == 7.0
    order = np.argsort(ec[:, 0], kind="stable")
    w = (ec[:, 1] * ec[:, 2])[order]
    share = np.cumsum(w) / w.sum()
    assert share[3] == pytest.approx(0.3663, abs=5e-5) and share[6] == pytest.approx(0.5037, abs=5e-5)
    at = {x: int(np.flatnonzero(ec[:, 0] == x)[0]) for x in (4.0, 7.0, 10.0)}
    margin = m.margins_ * 100  # salience back on 0-100 as in the notes
    assert margin[at[7.0], at[4.0]] == pytest.approx(54.3)
    assert margin[at[7.0], at[10.0]] == pytest.approx(1.5)  # 7 beats 10 only narrowly
    assert margin[at[10.0], at[4.0]] == pytest.approx(52.8)


def test_decide_nbs_constants() -> None:
    # foarsitter/decide-exchange-model test constants: {0, 100} -> 50, {0, 100, 100} -> 200/3
    assert CompromiseModel().fit([[0, 1, 1], [100, 1, 1]]).outcome_ == 50
    assert CompromiseModel().fit([[0, 1, 1], [100, 1, 1], [100, 1, 1]]).outcome_ == pytest.approx(200 / 3)


def test_weighted_median_tie_takes_the_lower_position() -> None:
    assert weighted_median(np.array([10.0, 0.0]), np.array([1.0, 1.0])) == 0.0


def test_nash_splits_a_divisible_issue_by_bargaining_weight() -> None:
    # linear utilities on [0, 100], worst-point disagreement: maximise w1 log(100 - x) + w2 log(x)
    equal = NashBargainingModel(scale=(0, 100)).fit([[0, 1, 1], [100, 1, 1]])
    assert equal.outcome_ == pytest.approx(50.0, abs=1e-9) and equal.feasible_
    skew = NashBargainingModel(scale=(0, 100)).fit([[0, 1, 1], [100, 1, 3]])
    assert skew.outcome_ == pytest.approx(75.0, abs=1e-9)  # w2 / (w1 + w2) of the way


def test_nash_with_a_status_quo() -> None:
    # d = 0, ideals 40 and 100: gains 40 - |x - 40| and 100 - |x - 100|; the optimum sits on the kink at 40
    lin = NashBargainingModel(disagreement=0, weights="equal").fit([[40, 1, 1], [100, 1, 1]])
    assert lin.outcome_ == pytest.approx(40.0, abs=1e-9)
    # quadratic: x(80 - x) x(200 - x) peaks where 2/x = 1/(80 - x) + 1/(200 - x), i.e. x = 50
    quad = NashBargainingModel(disagreement=0, weights="equal", utility="quadratic").fit([[40, 1, 1], [100, 1, 1]])
    assert quad.outcome_ == pytest.approx(50.0, abs=1e-9)


def test_nash_status_quo_inside_the_positions_holds() -> None:
    m = NashBargainingModel(disagreement=5).fit([[0, 1, 1], [10, 1, 1], [6, 1, 1]])
    assert (m.outcome_, m.feasible_) == (5.0, False)
    with pytest.raises(ValueError, match="utility"):
        NashBargainingModel(utility="cubic").fit([[0, 1, 1], [1, 1, 1]])


def test_many_games_at_once_equal_one_by_one(ec: np.ndarray) -> None:
    games = np.stack([ec, ec * [1.0, 1.0, 2.0], ec[::-1]])
    for cls in (CompromiseModel, WeightedMedianModel, NashBargainingModel):
        batch = cls().fit(games).outcome_
        assert batch == pytest.approx([cls().fit(g).outcome_ for g in games])


def test_invalid_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="salience"):
        CompromiseModel().fit([[0, 1.5, 1], [1, 1, 1]])
    with pytest.raises(ValueError, match="capability"):
        CompromiseModel().fit([[0, 1, -1], [1, 1, 1]])
    with pytest.raises(ValueError, match="at least two actors"):
        CompromiseModel().fit([[0, 1, 1]])
    with pytest.raises(ValueError, match="shape"):
        CompromiseModel().fit([[0, 1], [1, 1]])
    with pytest.raises(ValueError, match="weights"):
        CompromiseModel(weights="votes").fit([[0, 1, 1], [1, 1, 1]])


games = st.integers(2, 8).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n),
        st.lists(st.floats(0.05, 1), min_size=n, max_size=n),
        st.lists(st.floats(0.01, 1), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(games)
def test_properties(game: tuple[list[float], list[float], list[float]]) -> None:
    x, s, c = (np.array(v) for v in game)
    w = s * c
    lo, hi = x.min(), x.max()
    assert lo - 1e-9 <= compromise(x, w) <= hi + 1e-9
    med = weighted_median(x, w)
    assert med in x
    beats = pairwise_margins(x, w)[int(np.flatnonzero(x == med)[0])]
    assert (beats >= -1e-9 * w.sum() * max(hi - lo, 1.0)).all()  # the median is a Condorcet winner
    nbs = NashBargainingModel().fit(np.stack([x, s, c], -1))
    assert (nbs.feasible_ or lo == hi) and lo - 1e-9 <= nbs.outcome_ <= hi + 1e-9
