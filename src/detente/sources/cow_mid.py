"""Correlates of War Militarized Interstate Disputes, version 5 (MIDIP, MIDI, MIDA, MIDB CSVs).

Variable meanings follow the MID 5 codebook (Palmer et al. 2022, "The MID5 Dataset, 2011-2014:
Procedures, coding rules, and description", Conflict Management and Peace Science 39(4): 470-482,
doi:10.1177/0738894221995743; ``MID 5.0 Codebook.pdf`` distributed with the data at
https://correlatesofwar.org/data-sets/mids/). ``-9`` means missing in every file.

- **MIDIP** (incident participants) -> events. One event per participant row and opposing
  participant (the participants with the other ``insidea`` value in the same incident), all with the
  row's ``source_line``. ``event_id`` = ``cow_mid:<incidnum>:<ccode>:<opposing ccode>``.
  ``actor*_code`` is COW's state abbreviation, ``actor*_country`` its ISO3 via the ontology (null for
  a ccode the crosswalk lacks). The date is the incident start: ``stday = -9`` gives month precision,
  ``stmon = -9`` year precision. ``action`` is mapped to CAMEO by ``ontology/data/cow_mid_cameo.csv``
  and its codebook name kept in ``original_type``.
  ``fatalities`` are the participant's own deaths: ``fatalpre`` (precise count) when known, 0 when the
  fatality level is 0 (none), otherwise null -- MID's ``fatality`` is only a band (1 = 1-25 deaths,
  ...) and a band is not a count; the band and the hostility level are written into ``description``.
- **MIDI** (incidents) -> side table ``mid_incidents``; **MIDA** (disputes) -> ``mid_disputes``;
  **MIDB** (dispute participants) -> ``mid_dispute_participants``: every column as in the file
  (integers, ``stabb`` text), ``-9`` stored as null, plus ``source_file``/``source_line``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from ..ontology import CameoCoding, cow_to_iso3, mapping_rows, source_cameo
from .base import (
    Reader,
    ReadResult,
    Sample,
    SourceError,
    bad_encoding,
    csv_records,
    decode_text,
    field_problem,
    open_bytes,
    rows_table,
)

__all__ = [
    "FATALITY_BANDS",
    "HOSTILITY_LEVELS",
    "READERS",
    "MidaReader",
    "MidbReader",
    "MidiReader",
    "MidipReader",
    "side_schema",
]

#: ``fatality`` codes (MID 5 codebook)
FATALITY_BANDS = {
    -9: "missing", 0: "none", 1: "1-25 deaths", 2: "26-100 deaths", 3: "101-250 deaths",
    4: "251-500 deaths", 5: "501-999 deaths", 6: ">999 deaths",
}  # fmt: skip
#: ``hostlev`` codes (MID 5 codebook)
HOSTILITY_LEVELS = {
    -9: "missing", 1: "no militarized action", 2: "threat to use force", 3: "display of force",
    4: "use of force", 5: "war",
}  # fmt: skip
_MISSING = -9
_TEXT = frozenset({"stabb"})
_Mapping = dict[tuple[str, ...], CameoCoding]


def side_schema(columns: tuple[str, ...]) -> pa.Schema:
    """A MID side table's schema: the file's columns, then ``source_file``/``source_line``."""
    fields = [(c, pa.string() if c in _TEXT else pa.int32()) for c in columns]
    return pa.schema([*fields, ("source_file", pa.string()), ("source_line", pa.int64())])


def _header(fields: list[str]) -> tuple[str, ...]:
    return tuple(f.strip().lower() for f in fields)


def _split(names: tuple[str, ...], fields: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """A record's integer and text columns; raises ValueError naming a non-integer column."""
    ints: dict[str, int] = {}
    texts: dict[str, str] = {}
    for name, value in zip(names, fields, strict=True):
        value = value.strip()
        if name in _TEXT:
            texts[name] = value
            continue
        try:
            ints[name] = int(value)
        except ValueError:
            raise ValueError(f"column {name}: {value!r} is not an integer") from None
        if not -(2**31) <= ints[name] < 2**31:
            raise ValueError(f"column {name}: {value!r} is out of the 32-bit integer range")
    return ints, texts


def _records(path: Path, header: tuple[str, ...], what: str) -> Iterator[tuple[int, str, list[str]]]:
    """The file's non-blank data records, after checking its header."""
    records = csv_records(decode_text(open_bytes(path)))
    first = next(records, None)
    if first is None or _header(first[2]) != header:
        raise SourceError(f"{path.name}: not a COW {what} file (expected header {','.join(header)})")
    return (r for r in records if r[2])


