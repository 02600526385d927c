"""The tension index on the real files: coverage, the expected directions, and the formula's properties."""

from __future__ import annotations

from datetime import date

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import EVENT_SCHEMA, Store
from detente.indicators.tension import (
    COMPONENTS,
    INDEX_COLUMNS,
    TensionWeights,
    components_expr,
    tension_frame,
    tension_index,
)


@pytest.fixture(scope="module")
def monthly(real_store: Store) -> pd.Series:
    frame = tension_frame(real_store, "PRK-KOR", "month")
    return frame.set_index(pd.to_datetime(frame["period"]))["tension"]


def test_covers_1990_to_the_latest_month_in_the_data(real_store: Store, monthly: pd.Series) -> None:
    latest = real_store.events().date.max().to_pandas()
    months = pd.date_range("1990-01-01", pd.Timestamp(latest).replace(day=1), freq="MS")
    assert set(months) <= set(monthly.index)
    assert monthly.index.max() == pd.Timestamp("2026-08-01")  # CSIS lists launches to 20 August 2026
    # CSIS's list starts in February 1958: no source vouches for an earlier month, which has no index
    assert monthly[:"1958-01"].isna().all() and not monthly["1958-02":].isna().any()
    assert monthly.dropna().between(0, 100).all()


@pytest.mark.parametrize(
    ("month", "event"),
    [
        ("2010-03", "ROKS Cheonan sunk on 26 March"),
        ("2010-11", "Yeonpyeong Island shelled on 23 November"),
        ("2017-07", "Hwasong-14 ICBM launches on 4 and 28 July"),
        ("2017-09", "sixth nuclear test on 3 September"),
        ("2017-11", "Hwasong-15 ICBM launch on 28/29 November"),
    ],
)
def test_index_rises_in_the_month_of(monthly: pd.Series, month: str, event: str) -> None:
    this = monthly[month].iloc[0]
    before = monthly[: pd.Timestamp(month) - pd.DateOffset(months=1)]
    assert this > before.iloc[-1], f"{event}: not above the previous month"
    assert this > before.iloc[-12:].median(), f"{event}: not above the past year's median"


def test_index_falls_during_2018(monthly: pd.Series) -> None:
    y2017, y2018 = monthly["2017"], monthly["2018"]
    assert y2018.mean() < y2017.mean() - 30
    assert y2018.max() < y2017.median()  # no month of 2018 reaches a typical month of 2017
    assert monthly["2018-01":"2018-12"].mean() < monthly["2019"].mean()  # and it rose again after Hanoi


def test_components_are_always_beside_the_index(real_store: Store) -> None:
    frame = tension_frame(real_store, "PRK>KOR", "year", start=date(2015, 1, 1), event_ids=True)
    assert list(frame.columns) == [*INDEX_COLUMNS, "event_ids"]
    row = frame.set_index("period").loc[date(2017, 1, 1)]
    assert row["incidents"] > 0 and row["severity"] > 0
    assert "kb:2017-09-03-0f35edd233" in row["event_ids"] or any(
        i.startswith("csis:2017-09-03") for i in row["event_ids"]
    )


def test_pandas_users_get_a_tension_column_and_timestamps(real_store: Store) -> None:
    """Issue 15 item 8: ``ti.index`` was the RangeIndex and periods were ``datetime.date``."""
    ti = tension_index(real_store, "PRK-KOR", "month", start=date(2017, 1, 1), end=date(2017, 12, 31))
    assert "index" not in ti.columns and pd.api.types.is_datetime64_any_dtype(ti["period"])
    by_month = ti.set_index("period")["tension"].resample("QS").mean()  # datetime operations just work
    assert len(by_month) == 4 and by_month.index[0] == pd.Timestamp("2017-01-01")
    same = tension_frame(real_store, "PRK-KOR", "month", start=date(2017, 1, 1), end=date(2017, 12, 31))
    assert list(ti["period"].dt.date) == list(same["period"])
    assert np.array_equal(ti["tension"], same["tension"], equal_nan=True)


def test_a_period_does_not_depend_on_the_rows_asked_for(real_store: Store, monthly: pd.Series) -> None:
    part = tension_frame(real_store, "PRK-KOR", "month", start=date(2017, 6, 1), end=date(2018, 3, 31))
    assert np.allclose(part["tension"].to_numpy(), monthly["2017-06":"2018-03"].to_numpy())


def _events(rows: list[dict[str, object]]) -> ibis.Table:
    full = [{f.name: r.get(f.name) for f in EVENT_SCHEMA} for r in rows]
    return ibis.memtable(pa.Table.from_pylist(full, schema=EVENT_SCHEMA))


def _launch(i: int, day: date) -> dict[str, object]:
    return {
        "event_id": f"csis:{i}",
        "source": "csis",
        "date": day,
        "date_precision": "day",
        "actor1_country": "AAA",
        "category": "missile_test",
        "original_type": "Missile Provocation: Short-range Ballistic Missile Launch",
        "event_code": "150",
        "quad_class": 4,
        "goldstein": -7.2,
    }


def _span_marker(i: int, day: date) -> dict[str, object]:
    """A CSIS row of no severity (talks): the list's stored span, hence its coverage, starts or ends there."""
    return {**_launch(i, day), "category": "talks", "original_type": "Talks", "event_code": "040", "quad_class": 1}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=st.lists(st.integers(0, 4), min_size=24, max_size=24), month=st.integers(12, 23))
def test_more_launches_never_lower_the_index(counts: list[int], month: int) -> None:
    """With a fixed baseline (the first year), the index is non-decreasing in every conflict component."""
    rows, n = [_span_marker(-1, date(2000, 1, 1)), _span_marker(-2, date(2001, 12, 31))], 0
    for m, c in enumerate(counts):
        for _ in range(c):
            rows.append(_launch(n, date(2000 + m // 12, m % 12 + 1, 10)))
            n += 1
    first, last = date(2000, 1, 1), date(2001, 12, 31)
    base = (date(2000, 1, 1), date(2000, 12, 1))
    before = tension_frame(_events(rows), "AAA-BBB", "month", start=first, end=last, baseline=base)
    rows.append(_launch(n, date(2000 + month // 12, month % 12 + 1, 20)))
    after = tension_frame(_events(rows), "AAA-BBB", "month", start=first, end=last, baseline=base)
    assert after["tension"].iloc[month] >= before["tension"].iloc[month]
    others = [i for i in range(24) if i != month]
    assert np.allclose(after["tension"].iloc[others], before["tension"].iloc[others])


def test_fifty_when_every_component_is_at_its_mean() -> None:
    rows = [_launch(i, date(2000, m, 10)) for i, m in enumerate(range(1, 13))]  # one launch every month
    frame = tension_frame(_events(rows), "AAA-BBB", "month", start=date(2000, 1, 1), end=date(2000, 12, 31))
    assert np.allclose(frame["tension"], 50.0) and np.allclose(frame["z_severity"], 0.0)
    # no coded event data and no exercise table for AAA-BBB: those components are missing, not average
    assert frame[[f"z_{c}" for c in COMPONENTS if c != "severity"]].isna().all().all()


def test_weights_sum_to_one_in_absolute_value_and_the_expression_is_portable(real_store: Store) -> None:
    assert sum(abs(w) for w in TensionWeights().component_weights().values()) == pytest.approx(1.0)
    expr = components_expr(real_store.events(), "PRK-KOR", "month", date(2010, 1, 1), date(2010, 12, 31))
    sql = ibis.to_sql(expr, dialect="bigquery")
    assert "LN(" in sql.upper() and "read_parquet" not in sql
