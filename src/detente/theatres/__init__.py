"""Lessons from other border conflicts: theatres, what followed agreements, and where Korea stands.

- :mod:`.registry`: the theatres Détente follows (shipped ``data/registry.yaml`` plus a user's file).
- :mod:`.watch`: the Asia border watch, every registry theatre side by side.
- :mod:`.record`: PA-X, UCDP ACD and COW MID read once from the store, with each source's coverage.
- :mod:`.theatres`: pairs of states with a territorial conflict, found from the data; one theatre in detail.
- :mod:`.groups`: the PA-X provision groups and stages compared.
- :mod:`.outcomes`: per agreement, conflict activity before and after and the time to relapse.
- :mod:`.survival`: with against without each group: window shares, Kaplan-Meier, Cox (lifelines).
- :mod:`.korea`: the 2018 Korean texts mapped to the groups, similar agreements elsewhere, the record.
- :mod:`.lessons`, :mod:`.brief`, :mod:`.chart`, :mod:`.views`: the results as one object, the brief's
  section (typed parts), the survival chart, and the tables the CLI (:mod:`detente.cli.theatres`) and the API
  (:mod:`detente.api.routes_theatres`) show.

See ``docs/lessons.md``.
"""

from __future__ import annotations

from .brief import lessons_section
from .chart import survival_chart, write_chart
from .groups import GROUPS, STAGES, ProvisionGroup
from .korea import korea_groups, profiles, similar_agreements
from .lessons import Lessons, build_lessons
from .outcomes import SAMPLES, agreement_outcomes, excluded_agreements, signings
from .record import Coverage, Record, load_record
from .registry import Registry, RegistryError, Theatre, load_registry
from .survival import OUTCOMES, compare, cox_model, km_curves
from .theatres import find_theatres, resolve, theatre_detail
from .watch import border_watch

__all__ = [
    "GROUPS",
    "OUTCOMES",
    "SAMPLES",
    "STAGES",
    "Coverage",
    "Lessons",
    "ProvisionGroup",
    "Record",
    "Registry",
    "RegistryError",
    "Theatre",
    "agreement_outcomes",
    "border_watch",
    "build_lessons",
    "compare",
    "cox_model",
    "excluded_agreements",
    "find_theatres",
    "km_curves",
    "korea_groups",
    "lessons_section",
    "load_record",
    "load_registry",
    "profiles",
    "resolve",
    "signings",
    "similar_agreements",
    "survival_chart",
    "theatre_detail",
    "write_chart",
]
