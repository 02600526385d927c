"""What followed each PA-X agreement linked to a UCDP conflict: activity before and after, time to relapse.

Samples (decision 022):

- ``interstate``: PA-X interstate agreements (``Agtp`` Inter) whose ``UcdpCon`` is in the ACD file;
- ``territorial``: every PA-X agreement whose linked UCDP conflict is over territory
  (incompatibility 1 or 3), intrastate (secession, autonomy) included: a larger n, a different kind
  of conflict.

Outcomes, per agreement signed in year Y:

- **UCDP activity** in the k = 1, 3, 5 years before (Y-k .. Y-1) and after (Y+1 .. Y+k): the number
  of years the linked conflict was active (25+ battle-related deaths). The signing year is in
  neither window (the ACD is yearly, so fighting in Y cannot be placed before or after the
  signature). A window reaching outside the ACD's years is null, never zero.
- **Time to the next active UCDP year**: the first active year after Y, minus Y; right-censored at
  the ACD's last year. Agreements signed in or after that year have no follow-up and are left out.
- **COW MID**, for agreements located in two states: use-of-force incidents (hostility 4-5) between
  them in the same windows, and the time in years from the signing date to the next such incident,
  right-censored at the end of MID's incident coverage. Agreements signed before MID's first
  incident year are left out (their first years are unobserved), as are those after its last.

For the statistics the agreements are grouped into **signings**: the agreements of one UCDP conflict
signed on one day share every outcome (Ecuador and Peru signed eight on 1998-10-26), so they form one
unit whose provision groups and stages are the union of its agreements'.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from .groups import GROUPS, STAGES, group_flags, stage_label
from .record import FORCE, Record, pair

__all__ = ["SAMPLES", "WINDOWS", "Sample", "agreement_outcomes", "excluded_agreements", "signings"]

Sample = Literal["interstate", "territorial"]
SAMPLES: tuple[Sample, ...] = ("interstate", "territorial")
WINDOWS = (1, 3, 5)
_TERRITORIAL = (1, 3)
_YEAR_DAYS = 365.25
_NO_INCIDENTS = pd.DataFrame({"year": pd.Series(dtype=int), "incidnum": pd.Series(dtype=int),
                              "date": pd.Series(dtype=object), "dispnum": pd.Series(dtype=float)})  # fmt: skip


def _linked(record: Record) -> pd.DataFrame:
    """PA-X agreements with a ``UcdpCon`` that is in the ACD, with the conflict's fields attached."""
    ag = record.agreements
    cy = record.conflict_years
    conflicts = cy.groupby("conflict_id", as_index=False).agg(
        location=("location", "first"), territory=("territory_name", "first"),
        incompatibility=("incompatibility", "max"), conflict_type=("type_of_conflict", "max"),
    )  # fmt: skip
    linked = ag.dropna(subset=["UcdpCon"]).merge(conflicts, left_on="UcdpCon", right_on="conflict_id", how="inner")
    return linked.drop(columns="conflict_id")


def _sample(linked: pd.DataFrame, sample: Sample) -> pd.DataFrame:
    if sample == "interstate":
        return linked[linked["Agtp"] == "Inter"]
    if sample == "territorial":
        return linked[linked["incompatibility"].isin(_TERRITORIAL)]
    raise ValueError(f"unknown sample {sample!r}; samples: {', '.join(SAMPLES)}")


def excluded_agreements(record: Record, sample: Sample) -> pd.DataFrame:
    """Agreements of the sample's type left out, with the reason (no UCDP link, link not in the ACD)."""
    ag = record.agreements
    base = ag[ag["Agtp"] == "Inter"] if sample == "interstate" else ag
    known = set(record.conflict_years["conflict_id"].unique())
    rows = []
    for r in base.itertuples():
        if pd.isna(r.UcdpCon):
            rows.append((r.AgtId, r.date, r.Con, "no UCDP conflict link (UcdpCon empty)"))
        elif int(r.UcdpCon) not in known:
            rows.append((r.AgtId, r.date, r.Con, f"UcdpCon {int(r.UcdpCon)} is not in the ACD file"))
    return pd.DataFrame(rows, columns=["pax_id", "date", "con", "reason"])


