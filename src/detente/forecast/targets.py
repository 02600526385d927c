"""What is forecast, defined in one place: the monthly targets and the incidents they count.

Three targets, each for a *subject* (an initiating actor such as ``PRK``, or a dyad ``PRK>KOR``):

=========  ======  =============================================================================
target     kind    outcome at origin month t and horizon h (months t+1 … t+h)
=========  ======  =============================================================================
missile    binary  at least one launch incident: a missile test of any class or a satellite
                   launch (the CNS database lists space launch vehicles among its tests)
major      binary  at least one **major provocation** (:func:`is_major`): a nuclear test, an
                   ICBM-class launch, or a lethal clash (a clash-type incident in which someone
                   was killed)
count      count   number of provocation incidents (every kind with a severity weight in
                   :data:`detente.indicators.incidents.SEVERITY`)
=========  ======  =============================================================================

Horizons are 1, 3 and 6 months; the outcome is measured over the whole window ("within the next
h months"), so the 6-month target is the one a reader asks about ("any major provocation by
the end of the half-year?"). Incidents are the knowledge-base-type events of the store (the
curated timeline, CNS, CSIS and COW MID), classified by :func:`detente.indicators.incidents.classify`
and merged by :func:`~detente.indicators.incidents.incidents_expr` (a salvo or a multi-day
clash counts once, several sources reporting one event count once), with one change: an incident
never spans a month boundary, so a month's count can never change when later events arrive
(decision 025). Year-precision events are not counted in any month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from ..dyad import Dyad
from ..indicators.incidents import CLASH_KINDS, CURATED_SOURCES, PROVOCATION_KINDS, curated, incidents_expr

__all__ = [
    "HORIZONS",
    "SERIES",
    "TARGETS",
    "Subject",
    "Target",
    "is_launch",
    "is_major",
    "is_provocation",
    "month_incidents",
    "outcome",
    "target",
]

#: forecast horizons in months
HORIZONS = (1, 3, 6)
#: monthly series counted from the incidents (the targets' raw material and the lag features)
SERIES = ("launches", "major", "provocations")


@dataclass(frozen=True)
class Target:
    """A forecast target: the monthly ``series`` it counts and whether the outcome is binary."""

    name: str
    series: str
    kind: Literal["binary", "count"]
    description: str


TARGETS: dict[str, Target] = {
    "missile": Target("missile", "launches", "binary", "at least one missile or satellite launch"),
    "major": Target("major", "major", "binary", "at least one nuclear test, ICBM-class launch or lethal clash"),
    "count": Target("count", "provocations", "count", "number of provocation incidents"),
}


def target(name: str) -> Target:
    """The target called ``name`` (``ValueError`` listing the names otherwise)."""
    if name not in TARGETS:
        raise ValueError(f"unknown target {name!r}; choose from {', '.join(TARGETS)}")
    return TARGETS[name]


@dataclass(frozen=True)
class Subject:
    """Whose incidents are counted: an initiating actor (``PRK``) or a dyad (``PRK>KOR``, ``PRK-KOR``)."""

    text: str

    @property
    def dyad(self) -> Dyad | None:
        """The dyad, or None for a single actor."""
        return Dyad.parse(self.text) if any(c in self.text for c in "<>-") else None

    @property
    def actor(self) -> str | None:
        """The actor code, or None for a dyad."""
        if self.dyad is not None:
            return None
        code = self.text.strip().upper()
        if not (code.isalpha() and 2 <= len(code) <= 3):
            raise ValueError(f"bad subject {self.text!r}: an actor code (PRK) or a dyad (PRK>KOR, PRK-KOR)")
        return code

    def __str__(self) -> str:
        return self.text.strip().upper()


def is_launch(incidents: pd.DataFrame) -> pd.Series:
    """Launch incidents: missile tests of any class and satellite launches (the ``launch`` family)."""
    return incidents["family"] == "launch"


def is_major(incidents: pd.DataFrame) -> pd.Series:
    """Major provocations: nuclear tests, ICBM-class launches and lethal clashes (clash-type kinds)."""
    clash = incidents["kind"].isin(CLASH_KINDS) & incidents["lethal"].astype(bool)
    return (incidents["kind"] == "nuclear_test") | (incidents["missile_class"] == "icbm") | clash


def is_provocation(incidents: pd.DataFrame) -> pd.Series:
    """Provocation incidents: every kind with a severity weight (missiles, tests, clashes, balloons, …)."""
    return incidents["kind"].isin(PROVOCATION_KINDS)


def month_incidents(
    source: object,
    subject: Subject | str,
    *,
    sources: Sequence[str] = CURATED_SOURCES,
    end: date | None = None,
) -> pd.DataFrame:
    """Curated incidents of ``subject`` merged as by the indicators, but never across a month boundary.

    Returns one row per incident with ``date``, ``date_precision``, ``family``, ``kind``,
    ``missile_class``, ``element``, ``severity``, ``lethal`` and ``event_ids``, plus the flags
    ``launches``, ``major`` and ``provocations``; events dated after ``end`` are ignored.
    """
    subj = subject if isinstance(subject, Subject) else Subject(subject)
    dyad, actor = subj.dyad, subj.actor
    initiators = [actor] if actor is not None else None
    t = curated(source, dyad, initiators=initiators, sources=sources, end=end)
    t = t.filter(t.date_precision.isnull() | t.date_precision.isin(["day", "month"]))
    t = t.mutate(_split=t.family.concat("|", t.date.truncate("M").cast("string")))
    frame = incidents_expr(t, "_split").to_pandas()
    if frame.empty:
        frame = pd.DataFrame(columns=["date", "family", "kind", "missile_class", "element", "severity", "lethal"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["lethal"] = frame["lethal"].fillna(False).astype(bool)
    frame["launches"] = is_launch(frame)
    frame["major"] = is_major(frame)
    frame["provocations"] = is_provocation(frame)
    return frame.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def outcome(monthly: np.ndarray, horizon: int, kind: str) -> np.ndarray:
    """Outcome at every origin: the sum of ``monthly`` over the next ``horizon`` months (NaN if unrealised).

    For a binary target the outcome is 1 when the sum is positive.
    """
    counts = np.asarray(monthly, dtype=float)
    n = counts.size
    csum = np.concatenate([[0.0], np.cumsum(counts)])
    y = np.full(n, np.nan)
    idx = np.arange(n - horizon)
    y[idx] = csum[idx + 1 + horizon] - csum[idx + 1]
    if kind == "binary":
        return np.where(np.isnan(y), np.nan, (y > 0).astype(float))
    if kind == "count":
        return y
    raise ValueError(f"kind must be binary or count, not {kind!r}")
