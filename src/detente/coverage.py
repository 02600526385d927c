"""The coverage ledger: what each source publishes against what the store holds, with every gap's reason.

Expected units come from the list copies an update keeps (:mod:`detente.update`, decision 064):

- **gdelt2**: one 15-minute slot per quarter hour from the first to the last export the master list
  names within the period (GDELT 2.0 publishes every 15 minutes);
- **gdelt1**: one unit per day from 2013-04-01 (the daily files), per month 2006-01 to 2013-03 (the
  monthly backfiles) and per year 1979 to 2005 (the yearly ones), up to the last day its lists name.

A unit is *held* when the store's manifest (:meth:`detente.store.Store.ingests`) has its file. Every
other unit is a gap with a reason: ``not listed upstream`` (no file for that slot on GDELT's list),
``missing upstream`` (listed, but the server answered 404), ``checksum mismatch``, ``refused at
ingest`` (the store refused the whole file), ``fetch failed`` (network or disk; retried next run)
or ``not fetched yet``. Runs of slots with the same reason and no detail are one gap.

Coverage per month is the fraction of the month's expected units that are held (a yearly backfile
counts once in each of its months), so a quiet month is never mistaken for calm: a month below 1.0
has gaps, and :meth:`Coverage.months` says which.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

import pyarrow as pa

from .sources.fetch import covered_days, read_list_copy
from .store import Store
from .update import SOURCES, downloads_dir, read_log, read_state

__all__ = ["Coverage", "Gap", "GapReason", "MonthCoverage", "SourceCoverage", "coverage"]

GapReason = Literal[
    "not listed upstream", "missing upstream", "checksum mismatch", "refused at ingest", "fetch failed",
    "not fetched yet",
]  # fmt: skip
_REASON_OF_STATE: dict[str, GapReason] = {
    "missing": "missing upstream",
    "mismatch": "checksum mismatch",
    "refused": "refused at ingest",
    "failed": "fetch failed",
}
_SLOT = timedelta(minutes=15)
_V1_DAILY, _V1_MONTHLY = date(2013, 4, 1), date(2006, 1, 1)


@dataclass(frozen=True)
class Gap:
    """Expected units not held, with one reason: ``first``/``last`` are ISO dates or times of the units."""

    source: str
    reason: GapReason
    first: str
    last: str
    names: tuple[str, ...]
    detail: str | None = None

    @property
    def units(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class MonthCoverage:
    """One month of one source: units expected and held."""

    source: str
    month: str  # YYYY-MM
    expected: int
    held: int

    @property
    def fraction(self) -> float:
        return self.held / self.expected if self.expected else 1.0


@dataclass
class SourceCoverage:
    """The ledger of one source over ``start``..``end`` (None when its lists are not kept yet)."""

    source: str
    start: date | None
    end: date | None
    expected: int = 0
    held: int = 0
    gaps: list[Gap] = field(default_factory=list)
    months: list[MonthCoverage] = field(default_factory=list)
    scopes: dict[str, int] = field(default_factory=dict)  # scope key ("" = everything) -> files read under it
    note: str | None = None


@dataclass
class Coverage:
    """Coverage of every source; tables for the CLI, the brief, the dashboard and the API."""

    sources: list[SourceCoverage]

    def gaps_table(self) -> pa.Table:
        """One row per gap: source, reason, first, last, units, the first file name, detail."""
        rows = [
            {"source": g.source, "reason": g.reason, "first": g.first, "last": g.last, "units": g.units,
             "file": g.names[0] if g.names else None, "detail": g.detail}
            for s in self.sources for g in s.gaps
        ]  # fmt: skip
        return pa.Table.from_pylist(rows, schema=_GAPS)

    def months_table(self) -> pa.Table:
        """One row per source and month: expected, held, fraction, has_gaps."""
        rows = [
            {"source": m.source, "month": m.month, "expected": m.expected, "held": m.held,
             "fraction": m.fraction, "has_gaps": m.held < m.expected}
            for s in self.sources for m in s.months
        ]  # fmt: skip
        return pa.Table.from_pylist(rows, schema=_MONTHS)

    def months_with_gaps(self, source: str | None = None) -> list[str]:
        """``YYYY-MM`` of the months (of one source, or any) whose coverage is below 1."""
        found = {m.month for s in self.sources if source in (None, s.source) for m in s.months if m.held < m.expected}
        return sorted(found)


_GAPS = pa.schema(
    [("source", pa.string()), ("reason", pa.string()), ("first", pa.string()), ("last", pa.string()),
     ("units", pa.int64()), ("file", pa.string()), ("detail", pa.string())]
)  # fmt: skip
_MONTHS = pa.schema(
    [("source", pa.string()), ("month", pa.string()), ("expected", pa.int64()), ("held", pa.int64()),
     ("fraction", pa.float64()), ("has_gaps", pa.bool_())]
)  # fmt: skip


@dataclass(frozen=True)
class _Unit:
    """One expected unit: the file that should hold it (None: nothing listed), its label and months."""

    name: str | None
    label: str
    months: tuple[str, ...]


def _months(first: date, last: date) -> tuple[str, ...]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(f"{d:%Y-%m}")
        d = (d + timedelta(days=32)).replace(day=1)
    return tuple(out)


def _v2_units(listed: dict[str, Any], start: date, end: date) -> Iterator[_Unit]:
    stamps = {datetime.strptime(n[:14], "%Y%m%d%H%M%S"): n for n in listed if start <= covered_days(n)[0] <= end}
    if not stamps:
        return
    slot, last = min(stamps), max(stamps)
    while slot <= last:
        yield _Unit(stamps.get(slot), slot.isoformat(timespec="minutes"), (f"{slot:%Y-%m}",))
        slot += _SLOT


def _v1_name(day: date) -> str:
    if day >= _V1_DAILY:
        return f"{day:%Y%m%d}.export.CSV.zip"
    return f"{day:%Y%m}.zip" if day >= _V1_MONTHLY else f"{day:%Y}.zip"


def _v1_units(listed: dict[str, Any], start: date, end: date) -> Iterator[_Unit]:
    days = [covered_days(n) for n in listed]
    days = [d for d in days if d[0] <= end and start <= d[1]]
    if not days:
        return
    day, last = max(start, min(d[0] for d in days)), min(end, max(d[1] for d in days))
    while day <= last:
        name = _v1_name(day)
        first_day, last_day = covered_days(name)
        unit_end = min(last_day, last)
        yield _Unit(name if name in listed else None, first_day.isoformat(), _months(max(first_day, day), unit_end))
        day = unit_end + timedelta(days=1)


def _reason(fact: dict[str, Any] | None) -> tuple[GapReason, str | None]:
    if fact is None:
        return "not fetched yet", None
    state = fact.get("state")
    if state in _REASON_OF_STATE:
        return _REASON_OF_STATE[state], fact.get("error")
    return "not fetched yet", None


def _source(
    store: Store, source: str, log: dict[tuple[str, str], dict[str, Any]], held: set[str], start: date | None,
    end: date | None,
) -> SourceCoverage:  # fmt: skip
    listed = read_list_copy(downloads_dir(store.home, source), SOURCES[source])
    result = SourceCoverage(source, start, end)
    if not listed:
        result.note = f"no list of {source} is kept under {downloads_dir(store.home, source)} yet: run an update first"
        return result
    start = start or min(covered_days(n)[0] for n in listed)
    end = end or max(covered_days(n)[1] for n in listed)
    result.start, result.end = start, end
    units = (_v2_units if SOURCES[source] == 2 else _v1_units)(listed, start, end)
    months: dict[str, list[int]] = {}
    runs: list[list[Any]] = []  # [reason, first, last, names, detail] per gap, built in unit order
    mergeable = False  # the last run may take the next unit (adjacent, same reason, no detail)
    for unit in units:
        have = unit.name is not None and unit.name in held
        for m in unit.months:
            counts = months.setdefault(m, [0, 0])
            counts[0] += 1
            counts[1] += have
        result.expected += 1
        result.held += have
        if have:
            mergeable = False
            continue
        reason, detail = ("not listed upstream", None) if unit.name is None else _reason(log.get((source, unit.name)))
        if mergeable and detail is None and runs[-1][0] == reason:
            runs[-1][2] = unit.label
            runs[-1][3].append(unit.name or unit.label)
        else:
            runs.append([reason, unit.label, unit.label, [unit.name or unit.label], detail])
        mergeable = detail is None
    result.gaps = [Gap(source, r, first, last, tuple(names), detail) for r, first, last, names, detail in runs]
    result.months = [MonthCoverage(source, m, e, h) for m, (e, h) in sorted(months.items())]
    for (src, _name), fact in log.items():
        if src == source and "scope" in fact:
            key = fact["scope"] or ""
            result.scopes[key] = result.scopes.get(key, 0) + 1
    return result


def coverage(
    store: Store, *, sources: Sequence[str] | None = None, start: date | None = None, end: date | None = None
) -> Coverage:
    """The coverage ledger of ``store`` for ``sources`` (default: the configured ones, else all).

    ``start``/``end`` default to the update's first day and last run (else what the lists name).
    """
    state = read_state(store.home)
    config = state.get("config", {})
    chosen = list(sources or config.get("sources") or SOURCES)
    unknown = [s for s in chosen if s not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    first = start or (date.fromisoformat(config["start"]) if "start" in config else None)
    table = store.ingests().select("source", "file_name").to_pyarrow()
    held_all = list(zip(table.column("source").to_pylist(), table.column("file_name").to_pylist(), strict=True))
    log = read_log(store.home)
    out = []
    for source in chosen:
        through = state.get("runs", {}).get(source, {}).get("through")
        last = end or (date.fromisoformat(through) if through else None)
        held = {name for src, name in held_all if src == source}
        out.append(_source(store, source, log, held, first, last))
    return Coverage(out)
