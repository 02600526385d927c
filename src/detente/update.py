"""Keep a store current: one idempotent call fetches what each source's list added and ingests it.

``update(home)`` brings every configured source up to date (decision 062):

- **gdelt2**: the GDELT 2.0 15-minute exports named in ``gdeltv2/masterfilelist.txt``;
- **gdelt1**: the GDELT 1.0 daily files and the yearly / monthly backfiles named in ``events/md5sums``
  and ``events/filesizes``.

Each run reads the lists (the 2.0 list by its new tail only, decision 041), leaves out the files the
store already holds, downloads the others in parallel (:func:`detente.sources.fetch.fetch_gdelt`) into
``<home>/downloads/<source>/`` and ingests each verified file, in name order, through
:meth:`detente.store.Store.ingest` with the configured scope (:mod:`detente.scope`). A second run
with nothing new asks only for the lists (and the files that are still holes); nothing is stored
twice, because the store keys files by content.

Under ``<home>/update/``:

- ``lock``: held with ``fcntl.flock`` for the whole run; a second update on the same home fails at
  once with :class:`UpdateBusy` (one line naming the running process);
- ``state.json``: the configuration (sources, first day, scope, mirror) and each source's last run,
  replaced atomically (written to a temporary file, fsynced, renamed);
- ``files.jsonl``: one JSON line per fact about a file (read: rows in and out of scope; ingested,
  refused, missing upstream, checksum mismatch, failed), appended and fsynced. A line cut by a kill is
  ignored when the log is read. :mod:`detente.coverage` reads it for the reasons of the gaps.

A killed run leaves the store as it was before the file it was on (the store's commit protocol,
decision 003), a partial download as ``.part`` to resume, and the log as it was after the last fact;
the next run picks up there: verified downloads are ingested, partial ones resumed.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import httpx2

from .config import settings
from .scope import Scope
from .sources.fetch import DEFAULT_BASE_URL, FetchReport, FileResult, ProgressEvent, ProgressTracker, fetch_gdelt
from .sources.gdelt import Gdelt1Reader, Gdelt2Reader
from .store import IngestReport, Store

__all__ = [
    "SOURCES",
    "FileOutcome",
    "SourceUpdate",
    "UpdateBusy",
    "UpdateError",
    "UpdateReport",
    "downloads_dir",
    "read_log",
    "read_state",
    "update",
]

#: source -> GDELT version
SOURCES: dict[str, int] = {"gdelt2": 2, "gdelt1": 1}

_STATE_FORMAT = 1
_END = object()  # end of the fetch thread's results


class UpdateError(Exception):
    """The update cannot run as asked (the message is one line, for the user)."""


class UpdateBusy(UpdateError):
    """Another update holds the store's lock."""


# -- files under <home>/update ----------------------------------------------------------------------
def _update_dir(home: Path) -> Path:
    return home / "update"


def downloads_dir(home: Path, source: str) -> Path:
    """Where an update keeps a source's downloaded files and list copies."""
    return home / "downloads" / source


def read_state(home: Path) -> dict[str, Any]:
    """The update state of ``home`` (empty when no update ran there)."""
    path = _update_dir(home) / "state.json"
    if not path.is_file():
        return {}
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise UpdateError(f"{path}: unreadable update state ({exc}); move it away to start again") from None
    if not isinstance(state, dict) or state.get("format") != _STATE_FORMAT:
        raise UpdateError(f"{path}: not a Détente update state (format {_STATE_FORMAT})")
    return state


