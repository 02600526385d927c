"""The curated Korea knowledge base shipped with the package (sourced rows, see data/ATTRIBUTION.md).

- :mod:`.tables`: typed loaders of the shipped tables (agreements, provisions, transitions, summits,
  leaders, sanctions, hotlines, exercises, cbm, missile_tests_by_year) and the curated timeline.
- :mod:`.tracker`: provision statuses and implementation scores at any date.
- :mod:`.linking`: one incident per real-world event across CNS, CSIS, the timeline and COW MID.
- :mod:`.missiles`: launches per year in the merged timeline against the CNS database.
- :mod:`.freshness`: how far each table reaches; :func:`stale_tables` names those ending before a date.
- :mod:`.commands`: the ``agreements``, ``agreement``, ``timeline``, ``incidents`` and ``kb`` commands.

The tracker, linking and missile names are imported on first use (they load pandas), so importing
this package for :func:`timeline_path` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .tables import TABLES, KbDataError, load, timeline_path

__all__ = [
    "TABLES",
    "KbDataError",
    "LinkRule",
    "Linking",
    "agreement_detail",
    "agreements_overview",
    "link_events",
    "link_store",
    "load",
    "provision_status",
    "scores",
    "stale_tables",
    "table_ends",
    "timeline_path",
    "unmatched_launches",
    "write_links",
    "yearly_comparison",
]

_LAZY = {
    "LinkRule": "linking",
    "Linking": "linking",
    "link_events": "linking",
    "link_store": "linking",
    "write_links": "linking",
    "unmatched_launches": "missiles",
    "yearly_comparison": "missiles",
    "agreement_detail": "tracker",
    "agreements_overview": "tracker",
    "provision_status": "tracker",
    "scores": "tracker",
    "stale_tables": "freshness",
    "table_ends": "freshness",
}


def __getattr__(name: str) -> Any:
    """Import the tracker, linking and missile names on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)
