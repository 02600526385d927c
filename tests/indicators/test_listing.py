"""The events listed for a dyad are the events behind its index, month by month (issue 15 item 3)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from detente import Store
from detente.indicators.listing import EventQuery, event_query, list_events
from detente.indicators.series import period_end, period_floor
from detente.indicators.tension import index_counts, index_events

FIRST, LAST = date(1950, 1, 1), date(2026, 12, 31)


def _listed(store: Store, dyad: str, first: date | None, last: date | None) -> list[dict[str, object]]:
    t = list_events(store, event_query(dyad=dyad, start=first, end=last))
    return t.select("event_id", "date", "actor2_country", "counted_on").to_pyarrow().to_pylist()


@pytest.fixture(scope="module")
def behind(real_store: Store) -> dict[date, set[str]]:
    """Month → the stored events behind PRK-KOR's index (the exercise table's days are no stored events)."""
    ids = index_events(real_store, "PRK-KOR", "month", FIRST, LAST)
    return {p: {i for i in v if not i.startswith("exercise:")} for p, v in ids.items()}


def test_every_month_counts_the_events_behind_its_index(real_store: Store, behind: dict[date, set[str]]) -> None:
    """What the list selects from (its countings) month by month, against the index's own ``--ids``."""
    by_month: dict[date, set[str]] = defaultdict(set)
    for row in index_counts(real_store, "PRK-KOR", FIRST, LAST).to_pyarrow().to_pylist():
        if row["counted_precision"] != "year":  # counted by the yearly index only
            by_month[period_floor(row["counted_on"], "month")].add(row["event_id"])
    assert {p: v for p, v in behind.items() if v} == dict(by_month)
    assert len(by_month) == 347  # months with stored events behind the index (two more hold only exercise days)


def test_the_whole_list_is_the_index_events(real_store: Store, behind: dict[date, set[str]]) -> None:
    listed = {r["event_id"] for r in _listed(real_store, "PRK-KOR", FIRST, LAST)}
    yearly = index_events(real_store, "PRK-KOR", "year", FIRST, LAST)
    assert listed == {i for v in yearly.values() for i in v if not i.startswith("exercise:")}
    assert set().union(*behind.values()) < listed  # and the year-precision rows the monthly index cannot place


@pytest.mark.parametrize(
    "month",
    [date(1968, 10, 1), date(1968, 11, 1), date(1986, 4, 1), date(1986, 5, 1), date(1994, 5, 1), date(2019, 7, 1),
     date(2019, 8, 1), date(2026, 1, 1), date(2026, 8, 1)],
)  # fmt: skip
def test_a_month_asked_for_lists_exactly_its_index_events(
    real_store: Store, behind: dict[date, set[str]], month: date
) -> None:
    """Months where an incident runs into the next month, month-precision rows, and 2026's launches."""
    listed = {r["event_id"] for r in _listed(real_store, "PRK-KOR", month, period_end(month, "month"))}
    assert listed == behind.get(month, set())


def test_an_incident_is_listed_in_the_month_it_is_counted(real_store: Store) -> None:
    """The Uljin-Samcheok landings of 30 Oct-3 Nov 1968 form one incident, counted (and listed) in October."""
    october = _listed(real_store, "PRK-KOR", date(1968, 10, 1), date(1968, 10, 31))
    november = [r for r in october if r["date"] >= date(1968, 11, 1)]
    assert len(november) == 3 and {r["counted_on"] for r in november} == {date(1968, 10, 30)}


def test_untargeted_launches_are_in_the_dyad_list(real_store: Store, behind: dict[date, set[str]]) -> None:
    """``--dyad PRK-KOR --start 2026-01-01`` gave 1 row; the index rests on every 2026 launch (no target)."""
    rows = _listed(real_store, "PRK-KOR", date(2026, 1, 1), None)
    in_2026 = set().union(*(v for p, v in behind.items() if p.year == 2026))
    assert {r["event_id"] for r in rows} == in_2026
    assert len(rows) == 21 and sum(r["actor2_country"] is None for r in rows) == 20
    august = [r for r in rows if r["date"].month == 8]
    assert len(august) == 3  # the three August launches behind August's index


def test_a_month_precision_event_needs_the_whole_month(real_store: Store) -> None:
    """CNS row 7 is dated May 1986 (month precision): listed for the month, not for half of it."""
    assert "cns:7" in {r["event_id"] for r in _listed(real_store, "PRK-KOR", date(1986, 5, 1), date(1986, 5, 31))}
    assert "cns:7" not in {r["event_id"] for r in _listed(real_store, "PRK-KOR", date(1986, 5, 1), date(1986, 5, 15))}
    whole = list_events(real_store, EventQuery(start=date(1986, 5, 2), end=date(1986, 5, 31)))
    assert "cns:7" not in whole.select("event_id").to_pyarrow().column(0).to_pylist()
