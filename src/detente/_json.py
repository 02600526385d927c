"""One JSON convention for every output (CLI, API, brief files): ISO dates, null for missing values.

:func:`json_ready` turns dates, NaN/NaT/NA, numpy scalars and arrays, tuples and nested containers
into plain JSON values; :func:`dumps` writes the result (UTF-8 text, never a bare ``NaN``).
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["dumps", "json_ready", "to_json"]


def _missing(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")  # a pandas NA can only exist once pandas is imported
    return pd is not None and (value is pd.NA or value is pd.NaT)


def json_ready(value: Any) -> Any:
    """``value`` with every nested date, missing value and numpy object as a plain JSON value.

    >>> import numpy as np
    >>> from datetime import date
    >>> json_ready({"day": date(2018, 4, 27), "n": np.int64(3), "x": float("nan"), "ids": ("a", "b")})
    {'day': '2018-04-27', 'n': 3, 'x': None, 'ids': ['a', 'b']}
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if _missing(value):
        return None
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_ready(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalar or array
        return json_ready(value.tolist())
    return value


def dumps(value: Any, *, indent: int | None = None) -> str:
    """JSON text of ``value`` after :func:`json_ready` (non-ASCII kept; NaN would be an error)."""
    return json.dumps(json_ready(value), ensure_ascii=False, allow_nan=False, indent=indent)


def to_json(table: pa.Table) -> str:
    """An Arrow table as a JSON array of records (key order = column order), as the CLI and the API write it."""
    return dumps(table.to_pylist(), indent=1)
