"""GDELT event exports (1.0 daily, 2.0 15-minute, and R re-exports of 1.0) -> canonical events.

Layouts, from the official codebooks (GDELT Data Format Codebook V1.03, 2013,
http://data.gdeltproject.org/documentation/GDELT-Data_Format_Codebook.pdf; GDELT Event Codebook
V2.0, 2015, http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf), checked on the
real rows of ``data/gdelt_events`` (see its PROVENANCE.md):

- **GDELT 1.0 daily** (``YYYYMMDD.export.CSV[.zip]``): tab-separated, no header, 58 fields. Each geo
  block (Actor1Geo_, Actor2Geo_, ActionGeo_) is Type, FullName, CountryCode, ADM1Code, Lat, Long,
  FeatureID; DATEADDED is ``YYYYMMDD``; the last field is SOURCEURL, which the codebook says is
  "only present in the daily event stream files beginning April 1, 2013": the historical backfiles
  have the same first 57 fields and no SOURCEURL. Both widths are read (format ``gdelt1``).
- **GDELT 2.0** (``YYYYMMDDHHMMSS.export.CSV[.zip]``): 61 fields; each geo block gains ADM2Code after
  ADM1Code and DATEADDED is ``YYYYMMDDHHMMSS`` (format ``gdelt2``).
- **R re-export of 1.0** (format ``gdelt1-r``): comma-separated, double-quoted, a header of the 57/58
  GDELT names, every data row led by an unnamed row-name field, ``NA`` for missing, and stray
  spaces around codes and names (``" PRK"``, ``"MINISTRY "``), as in ``undp_georgia_extract_april13.csv``.

Mapping: ``event_id`` = ``gdelt2:<GLOBALEVENTID>`` / ``gdelt1:<GLOBALEVENTID>``; ``date`` from
SQLDATE (day precision); actor code, name and type (Type1Code) without surrounding spaces; actor
country = ActorNCountryCode through :func:`detente.ontology.cameo_country_to_iso3`, else the
organisation of ActorNKnownGroupCode (:func:`detente.ontology.known_group_to_org`: ``UN``, ``EU``,
...), else the code as written (CAMEO regions such as ``EUR``, ``AFR``); ``country`` = ISO3 of
ActionGeo_CountryCode (FIPS 10-4, :func:`detente.ontology.fips_to_iso3`); lat/lon/place from
ActionGeo; ``url`` = SOURCEURL; mentions, sources, articles, tone, QuadClass and Goldstein as given.
Rejected with a reason: a wrong field count, a blank line, bytes that are not UTF-8, a carriage
return inside the record, a GLOBALEVENTID that is not a whole number, an impossible or malformed
SQLDATE, a DATEADDED other than 8 (1.0) / 14 (2.0) digits (an empty one is accepted: it is not stored,
and whole real days of 1.0 files have it blank, e.g. 20130901.export.CSV per gdeltforge 0.14's
``conversion/converter.py``), unparseable or out-of-range numbers, an
EventRootCode that is not the start of EventCode. The store adds its central checks (known CAMEO
code, QuadClass 1..4, Goldstein -10..10, plausible date, duplicate ids).

Speed (see BENCHMARKS.md): a tab-separated file is parsed by DuckDB's CSV reader (all fields VARCHAR,
quoting off) and typed in the same statement into a temporary table whose insertion order is the
file's line order, so ``rowid`` is the line. A cheap pre-scan (newlines, tabs, carriage returns,
UTF-8) and a row count prove that every line became exactly one row. Files that fail it are split
into lines in numpy first: their bad lines are rejected with reasons, the good ones parsed the same
way and joined back to their line numbers. The raw text of a line is read from the file only for the
lines the store quarantines (an Arrow UDF). The R re-export is small and parsed in Python, then
typed and mapped by the same SQL.

Scope (:mod:`detente.scope`, decision 063): a reader made with ``scope=`` keeps only the records whose
Actor1 or Actor2 country code, or ActionGeo country code, maps to one of the scope's countries. The
test runs inside DuckDB's CSV scan (``WITH ORDINALITY`` keeps each record's line number), so other
records are never typed or stored; the scan is strict there (a record DuckDB cannot split sends the
file down the checked path, as a wrong row count does without a scope). Lines rejected before
parsing are quarantined whatever their countries. ``ReadResult.rows_read`` counts the records in
scope and ``out_of_scope`` the others; the reader also keeps the last file's count in
``out_of_scope``.
"""

from __future__ import annotations

import codecs
import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import duckdb
import numpy as np
import pyarrow as pa
from duckdb import func, sqltypes

from .. import ontology
from ..rules import sql_type
from ..schema import EVENT_SCHEMA
from .base import (
    Reader,
    ReadResult,
    Sample,
    SourceError,
    bad_encoding,
    csv_records,
    decode_text,
    extract_to,
    open_bytes,
    rows_table,
)

if TYPE_CHECKING:
    from ..scope import Scope

