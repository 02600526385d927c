"""Dyadic series on the real files, checked against hand-written SQL, plus the bucket and weight rules."""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from detente import EVENT_SCHEMA, Store
from detente.indicators.series import (
    SERIES_COLUMNS,
    cell_events,
    dyadic_series,
    parse_freq,
    period_spine,
    series_expr,
)


def _sql_counts(store: Store) -> pd.DataFrame:
    """PRK-KOR monthly counts by direction, written directly in DuckDB SQL (independent of the Ibis code)."""
    return store.con.sql(
        """
        SELECT actor1_country || '>' || actor2_country AS direction,
               CAST(date_trunc('month', date) AS DATE) AS period,
               count(*) AS events,
               count(*) FILTER (WHERE quad_class = 4) AS material_conflict,
               count(*) FILTER (WHERE quad_class = 1) AS verbal_cooperation,
               round(sum(round(CAST(goldstein AS DOUBLE), 1)), 6) AS goldstein_sum
        FROM events
        WHERE actor1_country IN ('PRK', 'KOR') AND actor2_country IN ('PRK', 'KOR')
          AND actor1_country <> actor2_country AND coalesce(date_precision, 'day') IN ('day', 'month')
        GROUP BY ALL
        """
    ).df()


def test_monthly_series_matches_sql_on_every_cell(real_store: Store) -> None:
    frame = dyadic_series(real_store, "PRK-KOR", "month")
    sql = _sql_counts(real_store)
    sql["period"] = pd.to_datetime(sql["period"]).dt.date
    merged = frame[frame["direction"] != "PRK-KOR"].merge(
        sql, on=["direction", "period"], how="left", suffixes=("", "_sql")
    )
    merged = merged.fillna(
        {"events_sql": 0, "material_conflict_sql": 0, "verbal_cooperation_sql": 0, "goldstein_sum_sql": 0.0}
    )
    assert (merged["events"] == merged["events_sql"]).all()
    assert (merged["material_conflict"] == merged["material_conflict_sql"]).all()
    assert (merged["verbal_cooperation"] == merged["verbal_cooperation_sql"]).all()
    assert (merged["goldstein_sum"].round(6) - merged["goldstein_sum_sql"]).abs().max() < 1e-6
    assert (
        int(merged["events"].sum()) == int(sql["events"].sum()) == 623
    )  # kb 151, cow_mid 408, icews 53, gdelt1 18, less 7 year-precision (the 2006 halt of reunions now has its day)


def test_undirected_dyad_is_the_sum_of_both_directions(real_store: Store) -> None:
    frame = dyadic_series(real_store, "PRK-KOR", "year").set_index(["direction", "period"])
    both = frame.loc["PRK-KOR"]
    parts = (
        frame.loc["PRK>KOR"][["events", "material_conflict", "goldstein_sum"]]
        + frame.loc["KOR>PRK"][["events", "material_conflict", "goldstein_sum"]]
    )
    pd.testing.assert_frame_equal(both[["events", "material_conflict", "goldstein_sum"]], parts, check_dtype=False)
    # 2010: the COW MID participant rows of MID 4483 and the curated Cheonan and Yeonpyeong rows
    assert int(frame.loc[("PRK>KOR", date(2010, 1, 1)), "events"]) == 31
    assert int(frame.loc[("KOR>PRK", date(2010, 1, 1)), "events"]) == 28


