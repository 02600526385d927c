"""The curated Korea knowledge base shipped with the package (sourced rows, see data/ATTRIBUTION.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["timeline_path"]


def timeline_path() -> Path:
    """The curated Korea timeline CSV (korea-facts ``events.csv`` layout)."""
    return Path(str(resources.files(__package__).joinpath("data", "timeline.csv")))
