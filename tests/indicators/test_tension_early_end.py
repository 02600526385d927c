"""The tension index on data ending before the exercise table's first exercise (March 2008)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from detente import Store
from detente.indicators.military import exercise_days
from detente.indicators.series import period_floor
from detente.indicators.tension import INDEX_COLUMNS, tension_frame

END = date(2005, 1, 1)


def test_the_exercise_table_starts_in_2008() -> None:
    days = exercise_days()
    assert min(days.loc[days["weight"] > 0, "day"]) >= date(2008, 3, 1) > END


@pytest.mark.parametrize("freq", ["week", "month", "year"])
def test_index_of_data_ending_before_2008(real_store: Store, freq: str) -> None:
    ev = real_store.events()
    frame = tension_frame(ev.filter(ev.date <= END), "PRK-KOR", freq, event_ids=True)
    assert list(frame.columns) == [*INDEX_COLUMNS, "event_ids"]
    assert len(frame) > 10 and frame["period"].max() <= END
    covered = frame[frame["period"] >= period_floor(date(1958, 2, 16), freq)]["tension"]  # CSIS's first row
    assert covered.between(0, 100).all() and not covered.isna().any()
    assert frame["incidents"].sum() > 0  # the curated incidents of 1958-2004 are counted
    assert not any(i.startswith("exercise:") for ids in frame["event_ids"] for i in ids)


def test_an_end_before_2008_on_the_whole_store(real_store: Store) -> None:
    """The periods asked for end in 2004; the index is the one computed on the whole span, cut there."""
    whole = tension_frame(real_store, "PRK-KOR", "month")
    cut = tension_frame(real_store, "PRK-KOR", "month", end=END)
    assert cut["period"].max() == date(2005, 1, 1)
    assert np.array_equal(cut["tension"], whole[whole["period"] <= END]["tension"], equal_nan=True)
