"""One estimator base for the bargaining models and the forecasters: scikit-learn's clone and fitted checks."""

from __future__ import annotations

import pytest

from detente._estimator import BaseEstimator, NotFittedError
from detente.bargaining import (
    BDMModel,
    CompromiseModel,
    MonteCarlo,
    NashBargainingModel,
    WeightedMedianModel,
    ec_emissions,
)
from detente.forecast.models import MODELS, make_model

BARGAINING = [
    CompromiseModel(),
    WeightedMedianModel(weights="c"),
    NashBargainingModel(disagreement=5.0, utility="quadratic"),
    BDMModel(),
    BDMModel.scholz_code(max_rounds=4),
    MonteCarlo(BDMModel(max_rounds=3), runs=20, seed=3),
]
ESTIMATORS = [*BARGAINING, *(make_model(name) for name in MODELS)]


def _fitted_bargaining(est: BaseEstimator) -> BaseEstimator:
    x = ec_emissions().matrix("emissions")
    if isinstance(est, MonteCarlo):
        low, high = x.copy(), x.copy()
        low[:, 0], high[:, 0] = x[:, 0] - 0.5, x[:, 0] + 0.5
        return est.fit(x, low, high)
    return est.fit(x)  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("est", ESTIMATORS, ids=repr)
def test_sklearn_clone_clones_every_estimator(est: BaseEstimator) -> None:
    base = pytest.importorskip("sklearn.base")
    validation = pytest.importorskip("sklearn.utils.validation")
    copy = base.clone(est)
    assert type(copy) is type(est) and copy is not est
    assert repr(copy) == repr(est)
    with pytest.raises(validation.NotFittedError):
        validation.check_is_fitted(copy)


@pytest.mark.parametrize("est", ESTIMATORS, ids=repr)
def test_params_as_clone_reads_them(est: BaseEstimator) -> None:
    """What ``sklearn.base.clone`` relies on: ``get_params(deep=False)`` rebuilds an equal, unfitted object."""
    params = est.get_params(deep=False)
    assert list(params) == sorted(params)
    copy = type(est)(**params)
    assert all(copy.get_params(deep=False)[k] is v for k, v in params.items())  # stored as given
    assert not [k for k in vars(copy) if k.endswith("_")]


def test_nested_params_reach_the_inner_model() -> None:
    mc = MonteCarlo(BDMModel(max_rounds=3), runs=20)
    deep = mc.get_params(deep=True)
    assert deep["model__max_rounds"] == 3 and deep["runs"] == 20 and deep["model"] is mc.model
    assert "model__max_rounds" not in mc.get_params(deep=False)
    assert mc.set_params(model__max_rounds=5, runs=30) is mc
    assert (mc.model.max_rounds, mc.runs) == (5, 30)
    with pytest.raises(ValueError, match="no parameter 'rounds'"):
        mc.set_params(rounds__x=1)


@pytest.mark.parametrize("name", list(MODELS))
def test_unfitted_forecaster_predict_raises_not_fitted(name: str) -> None:
    with pytest.raises(NotFittedError, match=r"not fitted yet: call fit\(data, target, horizon\)"):
        make_model(name).predict(None)  # type: ignore[arg-type]  # the check comes before any data is read


@pytest.mark.parametrize("est", BARGAINING, ids=repr)
def test_unfitted_bargaining_results_raise_not_fitted(est: BaseEstimator) -> None:
    learned = [k for k in vars(_fitted_bargaining(type(est)(**est.get_params(deep=False)))) if k.endswith("_")]
    assert learned
    for name in learned:
        with pytest.raises(NotFittedError, match=f"call fit\\(X\\) before reading {name}"):
            getattr(est, name)
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)  # sklearn's bases
