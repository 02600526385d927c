"""Data that end before the forecasts' frame begins (1988-01): a clear error, not an IndexError."""

from __future__ import annotations

from datetime import date

import pytest

from detente import Store
from detente.forecast.features import FRAME_START, build


def test_data_ending_before_the_frame_is_a_clear_error(forecast_store: Store) -> None:
    ev = forecast_store.events()
    early = ev.filter(ev.date <= date(1985, 1, 1))
    assert early.count().to_pyarrow().as_py() > 0  # the curated record does reach back before 1985
    with pytest.raises(ValueError, match=r"the data end in 1984-\d\d, before the forecasts' first month 1988-01"):
        build(early, "PRK")


def test_an_end_before_the_frame_is_a_clear_error(forecast_store: Store) -> None:
    with pytest.raises(ValueError, match="the data end in 1987-06, before the forecasts' first month"):
        build(forecast_store, "PRK", end="1987-06")


def test_the_frame_starts_at_its_first_month(forecast_store: Store) -> None:
    """An end at the frame's first month is the shortest frame that builds: one month."""
    data = build(forecast_store, "PRK", end=FRAME_START)
    assert list(data.months) == [FRAME_START]
