"""Lessons from other border conflicts: the outcome tables, comparisons and Korea's place, in one object.

:class:`Lessons` holds one sample and outcome and computes each part on first use: the per-agreement
outcome table (:mod:`.outcomes`), the signing units, the group comparison, the Cox model and the
survival curves (:mod:`.survival`), Korea's profiles, the most similar agreements elsewhere and the
per-group record (:mod:`.korea`). ``dyad`` narrows the outcome table to one theatre's agreements
(located in the pair or linked to one of its UCDP conflicts); ``provision`` narrows the comparison
to one group or ``stage:<code>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from .groups import GROUPS, STAGES, group
from .korea import group_record, profiles, similar_agreements
from .outcomes import Sample, agreement_outcomes, excluded_agreements, signings
from .record import Record
from .survival import Outcome, compare, cox_model, km_curves, overall

__all__ = ["Lessons", "build_lessons", "check_provision", "what_followed"]


def check_provision(name: str) -> str:
    """``name`` if it is a provision group or ``stage:<code>``; ``KeyError`` naming the choices otherwise."""
    if name.startswith("stage:"):
        if name.split(":", 1)[1] not in STAGES:
            raise KeyError(f"unknown stage in {name!r}; stages: {', '.join(STAGES)}")
        return name
    return group(name).name


@dataclass(frozen=True)
class Lessons:
    """Everything the ``lessons`` command, the API and the brief show, for one sample and outcome."""

    record: Record
    sample: Sample = "interstate"
    outcome: Outcome = "ucdp"
    dyad: tuple[str, str] | None = None
    provision: str | None = None
    top: int = 5
    groups_only: bool = False

    @property
    def coverage_end(self) -> int | None:
        """Last year of the outcome's source."""
        span = self.record.coverage.ucdp if self.outcome == "ucdp" else self.record.coverage.mid_incidents
        return None if span is None else span[1]

    @cached_property
    def all_outcomes(self) -> pd.DataFrame:
        """The outcome table of the whole sample (the pool for similar agreements)."""
        return agreement_outcomes(self.record, self.sample)

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """The outcome table, narrowed to ``dyad`` when given."""
        if self.dyad is None:
            return self.all_outcomes
        u = self.record.ucdp_dyads
        conflicts = set(u.loc[(u["a"] == self.dyad[0]) & (u["b"] == self.dyad[1]), "conflict_id"])
        o = self.all_outcomes
        return o[(o["dyad"] == "-".join(self.dyad)) | o["ucdp_conflict"].isin(conflicts)]

    @cached_property
    def units(self) -> pd.DataFrame:
        """One row per signing."""
        return signings(self.outcomes)

    @property
    def _names(self) -> list[str] | None:
        """The comparison's rows: one provision, the six groups, or (None) the groups and every stage."""
        if self.provision is not None:
            return [self.provision]
        return [g.name for g in GROUPS] if self.groups_only else None

    @cached_property
    def overall(self) -> dict[str, object]:
        """All signings together."""
        return overall(self.units, self.outcome)

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """With against without each group (and stage)."""
        if self.units.empty:
            return pd.DataFrame()
        return compare(self.units, self.outcome, self._names, self.sample, self.coverage_end)

    @cached_property
    def cox(self) -> pd.DataFrame:
        """The Cox model with every group and stage."""
        return cox_model(self.units, self.outcome) if not self.units.empty else pd.DataFrame()

    @cached_property
    def curves(self) -> pd.DataFrame:
        """Kaplan-Meier curves per group and arm (the chart's data)."""
        return km_curves(self.units, self.outcome, self._names) if not self.units.empty else pd.DataFrame()

    @cached_property
    def profiles(self) -> pd.DataFrame:
        """The 2018 Korean texts' groups, ours and PA-X's."""
        return profiles(self.record)

    @cached_property
    def similar(self) -> pd.DataFrame:
        """The most similar agreements elsewhere, per Korean text."""
        return similar_agreements(self.record, self.all_outcomes, self.top)

    @cached_property
    def korea(self) -> pd.DataFrame:
        """Per group: the Korean texts that have it and how agreements with it fared."""
        return group_record(self.comparison) if not self.comparison.empty else pd.DataFrame()

    @cached_property
    def excluded(self) -> pd.DataFrame:
        """Agreements of the sample's type left out, with the reason."""
        return excluded_agreements(self.record, self.sample)


def build_lessons(
    record: Record,
    sample: Sample = "interstate",
    outcome: Outcome = "ucdp",
    dyad: tuple[str, str] | None = None,
    provision: str | None = None,
    top: int = 5,
    groups_only: bool = False,
) -> Lessons:
    """A :class:`Lessons` after checking the arguments (``dyad`` is a sorted ISO3 pair; ``groups_only``
    leaves the stages out of the comparison)."""
    if record.coverage.ucdp is None or record.agreements.empty:
        raise ValueError("the lessons need the PA-X and UCDP ACD tables in the store (detente ingest ...)")
    if provision is not None:
        check_provision(provision)
    if sample not in ("interstate", "territorial"):
        raise ValueError(f"unknown sample {sample!r}; samples: interstate, territorial")
    if outcome not in ("ucdp", "mid"):
        raise ValueError(f"unknown outcome {outcome!r}; outcomes: ucdp, mid")
    return Lessons(record, sample, outcome, dyad, provision, top, groups_only)


def what_followed(row: pd.Series, ucdp_end: int | None, mid_end: int | None) -> str:
    """One sentence on what followed an agreement (a row of the outcome or similar-agreement table)."""
    parts = []
    if pd.notna(row.get("ucdp_years")):
        if bool(row["ucdp_event"]):
            parts.append(f"UCDP: active again in {int(row['ucdp_next_year'])}")
        else:
            parts.append(f"UCDP: no active year through {ucdp_end}")
    else:
        parts.append(f"UCDP: no follow-up (signed {row['date'].year}, coverage ends {ucdp_end})")
    if pd.notna(row.get("mid_years")):
        if bool(row["mid_event"]):
            dispute = "" if pd.isna(row.get("mid_next_dispute")) else f" (MID dispute {int(row['mid_next_dispute'])})"
            parts.append(f"COW MID: use of force on {row['mid_next_date']}{dispute}")
        else:
            parts.append(f"COW MID: no use of force through {mid_end}")
    return "; ".join(parts)
