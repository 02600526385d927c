"""ACLED event exports (CSV, one event per record, header row).

Columns are found by name, so both layouts work (ACLED Codebook 2023, "ACLED Data Columns at a
Glance"; ACLED, "Guide to 2023 ACLED Column Changes", acleddata.com/knowledge-base/
guide-to-2023-acled-column-changes; column descriptions also in the ``acledR`` package,
``dtacled/acledR`` ``data/acled_codebook.rda`` and ``man/acled_old_dummy.Rd``):

- before 20 March 2023: ``data_id, iso, event_id_cnty, event_id_no_cnty, event_date, year,
  time_precision, event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2, assoc_actor_2,
  inter2, interaction, region, country, admin1, admin2, admin3, location, latitude, longitude,
  geo_precision, source, source_scale, notes, fatalities, timestamp, iso3``;
- since then: ``data_id``, ``event_id_no_cnty`` and ``iso3`` dropped; ``disorder_type``,
  ``civilian_targeting`` and ``tags`` added. Extra columns (e.g. ones added by whoever re-shared
  the file) are ignored.

Required: ``event_id_cnty, event_date, event_type, sub_event_type, actor1, actor2, country,
latitude, longitude, fatalities``. ``event_date`` may be ``YYYY-MM-DD``, an ISO timestamp
(``2021-01-02T00:00:00Z``; the date part is kept) or ``2 January 2021``. ``time_precision`` 3 means
ACLED knew only the month (it then codes the middle of the month, e.g. the note "Around 15 March
2021 (month of)" in the Myanmar sample), so such events are stored as the 1st with precision
``month``; 1 (actual day) and 2 (a day within a reported week) keep the day.

Mapping: ``event_id`` is ``acled:<event_id_cnty>`` (ACLED's static id; ``data_id`` changes at every
update, per the 2023 guide). ``sub_event_type`` gives the CAMEO code and category through
``ontology/data/acled_cameo.csv`` (all 25 sub-event types of the codebook), ``goldstein`` is the
CAMEO code's Goldstein weight and ``quad_class`` its root's class; ``original_type`` is
``"event_type / sub_event_type"``. Actor countries: "Military Forces of X (2021-)", "Police
Forces of X" and "Government of X" give X; otherwise a trailing "(X)" as in "Civilians (Myanmar)"
gives X when X is a country name; else null. ``actorN_type`` is the ACLED inter code's label
(1 State Forces … 8 External/Other Forces; text values, as the current API returns, are kept).
``country`` comes from the numeric ``iso`` code, else ``iso3``, else the country name.
``sources_n`` counts the ``;``-separated entries of ``source``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb

from .. import ontology
from .base import (
    Reader,
    ReadResult,
    Sample,
    SourceError,
    bad_encoding,
    csv_records,
    decode_text,
    open_bytes,
    rows_table,
)

__all__ = ["READERS", "AcledReader", "cameo_map"]

SOURCE = "acled"

REQUIRED = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "latitude", "longitude", "fatalities",
)  # fmt: skip

#: ACLED 'inter' actor-type codes (ACLED Codebook; acledR ``acled_codebook``, row ``inter1``)
INTER = {
    "1": "State Forces", "2": "Rebel Groups", "3": "Political Militias", "4": "Identity Militias",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other Forces",
}  # fmt: skip

_MISSING = ("", "NA")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")  # fmt: skip
#: full month names and their 3-letter abbreviations -> month number
_MONTHS = {n: i for i, m in enumerate(_MONTH_NAMES, start=1) for n in (m, m[:3])}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_TEXT_DATE = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})")
_STATE = re.compile(r"(?:Military Forces|Police Forces|Government) of (?P<c>.+?)(?: \(\d{4}-(?:\d{4})?\).*)?")
_PAREN = re.compile(r".*\(([^()]+)\)\s*")


class _Reject(Exception):
    """A record-level problem; its message is the reject reason."""


def _key(sub_event_type: str) -> str:
    """Lookup key: case-insensitive, 'protestors' and 'protesters' both accepted."""
    return sub_event_type.strip().lower().replace("protestor", "protester")


def cameo_map() -> dict[str, tuple[str, str | None, str | None]]:
    """ACLED sub-event type (lower case) -> (event_type, CAMEO code or None, category or None)."""
    text = resources.files(ontology.__name__).joinpath("data", "acled_cameo.csv").read_text("utf-8")
    return {
        _key(r["sub_event_type"]): (r["event_type"], r["event_code"] or None, r["category"] or None)
        for r in csv.DictReader(io.StringIO(text))
    }


def _value(text: str) -> str | None:
    text = text.strip()
    return None if text in _MISSING else text


def _header(fields: list[str]) -> dict[str, int] | None:
    index = {f.strip().strip("\ufeff").lower(): i for i, f in enumerate(fields)}
    return index if all(c in index for c in REQUIRED) else None


def _event_date(text: str | None) -> date:
    if text is None:
        raise _Reject("missing event_date")
    try:
        if m := _ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _TEXT_DATE.fullmatch(text)) and m[2].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        pass
    raise _Reject(f"unparseable event_date {text!r}")


def _number(text: str | None, what: str, low: float, high: float) -> float | None:
    if text is None:
        return None
    try:
        x = float(text)
    except ValueError:
        raise _Reject(f"{what} {text!r} is not a number") from None
    if not low <= x <= high:
        raise _Reject(f"{what} {text!r} outside {low:g}..{high:g}")
    return x


def _count(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise _Reject(f"{what} {text!r} is not a whole number >= 0")
    return int(text)


def _place(*parts: str | None) -> str | None:
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def _sources_n(text: str | None) -> int | None:
    return None if text is None else sum(1 for s in text.split(";") if s.strip()) or None


def _inter(text: str | None) -> str | None:
    if text is None or text == "0":
        return None
    return INTER.get(text, text)


@dataclass
class _Lookups:
    """Ontology tables and per-file caches."""

    cameo: dict[str, tuple[str, str | None, str | None]]
    goldstein: dict[str, float]
    quad: dict[str, int]
    isonum: dict[int, str]
    names: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Lookups:
        return cls(
            cameo=cameo_map(),
            goldstein=ontology.goldstein_of(),
            quad=ontology.quad_class_of_root(),
            isonum=ontology.isonum_to_iso3(),
        )

    def iso3(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self.names:
            self.names[name] = ontology.name_to_iso3(name)
        return self.names[name]

    def actor_country(self, actor: str | None) -> str | None:
        """ISO3 of a named ACLED actor, when the name carries its country."""
        if actor is None:
            return None
        if m := _STATE.fullmatch(actor):
            return self.iso3(m["c"].strip())
        if m := _PAREN.fullmatch(actor):
            return self.iso3(m[1].strip())
        return None

    def country(self, f: dict[str, str | None]) -> str | None:
        iso = f.get("iso")
        if iso is not None and iso.isdigit() and int(iso) in self.isonum:
            return self.isonum[int(iso)]
        iso3 = f.get("iso3")
        if iso3 is not None and re.fullmatch(r"[A-Z]{3}", iso3):
            return iso3
        return self.iso3(f["country"])


def _event(f: dict[str, str | None], look: _Lookups) -> dict[str, object]:
    """The canonical columns of one parsed record."""
    event_id = f["event_id_cnty"]
    if event_id is None or not re.fullmatch(r"[A-Za-z]{2,4}\d+", event_id):
        raise _Reject(f"event_id_cnty {event_id!r} is not an ACLED id (letters then digits)")
    day = _event_date(f["event_date"])
    precision = "month" if f.get("time_precision") == "3" else "day"
    event_type, sub = f["event_type"] or "", f["sub_event_type"] or ""
    if _key(sub) not in look.cameo:
        raise _Reject(f"unknown ACLED sub_event_type {sub!r}")
    _, code, category = look.cameo[_key(sub)]
    root = code[:2] if code else None
    day = day.replace(day=1) if precision == "month" else day
    return {
        "event_id": f"{SOURCE}:{event_id}",
        "source": SOURCE,
        "date": day,
        "date_precision": precision,
        "year": day.year,
        "actor1_name": f["actor1"],
        "actor1_country": look.actor_country(f["actor1"]),
        "actor1_type": _inter(f.get("inter1")),
        "actor2_name": f["actor2"],
        "actor2_country": look.actor_country(f["actor2"]),
        "actor2_type": _inter(f.get("inter2")),
        "event_code": code,
        "event_root": root,
        "quad_class": look.quad.get(root) if root else None,
        "goldstein": look.goldstein.get(code) if code else None,
        "sources_n": _sources_n(f.get("source")),
        "country": look.country(f),
        "lat": _number(f["latitude"], "latitude", -90, 90),
        "lon": _number(f["longitude"], "longitude", -180, 180),
        "place": _place(f.get("location"), f.get("admin3"), f.get("admin2"), f.get("admin1")),
        "fatalities": _count(f["fatalities"], "fatalities"),
        "category": category,
        "original_type": f"{event_type} / {sub}",
        "description": f.get("notes"),
    }


def _row(raw: str, fields: list[str], columns: dict[str, int], look: _Lookups) -> dict[str, object]:
    """One record -> a canonical row or a rejected row (``reject_reason`` set)."""
    try:
        if reason := bad_encoding(raw):
            raise _Reject(reason)
        if fields and fields[0].startswith("\x00csv-error:"):
            raise _Reject(f"malformed CSV record: {fields[0].removeprefix(chr(0) + 'csv-error:')}")
        if not raw.strip():
            raise _Reject("blank line")
        width = len(columns)
        if len(fields) != width:
            raise _Reject(f"expected {width} comma-separated fields, found {len(fields)}")
        return _event({c: _value(fields[i]) for c, i in columns.items()}, look)
    except _Reject as exc:
        return {"source": SOURCE, "reject_reason": str(exc)}


class AcledReader(Reader):
    """ACLED CSV export (pre- and post-2023 column layouts)."""

    name = "acled"
    source = SOURCE
    description = "ACLED event export, CSV with event_id_cnty, event_date, event_type, sub_event_type, ..."

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        try:
            first = next(csv.reader([sample.first]))
        except (csv.Error, StopIteration):
            return False
        return _header(first) is not None

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        records = csv_records(decode_text(open_bytes(path)))
        header = next(records, None)
        if header is None or not header[1].strip():
            raise SourceError(f"{path.name}: no header line")
        fields = header[2]
        columns = _header(fields)
        if columns is None:
            missing = [c for c in REQUIRED if c not in {f.strip().lower() for f in fields}]
            raise SourceError(f"{path.name}: not an ACLED export (missing columns: {', '.join(missing)})")
        if len(columns) != len(fields):
            raise SourceError(f"{path.name}: header repeats a column name")
        look = _Lookups.load()
        rows = []
        for line_no, raw, values in records:
            row = _row(raw, values, columns, look)
            row.update(source_file=path.name, source_line=line_no, raw=raw)
            rows.append(row)
        return ReadResult(rows=rows_table(rows), rows_read=len(rows))


READERS = [AcledReader]
