"""Theatres: pairs of states with a territorial or border conflict, found from PA-X, UCDP and COW MID.

A dyad is a theatre when at least one source says so (decision 020):

- **ucdp**: the two states are primary opposing sides of a UCDP/PRIO interstate conflict
  (``type_of_conflict`` 2) over territory (``incompatibility`` 1, or 3 = territory and government);
- **pax**: PA-X has an interstate agreement (``Agtp`` Inter) located in the two states
  (``Loc1ISO``/``Loc2ISO``) whose conflict nature (``Contp``) names territory;
- **mid**: COW MID records at least ``min_mid_disputes`` (default 3) disputes between them, on
  opposite sides, in which one side sought territory (``revtype1``/``revtype2`` = 1), that reached
  the use of force (hostility level 4 or 5) and ended in 1946 or later (UCDP's first year).

The Korean Peninsula (PRK-KOR) is a theatre by all three. Its detail adds the knowledge base's
agreements and, when the store holds the CNS, CSIS, timeline and COW MID events, the incidents the
knowledge base links across them (:mod:`detente.kb.linking`).

A theatre's agreements are the PA-X agreements located in the pair plus those PA-X links
(``UcdpCon``) to one of the pair's UCDP conflicts (``link`` says which), so the US-DPRK texts that
PA-X files under the Korean conflict appear with PRK-KOR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from ..dyad import Dyad
from ..ontology import countries
from ..sources.cow_mid import HOSTILITY_LEVELS
from .groups import GROUPS, group_flags, pax_codes_present, stage_label
from .record import FORCE, PAX_CODES, Coverage, Record, pair

if TYPE_CHECKING:
    from ..kb.linking import Linking

__all__ = [
    "KB_INCIDENT_FAMILIES",
    "KOREA",
    "THEATRE_SCHEMA",
    "find_theatres",
    "kb_incidents",
    "korea_kb_agreements",
    "resolve",
    "theatre_detail",
]

#: The Korean Peninsula dyad.
KOREA = ("KOR", "PRK")
#: Knowledge-base incident families counted as incidents (the rest are talks, summits, agreements ...).
KB_INCIDENT_FAMILIES = ("clash", "launch", "nuclear_test", "propaganda", "other_provocation", "cyber")
_TERRITORIAL = (1, 3)
_UCDP_START = 1946


@dataclass(frozen=True)
class _Evidence:
    ucdp: pd.DataFrame
    pax: pd.DataFrame
    mid: pd.DataFrame


def _names() -> dict[str, str]:
    t = countries()
    return dict(zip(t.column("iso3").to_pylist(), t.column("name").to_pylist(), strict=True))


def _ucdp_territorial(record: Record) -> pd.DataFrame:
    cy = record.conflict_years
    ids = cy.loc[(cy["type_of_conflict"] == 2) & cy["incompatibility"].isin(_TERRITORIAL), "conflict_id"].unique()
    return record.ucdp_dyads[record.ucdp_dyads["conflict_id"].isin(ids)]


def _pax_interstate(record: Record) -> pd.DataFrame:
    ag = record.agreements
    keep = (ag["Agtp"] == "Inter") & ag["Contp"].fillna("").str.contains("territor", case=False)
    keep &= ag["Loc1ISO"].notna() & ag["Loc2ISO"].notna() & (ag["Loc1ISO"] != ag["Loc2ISO"])
    sel = ag[keep].copy()
    ab = [pair(x, y) for x, y in zip(sel["Loc1ISO"], sel["Loc2ISO"], strict=True)]
    sel["a"], sel["b"] = [p[0] for p in ab], [p[1] for p in ab]
    return sel


def _mid_territorial(record: Record, min_disputes: int) -> pd.DataFrame:
    d = record.mid_disputes
    d = d[d["territorial"] & (d["hostlev"] >= FORCE) & (d["end_year"] >= _UCDP_START)]
    counts = d.groupby(["a", "b"]).size()
    return d.set_index(["a", "b"]).loc[counts[counts >= min_disputes].index].reset_index()


def _evidence(record: Record, min_mid_disputes: int) -> _Evidence:
    return _Evidence(_ucdp_territorial(record), _pax_interstate(record), _mid_territorial(record, min_mid_disputes))


def _display(record: Record, ab: tuple[str, str]) -> str:
    """``A-B`` with UCDP's side A first when there is a UCDP conflict, else alphabetical."""
    u = record.ucdp_dyads
    hit = u[(u["a"] == ab[0]) & (u["b"] == ab[1])]
    if not hit.empty:
        first = hit.iloc[0]["side_a"]
        return f"{first}-{ab[1] if first == ab[0] else ab[0]}"
    return f"{ab[0]}-{ab[1]}"


