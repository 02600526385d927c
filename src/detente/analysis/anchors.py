"""Event sets for event studies, from the knowledge base: exercises, summits, sanctions, leaders.

Each function returns a DataFrame with ``name``, ``start``, ``end`` (``None`` when the event has
no span) and ``source_id`` (the knowledge-base row), sorted by ``start``. Only day-precision dates
are used, so no window is placed on an invented day. :func:`spring_exercises` is the sourced table
of spring US–ROK exercises 2005–2016 shipped with this package for the CSIS Beyond Parallel
replication (``data/spring_exercises_2005_2016.csv``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from importlib import resources
from types import MappingProxyType

import pandas as pd
import pyarrow as pa

from ..kb import tables

__all__ = [
    "ANCHOR_SETS",
    "SPRING_TABLE",
    "anchor_set",
    "exercises",
    "inaugurations",
    "leadership_changes",
    "sanctions",
    "spring_exercises",
    "summits",
]

#: layout of the shipped spring-exercise table (validated like the knowledge base's tables)
SPRING_TABLE = tables.KbTable(
    "spring_exercises_2005_2016.csv",
    "US-ROK spring exercises (RSOI/Key Resolve and Foal Eagle) 2005-2016, start and end of the season",
    (
        ("year", pa.int32()),
        ("name", pa.string()),
        ("start", pa.date32()),
        ("start_precision", pa.string()),
        ("end", pa.date32()),
        ("status", pa.string()),
        ("source", pa.string()),
        ("confidence", pa.string()),
        ("note", pa.string()),
    ),
    precision={"start": "start_precision"},
    choices={"status": ("held",)},
)
_COLUMNS = ["name", "start", "end", "source_id"]
_SUMMITS = ("inter-Korean summit", "US–DPRK summit", "US–DPRK summit (meeting)")


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def spring_exercises() -> pd.DataFrame:
    """The spring exercise seasons 2005–2016 with ``year``, ``start_precision``, ``source`` and ``note``."""
    text = resources.files(__package__).joinpath("data", SPRING_TABLE.file).read_text("utf-8")
    frame = tables.parse_table(SPRING_TABLE, text).to_pandas()
    frame["source_id"] = [f"spring:{y}" for y in frame["year"]]
    frame["end"] = frame["end"].astype(object).where(frame["end"].notna(), None)
    return frame


def exercises(merge_days: int = 14) -> pd.DataFrame:
    """US–ROK exercises held or scaled down (knowledge base), plus the spring seasons 2005–2016.

    Exercises starting within ``merge_days`` of each other form one anchor (a season such as Key
    Resolve with Foal Eagle), from the first start to the last end.
    """
    rows = [
        {
            "name": f"{r['name']} {r['year']}",
            "start": r["start"],
            "end": r["end"],
            "source_id": f"exercises:{r['year']}:{r['name']}",
        }
        for r in tables.exercises().to_pylist()
        if r["status"] in ("held", "scaled_down") and r["start_precision"] == "day"
    ]
    spring = spring_exercises()
    rows += [
        {"name": r.name, "start": r.start, "end": r.end, "source_id": r.source_id}
        for r in spring.itertuples()
        if r.start_precision == "day"
    ]
    return _merge(_frame(rows), merge_days)


def _merge(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    merged: list[dict[str, object]] = []
    for r in frame.itertuples(index=False):
        last = merged[-1] if merged else None
        if last is not None and r.start - last["start"] <= timedelta(days=days):
            ends: list[date] = [e for e in (last["end"], r.end) if isinstance(e, date)]
            last["end"] = max(ends) if ends else None
            last["name"] = f"{last['name']} + {r.name}"
            last["source_id"] = f"{last['source_id']};{r.source_id}"
        else:
            merged.append(r._asdict())
    return _frame(merged)


def summits(kinds: tuple[str, ...] = _SUMMITS) -> pd.DataFrame:
    """Inter-Korean and US–DPRK summits (held; day precision)."""
    rows = [
        {"name": r["id"], "start": r["date_start"], "end": r["date_end"], "source_id": f"summits:{r['id']}"}
        for r in tables.summits().to_pylist()
        if r["kind"] in kinds and r["date_precision"] == "day"
    ]
    return _frame(rows)


def sanctions() -> pd.DataFrame:
    """UN Security Council sanctions resolutions on the DPRK (adopted, not vetoed drafts)."""
    rows = [
        {"name": r["id"], "start": r["date"], "end": None, "source_id": f"sanctions:{r['id']}"}
        for r in tables.sanctions().to_pylist()
        if r["kind"] == "resolution"
    ]
    return _frame(rows)


def inaugurations() -> pd.DataFrame:
    """Inaugurations of ROK presidents (acting presidents excluded)."""
    rows = [
        {"name": r["name"], "start": r["term_start"], "end": None, "source_id": f"leaders:KOR:{r['name']}"}
        for r in tables.leaders().to_pylist()
        if r["country"] == "KOR" and r["role"] == "president"
    ]
    return _frame(rows)


def leadership_changes() -> pd.DataFrame:
    """ROK inaugurations and DPRK successions (the first DPRK leader's start, 1948, is left out)."""
    rows = inaugurations().to_dict("records")
    leaders = [r for r in tables.leaders().to_pylist() if r["country"] == "PRK" and r["role"] == "leader"]
    rows += [
        {"name": r["name"], "start": r["term_start"], "end": None, "source_id": f"leaders:PRK:{r['name']}"}
        for r in sorted(leaders, key=lambda r: r["term_start"])[1:]
    ]
    return _frame(rows)


def _spring_days() -> pd.DataFrame:
    spring = spring_exercises()
    return spring[spring["start_precision"] == "day"][_COLUMNS].reset_index(drop=True)


#: named event sets (CLI ``--events``)
ANCHOR_SETS: Mapping[str, Callable[[], pd.DataFrame]] = MappingProxyType(
    {
        "exercises": exercises,
        "spring-exercises": _spring_days,
        "summits": summits,
        "sanctions": sanctions,
        "inaugurations": inaugurations,
        "leadership": leadership_changes,
    }
)


def anchor_set(name: str) -> pd.DataFrame:
    """One of :data:`ANCHOR_SETS` by name; ValueError listing the names otherwise."""
    if name not in ANCHOR_SETS:
        raise ValueError(f"unknown event set {name!r}: use one of {', '.join(ANCHOR_SETS)}")
    return ANCHOR_SETS[name]()
