"""Download GDELT event files: selected by date, MD5-verified, atomic and resumable.

What GDELT publishes (sources):

- GDELT 2.0 writes an Event export every 15 minutes, named ``YYYYMMDDHHMMSS.export.CSV.zip``
  (GDELT 2.0 Event Database Codebook V2.0, 2015-02-19,
  http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf). Every file is
  listed in ``http://data.gdeltproject.org/gdeltv2/masterfilelist.txt`` (announced in
  https://blog.gdeltproject.org/gdelt-2-0-our-global-world-in-realtime/), one line per file:
  ``<size in bytes> <md5 hex> <url>``, e.g.
  ``150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip``
  (lines as printed from the live list in linwoodc3/gdeltPyR,
  ``notebook/earlyConceptsnFunctionality.md``). The same list also names the
  ``.mentions.CSV.zip`` and ``.gkg.csv.zip`` files, which are skipped here.
- GDELT 1.0 publishes one daily file ``events/YYYYMMDD.export.CSV.zip`` from 2013-04-01 on, and
  its history as backfiles: one ``YYYY.zip`` per year 1979-2005 and one ``YYYYMM.zip`` per month
  2006-01 to 2013-03 (each holding one ``YYYY.csv`` / ``YYYYMM.csv``, 57 tab-separated fields,
  no SOURCEURL: GDELT Data Format Codebook V1.03; names as listed on the live index and checked
  there by the bilatr R package, ``R/gdelt.R``, 2026-09-25). Its index page
  http://data.gdeltproject.org/events/index.html links two lists naming every one of them:
  ``events/md5sums`` in ``md5sum`` format (``<md5>  <file name>``; lines copied in
  lamastex/spark-gdelt-examples ``gdelt-docs/README.md``) and ``events/filesizes``
  (``<bytes> <file name>``). Both are read and kept in ``dest`` like the 2.0 list; ``md5sums``
  is required, ``filesizes`` adds the size check and the byte total for progress when it is
  available, and a file it names that ``md5sums`` does not is fetched and checked by size only.
  The index page itself (one link per file; linwoodc3/gdeltPyR reads its links as
  ``//ul/li/a/@href``) is read too when the server has it, for its links only: a file it links
  that neither list names is fetched unchecked (the reader still refuses a truncated archive),
  and the notes say so.
  A backfile is selected when its year or month overlaps the requested dates.
- ``data.gdeltproject.org`` serves HTTPS; third-party code that checked it in 2026 reports
  plain HTTP redirecting there (not verified here: no network). So the default base URL is
  the HTTPS one, and redirects are followed.

Files are fetched ``connections`` at a time (default 4, threads sharing one HTTP client whose pool
holds at most that many connections; decision 061). Progress goes to one plain callback, called
under a lock so it never runs twice at once: each event carries the running files, bytes, rate and
ETA, and the caller renders them (the CLI with rich).

How a file is fetched: it is written to ``<name>.part``, checked against the listed size and
MD5 and only then renamed to ``<name>``. A ``.part`` left by an interrupted run is resumed
with an HTTP ``Range`` request; a server that answers ``200`` instead of ``206`` sends the
whole file again, which replaces the partial copy. A file already present is re-verified and
skipped. Connection errors, timeouts, cut transfers and HTTP 408/429/5xx are retried a
bounded number of times with exponential back-off (a cut transfer resumes where it stopped).
A checksum mismatch removes the file and is reported; it is retried once from scratch only
when the bad copy came from a resumed partial (the partial may have been stale).

The GDELT 2.0 master list grows by appending (it names every file since 2015, over 100 MB). A
copy is kept in ``dest/.masterfilelist.txt``; a later run asks only for the bytes after it, with a
``Range`` request that starts ``_OVERLAP`` bytes early: when those bytes equal the end of the copy
the new tail is appended, otherwise (the list was rewritten, or the server ignores ``Range``) the
list is fetched whole. The copy is replaced atomically and parsed from disk (decision 041).

The URLs written in a list are not followed: only the file name is taken from them (it must
match the GDELT pattern, so no path can escape ``dest``) and the file is fetched from the
same base URL as the list. That keeps mirrors and test servers working and keeps untrusted
list content from choosing hosts or paths.
"""

from __future__ import annotations

import calendar
import dataclasses
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import httpx2

__all__ = [
    "DEFAULT_BASE_URL",
    "V1_LISTS",
    "V2_LIST",
    "FetchReport",
    "FileResult",
    "ListProblem",
    "ProgressEvent",
    "ProgressTracker",
    "covered_days",
    "fetch_gdelt",
    "read_list_copy",
]

