"""UCDP/PRIO Armed Conflict Dataset (ACD), conflict-year CSV -> side table ``conflict_years``.

Not an event file: one row per conflict and year, with all 28 ACD columns (UCDP/PRIO Armed
Conflict Dataset Codebook v22.1, ucdp.uu.se/downloads): ``conflict_id, location, side_a,
side_a_id, side_a_2nd, side_b, side_b_id, side_b_2nd, incompatibility, territory_name, year,
intensity_level, cumulative_intensity, type_of_conflict, start_date, start_prec, start_date2,
start_prec2, ep_end, ep_end_date, ep_end_prec, gwno_a, gwno_a_2nd, gwno_b, gwno_b_2nd, gwno_loc,
region, version``. Columns are found by name (case-insensitive).

Accepted: the original UCDP download and re-saves by pandas, which add an unnamed index column
first (ignored) and may write ``version`` with a decimal comma (``22,1`` is stored as ``22.1``).

Multi-valued fields (``side_b_id`` ``"1163, 1164"``, ``gwno_loc`` ``"731, 732"``, ``region``) are
kept as the comma-separated text UCDP gives. Each ``gwno_*`` list is also given as ISO3 codes
(``iso3_a``, ``iso3_a_2nd``, ``iso3_b``, ``iso3_b_2nd``, ``iso3_loc``) through
:func:`detente.ontology.gw_to_iso3`, in the same order; a Gleditsch-Ward number without an ISO3
equivalent (a state that no longer exists, e.g. 817 Republic of Vietnam) is left out of the ISO3
list, so the ``gwno_*`` column stays the full record.

A record is rejected (with the reason) when a code is outside the codebook's values
(incompatibility 1-3, intensity_level 1-2, cumulative_intensity and ep_end 0-1, type_of_conflict
1-4), a number or date does not parse, or its (conflict_id, year) repeats an earlier line.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

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

__all__ = ["CONFLICT_YEAR_SCHEMA", "READERS", "UcdpAcdReader"]

SOURCE = "ucdp"

#: the 28 ACD columns in the order of the UCDP download
COLUMNS = (
    "conflict_id", "location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id",
    "side_b_2nd", "incompatibility", "territory_name", "year", "intensity_level",
    "cumulative_intensity", "type_of_conflict", "start_date", "start_prec", "start_date2",
    "start_prec2", "ep_end", "ep_end_date", "ep_end_prec", "gwno_a", "gwno_a_2nd", "gwno_b",
    "gwno_b_2nd", "gwno_loc", "region", "version",
)  # fmt: skip

_TEXT = ("location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd", "territory_name")
#: integer columns -> allowed values (None: any whole number); UCDP/PRIO ACD Codebook v22.1
_CODES: dict[str, frozenset[int] | None] = {
    "incompatibility": frozenset({1, 2, 3}),
    "intensity_level": frozenset({1, 2}),
    "cumulative_intensity": frozenset({0, 1}),
    "type_of_conflict": frozenset({1, 2, 3, 4}),
    "start_prec": None,
    "start_prec2": None,
    "ep_end": frozenset({0, 1}),
    "ep_end_prec": None,
}
_GWNO = ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc")
_ISO3 = {"gwno_a": "iso3_a", "gwno_a_2nd": "iso3_a_2nd", "gwno_b": "iso3_b", "gwno_b_2nd": "iso3_b_2nd",
         "gwno_loc": "iso3_loc"}  # fmt: skip

_INT = pa.int32()
CONFLICT_YEAR_SCHEMA = pa.schema(
    [
        ("conflict_id", _INT),
        ("year", _INT),
        ("location", pa.string()),
        ("side_a", pa.string()),
        ("side_a_id", pa.string()),
        ("side_a_2nd", pa.string()),
        ("side_b", pa.string()),
        ("side_b_id", pa.string()),
        ("side_b_2nd", pa.string()),
        ("incompatibility", _INT),
        ("territory_name", pa.string()),
        ("intensity_level", _INT),
        ("cumulative_intensity", _INT),
        ("type_of_conflict", _INT),
        ("start_date", pa.date32()),
        ("start_prec", _INT),
        ("start_date2", pa.date32()),
        ("start_prec2", _INT),
        ("ep_end", _INT),
        ("ep_end_date", pa.date32()),
        ("ep_end_prec", _INT),
        ("gwno_a", pa.string()),
        ("gwno_a_2nd", pa.string()),
        ("gwno_b", pa.string()),
        ("gwno_b_2nd", pa.string()),
        ("gwno_loc", pa.string()),
        ("region", pa.string()),
        ("version", pa.string()),
        ("iso3_a", pa.string()),
        ("iso3_a_2nd", pa.string()),
        ("iso3_b", pa.string()),
        ("iso3_b_2nd", pa.string()),
        ("iso3_loc", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
    ]
)

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FIRST_YEAR = 1946  # the ACD starts in 1946


class _Reject(Exception):
    """A record-level problem; its message is the reject reason."""


def _header(fields: list[str]) -> dict[str, int] | None:
    index = {f.strip().strip("\ufeff").lower(): i for i, f in enumerate(fields)}
    return index if all(c in index for c in COLUMNS) else None


def _value(text: str) -> str | None:
    text = text.strip()
    return None if text in ("", "NA") else text


def _int(text: str | None, what: str, allowed: frozenset[int] | None = None) -> int | None:
    if text is None:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise _Reject(f"{what} {text!r} is not a whole number")
    x = int(text)
    if allowed is not None and x not in allowed:
        raise _Reject(f"{what} {x} not one of {sorted(allowed)}")
    return x


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    m = _DATE.fullmatch(text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise _Reject(f"unparseable {what} {text!r}")


def _gwnos(text: str | None, what: str) -> list[int]:
    if text is None:
        return []
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() for p in parts):
        raise _Reject(f"{what} {text!r} is not a list of Gleditsch-Ward numbers")
    return [int(p) for p in parts]


def _conflict_year(f: dict[str, str | None], gw: dict[int, str]) -> dict[str, object]:
    """The side-table columns of one parsed record (``gw``: Gleditsch-Ward number -> ISO3)."""
    conflict_id = _int(f["conflict_id"], "conflict_id")
    year = _int(f["year"], "year")
    if conflict_id is None or year is None:
        raise _Reject("missing conflict_id or year")
    if not _FIRST_YEAR <= year <= date.today().year:
        raise _Reject(f"year {year} outside {_FIRST_YEAR}..{date.today().year}")
    row: dict[str, object] = {"conflict_id": conflict_id, "year": year}
    row.update({c: f[c] for c in _TEXT})
    row.update({c: _int(f[c], c, allowed) for c, allowed in _CODES.items()})
    row.update({c: _date(f[c], c) for c in ("start_date", "start_date2", "ep_end_date")})
    for col in _GWNO:
        codes = _gwnos(f[col], col)
        row[col] = ", ".join(map(str, codes)) or None
        row[_ISO3[col]] = ",".join(gw[c] for c in codes if c in gw) or None
    row["region"] = f["region"]
    row["version"] = f["version"].replace(",", ".") if f["version"] else None
    return row


def _row(
    raw: str, fields: list[str], columns: dict[str, int], width: int, gw: dict[int, str]
) -> dict[str, object]:
    """One record -> a side-table row or a rejected row (``reject_reason`` set)."""
    try:
        if reason := bad_encoding(raw):
            raise _Reject(reason)
        if fields and fields[0].startswith("\x00csv-error:"):
            raise _Reject(f"malformed CSV record: {fields[0].removeprefix(chr(0) + 'csv-error:')}")
        if not raw.strip():
            raise _Reject("blank line")
        if len(fields) != width:
            raise _Reject(f"expected {width} comma-separated fields, found {len(fields)}")
        return _conflict_year({c: _value(fields[columns[c]]) for c in COLUMNS}, gw)
    except _Reject as exc:
        return {"reject_reason": str(exc)}


class UcdpAcdReader(Reader):
    """UCDP/PRIO Armed Conflict Dataset, conflict-year level."""

    name = "ucdp_acd"
    source = SOURCE
    table = "conflict_years"
    schema = CONFLICT_YEAR_SCHEMA
    keys = ("conflict_id", "year")
    description = "UCDP/PRIO Armed Conflict Dataset (conflict-year CSV: conflict_id, side_a, ..., gwno_loc, version)"

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        header = next(csv_records(sample.first), None)
        return header is not None and _header(header[2]) is not None

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        records = csv_records(decode_text(open_bytes(path)))
        header = next(records, None)
        if header is None or not header[1].strip():
            raise SourceError(f"{path.name}: no header line")
        columns = _header(header[2])
        if columns is None:
            found = {f.strip().lower() for f in header[2]}
            missing = [c for c in COLUMNS if c not in found]
            raise SourceError(f"{path.name}: not a UCDP/PRIO ACD file (missing columns: {', '.join(missing)})")
        width = len(header[2])
        gw = ontology.gw_to_iso3()
        rows = []
        for line_no, raw, values in records:
            row = _row(raw, values, columns, width, gw)
            row.update(source_file=path.name, source_line=line_no, raw=raw)
            rows.append(row)
        return ReadResult(rows=rows_table(rows, CONFLICT_YEAR_SCHEMA), rows_read=len(rows))


READERS = [UcdpAcdReader]