def _write_state(home: Path, state: dict[str, Any]) -> None:
    path = _update_dir(home) / "state.json"
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_log(home: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The update log folded per (source, file name): the latest value of every field written.

    Lines that are not whole JSON objects (a run killed while writing one) are skipped.
    """
    path = _update_dir(home) / "files.jsonl"
    folded: dict[tuple[str, str], dict[str, Any]] = {}
    if not path.is_file():
        return folded
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                fact = json.loads(line)
            except ValueError:
                continue
            if isinstance(fact, dict) and isinstance(fact.get("source"), str) and isinstance(fact.get("name"), str):
                folded.setdefault((fact["source"], fact["name"]), {}).update(fact)
    return folded


class _Log:
    """Append-only, fsynced facts about files."""

    def __init__(self, home: Path) -> None:
        self.fh = open(_update_dir(home) / "files.jsonl", "a", encoding="utf-8")  # noqa: SIM115

    def write(self, **fact: Any) -> None:
        fact["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.fh.write(json.dumps(fact, sort_keys=True) + "\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold ``<home>/update/lock`` for the block; :class:`UpdateBusy` at once if another process has it."""
    path = _update_dir(home) / "lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise UpdateBusy(f"another update is running on {home} (pid {holder}); try again when it ends") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock; a killed process releases it too


# -- reports ----------------------------------------------------------------------------------------
FileState = Literal["ingested", "unchanged", "refused", "missing", "mismatch", "failed"]
_STATES: tuple[FileState, ...] = ("ingested", "unchanged", "refused", "missing", "mismatch", "failed")


@dataclass(frozen=True)
class FileOutcome:
    """What an update did with one listed file.

    ``state``: ``ingested`` / ``unchanged`` (stored now / already), ``refused`` (the store refused the
    whole file), ``missing`` (HTTP 404 upstream), ``mismatch`` (size or MD5 differs from the list)
    or ``failed`` (network or disk; retried next run). Row counts are those of the ingest;
    ``out_of_scope`` the records the scope left out.
    """

    name: str
    state: FileState
    rows_read: int = 0
    rows_stored: int = 0
    rows_quarantined: int = 0
    out_of_scope: int = 0
    error: str | None = None


@dataclass
class SourceUpdate:
    """One source's part of an update."""

    source: str
    fetch: FetchReport
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, state: FileState) -> int:
        """Number of files in this state."""
        return sum(1 for f in self.files if f.state == state)

    @property
    def ok(self) -> bool:
        """The list was read and no file failed to arrive (defects upstream are gaps in the ledger, not failures)."""
        return self.fetch.error is None and all(f.state != "failed" for f in self.files)