class _MidTable(Reader):
    """A MID file stored as a side table: every column typed, ``-9`` as null."""

    source: ClassVar[str] = "cow_mid"
    columns: ClassVar[tuple[str, ...]]
    what: ClassVar[str]

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return _header(sample.first.split(",")) == cls.columns

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        records = _records(path, self.columns, self.what)
        rows = [self._row(path.name, line, raw, fields) for line, raw, fields in records]
        return ReadResult(rows_table(rows, self.schema), len(rows))

    def _row(self, file: str, line: int, raw: str, fields: list[str]) -> dict[str, object]:
        base: dict[str, object] = {"source_file": file, "source_line": line, "raw": raw}
        reason = bad_encoding(raw) or field_problem(fields, len(self.columns))
        if reason:
            return {**base, "reject_reason": reason}
        try:
            ints, texts = _split(self.columns, fields)
        except ValueError as exc:
            return {**base, "reject_reason": str(exc)}
        values = {k: None if v == _MISSING else v for k, v in ints.items()}
        return {**base, **values, **{k: v or None for k, v in texts.items()}}


class MidiReader(_MidTable):
    """MID 5 incident file (MIDI) -> side table ``mid_incidents``."""

    name: ClassVar[str] = "cow_midi"
    table: ClassVar[str] = "mid_incidents"
    description: ClassVar[str] = "COW MID 5 incidents (MIDI CSV, 17 columns) -> mid_incidents"
    what: ClassVar[str] = "MIDI incident"
    keys: ClassVar[tuple[str, ...]] = ("dispnum", "incidnum")
    columns: ClassVar[tuple[str, ...]] = (
        "dispnum", "ord_incidnum", "stday", "stmon", "styear", "endday", "endmon", "endyear",
        "duration", "tbi", "fatality", "fatalpre", "action", "hostlev", "numa", "version", "incidnum",
    )  # fmt: skip
    schema: ClassVar[pa.Schema] = side_schema(columns)


class MidaReader(_MidTable):
    """MID 5 dispute file (MIDA) -> side table ``mid_disputes``."""

    name: ClassVar[str] = "cow_mida"
    table: ClassVar[str] = "mid_disputes"
    description: ClassVar[str] = "COW MID 5 disputes (MIDA CSV, 20 columns) -> mid_disputes"
    what: ClassVar[str] = "MIDA dispute"
    keys: ClassVar[tuple[str, ...]] = ("dispnum",)
    columns: ClassVar[tuple[str, ...]] = (
        "dispnum", "stday", "stmon", "styear", "endday", "endmon", "endyear", "outcome", "settle",
        "fatality", "fatalpre", "maxdur", "mindur", "hiact", "hostlev", "recip", "numa", "numb",
        "ongo2014", "version",
    )  # fmt: skip
    schema: ClassVar[pa.Schema] = side_schema(columns)


class MidbReader(_MidTable):
    """MID 5 dispute-participant file (MIDB) -> side table ``mid_dispute_participants``."""

    name: ClassVar[str] = "cow_midb"
    table: ClassVar[str] = "mid_dispute_participants"
    description: ClassVar[str] = "COW MID 5 dispute participants (MIDB CSV, 19 columns) -> mid_dispute_participants"
    what: ClassVar[str] = "MIDB dispute-participant"
    #: a state can leave a dispute and rejoin it: one row per stint
    keys: ClassVar[tuple[str, ...]] = ("dispnum", "ccode", "styear", "stmon", "stday")
    columns: ClassVar[tuple[str, ...]] = (
        "dispnum", "stabb", "ccode", "stday", "stmon", "styear", "endday", "endmon", "endyear",
        "sidea", "revstate", "revtype1", "revtype2", "fatality", "fatalpre", "hiact", "hostlev",
        "orig", "version",
    )  # fmt: skip
    schema: ClassVar[pa.Schema] = side_schema(columns)


@dataclass(frozen=True)
class _Participant:
    """One parsed MIDIP row."""

    line: int
    raw: str
    stabb: str
    v: dict[str, int]


def _start(p: _Participant) -> tuple[date, str]:
    """Incident start date and precision; raises ValueError for an impossible date."""
    year, month, day = p.v["styear"], p.v["stmon"], p.v["stday"]
    try:
        if month == _MISSING:
            return date(year, 1, 1), "year"
        if day == _MISSING:
            return date(year, month, 1), "month"
        return date(year, month, day), "day"
    except ValueError:
        raise ValueError(f"impossible start date {year}-{month}-{day}") from None


def _end_text(p: _Participant) -> str:
    """End date as far as it is known: ``1992-07-16``, ``1992-07``, ``1992`` or ``unknown``."""
    parts: list[str] = []
    for value in (p.v["endyear"], p.v["endmon"], p.v["endday"]):
        if value == _MISSING:
            break
        parts.append(f"{value:02d}")
    return "-".join(parts) or "unknown"


def _fatalities(p: _Participant) -> int | None:
    if p.v["fatalpre"] >= 0:
        return p.v["fatalpre"]
    return 0 if p.v["fatality"] == 0 else None


