"""JSON and CSV responses with the CLI's conventions (ISO dates, null for missing values, stable columns)."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from fastapi.responses import Response

from .._json import dumps, to_json

__all__ = ["arrow_of", "csv_response", "json_response", "records_json", "records_response"]


def arrow_of(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """A pandas frame as an Arrow table (NaN becomes null)."""
    if isinstance(frame, pa.Table):
        return frame
    if not len(frame.columns):
        return pa.table({})
    return pa.Table.from_pandas(frame, preserve_index=False)


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response of any JSON-ready value."""
    return Response(dumps(value), status_code=status, media_type="application/json", headers=headers)


def records_json(frame: pd.DataFrame | pa.Table) -> bytes:
    """A table as the UTF-8 JSON array of records (what :func:`records_response` sends; cacheable)."""
    return to_json(arrow_of(frame)).encode("utf-8")


def records_response(frame: pd.DataFrame | pa.Table | bytes) -> Response:
    """A table (or its :func:`records_json` bytes) as a JSON array of records."""
    body = frame if isinstance(frame, bytes) else records_json(frame)
    return Response(body, media_type="application/json")


def csv_response(table: pa.Table, headers: dict[str, str] | None = None) -> Response:
    """A table as CSV with a header row."""
    buf = io.BytesIO()
    flat = table.select([c for c in table.column_names if not pa.types.is_list(table.schema.field(c).type)])
    pacsv.write_csv(flat, buf)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