@dataclass
class UpdateReport:
    """What :func:`update` did, per source, with the notes a user should read."""

    home: Path
    start: date
    end: date
    scope: str | None
    sources: list[SourceUpdate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every source's list was read and no file failed to arrive (a run worth repeating soon if not)."""
        return all(s.ok for s in self.sources)

    def totals(self) -> dict[str, int]:
        """Files by state and rows over all sources."""
        files = [f for s in self.sources for f in s.files]
        out: dict[str, int] = {state: sum(1 for f in files if f.state == state) for state in _STATES}
        for key in ("rows_read", "rows_stored", "rows_quarantined", "out_of_scope"):
            out[key] = sum(getattr(f, key) for f in files)
        return out

    def lines(self) -> list[str]:
        """Plain one-line summaries (no markup), one per source, then the notes."""
        out = []
        for s in self.sources:
            if s.fetch.error:
                out.append(f"{s.source}: list not read: {s.fetch.error}")
                continue
            rows = sum(f.rows_read for f in s.files)
            out.append(
                f"{s.source}: {s.count('ingested')} new files ({rows:,} rows in scope,"
                f" {sum(f.rows_stored for f in s.files):,} stored, {sum(f.rows_quarantined for f in s.files):,}"
                f" quarantined, {sum(f.out_of_scope for f in s.files):,} out of scope);"
                f" {s.count('missing')} missing upstream, {s.count('mismatch')} checksum mismatches,"
                f" {s.count('refused')} refused, {s.count('failed')} failed"
            )
        return out + self.notes


# -- the update -------------------------------------------------------------------------------------
def _config(
    state: dict[str, Any],
    sources: Sequence[str] | None,
    start: date | None,
    scope: Scope | Literal["all"] | None,
    base_url: str | None,
    notes: list[str],
) -> dict[str, Any]:
    """The configuration of this run: the stored one with the arguments given laid over it."""
    config = dict(state.get("config") or {})
    if sources is not None:
        unknown = [s for s in sources if s not in SOURCES]
        if unknown or not sources:
            raise UpdateError(f"unknown source {', '.join(unknown) or '(none)'}; known: {', '.join(SOURCES)}")
        config["sources"] = list(dict.fromkeys(sources))
    config.setdefault("sources", ["gdelt2"])
    if start is not None:
        config["start"] = start.isoformat()
    if "start" not in config:
        raise UpdateError("nothing is configured yet: the first update needs its first day (--since YYYY-MM-DD)")
    if base_url is not None:
        config["base_url"] = base_url
    if scope is not None:
        old = config.get("scope")
        new = None if scope == "all" else scope.key
        if old != new and state.get("runs"):
            if old is not None and (new is None or set(old.split(",")) <= set(new.split(","))):
                notes.append(
                    f"scope widened from {old} to {new or 'everything'}: files already stored keep only the rows of"
                    f" {old}; `detente ingest{' --countries ' + new if new else ''} <home>/downloads/<source>` reads"
                    " them again and stores only the rows they do not hold yet"
                )
            else:
                notes.append(f"scope changed from {old or 'everything'} to {new}: rows already stored outside it stay")
        config["scope"] = new
        config["scope_name"] = None if scope == "all" else scope.name
    return config


def _held(store: Store) -> set[tuple[str, str]]:
    """(source, file name) of every file in the store's manifest."""
    table = store.ingests().select("source", "file_name").to_pyarrow()
    return set(zip(table.column("source").to_pylist(), table.column("file_name").to_pylist(), strict=True))


def _in_order(results: queue.Queue[Any]) -> Iterator[FileResult]:
    """The fetch thread's finished files, in the order of its plan (downloads finish out of order)."""
    order: tuple[str, ...] = ()
    waiting: dict[str, FileResult] = {}
    i = 0
    while True:
        item = results.get()
        if item is _END:
            break
        if isinstance(item, tuple):
            order = item
            continue
        waiting[item.name] = item
        while i < len(order) and order[i] in waiting:
            yield waiting.pop(order[i])
            i += 1
    yield from (waiting.pop(n) for n in order[i:] if n in waiting)


def _fetch_in_background(
    run: Callable[[Callable[[ProgressEvent], None]], FetchReport], tracker: ProgressTracker
) -> tuple[Iterable[FileResult], Callable[[], FetchReport]]:
    """Start ``run`` in a thread; its finished files in plan order, and a call that joins and returns its report."""
    results: queue.Queue[Any] = queue.Queue()
    outcome: dict[str, Any] = {}

    def on_event(event: ProgressEvent) -> None:
        tracker(event)
        if event.kind == "plan":
            results.put(event.names)
        elif event.kind == "file" and event.result is not None:
            results.put(event.result)

    def target() -> None:
        try:
            outcome["report"] = run(on_event)
        except BaseException as exc:  # noqa: BLE001 (re-raised in the caller's thread by join)
            outcome["error"] = exc
        finally:
            results.put(_END)

    thread = threading.Thread(target=target, name="detente-update-fetch", daemon=True)
    thread.start()

    def join() -> FetchReport:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["report"]

    return _in_order(results), join


def _ingest(
    store: Store, log: _Log, source: str, result: FileResult, scope: Scope | None, scope_key: str | None
) -> FileOutcome:
    """Ingest one verified download, writing the facts to the log as they become known."""
    assert result.path is not None
    reader = Gdelt2Reader(scope=scope) if SOURCES[source] == 2 else Gdelt1Reader(scope=scope)

    def on_stage(stage: str) -> None:
        if stage == "validating":  # the reader is done: its out-of-scope count is known before the commit
            log.write(source=source, name=result.name, event="read", scope=scope_key, out_of_scope=reader.out_of_scope)

    report: IngestReport = store.ingest(result.path, reader=reader, on_stage=on_stage)
    if report.status == "failed":
        log.write(source=source, name=result.name, event="ingest", state="refused", error=report.error)
        return FileOutcome(result.name, "refused", error=report.error)
    state: FileState = "ingested" if report.status == "ingested" else "unchanged"
    out = report.rows_out_of_scope
    log.write(
        source=source, name=result.name, event="ingest", state="stored", rows_read=report.rows_read - out,
        rows_stored=report.rows_stored, rows_quarantined=report.rows_quarantined, error=None,
    )  # fmt: skip
    return FileOutcome(result.name, state, report.rows_read - out, report.rows_stored, report.rows_quarantined, out)


def update(
    home: str | Path | None = None,
    *,
    sources: Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    scope: Scope | Literal["all"] | None = None,
    base_url: str | None = None,
    client: httpx2.Client | None = None,
    connections: int = 4,
    retries: int = 3,
    backoff: float = 1.0,
    progress: Callable[[ProgressEvent], None] | None = None,
) -> UpdateReport:
    """Bring every configured source of the store at ``home`` (default ``DETENTE_HOME``) up to date.

    The first call configures: ``sources`` (default ``["gdelt2"]``; ``gdelt1`` adds GDELT 1.0 and its
    backfiles), ``start`` (the first day kept), ``scope`` (a :class:`~detente.scope.Scope`, or
    ``"all"`` to keep every row) and ``base_url`` (a mirror); later calls reuse what was stored and
    change only what is given. ``end`` is the last day (default today, UTC). ``client``,
    ``connections``, ``retries`` and ``backoff`` go to :func:`~detente.sources.fetch.fetch_gdelt`;
    ``progress`` receives its events plus one ``rows`` event per ingested file, all with running totals.

    Raises :class:`UpdateBusy` when another update runs on ``home`` and :class:`UpdateError` when
    nothing is configured or an argument is wrong; network and data problems are in the report.
    """
    home = Path(home) if home is not None else settings().home
    _update_dir(home).mkdir(parents=True, exist_ok=True)
    with _locked(home):
        state = read_state(home)
        notes: list[str] = []
        config = _config(state, sources, start, scope, base_url, notes)
        first, last = date.fromisoformat(config["start"]), end or datetime.now(UTC).date()
        if first > last:
            raise UpdateError(f"the first day {first} is after the last day {last}")
        key = config.get("scope")
        run_scope = Scope(frozenset(key.split(",")), config.get("scope_name")) if key else None
        report = UpdateReport(home, first, last, config.get("scope"), notes=notes)
        state.update(format=_STATE_FORMAT, config=config)
        _write_state(home, state)  # the configuration holds even if this run is killed
        store, log = Store(home), _Log(home)
        try:
            tracker = ProgressTracker(progress or (lambda _event: None))
            held = _held(store)
            for source in config["sources"]:
                part = _update_source(
                    store, log, source, held, first, last, run_scope, config, tracker,
                    {"client": client, "connections": connections, "retries": retries, "backoff": backoff},
                )  # fmt: skip
                report.sources.append(part)
                runs = state.setdefault("runs", {})
                runs[source] = {
                    "last_run": datetime.now(UTC).isoformat(timespec="seconds"),
                    "through": last.isoformat(),
                    "list_error": part.fetch.error,
                }
                _write_state(home, state)
        finally:
            log.close()
            store.close()
    return report


def _update_source(
    store: Store,
    log: _Log,
    source: str,
    held: set[tuple[str, str]],
    first: date,
    last: date,
    scope: Scope | None,
    config: dict[str, Any],
    tracker: ProgressTracker,
    fetch_options: dict[str, Any],
) -> SourceUpdate:
    """Fetch and ingest one source's new files, in name order, as the downloads finish."""
    dest = downloads_dir(store.home, source)

    def run(on_event: Callable[[ProgressEvent], None]) -> FetchReport:
        return fetch_gdelt(
            first, last, dest, version=SOURCES[source], base_url=config.get("base_url") or DEFAULT_BASE_URL,
            progress=on_event, skip=lambda name: (source, name) in held, **fetch_options,
        )  # fmt: skip

    files, join = _fetch_in_background(run, tracker)
    outcomes: list[FileOutcome] = []
    for result in files:
        if result.ok:
            outcome = _ingest(store, log, source, result, scope, config.get("scope"))
            tracker(ProgressEvent("rows", name=result.name, nrows=outcome.rows_read + outcome.out_of_scope))
        else:
            log.write(source=source, name=result.name, event="fetch", state=result.status, error=result.error)
            outcome = FileOutcome(result.name, result.status, error=result.error)  # type: ignore[arg-type]
        outcomes.append(outcome)
    fetch = join()
    return SourceUpdate(source, fetch, outcomes)