__all__ = [
    "GDELT_MAPPING", "READERS", "V1_COLUMNS", "V1_URL_COLUMNS", "V2_COLUMNS", "Gdelt1RReader", "Gdelt1Reader",
    "Gdelt2Reader",
]  # fmt: skip

_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
    "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_EVENT = (
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip


def _layout(*, adm2: bool, url: bool) -> tuple[str, ...]:
    """GDELT event column names in file order."""
    geo = ("Type", "FullName", "CountryCode", "ADM1Code", *(("ADM2Code",) if adm2 else ()), "Lat", "Long", "FeatureID")
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    cols += [f"{actor}{f}" for actor in ("Actor1", "Actor2") for f in _ACTOR]
    cols += _EVENT
    cols += [f"{block}_{f}" for block in ("Actor1Geo", "Actor2Geo", "ActionGeo") for f in geo]
    cols += ["DATEADDED", *(("SOURCEURL",) if url else ())]
    return tuple(cols)


#: GDELT 1.0 historical backfile (before 2013-04-01): 57 fields, no SOURCEURL
V1_COLUMNS = _layout(adm2=False, url=False)
#: GDELT 1.0 daily files (from 2013-04-01): 58 fields
V1_URL_COLUMNS = _layout(adm2=False, url=True)
#: GDELT 2.0 event export: 61 fields
V2_COLUMNS = _layout(adm2=True, url=True)

_MAX_LINE = 1 << 20  # DuckDB's max_line_size; longer records are rejected
_CHUNK = 1 << 20  # pre-scan block
_BLOCK = 1 << 23  # numpy block when splitting a file into lines
_SRC = "_gdelt_src"  # DuckDB temp table of the parsed fields
_LINES = "_gdelt_lines"  # row ordinal -> line, when bad lines were taken out
_BAD = "_gdelt_bad"  # rejected lines found before parsing
_R_FIELDS = "_gdelt_r"  # fields of an R re-export
_CAMEO_CC = "_gdelt_cameo_cc"
_ORGS = "_gdelt_orgs"
_FIPS = "_gdelt_fips"
_FILE = "_gdelt_file"  # the file name, one row
_RAW_FN = "_gdelt_raw"  # UDF: raw text of a line
_TMP_PREFIX = "detente-gdelt-"  # temp folders: detente-gdelt-<pid>-<random>


# -- file access -------------------------------------------------------------------------------


@contextmanager
def _plain(path: Path) -> Iterator[Path]:
    """``path`` itself, or a temporary copy of its single .gz/.zip member."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if not magic:
        raise SourceError(f"{path.name}: empty file (0 bytes)")
    if magic[:2] != b"\x1f\x8b" and magic != b"PK\x03\x04":
        yield path
        return
    _sweep_stale_copies()
    with tempfile.TemporaryDirectory(prefix=f"{_TMP_PREFIX}{os.getpid()}-") as tmp:
        plain = Path(tmp) / "export.csv"
        extract_to(path, plain)
        yield plain


def _sweep_stale_copies() -> None:
    """Remove the decompressed copies left by a process that died mid-ingest (its PID is gone)."""
    for tmp in Path(tempfile.gettempdir()).glob(f"{_TMP_PREFIX}*-*"):
        pid = tmp.name.removeprefix(_TMP_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def _head(path: Path, n: int = 50) -> list[str]:
    """First ``n`` lines of a plain file, decoded leniently, without line ends."""
    with open(path, "rb") as fh:
        text = decode_text(fh.read(256 * 1024))
    return [ln.rstrip("\r") for ln in text.split("\n")[:n]]


# -- pre-scan and split ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    """Whole-file facts that decide whether DuckDB can read the file as is."""

    lines: int
    tabs: int
    has_cr: bool
    utf8: bool


def _scan(path: Path) -> _Scan:
    """Count lines and tabs, look for carriage returns, validate UTF-8; one pass, small blocks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buf = bytearray(_CHUNK)
    view, arr, hit = memoryview(buf), np.frombuffer(buf, np.uint8), np.empty(_CHUNK, bool)
    newlines = tabs = 0
    has_cr, utf8, last = False, True, 10
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            a, h = arr[:n], hit[:n]
            newlines += int(np.count_nonzero(np.equal(a, 10, out=h)))
            tabs += int(np.count_nonzero(np.equal(a, 9, out=h)))
            has_cr = has_cr or bool(np.equal(a, 13, out=h).any())
            if utf8:
                try:
                    decoder.decode(view[:n])
                except UnicodeDecodeError:
                    utf8 = False
            last = int(a[-1])
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return _Scan(lines=newlines + (last != 10), tabs=tabs, has_cr=has_cr, utf8=utf8)


@dataclass
class _Split:
    """A file cut into lines: content spans and, per bad line (0-based), its reason."""

    data: bytes
    starts: np.ndarray
    ends: np.ndarray  # content end: before "\n" and before a final "\r"
    stops: np.ndarray  # end of the line including its "\n"
    crlf: np.ndarray  # True where a final "\r" was cut off
    reasons: dict[int, str]


