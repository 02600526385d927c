"""Mapping tables from a source's own event types to CAMEO (``data/<source>_cameo.csv``)."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from ._cameo import goldstein_of, quad_class_of_root

__all__ = ["CameoCoding", "mapping_rows", "source_cameo"]


@dataclass(frozen=True)
class CameoCoding:
    """Canonical CAMEO fields for one value of a source's own event type."""

    event_code: str | None
    event_root: str | None
    quad_class: int | None
    goldstein: float | None
    category: str | None

    def fields(self) -> dict[str, object]:
        """The coding as event-row columns."""
        return asdict(self)


@cache
def mapping_rows(file_name: str) -> tuple[dict[str, str], ...]:
    """The rows of a source's mapping table ``ontology/data/<file_name>``."""
    text = resources.files("detente.ontology").joinpath("data", file_name).read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


@cache
def source_cameo(file_name: str, *keys: str) -> dict[tuple[str, ...], CameoCoding]:
    """A source's CAMEO mapping table (``ontology/data/<file_name>``) keyed by its ``keys`` columns.

    QuadClass and Goldstein come from the ontology's code tables, never from the mapping file.
    """
    goldstein, quad = goldstein_of(), quad_class_of_root()
    table: dict[tuple[str, ...], CameoCoding] = {}
    for row in mapping_rows(file_name):
        code = row["event_code"] or None
        table[tuple(row[k] for k in keys)] = CameoCoding(
            event_code=code,
            event_root=code[:2] if code else None,
            quad_class=quad[code[:2]] if code else None,
            goldstein=goldstein[code] if code else None,
            category=row["category"] or None,
        )
    return table
