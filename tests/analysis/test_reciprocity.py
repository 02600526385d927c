"""Reciprocity VAR: a known effect recovered from simulated series and from simulated events in a store."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from detente import Store
from detente.analysis.reciprocity import NotEnoughData, directed_series, fit_var, reciprocity_var
from detente.kb.tables import timeline_path


def _var1(n: int, seed: int) -> pd.DataFrame:
    """x drives y with coefficient 0.4 at lag 1; y does not drive x."""
    rng = np.random.default_rng(seed)
    x, y = np.zeros(n), np.zeros(n)
    for t in range(1, n):
        x[t] = 0.5 * x[t - 1] + rng.normal()
        y[t] = 0.4 * x[t - 1] + 0.2 * y[t - 1] + rng.normal()
    return pd.DataFrame({"x": x, "y": y})


def test_recovers_a_known_var() -> None:
    res = fit_var(_var1(400, seed=2), maxlags=6, ic="bic")
    # the first row (0, 0) is trimmed as an empty period; one more is used up by the lag
    assert res.sample["lags"] == 1 and res.sample["nobs"] == 398 and res.stable
    g = res.granger.set_index(["cause", "effect"])["p_value"]
    assert g[("x", "y")] < 1e-6 and g[("y", "x")] > 0.05
    coef = res.coefficients.set_index(["equation", "regressor"])["coefficient"]
    assert coef[("y", "L1.x")] == pytest.approx(0.4, abs=0.1) and abs(coef[("x", "L1.y")]) < 0.1
    irf = res.irf.set_index(["impulse", "response", "horizon"])
    assert irf.loc[("x", "y", 1), "value"] == pytest.approx(0.4, abs=0.1) and irf.loc[("x", "y", 1), "lower"] > 0
    assert irf.loc[("x", "x", 0), "value"] == 1.0
    assert bool(res.lag_order.loc[res.lag_order["lag"] == 1, "bic_selected"].iloc[0])


def _simulated_timeline(path: Path, months: int, seed: int) -> None:
    """AAA answers BBB's talks of the previous month: a_t ~ Poisson(1 + 0.6 b_(t-1)), b_t ~ Poisson(2)."""
    rng = np.random.default_rng(seed)
    header = timeline_path().read_text("utf-8").splitlines()[0].split(",")
    rows, b_prev = [], 0
    for m in range(months):
        b = int(rng.poisson(2.0))
        a = int(rng.poisson(1.0 + 0.6 * b_prev))
        year, month = 2000 + m // 12, m % 12 + 1
        for actor, target, n in (("AAA", "BBB", a), ("BBB", "AAA", b)):
            for i in range(n):
                day = date(year, month, 1 + int(rng.integers(0, 28)))
                rows.append(
                    [
                        day.isoformat(),
                        "day",
                        actor,
                        target,
                        "talks",
                        f"simulated talks {actor} {m} {i}",
                        "",
                        "simulation",
                        "verified",
                    ]
                )
        b_prev = b
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def test_recovers_a_known_effect_from_events_in_a_store(tmp_path: Path) -> None:
    """Events → store → dyadic series → VAR: the sign and rough size of the simulated reaction come back."""
    path = tmp_path / "simulated_timeline.csv"
    _simulated_timeline(path, months=240, seed=7)
    store = Store(tmp_path / "home")
    assert store.ingest(path).status == "ingested"
    res = reciprocity_var(store, ("AAA", "BBB"), "month", ic="bic", maxlags=6)
    g = res.granger.set_index(["cause", "effect"])["p_value"]
    assert g[("BBB>AAA", "AAA>BBB")] < 1e-6 and g[("AAA>BBB", "BBB>AAA")] > 0.05
    coef = res.coefficients.set_index(["equation", "regressor"])["coefficient"]
    assert coef[("AAA>BBB", "L1.BBB>AAA")] == pytest.approx(0.6, abs=0.15)  # talks score 7 on both sides
    assert res.sample["measure"] == "net_cooperation" and res.sample["first"] == date(2000, 1, 1)
    store.close()


def test_three_way_street_on_the_real_data(real_store: Store) -> None:
    frame = directed_series(real_store, ("PRK", "KOR", "USA"), "year")
    assert list(frame.columns) == ["PRK>KOR", "PRK>USA", "KOR>PRK", "KOR>USA", "USA>PRK", "USA>KOR"]
    res = reciprocity_var(real_store, ("PRK", "KOR"), "month")
    assert res.sample["series"] == ["PRK>KOR", "KOR>PRK"] and res.sample["nobs"] > 500
    assert len(res.granger) == 2 and res.granger["p_value"].between(0, 1).all()


def test_not_enough_data() -> None:
    with pytest.raises(NotEnoughData, match="at least 20"):
        fit_var(pd.DataFrame({"a": [1.0, 2.0, 0.0] * 4, "b": [0.0, 1.0, 3.0] * 4}))
    with pytest.raises(NotEnoughData, match="constant"):
        fit_var(pd.DataFrame({"a": np.arange(40.0), "b": [5.0] * 40}))


def test_granger_p_values_are_corrected_for_the_number_of_tests() -> None:
    """k series give k(k-1) tests; Holm's step-down adjustment is beside each raw p-value (decision 058)."""
    rng = np.random.default_rng(11)
    frame = _var1(300, seed=4).assign(z=rng.normal(size=300), w=rng.normal(size=300))
    res = fit_var(frame, maxlags=4, ic="bic")
    g = res.granger.sort_values("p_value").reset_index(drop=True)
    m = len(g)
    assert m == 12
    holm = np.minimum(1.0, np.maximum.accumulate([(m - i) * p for i, p in enumerate(g["p_value"])]))
    assert np.allclose(g["p_holm"], holm) and (g["p_holm"] >= g["p_value"]).all()
    true_link = g[(g["cause"] == "x") & (g["effect"] == "y")]
    assert float(true_link["p_holm"].iloc[0]) < 1e-6  # the real effect survives the correction