#: GDELT's download site; ``gdeltv2/`` and ``events/`` are resolved against it
DEFAULT_BASE_URL = "https://data.gdeltproject.org/"

FileStatus = Literal["downloaded", "present", "missing", "mismatch", "failed"]

_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_MAX_PROBLEMS = 100  # malformed list lines kept in a report (all are counted)
_MAX_BACKOFF = 60.0
_MD5 = re.compile(r"[0-9a-fA-F]{32}")
_V2_NAME = re.compile(r"(\d{14})\.export\.CSV\.zip")
#: GDELT 1.0 daily files and the yearly / monthly backfiles
_V1_NAME = re.compile(r"(\d{8})\.export\.CSV\.zip|(\d{4}|\d{6})\.zip")
#: the lists kept in ``dest`` (as ``.<name>``) per version
V2_LIST = "masterfilelist.txt"
V1_LISTS = ("md5sums", "filesizes")
_OVERLAP = 4096  # bytes of a cached list asked for again, to check that the list was only appended to

#: parses one list line into (size, md5, file name); ValueError says what is wrong
_LineParser = Callable[[str], tuple[int | None, str | None, str]]


# -- public records ----------------------------------------------------------------------
@dataclass(frozen=True)
class ListProblem:
    """A malformed line in a GDELT file list (``line`` is 1-based)."""

    list_name: str
    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class FileResult:
    """Outcome for one selected file.

    ``status``: ``downloaded`` (fetched and verified), ``present`` (already there and
    verified), ``missing`` (HTTP 404), ``mismatch`` (size or MD5 differs from the list;
    the copy was removed) or ``failed`` (see ``error``). ``resumed_from``: bytes of an
    earlier partial copy that the final request continued; ``received``: bytes fetched over
    the network for this file in this run (all attempts).
    """

    name: str
    url: str
    status: FileStatus
    size: int | None
    md5: str | None
    path: Path | None = None
    attempts: int = 0
    resumed_from: int = 0
    received: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when a verified copy is on disk."""
        return self.status in ("downloaded", "present")


@dataclass(frozen=True)
class ProgressEvent:
    """One progress notification.

    ``kind``: ``list`` (``nbytes`` of a file list received, negative when a failed attempt at
    reading it is dropped), ``plan`` (once, after the lists:
    ``files_total`` and ``bytes_total``, None when a size is unknown), ``bytes`` (``nbytes``
    of ``name`` written to disk, or negative when a partial copy is discarded; bytes of files
    found already present are reported too, so the running sum is the data on disk) and
    ``file`` (``name`` finished, with its ``result``); ``rows`` is sent by callers that ingest
    the files (:mod:`detente.update`), with ``nrows`` read from ``name``.

    Every event also carries the running totals: ``files_done``, ``bytes_done`` (the sum of the
    ``bytes`` events), ``rows_done``, ``rate`` (``bytes_done`` per second since the plan) and
    ``eta`` (seconds left at that rate, None while unknown). ``names`` (on ``plan``) are the
    selected files in the order they are handed out.
    """

    kind: Literal["list", "plan", "bytes", "file", "rows"]
    name: str | None = None
    nbytes: int = 0
    files_total: int = 0
    bytes_total: int | None = None
    result: FileResult | None = None
    nrows: int = 0
    names: tuple[str, ...] = ()
    files_done: int = 0
    bytes_done: int = 0
    rows_done: int = 0
    rate: float = 0.0
    eta: float | None = None


class ProgressTracker:
    """A progress callback that adds the running totals to each event and hands it on to ``sink``.

    Thread-safe: events from several threads reach ``sink`` one at a time.
    """

    def __init__(self, sink: Callable[[ProgressEvent], None], clock: Callable[[], float] = time.monotonic) -> None:
        self.sink, self.clock, self.lock = sink, clock, threading.Lock()
        self.started = clock()
        self.files_total = 0
        self.bytes_total: int | None = None
        self.files_done = self.bytes_done = self.rows_done = 0

    def __call__(self, event: ProgressEvent) -> None:
        with self.lock:
            if event.kind == "plan":
                self.started, self.files_total, self.bytes_total = self.clock(), event.files_total, event.bytes_total
            elif event.kind == "bytes":
                self.bytes_done += event.nbytes
            elif event.kind == "file":
                self.files_done += 1
            elif event.kind == "rows":
                self.rows_done += event.nrows
            elapsed = self.clock() - self.started
            rate = self.bytes_done / elapsed if elapsed > 0 else 0.0
            left = None if self.bytes_total is None else max(self.bytes_total - self.bytes_done, 0)
            eta = left / rate if left is not None and rate > 0 else (0.0 if left == 0 else None)
            self.sink(
                dataclasses.replace(
                    event, files_done=self.files_done, bytes_done=self.bytes_done, rows_done=self.rows_done,
                    rate=rate, eta=eta,
                )
            )


@dataclass
class FetchReport:
    """What :func:`fetch_gdelt` did. ``error`` is set when the file lists could not be read."""

    version: int
    start: date
    end: date
    dest: Path
    lists: list[str] = field(default_factory=list)
    lines_listed: int = 0
    files: list[FileResult] = field(default_factory=list)
    problems: list[ListProblem] = field(default_factory=list)
    problems_total: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the lists were read and every selected file is verified on disk."""
        return self.error is None and all(f.ok for f in self.files)

    def count(self, status: FileStatus) -> int:
        """Number of files with this status."""
        return sum(1 for f in self.files if f.status == status)

    @property
    def bytes_downloaded(self) -> int:
        """Bytes fetched over the network in this run, for all files."""
        return sum(f.received for f in self.files)


