"""Reader for the curated Korea timeline (``korea-facts/events.csv`` layout).

Each row names one or more actors and targets (ISO3 or ``UN``, ``;``-separated). A row becomes one
event per (actor, target) pair; a joint row with several actors and no target (a summit, talks)
becomes one event per pair of actors. ``event_type`` maps to CAMEO through
``ontology/data/kb_cameo.csv``; the curated ``confidence`` is kept.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from itertools import combinations
from pathlib import Path

import duckdb

from ..ontology import CameoCoding, source_cameo
from .base import (
    Reader,
    ReadResult,
    Sample,
    SourceError,
    bad_encoding,
    csv_records,
    decode_text,
    first_url,
    open_bytes,
    rows_table,
)

__all__ = ["KoreaFactsEvents"]

HEADER = [
    "date", "date_precision", "actor", "target", "event_type", "description", "casualties", "source", "confidence"
]
_KILLED = re.compile(r"^(\d+) killed$")


def _parse_date(value: str, precision: str) -> date:
    parts = value.split("-")
    expected = {"day": 3, "month": 2, "year": 1}.get(precision)
    if expected is None:
        raise ValueError(f"unknown date_precision {precision!r}")
    if len(parts) != expected:
        raise ValueError(f"date {value!r} does not match precision {precision!r}")
    y, m, d = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    return date(y, m, d)


def _pairs(actors: list[str], targets: list[str]) -> list[tuple[str, str | None]]:
    if targets:
        return [(a, t) for a in actors for t in targets]
    if len(actors) > 1:
        return list(combinations(actors, 2))
    return [(actors[0], None)]


class KoreaFactsEvents(Reader):
    """The curated timeline of the Korea fact base."""

    name = "korea-facts"
    source = "kb"
    description = "Curated Korea timeline CSV (date, date_precision, actor, target, event_type, ..., confidence)"

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return sample.first.strip().lstrip("\ufeff").split(",") == HEADER

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        text = decode_text(open_bytes(path))
        records = csv_records(text)
        _, _, header = next(records, (1, "", []))
        if header != HEADER:
            raise SourceError(f"{path.name}: header is not the korea-facts events layout")
        mapping = source_cameo("kb_cameo.csv", "event_type")
        rows: list[dict[str, object]] = []
        n = 0
        for line, raw, fields in records:
            n += 1
            base = {"source": self.source, "source_file": path.name, "source_line": line, "raw": raw}
            try:
                rows.extend(self._events(fields, raw, base, mapping))
            except ValueError as exc:
                rows.append({**base, "reject_reason": str(exc)})
        return ReadResult(rows_table(rows), n)

    def _events(
        self, fields: list[str], raw: str, base: dict[str, object], mapping: dict[tuple[str, ...], CameoCoding]
    ) -> list[dict[str, object]]:
        if reason := bad_encoding(raw):
            raise ValueError(reason)
        if len(fields) != len(HEADER):
            raise ValueError(f"expected {len(HEADER)} fields, found {len(fields)}")
        r = dict(zip(HEADER, fields, strict=False))
        when = _parse_date(r["date"], r["date_precision"])
        kind = mapping.get((r["event_type"],))
        if kind is None:
            raise ValueError(f"unknown event_type {r['event_type']!r}")
        actors = [a.strip() for a in r["actor"].split(";") if a.strip()]
        targets = [t.strip() for t in r["target"].split(";") if t.strip()]
        if not actors:
            raise ValueError("no actor")
        digest = hashlib.sha1(f"{r['date']}|{r['event_type']}|{r['description']}".encode()).hexdigest()[:10]
        killed = _KILLED.match(r["casualties"].strip())
        description = r["description"] + (f" [casualties: {r['casualties']}]" if r["casualties"] else "")
        pairs = _pairs(actors, targets)
        out = []
        for a, t in pairs:
            suffix = "" if len(pairs) == 1 else f":{a}-{t or ''}"
            out.append({
                **base,
                "event_id": f"kb:{r['date']}-{digest}{suffix}",
                "date": when,
                "date_precision": r["date_precision"],
                "actor1_code": a, "actor1_country": a, "actor2_code": t, "actor2_country": t,
                **kind.fields(),
                "fatalities": int(killed.group(1)) if killed else None,
                "original_type": r["event_type"],
                "description": description,
                "url": first_url(r["source"]),
                "confidence": r["confidence"] or None,
            })
        return out


READERS = [KoreaFactsEvents]
