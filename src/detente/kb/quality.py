"""Audit of a knowledge-base folder: how each table is sourced, and which rows break the rules.

Any folder of CSVs with ``source`` and ``confidence`` columns can be audited (default: the shipped
``detente/kb/data``); the rules are those of :mod:`.sources`. Example::

    >>> from detente.kb import audit
    >>> table, summary = audit()
    >>> summary["rows_weak_only"], summary["rows_unsourced"]
    (0, 0)
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path

import pyarrow as pa

from .sources import CLASSES, RECALLED, STRONG, references, row_problems
from .tables import KbDataError, parse_date

__all__ = ["audit", "problems", "sample"]

_DATE_WORDS = ("date", "start", "end", "year")
_COUNTS = ("rows", *(f"sources_{c}" for c in CLASSES), "sources_denied", "rows_weak_only", "rows_unsourced",
           "rows_recalled", "rows_with_recalled_claims", "verified_with_recalled_claims")  # fmt: skip


def _shipped() -> Path:
    return Path(str(resources.files(__package__).joinpath("data")))


def _tables(directory: Path) -> list[tuple[str, list[dict[str, str]]]]:
    if not directory.is_dir():
        raise KbDataError(f"{directory}: not a knowledge-base folder")
    out = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if {"source", "confidence"} <= set(reader.fieldnames or ()):
                out.append((path.stem, list(reader)))
    if not out:
        raise KbDataError(f"{directory}: no CSV with 'source' and 'confidence' columns")
    return out


def _newest(rows: list[dict[str, str]]) -> date | None:
    found = []
    for row in rows:
        for column, text in row.items():
            if column and any(w in column for w in _DATE_WORDS) and not column.endswith("precision") and text:
                try:
                    found.append(parse_date(text.strip())[0])
                except ValueError:
                    continue
    return max(found, default=None)


def _counts(rows: list[dict[str, str]]) -> Counter[str]:
    c: Counter[str] = Counter(rows=len(rows))
    for row in rows:
        refs = references(row["source"] or "")
        c.update(f"sources_{r.cls}" for r in refs)
        c["sources_denied"] += sum(r.denied for r in refs)
        c["rows_unsourced"] += not refs
        c["rows_weak_only"] += bool(refs) and not any(r.cls in STRONG for r in refs)
        c["rows_recalled"] += row["confidence"] == "recalled"
        claims = any(RECALLED in (v or "") for v in row.values())
        c["rows_with_recalled_claims"] += claims
        c["verified_with_recalled_claims"] += claims and row["confidence"] == "verified"
    return c


def audit(directory: str | Path | None = None) -> tuple[pa.Table, dict[str, int]]:
    """Per-table audit of a knowledge-base folder and its totals.

    The table has one row per CSV: ``table``, ``rows``, ``sources_<class>`` for each class of
    :data:`~.sources.CLASSES`, ``sources_denied``, ``rows_weak_only`` (no primary, wire or research
    source), ``rows_unsourced``, ``rows_recalled`` (confidence ``recalled``),
    ``rows_with_recalled_claims`` (a ``[recalled]`` fragment anywhere), ``verified_with_recalled_claims``
    and ``newest`` (the latest date in any date column, so a stale table shows). The summary sums the
    counts over tables and adds ``tables`` and ``rows_failing`` (rows with any :func:`problems`).
    """
    tables = _tables(Path(directory) if directory is not None else _shipped())
    counts = [_counts(rows) for _, rows in tables]
    records = [
        {"table": name, **{k: c[k] for k in _COUNTS}, "newest": _newest(rows)}
        for (name, rows), c in zip(tables, counts, strict=True)
    ]
    schema = pa.schema([("table", pa.string()), *((k, pa.int64()) for k in _COUNTS), ("newest", pa.date32())])
    table = pa.Table.from_pylist(records, schema=schema)
    summary = {k: sum(c[k] for c in counts) for k in _COUNTS}
    summary["tables"] = len(records)
    summary["rows_failing"] = sum(bool(row_problems(row)) for _, rows in tables for row in rows)
    return table, summary


def problems(directory: str | Path | None = None) -> pa.Table:
    """Every rule a row breaks: ``table``, ``row`` (1 = first data row) and ``problem``."""
    tables = _tables(Path(directory) if directory is not None else _shipped())
    out = [
        {"table": name, "row": i, "problem": p}
        for name, rows in tables
        for i, row in enumerate(rows, start=1)
        for p in row_problems(row)
    ]
    return pa.Table.from_pylist(out, schema=pa.schema([("table", pa.string()), ("row", pa.int64()),
                                                       ("problem", pa.string())]))  # fmt: skip


def sample(n: int = 60, seed: int = 21, directory: str | Path | None = None) -> pa.Table:
    """A reproducible random sample of ``n`` rows across all tables, for checking by hand.

    Rows are drawn uniformly without replacement from every row of every table (``random.Random(seed)``);
    the result lists ``table``, ``row`` (1 = first data row), ``key`` (the row's first three fields) and
    ``source``, in table and row order.
    """
    tables = _tables(Path(directory) if directory is not None else _shipped())
    every = [(name, i, row) for name, rows in tables for i, row in enumerate(rows, start=1)]
    picked = sorted(random.Random(seed).sample(range(len(every)), min(n, len(every))))
    out = [
        {"table": name, "row": i, "key": " | ".join(list(row.values())[:3]), "source": row["source"]}
        for name, i, row in (every[k] for k in picked)
    ]
    return pa.Table.from_pylist(out, schema=pa.schema([("table", pa.string()), ("row", pa.int64()),
                                                       ("key", pa.string()), ("source", pa.string())]))  # fmt: skip