def _where(buf: np.ndarray, test: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Offsets in ``buf`` where ``test`` holds, found block by block (cache-friendly)."""
    parts = [np.flatnonzero(test(buf[lo : lo + _BLOCK])) + lo for lo in range(0, len(buf), _BLOCK)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def _line_spans(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per line: start, content end (before "\\n" and a final "\\r"), stop, and whether a "\\r" was cut."""
    buf = np.frombuffer(data, np.uint8)
    stops = _where(buf, lambda b: b == 10) + 1
    if not data.endswith(b"\n"):
        stops = np.append(stops, len(data))
    starts = np.concatenate(([0], stops[:-1])).astype(np.int64)
    ends = stops - (buf[stops - 1] == 10)
    crlf = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    return starts, ends - crlf, stops, crlf


def _tab_counts(buf: np.ndarray, lines: int) -> np.ndarray:
    """Tabs per line, from the sequence of separators (tab or newline) of each block."""
    counts = np.zeros(lines + 1, np.int64)  # one spare slot for text after a final newline
    line = 0
    for lo in range(0, len(buf), _BLOCK):
        block = buf[lo : lo + _BLOCK]
        kinds = block[np.flatnonzero((block == 9) | (block == 10))]
        newlines = np.flatnonzero(kinds == 10)
        if not len(newlines):
            counts[line] += len(kinds)
            continue
        counts[line] += newlines[0]
        between = np.diff(newlines) - 1
        counts[line + 1 : line + 1 + len(between)] += between
        line += len(newlines)
        counts[line] += len(kinds) - newlines[-1] - 1
    return counts[:lines]


def _split(path: Path, width: int, skip: int, scan: _Scan) -> _Split:
    """Cut the file into lines and give each bad one (after the ``skip`` header lines) a reason."""
    data = path.read_bytes()
    buf = np.frombuffer(data, np.uint8)
    starts, ends, stops, crlf = _line_spans(data)
    reasons: dict[int, str] = {}
    if not scan.utf8:  # decode only the lines with non-ASCII bytes
        high = np.unique(np.searchsorted(starts, _where(buf, lambda b: b >= 0x80), "right") - 1)
        for i in high.tolist():
            if reason := bad_encoding(data[starts[i] : ends[i]].decode("utf-8", "surrogateescape")):
                reasons[i] = reason
    if scan.has_cr:
        crs = _where(buf, lambda b: b == 13)
        cr_lines = np.searchsorted(starts, crs, "right") - 1
        for i in np.unique(cr_lines[crs != ends[cr_lines]]).tolist():
            reasons.setdefault(i, "carriage return inside the record")
    for i in np.flatnonzero(ends - starts > _MAX_LINE - 2).tolist():
        reasons.setdefault(
            i, f"record of {int(ends[i] - starts[i])} bytes is longer than the {_MAX_LINE - 2}-byte limit"
        )
    tabs = _tab_counts(buf, len(starts))
    for i in np.flatnonzero(tabs != width - 1).tolist():
        found = "blank line" if ends[i] == starts[i] else f"found {int(tabs[i]) + 1}"
        reasons.setdefault(i, f"expected {width} tab-separated fields, {found}")
    for i in range(min(skip, len(starts))):
        reasons.pop(i, None)
    return _Split(data, starts, ends, stops, crlf, reasons)


def _write_clean(split: _Split, skip: int, target: Path) -> np.ndarray:
    """Write the good records (no header, no bad line, no "\\r") to ``target``; their 1-based lines."""
    bad = np.zeros(len(split.starts), bool)
    bad[:skip] = True
    bad[list(split.reasons)] = True
    good = np.flatnonzero(~bad)
    view = memoryview(split.data)
    crlf = bool(split.crlf[good].any())
    with open(target, "wb") as fh:
        if crlf:  # line by line, dropping each "\r"
            for i in good.tolist():
                fh.write(view[split.starts[i] : split.ends[i]])
                fh.write(b"\n")
        else:  # maximal runs of good lines, one write each
            edges = np.flatnonzero(np.diff(np.concatenate(([1], bad, [1])).astype(np.int8)))
            fh.writelines(
                view[split.starts[lo] : split.stops[hi - 1]]
                for lo, hi in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True)
            )
            if len(good) and split.data[split.stops[good[-1]] - 1] != 10:
                fh.write(b"\n")  # the last good line had no line end
    return good + 1


# -- DuckDB parsing and mapping ----------------------------------------------------------------

_LOOKUP = pa.schema([("code", pa.string()), ("value", pa.string())])


def _q(col: str) -> str:
    return '"' + col + '"'


def _text(col: str) -> str:
    """SQL: a code or name without surrounding spaces (trimmed only when it has some: trim is costly)."""
    c = _q(col)
    return f"CASE WHEN prefix({c}, ' ') OR suffix({c}, ' ') THEN NULLIF(trim({c}), '') ELSE {c} END"


def _range(col: str, var: str, low: float, high: float) -> tuple[tuple[str, str], ...]:
    """Reasons for a number ``col`` (parsed as ``var``) that is unparseable or outside ``low..high``."""
    c = _q(col)
    return (
        (f"{c} IS NOT NULL AND {var} IS NULL", f"'unparseable {col} ''' || {c} || ''''"),
        (f"coalesce(NOT ({var} BETWEEN {low} AND {high}), false)", f"'{col} ' || {c} || ' outside {low:g}..{high:g}'"),
    )


