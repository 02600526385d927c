"""A brief as of a date names no later date, event or input anywhere in its Markdown (issue 15 item 1).

Each brief is built once for the module on the real data (no Monte Carlo). A mention counts as later
when the last day it can mean is after the brief's date (a mention of the brief's own month or year is
not later) and not after the data's last event: later years than that are intentions and codes (the
2032 Olympic bid of 2018, PA-X ids), not knowledge. Knowledge-base keys of the brief's year or
earlier are names, not dates. The forecast table is about the months after the
brief's date by design and is left out of the scan.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from shared_build import FORECAST_ORIGINS

from detente import Store
from detente.kb.asof import mentioned_dates
from detente.report import build_brief, render_markdown

#: as-of date -> names of events after it that a brief of that date must not mention
LATER_NAMES = {
    date(2019, 1, 1): ("Hanoi", "2024", "2025", "2026"),
    date(2010, 6, 30): ("Hanoi", "Singapore summit", "Comprehensive Military Agreement", "2018 Korean texts",
                        "2024", "2025", "2026"),
}  # fmt: skip
#: a knowledge-base key such as 6PT-HOD-2008-12 (whose "2008-12" reads as 2008 to 2012)
_KEY = re.compile(r"\b[A-Z0-9]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-(\d{4})(?:-\d{1,2})*\b")
_FORECAST = re.compile(r"^(\| (missile|major|clash|nuclear)\w*: |Probability of each target)", re.M)


@pytest.fixture(scope="module", params=list(LATER_NAMES), ids=str)
def dated(request: pytest.FixtureRequest, full_store: Store) -> tuple[date, str]:
    as_of: date = request.param
    brief = build_brief(full_store, as_of, runs=0, perm=200, forecast_origins=FORECAST_ORIGINS)
    return as_of, render_markdown(brief, "brief_files")


def _own_periods(as_of: date) -> set[date]:
    return {date(as_of.year, as_of.month, calendar.monthrange(as_of.year, as_of.month)[1]), date(as_of.year, 12, 31)}


def _later_lines(as_of: date, markdown: str, data_end: date) -> list[str]:
    out = []
    for line in markdown.splitlines():
        if _FORECAST.match(line):
            continue
        line = _KEY.sub(lambda m: "KEY" if int(m[1]) <= as_of.year else m[0], line)  # a later key stays
        later = [d for d in mentioned_dates(line) if as_of < d <= data_end and d not in _own_periods(as_of)]
        if later:
            out.append(f"{later[0]}: {line[:200]}")
    return out


def test_the_brief_mentions_no_later_date(dated: tuple[date, str], full_store: Store) -> None:
    as_of, markdown = dated
    data_end = full_store.events().date.max().to_pyarrow().as_py()
    assert _later_lines(as_of, markdown, data_end) == []


def test_the_brief_names_no_later_event(dated: tuple[date, str]) -> None:
    as_of, markdown = dated
    assert [n for n in LATER_NAMES[as_of] if re.search(rf"\b{n}\b", markdown)] == []  # not inside an id


def test_later_coded_inputs_are_left_out_and_said_so(dated: tuple[date, str]) -> None:
    _, markdown = dated
    assert "were coded after this brief's date" in markdown
    assert "Bargaining predictions" not in markdown and "Gaps between the parties" not in markdown
