"""What the sections read: the store cut at the brief's date, and the models' results, each computed once.

Only data dated on or before ``as_of`` is used: the events table is filtered before any indicator
sees it, knowledge-base rows are taken up to that date, and the agreement tracker is asked for that
date. The tension index is standardised over the data up to ``as_of``, so a brief as of an earlier
date does not use later events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from .notes import Notes

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from ..bargaining import Solution
    from ..store import Store
    from .forecasts import ForecastPanel

__all__ = ["DYAD", "BriefContext", "latest_date"]

#: the dyad the brief is about
DYAD = "PRK-KOR"


def latest_date(store: Store) -> date | None:
    """The date of the latest stored event (None for an empty store)."""
    ev = store.events()
    value = ev.date.max().to_pandas()
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


@dataclass
class BriefContext:
    """The store, the brief's date and the footnotes being collected, with cached results."""

    store: Store
    as_of: date
    runs: int = 1000
    seed: int = 0
    perm: int = 2000
    forecast_origins: int = 36
    notes: Notes = field(init=False)

    def __post_init__(self) -> None:
        self.notes = Notes(self.as_of)

    @cached_property
    def events(self) -> ir.Table:
        """Stored events dated on or before ``as_of``."""
        ev = self.store.events()
        return ev.filter(ev.date <= self.as_of)

    @cached_property
    def sources(self) -> pd.DataFrame:
        """Events per source: count, first and last date, files (events up to ``as_of``)."""
        ev = self.events
        frame = (
            ev.group_by("source")
            .aggregate(events=ev.count(), first=ev.date.min(), last=ev.date.max(), files=ev.source_file.nunique())
            .order_by("source")
            .to_pandas()
        )
        for c in ("first", "last"):
            frame[c] = pd.to_datetime(frame[c]).dt.date
        return frame

    def has_source(self, *names: str) -> bool:
        """True when events of any of ``names`` are stored."""
        return bool(set(names) & set(self.sources["source"]))

    @cached_property
    def index(self) -> pd.DataFrame:
        """Monthly tension index of the dyad up to ``as_of`` with the ids behind each month."""
        from ..indicators.tension import tension_frame

        return tension_frame(self.events, DYAD, "month", end=self.as_of, event_ids=True)

    @cached_property
    def phases(self) -> pd.DataFrame:
        """Phases of the index (change points), each with its opening events."""
        from ..indicators.phases import find_phases

        idx = self.index.drop(columns=["event_ids"])
        if idx.empty:
            return pd.DataFrame()
        return find_phases(self.events, DYAD, "month", index=idx)

    @cached_property
    def military(self) -> pd.DataFrame:
        """The four military-tension elements per month, with ids."""
        from ..indicators.military import military_elements

        return military_elements(self.events, DYAD, "month", end=self.as_of, event_ids=True)

    @cached_property
    def claims(self) -> pd.DataFrame:
        """The registry's claims evaluated on the data up to ``as_of``."""
        from ..analysis.claims import run_claims

        return run_claims(self.events, n_perm=self.perm, seed=self.seed).set_index("claim")

    @cached_property
    def bargaining(self) -> Solution:
        """Every bargaining model on the shipped Korean issue set, with Monte Carlo intervals."""
        from ..bargaining import korea, solve

        return solve(korea(), runs=self.runs, seed=self.seed)

    @cached_property
    def forecasts(self) -> ForecastPanel:
        """The forecast panel issued from the data up to ``as_of`` (or why there is none)."""
        from .forecasts import forecast_panel

        return forecast_panel(self.events, self.as_of, recent=self.forecast_origins)

    @cached_property
    def provision_status(self) -> pd.DataFrame:
        """Status of every coded provision on ``as_of``."""
        from ..kb.tracker import provision_status

        return provision_status(self.as_of)

    def kb(self, table: str) -> pd.DataFrame:
        """A knowledge-base table as a DataFrame."""
        from ..kb import tables

        return tables.load(table).to_pandas()

    def kb_ids(self, table: str, frame: pd.DataFrame) -> list[tuple[str, str]]:
        """``(table, key)`` footnote references for the rows of ``frame`` (rows of that table)."""
        from .notes import kb_key

        return [(table, kb_key(table, r)) for r in frame.to_dict("records")]

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """The curated timeline's stored events (source ``kb``) up to ``as_of``."""
        ev = self.events
        cols = [
            "event_id",
            "date",
            "date_precision",
            "actor1_country",
            "actor2_country",
            "category",
            "original_type",
            "description",
        ]
        frame = ev.filter(ev.source == "kb").select(cols).order_by(["date", "event_id"]).to_pandas()
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
        return frame

    def timeline_ids(self, day: date, categories: tuple[str, ...] | None = None) -> list[str]:
        """Ids of curated timeline events on ``day``, optionally only of some categories."""
        t = self.timeline
        sel = t[t["date"] == day]
        if categories:
            sel = sel[sel["category"].isin(categories)]
        return sorted(sel["event_id"])

    def resolve_refs(self, refs: str | None) -> list[str]:
        """Stored ids of timeline references (``kb:<date>-<hash>``; a joint row is stored once per pair)."""
        wanted = [r.strip() for r in (refs or "").split(";") if r.strip()]
        ids = self.timeline["event_id"]
        out: list[str] = []
        for ref in wanted:
            out.extend(ids[(ids == ref) | ids.str.startswith(ref + ":")])
        return sorted(set(out))
