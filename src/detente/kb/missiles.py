"""Missile launches per year in the merged timeline against the CNS database's own yearly counts.

The reference R(y) is ``missile_tests_by_year.csv``: launch events of the CNS North Korea Missile
Test Database = distinct Korean (KST) days with at least one entry, from a 2026 mirror. The merged
count M(y) is the number of ``launch`` incidents (see :mod:`detente.kb.linking`) dated in year y.
Every difference M - R is split into these rules (:data:`RULES`):

- ``utc_date``      U - R: the CNS CSV lists UTC dates, the reference counts KST days; U is the
                    reference's own count of distinct UTC dates (its notes), else R.
- ``snapshot_end``  C - U in the year the CNS CSV ends (its last entry): the CSV stops early in
                    the year, the reference runs to December. C = incidents holding a CNS entry.
- ``post_snapshot`` +P: launch incidents after the CSV's last date, from CSIS or the timeline, of a
                    type the CNS database covers (ballistic missiles, space launchers).
- ``outside_cns_scope`` +X: incidents without a CNS entry made only of CSIS types the CNS
                    database does not cover (cruise, anti-ship, surface-to-air missiles, rocket
                    artillery, engine tests, ...).
- ``not_in_cns``    +Y: incidents without a CNS entry, before the CSV's last date, of a covered
                    type; listed one by one by :func:`unmatched_launches` for review.

``unexplained`` = M - R - (sum of the rules) must be 0, and the comparable series C + P must be
within ``TOLERANCE`` (1 launch day) of R in every year: the UTC/KST day shift moves at most one
launch day across a day boundary per pair of launches in the years seen (2016, 2019, 2022, 2023).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from . import tables
from .linking import Linking

__all__ = ["CNS_SCOPE_CSIS_EVENTS", "RULES", "TOLERANCE", "reference_counts", "unmatched_launches", "yearly_comparison"]

#: |C + P - R| allowed per year (launch days).
TOLERANCE = 1
#: Rule name -> one-line explanation (the columns of :func:`yearly_comparison`).
RULES = {
    "utc_date": "CNS CSV dates are UTC, the reference counts Korean (KST) days",
    "snapshot_end": "the CNS CSV ends before the reference's year does",
    "post_snapshot": "launches after the CNS CSV's last entry, from CSIS or the curated timeline",
    "outside_cns_scope": "CSIS launch types the CNS database does not cover (cruise, SAM, rockets, engine tests)",
    "not_in_cns": "covered launch types that CSIS or the timeline list and the CNS CSV does not (listed for review)",
}
#: CSIS ``event`` values (after "type: ") within the CNS database's scope: ballistic missiles and
#: space launchers, including CSIS's unspecified "Short-range Missile Launch".
CNS_SCOPE_CSIS_EVENTS = frozenset(
    {
        "Ballistic Missile Launch",
        "Ballistic Missile Launch (type unknown)",
        "Inter-Continental Ballistic Missile/Short-Range Missile Launches",
        "Intercontinental Ballistic Missile",
        "Intercontinental ballistic missile & SRBM",
        "Intermediate-range Ballistic Missile Launch",
        "Medium-range Ballistic Missile Launch",
        "Short-range Ballistic Missile Launch",
        "Short-range Missile Launch",
        "Submarine Launched Ballistic Missile Launch",
        "Satellite Launch",
        "Satellite Launch (Other Provocation)",
        "Joint Missile Test with China",
        "Nuclear Detonation Device",
    }
)
_UTC = re.compile(r"(\d+) distinct UTC dates")


def reference_counts() -> pd.DataFrame:
    """CNS yearly counts: year, launch_events (KST days), missiles, utc_dates (from the notes, else KST)."""
    t = tables.missile_tests_by_year().to_pandas()
    t = t[t["source_name"].str.startswith("CNS")]
    utc = t["notes"].str.extract(_UTC, expand=False).astype("float")
    out = pd.DataFrame(
        {
            "year": t["year"].astype(int),
            "launch_events": t["number_of_launch_events"].astype(int),
            "missiles": t["number_of_missiles"].astype(int),
            "utc_dates": utc.fillna(t["number_of_launch_events"]).astype(int),
        }
    )
    return out.reset_index(drop=True)


def _launch_incidents(linking: Linking) -> tuple[pd.DataFrame, date]:
    ev = linking.events.to_pandas()[["event_id", "source", "date", "original_type", "category"]]
    links = linking.links.to_pandas()[["incident_id", "event_id"]]
    inc = linking.incidents.to_pandas()
    inc = inc[inc["family"] == "launch"]
    members = links.merge(ev, on="event_id")
    members = members[members["incident_id"].isin(inc["incident_id"])]
    cns_dates = ev.loc[ev["source"] == "cns", "date"]
    if cns_dates.empty:
        raise ValueError("no CNS events to compare with: ingest the CNS missile test CSV first")
    last_cns = max(cns_dates)
    g = members.groupby("incident_id")
    summary = pd.DataFrame(
        {
            "has_cns": g["source"].agg(lambda s: (s == "cns").any()),
            "in_scope": g.apply(_covered, include_groups=False),
            "types": g["original_type"].agg(lambda s: "; ".join(sorted({str(x) for x in s}))),
        }
    ).reset_index()
    out = inc.merge(summary, on="incident_id")
    out["year"] = [d.year for d in out["date"]]
    out["rule"] = [_rule(r, last_cns) for r in out.itertuples()]
    return out, last_cns


def _covered(members: pd.DataFrame) -> bool:
    for source, kind, category in zip(members["source"], members["original_type"], members["category"], strict=True):
        if source in ("cns", "kb") and category in ("missile_test", "satellite_launch"):
            return True
        if source == "csis" and str(kind).split(": ", 1)[-1] in CNS_SCOPE_CSIS_EVENTS:
            return True
    return False


def _rule(r: object, last_cns: date) -> str:
    if r.has_cns:  # type: ignore[attr-defined]
        return "cns"
    if not r.in_scope:  # type: ignore[attr-defined]
        return "outside_cns_scope"
    return "post_snapshot" if r.date > last_cns else "not_in_cns"  # type: ignore[attr-defined]


def yearly_comparison(linking: Linking, first: int = 1984, last: int = 2023) -> pd.DataFrame:
    """Per year: reference R, merged M, the difference and its split into :data:`RULES`.

    Also ``comparable`` (C + P), ``comparable_diff`` (C + P - R), ``within_tolerance`` and
    ``unexplained`` (0 when every difference is accounted for by a rule).
    """
    inc, last_cns = _launch_incidents(linking)
    ref = reference_counts().set_index("year")
    rows = []
    for year in range(first, last + 1):
        if year not in ref.index:
            raise ValueError(f"no CNS reference count for {year}")
        r, u = int(ref.loc[year, "launch_events"]), int(ref.loc[year, "utc_dates"])
        mine = inc[inc["year"] == year]["rule"].value_counts()
        c = int(mine.get("cns", 0))
        p, x, y = (int(mine.get(k, 0)) for k in ("post_snapshot", "outside_cns_scope", "not_in_cns"))
        m = c + p + x + y
        snapshot = c - u if year == last_cns.year else 0
        explained = (u - r) + snapshot + p + x + y
        rows.append(
            {
                "year": year,
                "reference": r,
                "reference_utc": u,
                "cns_days": c,
                "merged": m,
                "difference": m - r,
                "utc_date": u - r,
                "snapshot_end": snapshot,
                "post_snapshot": p,
                "outside_cns_scope": x,
                "not_in_cns": y,
                "unexplained": (m - r) - explained,
                "comparable": c + p,
                "comparable_diff": c + p - r,
                "within_tolerance": abs(c + p - r) <= TOLERANCE,
            }
        )
    return pd.DataFrame(rows)


def unmatched_launches(linking: Linking, first: int = 1984, last: int = 2023) -> pd.DataFrame:
    """Launch incidents without a CNS entry in [first, last], each with the rule that explains it."""
    inc, _ = _launch_incidents(linking)
    inc = inc[(inc["rule"] != "cns") & inc["year"].between(first, last)]
    cols = ["incident_id", "date", "rule", "sources", "types", "description", "event_ids"]
    return inc.sort_values(["date", "incident_id"])[cols].reset_index(drop=True)