def _name(record: Record, ab: tuple[str, str], names: dict[str, str]) -> str:
    first, second = _display(record, ab).split("-")
    return f"{names.get(first, first)} / {names.get(second, second)}"


#: Columns of :func:`find_theatres`.
THEATRE_SCHEMA = pa.schema([
    ("dyad", pa.string()), ("name", pa.string()), ("sources", pa.string()), ("ucdp_conflicts", pa.string()),
    ("ucdp_active_years", pa.int32()), ("ucdp_war_years", pa.int32()), ("ucdp_first_year", pa.int32()),
    ("ucdp_last_year", pa.int32()), ("pax_agreements", pa.int32()), ("pax_first", pa.date32()),
    ("pax_last", pa.date32()), ("mid_disputes", pa.int32()), ("mid_territorial_force_disputes", pa.int32()),
    ("mid_incidents", pa.int32()), ("mid_last_year", pa.int32()), ("kb_agreements", pa.int32()),
    ("kb_incidents", pa.int32()),
])  # fmt: skip


def find_theatres(record: Record, min_mid_disputes: int = 3, kb_incident_count: int | None = None) -> pa.Table:
    """All theatres with the evidence each source gives, most-documented first.

    Columns: ``dyad``, ``name``, ``sources`` (``ucdp+pax+mid``, ``+kb`` for Korea), the UCDP
    conflicts and active years (war years: intensity 2), PA-X agreements located in the pair,
    COW MID disputes and incidents between the pair (all, and territorial with force), and for Korea
    the knowledge base's agreement and incident counts (``kb_incident_count``, when computed).
    """
    ev = _evidence(record, min_mid_disputes)
    pairs = sorted(
        set(zip(ev.ucdp["a"], ev.ucdp["b"], strict=True))
        | set(zip(ev.pax["a"], ev.pax["b"], strict=True))
        | set(zip(ev.mid["a"], ev.mid["b"], strict=True))
    )
    names = _names()
    rows = [_theatre_row(record, ev, ab, names, kb_incident_count) for ab in pairs]
    rows.sort(key=lambda r: (-len(r["sources"].split("+")), -r["pax_agreements"], -r["ucdp_active_years"], r["dyad"]))
    return pa.Table.from_pylist(rows, schema=THEATRE_SCHEMA)


def _sel(frame: pd.DataFrame, ab: tuple[str, str]) -> pd.DataFrame:
    return frame[(frame["a"] == ab[0]) & (frame["b"] == ab[1])]


