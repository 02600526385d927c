"""The reader contract shared by every source format, and small parsing helpers."""

from __future__ import annotations

import csv
import gzip
import io
import re
import shutil
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from ..schema import EVENT_SCHEMA, ROW_COLUMNS, conform

__all__ = [
    "ReadResult",
    "Reader",
    "Sample",
    "SourceError",
    "bad_encoding",
    "clean_raw",
    "csv_records",
    "decode_text",
    "extract_to",
    "field_problem",
    "first_url",
    "open_bytes",
    "rows_table",
]


class SourceError(Exception):
    """A whole file cannot be read (empty, truncated, unknown format, ...)."""


@dataclass(frozen=True)
class Sample:
    """The start of a file, for format sniffing: its name and first decoded lines."""

    name: str
    lines: list[str]

    @property
    def first(self) -> str:
        return self.lines[0] if self.lines else ""


@dataclass
class ReadResult:
    """What a reader returns for one file.

    ``rows`` has the reader's table columns (:data:`EVENT_SCHEMA` for events) plus
    ``raw`` and ``reject_reason``. ``rows_read`` counts the data lines (records) read;
    every one of them must appear in ``rows`` by its ``source_line``. ``out_of_scope`` counts the
    records a scoped reader left out (not in ``rows_read``, not in ``rows``).
    """

    rows: pa.Table | duckdb.DuckDBPyRelation
    rows_read: int
    out_of_scope: int = 0


class Reader(ABC):
    """One source format. Subclasses set the class attributes and implement two methods."""

    #: format name shown to users, e.g. ``"gdelt2"``
    name: ClassVar[str]
    #: value of the ``source`` column and of the ``event_id`` prefix
    source: ClassVar[str]
    #: store table the rows go to: ``"events"`` or a side table such as ``"agreements"``
    table: ClassVar[str] = "events"
    #: schema of ``table`` when it is not the event table
    schema: ClassVar[pa.Schema] = EVENT_SCHEMA
    #: key columns of a side table: a row whose key repeats in the file or is already stored is
    #: quarantined as a duplicate, as events are by their id (docs/decisions/040)
    keys: ClassVar[tuple[str, ...]] = ()
    #: one line for error messages and ``detente sources``
    description: ClassVar[str]

    @classmethod
    @abstractmethod
    def sniff(cls, sample: Sample) -> bool:
        """True if the file looks like this format."""

    @abstractmethod
    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        """Parse ``path``; bad records get a ``reject_reason``, never an exception."""


def _member(zf: zipfile.ZipFile, name: str) -> str:
    """The one file in a zip archive."""
    members = [m for m in zf.namelist() if not m.endswith("/")]
    if len(members) != 1:
        raise SourceError(f"{name}: zip holds {len(members)} files, expected 1")
    return members[0]


def open_bytes(path: Path) -> bytes:
    """The file's content, transparently un-gzipped or un-zipped (single member)."""
    data = Path(path).read_bytes()
    if not data:
        raise SourceError(f"{Path(path).name}: empty file (0 bytes)")
    try:
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return zf.read(_member(zf, Path(path).name))
    except (EOFError, OSError, zipfile.BadZipFile) as exc:
        raise SourceError(f"{Path(path).name}: truncated or corrupt archive ({exc})") from exc
    return data


def extract_to(path: Path, target: Path) -> None:
    """Write the single member of a .gz or .zip file to ``target``, in blocks (memory stays flat).

    The same errors as :func:`open_bytes`; a GDELT 1.0 yearly backfile is over a gigabyte unzipped.
    """
    name = Path(path).name
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    try:
        with open(target, "wb") as out:
            if gz:
                with gzip.open(path, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 22)
            else:
                with zipfile.ZipFile(path) as zf, zf.open(_member(zf, name)) as src:
                    shutil.copyfileobj(src, out, 1 << 22)
    except (EOFError, zipfile.BadZipFile) as exc:
        raise SourceError(f"{name}: truncated or corrupt archive ({exc})") from exc
    except OSError as exc:
        raise SourceError(f"{name}: truncated or corrupt archive, or the temporary copy failed ({exc})") from exc


def decode_text(data: bytes, encoding: str = "utf-8") -> str:
    """Decode, keeping undecodable bytes as lone surrogates so the rows can be quarantined."""
    text = data.decode(encoding, errors="surrogateescape")
    return text.removeprefix("\ufeff")


def bad_encoding(raw: str) -> str | None:
    """A reject reason if ``raw`` holds bytes that did not decode, else None."""
    for i, ch in enumerate(raw):
        if "\udc80" <= ch <= "\udcff":
            return f"invalid text encoding: byte 0x{ord(ch) - 0xDC00:02X} at column {i + 1}"
    return None


def clean_raw(raw: str) -> str:
    """Raw text safe to store: undecodable bytes shown as \\xNN escapes."""
    return raw.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")


def csv_records(text: str, **fmtparams: object) -> Iterator[tuple[int, str, list[str]]]:
    """Yield ``(line_number, raw_text, fields)`` per CSV record, 1-based physical lines.

    Quoted newlines are kept inside one record; ``raw_text`` is the record as it stood
    in the file (without the final newline).
    """
    consumed: list[str] = []
    lines = io.StringIO(text, newline="")

    def feed() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line

    reader = csv.reader(feed(), **fmtparams)  # type: ignore[arg-type]
    line_no = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raw = "".join(consumed).rstrip("\r\n")
            yield line_no, raw, [f"\x00csv-error:{exc}"]
            line_no += len(consumed)
            consumed.clear()
            continue
        raw = "".join(consumed).rstrip("\r\n")
        yield line_no, raw, fields
        line_no += len(consumed)
        consumed.clear()


def rows_table(rows: list[dict[str, object]], schema: pa.Schema = EVENT_SCHEMA) -> pa.Table:
    """Build a reader's result table from dicts (missing keys become nulls)."""
    fields = list(schema) + list(ROW_COLUMNS)
    columns = {f.name: [r.get(f.name) for r in rows] for f in fields}
    for name in ("raw", "reject_reason"):
        columns[name] = [None if v is None else clean_raw(str(v)) for v in columns[name]]
    table = pa.table(columns, schema=pa.schema(fields))
    return conform(table, schema)


_URL = re.compile(r"https?://[^\s;\"<>]+|www\.[^\s;\"<>]+")


def first_url(text: str) -> str | None:
    """The first web address in a free-text sources cell (``www.`` ones get ``http://``)."""
    match = _URL.search(text)
    if not match:
        return None
    url = match.group(0).rstrip(".,)")
    return url if url.startswith("http") else "http://" + url


def field_problem(fields: list[str], expected: int) -> str | None:
    """A reject reason for a ``csv_records`` error marker or a wrong number of fields, else None."""
    if fields and fields[0].startswith("\x00csv-error:"):
        return "malformed CSV record: " + fields[0].removeprefix("\x00csv-error:")
    if len(fields) != expected:
        return f"expected {expected} comma-separated fields, found {len(fields)}"
    return None