def _active_years(record: Record) -> dict[int, list[int]]:
    cy = record.conflict_years
    return {int(c): sorted(int(y) for y in g["year"]) for c, g in cy.groupby("conflict_id")}


def _ucdp_windows(year: int, active: list[int], span: tuple[int, int]) -> dict[str, object]:
    first, last = span
    out: dict[str, object] = {}
    for k in WINDOWS:
        before = range(year - k, year)
        after = range(year + 1, year + k + 1)
        out[f"ucdp_before_{k}"] = sum(y in active for y in before) if before.start >= first else None
        out[f"ucdp_after_{k}"] = sum(y in active for y in after) if after.stop - 1 <= last else None
    nxt = next((y for y in active if y > year), None)
    if year >= last:
        out.update(ucdp_next_year=nxt, ucdp_years=None, ucdp_event=None)
    elif nxt is not None and nxt <= last:
        out.update(ucdp_next_year=nxt, ucdp_years=float(nxt - year), ucdp_event=True)
    else:
        out.update(ucdp_next_year=None, ucdp_years=float(last - year), ucdp_event=False)
    return out


def _mid_windows(
    signed: date, ab: tuple[str, str] | None, force: dict[tuple[str, str], pd.DataFrame], span: tuple[int, int] | None
) -> dict[str, object]:
    empty: dict[str, object] = {f"mid_{w}_{k}": None for w in ("before", "after") for k in WINDOWS}
    empty.update(mid_next_date=None, mid_next_incident=None, mid_next_dispute=None, mid_years=None, mid_event=None)
    if ab is None or span is None:
        return empty
    first, last = span
    mine = force.get(ab, _NO_INCIDENTS)
    counts = mine.groupby("year")["incidnum"].nunique().to_dict()
    out: dict[str, object] = dict(empty)
    year = signed.year
    for k in WINDOWS:
        if year - k >= first:
            out[f"mid_before_{k}"] = int(sum(counts.get(y, 0) for y in range(year - k, year)))
        if year + k <= last:
            out[f"mid_after_{k}"] = int(sum(counts.get(y, 0) for y in range(year + 1, year + k + 1)))
    if not first <= year <= last:
        return out
    later = mine[mine["date"] > signed].sort_values("date")
    end = date(last, 12, 31)
    if later.empty:
        out.update(mid_years=(end - signed).days / _YEAR_DAYS, mid_event=False)
    else:
        hit = later.iloc[0]
        out.update(
            mid_next_date=hit["date"], mid_next_incident=int(hit["incidnum"]),
            mid_next_dispute=None if pd.isna(hit["dispnum"]) else int(hit["dispnum"]),
            mid_years=(hit["date"] - signed).days / _YEAR_DAYS, mid_event=True,
        )  # fmt: skip
    return out


def _state_pair(loc1: object, loc2: object) -> tuple[str, str] | None:
    if isinstance(loc1, str) and isinstance(loc2, str) and loc1 != loc2:
        return pair(loc1, loc2)
    return None


