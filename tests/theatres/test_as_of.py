"""As of a date the lessons know only the agreements signed and the years ended by then (issue 15 item 1)."""

from __future__ import annotations

import re
from datetime import date

from detente import Store
from detente.theatres import Record
from detente.theatres.views import lessons_brief

AS_OF = date(2019, 1, 1)
_YEAR = re.compile(r"(?<![\w.-])(19\d\d|20\d\d)(?![\w])")
_PAX_ID = re.compile(r"\d+\[\^pax-\d+\]|\[\^pax-\d+\]|AgtId \d+")  # PA-X agreement ids, not years


def test_the_record_as_of_a_date_holds_nothing_later(record: Record) -> None:
    cut = record.known_on(AS_OF)
    assert max(cut.agreements["date"]) <= AS_OF < max(record.agreements["date"])
    assert cut.conflict_years["year"].max() == 2018 and record.conflict_years["year"].max() == 2021
    assert max(cut.mid_incidents["date"]) <= AS_OF
    assert cut.coverage.ucdp == (1946, 2018) and cut.coverage.pax[1] == 2019
    assert (cut.mid_disputes["end_year"] <= 2018).all()


def test_the_lessons_section_as_of_2019_names_no_later_year(real_store: Store) -> None:
    text = _PAX_ID.sub("", lessons_brief(real_store, as_of=AS_OF))
    later = sorted({y for y in _YEAR.findall(text) if int(y) > AS_OF.year})
    assert not later, later
    assert "2021" in lessons_brief(real_store)  # without the cut, UCDP's 2021 is named
