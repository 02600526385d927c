"""Curated text as it could have been written on a date: clauses that mention a later date are left out.

The knowledge base's free-text fields (an agreement's ``later_fate``) were written in 2026 and name
what happened after signing. As of an earlier date only the clauses whose every date had passed are
known; a clause without any date cannot be placed in time, so it is known only when the text is read
as of its last dated clause or later (a text without any date states a standing fact and is kept;
decision 059). Dates are read as the last day they can mean: ``2006`` is
2006-12-31, ``October 2002`` 2002-10-31, ``2002-03`` (March 2002, or 2002 to 2003) 2003-12-31.

A citation is dated by :func:`cited_dates`: the dates of its text, and those a web address writes
without separators (Yonhap's ``AEN20220105001855325``, the Korea Herald's ``ud=20231219000585``) and
the signing dates of the knowledge base's agreements it names (by name, or by PA-X address): a row of
2007 that cites the PA-X text of the 2018 Panmunjom Declaration, without a date, cites a later text.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import cache

__all__ = ["cited_dates", "known_by", "mentioned_dates"]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PATTERNS = (
    re.compile(r"\b(?P<y>1[89]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b"),  # 2013-03-11
    re.compile(rf"\b(?P<d>[0-3]?\d)\s+(?P<mon>{_MONTH})\.?\s+(?P<y>1[89]\d\d|20\d\d)\b", re.IGNORECASE),  # 24 Sept 1999
    re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?:[0-3]?\d,?\s+)?(?P<y>1[89]\d\d|20\d\d)\b", re.IGNORECASE),  # October 2002
    re.compile(r"\b(?P<y0>1[89]\d\d|20\d\d)[-–](?P<n>\d\d)\b"),  # 2000-07 (a month), 1992-93 (years)
    re.compile(r"\b(?P<y>1[89]\d\d|20\d\d)\b"),  # 1994
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _latest(match: re.Match[str]) -> date:
    g = match.groupdict()
    if g.get("y0"):  # a month or a span of years: the later of the readings
        year, n = int(g["y0"]), int(g["n"])
        readings = [_month_end(year, n)] if 1 <= n <= 12 else []
        if n > year % 100:
            readings.append(date(year // 100 * 100 + n, 12, 31))
        return max(readings, default=date(year, 12, 31))
    year = int(g["y"])
    month = int(g["m"]) if g.get("m") else _MONTHS[g["mon"].lower()] if g.get("mon") else None
    if month is None:
        return date(year, 12, 31)
    if g.get("d"):
        day = int(g["d"])
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return _month_end(year, month)


def mentioned_dates(text: str) -> list[date]:
    """Every date ``text`` mentions, each as the last day it can mean, in order of appearance."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:  # most specific first; a span already read is not read again
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), _latest(m)))
    return [d for _, d in sorted(found)]


_URL = re.compile(r"https?://\S+")
#: YYYYMMDD at the start of a run of digits in an address (more digits may follow: an article number)
_COMPACT = re.compile(r"(?<!\d)(?P<y>19[5-9]\d|20[0-4]\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])")


_PAX = re.compile(r"pax\.peaceagreements\.org/agreements/(\d+)")


@cache
def _agreements() -> tuple[dict[str, date], dict[str, date]]:
    """Signing dates of the knowledge base's agreements by PA-X id and by name."""
    from .tables import agreements

    rows = [r for r in agreements().to_pylist() if r["date_signed"] is not None]
    by_pax = {str(r["pax_id"]): r["date_signed"] for r in rows if r["pax_id"]}
    return by_pax, {r["name"]: r["date_signed"] for r in rows}


def cited_dates(citation: str) -> list[date]:
    """The dates a citation mentions (:func:`mentioned_dates`), those its web addresses write as YYYYMMDD,
    and the signing dates of the knowledge base's agreements it names (by name or PA-X address)."""
    compact = [
        date(int(m["y"]), int(m["m"]), min(int(m["d"]), calendar.monthrange(int(m["y"]), int(m["m"]))[1]))
        for url in _URL.findall(citation)
        for m in _COMPACT.finditer(url)
    ]
    by_pax, by_name = _agreements()
    named = [by_pax[i] for i in _PAX.findall(citation) if i in by_pax]
    named += [day for name, day in by_name.items() if name in citation]
    return mentioned_dates(citation) + compact + named


def known_by(text: str | None, as_of: date, horizon: date | None = None) -> str | None:
    """The ``;``-separated clauses of ``text`` known on ``as_of`` (None when none is).

    With ``horizon`` (when the text was written), a date after it is an intention (a joint bid for the
    2032 Olympics), not later knowledge, and does not date its clause.
    """
    if text is None or not isinstance(text, str):
        return None
    clauses = [c.strip() for c in text.split(";") if c.strip()]
    dated = [max((d for d in mentioned_dates(c) if horizon is None or d <= horizon), default=None) for c in clauses]
    last = max((d for d in dated if d is not None), default=None)
    kept = [c for c, d in zip(clauses, dated, strict=True) if (d <= as_of if d else last is None or last <= as_of)]
    return "; ".join(kept) or None
