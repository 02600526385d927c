"""Every model honours the estimator contract (the in-house check_estimator)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from detente.bargaining import (
    BDMModel,
    CompromiseModel,
    MonteCarlo,
    NashBargainingModel,
    NotFittedError,
    WeightedMedianModel,
    check_estimator,
)
from detente.bargaining.estimator import BaseModel

ALL = ["init_stores_params", "no_learned_state_before_fit", "unfitted_raises", "fit_returns_self",
       "params_unchanged_by_fit", "deterministic_refit", "pickle_round_trip", "clone_equivalent",
       "set_params"]  # fmt: skip


@pytest.mark.parametrize(
    "est",
    [
        CompromiseModel(),
        WeightedMedianModel(weights="c"),
        NashBargainingModel(disagreement=5.0, utility="quadratic"),
        BDMModel(),
        BDMModel.scholz_code(max_rounds=4),
    ],
    ids=repr,
)
def test_models_pass_the_contract(est: BaseModel, ec: np.ndarray) -> None:
    assert check_estimator(est, ec) == ALL


def test_monte_carlo_passes_the_contract(ec: np.ndarray) -> None:
    low, high = ec.copy(), ec.copy()
    low[:, 0], high[:, 0] = ec[:, 0] - 0.5, ec[:, 0] + 0.5
    assert check_estimator(MonteCarlo(BDMModel(max_rounds=3), runs=20, seed=3), ec, low, high) == ALL


class _Overwrites(BaseModel):
    """Breaks the contract: fit changes a constructor parameter."""

    def __init__(self, *, k: int = 1) -> None:
        self.k = k

    def fit(self, X: object) -> _Overwrites:
        self.k = 2
        self.outcome_ = 0.0
        return self


class _NewObject(_Overwrites):
    """Breaks the contract: fit returns another object."""

    def fit(self, X: object) -> _NewObject:
        other = _NewObject(k=self.k)
        other.outcome_ = 0.0
        return other


def test_the_check_catches_violations(ec: np.ndarray) -> None:
    with pytest.raises(AssertionError, match="_Overwrites fails params_unchanged_by_fit"):
        check_estimator(_Overwrites(), ec)
    with pytest.raises(AssertionError, match="_NewObject fails fit_returns_self"):
        check_estimator(_NewObject(), ec)


def test_unfitted_models_raise_and_fitted_ones_pickle(ec: np.ndarray) -> None:
    m = BDMModel()
    with pytest.raises(NotFittedError, match="call fit"):
        _ = m.outcome_
    assert not hasattr(m, "positions_")  # NotFittedError is an AttributeError
    with pytest.raises(AttributeError):
        _ = m.no_such_thing
    fitted = pickle.loads(pickle.dumps(m.fit(ec)))
    assert fitted.outcome_ == m.outcome_ and np.array_equal(fitted.positions_, m.positions_)
    assert repr(CompromiseModel()) == "CompromiseModel(weights='cs')"
    with pytest.raises(ValueError, match="no parameter 'rounds'"):
        BDMModel().set_params(rounds=3)
