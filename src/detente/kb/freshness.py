"""How far each knowledge-base table reaches, and which ones end before the data's date (stale).

Two kinds of table. *Calendars* hold a row for every year they cover (the exercise calendar, the
yearly launch counts): a year without rows means the table was not updated, so a calendar is stale
once the data's date is more than ``grace`` days past the end of its last year. *Logs* (agreements,
summits, hotline events, sanctions, …) hold a row only when something happened: a quiet year leaves
no row, so a log is never called stale from its dates alone (decision 069).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from . import tables

__all__ = ["CALENDARS", "TRACKER_TABLES", "StaleTable", "data_date", "stale_tables", "table_ends"]

#: tables with rows for every year they cover
CALENDARS = ("exercises", "missile_tests_by_year")
#: the tables the agreement tracker reads
TRACKER_TABLES = ("agreements", "provisions", "transitions")


@dataclass(frozen=True)
class StaleTable:
    """A calendar whose data end before ``as_of``.

    ``covers_to`` is its last year's end, ``last_row`` its latest date.
    """

    name: str
    last_row: date
    covers_to: date
    as_of: date

    def __str__(self) -> str:
        return (f"the {self.name} table ends in {self.covers_to.year} (last row {self.last_row}), "
                f"before the data's date {self.as_of}")  # fmt: skip


def table_ends() -> dict[str, date]:
    """The latest date in each table with date columns."""
    out = {}
    for name in tables.TABLES:
        t = tables.load(name)
        days = [d for f in t.schema if pa.types.is_date(f.type) if (d := pc.max(t[f.name]).as_py()) is not None]
        if days:
            out[name] = max(days)
    return out


def data_date(names: Sequence[str] | None = None) -> date:
    """The knowledge base's "now": the latest date in the tables ``names`` (default every dated table)."""
    ends = table_ends()
    return max(d for n, d in ends.items() if names is None or n in names)


def stale_tables(as_of: date, grace: int = 90) -> list[StaleTable]:
    """The calendars whose last year ended more than ``grace`` days before ``as_of`` (the data's date)."""
    ends, out = table_ends(), []
    for name in CALENDARS:
        covers = date(pc.max(tables.load(name)["year"]).as_py(), 12, 31)
        if as_of > covers + timedelta(days=grace):
            out.append(StaleTable(name, ends.get(name, covers), covers, as_of))
    return out