# -- list parsing --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    name: str
    size: int | None
    md5: str | None
    line: int


class _Listing:
    """Valid lines of one file list, keeping only export files dated within [start, end]."""

    def __init__(self, list_name: str, pattern: re.Pattern[str], start: date, end: date) -> None:
        self.list_name, self.pattern, self.start, self.end = list_name, pattern, start, end
        self.entries: dict[str, _Entry] = {}
        self.broken: dict[str, str] = {}  # in-range file name -> why its line is unusable
        self.problems: list[ListProblem] = []
        self.valid = 0

    def add(self, line_no: int, text: str, parse: _LineParser) -> None:
        if not text.strip():
            return
        try:
            size, md5, name = parse(text)
            in_range = self._in_range(name)
        except ValueError as exc:
            self._problem(line_no, str(exc), text)
            return
        if not in_range or self._keep(_Entry(name, size, md5, line_no), text):
            self.valid += 1

    def _in_range(self, name: str) -> bool:
        if not self.pattern.fullmatch(name):
            return False
        first, last = covered_days(name)
        return first <= self.end and self.start <= last

    def _keep(self, entry: _Entry, text: str) -> bool:
        """Keep an in-range entry; False (and a problem) if it contradicts an earlier line."""
        first = self.entries.setdefault(entry.name, entry)
        self.broken.pop(entry.name, None)  # a good line outweighs an earlier malformed one
        if (first.size, first.md5) != (entry.size, entry.md5):
            self._problem(
                entry.line, f"conflicts with line {first.line} for {entry.name}; line {first.line} kept", text
            )
            return False
        return True

    def _problem(self, line_no: int, reason: str, text: str) -> None:
        self.problems.append(ListProblem(self.list_name, line_no, reason, text[:200]))
        name = _name_in(text, self.pattern)
        if name and name not in self.entries:
            try:
                if self._in_range(name):
                    self.broken[name] = f"{self.list_name} line {line_no}: {reason}"
            except ValueError:
                pass


_STAMP_FORMATS = {14: "%Y%m%d%H%M%S", 8: "%Y%m%d", 6: "%Y%m", 4: "%Y"}


def covered_days(name: str) -> tuple[date, date]:
    """First and last day (UTC) of the events in a GDELT export or backfile, from its name.

    ``20191024143000.export.CSV.zip`` and ``20130401.export.CSV.zip`` cover their day, ``200601.zip``
    its month and ``1979.zip`` its year. ValueError for another name or an impossible date.
    """
    stamp = name.split(".", 1)[0]
    fmt = _STAMP_FORMATS.get(len(stamp)) if stamp.isascii() and stamp.isdigit() else None
    if fmt is None:
        raise ValueError(f"{name!r} is not a GDELT export or backfile name")
    try:
        first = datetime.strptime(stamp, fmt).date()
    except ValueError:
        raise ValueError(f"file {name!r} has an impossible timestamp {stamp!r}") from None
    if len(stamp) == 6:
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if len(stamp) == 4:
        return first, first.replace(month=12, day=31)
    return first, first


def _name_in(text: str, pattern: re.Pattern[str]) -> str | None:
    """The GDELT file name a (possibly malformed) list line mentions, if any."""
    for token in reversed(text.split()):
        name = token.rsplit("/", 1)[-1]
        if pattern.fullmatch(name):
            return name
    return None


