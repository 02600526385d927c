"""ICEWS coded event files (Harvard Dataverse ``events.YYYY.*.tab``), tab-separated, 20 columns.

Layout (header row, one event per line, ``NA`` or empty for missing): ``Event ID``, ``Event Date``,
``Source Name``, ``Source Sectors``, ``Source Country``, ``Event Text``, ``CAMEO Code``, ``Intensity``,
``Target Name``, ``Target Sectors``, ``Target Country``, ``Story ID``, ``Sentence Number``,
``Publisher``, ``City``, ``District``, ``Province``, ``Country``, ``Latitude``, ``Longitude``
(ICEWS Dataverse, doi:10.7910/DVN/28075; column list as read by the ``andybega/icews`` R package,
``R/read_events_tsv.R``).

Accepted variants, each documented in ``andybega/icews``:

- column names as written by Dataverse (``Event ID``) or normalised by the R package
  (``event_id``: lower case, spaces to underscores; ``read_events_tsv(fix_names = TRUE)``);
  columns are found by name, so their order does not matter;
- ``Event Date`` as ``YYYY-MM-DD`` or ``M/D/YYYY`` (the ``Events.2017.20200602.tab`` file, issue #57);
- sector lists wrapped in double quotes (vignette "ICEWS event data": "sometimes the value is
  quoted and sometimes not"); fields are never quote-delimited (the R package reads with
  ``quote = ""``), so a tab or newline always ends a field or a record;
- ``.tab``, ``.tab.zip`` (as downloaded) or gzipped files.

Mapping to the canonical row: ``event_id`` is ``icews:<Event ID>``. ICEWS ids are not unique in
``events.2013.20150313084929.tab`` (145,312 ids used twice, on different dates; vignette "Event ID
is not unique") and the 2021 yearly file repeats whole rows (issue #80): the store quarantines such
repeats as duplicate event ids, naming the first line. Country *names* become ISO3 through
:func:`detente.ontology.name_to_iso3` (the name stays in ``actorN_name``; unknown names give a null
code). ``actorN_type`` holds ICEWS sectors. ``goldstein`` is on the one scale every source shares,
the GDELT Goldstein table (docs/decisions/002); ICEWS' own ``Intensity`` (its codebook's value, which
differs for 016, 022, 164 and 165) is validated and used only for codes GDELT lacks (1213).
``quad_class`` comes from the CAMEO root. A CAMEO code that lost its leading zero
(``40``) is padded back: ICEWS uses only 3- and 4-digit codes (vignette: no record has a root-only
code), so short codes are padded to 3 digits, and a 3-digit value that is not a CAMEO code to 4.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import ontology
from .base import Reader, ReadResult, Sample, SourceError, bad_encoding, decode_text, open_bytes, rows_table

__all__ = ["READERS", "IcewsReader"]

SOURCE = "icews"

#: the 20 Dataverse columns, by their normalised names
COLUMNS = (
    "event_id", "event_date", "source_name", "source_sectors", "source_country", "event_text",
    "cameo_code", "intensity", "target_name", "target_sectors", "target_country", "story_id",
    "sentence_number", "publisher", "city", "district", "province", "country", "latitude", "longitude",
)  # fmt: skip

_MISSING = ("", "NA")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_CHUNK = 20_000  # records per Arrow batch: bounds the memory held in Python dicts


class _Reject(Exception):
    """A record-level problem; its message is the reject reason."""


def _norm(name: str) -> str:
    """Header name -> normalised column name (``Event ID`` -> ``event_id``)."""
    return name.strip().strip('"').strip().lower().replace(" ", "_")


def _header_map(header: str) -> dict[str, int] | None:
    """Column name -> index if ``header`` is an ICEWS header, else None."""
    names = [_norm(h) for h in header.rstrip("\r\n").split("\t")]
    index = {n: i for i, n in enumerate(names)}
    return index if all(c in index for c in COLUMNS) else None


def _value(text: str) -> str | None:
    """A field's value, or None when missing."""
    text = text.strip()
    return None if text in _MISSING else text


def _event_date(text: str | None) -> date:
    if text is None:
        raise _Reject("missing Event Date")
    if m := _ISO_DATE.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _US_DATE.fullmatch(text):
        mo, d, y = (int(g) for g in m.groups())
    else:
        raise _Reject(f"unparseable Event Date {text!r}")
    try:
        return date(y, mo, d)
    except ValueError:
        raise _Reject(f"unparseable Event Date {text!r}") from None


def _number(text: str | None, what: str, low: float, high: float) -> float | None:
    if text is None:
        return None
    try:
        x = float(text)
    except ValueError:
        raise _Reject(f"{what} {text!r} is not a number") from None
    if not low <= x <= high:  # also rejects nan
        raise _Reject(f"{what} {text!r} outside {low:g}..{high:g}")
    return x


