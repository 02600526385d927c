"""Models on the real monthly data: the estimator contract, baselines by hand, forecasts that make sense."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from detente.forecast import hawkes
from detente.forecast.features import MonthlyData
from detente.forecast.models import (
    DEFAULT_MODELS,
    GLM,
    TRAIN_START,
    Ensemble,
    HawkesForecaster,
    combine,
    count_pmf,
    make_model,
    window_days,
)
from detente.forecast.targets import TARGETS

ORIGIN = "2019-12"


@pytest.fixture(scope="module")
def hist(monthly: MonthlyData) -> MonthlyData:
    return monthly.as_of(ORIGIN)


@pytest.mark.parametrize("name", DEFAULT_MODELS)
def test_estimator_contract(name: str, hist: MonthlyData) -> None:
    model = make_model(name)
    params = model.get_params()
    with pytest.raises(AttributeError, match="not fitted"):
        model.predict(hist)
    assert model.fit(hist, TARGETS["missile"], 3) is model
    assert model.get_params() == params  # fit does not touch the parameters
    assert model.clone().get_params() == params and not hasattr(model.clone(), "target_")
    again = pickle.loads(pickle.dumps(model))
    assert again.predict(hist).value == model.predict(hist).value
    assert make_model(name).fit(hist, TARGETS["missile"], 3).predict(hist).value == model.predict(hist).value
    with pytest.raises(ValueError, match="no parameter"):
        model.set_params(nonsense=1)


def test_baselines_by_hand(hist: MonthlyData) -> None:
    m = hist.monthly
    y = hist.outcome(TARGETS["missile"], 3).loc[TRAIN_START:].dropna()
    clim = make_model("climatology").fit(hist, TARGETS["missile"], 3).predict(hist).value
    assert clim == pytest.approx((y.sum() + 0.5) / (len(y) + 1))
    k = int((m["launches"].iloc[-12:] > 0).sum())
    last12 = make_model("last12").fit(hist, TARGETS["missile"], 3).predict(hist).value
    assert last12 == pytest.approx(1 - (1 - (k + 0.5) / 13) ** 3)
    persist = make_model("persistence").fit(hist, TARGETS["count"], 3).predict(hist)
    assert persist.value == m["provocations"].iloc[-3:].sum() and persist.pmf[-1] == 1.0
    counts = make_model("last12").fit(hist, TARGETS["count"], 6).predict(hist)
    assert counts.value == pytest.approx(m["provocations"].iloc[-12:].mean() * 6)


def test_count_forecasts_are_distributions(hist: MonthlyData) -> None:
    for name in ("climatology", "last12", "glm", "lightgbm", "hawkes"):
        f = make_model(name).fit(hist, TARGETS["count"], 3).predict(hist)
        assert f.pmf.sum() == pytest.approx(1.0) and (f.pmf >= 0).all()
        if name != "hawkes":  # the Hawkes mean is a simulation average
            assert np.dot(np.arange(f.pmf.size), f.pmf) == pytest.approx(f.value, rel=1e-3)
    nb = count_pmf(4.0, 0.5)
    assert np.dot(np.arange(nb.size), nb) == pytest.approx(4.0, rel=1e-4)
    assert np.dot((np.arange(nb.size) - 4.0) ** 2, nb) == pytest.approx(4.0 + 0.5 * 16, rel=1e-3)


def test_glm_drivers_and_laplace_draws(hist: MonthlyData) -> None:
    glm = GLM().fit(hist, TARGETS["missile"], 1)
    f = glm.predict(hist)
    assert 0 < f.value < 1
    drivers = glm.explain(hist)
    assert len(drivers) == 3 and all(d.name in glm.columns_ for d in drivers)
    draws = glm.draws(hist, 400, np.random.default_rng(0))
    assert ((draws > 0) & (draws < 1)).all()
    assert np.quantile(draws, 0.1) < f.value < np.quantile(draws, 0.9)
    # the design clips standardised inputs: no row leaves [-3, 3]
    X = hist.features(1)[list(glm.features)]
    assert np.abs(glm.design(X)[:, 1:]).max() <= 3.0


def test_lightgbm_is_deterministic_and_explains(hist: MonthlyData) -> None:
    a = make_model("lightgbm").fit(hist, TARGETS["major"], 6)
    b = make_model("lightgbm").fit(hist, TARGETS["major"], 6)
    assert a.predict(hist).value == b.predict(hist).value
    assert len(a.explain(hist)) == 3


def test_hawkes_forecaster_is_the_exact_process_probability(hist: MonthlyData) -> None:
    model = HawkesForecaster().fit(hist, TARGETS["missile"], 3)
    at, length = window_days(hist.last, 3)
    assert (at, length) == (18262.0, 91.0)  # 2020-01-01 and January to March 2020
    times = hist.event_times["launches"]
    p = 1 - hawkes.prob_none(model.fit_.params, times, at, length)
    assert model.predict(hist).value == pytest.approx(p)
    # the analytic expected count agrees with the simulated one
    counts = HawkesForecaster(paths=20000).fit(hist, TARGETS["count"], 3)
    sim = counts.predict(hist).value
    expected = counts._expected(counts.fit_.params, hist.event_times["provocations"], at, length)
    assert sim == pytest.approx(expected, rel=0.05)
    assert counts.with_horizon(6).horizon_ == 6 and counts.horizon_ == 3
    with pytest.raises(TypeError, match="refitted"):
        make_model("glm").fit(hist, TARGETS["missile"], 1).with_horizon(3)


def test_ensemble_is_the_weighted_average(hist: MonthlyData) -> None:
    ens = Ensemble(weights=[1, 1, 2, 0]).fit(hist, TARGETS["missile"], 1)
    members = [m.predict(hist).value for m in ens.models_]
    assert ens.predict(hist).value == pytest.approx((members[0] + members[1] + 2 * members[2]) / 4)
    mixed = combine([make_model("last12").fit(hist, TARGETS["count"], 1).predict(hist),
                     make_model("persistence").fit(hist, TARGETS["count"], 1).predict(hist)], [1, 1])  # fmt: skip
    assert mixed.pmf.sum() == pytest.approx(1.0)


def test_training_rows_stop_where_outcomes_are_unrealised(hist: MonthlyData) -> None:
    from detente.forecast.models import training_set

    X, y = training_set(hist, TARGETS["count"], 6)
    assert X.index[0] == TRAIN_START and X.index[-1] == pd.Period(ORIGIN, "M") - 6
    assert len(X) == len(y) and not np.isnan(y).any()