def test_every_period_is_present_and_empty_periods_are_zero(real_store: Store) -> None:
    frame = dyadic_series(real_store, "PRK>KOR", "month", start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert list(frame["period"]) == period_spine(date(2019, 1, 1), date(2019, 12, 1), "month")
    assert list(frame.columns) == list(SERIES_COLUMNS)
    quiet = frame[frame["events"] == 0]
    assert len(quiet) > 0 and quiet["goldstein_mean"].isna().all() and (quiet["net_cooperation"] == 0).all()


def test_a_month_precision_event_is_counted_by_month_never_by_week(real_store: Store) -> None:
    # "Fourth infiltration tunnel found in Yanggu county": the curated timeline dates it 1990-03 only
    tunnel = [
        i for i in cell_events(real_store, "PRK>KOR", date(1990, 3, 1), "month")["event_id"] if i.startswith("kb:")
    ]
    assert tunnel == ["kb:1990-03-bc5841b580"]
    weekly = dyadic_series(real_store, "PRK>KOR", "week", start=date(1990, 2, 26), end=date(1990, 4, 1), event_ids=True)
    assert not any("kb:1990-03-bc5841b580" in ids for ids in weekly["event_ids"])
    assert all(p.weekday() == 0 for p in weekly["period"])  # weeks start on Monday


def test_cell_ids_are_the_events_behind_the_cell(real_store: Store) -> None:
    frame = dyadic_series(real_store, "PRK-KOR", "month", start=date(2010, 3, 1), end=date(2010, 3, 31), event_ids=True)
    row = frame[frame["direction"] == "PRK>KOR"].iloc[0]
    cell = cell_events(real_store, "PRK>KOR", date(2010, 3, 15), "month")
    assert sorted(row["event_ids"]) == sorted(cell["event_id"]) and row["events"] == len(cell)
    assert "kb:2010-03-26-f3dec39bd7" in row["event_ids"]  # the Cheonan sinking


def _events(rows: list[dict[str, object]]) -> ibis.Table:
    full = [{f.name: r.get(f.name) for f in EVENT_SCHEMA} for r in rows]
    return ibis.memtable(pa.Table.from_pylist(full, schema=EVENT_SCHEMA))


def test_log_damped_weights() -> None:
    base = {
        "source": "gdelt2",
        "actor1_country": "AAA",
        "actor2_country": "BBB",
        "date": date(2020, 1, 6),
        "date_precision": "day",
        "quad_class": 4,
    }
    events = _events(
        [
            {**base, "event_id": "x:1", "goldstein": -10.0, "mentions": 1},
            {**base, "event_id": "x:2", "goldstein": 4.0, "mentions": 1},
        ]
    )
    frame = dyadic_series(events, "AAA>BBB", "month", start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert frame.loc[0, "goldstein_wmean"] == pytest.approx(-3.0)  # equal weights
    events = _events(
        [
            {**base, "event_id": "x:1", "goldstein": -10.0, "mentions": 1},
            {**base, "event_id": "x:2", "goldstein": 4.0, "mentions": 3},  # e^(w-1) = 3 → w = 1 + ln 3
        ]
    )
    frame = dyadic_series(events, "AAA>BBB", "month", start=date(2020, 1, 1), end=date(2020, 1, 31))
    w = 1 + pd.Series([3.0]).apply(lambda m: __import__("math").log(m))[0]
    assert frame.loc[0, "goldstein_wmean"] == pytest.approx((-10.0 + 4.0 * w) / (1 + w))
    assert frame.loc[0, "goldstein_mean"] == pytest.approx(-3.0) and frame.loc[0, "conflict_share"] == 1.0
    unweighted = dyadic_series(events, "AAA>BBB", "month", start=date(2020, 1, 1), end=date(2020, 1, 31), weight="none")
    assert unweighted.loc[0, "goldstein_wmean"] == pytest.approx(-3.0)


def test_frequencies_and_bad_input() -> None:
    assert [parse_freq(x) for x in ("D", "w", "Month", "Y", "year")] == ["day", "week", "month", "year", "year"]
    with pytest.raises(ValueError, match="unknown frequency"):
        parse_freq("Q")
    with pytest.raises(ValueError, match="bad dyad"):
        dyadic_series(_events([]), "PRK KOR", "month")


def test_the_expression_compiles_for_other_backends(real_store: Store) -> None:
    """Written once in Ibis: the same expression compiles to BigQuery and Postgres SQL (no DuckDB-only SQL)."""
    expr = series_expr(real_store.events(), "PRK-KOR", "week", event_ids=True)
    for dialect in ("bigquery", "postgres"):
        sql = ibis.to_sql(expr, dialect=dialect)
        assert "GROUP BY" in sql.upper()


def test_event_id_lists_are_sorted_in_every_indicator(real_store: Store) -> None:
    """Aggregates collect ids in no set order; every indicator returns them sorted, so output is reproducible."""
    from detente.indicators import find_incidents, military_elements
    from detente.indicators.tension import tension_frame

    lists = {
        "series": dyadic_series(real_store, "PRK>KOR", "year", event_ids=True)["event_ids"],
        "index": tension_frame(real_store, "PRK-KOR", "year", event_ids=True)["event_ids"],
        "military": military_elements(real_store, "PRK-KOR", "year", event_ids=True)["drills_ids"],
        "incidents": find_incidents(real_store, "PRK-KOR")["event_ids"],
    }
    for name, column in lists.items():
        assert max(len(ids) for ids in column) > 1, name  # the check has lists to look at
        assert all(ids == sorted(ids) for ids in column), name