def _description(p: _Participant, action: str) -> str:
    v = p.v
    fatal = FATALITY_BANDS.get(v["fatality"], f"code {v['fatality']}")
    if v["fatalpre"] >= 0:
        fatal += f", precisely {v['fatalpre']}"
    return (
        f"MID {v['dispnum']} incident {v['incidnum']}: {p.stabb} {action.lower()}"
        f" (side {'A' if v['insidea'] == 1 else 'B'}); hostility level {v['hostlev']}"
        f" ({HOSTILITY_LEVELS.get(v['hostlev'], 'unknown')}); fatality level {v['fatality']} ({fatal});"
        f" ends {_end_text(p)}"
    )


def _problem(p: _Participant, mapping: _Mapping) -> str | None:
    """Why a parsed participant row cannot become events, or None."""
    if (str(p.v["action"]),) not in mapping:
        return f"unknown MID action code {p.v['action']} (not in cow_mid_cameo.csv)"
    if p.v["insidea"] not in (0, 1):
        return f"insidea must be 0 or 1, found {p.v['insidea']}"
    if p.v["ccode"] <= 0 or not p.stabb:
        return f"missing state: ccode {p.v['ccode']}, stabb {p.stabb!r}"
    _start(p)
    return None


class MidipReader(Reader):
    """MID 5 incident-participant file (MIDIP) -> one event per participant and opponent."""

    name: ClassVar[str] = "cow_midip"
    source: ClassVar[str] = "cow_mid"
    description: ClassVar[str] = "COW MID 5 incident participants (MIDIP CSV, 20 columns) -> events"
    columns: ClassVar[tuple[str, ...]] = (
        "dispnum", "ord_incidnum", "stabb", "ccode", "stday", "stmon", "styear", "endday", "endmon",
        "endyear", "insidea", "sidea", "fatality", "fatalpre", "action", "hostlev", "revtype1",
        "revtype2", "version", "incidnum",
    )  # fmt: skip

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return _header(sample.first.split(",")) == cls.columns

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        mapping = source_cameo("cow_mid_cameo.csv", "action")
        parsed = [self._parse(path.name, *record, mapping) for record in _records(path, self.columns, "MIDIP")]
        incidents: dict[int, list[_Participant]] = defaultdict(list)
        for p in parsed:
            if isinstance(p, _Participant):
                incidents[p.v["incidnum"]].append(p)
        names = {int(r["action"]): r["action_name"] for r in mapping_rows("cow_mid_cameo.csv")}
        iso = cow_to_iso3()
        rows: list[dict[str, object]] = []
        for p in parsed:
            if isinstance(p, _Participant):
                rows.extend(self._events(path.name, p, incidents[p.v["incidnum"]], mapping, names, iso))
            else:
                rows.append(p)
        return ReadResult(rows_table(rows), len(parsed))

    def _parse(
        self, file: str, line: int, raw: str, fields: list[str], mapping: _Mapping
    ) -> _Participant | dict[str, object]:
        """A participant, or a rejected row with its reason."""
        reject = {"source": self.source, "source_file": file, "source_line": line, "raw": raw}
        reason = bad_encoding(raw) or field_problem(fields, len(self.columns))
        if reason:
            return {**reject, "reject_reason": reason}
        try:
            ints, texts = _split(self.columns, fields)
            p = _Participant(line, raw, texts["stabb"], ints)
            reason = _problem(p, mapping)
        except ValueError as exc:
            reason = str(exc)
        return {**reject, "reject_reason": reason} if reason else p

    def _events(
        self,
        file: str,
        p: _Participant,
        incident: list[_Participant],
        mapping: _Mapping,
        names: dict[int, str],
        iso: dict[int, str],
    ) -> list[dict[str, object]]:
        """One event per opposing participant (or one without actor2 if there is none)."""
        when, precision = _start(p)
        action = names[p.v["action"]]
        common = {
            "source": self.source,
            "date": when,
            "date_precision": precision,
            "actor1_code": p.stabb,
            "actor1_country": iso.get(p.v["ccode"]),
            **mapping[(str(p.v["action"]),)].fields(),
            "fatalities": _fatalities(p),
            "original_type": action,
            "description": _description(p, action),
            "source_file": file,
            "source_line": p.line,
            "raw": p.raw,
        }
        incid, ccode = p.v["incidnum"], p.v["ccode"]
        opponents = [o for o in incident if o.v["insidea"] != p.v["insidea"]]
        if not opponents:
            return [{**common, "event_id": f"cow_mid:{incid}:{ccode}"}]
        return [
            {
                **common,
                "event_id": f"cow_mid:{incid}:{ccode}:{o.v['ccode']}",
                "actor2_code": o.stabb,
                "actor2_country": iso.get(o.v["ccode"]),
            }
            for o in opponents
        ]


READERS = [MidipReader, MidiReader, MidaReader, MidbReader]
