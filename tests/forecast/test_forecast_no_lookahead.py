"""No look-ahead: shuffling and perturbing everything after an origin leaves every feature at the origin unchanged.

The store's events after the origin are shuffled (dates permuted among them, categories and
descriptions reassigned), a third are dropped and fake launches and clashes are added; the knowledge
base's rows dated after the origin are altered the same way. Features, outcomes already realised,
incident times and the models' forecasts at and before the origin must not change; after the
origin they must (so the perturbation is real).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from detente.forecast.features import KnowledgeBase, MonthlyData, build
from detente.forecast.models import make_model
from detente.forecast.targets import HORIZONS, TARGETS

ORIGIN = pd.Period("2015-06", "M")
CUTOFF = ORIGIN.end_time.date()
END = "2026-07"


def _perturbed_events(store, seed: int = 7):
    rows = store.events().to_pyarrow().to_pandas()
    past, future = rows[rows["date"] <= CUTOFF], rows[rows["date"] > CUTOFF].copy()
    rng = np.random.default_rng(seed)
    future = future.sample(frac=2 / 3, random_state=seed)  # drop a third
    for col in ("date", "category", "description", "original_type", "actor2_country"):
        future[col] = rng.permutation(future[col].to_numpy())
    fake = future.sample(n=60, replace=True, random_state=seed + 1).copy()
    fake["event_id"] = [f"fake:{i}" for i in range(len(fake))]
    fake["category"] = rng.choice(["missile_test", "nuclear_test", "armed_clash"], size=len(fake))
    fake["description"] = "fake: ICBM launch, 3 killed"
    fake["fatalities"] = 3
    fake["date_precision"] = "day"
    fake["date"] = [CUTOFF + pd.Timedelta(days=int(d)) for d in rng.integers(1, 3000, size=len(fake))]
    out = pd.concat([past, future, fake], ignore_index=True)
    table = pa.Table.from_pandas(out, schema=store.events().schema().to_pyarrow(), preserve_index=False)
    return store.ibis.create_table("events_perturbed", obj=table, temp=True, overwrite=True)


def _perturbed_kb(seed: int = 11) -> KnowledgeBase:
    kb = KnowledgeBase.shipped()
    rng = np.random.default_rng(seed)
    cut = pd.Timestamp(CUTOFF)

    def scramble(frame: pd.DataFrame, column: str, date_col: str) -> pd.DataFrame:
        frame = frame.copy()
        after = pd.to_datetime(frame[date_col]) > cut
        frame.loc[after, column] = rng.permutation(frame.loc[after, column].to_numpy())
        return frame

    days = kb.exercise_days.copy()
    after = pd.to_datetime(days["day"]) > cut
    days.loc[after, "weight"] = rng.choice([0.0, 0.5, 1.0], size=int(after.sum()))
    leaders = kb.leaders.copy()
    leaders.loc[pd.to_datetime(leaders["term_start"]) > cut, "camp"] = "conservative"
    sanctions = pd.concat([kb.sanctions, kb.sanctions.iloc[[0]].assign(date=pd.Timestamp("2019-03-01").date())])

    def implementation(as_of):  # anything at all after the origin
        return kb.implementation(as_of) if pd.Timestamp(as_of) <= cut else (rng.uniform(0, 100), rng.uniform(0, 1))

    return replace(
        kb,
        exercise_days=days,
        hotlines=scramble(kb.hotlines, "event", "date"),
        sanctions=sanctions,
        leaders=leaders,
        cbm=scramble(kb.cbm, "kind", "start"),
        implementation=implementation,
    )


@pytest.fixture(scope="module")
def pair(forecast_store) -> tuple[MonthlyData, MonthlyData]:
    real = build(forecast_store, "PRK", end=END)
    fake = build(_perturbed_events(forecast_store), "PRK", end=END, kb=_perturbed_kb())
    return real, fake


def _equal_until(a: pd.DataFrame, b: pd.DataFrame, last: pd.Period) -> None:
    pd.testing.assert_frame_equal(a.loc[:last], b.loc[:last], check_exact=True)


@pytest.mark.parametrize("horizon", HORIZONS)
def test_features_up_to_the_origin_do_not_change(pair, horizon: int) -> None:
    real, fake = pair
    _equal_until(real.features(horizon), fake.features(horizon), ORIGIN)
    # ... while later features do: the perturbation is real
    assert not real.features(horizon).loc[ORIGIN + 1 :].equals(fake.features(horizon).loc[ORIGIN + 1 :])


def test_raw_months_incident_times_and_realised_outcomes_do_not_change(pair) -> None:
    real, fake = pair
    _equal_until(real.monthly, fake.monthly, ORIGIN)
    a, b = real.as_of(ORIGIN), fake.as_of(ORIGIN)
    for series, times in a.event_times.items():
        np.testing.assert_array_equal(times, b.event_times[series])
    for tgt in TARGETS.values():
        for h in HORIZONS:
            pd.testing.assert_series_equal(a.outcome(tgt, h), b.outcome(tgt, h))
            assert a.outcome(tgt, h).loc[ORIGIN - h + 1 :].isna().all()  # not yet realised at the origin


def test_as_of_data_equals_data_built_up_to_the_origin(forecast_store, pair) -> None:
    real, _ = pair
    direct = build(forecast_store, "PRK", end=str(ORIGIN))
    for h in HORIZONS:
        pd.testing.assert_frame_equal(real.as_of(ORIGIN).features(h), direct.features(h), check_exact=True)


@pytest.mark.parametrize("name", ["glm", "lightgbm", "hawkes", "last12", "climatology"])
def test_forecasts_at_the_origin_do_not_change(pair, name: str) -> None:
    real, fake = pair
    for target in ("missile", "count"):
        a = make_model(name).fit(real.as_of(ORIGIN), TARGETS[target], 3).predict(real.as_of(ORIGIN))
        b = make_model(name).fit(fake.as_of(ORIGIN), TARGETS[target], 3).predict(fake.as_of(ORIGIN))
        assert a.value == b.value