def _theatre_row(
    record: Record, ev: _Evidence, ab: tuple[str, str], names: dict[str, str], kb_incident_count: int | None
) -> dict[str, Any]:
    u, p, m = _sel(ev.ucdp, ab), _sel(ev.pax, ab), _sel(ev.mid, ab)
    sources = [s for s, f in (("ucdp", u), ("pax", p), ("mid", m)) if not f.empty]
    korea = ab == KOREA
    if korea:
        sources.append("kb")
    all_disputes, incidents = _sel(record.mid_disputes, ab), _sel(record.mid_incidents, ab)
    active = u.drop_duplicates(["conflict_id", "year"])
    return {
        "dyad": _display(record, ab),
        "name": _name(record, ab, names),
        "sources": "+".join(sources),
        "ucdp_conflicts": ";".join(str(c) for c in sorted(u["conflict_id"].unique())),
        "ucdp_active_years": int(active["year"].nunique()),
        "ucdp_war_years": int(active.loc[active["intensity"] == 2, "year"].nunique()),
        "ucdp_first_year": int(active["year"].min()) if not active.empty else None,
        "ucdp_last_year": int(active["year"].max()) if not active.empty else None,
        "pax_agreements": len(p),
        "pax_first": p["date"].min() if not p.empty else None,
        "pax_last": p["date"].max() if not p.empty else None,
        "mid_disputes": int(all_disputes["dispnum"].nunique()),
        "mid_territorial_force_disputes": int(m["dispnum"].nunique()),
        "mid_incidents": int(incidents["incidnum"].nunique()),
        "mid_last_year": int(all_disputes["end_year"].max()) if not all_disputes.empty else None,
        "kb_agreements": len(korea_kb_agreements()) if korea else None,
        "kb_incidents": kb_incident_count if korea else None,
    }


def resolve(record: Record, text: str) -> tuple[str, str]:
    """The sorted pair for dyad syntax ``A-B`` (either order; ``A>B`` is read as the pair too).

    Raises ``ValueError`` for bad syntax, a code that is not an ISO3 country code, or a pair the
    loaded UCDP, PA-X and COW MID tables hold nothing about.
    """
    d = Dyad.parse(text)
    names = _names()
    unknown = [c for c in (d.a, d.b) if c not in names]
    if unknown or d.a == d.b:
        raise ValueError(f"bad dyad {text!r}: " + (f"{', '.join(unknown)} not an ISO3 country code" if unknown
                                                  else "the two sides must differ"))  # fmt: skip
    ab = pair(d.a, d.b)
    sources = (record.ucdp_dyads, record.mid_disputes, record.mid_incidents, _pax_interstate(record))
    if not any(not _sel(f, ab).empty for f in sources) and ab != KOREA:
        raise ValueError(f"no record of {ab[0]}-{ab[1]} in the loaded UCDP, PA-X or COW MID data")
    return ab


# -- one theatre ---------------------------------------------------------------------------------


def korea_kb_agreements() -> pd.DataFrame:
    """The knowledge base's agreements (all 26: inter-Korean, US-DPRK, six-party ...)."""
    from ..kb import tables

    return tables.agreements().to_pandas()


def kb_incidents(linking: Linking) -> pd.DataFrame:
    """Incidents of the knowledge base's linking whose family is a military-tension family."""
    inc = linking.incidents.to_pandas()
    inc = inc[inc["family"].isin(KB_INCIDENT_FAMILIES)].copy()
    inc["year"] = pd.to_datetime(inc["date"]).dt.year.astype(int)
    return inc


def _agreements_for(record: Record, ab: tuple[str, str], conflicts: list[int]) -> pd.DataFrame:
    ag = record.agreements
    located = [
        pair(x, y) == ab if isinstance(x, str) and isinstance(y, str) else False
        for x, y in zip(ag["Loc1ISO"], ag["Loc2ISO"], strict=True)
    ]
    by_location = pd.Series(located, index=ag.index, dtype=bool)
    by_conflict = ag["UcdpCon"].isin(conflicts).fillna(False).astype(bool)
    sel = ag[by_location | by_conflict].copy()
    sel["link"] = ["location" if loc else "ucdp" for loc in by_location[sel.index]]
    return sel


