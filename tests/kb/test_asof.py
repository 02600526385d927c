"""As of a date the knowledge base knows only what was known then (issue 15 item 1): agreements' later fate."""

from __future__ import annotations

from datetime import date

import pytest

from detente.kb import tables
from detente.kb.asof import known_by, mentioned_dates
from detente.kb.tracker import agreements_overview


def test_dates_are_read_as_the_last_day_they_can_mean() -> None:
    text = "on 2013-03-11; in 1994; October 2002; 24 Sept 1999; met in 1992-93; broke down in 2002-03; 2000-07"
    assert mentioned_dates(text) == [
        date(2013, 3, 11),
        date(1994, 12, 31),
        date(2002, 10, 31),
        date(1999, 9, 24),
        date(1993, 12, 31),
        date(2003, 12, 31),  # 2002 to 2003 ends later than March 2002
        date(2007, 12, 31),  # July 2000, or 2000 to 2007: the later reading
    ]


@pytest.mark.parametrize("as_of", [date(1995, 1, 1), date(2019, 1, 1), date(2023, 11, 22)])
def test_no_later_fate_names_a_date_after_the_as_of_date(as_of: date) -> None:
    overview = agreements_overview(as_of)
    for row in overview.itertuples():
        assert all(d <= as_of for d in mentioned_dates(row.later_fate or "")), (row.id, row.later_fate)


def test_the_military_agreements_fate_is_unknown_in_2019_and_told_in_full_today() -> None:
    full = next(r["later_fate"] for r in tables.agreements().to_pylist() if r["id"] == "CMA-2018")
    early = agreements_overview(date(2019, 1, 1)).set_index("id")
    assert early.loc["CMA-2018", "later_fate"] is None  # suspended 2023-11-22: not known on 2019-01-01
    assert "Hanoi" not in (early.loc["SG-2018", "later_fate"] or "")  # the February 2019 summit
    assert early.loc["SG-2018", "later_fate"] == "55 cases of remains returned 2018-07-27"
    assert agreements_overview(date(2026, 12, 31)).set_index("id").loc["CMA-2018", "later_fate"] == full
    partial = agreements_overview(date(2023, 11, 22)).set_index("id").loc["CMA-2018", "later_fate"]
    assert partial.startswith("South Korea suspended the no-fly-zone clause on 2023-11-22") and "2024" not in partial


def test_undated_clauses_wait_for_the_last_dated_one() -> None:
    text = "never signed it; withdrew in 1994; remains in force"
    assert known_by(text, date(1990, 1, 1)) is None
    assert known_by(text, date(1995, 1, 1)) == text
    assert known_by("in force", date(1960, 1, 1)) == "in force"  # a standing fact, no date to wait for


def test_a_citation_is_dated_by_its_address_too() -> None:
    """The 2003 Beijing talks' row cites an embassy page whose text says 2003-04-25 and whose address 2004-06-12."""
    from detente.kb.asof import cited_dates
    from detente.report.notes import Notes

    row = next(r for r in tables.summits().to_pylist() if r["id"] == "3PT-2003")
    embassy = next(s for s in row["source"].split(" | ") if "china-embassy" in s)
    assert max(mentioned_dates(embassy)) == date(2003, 4, 25) and max(cited_dates(embassy)) == date(2004, 6, 12)
    assert cited_dates("https://www.apnews.com/d5a50a7a7589fdd790748b03033ce31c") == []  # digits, not a date
    notes = Notes(date(2003, 5, 1))
    notes.cite("Summit or talks 3PT-2003", kb=[("summits", "3PT-2003")])
    (note,) = notes.footnotes
    assert "published after the brief's date left out" in note.text
    assert not any("china-embassy" in s for s in note.sources)
    assert Notes(date(2004, 7, 1)).cite("x", kb=[("summits", "3PT-2003")]) is not None
    # a later document named without a date: the 2007 declaration's row cites the PA-X text of the 2018 one
    later = Notes(date(2013, 2, 11))
    later.cite("Agreement OCT4-2007", kb=[("agreements", "OCT4-2007")])
    (oct4,) = later.footnotes
    assert not any("Panmunjom Declaration" in s for s in oct4.sources) and "left out" in oct4.text
    assert date(2018, 4, 27) in cited_dates("PA-X text — https://pax.peaceagreements.org/agreements/2104")


def test_an_intention_beyond_the_texts_writing_is_no_later_fact() -> None:
    """The September 2018 summit's outcome ends with the joint bid for the 2032 Olympics: known in October 2018."""
    outcome = next(r["outcome_summary"] for r in tables.summits().to_pylist() if r["id"] == "IK-2018-3")
    assert known_by(outcome, date(2018, 10, 1)) is None  # without a horizon 2032 dates the clause
    assert known_by(outcome, date(2018, 10, 1), horizon=date(2025, 10, 29)) == outcome
    talks = next(r["outcome_summary"] for r in tables.summits().to_pylist() if r["id"] == "US-1994-GENEVA")
    assert known_by(talks, date(1994, 10, 20), horizon=date(2025, 10, 29)) is None  # the Framework of the 21st