def agreement_outcomes(record: Record, sample: Sample = "interstate") -> pd.DataFrame:
    """One row per agreement of ``sample`` with its provision groups and outcomes (module docstring).

    Columns: ``pax_id``, ``name``, ``date``, ``year``, ``con``, ``agreement_type``, ``stage``,
    ``stage_label``, ``dyad``, ``ucdp_conflict``, ``conflict_location``, ``territory``,
    ``incompatibility``, one boolean per provision group, ``ucdp_before_k``/``ucdp_after_k``
    (active years), ``ucdp_next_year``, ``ucdp_years``, ``ucdp_event``, ``mid_before_k``/
    ``mid_after_k`` (use-of-force incidents), ``mid_next_date``, ``mid_next_incident``,
    ``mid_next_dispute``, ``mid_years``, ``mid_event``, ``signing`` (the signing unit's id).
    """
    if record.coverage.ucdp is None or record.agreements.empty:
        raise ValueError("agreement outcomes need the PA-X and UCDP ACD tables in the store (detente ingest ...)")
    sel = _sample(_linked(record), sample).sort_values(["Dat", "AgtId"]).reset_index(drop=True)
    flags = group_flags(sel)
    active = _active_years(record)
    force_incidents = record.mid_incidents[record.mid_incidents["hostlev"] >= FORCE]
    force = {(str(a), str(b)): g for (a, b), g in force_incidents.groupby(["a", "b"])}
    # without MIDI's hostility levels the use-of-force outcome is unknown, not absent
    mid_span = record.coverage.mid_incidents if record.mid_incidents["hostlev"].notna().any() else None
    rows = []
    for i, r in sel.iterrows():
        ab = _state_pair(r["Loc1ISO"], r["Loc2ISO"])
        row = {
            "pax_id": int(r["AgtId"]), "name": r["Agt"], "date": r["date"], "year": int(r["year"]),
            "con": r["Con"], "agreement_type": r["Agtp"], "stage": r["Stage"],
            "stage_label": stage_label(r["Stage"]), "dyad": None if ab is None else "-".join(ab),
            "ucdp_conflict": int(r["UcdpCon"]), "conflict_location": r["location"], "territory": r["territory"],
            "incompatibility": int(r["incompatibility"]),
            **{g.name: bool(flags.loc[i, g.name]) for g in GROUPS},
            **_ucdp_windows(int(r["year"]), active.get(int(r["UcdpCon"]), []), record.coverage.ucdp),
            **_mid_windows(r["date"], ab, force, mid_span),
            "signing": f"{int(r['UcdpCon'])}:{r['date'].isoformat()}",
        }  # fmt: skip
        rows.append(row)
    out = pd.DataFrame(rows)
    counts = [f"{src}_{side}_{k}" for src in ("ucdp", "mid") for side in ("before", "after") for k in WINDOWS]
    return out.astype({c: "Int64" for c in [*counts, "ucdp_next_year", "mid_next_incident", "mid_next_dispute"]})


def signings(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The outcome table collapsed to one row per signing (conflict and day).

    Provision groups are OR-ed over the signing's agreements; stages become ``stage_<code>``
    booleans; ``pax_ids`` lists the agreements; outcomes are shared and taken from the first.
    """
    if outcomes.empty:
        return outcomes.assign(pax_ids=pd.Series(dtype=object), n_agreements=pd.Series(dtype=int))
    stage_cols = {f"stage_{code}": outcomes["stage"] == code for code in STAGES}
    frame = outcomes.assign(**stage_cols)
    groups = [g.name for g in GROUPS]
    shared = [c for c in outcomes.columns if c.startswith(("ucdp_", "mid_"))]
    agg: dict[str, tuple[str, object]] = {
        "date": ("date", "first"), "year": ("year", "first"), "ucdp_conflict": ("ucdp_conflict", "first"),
        "conflict_location": ("conflict_location", "first"), "dyad": ("dyad", "first"),
        "agreement_type": ("agreement_type", "first"), "con": ("con", "first"),
        "pax_ids": ("pax_id", lambda s: ";".join(str(v) for v in s)), "n_agreements": ("pax_id", "size"),
        "stages": ("stage", lambda s: ";".join(sorted(set(s)))),
        **{g: (g, "any") for g in groups}, **{c: (c, "any") for c in stage_cols},
        **{c: (c, "first") for c in shared if c != "ucdp_conflict"},
    }  # fmt: skip
    out = frame.groupby("signing", sort=False).agg(**agg).reset_index()
    for c in ("ucdp_event", "mid_event"):
        out[c] = out[c].astype("boolean")
    out["ucdp_years"] = out["ucdp_years"].astype(float)
    out["mid_years"] = out["mid_years"].astype(float)
    return out
