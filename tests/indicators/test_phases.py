"""Change points on the index: recovered on a simulated series, and where the history says on the real one."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from detente import Store
from detente.indicators.phases import PHASE_COLUMNS, detect_phases, find_phases


def test_recovers_simulated_breaks_and_labels_them() -> None:
    rng = np.random.default_rng(3)
    levels = [40.0] * 40 + [75.0] * 30 + [20.0] * 30 + [22.0] * 20
    frame = pd.DataFrame(
        {
            "period": pd.date_range("2000-01-01", periods=len(levels), freq="MS").date,
            "tension": np.array(levels) + rng.normal(0, 4, len(levels)),
        }
    )
    found = detect_phases(frame)
    assert list(found.columns) == list(PHASE_COLUMNS)
    starts = [frame.index[frame["period"] == s][0] for s in found["start"]]
    assert all(abs(a - b) <= 1 for a, b in zip(starts, [0, 40, 70], strict=True))
    assert len(found) == 3  # 20 → 22 is within the noise: no phase of its own
    assert list(found["label"])[1:] == ["freeze", "thaw"]
    assert int(found["periods"].sum()) == len(levels)


def test_real_phases_match_the_history(real_store: Store) -> None:
    frame = find_phases(real_store, "PRK-KOR", "month", start=date(1990, 1, 1))
    by_month = {p: row for row in frame.itertuples() for p in pd.date_range(row.start, row.end, freq="MS").date}
    assert by_month[date(2018, 6, 1)].label == "thaw"  # Panmunjom, Singapore, Pyongyang
    assert by_month[date(2017, 9, 1)].label == "freeze"
    freeze_2009 = by_month[date(2009, 4, 1)]  # opened by the Unha-2 launch of 5 April 2009
    assert freeze_2009.label == "freeze" and freeze_2009.start == date(2009, 4, 1)
    assert any(i.startswith("csis:2009-04-05") for i in freeze_2009.opening_events)
    thaw = by_month[date(2018, 6, 1)]
    assert any(i.startswith("kb:2018-01") for i in thaw.opening_events)  # opened by the January 2018 talks
    assert frame["start"].min() == date(1990, 1, 1)


def test_gap_periods_are_never_phased() -> None:
    """A run of missing index values splits the series: no phase spans it, and its periods are in none."""
    rng = np.random.default_rng(5)
    values = np.concatenate([np.full(30, 30.0), np.full(12, np.nan), np.full(30, 70.0)]) + rng.normal(0, 2, 72)
    frame = pd.DataFrame({"period": pd.date_range("2000-01-01", periods=72, freq="MS").date, "tension": values})
    found = detect_phases(frame)
    gap = set(frame["period"][30:42])
    assert int(found["periods"].sum()) == 60
    for row in found.itertuples():
        assert not gap & set(pd.date_range(row.start, row.end, freq="MS").date)
    # the run after the gap is compared with its own median, not with the months before the gap
    assert list(found["label"]) == ["stable", "stable"]


def test_months_without_coverage_are_not_phased(real_store: Store) -> None:
    """Korean War months have no index (no source lists them); COW MID ends in 2014, so IND-PAK's 2015-2017 is a gap."""
    korea = find_phases(real_store, "PRK-KOR", "month")
    assert korea["start"].min() == date(1958, 2, 1)  # CSIS's first month, not 1945-08
    india = find_phases(real_store, "IND-PAK", "month")
    assert india["end"][india["start"] < date(2015, 1, 1)].max() == date(2014, 12, 1)
    months = {p for row in india.itertuples() for p in pd.date_range(row.start, row.end, freq="MS").date}
    assert not months & set(pd.date_range("2015-01-01", "2018-05-01", freq="MS").date)
