"""Event studies: exact window arithmetic, a simulated known effect, and the real event sets."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from detente import Store
from detente.analysis.anchors import ANCHOR_SETS, anchor_set, exercises
from detente.analysis.events_study import DailyCounts, event_study, provocation_counts, window_counts
from detente.indicators.incidents import find_incidents


def _simulate(effect: float, seed: int) -> tuple[DailyCounts, pd.DataFrame]:
    """20 years of daily Poisson counts (0.05 a day); the 60 days after each yearly anchor multiplied by ``effect``."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2000-01-01", "2019-12-31").date
    anchors = [date(y, 3, 10) for y in range(2001, 2019)]
    rate = np.full(len(days), 0.05)
    index = {d: i for i, d in enumerate(days)}
    for a in anchors:
        rate[index[a] : index[a] + 60] *= effect
    counts = pd.Series(rng.poisson(rate), index=days)
    return DailyCounts(counts, label="simulated"), pd.DataFrame({"name": [str(a) for a in anchors], "start": anchors})


def test_window_arithmetic_is_exact() -> None:
    days = pd.date_range("2020-01-01", "2020-03-31").date
    counts = DailyCounts(pd.Series([d.day for d in days], index=days))  # the count is the day of the month
    anchors = pd.DataFrame({"name": ["a"], "start": [date(2020, 2, 10)], "end": [date(2020, 2, 12)]})
    [row] = window_counts(counts, anchors, pre=3, post=2).to_dict("records")
    assert (row["pre"], row["during"], row["post"]) == (7 + 8 + 9, 10 + 11 + 12, 13 + 14)
    assert (row["pre_days"], row["during_days"], row["post_days"]) == (3, 3, 2) and row["covered"]
    [row] = window_counts(counts, anchors, pre=3, post=2, during=False).to_dict("records")
    assert (row["during"], row["post"]) == (0, 10 + 11)
    late = pd.DataFrame({"name": ["b"], "start": [date(2020, 3, 30)]})
    assert not window_counts(counts, late, pre=3, post=5)["covered"].iloc[0]


def test_recovers_a_simulated_doubling() -> None:
    outcome, anchors = _simulate(2.0, seed=11)
    study = event_study(outcome, anchors, pre=60, post=60, n_perm=2000, seed=1)
    assert study.n == 18 and 1.5 < study.rate_ratio < 2.7 and study.ci[0] > 1.0
    assert study.p_value < 0.01 and study.statistic > 0


def test_finds_nothing_where_there_is_nothing() -> None:
    outcome, anchors = _simulate(1.0, seed=12)
    study = event_study(outcome, anchors, pre=60, post=60, n_perm=2000, seed=1)
    assert study.p_value > 0.05 and study.ci[0] < 1.0 < study.ci[1]


def test_fewer_and_two_sided() -> None:
    outcome, anchors = _simulate(0.3, seed=13)
    less = event_study(outcome, anchors, pre=60, post=60, alternative="less", n_perm=2000, seed=1)
    assert less.rate_ratio < 0.6 and less.p_value < 0.01
    # the two-sided statistic, mean |post - pre|, is blunter: it needs a larger shift to stand out
    outcome, anchors = _simulate(5.0, seed=13)
    shift = event_study(outcome, anchors, pre=60, post=60, alternative="two-sided", n_perm=2000, seed=1)
    assert shift.p_value < 0.01 and shift.statistic_ci[0] > 3
    # a p-value is never 0: (1 + extreme placebos) / (1 + draws)
    assert less.p_value >= 1 / 2001


def test_provocation_counts_are_the_dprk_incidents(real_store: Store) -> None:
    outcome = provocation_counts(real_store)
    inc = find_incidents(real_store, initiators=["PRK"])
    expected = inc[(inc["date_precision"] == "day") & (inc["severity"] > 0)]
    assert int(outcome.counts.sum()) == len(expected)
    assert outcome.counts[date(2017, 9, 3)] == 1 and outcome.first == date(1945, 8, 15)
    assert outcome.last == date(2026, 8, 20)


def test_event_sets_from_the_knowledge_base() -> None:
    sizes = {name: len(anchor_set(name)) for name in ANCHOR_SETS}
    assert sizes == {
        "exercises": 27,
        "spring-exercises": 11,
        "summits": 8,
        "sanctions": 10,
        "inaugurations": 9,
        "leadership": 11,
    }
    ex = exercises()
    season_2016 = ex[ex["start"] == date(2016, 3, 7)].iloc[0]
    assert season_2016["end"] == date(2016, 4, 30) and "spring:2016" in season_2016["source_id"]
    assert all(b - a > timedelta(days=14) for a, b in zip(ex["start"].iloc[:-1], ex["start"].iloc[1:], strict=True))
    with pytest.raises(ValueError, match="unknown event set"):
        anchor_set("elections")


def test_exercises_on_the_real_data_are_stated_with_their_coverage(real_store: Store) -> None:
    study = event_study(provocation_counts(real_store), exercises(), pre=56, post=56, during=False, n_perm=999)
    summary = study.summary()
    assert summary["anchors"] == summary["covered"] == 27 and summary["placebos"] == 999
    assert summary["span"] == "2004-01-23..2026-08-20" and 0 < summary["p_value"] <= 1
