"""The four military-tension elements on the real files, checked against known events."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from detente import Store
from detente.dyad import Dyad
from detente.indicators.military import (
    MILITARY_COLUMNS,
    exercise_days,
    exercise_table_applies,
    military_elements,
    military_events,
)


@pytest.fixture(scope="module")
def yearly(real_store: Store) -> pd.DataFrame:
    return military_elements(real_store, "PRK-KOR", "year").set_index("period")


def test_new_capabilities_by_year(yearly: pd.DataFrame) -> None:
    assert int(yearly["nuclear_tests"].sum()) == 6
    assert int(yearly.loc[date(2017, 1, 1), "launches_icbm"]) == 3  # Hwasong-14 twice, Hwasong-15
    assert int(yearly.loc[date(2016, 1, 1), "nuclear_tests"]) == 2  # January and September 2016


def test_drills_from_the_exercise_table(real_store: Store) -> None:
    monthly = military_elements(real_store, "PRK-KOR", "month", start=date(2016, 3, 1), end=date(2018, 6, 30))
    m = monthly.set_index("period")
    # Key Resolve (7-18 March) and Foal Eagle (7 March-30 April) 2016: 25 days of March under exercise
    assert m.loc[date(2016, 3, 1), "drill_days"] == 25 and m.loc[date(2016, 3, 1), "named_exercises"] == 2
    # June 2018: Ulchi Freedom Guardian and Freedom Guardian suspended after the Singapore summit
    assert m.loc[date(2018, 6, 1), "suspensions"] == 2 and m.loc[date(2018, 6, 1), "drill_days"] == 0
    ids = m.loc[date(2016, 3, 1), "drills_ids"]
    assert "exercise:2016:key-resolve" in ids and "exercise:2016:foal-eagle" in ids


def test_exercise_days_never_invent_a_day() -> None:
    days = exercise_days()
    start_only = days[days["span"] == "start only"]
    assert (start_only.groupby("exercise_id").size() == 1).all()
    assert set(days.loc[days["precision"] == "month", "span"]) == {"start only"}
    assert not (days["status"].isin(["suspended", "cancelled", "postponed"]) & (days["weight"] > 0)).any()


def test_border_incidents_and_troop_movements(real_store: Store) -> None:
    nov_2010 = military_events(real_store, "border_incidents", date(2010, 11, 1))
    assert {"kb:2010-11-23-17f3bf4f2c"} <= set(nov_2010["event_id"])  # the Yeonpyeong shelling
    sept_1996 = military_elements(real_store, "PRK-KOR", "month", start=date(1996, 9, 1), end=date(1996, 9, 30))
    row = sept_1996.iloc[0]
    assert row["troop_movements"] >= 1 and row["troop_movements_lethal"] >= 1  # the Gangneung submarine
    assert any(i.startswith("kb:1996-09-18") for i in row["troop_movements_ids"])


def test_columns_and_the_dyads_the_table_concerns(real_store: Store) -> None:
    frame = military_elements(
        real_store, "PRK-USA", "year", start=date(2017, 1, 1), end=date(2017, 12, 31), event_ids=False
    )
    assert list(frame.columns) == list(MILITARY_COLUMNS)
    assert int(frame.iloc[0]["launches_icbm"]) == 3 and frame.iloc[0]["drill_days"] == 11  # UFG 21-31 Aug
    assert exercise_table_applies(Dyad.parse("USA>PRK")) and not exercise_table_applies(Dyad.parse("PRK>KOR"))
    assert not exercise_table_applies(Dyad.parse("CHN-IND"))
