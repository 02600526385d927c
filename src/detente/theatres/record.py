"""The record the theatres and outcomes are built from: PA-X, UCDP ACD and COW MID, read once from a store.

:func:`load_record` reads the store's side tables ``agreements`` (PA-X), ``conflict_years``
(UCDP/PRIO ACD), ``mid_incidents``, ``mid_disputes`` and ``mid_dispute_participants`` (COW MID) and
the COW MID incident-participant events (source ``cow_mid``) into small pandas frames, and derives
each source's coverage from the data itself (first and last year present), so nothing about a
release is hard-coded. A table that was never ingested gives an empty frame and no coverage; the
functions built on the record then say "not loaded" rather than "none".

Dyads are unordered pairs of ISO3 codes, stored as ``(a, b)`` with ``a < b`` (:func:`pair`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ..ontology import cow_to_iso3
from ..sources.pax import PROVISIONS, column_name

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["FORCE", "PAX_CODES", "Coverage", "Record", "load_record", "pair"]

#: MID hostility level from which an incident or dispute counts as use of force (MID 5 codebook).
FORCE = 4
#: PA-X provision columns as stored (``PpsGe:St`` -> ``PpsGe_St``).
PAX_CODES: tuple[str, ...] = tuple(column_name(c) for c in PROVISIONS)
_PAX_META = ("AgtId", "Agt", "Dat", "Con", "Contp", "Agtp", "Stage", "StageSub", "PP", "PPName",
             "Loc1ISO", "Loc2ISO", "UcdpCon", "UcdpAgr", "CowWar")  # fmt: skip
_UCDP = ("conflict_id", "year", "location", "side_a", "side_b", "incompatibility", "territory_name",
         "intensity_level", "type_of_conflict", "iso3_a", "iso3_b", "ep_end", "ep_end_date")  # fmt: skip


def pair(a: str, b: str) -> tuple[str, str]:
    """The unordered dyad of two ISO3 codes as a sorted tuple."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Coverage:
    """First and last year each source holds (``None``: not loaded)."""

    ucdp: tuple[int, int] | None
    pax: tuple[int, int] | None
    mid_incidents: tuple[int, int] | None
    mid_disputes: tuple[int, int] | None

    def as_dict(self) -> dict[str, dict[str, int] | None]:
        """JSON-ready form: ``{"ucdp": {"first": 1946, "last": 2021}, ...}``."""
        return {
            name: None if span is None else {"first": span[0], "last": span[1]}
            for name, span in (("ucdp", self.ucdp), ("pax", self.pax), ("mid_incidents", self.mid_incidents),
                               ("mid_disputes", self.mid_disputes))
        }  # fmt: skip


@dataclass(frozen=True)
class Record:
    """PA-X, UCDP and COW MID as frames.

    ``agreements``: PA-X rows (metadata and provision codes; ``date`` and ``year`` added).
    ``conflict_years``: UCDP ACD rows. ``ucdp_dyads``: one row per conflict-year and state pair
    (primary sides A x B). ``mid_incidents``: one row per MID incident and dyad on opposite sides,
    with ``date``, ``year``, ``dispnum``, ``hostlev`` (incident level, from MIDI). ``mid_disputes``:
    one row per MID dispute and dyad on opposite sides (MIDB), with the dyad's years, the higher of
    the two participants' hostility levels, the dispute's (MIDA) level and whether either side sought
    territory (``revtype1``/``revtype2`` = 1).
    """

    agreements: pd.DataFrame
    conflict_years: pd.DataFrame
    ucdp_dyads: pd.DataFrame
    mid_incidents: pd.DataFrame
    mid_disputes: pd.DataFrame
    coverage: Coverage

    def known_on(self, as_of: date) -> Record:
        """What was known on ``as_of``: agreements signed and incidents dated by then, whole years before it.

        UCDP conflict-years and MID disputes are annual, so only years ended before ``as_of`` count
        (a dispute still open then is cut to the years seen); coverage ends there too, so every
        outcome is censored at ``as_of`` and nothing later is named (decision 059).
        """
        last_year = as_of.year - 1
        agreements = self.agreements[[d <= as_of for d in self.agreements["date"]]]
        cy = self.conflict_years[self.conflict_years["year"] <= last_year]
        dyads = self.ucdp_dyads[self.ucdp_dyads["year"] <= last_year]
        incidents = self.mid_incidents[[d <= as_of for d in self.mid_incidents["date"]]]
        disputes = self.mid_disputes[self.mid_disputes["start_year"] <= last_year].copy()
        disputes["end_year"] = disputes["end_year"].clip(upper=last_year)

        def cut(span: tuple[int, int] | None, last: int) -> tuple[int, int] | None:
            return None if span is None or span[0] > last else (span[0], min(span[1], last))

        c = self.coverage
        coverage = Coverage(
            ucdp=cut(c.ucdp, last_year),
            pax=cut(c.pax, as_of.year),
            mid_incidents=cut(c.mid_incidents, last_year),
            mid_disputes=cut(c.mid_disputes, last_year),
        )
        return Record(agreements, cy, dyads, incidents, disputes, coverage)


