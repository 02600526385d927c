"""CSIS Beyond Parallel "Database of North Korean Provocations" (scraped CSV).

Five columns ``date,type,event,description,resources``, UTF-8, newest first. Conventions:

- The source has no id. ``event_id`` is ``csis:<date>:<event slug>:<hash>`` where the hash is the
  first 8 hex digits of SHA-256 over the description with whitespace collapsed, e.g.
  ``csis:2017-09-03:nuclear-test:1c0e6f5a``. It depends only on the row's content, so it survives
  re-ordering and re-scrapes; a row whose description CSIS edits gets a new id.
- ``original_type`` keeps both source fields as ``"<type>: <event>"``
  (``"Nuclear Provocation: Nuclear Test"``).
- ``event`` (and ``type`` where CSIS files the same event under two types) is mapped to CAMEO and a
  category by ``ontology/data/csis_cameo.csv``; a row whose ``type`` is not listed uses the ``*`` row.
- ``actor1`` is North Korea; the target and the place are not coded (they are only in the text).
- ``url`` is the first URL in ``resources``. Some cells run a URL into the next text without a
  separator (``https://goo.gl/Xn9Wr4The US Military Experience ...``, ``...idUSBREA1Q0U520140227Video:https://...``):
  goo.gl short links are cut after their 6-character key, a URL is cut where a second ``http``
  starts, and a glued trailing ``Video``/``Video:``/``The`` (the start of the next text) is dropped.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import ClassVar

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
    field_problem,
    first_url,
    open_bytes,
    rows_table,
)

__all__ = ["READERS", "CsisReader", "csis_event_id", "csis_url"]

HEADER = ("date", "type", "event", "description", "resources")
_GOO_GL = re.compile(r"(https?://goo\.gl/[A-Za-z0-9]{6})[A-Za-z]")
_GLUED_TEXT = re.compile(r"(?<=[a-z0-9/])(?:Video:?|The)$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def csis_event_id(day: str, event: str, description: str) -> str:
    """Stable id from the row's content: date, event slug and a short description hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", event.lower()).strip("-")
    digest = hashlib.sha256(" ".join(description.split()).encode("utf-8")).hexdigest()[:8]
    return f"csis:{day}:{slug}:{digest}"


def csis_url(resources: str) -> str | None:
    """First URL in a resources cell, with the glued-text quirks undone (see module docs)."""
    url = first_url(resources)
    if url is None:
        return None
    if m := _GOO_GL.match(url):
        return m[1]
    second = url.find("http", 1)
    if second > 0:
        url = url[:second]
    return _GLUED_TEXT.sub("", url)


def _iso_date(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date, else None (ISO week or basic forms are not accepted)."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _coding(mapping: dict[tuple[str, ...], CameoCoding], kind: str, event: str) -> CameoCoding | None:
    return mapping.get((kind, event)) or mapping.get(("*", event))


class CsisReader(Reader):
    """CSIS Beyond Parallel North Korean provocations table (CSV)."""

    name: ClassVar[str] = "csis"
    source: ClassVar[str] = "csis"
    description: ClassVar[str] = (
        "CSIS Beyond Parallel North Korean provocations (CSV: date,type,event,description,resources)"
    )

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return tuple(f.strip() for f in sample.first.split(",")) == HEADER

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        records = csv_records(decode_text(open_bytes(path)))
        header = next(records, None)
        if header is None or tuple(f.strip() for f in header[2]) != HEADER:
            raise SourceError(f"{path.name}: not a CSIS provocations file (expected header {','.join(HEADER)})")
        mapping = source_cameo("csis_cameo.csv", "type", "event")
        rows = [self._row(path.name, line, raw, fields, mapping) for line, raw, fields in records if fields]
        return ReadResult(rows_table(rows), len(rows))

    def _row(
        self, file: str, line: int, raw: str, fields: list[str], mapping: dict[tuple[str, ...], CameoCoding]
    ) -> dict[str, object]:
        base: dict[str, object] = {"source": "csis", "source_file": file, "source_line": line, "raw": raw}
        reason = bad_encoding(raw) or field_problem(fields, len(HEADER))
        if reason:
            return {**base, "reject_reason": reason}
        day, kind, event, text, resources = (f.strip() for f in fields)
        when = _iso_date(day)
        if when is None:
            return {**base, "reject_reason": f"unparseable date {day!r} (expected YYYY-MM-DD)"}
        coding = _coding(mapping, kind, event)
        if coding is None:
            return {**base, "reject_reason": f"unknown event type {kind!r} / {event!r} (not in csis_cameo.csv)"}
        return {
            **base,
            "event_id": csis_event_id(day, event, text),
            "date": when,
            "date_precision": "day",
            "actor1_code": "PRK",
            "actor1_country": "PRK",
            **coding.fields(),
            "original_type": f"{kind}: {event}",
            "description": text,
            "url": csis_url(resources),
        }


READERS = [CsisReader]
