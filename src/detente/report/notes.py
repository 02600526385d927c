"""Footnotes: every number in the brief points to the stored events, rows and sources behind it.

:class:`Notes` hands out footnote numbers in order of first use (the same evidence gets the same
number) and, at the end, :meth:`Notes.resolve` looks every event id and every stored record (a row
of a side table, :data:`RECORD_KEYS`) up in the store: each footnote then says how many events of
which source and file it rests on, and lists any id or record the store does not hold (the tests
require none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from .model import Footnote, Inline, Ref, SourceCount, Text

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["KB_KEYS", "RECORD_KEYS", "Notes", "exercise_key", "kb_key", "kb_rows_of"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def exercise_key(year: int, name: str) -> str:
    """Key of an exercise row: ``2024:freedom-shield`` (the indicators' ``exercise:`` ids without the prefix)."""
    return f"{year}:{_slug(name)}"


#: How a row of each knowledge-base table is named in footnotes.
KB_KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "agreements": lambda r: str(r["id"]),
    "summits": lambda r: str(r["id"]),
    "sanctions": lambda r: str(r["id"]),
    "cbm": lambda r: str(r["id"]),
    "provisions": lambda r: str(r["provision_id"]),
    "transitions": lambda r: f"{r['provision_id']}:{r['date']}:{r['status']}",
    "leaders": lambda r: f"{r['country']}:{r['name']}:{r['term_start']}",
    "hotlines": lambda r: f"{r['date']}:{_slug(r['line'])}:{r['event']}",
    "exercises": lambda r: exercise_key(r["year"], r["name"]),
    "missile_tests_by_year": lambda r: f"{r['year']}:{_slug(r['source_name'])}",
}


#: Side tables of the store whose rows footnotes cite: the key column and the source that fills the table.
RECORD_KEYS: dict[str, tuple[str, str]] = {
    "agreements": ("AgtId", "pax"),
    "conflict_years": ("conflict_id", "ucdp"),
    "mid_dispute_participants": ("dispnum", "cow_mid"),
}


def kb_key(table: str, row: dict[str, Any]) -> str:
    """The footnote key of ``row`` of knowledge-base ``table``."""
    return KB_KEYS[table](row)


def kb_rows_of(table: str) -> dict[str, dict[str, Any]]:
    """Every row of a shipped knowledge-base table by its key."""
    from ..kb import tables

    return {kb_key(table, r): r for r in tables.load(table).to_pylist()}


def _split_sources(text: str | None) -> list[str]:
    return [s.strip() for s in (text or "").split(" | ") if s.strip()]


