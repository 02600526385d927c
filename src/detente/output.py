"""Result output shared by every command: table, CSV, JSON or Parquet, to stdout or a file.

CSV and JSON are the stable, scriptable formats: CSV has a header row and ISO dates; JSON is
an array of objects with ISO dates and ``null`` for missing values.
"""

from __future__ import annotations

import io
import json
import math
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

__all__ = ["Format", "emit", "to_json"]


class Format(str, Enum):
    """Output formats."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def _plain(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_json(table: pa.Table) -> str:
    """The table as a JSON array of records (stable key order = column order)."""
    records = [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]
    return json.dumps(records, ensure_ascii=False, indent=1)


def emit(
    table: pa.Table,
    fmt: Format = Format.table,
    output: Path | None = None,
    title: str | None = None,
    max_width: int = 60,
) -> None:
    """Write ``table`` in ``fmt`` to ``output`` (or stdout; Parquet needs ``output``)."""
    if fmt is Format.parquet:
        if output is None:
            raise ValueError("--format parquet needs --output PATH")
        pq.write_table(table, output)
        return
    if fmt is Format.csv:
        buf = io.BytesIO()
        pacsv.write_csv(table, buf)
        text = buf.getvalue().decode("utf-8")
    elif fmt is Format.json:
        text = to_json(table) + "\n"
    else:
        console = Console(file=io.StringIO(), width=200, record=True) if output else Console(width=200)
        rich_table = Table(title=title, show_lines=False)
        for name in table.column_names:
            rich_table.add_column(name, overflow="fold", max_width=max_width)
        for row in table.to_pylist():
            rich_table.add_row(*("" if v is None else str(_plain(v)) for v in row.values()))
        console.print(rich_table)
        if not output:
            return
        text = console.export_text()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
