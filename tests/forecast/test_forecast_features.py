"""As-of features: the knowledge-base states on known dates, the as-of tension index, the lag arithmetic."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from detente.forecast.features import FEATURES, MonthlyData, derive, expanding_index, known_date
from detente.indicators.tension import components_expr, standardise
from detente.kb.tracker import scores


def test_known_dates_follow_the_precision() -> None:
    assert known_date(date(2018, 4, 27), "day") == pd.Timestamp("2018-04-27")
    assert known_date(date(2010, 5, 1), "month") == pd.Timestamp("2010-05-31")
    assert known_date(date(2008, 1, 1), "year") == pd.Timestamp("2008-12-31")


@pytest.mark.parametrize(
    ("month", "column", "value"),
    [
        ("2018-06", "hotline_open", 1.0),  # liaison line restored 2018-01-03, leaders' hotline 2018-04-20
        ("2020-06", "hotline_open", 0.0),  # all lines cut 2020-06-09
        ("2021-07", "hotline_open", 1.0),  # restored 2021-07-27
        ("2021-08", "hotline_open", 0.0),  # unanswered from 2021-08-10
        ("2017-06", "rok_conservative", 0.0),  # Moon Jae-in from 2017-05-10
        ("2017-04", "rok_conservative", 0.5),  # Park removed 2017-03-10, acting president until 2017-05-10
        ("2022-06", "rok_conservative", 1.0),  # Yoon Suk Yeol from 2022-05-10
        ("2011-11", "dprk_kju", 0.0),
        ("2011-12", "dprk_kju", 1.0),  # Kim Jong Un from 2011-12-17
        ("2019-01", "test_moratorium", 1.0),  # halt of nuclear and ICBM tests 2018-04-21 .. 2022-03-24
        ("2022-03", "test_moratorium", 0.0),
        ("2017-08", "sanctions_new", 1.0),  # resolution 2371 of 2017-08-05
        ("2017-10", "sanctions_new", 0.0),
        ("2024-03", "drill_days", 11.0),  # Freedom Shield 2024-03-04 .. 2024-03-14
        ("2025-08", "drill_days", 5.5),  # Ulchi Freedom Shield 2025-08-18 .. 28, scaled down: half weight
    ],
)
def test_knowledge_base_states_on_known_dates(monthly: MonthlyData, month: str, column: str, value: float) -> None:
    assert monthly.monthly.loc[month, column] == value


def test_implementation_matches_the_tracker_scores(monthly: MonthlyData) -> None:
    """Share of full implementation over every coded provision signed by the month's end (tracker's scores)."""
    for month in ("2018-05", "2019-01", "2021-06", "2025-01"):
        end = pd.Period(month, "M").end_time.date()
        s = scores(end, by="agreement")
        expected = 100 * s["points"].sum() / s["max_points"].sum()
        assert monthly.monthly.loc[month, "implementation"] == pytest.approx(expected)
    assert monthly.monthly.loc[:"2018-03", "implementation"].eq(0).all()


def test_expanding_index_is_the_tension_formula_on_the_months_so_far(forecast_store, monthly: MonthlyData) -> None:
    """At every month the as-of index equals indicators.tension.standardise over the months up to it."""
    raw = components_expr(forecast_store.events(), "PRK-KOR", "month", date(1988, 1, 1), date(2026, 7, 31)).to_pandas()
    ours = expanding_index(raw)
    for i in (30, 150, 300, len(raw) - 1):
        theirs = standardise(raw.iloc[: i + 1])["tension"].iloc[-1]
        assert ours.iloc[i] == pytest.approx(theirs, abs=1e-9)


def test_lag_features_count_the_right_months() -> None:
    months = pd.period_range("2020-01", periods=8, freq="M")
    launches = np.array([0, 2, 0, 0, 1, 0, 0, 0.0])
    cols = {
        "launches": launches,
        "major": np.array([0, 0, 1, 0, 0, 0, 0, 0.0]),
        "provocations": launches + 1,
        "drill_days": np.array([0, 0, 11, 0, 0, 0, 0, 0.0]),
        "drill_plan": np.zeros(8 + 3),
        "sanctions_new": np.zeros(8),
    } | {c: np.zeros(8) for c in ("hotline_open", "rok_conservative", "rok_tenure", "dprk_kju", "dprk_tenure",
                                 "implementation", "reversed_share", "test_moratorium", "cbm_active")}  # fmt: skip
    cols["drill_plan"][9] = 7.0  # planned days in month 10 (two months after the last one)
    f = derive(cols, months, 3)
    assert list(f) == list(FEATURES)
    np.testing.assert_array_equal(f["launches_3m"], [0, 2, 2, 2, 1, 1, 1, 0])
    np.testing.assert_array_equal(f["launch_gap"], [36, 0, 1, 2, 0, 1, 2, 3])
    np.testing.assert_array_equal(f["major_gap"], [60, 60, 0, 1, 2, 3, 4, 5])
    np.testing.assert_array_equal(f["drill_days_3m"], [0, 0, 11, 11, 11, 0, 0, 0])
    np.testing.assert_array_equal(f["drills_expected"], [0, 0, 0, 0, 0, 0, 7, 7])  # months t+1 .. t+3
    assert np.isnan(f["tension"]).all()  # simulated paths have no tension index
    # origin January 2020: the first target month is February, angle 2π·1/12
    assert f["month_sin"][0] == pytest.approx(np.sin(2 * np.pi * 1 / 12))


def test_derive_on_paths_equals_derive_on_each_path() -> None:
    rng = np.random.default_rng(3)
    months = pd.period_range("2019-01", periods=30, freq="M")
    paths = rng.poisson(1.0, size=(5, 30)).astype(float)
    exo = {c: rng.random(30) for c in ("drill_days", "sanctions_new", "hotline_open", "rok_conservative", "rok_tenure",
                                        "dprk_kju", "dprk_tenure", "implementation", "reversed_share",
                                        "test_moratorium", "cbm_active")}  # fmt: skip
    exo["drill_plan"] = rng.random(31)
    together = derive({"launches": paths, "major": paths, "provocations": paths} | exo, months, 1)
    for k in range(5):
        alone = derive({"launches": paths[k], "major": paths[k], "provocations": paths[k]} | exo, months, 1)
        for name in FEATURES:
            np.testing.assert_array_equal(together[name][k], alone[name])


def test_drill_plan_is_last_years_calendar(monthly: MonthlyData) -> None:
    f3 = monthly.features(3)
    # origin 2025-01: months 2025-02..04 expected as 2024-02..04 (Freedom Shield 2024: 11 days in March)
    assert f3.loc["2025-01", "drills_expected"] == monthly.monthly.loc["2024-02":"2024-04", "drill_days"].sum() == 11