#: why a record is rejected: (condition, message) in SQL over the fields and the values of
#: :func:`_typed`; conditions are never NULL. The store adds its own checks (CAMEO code, dates, ...).
_REASONS: tuple[tuple[str, str], ...] = (
    ('"GLOBALEVENTID" IS NULL', "'missing GLOBALEVENTID'"),
    (
        '"GLOBALEVENTID" IS NOT NULL AND _id IS NULL',
        """'GLOBALEVENTID ''' || "GLOBALEVENTID" || ''' is not a whole number'""",
    ),
    ('"SQLDATE" IS NULL', "'missing SQLDATE'"),
    ('"SQLDATE" IS NOT NULL AND _date IS NULL', """'invalid SQLDATE ''' || "SQLDATE" || ''' (expected YYYYMMDD)'"""),
    (
        '"DATEADDED" IS NOT NULL AND NOT _added',
        """'invalid DATEADDED ''' || "DATEADDED" || ''' (expected ' || _added_fmt || ')'""",
    ),
    ("_code IS NULL", "'missing EventCode'"),
    (
        "_code IS NOT NULL AND _root IS DISTINCT FROM left(_code, 2)",
        "'EventRootCode ''' || coalesce(_root, '') || ''' does not match EventCode ''' || _code || ''''",
    ),
    ('"QuadClass" IS NULL', "'missing QuadClass'"),
    ('"GoldsteinScale" IS NULL', "'missing GoldsteinScale'"),
    *_range("QuadClass", "_quad", -128, 127),
    *_range("GoldsteinScale", "_gold", -10, 10),
    *_range("NumMentions", "_mentions", 0, 2**31 - 1),
    *_range("NumSources", "_sources", 0, 2**31 - 1),
    *_range("NumArticles", "_articles", 0, 2**31 - 1),
    *_range("AvgTone", "_tone", -100, 100),
    *_range("ActionGeo_Lat", "_lat", -90, 90),
    *_range("ActionGeo_Long", "_lon", -180, 180),
)


def _reason_sql() -> str:
    """SQL: every reason of a record joined by "; ", or NULL (messages are built only for bad records)."""
    anything = " OR ".join(f"({cond})" for cond, _ in _REASONS)
    messages = ", ".join(f"CASE WHEN {cond} THEN {msg} END" for cond, msg in _REASONS)
    return f"CASE WHEN {anything} THEN concat_ws('; ', {messages}) END"


def _typed(layout: tuple[str, ...], source_sql: str, keep: str) -> str:
    """SQL: typed fields and ``reject_reason`` of each record in ``source_sql`` (plus ``keep`` columns).

    Codes and names lose surrounding spaces; place and URL are kept as written. DATEADDED, which is
    not stored, is checked for its digits only, and may be empty.
    """
    v2 = "ActionGeo_ADM2Code" in layout
    added_len, added_label = (14, "YYYYMMDDHHMMSS") if v2 else (8, "YYYYMMDD")
    url = '"SOURCEURL"' if "SOURCEURL" in layout else "NULL"
    return f"""
    SELECT _id, _date, _a1, {_text("Actor1Name")} AS _n1, _c1, _k1, {_text("Actor1Type1Code")} AS _t1,
      _a2, {_text("Actor2Name")} AS _n2, _c2, _k2, {_text("Actor2Type1Code")} AS _t2,
      _code, _quad, _gold, _mentions, _sources, _articles, _tone, _cg, _lat, _lon,
      "ActionGeo_FullName" AS _place, {url} AS _url{keep},
      {_reason_sql()} AS reject_reason
    FROM (
      SELECT *,
        CASE WHEN regexp_full_match("GLOBALEVENTID", '[0-9]{{1,18}}') THEN CAST("GLOBALEVENTID" AS BIGINT) END AS _id,
        CASE WHEN regexp_full_match("SQLDATE", '[0-9]{{8}}')
             THEN CAST(try_strptime("SQLDATE", '%Y%m%d') AS DATE) END AS _date,
        coalesce(regexp_full_match("DATEADDED", '[0-9]{{{added_len}}}'), false) AS _added,
        '{added_label}' AS _added_fmt,
        {_text("Actor1Code")} AS _a1, {_text("Actor2Code")} AS _a2,
        {_text("Actor1CountryCode")} AS _c1, {_text("Actor2CountryCode")} AS _c2,
        {_text("Actor1KnownGroupCode")} AS _k1, {_text("Actor2KnownGroupCode")} AS _k2,
        {_text("EventCode")} AS _code, {_text("EventRootCode")} AS _root,
        TRY_CAST("QuadClass" AS TINYINT) AS _quad, TRY_CAST("GoldsteinScale" AS DOUBLE) AS _gold,
        TRY_CAST("NumMentions" AS INTEGER) AS _mentions, TRY_CAST("NumSources" AS INTEGER) AS _sources,
        TRY_CAST("NumArticles" AS INTEGER) AS _articles, TRY_CAST("AvgTone" AS DOUBLE) AS _tone,
        {_text("ActionGeo_CountryCode")} AS _cg,
        TRY_CAST("ActionGeo_Lat" AS DOUBLE) AS _lat, TRY_CAST("ActionGeo_Long" AS DOUBLE) AS _lon
      FROM {source_sql})"""