@dataclass
class _Lookups:
    """Ontology tables and a per-file cache of country names."""

    codes: frozenset[str]
    quad: dict[str, int]
    gold: dict[str, float]
    names: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Lookups:
        codes = frozenset(ontology.cameo_codes().column("code").to_pylist()) | frozenset(ontology.goldstein_of("icews"))
        return cls(codes=codes, quad=ontology.quad_class_of_root(), gold=ontology.goldstein_of())

    def iso3(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self.names:
            self.names[name] = ontology.name_to_iso3(name)
        return self.names[name]

    def cameo(self, text: str | None) -> str:
        """The CAMEO code with its leading zeros restored."""
        if text is None:
            raise _Reject("missing CAMEO Code")
        if not text.isdigit():
            raise _Reject(f"CAMEO Code {text!r} is not numeric")
        tries = ([text.zfill(3)] if len(text) < 3 else []) + [text, text.zfill(4)]
        return next((c for c in tries if c in self.codes), text)


def _sectors(text: str | None) -> str | None:
    return None if text is None else text.strip('"') or None


def _place(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return ", ".join(dict.fromkeys(kept)) or None


def _event(f: dict[str, str | None], look: _Lookups) -> dict[str, object]:
    """The canonical columns of one parsed record."""
    event_id = f["event_id"]
    if event_id is None or not event_id.isdigit():
        raise _Reject(f"Event ID {event_id!r} is not an integer")
    day = _event_date(f["event_date"])
    code = look.cameo(f["cameo_code"])
    root = code[:2]
    return {
        "event_id": f"{SOURCE}:{int(event_id)}",
        "source": SOURCE,
        "date": day,
        "date_precision": "day",
        "year": day.year,
        "actor1_name": f["source_name"],
        "actor1_country": look.iso3(f["source_country"]),
        "actor1_type": _sectors(f["source_sectors"]),
        "actor2_name": f["target_name"],
        "actor2_country": look.iso3(f["target_country"]),
        "actor2_type": _sectors(f["target_sectors"]),
        "event_code": code,
        "event_root": root,
        "quad_class": look.quad.get(root),
        "goldstein": look.gold.get(code, _number(f["intensity"], "Intensity", -10, 10)),
        "country": look.iso3(f["country"]),
        "lat": _number(f["latitude"], "Latitude", -90, 90),
        "lon": _number(f["longitude"], "Longitude", -180, 180),
        "place": _place(f["city"], f["district"], f["province"]),
        "original_type": f["event_text"],
        "description": f["event_text"],
    }


def _row(raw: str, columns: dict[str, int], width: int, look: _Lookups) -> dict[str, object]:
    """One record -> a canonical row or a rejected row (``reject_reason`` set)."""
    try:
        if reason := bad_encoding(raw):
            raise _Reject(reason)
        if not raw.strip():
            raise _Reject("blank line")
        parts = raw.split("\t")
        if len(parts) != width:
            raise _Reject(f"expected {width} tab-separated fields, found {len(parts)}")
        return _event({c: _value(parts[i]) for c, i in columns.items() if c in COLUMNS}, look)
    except _Reject as exc:
        return {"source": SOURCE, "reject_reason": str(exc)}


class IcewsReader(Reader):
    """ICEWS coded event data (Dataverse ``.tab``)."""

    name = "icews"
    source = SOURCE
    description = "ICEWS coded event data, tab-separated with the 20 Dataverse columns (Event ID ... Longitude)"

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return "\t" in sample.first and _header_map(sample.first) is not None

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        lines = io.StringIO(decode_text(open_bytes(path)), newline="\n")  # fields never hold a newline
        header = lines.readline().rstrip("\r\n")
        if not header.strip():
            raise SourceError(f"{path.name}: no header line")
        columns = _header_map(header)
        if columns is None:
            raise SourceError(f"{path.name}: not an ICEWS event file (header lacks the 20 ICEWS columns)")
        width = len(header.split("\t"))
        look = _Lookups.load()
        tables, chunk = [], []
        line_no = 1
        for line_no, line in enumerate(lines, start=2):
            raw = line.rstrip("\n").rstrip("\r")
            row = _row(raw, columns, width, look)
            row.update(source_file=path.name, source_line=line_no, raw=raw)
            chunk.append(row)
            if len(chunk) == _CHUNK:
                tables.append(rows_table(chunk))
                chunk = []
        tables.append(rows_table(chunk))
        return ReadResult(rows=pa.concat_tables(tables), rows_read=line_no - 1)


READERS = [IcewsReader]
