"""The curated Korea knowledge base shipped with the package (sourced rows, see data/ATTRIBUTION.md).

- :mod:`.tables`: typed loaders of the shipped tables (agreements, provisions, transitions, summits,
  leaders, sanctions, hotlines, exercises, cbm, missile_tests_by_year) and the curated timeline.
- :mod:`.tracker`: provision statuses and implementation scores at any date.
- :mod:`.linking`: one incident per real-world event across CNS, CSIS, the timeline and COW MID;
  :func:`linked_incidents` lists them in one call.
- :mod:`.missiles`: launches per year in the merged timeline against the CNS database.
- :mod:`.sources`, :mod:`.quality`: source classes, the sourcing rules and the audit of any KB folder.
- :mod:`.freshness`: how far each table reaches; :func:`stale_tables` names those ending before a date.

The ``agreements``, ``agreement``, ``timeline``, ``incidents`` and ``kb`` commands are in :mod:`detente.cli.kb`.

The tracker, linking, missile and audit names are imported on first use (they load pandas), so importing
this package for :func:`timeline_path` stays cheap.
"""

from __future__ import annotations

from .._lazy import lazy_getattr
from .tables import TABLES, KbDataError, load, timeline_path

__all__ = [
    "TABLES",
    "KbDataError",
    "LinkRule",
    "Linking",
    "agreement_detail",
    "agreements_overview",
    "audit",
    "link_events",
    "link_store",
    "linked_incidents",
    "load",
    "problems",
    "provision_status",
    "sample",
    "scores",
    "stale_tables",
    "table_ends",
    "timeline_path",
    "unmatched_launches",
    "write_links",
    "yearly_comparison",
]

_LAZY = {
    "audit": "quality",
    "problems": "quality",
    "sample": "quality",
    "LinkRule": "linking",
    "Linking": "linking",
    "link_events": "linking",
    "link_store": "linking",
    "linked_incidents": "linking",
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

__getattr__ = lazy_getattr(__name__, _LAZY)