def _scope_sql(scope: Scope) -> str:
    """SQL over the raw fields: the record is in ``scope`` (codes come from the ontology, checked here)."""

    def codes(values: tuple[str, ...]) -> str:
        assert all(v.isalnum() and v.isascii() for v in values), values
        return ", ".join(f"'{v}'" for v in values) or "NULL"

    actors, places = codes(scope.cameo_codes), codes(scope.fips_codes)
    return (
        f"({_text('Actor1CountryCode')} IN ({actors}) OR {_text('Actor2CountryCode')} IN ({actors})"
        f" OR {_text('ActionGeo_CountryCode')} IN ({places}))"
    )


def _load(
    con: duckdb.DuckDBPyConnection, path: Path, layout: tuple[str, ...], skip: int, scope: Scope | None = None
) -> int:
    """Parse and type ``path`` into the temp table, rows in file order (``rowid`` = record index).

    Returns the number of rows; lines DuckDB cannot split into ``len(layout)`` fields are left out
    (``ignore_errors``), which the caller detects by counting. With a ``scope`` only the records in
    it are kept, each with its 0-based record index ``_ord``, and a line DuckDB cannot split raises.
    """
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in layout) + "}"
    csv_sql = (
        f"read_csv(?, delim = '\t', quote = '', escape = '', header = false, skip = {int(skip)},"
        f" columns = {columns}, auto_detect = false, strict_mode = true, new_line = '\\n',"
        f" ignore_errors = {str(scope is None).lower()}, max_line_size = {_MAX_LINE})"
    )
    keep = ""
    if scope is not None:
        csv_sql = f"(SELECT *, ordinality - 1 AS _ord FROM {csv_sql} WITH ORDINALITY WHERE {_scope_sql(scope)})"
        keep = ", _ord"
    ordered = _one(con, "SELECT current_setting('preserve_insertion_order')")
    con.execute("SET preserve_insertion_order = true")  # rowid must follow the file's line order
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_SRC} AS {_typed(layout, csv_sql, keep)}", [str(path)])
    finally:
        con.execute(f"SET preserve_insertion_order = {str(bool(ordered)).lower()}")
    count = _one(con, f"SELECT count(*) FROM {_SRC}")
    assert isinstance(count, int)
    return count


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    """The single value a one-row query returns."""
    row = con.execute(sql).fetchone()
    assert row is not None, sql  # an aggregate or a setting always gives one row
    return row[0]


