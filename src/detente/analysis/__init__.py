"""Analyses on top of the indicators: reciprocity, event studies, the CSIS 2016 replication, claims.

- :mod:`.reciprocity`: VAR, Granger tests and impulse responses between directed series.
- :mod:`.anchors`: event sets from the knowledge base (exercises, summits, sanctions, leaders).
- :mod:`.events_study`: counts around events with a placebo-date test.
- :mod:`.csis2016`: the CSIS Beyond Parallel 2016 spring-exercise study, replicated.
- :mod:`.claims`: a registry of testable claims with plain verdicts.

The ``analyze`` commands are in :mod:`detente.cli.analyze`.

Names are imported on first use (statsmodels, scipy and ruptures load only when needed).
"""

from __future__ import annotations

from .._lazy import lazy_getattr

__all__ = [
    "Claim",
    "ClaimResult",
    "DailyCounts",
    "Estimate",
    "EventStudy",
    "VarResult",
    "anchor_set",
    "csis_2016",
    "default_claims",
    "event_study",
    "fit_var",
    "provocation_counts",
    "reciprocity_var",
    "run_claims",
]

_LAZY = {
    "anchor_set": "anchors",
    "DailyCounts": "events_study",
    "EventStudy": "events_study",
    "event_study": "events_study",
    "provocation_counts": "events_study",
    "csis_2016": "csis2016",
    "Claim": "claims",
    "ClaimResult": "claims",
    "Estimate": "claims",
    "default_claims": "claims",
    "run_claims": "claims",
    "VarResult": "reciprocity",
    "fit_var": "reciprocity",
    "reciprocity_var": "reciprocity",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