def _file_name(token: str) -> str:
    name = token.rsplit("/", 1)[-1]
    if not name or name in (".", ".."):
        raise ValueError(f"no file name in {token[:80]!r}")
    return name


def _size(token: str) -> int:
    if not token.isascii() or not token.isdigit():
        raise ValueError(f"size {token[:40]!r} is not a whole number")
    return int(token)


def _md5(token: str) -> str:
    if not _MD5.fullmatch(token):
        raise ValueError(f"md5 {token[:40]!r} is not 32 hex digits")
    return token.lower()


def _parse_master(text: str) -> tuple[int | None, str | None, str]:
    """``<size> <md5> <url>`` (GDELT 2.0 masterfilelist.txt)."""
    fields = text.split()
    if len(fields) != 3:
        raise ValueError(f"expected 3 space-separated fields (size md5 url), found {len(fields)}")
    return _size(fields[0]), _md5(fields[1]), _file_name(fields[2])


def _parse_md5sums(text: str) -> tuple[int | None, str | None, str]:
    """``<md5>  <name>`` (GDELT 1.0 events/md5sums, md5sum format)."""
    fields = text.split()
    if len(fields) != 2:
        raise ValueError(f"expected 2 fields (md5 name), found {len(fields)}")
    return None, _md5(fields[0]), _file_name(fields[1].lstrip("*"))


def _parse_sizes(text: str) -> tuple[int | None, str | None, str]:
    """``<bytes> <name>`` (GDELT 1.0 events/filesizes)."""
    fields = text.split()
    if len(fields) != 2:
        raise ValueError(f"expected 2 fields (size name), found {len(fields)}")
    return _size(fields[0]), None, _file_name(fields[1])


def _lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """Physical lines of a byte stream (LF or CRLF), decoded leniently."""
    buf = b""
    for chunk in chunks:
        buf += chunk
        *complete, buf = buf.split(b"\n")
        for raw in complete:
            yield raw.rstrip(b"\r").decode("utf-8", errors="replace")
    if buf:
        yield buf.rstrip(b"\r").decode("utf-8", errors="replace")


# -- HTTP session ----------------------------------------------------------------------------
#: worth another try: network failures, timeouts, connections cut mid-response
_TRANSIENT = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
#: not worth another try: bad URL or scheme, redirect loops, proxy and local protocol errors
_PERMANENT = (httpx2.RequestError, httpx2.InvalidURL)


class _RetryableError(Exception):
    """A transient failure: try again."""


class _FatalError(Exception):
    """A permanent failure for this file or list."""

    def __init__(self, message: str, status: FileStatus = "failed") -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Session:
    client: httpx2.Client
    base: str
    dest: Path
    retries: int
    backoff: float
    emit: Callable[[ProgressEvent], None]
    notes: list[str]
    received: int = 0  # network bytes of the current file

    def pause(self, attempt: int) -> None:
        if self.backoff > 0:
            time.sleep(min(self.backoff * 2 ** (attempt - 1), _MAX_BACKOFF))

    def on_disk(self, name: str, nbytes: int) -> None:
        if nbytes:
            self.emit(ProgressEvent("bytes", name=name, nbytes=nbytes))


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _check_status(response: httpx2.Response, what: str) -> None:
    code = response.status_code
    if code == 404:
        raise _FatalError(f"{what}: not found (HTTP 404)", "missing")
    if code in _RETRY_STATUS:
        raise _RetryableError(f"{what}: HTTP {code} {response.reason_phrase}".rstrip())
    if code not in (200, 206):
        raise _FatalError(f"{what}: HTTP {code} {response.reason_phrase}".rstrip())