def _tables(store: Store) -> set[str]:
    return set(store.ibis.list_tables())


def _span(years: pd.Series) -> tuple[int, int] | None:
    years = years.dropna()
    return None if years.empty else (int(years.min()), int(years.max()))


def _agreements(store: Store, present: set[str]) -> pd.DataFrame:
    columns = [*_PAX_META, *PAX_CODES]
    if "agreements" not in present:
        return pd.DataFrame(columns=[*columns, "date", "year"])
    t = store.table("agreements")
    df = t.select(*columns).to_pandas()
    df["date"] = pd.to_datetime(df["Dat"]).dt.date
    df["year"] = pd.to_datetime(df["Dat"]).dt.year.astype(int)
    df["UcdpCon"] = df["UcdpCon"].astype("Int64")
    return df.sort_values(["Dat", "AgtId"]).reset_index(drop=True)


def _conflict_years(store: Store, present: set[str]) -> pd.DataFrame:
    if "conflict_years" not in present:
        return pd.DataFrame(columns=list(_UCDP))
    return store.table("conflict_years").select(*_UCDP).to_pandas().sort_values(["conflict_id", "year"])


def _split(codes: object) -> list[str]:
    if codes is None or (isinstance(codes, float) and pd.isna(codes)):
        return []
    return [c.strip() for c in str(codes).split(",") if c.strip()]


def _ucdp_dyads(cy: pd.DataFrame) -> pd.DataFrame:
    """One row per conflict-year and pair of primary-side states (A x B)."""
    rows = []
    for r in cy.itertuples(index=False):
        for a in _split(r.iso3_a):
            for b in _split(r.iso3_b):
                if a != b:
                    rows.append({"a": pair(a, b)[0], "b": pair(a, b)[1], "side_a": a, "conflict_id": int(r.conflict_id),
                                 "year": int(r.year), "intensity": int(r.intensity_level)})  # fmt: skip
    return pd.DataFrame(rows, columns=["a", "b", "side_a", "conflict_id", "year", "intensity"])


_INCIDENT_COLUMNS = ["a", "b", "incidnum", "dispnum", "date", "date_precision", "year", "hostlev", "fatality"]


def _mid_incidents(store: Store, present: set[str]) -> pd.DataFrame:
    """MID incidents per dyad on opposite sides, from the MIDIP events (+ MIDI hostility)."""
    ev = store.events()
    ev = ev.filter((ev.source == "cow_mid") & ev.actor2_country.notnull() & ev.actor1_country.notnull())
    df = ev.select("event_id", "date", "date_precision", "actor1_country", "actor2_country").to_pandas()
    if df.empty:
        return pd.DataFrame(columns=_INCIDENT_COLUMNS)
    df["incidnum"] = df["event_id"].str.split(":").str[1].astype(int)
    ab = [pair(x, y) for x, y in zip(df["actor1_country"], df["actor2_country"], strict=True)]
    df["a"], df["b"] = [p[0] for p in ab], [p[1] for p in ab]
    df = df.drop_duplicates(["incidnum", "a", "b"])
    df["year"] = pd.to_datetime(df["date"]).dt.year.astype(int)
    df["date"] = pd.to_datetime(df["date"]).dt.date
    if "mid_incidents" in present:
        side = store.table("mid_incidents").select("incidnum", "dispnum", "hostlev", "fatality").to_pandas()
        df = df.merge(side, on="incidnum", how="left")
    else:
        df["dispnum"], df["hostlev"], df["fatality"] = pd.NA, pd.NA, pd.NA
    return df[_INCIDENT_COLUMNS].sort_values(["date", "incidnum"]).reset_index(drop=True)


