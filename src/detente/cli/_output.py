"""Result output shared by every command: table, CSV, JSON or Parquet, to stdout or a file.

CSV and JSON are the stable, scriptable formats: CSV has a header row and ISO dates; JSON is
an array of objects with ISO dates and ``null`` for missing values (:func:`detente._json.to_json`).
The table is for a terminal: every cell and the title are shown as plain text (rich markup off)
with control characters escaped, as data may hold anything (``[/red]`` as an actor code, an escape
sequence in a quarantined line).
"""

from __future__ import annotations

import io
import re
import sys
from enum import Enum
from pathlib import Path

import pyarrow as pa
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._json import json_ready, to_json

__all__ = ["Format", "emit", "printable"]

#: C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


class Format(str, Enum):
    """Output formats."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def printable(text: str) -> str:
    r"""``text`` with control and invisible format characters written as escapes.

    >>> printable("ok\x1b[31m red\u202e")
    'ok\\x1b[31m red\\u202e'
    """
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def emit(
    table: pa.Table,
    fmt: Format = Format.table,
    output: Path | None = None,
    title: str | None = None,
    max_width: int = 60,
) -> None:
    """Write ``table`` in ``fmt`` to ``output`` (or stdout; Parquet needs ``output``)."""
    if fmt is Format.parquet:
        import pyarrow.parquet as pq

        if output is None:
            raise ValueError("--format parquet needs --output PATH")
        pq.write_table(table, output)
        return
    if fmt is Format.csv:
        import pyarrow.csv as pacsv

        buf = io.BytesIO()
        pacsv.write_csv(table, buf)
        text = buf.getvalue().decode("utf-8")
    elif fmt is Format.json:
        text = to_json(table) + "\n"
    else:
        console = Console(file=io.StringIO(), width=200, record=True) if output else Console(width=200)
        rich_table = Table(title=Text(printable(title)) if title else None, show_lines=False)
        for name in table.column_names:
            rich_table.add_column(Text(printable(name)), overflow="fold", max_width=max_width)
        for row in table.to_pylist():
            rich_table.add_row(*(Text("" if v is None else printable(str(json_ready(v)))) for v in row.values()))
        console.print(rich_table)
        if not output:
            return
        text = console.export_text()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