class _RawLines:
    """Arrow UDF: the text of 1-based physical lines of a file (read and indexed on first use).

    Rows parsed by DuckDB carry no raw text (materialising it costs about 2 CPU-seconds per million
    rows, a quarter of an ingest); the store asks for it only for the lines it quarantines. ``path`` is the file as
    given, so a compressed file is decompressed again only if some of its lines are quarantined.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = b""
        self.spans: tuple[np.ndarray, np.ndarray] | None = None  # line starts and content ends

    def _index(self) -> bytes:
        if not self.data:
            self.data = open_bytes(self.path)
            if self.spans is None:
                self.spans = _line_spans(self.data)[:2]
        return self.data

    def __call__(self, lines: pa.Array) -> pa.Array:
        view = memoryview(self._index())
        assert self.spans is not None
        idx = np.asarray(lines.to_numpy(zero_copy_only=False), np.int64) - 1
        starts, ends = self.spans[0][idx], self.spans[1][idx]
        offsets = np.concatenate(([0], np.cumsum(ends - starts))).astype(np.int64)
        text = b"".join(view[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True))
        return pa.LargeStringArray.from_buffers(len(idx), pa.py_buffer(offsets), pa.py_buffer(text)).cast(pa.string())


def _register_raw(con: duckdb.DuckDBPyConnection, lines: _RawLines) -> None:
    """(Re)register the raw-text UDF of this file on the connection."""
    with suppress(duckdb.Error):  # not registered yet
        con.remove_function(_RAW_FN)
    con.create_function(
        _RAW_FN, lines, [sqltypes.BIGINT], sqltypes.VARCHAR, type=func.PythonUDFType.ARROW, side_effects=False
    )


def _register_lookups(con: duckdb.DuckDBPyConnection, file_name: str) -> None:
    """Code tables for the mapping joins, and the file name."""
    lookups = (
        (_CAMEO_CC, ontology.cameo_country_to_iso3()),
        (_ORGS, ontology.known_group_to_org()),
        (_FIPS, ontology.fips_to_iso3()),
    )
    for name, mapping in lookups:
        con.register(name, pa.table({"code": list(mapping), "value": list(mapping.values())}, schema=_LOOKUP))
    con.register(_FILE, pa.table({"file": [file_name]}))


#: How each canonical column GDELT fills comes from GDELT's event fields, written once: the DuckDB
#: reader (:func:`_values`) and the Ibis mapping of BigQuery's rows
#: (:func:`detente.backends.gdelt_canonical`) are both generated from it (their agreement is tested
#: on the real export). Kinds: ``id`` = ``<source>:<field>``; ``source``, ``const``; ``date`` from a
#: YYYYMMDD field and ``year`` of it; ``text`` = trimmed, empty as null; ``as_is`` = the typed value;
#: ``root`` = first two characters of the trimmed code; ``actor_country`` = ISO3 of ActorNCountryCode,
#: else the organisation of ActorNKnownGroupCode, else the code as written (field = the actor
#: prefix); ``fips`` = ISO3 of a FIPS 10-4 country code. Columns not listed are null.
GDELT_MAPPING: dict[str, tuple[str, str]] = {
    "event_id": ("id", "GLOBALEVENTID"),
    "source": ("source", ""),
    "date": ("date", "SQLDATE"),
    "date_precision": ("const", "day"),
    "year": ("year", "SQLDATE"),
    "actor1_code": ("text", "Actor1Code"),
    "actor1_name": ("text", "Actor1Name"),
    "actor1_country": ("actor_country", "Actor1"),
    "actor1_type": ("text", "Actor1Type1Code"),
    "actor2_code": ("text", "Actor2Code"),
    "actor2_name": ("text", "Actor2Name"),
    "actor2_country": ("actor_country", "Actor2"),
    "actor2_type": ("text", "Actor2Type1Code"),
    "event_code": ("text", "EventCode"),
    "event_root": ("root", "EventCode"),
    "quad_class": ("as_is", "QuadClass"),
    "goldstein": ("as_is", "GoldsteinScale"),
    "mentions": ("as_is", "NumMentions"),
    "sources_n": ("as_is", "NumSources"),
    "articles": ("as_is", "NumArticles"),
    "tone": ("as_is", "AvgTone"),
    "country": ("fips", "ActionGeo_CountryCode"),
    "lat": ("as_is", "ActionGeo_Lat"),
    "lon": ("as_is", "ActionGeo_Long"),
    "place": ("as_is", "ActionGeo_FullName"),
    "url": ("as_is", "SOURCEURL"),
}
#: the column of :func:`_typed` that holds each mapped field, typed (and trimmed for ``text`` kinds)
_TYPED = {
    "GLOBALEVENTID": "_id", "SQLDATE": "_date", "Actor1Code": "_a1", "Actor1Name": "_n1", "Actor1Type1Code": "_t1",
    "Actor2Code": "_a2", "Actor2Name": "_n2", "Actor2Type1Code": "_t2", "EventCode": "_code", "QuadClass": "_quad",
    "GoldsteinScale": "_gold", "NumMentions": "_mentions", "NumSources": "_sources", "NumArticles": "_articles",
    "AvgTone": "_tone", "ActionGeo_CountryCode": "_cg", "ActionGeo_Lat": "_lat", "ActionGeo_Long": "_lon",
    "ActionGeo_FullName": "_place", "SOURCEURL": "_url",
}  # fmt: skip


def _value_sql(kind: str, field: str, source: str) -> str:
    """DuckDB SQL of one :data:`GDELT_MAPPING` entry, over :func:`_typed` and the lookup joins of :func:`_mapped`."""
    if kind == "actor_country":
        n = field.removeprefix("Actor")
        return f"coalesce(a{n}.value, o{n}.value, _c{n})"
    col = _TYPED.get(field, "")
    return {
        "id": f"'{source}:' || CAST({col} AS VARCHAR)",
        "source": f"'{source}'",
        "const": f"'{field}'",
        "date": col,
        "year": f"year({col})",
        "text": col,
        "as_is": col,
        "root": f"left({col}, 2)",
        "fips": "g.value",
    }[kind]


def _values(source: str) -> dict[str, str]:
    """SQL for each canonical column GDELT fills (the others are NULL), from :data:`GDELT_MAPPING`."""
    values = {name: _value_sql(kind, field, source) for name, (kind, field) in GDELT_MAPPING.items()}
    return values | {"source_file": "f.file", "source_line": "_line"}


def _mapped(con: duckdb.DuckDBPyConnection, source: str, file_name: str, typed: str) -> duckdb.DuckDBPyRelation:
    """Canonical rows (plus ``raw``, ``reject_reason``) from ``typed`` (which gives ``_line``, ``_raw``)."""
    _register_lookups(con, file_name)
    values = _values(source)
    select = ",\n  ".join(
        f"CAST({values.get(f.name, 'NULL')} AS {sql_type(f.type)}) AS {f.name}" for f in EVENT_SCHEMA
    )
    return con.sql(
        f"""SELECT {select}, _raw AS raw, reject_reason
        FROM ({typed}) t
        LEFT JOIN {_CAMEO_CC} a1 ON a1.code = t._c1
        LEFT JOIN {_CAMEO_CC} a2 ON a2.code = t._c2
        LEFT JOIN {_ORGS} o1 ON o1.code = t._k1
        LEFT JOIN {_ORGS} o2 ON o2.code = t._k2
        LEFT JOIN {_FIPS} g ON g.code = t._cg
        CROSS JOIN {_FILE} f"""
    )


def _with_rejected(
    con: duckdb.DuckDBPyConnection,
    rows: duckdb.DuckDBPyRelation | None,
    source: str,
    file_name: str,
    bad: list[dict[str, object]],
) -> duckdb.DuckDBPyRelation:
    """``rows`` (None when no record parsed) plus the records rejected before parsing."""
    if not bad:
        if rows is None:
            raise SourceError(f"{file_name}: no data records")
        return rows
    for row in bad:
        row.update(source=source, source_file=file_name)
    con.register(_BAD, rows_table(bad))
    rejected = con.sql(f"SELECT * FROM {_BAD}")
    return rejected if rows is None else rows.union(rejected)


def _read_tab(
    path: Path,
    plain: Path,
    con: duckdb.DuckDBPyConnection,
    source: str,
    layout: tuple[str, ...],
    skip: int,
    scope: Scope | None = None,
) -> ReadResult:
    """Read a tab-separated export (``skip`` header lines) with DuckDB; see the module docstring."""
    file_name = path.name
    scan = _scan(plain)
    records = scan.lines - skip
    raw_lines = _RawLines(path)
    _register_raw(con, raw_lines)
    ordinal = "rowid" if scope is None else "_ord"  # a record's 0-based index in what DuckDB read
    if _clean(scan, len(layout)) and records > 0:
        try:
            parsed = _load(con, plain, layout, skip, scope)
        except duckdb.Error:
            parsed = -1  # let the line-by-line checks find the culprit
        if parsed == records or (scope is not None and parsed >= 0):  # every line became one row, in order
            line = f"{ordinal} + {1 + skip}"
            typed = f"SELECT *, {line} AS _line, {_RAW_FN}({line}) AS _raw FROM {_SRC}"
            return ReadResult(rows=_mapped(con, source, file_name, typed), rows_read=parsed,
                              out_of_scope=records - parsed)  # fmt: skip
    split = _split(plain, len(layout), skip, scan)
    raw_lines.spans = (split.starts, split.ends)  # the same lines: no need to find them again
    bad = [
        {"source_line": i + 1, "raw": decode_text(split.data[split.starts[i] : split.ends[i]]), "reject_reason": r}
        for i, r in sorted(split.reasons.items())
    ]
    with tempfile.TemporaryDirectory(prefix=f"{_TMP_PREFIX}{os.getpid()}-") as tmp:
        clean = Path(tmp) / "good.csv"
        lines = _write_clean(split, skip, clean)
        del split
        try:
            parsed = _load(con, clean, layout, 0, scope) if len(lines) else 0
        except duckdb.Error as exc:
            raise SourceError(f"{file_name}: DuckDB could not parse the checked records ({exc})") from exc
    if parsed != len(lines) and scope is None:
        raise SourceError(f"{file_name}: parsed {parsed} of {len(lines)} checked records (reader bug)")
    rows: duckdb.DuckDBPyRelation | None = None
    if len(lines):
        con.register(_LINES, pa.table({"_ord": np.arange(len(lines)), "_line": lines}))
        src = f"(SELECT rowid AS _ord, * FROM {_SRC})" if scope is None else _SRC
        typed = f"SELECT *, {_RAW_FN}(_line) AS _raw FROM {src} JOIN {_LINES} USING (_ord)"
        rows = _mapped(con, source, file_name, typed)
    out = len(lines) - parsed
    return ReadResult(rows=_with_rejected(con, rows, source, file_name, bad), rows_read=records - out, out_of_scope=out)


def _clean(scan: _Scan, width: int) -> bool:
    """True if DuckDB may read the file as is: no "\r", valid UTF-8, the right number of tabs."""
    return not scan.has_cr and scan.utf8 and scan.tabs == scan.lines * (width - 1)


# -- the R re-export ---------------------------------------------------------------------------


def _r_header(line: str) -> tuple[str, ...] | None:
    """The GDELT 1.0 layout named by an R header line, or None."""
    names = tuple(n.strip() for n in next(csv.reader([line]), []))
    return names if names in (V1_COLUMNS, V1_URL_COLUMNS) else None


def _r_rows(text: str, layout: tuple[str, ...]) -> tuple[dict[str, list[str | None]], list[dict[str, object]], int]:
    """Fields by column of the good records, the rejected records, and the number of records."""
    columns: dict[str, list[str | None]] = {c: [] for c in (*layout, "_line", "_raw")}
    bad: list[dict[str, object]] = []
    width, records = len(layout), 0
    for line_no, raw, fields in csv_records(text):
        if line_no == 1:
            continue
        records += 1
        reason = bad_encoding(raw)
        if not reason and fields[:1] and fields[0].startswith("\x00csv-error:"):
            reason = "malformed CSV: " + fields[0].removeprefix("\x00csv-error:")
        if not reason and len(fields) not in (width, width + 1):
            reason = f"expected {width + 1} comma-separated fields (R row name + {width}), found {len(fields)}"
        if reason:
            bad.append({"source_line": line_no, "raw": raw, "reject_reason": reason})
            continue
        for name, value in zip(layout, fields[len(fields) - width :], strict=True):
            value = value.strip()  # R pads codes (" PRK") and names ("MINISTRY ")
            columns[name].append(None if value in ("", "NA") else value)
        columns["_line"].append(line_no)  # type: ignore[arg-type]
        columns["_raw"].append(raw)
    return columns, bad, records


def _read_r(path: Path, con: duckdb.DuckDBPyConnection, source: str) -> ReadResult:
    """Read an R re-export of GDELT 1.0 (small files: parsed in Python, mapped by the same SQL)."""
    text = decode_text(open_bytes(path))
    first = text.split("\n", 1)[0].rstrip("\r")
    layout = _r_header(first)
    if layout is None:
        raise SourceError(f"{path.name}: not an R re-export of GDELT 1.0 (header is not the 57/58 GDELT names)")
    columns, bad, records = _r_rows(text, layout)
    fields = pa.table(
        {name: pa.array(values, pa.int64() if name == "_line" else pa.string()) for name, values in columns.items()}
    )
    con.register(_R_FIELDS, fields)
    rows = _mapped(con, source, path.name, _typed(layout, _R_FIELDS, ", _line, _raw")) if fields.num_rows else None
    return ReadResult(rows=_with_rejected(con, rows, source, path.name, bad), rows_read=records)


# -- readers -----------------------------------------------------------------------------------


def _is_record(line: str, widths: tuple[int, ...]) -> bool:
    """A GDELT export line: an expected field count, a numeric id and an 8-digit SQLDATE."""
    fields = line.split("\t")
    return len(fields) in widths and fields[0].isdigit() and len(fields[1]) == 8 and fields[1].isdigit()


def _is_header(line: str, widths: tuple[int, ...]) -> bool:
    fields = line.split("\t")
    return len(fields) in widths and fields[0] == "GLOBALEVENTID"


class _TabReader(Reader):
    """A tab-separated GDELT export; subclasses name the layouts they accept.

    ``scope`` keeps only the records in it (module docstring); ``out_of_scope`` is the number the
    last :meth:`read` left out.
    """

    layouts: ClassVar[tuple[tuple[str, ...], ...]]

    def __init__(self, scope: Scope | None = None) -> None:
        self.scope = scope
        self.out_of_scope = 0

    @classmethod
    def _widths(cls) -> tuple[int, ...]:
        return tuple(len(layout) for layout in cls.layouts)

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        first = sample.first.rstrip("\r")
        lines = [ln.rstrip("\r") for ln in sample.lines]
        return _is_header(first, cls._widths()) or any(_is_record(ln, cls._widths()) for ln in lines)

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        self.out_of_scope = 0
        with _plain(path) as plain:
            result = self._read_plain(path, plain, con)
        self.out_of_scope = result.out_of_scope
        return result

    def _read_plain(self, path: Path, plain: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        head = _head(plain)
        skip = int(_is_header(head[0], self._widths()))
        widths = [len(ln.split("\t")) for ln in head[skip:] if _is_record(ln, self._widths())]
        if skip:
            widths = [len(head[0].split("\t"))]
        if not widths:
            raise SourceError(
                f"{path.name}: not a {self.description}: none of the first {len(head)} lines has"
                f" {' or '.join(map(str, self._widths()))} tab-separated fields, a numeric id and a YYYYMMDD date"
            )
        layout = next(la for la in self.layouts if len(la) == max(set(widths), key=widths.count))
        return _read_tab(path, plain, con, self.source, layout, skip, self.scope)


class Gdelt2Reader(_TabReader):
    """GDELT 2.0 event export (15-minute files)."""

    name = "gdelt2"
    source = "gdelt2"
    description = "GDELT 2.0 event export (YYYYMMDDHHMMSS.export.CSV, 61 tab-separated fields, no header)"
    layouts = (V2_COLUMNS,)


class Gdelt1Reader(_TabReader):
    """GDELT 1.0 event files: daily (58 fields) or historical backfile (57 fields)."""

    name = "gdelt1"
    source = "gdelt1"
    description = "GDELT 1.0 event file (YYYYMMDD.export.CSV, 58 tab-separated fields; 57 before 2013-04-01)"
    layouts = (V1_URL_COLUMNS, V1_COLUMNS)


class Gdelt1RReader(Reader):
    """GDELT 1.0 events re-written by R's ``write.csv`` (header, quotes, row names, ``NA``)."""

    name = "gdelt1-r"
    source = "gdelt1"
    description = "GDELT 1.0 events re-exported by R (comma-separated, quoted, GDELT header, NA for missing)"

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        return "\t" not in sample.first and _r_header(sample.first.rstrip("\r")) is not None

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        return _read_r(path, con, self.source)


READERS = [Gdelt2Reader, Gdelt1Reader, Gdelt1RReader]
