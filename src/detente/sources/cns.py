"""CNS North Korea Missile Test Database (NTI), CSV export.

One row per flight test, 19 columns, Windows-1252 text. Conventions:

- ``event_id`` is ``cns:<F1>`` (the database's own running number).
- ``Date`` is ``9-Apr-84`` (day precision) or ``Sep-84`` (month only: stored as the 1st with
  ``date_precision = "month"``, never an invented day); ``4/19/2023`` and four-digit years are
  accepted too. Two-digit years pivot as POSIX ``strptime %y`` does: 69-99 -> 19xx, 00-68 -> 20xx
  (the database starts in 1984, so this is unambiguous until 2069).
- ``Missile Type`` is kept in ``original_type`` and mapped to CAMEO by ``ontology/data/cns_cameo.csv``
  (SLV -> ``satellite_launch``, every other type -> ``missile_test``).
- ``actor1_name`` is the missile name, ``place`` the launch facility with its coordinates,
  ``url`` the first URL in ``Source(s)``.
- ``description`` starts with the test's outcome facts, then CNS's ``Additional Information``:
  ``"Outcome: Success; Confirmed; apogee 200 km; distance Unknown; landing Sea of Japan or East Sea.
  <Additional Information>"``.
"""

from __future__ import annotations

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

__all__ = [
    "READERS",
    "CnsReader",
    "parse_date",
]

HEADER = (
    "F1", "Date", "Date Entered/Updated", "Launch Time (UTC)", "Missile Name", "Missile Type",
    "Launch Agency/Authority", "Facility Name", "Facility Location", "Other Name", "Facility Latitude",
    "Facility Longitude", "Landing Location", "Apogee", "Distance Travelled", "Confirmation Status",
    "Test Outcome", "Additional Information", "Source(s)",
)  # fmt: skip
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name: i for i, full in enumerate(_MONTH_NAMES, 1) for name in (full, full[:3])}
_DAY_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3,9})-(\d{2}|\d{4})")
_MONTH_DATE = re.compile(r"([A-Za-z]{3,9})-(\d{2}|\d{4})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_UNKNOWN = {"", "unknown", "n/a", "na"}


def _year(text: str) -> int:
    """A two- or four-digit year; two digits pivot like POSIX ``%y`` (69-99 -> 19xx)."""
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 69 else 2000
    return year


def _month(name: str) -> int:
    try:
        return _MONTHS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown month {name!r}") from None


def parse_date(text: str) -> tuple[date, str]:
    """``9-Apr-84`` -> (1984-04-09, "day"); ``Sep-84`` -> (1984-09-01, "month"); raises ValueError."""
    text = text.strip()
    if m := _DAY_DATE.fullmatch(text):
        return date(_year(m[3]), _month(m[2]), int(m[1])), "day"
    if m := _MONTH_DATE.fullmatch(text):
        return date(_year(m[2]), _month(m[1]), 1), "month"
    if m := _US_DATE.fullmatch(text):
        return date(int(m[3]), int(m[1]), int(m[2])), "day"
    raise ValueError(text)


def _coordinate(text: str, limit: float, name: str) -> float | None:
    """A latitude/longitude or None for 'Unknown'; raises ValueError when out of range or garbled."""
    if text.strip().lower() in _UNKNOWN:
        return None
    value = float(text)
    if not -limit <= value <= limit:
        raise ValueError(f"{name} {text!r} outside -{limit:g}..{limit:g}")
    return value


def _known(text: str) -> str | None:
    text = text.strip()
    return None if text.lower() in _UNKNOWN else text


def _description(rec: dict[str, str]) -> str:
    facts = [
        f"Outcome: {rec['Test Outcome'].strip() or 'Unknown'}",
        rec["Confirmation Status"].strip() or "Unknown",
        f"apogee {rec['Apogee'].strip() or 'Unknown'}",
        f"distance {rec['Distance Travelled'].strip() or 'Unknown'}",
        f"landing {rec['Landing Location'].strip() or 'Unknown'}",
    ]
    info = rec["Additional Information"].strip()
    return "; ".join(facts) + "." + (f" {info}" if info else "")


def _event(rec: dict[str, str], coding: CameoCoding) -> dict[str, object]:
    """The canonical event for a parsed record; raises ValueError naming a bad value."""
    if not rec["F1"].strip().isdecimal() or int(rec["F1"]) < 1:
        raise ValueError(f"F1 id {rec['F1']!r} is not a positive integer")
    try:
        when, precision = parse_date(rec["Date"])
    except ValueError:
        raise ValueError(f"unparseable date {rec['Date']!r}") from None
    try:
        lat = _coordinate(rec["Facility Latitude"], 90, "latitude")
        lon = _coordinate(rec["Facility Longitude"], 180, "longitude")
    except ValueError as exc:
        raise ValueError(f"bad facility coordinates: {exc}") from None
    return {
        "event_id": f"cns:{int(rec['F1'])}",
        "source": "cns",
        "date": when,
        "date_precision": precision,
        "actor1_code": "PRK",
        "actor1_name": _known(rec["Missile Name"]),
        "actor1_country": "PRK",
        **coding.fields(),
        "country": "PRK",
        "lat": lat,
        "lon": lon,
        "place": _known(rec["Facility Name"]),
        "original_type": rec["Missile Type"].strip(),
        "description": _description(rec),
        "url": first_url(rec["Source(s)"]),
    }


class CnsReader(Reader):
    """CNS North Korea Missile Test Database CSV (NTI export, Windows-1252)."""

    name: ClassVar[str] = "cns"
    source: ClassVar[str] = "cns"
    description: ClassVar[str] = "CNS/NTI North Korea Missile Test Database (CSV, 19 columns)"

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return sample.first.startswith("F1,Date,Date Entered/Updated,") and "Missile Type" in sample.first

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        records = csv_records(decode_text(open_bytes(path), "cp1252"))
        header = next(records, None)
        if header is None or tuple(f.strip() for f in header[2]) != HEADER:
            raise SourceError(f"{path.name}: not a CNS missile test file (expected header {','.join(HEADER)})")
        mapping = source_cameo("cns_cameo.csv", "missile_type")
        rows = [self._row(path.name, line, raw, fields, mapping) for line, raw, fields in records if fields]
        return ReadResult(rows_table(rows), len(rows))

    def _row(
        self, file: str, line: int, raw: str, fields: list[str], mapping: dict[tuple[str, ...], CameoCoding]
    ) -> dict[str, object]:
        base: dict[str, object] = {"source": "cns", "source_file": file, "source_line": line, "raw": raw}
        reason = bad_encoding(raw) or field_problem(fields, len(HEADER))
        if reason:
            return {**base, "reject_reason": reason}
        rec = dict(zip(HEADER, fields, strict=True))
        coding = mapping.get((rec["Missile Type"].strip(),))
        if coding is None:
            return {**base, "reject_reason": f"unknown Missile Type {rec['Missile Type']!r} (not in cns_cameo.csv)"}
        try:
            return {**base, **_event(rec, coding)}
        except ValueError as exc:
            return {**base, "reject_reason": str(exc)}


READERS = [CnsReader]
