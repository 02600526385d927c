"""Reference tables: CAMEO codes, Goldstein scale, QuadClass, countries, PLOVER."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import pyarrow as pa

__all__ = ["cameo_codes"]


def _rows(name: str, delimiter: str = ",") -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter=delimiter))


@cache
def cameo_codes() -> pa.Table:
    """CAMEO event codes (GDELT lookup): ``code``, ``description``."""
    rows = _rows("CAMEO.eventcodes.txt", "\t")
    return pa.table(
        {
            "code": [r["CAMEOEVENTCODE"] for r in rows],
            "description": [r["EVENTDESCRIPTION"].strip() for r in rows],
        }
    )
