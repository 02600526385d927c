"""Which periods each source covers for a dyad, and so which tension-index components are measured.

Coverage is a property of each source over its own span (decision 057, ``docs/methods.md`` §3):

- a source covers a dyad only if it holds at least one row involving either actor (the CSIS and CNS
  lists concern North Korea; the ACLED sample concerns Myanmar);
- GDELT covers only the days whose files are stored: a file named by its date (``20191024….CSV``,
  ``20130401.export.CSV``) covers that day; a file without a date in its name (an extract) covers
  the span of its rows;
- every other source covers the span of what is stored, its first to its last dated row (the CSIS
  list 1958-02 to 2026-08, CNS 1984-04 to 2023-04, COW MID incidents 1992-01 to 2014-12), so a
  period inside that span without a row of the source is a real zero.

A period is covered when a covered day falls in it. The components read:

- ``material_conflict``, ``verbal_conflict``, ``hostility``, ``cooperation`` — the machine-coded
  event data (every source but the curated ones; the ``sources`` asked for, when given);
- ``severity`` — the exhaustive curated lists :data:`INCIDENT_LISTS` (the knowledge base's timeline
  is a selection of notable events: it adds incidents but vouches for no month);
- ``drills`` — the US–ROK exercise table, from its first to its last exercise, for the dyads it
  concerns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import ibis.expr.types as ir
import pandas as pd

from ..dyad import Dyad
from .incidents import CURATED_SOURCES
from .military import exercise_days, exercise_table_applies
from .series import period_spine

__all__ = ["DYADIC_COMPONENTS", "INCIDENT_LISTS", "covered_components", "reading", "source_spans"]

#: curated lists that record every incident of their scope (a month without a row is a real zero)
INCIDENT_LISTS = ("csis", "cns", "cow_mid")
#: the components read from the dyad's machine-coded events
DYADIC_COMPONENTS = ("material_conflict", "verbal_conflict", "hostility", "cooperation")
_DAY_FILE = re.compile(r"^(\d{8})")


def source_spans(events: ir.Table, actors: Sequence[str]) -> dict[str, list[tuple[date, date]]]:
    """Source → the day ranges it covers for a dyad of ``actors`` (sources without their rows omitted)."""
    codes = list(actors)
    t = events.filter(events.date.notnull())
    touches = (t.actor1_country.isin(codes) | t.actor2_country.isin(codes)).cast("int64")
    files = (
        t.group_by(["source", "source_file"])
        .aggregate(first=t.date.min(), last=t.date.max(), touches=touches.max())
        .to_pandas()
    )
    spans: dict[str, list[tuple[date, date]]] = {}
    for source, group in files.groupby("source"):
        if not group["touches"].fillna(0).astype(int).any():
            continue
        firsts = [pd.Timestamp(x).date() for x in group["first"]]
        lasts = [pd.Timestamp(x).date() for x in group["last"]]
        if str(source).startswith("gdelt"):
            ranges = []
            for name, lo, hi in zip(group["source_file"], firsts, lasts, strict=True):
                day = _DAY_FILE.match(str(name or ""))
                stamp = pd.to_datetime(day.group(1), format="%Y%m%d", errors="coerce") if day else pd.NaT
                ranges.append((lo, hi) if pd.isna(stamp) else (stamp.date(), stamp.date()))
            spans[str(source)] = sorted(ranges)
        else:
            spans[str(source)] = [(min(firsts), max(lasts))]
    return spans


def _covered(periods: Sequence[date], freq: str, ranges: Sequence[tuple[date, date]]) -> list[bool]:
    """For each period start: does any of the day ranges reach into the period?"""
    hit = {p for lo, hi in ranges for p in period_spine(lo, hi, freq)}
    return [p in hit for p in periods]


def covered_components(
    events: ir.Table, dyad: Dyad, freq: str, periods: Sequence[date], sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """One boolean column per component (plus ``period``): is the component measured in the period?"""
    spans = source_spans(events, [dyad.a, dyad.b])
    coded = [s for s in spans if (s in sources if sources else s not in CURATED_SOURCES)]
    frame = pd.DataFrame({"period": list(periods)})
    dyadic = _covered(periods, freq, [r for s in coded for r in spans[s]])
    for c in DYADIC_COMPONENTS:
        frame[c] = dyadic
    frame["severity"] = _covered(periods, freq, [r for s in INCIDENT_LISTS for r in spans.get(s, [])])
    table: list[tuple[date, date]] = []
    if exercise_table_applies(dyad):
        days = exercise_days()
        held = days.loc[days["weight"] > 0, "day"]
        table = [(min(held), max(held))] if len(held) else []
    frame["drills"] = _covered(periods, freq, table)
    return frame


def reading(covered: dict[str, bool]) -> str | None:
    """What a period's index rests on: ``full``, ``incidents-only``, ``events-only``, ``drills-only`` or None."""
    events, incidents = any(covered[c] for c in DYADIC_COMPONENTS), covered["severity"]
    if events and incidents:
        return "full"
    if incidents:
        return "incidents-only"
    if events:
        return "events-only"
    return "drills-only" if covered["drills"] else None
