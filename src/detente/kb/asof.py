"""Curated text as it could have been written on a date: clauses that mention a later date are left out.

The knowledge base's free-text fields (an agreement's ``later_fate``) were written in 2026 and name
what happened after signing. As of an earlier date only the clauses whose every date had passed are
known; a clause without any date cannot be placed in time, so it is known only when the text is read
as of its last dated clause or later (a text without any date states a standing fact and is kept;
decision 059). Dates are read as the last day they can mean: ``2006`` is
2006-12-31, ``October 2002`` 2002-10-31, ``2002-03`` (March 2002, or 2002 to 2003) 2003-12-31.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = ["known_by", "mentioned_dates"]

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


def known_by(text: str | None, as_of: date) -> str | None:
    """The ``;``-separated clauses of ``text`` known on ``as_of`` (None when none is)."""
    if text is None or not isinstance(text, str):
        return None
    clauses = [c.strip() for c in text.split(";") if c.strip()]
    dated = [max(mentioned_dates(c), default=None) for c in clauses]
    last = max((d for d in dated if d is not None), default=None)
    kept = [c for c, d in zip(clauses, dated, strict=True) if (d <= as_of if d else last is None or last <= as_of)]
    return "; ".join(kept) or None