class Notes:
    """Numbered footnotes of one brief; as of a date, a source that names a later date is left out (and counted)."""

    def __init__(self, as_of: date | None = None) -> None:
        self.as_of = as_of
        self._notes: list[Footnote] = []
        self._index: dict[tuple[Any, ...], int] = {}
        self._kb: dict[str, dict[str, dict[str, Any]]] = {}

    def kb_row(self, table: str, key: str) -> dict[str, Any]:
        """A knowledge-base row by table and key (KeyError if absent)."""
        if table not in self._kb:
            self._kb[table] = kb_rows_of(table)
        return self._kb[table][key]

    def cite(
        self,
        text: str,
        *,
        events: Iterable[str] = (),
        kb: Iterable[tuple[str, str]] = (),
        sources: Iterable[str] = (),
        query: str | None = None,
        records: Iterable[tuple[str, str]] = (),
    ) -> Ref:
        """A reference to the footnote for this evidence (a new number unless the same evidence was cited).

        ``records``: ``(table, key)`` rows of the store's side tables (:data:`RECORD_KEYS`).
        """
        event_ids = tuple(sorted(set(events)))
        stored = tuple(dict.fromkeys(records))
        unknown = sorted({t for t, _ in stored} - set(RECORD_KEYS))
        if unknown:
            raise ValueError(f"footnote {text!r} cites rows of {unknown}; known tables: {sorted(RECORD_KEYS)}")
        kb_rows = tuple(dict.fromkeys(kb))
        cited = list(sources)
        for table, key in kb_rows:
            cited.extend(_split_sources(self.kb_row(table, key).get("source")))
        srcs = tuple(dict.fromkeys(cited))
        later = tuple(c for c in srcs if self._later(c))
        if later:  # a source published after the brief's date was not known on it
            srcs = tuple(c for c in srcs if c not in later)
            text = f"{text} ({len(later)} source(s) published after the brief's date left out)"
            if not (event_ids or kb_rows or srcs):
                srcs = ("every source of this note was published after the brief's date",)
        if not (event_ids or kb_rows or srcs):
            raise ValueError(f"footnote {text!r} cites no event, row or source")
        key_ = (text, event_ids, kb_rows, srcs, query, stored)
        if key_ not in self._index:
            self._index[key_] = len(self._notes) + 1
            self._notes.append(Footnote(len(self._notes) + 1, text, event_ids, kb_rows, srcs, query, records=stored))
        return Ref(self._index[key_])

    def _later(self, source: str) -> bool:
        from ..kb.asof import cited_dates

        return self.as_of is not None and any(d > self.as_of for d in cited_dates(source))

    def number(self, value: str, text: str, **evidence: Any) -> list[Inline]:
        """``value`` followed by its footnote reference."""
        return [Text(value), self.cite(text, **evidence)]

    @property
    def footnotes(self) -> list[Footnote]:
        """The footnotes so far, in number order."""
        return list(self._notes)

    def resolve(self, events: ir.Table, tables: Mapping[str, ir.Table] | None = None) -> list[Footnote]:
        """Look every cited event id up in ``events`` and every record up in ``tables`` (the store's side tables
        by name); fill ``by_source`` and ``missing`` of each footnote."""
        ids = sorted({i for n in self._notes for i in n.event_ids})
        found = _lookup(events, ids)
        held = _held({r for n in self._notes for r in n.records}, tables)
        out = []
        for n in self._notes:
            rows = found[found["event_id"].isin(n.event_ids)] if n.event_ids else found.iloc[0:0]
            missing = sorted(set(n.event_ids) - set(rows["event_id"]))
            missing += [f"{t} {k}" for t, k in n.records if (t, k) not in held]
            out.append(replace(n, by_source=_by_source(rows), missing=tuple(missing)))
        self._notes = out
        return out


def _held(records: set[tuple[str, str]], tables: Mapping[str, ir.Table] | None) -> set[tuple[str, str]]:
    """The cited ``(table, key)`` records that ``tables`` hold (a table absent from it holds nothing)."""
    held: set[tuple[str, str]] = set()
    for table in sorted({t for t, _ in records} & set(tables or {})):
        keys = sorted(k for t, k in records if t == table)
        rows = (tables or {})[table]
        column = RECORD_KEYS[table][0]
        values = rows.filter(rows[column].cast("string").isin(keys)).select(column).distinct().to_pandas()[column]
        held |= {(table, str(v)) for v in values}
    return held


def _lookup(events: ir.Table, ids: list[str]) -> pd.DataFrame:
    cols = ["event_id", "source", "source_file", "date"]
    if not ids:
        return pd.DataFrame(columns=cols)
    parts = []
    for i in range(0, len(ids), 5000):
        chunk = ids[i : i + 5000]
        parts.append(events.filter(events.event_id.isin(chunk)).select(cols).to_pandas())
    frame = pd.concat(parts, ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame.drop_duplicates("event_id")


def _by_source(rows: pd.DataFrame) -> tuple[SourceCount, ...]:
    out = []
    for source, g in rows.groupby("source", sort=True):
        first: date | None = min(g["date"]) if len(g) else None
        last: date | None = max(g["date"]) if len(g) else None
        out.append(SourceCount(str(source), len(g), tuple(sorted(set(g["source_file"]))), first, last))
    return tuple(sorted(out, key=lambda s: (-s.events, s.source)))
