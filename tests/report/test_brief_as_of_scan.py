"""A brief as of a date names no later date, event or input anywhere in its Markdown (issue 15 item 1).

Each brief is built once for the module on the real data (no Monte Carlo). A mention counts as later
when the last day it can mean is after the brief's date (a mention of the brief's own month or year is
not later) and not after the data's last event: later years than that are intentions and codes (the
2032 Olympic bid of 2018, PA-X ids), not knowledge. Knowledge-base keys of the brief's year or
earlier are names, not dates. The forecast table is about the months after the
brief's date by design and is left out of the scan. A web address dates a citation too when it writes
the date without separators (``AEN20210727005300315``: 2021-07-27), so a row effective earlier that
cites a later article is caught. The brief writes a month as ``YYYY-MM`` (a span of years with four
digits each), so ``2000-06`` in it is June 2000, not 2000 to 2006. The dates spread from 1990 to
2022, each the eve of a turn (the Agreed Framework, the first summit, the first nuclear test, the
third, Panmunjom 2018); the briefs are Markdown only, on one store, in one xdist group.
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
    date(1990, 6, 30): ("Basic Agreement", "Agreed Framework", "KEDO", "Six-Party", "Hanoi", "Panmunjom Declaration"),
    date(1994, 10, 20): ("Agreed Framework", "KEDO", "Six-Party", "June 15th", "Hanoi"),
    date(2000, 6, 12): ("June 15th", "US–DPRK Joint Communiqué", "Six-Party", "Pyongyang Declaration", "Hanoi"),
    date(2006, 10, 8): ("February 13 agreement", "October 4 Declaration", "Cheonan", "Yeonpyeong", "Leap Day",
                        "Hanoi"),
    date(2010, 6, 30): ("Hanoi", "Singapore summit", "Comprehensive Military Agreement", "2018 Korean texts",
                        "2024", "2025", "2026"),
    date(2013, 2, 11): ("Panmunjom Declaration", "Singapore Summit", "Singapore summit", "Hanoi",
                        "Comprehensive Military Agreement", "Washington Declaration"),
    date(2018, 4, 26): ("Panmunjom Declaration", "Singapore Summit", "Singapore summit", "Hanoi",
                        "Comprehensive Military Agreement", "Pyongyang Joint Declaration", "Washington Declaration"),
    date(2019, 1, 1): ("Hanoi", "2024", "2025", "2026"),
    date(2022, 1, 1): ("Washington Declaration", "Comprehensive Strategic Partnership", "Hwasong-18", "Hwasong-19",
                       "Freedom Edge"),
}  # fmt: skip
pytestmark = pytest.mark.xdist_group("brief-as-of")
#: a knowledge-base key such as 6PT-HOD-2008-12 (whose "2008-12" reads as 2008 to 2012)
_KEY = re.compile(r"\b[A-Z0-9]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-(\d{4})(?:-\d{1,2})*\b")
#: a date written YYYYMMDD at the start of a run of digits inside a web address
_URL = re.compile(r"https?://\S+")
_COMPACT = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_FORECAST = re.compile(r"^(\| (missile|major|clash|nuclear)\w*: |Probability of each target)", re.M)


@pytest.fixture(scope="module", params=list(LATER_NAMES), ids=str)
def dated(request: pytest.FixtureRequest, full_store: Store) -> tuple[date, str]:
    as_of: date = request.param
    brief = build_brief(full_store, as_of, runs=0, perm=200, forecast_origins=FORECAST_ORIGINS)
    return as_of, render_markdown(brief, "brief_files")


def _own_periods(as_of: date) -> set[date]:
    return {date(as_of.year, as_of.month, calendar.monthrange(as_of.year, as_of.month)[1]), date(as_of.year, 12, 31)}


#: a month as the brief writes it (YYYY-MM, not the start of a YYYY-MM-DD date)
_MONTH = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])\b(?!-[0-3]\d\b)")


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _later_lines(as_of: date, markdown: str, data_end: date) -> list[str]:
    out = []
    for line in markdown.splitlines():
        if _FORECAST.match(line):
            continue
        line = _KEY.sub(lambda m: "KEY" if int(m[1]) <= as_of.year else m[0], line)  # a later key stays
        line = _MONTH.sub(lambda m: f"{calendar.month_name[int(m[2])]} {m[1]}", line)
        compact = [_day(*map(int, ymd)) for url in _URL.findall(line) for ymd in _COMPACT.findall(url)]
        said = [*mentioned_dates(line), *compact]
        later = [d for d in said if as_of < d <= data_end and d not in _own_periods(as_of)]
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