def _agreement_items(sel: pd.DataFrame, kb: pd.DataFrame | None, korea_groups: dict[str, list[str]]) -> list[dict]:
    flags = group_flags(sel) if not sel.empty else pd.DataFrame()
    kb_by_pax = {} if kb is None else {int(r.pax_id): r.id for r in kb.dropna(subset=["pax_id"]).itertuples()}
    items = []
    for idx, r in sel.iterrows():
        items.append({
            "date": r["date"], "pax_id": int(r["AgtId"]), "kb_id": kb_by_pax.get(int(r["AgtId"])),
            "name": r["Agt"], "stage": r["Stage"], "stage_label": stage_label(r["Stage"]),
            "agreement_type": r["Agtp"], "ucdp_conflict": None if pd.isna(r["UcdpCon"]) else int(r["UcdpCon"]),
            "link": r["link"], "provisions": [g.name for g in GROUPS if bool(flags.loc[idx, g.name])],
            "pax_codes": pax_codes_present(r, list(PAX_CODES)), "source": "pax",
        })  # fmt: skip
    if kb is not None:
        for r in kb[kb["pax_id"].isna()].itertuples():
            items.append({
                "date": r.date_signed, "pax_id": None, "kb_id": r.id, "name": r.name, "stage": None,
                "stage_label": None, "agreement_type": r.kind, "ucdp_conflict": None, "link": "kb",
                "provisions": korea_groups.get(r.id), "pax_codes": None, "source": "kb",
            })  # fmt: skip
    return sorted(items, key=lambda i: (i["date"], i["pax_id"] or 0, i["kb_id"] or ""))


def _per_year(
    incidents: pd.DataFrame, disputes: pd.DataFrame, kb: pd.DataFrame | None, coverage: Coverage
) -> list[dict[str, Any]]:
    """Counts per year with anything recorded; a source's fields are null outside its coverage."""
    inc_span, disp_span = coverage.mid_incidents, coverage.mid_disputes
    years: dict[int, dict[str, Any]] = {}

    def inside(year: int, span: tuple[int, int] | None) -> bool:
        return span is not None and span[0] <= year <= span[1]

    def slot(year: int) -> dict[str, Any]:
        mid_inc = 0 if inside(year, inc_span) else None
        return years.setdefault(year, {
            "year": year, "mid_incidents": mid_inc, "mid_force_incidents": mid_inc, "mid_max_hostility": None,
            "mid_disputes": 0 if inside(year, disp_span) else None,
            "kb_incidents": 0 if kb is not None else None, "kb_clashes": 0 if kb is not None else None,
        })  # fmt: skip

    for year, g in incidents.groupby("year"):
        s = slot(int(year))
        s["mid_incidents"] = int(g["incidnum"].nunique())
        s["mid_force_incidents"] = int(g.loc[g["hostlev"] >= FORCE, "incidnum"].nunique())
        s["mid_max_hostility"] = None if g["hostlev"].isna().all() else int(g["hostlev"].max())
    for d in disputes.itertuples():
        for year in range(int(d.start_year), int(d.end_year) + 1):
            slot(year)["mid_disputes"] += 1
    if kb is not None:
        for year, g in kb.groupby("year"):
            s = slot(int(year))
            s["kb_incidents"] = len(g)
            s["kb_clashes"] = int((g["family"] == "clash").sum())
    return [years[y] for y in sorted(years)]


