"""Measurements of a relationship from the event store, written once as Ibis expressions.

- :mod:`.series`: dyadic series (counts by QuadClass, Goldstein sums and means, cooperation,
  conflict) by day, week, month or year, with the event ids behind every cell.
- :mod:`.incidents`: curated incidents (kb, CNS, CSIS, COW MID) classified and deduplicated.
- :mod:`.tension`: the tension index (0-100) with its components.
- :mod:`.military`: the four military-tension elements.
- :mod:`.phases`: change points on the index, labelled thaw / freeze / stable.
- :mod:`.charts`: Vega-Lite charts of the above, saved as PNG, SVG or HTML.

The ``series``, ``index``, ``military`` and ``phases`` commands are in :mod:`detente.cli.indicators`.

Names are imported on first use so that importing the package stays cheap.
"""

from __future__ import annotations

from .._lazy import lazy_getattr

__all__ = [
    "TensionWeights",
    "cell_events",
    "components_expr",
    "detect_phases",
    "dyadic_series",
    "find_incidents",
    "find_phases",
    "index_events",
    "military_elements",
    "military_events",
    "phase_changes",
    "series_expr",
    "tension_index",
]

_LAZY = {
    "cell_events": "series",
    "dyadic_series": "series",
    "series_expr": "series",
    "find_incidents": "incidents",
    "TensionWeights": "tension",
    "components_expr": "tension",
    "index_events": "tension",
    "tension_index": "tension",
    "military_elements": "military",
    "military_events": "military",
    "detect_phases": "phases",
    "find_phases": "phases",
    "phase_changes": "phases",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
