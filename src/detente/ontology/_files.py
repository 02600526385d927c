"""Reading the shipped reference files in ``detente/ontology/data`` (see ``data/ATTRIBUTION.md``)."""

from __future__ import annotations

import csv
import io
from importlib import resources

__all__ = ["read_rows", "read_text"]

_PACKAGE = "detente.ontology"


def read_text(name: str, encoding: str = "utf-8") -> str:
    """The text of ``data/<name>``."""
    return resources.files(_PACKAGE).joinpath("data", name).read_text(encoding)


def read_rows(name: str, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    """The rows of the delimited file ``data/<name>`` as dicts keyed by its header."""
    return list(csv.DictReader(io.StringIO(read_text(name, encoding), newline=""), delimiter=delimiter))