def _read_list(
    s: _Session,
    report: FetchReport,
    list_name: str,
    pattern: re.Pattern[str],
    parse: _LineParser,
    *,
    cached: bool = False,
) -> _Listing:
    """Stream and parse one file list, retrying transient failures from the start.

    With ``cached``, the list is kept in ``dest`` and only its new tail is fetched (:func:`_update_copy`).
    """
    url, last = s.base + list_name, ""
    for attempt in range(1, s.retries + 2):
        listing, received = _Listing(list_name, pattern, report.start, report.end), [0]
        try:
            if cached:
                with _update_copy(s, url, list_name, received).open("rb") as fh:
                    for line_no, text in enumerate(_lines(iter(lambda: fh.read(1 << 20), b"")), 1):
                        listing.add(line_no, text, parse)
            else:
                with s.client.stream("GET", url, follow_redirects=True) as response:
                    _check_status(response, url)
                    chunks = _counted(response.iter_bytes(), s, listing.list_name, received)
                    for line_no, text in enumerate(_lines(chunks), 1):
                        listing.add(line_no, text, parse)
            report.lists.append(url)
            return listing
        except _RetryableError as exc:
            last = str(exc)
        except _TRANSIENT as exc:
            last = f"{url}: {_describe(exc)}"
        except _PERMANENT as exc:
            raise _FatalError(f"{url}: {_describe(exc)}") from exc
        s.emit(ProgressEvent("list", name=listing.list_name, nbytes=-received[0]))
        if attempt <= s.retries:
            s.pause(attempt)
    raise _FatalError(f"{last} (gave up after {s.retries + 1} attempts)")


def _update_copy(s: _Session, url: str, list_name: str, received: list[int]) -> Path:
    """The local copy of an append-only list (``dest/.<list_name>``), brought up to date.

    The new copy is written to ``<copy>.part`` and renamed over the copy only when complete; what was
    fetched goes to the report's notes.
    """
    copy = s.dest / f".{list_name}"
    part = copy.with_name(copy.name + ".part")
    skip = copy.stat().st_size - _OVERLAP if copy.is_file() else 0
    if skip > 0:
        with s.client.stream("GET", url, headers={"Range": f"bytes={skip}-"}, follow_redirects=True) as response:
            if response.status_code != 416:  # 416: the list is now shorter than the copy
                _check_status(response, url)
                ranged = response.status_code == 206
                if not ranged or _range_start(response.headers.get("Content-Range")) == skip:
                    with copy.open("rb") as old, part.open("wb") as out:
                        out.write(old.read(skip) if ranged else b"")
                        out.writelines(_counted(response.iter_bytes(), s, list_name, received))
                    if not ranged or _same_bytes(copy, part, skip, _OVERLAP):
                        part.replace(copy)
                        how = f"{skip:,} reused from the local copy" if ranged else "the server does not send ranges"
                        s.notes.append(f"{list_name}: {received[0]:,} bytes fetched, {how}")
                        return copy
    with s.client.stream("GET", url, follow_redirects=True) as response:
        _check_status(response, url)
        with part.open("wb") as out:
            out.writelines(_counted(response.iter_bytes(), s, list_name, received))
    part.replace(copy)
    if skip > 0:
        s.notes.append(f"{list_name}: the local copy is not a prefix of the list any more; fetched whole")
    return copy


def _same_bytes(a: Path, b: Path, offset: int, n: int) -> bool:
    """Whether ``a`` and ``b`` hold the same ``n`` bytes at ``offset``."""
    with a.open("rb") as fa, b.open("rb") as fb:
        fa.seek(offset)
        fb.seek(offset)
        return fa.read(n) == fb.read(n)


def _counted(chunks: Iterator[bytes], s: _Session, name: str, received: list[int]) -> Iterator[bytes]:
    for chunk in chunks:
        received[0] += len(chunk)
        s.emit(ProgressEvent("list", name=name, nbytes=len(chunk)))
        yield chunk


# -- one file --------------------------------------------------------------------------------
def _verify(path: Path, entry: _Entry) -> str | None:
    """None if ``path`` has the listed size and MD5, else what differs."""
    size = path.stat().st_size
    if entry.size is not None and size != entry.size:
        return f"size {size} bytes, expected {entry.size}"
    if entry.md5 is None:
        return None  # no sum is published for this file: the size was checked
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != entry.md5:
        return f"MD5 {digest.hexdigest()}, expected {entry.md5}"
    return None


