"""Targets on the real files: which incidents count, month-bounded merging, outcomes over a window."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from detente.forecast.features import MonthlyData
from detente.forecast.targets import HORIZONS, TARGETS, Subject, month_incidents, outcome, target
from detente.kb import tables


def test_outcome_sums_the_next_months_and_leaves_the_unrealised_empty() -> None:
    monthly = np.array([0, 2, 0, 0, 1, 0, 3])
    np.testing.assert_array_equal(outcome(monthly, 1, "count")[:-1], [2, 0, 0, 1, 0, 3])
    np.testing.assert_array_equal(outcome(monthly, 3, "count")[:4], [2, 1, 1, 4])
    assert np.isnan(outcome(monthly, 3, "count")[-3:]).all()
    binary = outcome(monthly, 3, "binary")
    np.testing.assert_array_equal(binary[:4], [1, 1, 1, 1])
    assert np.isnan(binary[-3:]).all()
    with pytest.raises(ValueError, match="binary or count"):
        outcome(monthly, 1, "rate")


def test_targets_and_horizons_are_the_documented_ones() -> None:
    assert set(TARGETS) == {"missile", "major", "count"}
    assert HORIZONS == (1, 3, 6)
    assert target("major").series == "major" and target("count").kind == "count"
    with pytest.raises(ValueError, match="missile, major, count"):
        target("war")


def test_subject_is_an_actor_or_a_dyad() -> None:
    assert Subject("prk").actor == "PRK" and Subject("prk").dyad is None
    assert str(Subject("PRK>KOR").dyad) == "PRK>KOR" and Subject("PRK>KOR").actor is None
    with pytest.raises(ValueError, match="bad subject"):
        _ = Subject("North Korea").actor


def test_all_six_nuclear_tests_are_major_provocations(forecast_store) -> None:
    """The knowledge base's six nuclear tests (timeline rows, CSIS) each make a major incident."""
    inc = month_incidents(forecast_store, "PRK")
    nuclear = inc[inc["kind"] == "nuclear_test"]
    days = sorted(d.date().isoformat() for d in nuclear["date"])
    assert days == ["2006-10-09", "2009-05-25", "2013-02-12", "2016-01-06", "2016-09-09", "2017-09-03"]
    assert nuclear["major"].all() and nuclear["provocations"].all() and not nuclear["launches"].any()
    icbm = inc[inc["missile_class"] == "icbm"]
    assert icbm["major"].all() and icbm["launches"].all()
    # the Hwasong-15 launch of 29 Nov 2017 (KST) is in CNS under its UTC date; CSIS misses it
    # (docs/knowledge-base.md: "CNS lists UTC dates", "the CSIS scrape misses ... the 2017-11-29 Hwasong-15")
    assert pd.Timestamp("2017-11-28") in set(icbm["date"])


def test_incidents_never_span_a_month_boundary(forecast_store) -> None:
    inc = month_incidents(forecast_store, "PRK")
    assert (inc["date"].dt.to_period("M") == pd.to_datetime(inc["last_date"]).dt.to_period("M")).all()
    # 582 after the 2010 DMZ shooting date merged two rows; 583 since the 2006 halt of reunions is dated to the
    # day (2006-07-19, issue 21 sample), so it is an incident of its month
    assert len(inc) == 583
    assert (int(inc["launches"].sum()), int(inc["major"].sum()), int(inc["provocations"].sum())) == (240, 98, 555)


def test_no_launch_in_2018_as_in_the_cns_yearly_count(monthly: MonthlyData) -> None:
    """The shipped CNS yearly table counts 0 launch events in 2018 (kb/data/missile_tests_by_year.csv)."""
    cns = [
        r
        for r in tables.missile_tests_by_year().to_pylist()
        if r["year"] == 2018 and r["source_name"].startswith("CNS")
    ]
    assert cns[0]["number_of_launch_events"] == 0
    assert monthly.monthly.loc["2018-01":"2018-12", "launches"].sum() == 0


def test_monthly_series_on_the_real_files(monthly: MonthlyData) -> None:
    m = monthly.monthly
    assert str(monthly.last) == "2026-07"  # CSIS runs to 2026-08-20: August is not complete
    assert m[["launches", "major", "provocations"]].sum().to_dict() == {
        "launches": 232,
        "major": 43,
        "provocations": 452,
    }
    assert int((m.loc["2010-01":"2025-12", "launches"] > 0).sum()) == 94
    y = monthly.outcome(TARGETS["missile"], 1)
    assert y.loc["2010-01":"2025-12"].sum() == 95 and y.isna().sum() == 1
