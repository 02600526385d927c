"""Coverage: each source over its own span; a component no source covers is missing, a month with none has no index."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from detente import Store
from detente.indicators.charts import index_chart, key_events, trend
from detente.indicators.coverage import DYADIC_COMPONENTS, source_spans
from detente.indicators.incidents import find_incidents
from detente.indicators.tension import COMPONENTS, tension_frame


@pytest.fixture(scope="module")
def monthly(real_store: Store) -> pd.DataFrame:
    frame = tension_frame(real_store, "PRK-KOR", "month")
    return frame.set_index(pd.to_datetime(frame["period"]).dt.strftime("%Y-%m"))


def test_each_source_covers_its_own_span(real_store: Store) -> None:
    spans = source_spans(real_store.events(), ["PRK", "KOR"])
    assert spans["csis"] == [(date(1958, 2, 16), date(2026, 8, 20))]
    assert spans["cns"] == [(date(1984, 4, 9), date(2023, 4, 12))]
    assert spans["cow_mid"] == [(date(1992, 1, 20), date(2014, 12, 31))]
    # the GDELT 2 file of 24 October 2019 covers that day, not the year of older events it mentions
    assert spans["gdelt2"] == [(date(2019, 10, 24), date(2019, 10, 24))]
    assert spans["icews"] == [(date(2018, 6, 1), date(2018, 6, 2))]


def test_months_no_source_covers_have_no_index(monthly: pd.DataFrame) -> None:
    before = monthly.loc[:"1958-01"]
    assert len(before) == 150 and before["tension"].isna().all() and before["reading"].isna().all()
    assert (before["components_covered"] == "").all() and before["score"].isna().all()
    assert monthly["tension"].isna().sum() == 150  # 1945-08 to 1958-01: the timeline's Korean War, no list
    assert monthly.loc["1958-02":, "tension"].notna().all()


@pytest.mark.parametrize("month", ["2017-10", "2017-12"])
def test_a_quiet_crisis_month_without_event_data_is_an_incidents_only_reading(
    monthly: pd.DataFrame, month: str
) -> None:
    row = monthly.loc[month]
    assert row["reading"] == "incidents-only"
    assert row["components_covered"] == "severity,drills"
    assert all(pd.isna(row[c]) and pd.isna(row[f"z_{c}"]) for c in DYADIC_COMPONENTS)
    assert row["tension"] != pytest.approx(38.6, abs=0.05)  # no longer the 'calm' of a month with no event


def test_a_month_with_event_data_reads_every_component(monthly: pd.DataFrame) -> None:
    row = monthly.loc["2019-10"]  # the stored GDELT 2 file and the curated lists
    assert row["reading"] == "full" and row["components_covered"] == ",".join(COMPONENTS)
    assert all(pd.notna(row[f"z_{c}"]) for c in COMPONENTS)
    assert set(monthly["reading"].dropna()) == {"full", "incidents-only"}
    assert list(monthly.index[monthly["reading"] == "full"]) == ["2013-04", "2018-06", "2019-10"]


def test_cow_mid_ending_in_2014_leaves_india_pakistan_without_an_index(real_store: Store) -> None:
    frame = tension_frame(real_store, "IND-PAK", "month", start=date(2014, 1, 1), end=date(2018, 5, 31))
    by = frame.set_index(pd.to_datetime(frame["period"]).dt.strftime("%Y-%m"))
    assert by.loc["2014-01":"2014-12", "tension"].notna().all()
    assert by.loc["2015-01":"2018-05", "tension"].isna().all()  # not a thaw: nothing is listed


def test_chart_draws_a_trend_over_the_monthly_values_with_gaps_and_key_events(real_store: Store) -> None:
    frame = tension_frame(real_store, "PRK-KOR", "month", end=date(1960, 12, 31))
    smooth = trend(frame)
    assert smooth[frame["tension"].isna()].isna().all() and smooth[frame["tension"].notna()].notna().all()
    inside = frame.index[frame["tension"].notna()][5]
    assert smooth[inside] == pytest.approx(frame["tension"][inside - 1 : inside + 2].mean())
    events = key_events(find_incidents(real_store, "PRK-KOR", end=date(1960, 12, 31)), limit=3)
    assert len(events) == 3 and events["date"].is_monotonic_increasing
    spec = index_chart(frame, "PRK-KOR", events=events)
    data = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    assert [layer["mark"]["invalid"] for layer in data] == ["break-paths-show-domains"] * 2
    records = spec["datasets"][next(iter(spec["datasets"]))] if "datasets" in spec else data[0]["data"]["values"]
    gap = [r for r in records if r["period"] == "1950-06-01"]
    assert gap and gap[0]["tension"] is None and gap[0]["trend"] is None
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 1
