"""JSON of Arrow tables, shared by the command line and the REST API.

An array of objects in column order, with ISO dates and ``null`` for missing values (NaN included).
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pyarrow as pa

__all__ = ["plain", "to_json"]


def plain(value: object) -> object:
    """``value`` as JSON has it: dates as ISO text, NaN as ``None``, anything else unchanged."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_json(table: pa.Table) -> str:
    """The table as a JSON array of records (stable key order = column order)."""
    records = [{k: plain(v) for k, v in row.items()} for row in table.to_pylist()]
    return json.dumps(records, ensure_ascii=False, indent=1)