def _held(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _discard(s: _Session, part: Path, name: str) -> None:
    size = _held(part)
    part.unlink(missing_ok=True)
    s.on_disk(name, -size)


def _range_start(value: str | None) -> int | None:
    match = re.fullmatch(r"bytes (\d+)-\d+/(?:\d+|\*)", (value or "").strip())
    return int(match.group(1)) if match else None


def _transfer(s: _Session, entry: _Entry, url: str, part: Path) -> int:
    """Fetch ``url`` into ``part``, resuming a partial copy if possible; returns the bytes reused."""
    offset = _held(part)
    if entry.size is not None and offset > entry.size:
        _discard(s, part, entry.name)
        offset = 0
    if offset and offset == entry.size:
        return offset  # complete already; only the rename was missing
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    with s.client.stream("GET", url, headers=headers, follow_redirects=True) as response:
        if response.status_code == 416 and offset:
            if entry.size is None:
                return offset  # nothing after offset: the partial may be whole; verification decides
            _discard(s, part, entry.name)
            raise _RetryableError(f"{url}: server refused to resume at byte {offset} (HTTP 416); restarting")
        _check_status(response, url)
        if response.status_code == 206 and _range_start(response.headers.get("content-range")) != offset:
            _discard(s, part, entry.name)
            raise _RetryableError(f"{url}: server answered another byte range than asked; restarting")
        if response.status_code == 200 and offset:
            _discard(s, part, entry.name)  # the server ignored Range and sends the whole file
            offset = 0
        with open(part, "ab" if offset else "wb") as fh:
            for chunk in response.iter_bytes():  # unbuffered: a cut keeps every byte received
                fh.write(chunk)
                s.received += len(chunk)
                s.on_disk(entry.name, len(chunk))
    return offset


def _attempt(
    s: _Session, entry: _Entry, url: str, final: Path, part: Path
) -> tuple[FileStatus, int, str | None]:
    """One try: (status, bytes reused, error). Raises _RetryableError or _FatalError."""
    try:
        reused = _transfer(s, entry, url, part)
    except _TRANSIENT as exc:
        raise _RetryableError(f"{url}: {_describe(exc)}") from exc
    except _PERMANENT as exc:
        raise _FatalError(f"{url}: {_describe(exc)}") from exc
    reason = _verify(part, entry)
    if reason is None:
        os.replace(part, final)
        return "downloaded", reused, None
    _discard(s, part, entry.name)
    if reused:
        raise _RetryableError(f"{url}: resumed copy failed verification ({reason}); restarting from scratch")
    return "mismatch", reused, f"{reason}; file removed"


def _present(s: _Session, entry: _Entry, url: str, final: Path) -> FileResult | None:
    """A result for a verified existing copy; a copy that fails verification is removed."""
    if not final.exists():
        return None
    reason = _verify(final, entry)
    if reason is None:
        s.on_disk(entry.name, final.stat().st_size)
        return FileResult(entry.name, url, "present", entry.size, entry.md5, final)
    final.unlink()
    s.notes.append(f"{entry.name}: the existing copy failed verification ({reason}); fetched again")
    return None


def _fetch_file(s: _Session, entry: _Entry) -> FileResult:
    s = dataclasses.replace(s, received=0)  # this file's own counter: files run in parallel threads
    url = s.base + entry.name
    final, part = s.dest / entry.name, s.dest / f"{entry.name}.part"
    try:
        found = _present(s, entry, url, final)
        if found is not None:
            return found
        s.on_disk(entry.name, _held(part))
        return _tries(s, entry, url, final, part)
    except OSError as exc:
        return FileResult(
            entry.name, url, "failed", entry.size, entry.md5, error=f"{final}: {_describe(exc)}"
        )


def _tries(s: _Session, entry: _Entry, url: str, final: Path, part: Path) -> FileResult:
    last = ""
    for attempt in range(1, s.retries + 2):
        try:
            status, reused, error = _attempt(s, entry, url, final, part)
        except _RetryableError as exc:
            last = str(exc)
            if attempt <= s.retries:
                s.pause(attempt)
            continue
        except _FatalError as exc:
            return FileResult(
                entry.name, url, exc.status, entry.size, entry.md5, None, attempt, 0, s.received, str(exc)
            )
        path = final if status == "downloaded" else None
        return FileResult(
            entry.name, url, status, entry.size, entry.md5, path, attempt, reused, s.received, error
        )
    error = f"{last} (gave up after {s.retries + 1} attempts; any partial copy is kept for resuming)"
    return FileResult(
        entry.name, url, "failed", entry.size, entry.md5, None, s.retries + 1, 0, s.received, error
    )


# -- lists per version -----------------------------------------------------------------------
def _entries_v2(s: _Session, report: FetchReport) -> tuple[list[_Entry], dict[str, str]]:
    listing = _checked(report, _read_list(s, report, V2_LIST, _V2_NAME, _parse_master, cached=True))
    return list(listing.entries.values()), listing.broken


def _entries_v1(s: _Session, report: FetchReport) -> tuple[list[_Entry], dict[str, str]]:
    sums = _checked(report, _read_list(s, report, "md5sums", _V1_NAME, _parse_md5sums, cached=True))
    try:
        sizes = _checked(report, _read_list(s, report, "filesizes", _V1_NAME, _parse_sizes, cached=True))
    except _FatalError as exc:
        report.notes.append(f"sizes unavailable ({exc}); files are verified by MD5 only")
        sizes = _Listing("filesizes", _V1_NAME, report.start, report.end)
    return _merge_v1(sums, sizes, report.notes, _index_names(s, report))


_HREF = re.compile(rb"""href\s*=\s*["']?([^"'<>\s]+)""", re.IGNORECASE)


def _index_names(s: _Session, report: FetchReport) -> list[str]:
    """File names linked from ``events/index.html`` (kept in ``dest``); empty when the server has no index."""
    url, last = s.base + "index.html", ""
    for attempt in range(1, s.retries + 2):
        try:
            with s.client.stream("GET", url, follow_redirects=True) as response:
                if response.status_code == 404:
                    return []
                _check_status(response, url)
                page = b"".join(response.iter_bytes())
            copy = s.dest / ".index.html"
            copy.with_name(copy.name + ".part").write_bytes(page)
            copy.with_name(copy.name + ".part").replace(copy)
            return _links(page)
        except _RetryableError as exc:
            last = str(exc)
        except _TRANSIENT as exc:
            last = f"{url}: {_describe(exc)}"
        except (*_PERMANENT, _FatalError) as exc:
            last = f"{url}: {_describe(exc) if not isinstance(exc, _FatalError) else exc}"
            break
        if attempt <= s.retries:
            s.pause(attempt)
    report.notes.append(f"index.html unavailable ({last}); the md5sums and filesizes lists alone are the plan")
    return []


def _links(page: bytes) -> list[str]:
    """GDELT 1.0 file names among the links of an index page."""
    names = {m.decode("ascii", "replace").rsplit("/", 1)[-1] for m in _HREF.findall(page)}
    return sorted(n for n in names if _V1_NAME.fullmatch(n))


def _merge_v1(
    sums: _Listing, sizes: _Listing, notes: list[str], linked: Iterable[str] = ()
) -> tuple[list[_Entry], dict[str, str]]:
    """One entry per file named in md5sums or filesizes; a file without a listed MD5 is checked by size.

    ``linked`` (the index page's links) adds the in-range files neither list names, unchecked.
    """
    entries = [
        _Entry(e.name, sizes.entries[e.name].size if e.name in sizes.entries else None, e.md5, e.line)
        for e in sums.entries.values()
    ]
    unsummed = sorted(sizes.entries.keys() - sums.entries.keys() - sums.broken.keys())
    entries += [dataclasses.replace(sizes.entries[name], md5=None) for name in unsummed]
    if unsummed:
        notes.append(f"{len(unsummed)} file(s) listed in filesizes but not in md5sums are checked by size only")
    known = sums.entries.keys() | sizes.entries.keys() | sums.broken.keys()
    unlisted = [n for n in linked if n not in known and _covers(sums, n)]
    entries += [_Entry(name, None, None, 0) for name in unlisted]
    if unlisted:
        notes.append(f"{len(unlisted)} file(s) linked from index.html but in neither list are fetched unchecked")
    return entries, dict(sums.broken)


def _covers(listing: _Listing, name: str) -> bool:
    """Whether ``name`` is a valid GDELT 1.0 name in the listing's date range."""
    try:
        return listing._in_range(name)
    except ValueError:
        return False


def read_list_copy(dest: Path, version: int) -> dict[str, tuple[int | None, str | None]]:
    """The export files named in the list copies kept in ``dest`` (no network): name -> (size, md5).

    Empty when no copy is there yet. Malformed lines are left out (the run that fetched the list
    reported them).
    """
    dest = Path(dest)

    def parse(list_name: str, pattern: re.Pattern[str], parser: _LineParser) -> _Listing:
        listing = _Listing(list_name, pattern, date.min, date.max)
        copy = dest / f".{list_name}"
        if copy.is_file():
            with copy.open("rb") as fh:
                for line_no, text in enumerate(_lines(iter(lambda: fh.read(1 << 20), b"")), 1):
                    listing.add(line_no, text, parser)
        return listing

    if version == 2:
        entries = list(parse(V2_LIST, _V2_NAME, _parse_master).entries.values())
    else:
        index = dest / ".index.html"
        linked = _links(index.read_bytes()) if index.is_file() else []
        entries, _broken = _merge_v1(
            parse("md5sums", _V1_NAME, _parse_md5sums), parse("filesizes", _V1_NAME, _parse_sizes), [], linked
        )
    return {e.name: (e.size, e.md5) for e in entries}


def _checked(report: FetchReport, listing: _Listing) -> _Listing:
    """The listing, its problems added to the report; a list without one valid line is an error."""
    if listing.valid == 0:
        first = listing.problems[0] if listing.problems else None
        detail = f"; line {first.line}: {first.reason}" if first else ""
        raise _FatalError(f"{listing.list_name}: not a GDELT file list (no valid line{detail})")
    report.lines_listed += listing.valid
    report.problems_total += len(listing.problems)
    report.problems.extend(listing.problems[: _MAX_PROBLEMS - len(report.problems)])
    return listing


# -- entry point -----------------------------------------------------------------------------
def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def fetch_gdelt(
    start: date,
    end: date,
    dest: Path,
    *,
    version: int = 2,
    client: httpx2.Client | None = None,
    base_url: str = DEFAULT_BASE_URL,
    progress: Callable[[ProgressEvent], None] | None = None,
    retries: int = 3,
    backoff: float = 1.0,
    connections: int = 4,
    skip: Callable[[str], bool] | None = None,
) -> FetchReport:
    """Download the GDELT Event export files dated ``start``..``end`` (UTC, inclusive) into ``dest``.

    ``version`` 2 selects the 15-minute files of GDELT 2.0 by the timestamp in their name;
    ``version`` 1 the daily files of GDELT 1.0 and the yearly / monthly backfiles that overlap
    the dates. ``client`` is any ``httpx2.Client`` (pass one with a ``MockTransport`` or other
    transport for tests); otherwise one is made and closed here. ``base_url`` is the site root
    that holds ``gdeltv2/`` and ``events/``. ``retries`` bounds the extra attempts per request,
    ``backoff`` is the first wait in seconds (doubling, capped at 60). ``connections`` files are
    fetched at once. ``skip`` leaves out the listed files it is true for (a caller that already
    holds them). Never raises for network or data problems: they are in the returned report.
    Raises ``ValueError`` for an unknown version, ``start > end`` or ``connections < 1``.

    Examples
    --------
    >>> report = fetch_gdelt(date(2019, 10, 24), date(2019, 10, 24), Path("gdelt"))  # doctest: +SKIP
    >>> report.count("downloaded"), report.problems_total  # doctest: +SKIP
    (96, 0)
    """
    start, end = _as_date(start), _as_date(end)
    if version not in (1, 2):
        raise ValueError(f"GDELT version must be 1 or 2, not {version!r}")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if retries < 0:
        raise ValueError("retries must be >= 0")
    if connections < 1:
        raise ValueError("connections must be >= 1")
    report = FetchReport(version, start, end, Path(dest))
    emit = ProgressTracker(progress or (lambda _event: None))
    with ExitStack() as stack:
        if client is None:
            limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
            client = stack.enter_context(httpx2.Client(timeout=httpx2.Timeout(60.0, connect=15.0), limits=limits))
        base = base_url.rstrip("/") + ("/gdeltv2/" if version == 2 else "/events/")
        session = _Session(client, base, Path(dest), retries, backoff, emit, report.notes)
        _run(session, report, connections, skip or (lambda _name: False))
    return report


def _run(s: _Session, report: FetchReport, connections: int, skip: Callable[[str], bool]) -> None:
    try:
        s.dest.mkdir(parents=True, exist_ok=True)
        entries, broken = (_entries_v2 if report.version == 2 else _entries_v1)(s, report)
    except _FatalError as exc:
        report.error = str(exc)
        return
    except OSError as exc:
        report.error = f"{s.dest}: {_describe(exc)}"
        return
    entries = sorted((e for e in entries if not skip(e.name)), key=lambda e: e.name)
    broken = {name: why for name, why in broken.items() if not skip(name)}
    sizes = [e.size for e in entries]
    total = sum(n for n in sizes if n is not None) if None not in sizes else None
    names = (*sorted(broken), *(e.name for e in entries))
    s.emit(ProgressEvent("plan", files_total=len(names), bytes_total=total, names=names))
    for name in sorted(broken):
        result = FileResult(name, s.base + name, "failed", None, None, error=broken[name])
        report.files.append(result)
        s.emit(ProgressEvent("file", name=name, result=result))

    def one(entry: _Entry) -> FileResult:
        result = _fetch_file(s, entry)
        s.emit(ProgressEvent("file", name=entry.name, result=result))
        return result

    with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="gdelt-fetch") as pool:
        report.files.extend(pool.map(one, entries))  # handed out in name order, results kept in it
    if not report.files:
        report.notes.append(f"no export files are listed between {report.start} and {report.end}")
