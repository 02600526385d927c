"""Append-only JSON Lines logs whose lines form a hash chain (the forecast record and the alert log).

Each line is one JSON object with ``seq`` (1, 2, …), ``prev`` (the ``hash`` of the line before, 64
zeros for the first) and ``hash``: the SHA-256 of the line's canonical JSON (sorted keys, no spaces)
without ``hash``. Editing, removing or reordering a line breaks the chain at that line, and
:meth:`Journal.verify` names it. Lines are only ever appended (one ``write`` per batch, flushed and
fsynced); nothing is rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["GENESIS", "Journal", "JournalError", "Verification", "canonical"]

#: the ``prev`` of the first line
GENESIS = "0" * 64


class JournalError(ValueError):
    """A log line that cannot be read (the message names the file and line)."""


def canonical(obj: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, non-ASCII kept, NaN refused."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _digest(entry: Mapping[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(canonical(body).encode()).hexdigest()


@dataclass(frozen=True)
class Verification:
    """The result of :meth:`Journal.verify`: ``ok``, lines checked, and the first bad line (1-based) and why."""

    ok: bool
    lines: int
    bad_line: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"ok: {self.lines} lines, hash chain intact"
        return f"line {self.bad_line}: {self.reason}"


class Journal:
    """An append-only, hash-chained JSON Lines file at ``path`` (created on the first append)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry in order (``JournalError`` naming the line when one is not JSON)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise JournalError(f"{self.path}: line {n} is not JSON ({exc.msg})") from None
                if not isinstance(entry, dict):
                    raise JournalError(f"{self.path}: line {n} is not a JSON object")
                yield entry

    def _head(self) -> tuple[int, str]:
        seq, prev = 0, GENESIS
        for entry in self.entries():
            seq, prev = int(entry.get("seq", seq + 1)), str(entry.get("hash", ""))
        return seq, prev

    def append(self, records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Append ``records`` (JSON objects without ``seq``/``prev``/``hash``); returns them as written."""
        seq, prev = self._head()
        out = []
        for record in records:
            if {"seq", "prev", "hash"} & set(record):
                raise ValueError("seq, prev and hash are set by the journal")
            seq += 1
            entry = {**record, "seq": seq, "prev": prev}
            entry["hash"] = prev = _digest(entry)
            out.append(entry)
        if out:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = "".join(canonical(e) + "\n" for e in out)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        return out

    def verify(self) -> Verification:
        """Check every line: JSON, ``seq`` in order, ``prev`` equal to the previous ``hash``, ``hash`` recomputed."""
        prev, n = GENESIS, 0
        if not self.path.exists():
            return Verification(True, 0)
        with self.path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    return Verification(False, n, n, "not JSON")
                if not isinstance(entry, dict):
                    return Verification(False, n, n, "not a JSON object")
                if entry.get("seq") != n:
                    return Verification(
                        False, n, n, f"seq is {entry.get('seq')!r}, expected {n} (a line removed or moved)"
                    )
                if entry.get("prev") != prev:
                    return Verification(False, n, n, "prev does not match the hash of the line before")
                if entry.get("hash") != _digest(entry):
                    return Verification(False, n, n, "hash does not match the line's content (the line was edited)")
                prev = entry["hash"]
        return Verification(True, n)