_DISPUTE_COLUMNS = ["a", "b", "dispnum", "start_year", "end_year", "hostlev", "dispute_hostlev", "territorial",
                    "fatality", "outcome"]  # fmt: skip


def _mid_disputes(store: Store, present: set[str]) -> pd.DataFrame:
    """MID disputes per dyad on opposite sides (MIDB), with MIDA's dispute-level fields when loaded."""
    if "mid_dispute_participants" not in present:
        return pd.DataFrame(columns=_DISPUTE_COLUMNS)
    p = (
        store.table("mid_dispute_participants")
        .select("dispnum", "ccode", "sidea", "styear", "endyear", "revtype1", "revtype2", "hostlev")
        .to_pandas()
    )
    iso = cow_to_iso3()
    p["iso3"] = p["ccode"].map(iso)
    p = p.dropna(subset=["iso3"])
    p["territorial"] = (p["revtype1"] == 1) | (p["revtype2"] == 1)
    x = p[p["sidea"] == 1].merge(p[p["sidea"] == 0], on="dispnum", suffixes=("_1", "_0"))
    x = x[x["iso3_1"] != x["iso3_0"]]
    ab = [pair(s, t) for s, t in zip(x["iso3_1"], x["iso3_0"], strict=True)]
    out = pd.DataFrame({
        "a": [q[0] for q in ab], "b": [q[1] for q in ab], "dispnum": x["dispnum"].to_numpy(),
        "start_year": x[["styear_1", "styear_0"]].max(axis=1).to_numpy(),
        "end_year": x[["endyear_1", "endyear_0"]].min(axis=1).to_numpy(),
        "hostlev": x[["hostlev_1", "hostlev_0"]].max(axis=1).to_numpy(),
        "territorial": (x["territorial_1"] | x["territorial_0"]).to_numpy(),
    })  # fmt: skip
    out = out.groupby(["a", "b", "dispnum"], as_index=False).agg(
        start_year=("start_year", "min"), end_year=("end_year", "max"), hostlev=("hostlev", "max"),
        territorial=("territorial", "any"),
    )  # fmt: skip
    if "mid_disputes" in present:
        d = store.table("mid_disputes").select("dispnum", "hostlev", "fatality", "outcome").to_pandas()
        out = out.merge(d.rename(columns={"hostlev": "dispute_hostlev"}), on="dispnum", how="left")
    else:
        out["dispute_hostlev"], out["fatality"], out["outcome"] = pd.NA, pd.NA, pd.NA
    return out[_DISPUTE_COLUMNS].sort_values(["start_year", "dispnum"]).reset_index(drop=True)


def _mid_dispute_span(store: Store, present: set[str]) -> tuple[int, int] | None:
    if "mid_disputes" in present:
        d = store.table("mid_disputes").select("styear", "endyear").to_pandas()
    elif "mid_dispute_participants" in present:
        d = store.table("mid_dispute_participants").select("styear", "endyear").to_pandas()
    else:
        return None
    span = _span(pd.concat([d["styear"], d["endyear"]]))
    return span


def _mid_incident_span(store: Store, present: set[str], incidents: pd.DataFrame) -> tuple[int, int] | None:
    if "mid_incidents" in present:
        d = store.table("mid_incidents").select("styear", "endyear").to_pandas()
        return _span(pd.concat([d["styear"], d["endyear"]]))
    return _span(incidents["year"])


def load_record(store: Store, as_of: date | None = None) -> Record:
    """Read PA-X, UCDP and COW MID from ``store`` (see the module docstring); ``as_of``: :meth:`Record.known_on`."""
    present = _tables(store)
    agreements = _agreements(store, present)
    cy = _conflict_years(store, present)
    incidents = _mid_incidents(store, present)
    coverage = Coverage(
        ucdp=_span(cy["year"]),
        pax=_span(agreements["year"]),
        mid_incidents=_mid_incident_span(store, present, incidents),
        mid_disputes=_mid_dispute_span(store, present),
    )
    record = Record(agreements, cy, _ucdp_dyads(cy), incidents, _mid_disputes(store, present), coverage)
    return record if as_of is None else record.known_on(as_of)