def theatre_detail(
    record: Record,
    ab: tuple[str, str],
    linking: Linking | None = None,
    korea_groups: dict[str, list[str]] | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """One theatre as a JSON-ready dict (with ``as_of``: the knowledge base's agreements and incidents known then;
    pass a :meth:`Record.known_on` record for the rest).

    Keys: ``dyad``, ``name``, ``coverage`` (first/last year of each source), ``ucdp_conflicts``,
    ``conflict_years`` (``{year, intensity, conflict_id}``; years absent had fewer than 25
    battle-related deaths), ``agreements`` (``{date, pax_id, stage, provisions, ...}``; for Korea the
    knowledge base's agreements too), ``mid_disputes``, ``incidents`` (per-year counts; a year not
    listed had none within coverage) and ``notes``.
    """
    names = _names()
    u = _sel(record.ucdp_dyads, ab)
    conflicts = sorted(int(c) for c in u["conflict_id"].unique())
    korea = ab == KOREA
    kb = korea_kb_agreements() if korea else None
    kb_inc = kb_incidents(linking) if korea and linking is not None else None
    if as_of is not None:
        kb = None if kb is None else kb[kb["date_signed"] <= as_of]
        kb_inc = None if kb_inc is None else kb_inc[pd.to_datetime(kb_inc["date"]).dt.date <= as_of]
    disputes = _sel(record.mid_disputes, ab)
    cy = record.conflict_years
    detail = {
        "dyad": _display(record, ab),
        "name": _name(record, ab, names),
        "coverage": record.coverage.as_dict(),
        "ucdp_conflicts": [_conflict_item(cy[cy["conflict_id"] == c]) for c in conflicts],
        "conflict_years": [
            {"year": int(r.year), "intensity": int(r.intensity), "conflict_id": int(r.conflict_id)}
            for r in u.drop_duplicates(["conflict_id", "year"]).sort_values(["year", "conflict_id"]).itertuples()
        ],
        "agreements": _agreement_items(_agreements_for(record, ab, conflicts), kb, korea_groups or {}),
        "mid_disputes": [_dispute_item(d) for d in disputes.itertuples()],
        "incidents": _per_year(_sel(record.mid_incidents, ab), disputes, kb_inc, record.coverage),
        "notes": _notes(record, korea, kb_inc),
    }
    return detail


def _conflict_item(rows: pd.DataFrame) -> dict[str, Any]:
    first = rows.iloc[0]
    return {
        "conflict_id": int(first["conflict_id"]), "location": first["location"], "side_a": first["side_a"],
        "side_b": first["side_b"], "territory": first["territory_name"],
        "incompatibility": int(first["incompatibility"]), "active_years": len(rows),
        "first_year": int(rows["year"].min()), "last_year": int(rows["year"].max()),
    }  # fmt: skip


def _dispute_item(d: Any) -> dict[str, Any]:
    return {
        "dispnum": int(d.dispnum), "start_year": int(d.start_year), "end_year": int(d.end_year),
        "hostility": int(d.hostlev), "hostility_label": HOSTILITY_LEVELS.get(int(d.hostlev)),
        "territorial": bool(d.territorial),
        "dispute_hostility": None if pd.isna(d.dispute_hostlev) else int(d.dispute_hostlev),
    }  # fmt: skip


def _notes(record: Record, korea: bool, kb_inc: pd.DataFrame | None) -> list[str]:
    c = record.coverage
    notes = [
        "UCDP lists a conflict-year only when it reached 25 battle-related deaths; a year not listed is below"
        " that threshold, not necessarily peaceful"
        + (f"; coverage {c.ucdp[0]}-{c.ucdp[1]}" if c.ucdp else "; UCDP not loaded"),
        (f"COW MID incidents cover {c.mid_incidents[0]}-{c.mid_incidents[1]} and disputes"
         f" {c.mid_disputes[0]}-{c.mid_disputes[1]}; nothing after {c.mid_disputes[1]} is known to MID")
        if c.mid_incidents and c.mid_disputes else "COW MID not (fully) loaded",
        f"PA-X agreements {c.pax[0]}-{c.pax[1]}" if c.pax else "PA-X not loaded",
    ]  # fmt: skip
    if korea:
        notes.append(
            "knowledge-base incidents: military-tension families (" + ", ".join(KB_INCIDENT_FAMILIES) + ") of the"
            " incidents linked across CNS, CSIS, the curated timeline and COW MID; not all are inter-Korean"
            " (launches have no target)"
            if kb_inc is not None else "knowledge-base incidents not computed (no linkable events in the store)"
        )  # fmt: skip
    return notes
