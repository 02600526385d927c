"""Korea against the record: the 2018 texts' provision groups, the most similar agreements elsewhere, and
how agreements with each group fared against those without.

The knowledge base codes every provision of the Panmunjom Declaration (PD-2018), the Pyongyang
Declaration (PYD-2018) and the Comprehensive Military Agreement (CMA-2018) (``kb/data/provisions.csv``,
sourced). :data:`PROVISION_GROUPS` maps each of those 42 provisions to the PA-X provision groups
of :mod:`.groups`, from the knowledge base's own summary of the provision; the mapping is the
compiler's reading (decision 023) and each row says why. PA-X itself codes PD-2018 (AgtId 2104) and
PYD-2018 (2105) but has no record of the CMA; :func:`profiles` shows both codings side by side.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .groups import GROUPS, STAGES, group_flags
from .record import PAX_CODES, Record
from .theatres import KOREA

__all__ = ["KOREA_TEXTS", "PROVISION_GROUPS", "group_record", "korea_groups", "profiles", "similar_agreements"]

#: The three 2018 texts: knowledge-base id -> (PA-X AgtId or None, PA-X stage; the CMA's is ours).
KOREA_TEXTS: dict[str, tuple[int | None, str]] = {"PD-2018": (2104, "Pre"), "PYD-2018": (2105, "Pre"),
                                                   "CMA-2018": (None, "Imp")}  # fmt: skip
_CMA_STAGE_BASIS = (
    "CMA-2018 is not in PA-X; its stage is read as Implementation because its title is 'Agreement on the"
    " Implementation of the Historic Panmunjom Declaration in the Military Domain' [compiler's reading]"
)

#: Knowledge-base provision -> provision groups, with the basis (the provision's summary in the KB).
PROVISION_GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("PD-1.1", (), "implement earlier agreements: political"),
    ("PD-1.2", (), "resume dialogue: political"),
    ("PD-1.3", (), "joint liaison office: a civilian channel, not a military mechanism"),
    ("PD-1.4", (), "exchanges and joint events: political"),
    ("PD-1.5", (), "family reunions: humanitarian"),
    ("PD-1.6", (), "rail and road projects: economic"),
    ("PD-2.1", ("ceasefire",), "completely cease all hostile acts on land, at sea and in the air"),
    ("PD-2.2", ("demilitarisation",), "turn the Northern Limit Line area into a maritime peace zone"),
    ("PD-2.3", ("joint_military",), "frequent military talks including defence ministers' meetings"),
    ("PD-3.1", ("guarantees",), "reaffirm non-aggression, ruling out the use of force in any form"),
    ("PD-3.2", ("demilitarisation",), "disarmament in phases"),
    ("PD-3.3", ("third_party",), "peace regime pursued in three- or four-party talks (with the US, China)"),
    ("PD-3.4", (), "denuclearisation goal: no group of this comparison"),
    ("PD-4", (), "leaders' meetings and a hotline: communication"),
    ("PYD-1.1", ("ceasefire",), "extend the end of military hostility to the whole peninsula; adopt the CMA"),
    ("PYD-1.2", ("joint_military",), "set up an inter-Korean joint military committee"),
    ("PYD-2.1", (), "rail and road groundbreaking: economic"),
    ("PYD-2.2", (), "Kaesong and Mt Kumgang: economic"),
    ("PYD-2.3", (), "special economic zones: economic"),
    ("PYD-2.4", (), "environmental cooperation: economic"),
    ("PYD-2.5", (), "public health: humanitarian"),
    ("PYD-3.1", (), "reunion facility: humanitarian"),
    ("PYD-3.2", (), "video reunions: humanitarian"),
    ("PYD-4.1", (), "cultural exchanges: political"),
    ("PYD-4.2", (), "joint Olympic entries and bid: political"),
    ("PYD-4.3", (), "joint anniversary events: political"),
    ("PYD-5.1", ("third_party",), "dismantle the Dongchang-ri site with experts from relevant countries observing"),
    ("PYD-5.2", (), "Yongbyon dismantlement conditional on US measures: a condition, not a third-party role"),
    ("PYD-5.3", (), "cooperate toward denuclearisation: no group of this comparison"),
    ("PYD-6", (), "Kim Jong Un to visit Seoul: political"),
    ("CMA-1.1", ("ceasefire",), "cease all hostile acts on land, at sea and in the air"),
    ("CMA-1.2", ("demilitarisation",), "ground buffer zone 5 km either side of the MDL"),
    ("CMA-1.3", ("demilitarisation",), "maritime buffer zones without live fire"),
    ("CMA-1.4", ("demilitarisation",), "no-fly zones along the MDL"),
    ("CMA-1.5", ("ceasefire",), "staged warning procedures to prevent accidental clashes"),
    ("CMA-1.6", ("joint_military",), "military communication lines and the joint military committee"),
    ("CMA-2.1", ("demilitarisation",), "pilot withdrawal of guard posts in the DMZ"),
    ("CMA-2.2", ("demilitarisation", "third_party"),
     "demilitarise the JSA with trilateral (ROK-DPRK-UN Command) verification"),
    ("CMA-2.3", (), "joint excavation of war remains: humanitarian"),
    ("CMA-3.1", ("demilitarisation",), "maritime peace zone and pilot joint fishing zone in the West Sea"),
    ("CMA-4.1", ("guarantees",), "military guarantees for exchanges (rail, road, Han River estuary)"),
    ("CMA-5.1", ("joint_military",), "set up and operate an inter-Korean joint military committee"),
)  # fmt: skip


def korea_groups() -> dict[str, list[str]]:
    """Provision groups of each coded Korean text (knowledge-base id -> groups in display order)."""
    found: dict[str, set[str]] = {text: set() for text in KOREA_TEXTS}
    for provision, groups, _basis in PROVISION_GROUPS:
        found[provision.split("-")[0] + "-2018"].update(groups)
    return {text: [g.name for g in GROUPS if g.name in names] for text, names in found.items()}


def profiles(record: Record) -> pd.DataFrame:
    """The three texts: stage, groups from the knowledge base's provisions and, where PA-X has the
    text, the groups PA-X's own coding gives, with the differences named."""
    kb = korea_groups()
    pax = record.agreements.set_index("AgtId")
    rows = []
    for text, (agt_id, stage) in KOREA_TEXTS.items():
        pax_groups: list[str] | None = None
        if agt_id is not None and agt_id in pax.index:
            flags = group_flags(pax.loc[[agt_id]])
            pax_groups = [g.name for g in GROUPS if bool(flags.iloc[0][g.name])]
        rows.append({
            "kb_id": text, "pax_id": agt_id, "stage": stage, "stage_label": STAGES[stage],
            "stage_basis": "PA-X Stage" if agt_id is not None else _CMA_STAGE_BASIS,
            "groups": ";".join(kb[text]), "pax_groups": None if pax_groups is None else ";".join(pax_groups),
            "only_kb": None if pax_groups is None else ";".join(g for g in kb[text] if g not in pax_groups),
            "only_pax": None if pax_groups is None else ";".join(g for g in pax_groups if g not in kb[text]),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _profile_sets(outcomes: pd.DataFrame) -> list[set[str]]:
    names = [g.name for g in GROUPS]
    return [{n for n in names if r[n]} | {f"stage:{r['stage']}"} for _, r in outcomes.iterrows()]


def similar_agreements(record: Record, outcomes: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """For each Korean text, the ``top`` most similar agreements elsewhere and what followed them.

    Similarity: Jaccard index of the sets {provision groups} + {stage}. Ties are broken by the Jaccard
    index of the full PA-X coding (all provision codes above 0; only for the texts PA-X has), then
    interstate agreements first, then the earlier date. Agreements of the Korean conflict (UCDP 235)
    or located in North or South Korea are left out.
    """
    pool = outcomes[(outcomes["ucdp_conflict"] != 235)].copy()
    pool = pool[~pool["dyad"].fillna("").str.contains("|".join(KOREA))]
    pool_sets = _profile_sets(pool)
    codes = record.agreements.set_index("AgtId")[list(PAX_CODES)].fillna(0).astype(int) > 0
    pool_codes = [set(codes.columns[codes.loc[i]]) for i in pool["pax_id"]]
    kb = korea_groups()
    frames = []
    for text, (agt_id, stage) in KOREA_TEXTS.items():
        mine = set(kb[text]) | {f"stage:{stage}"}
        full = set(codes.columns[codes.loc[agt_id]]) if agt_id in codes.index else None
        scored = pool.assign(
            kb_id=text,
            similarity=[_jaccard(mine, s) for s in pool_sets],
            full_similarity=[float("nan") if full is None else _jaccard(full, c) for c in pool_codes],
            shared=[";".join(sorted(mine & s)) for s in pool_sets],
            _inter=(pool["agreement_type"] != "Inter").astype(int),
        )
        scored = scored.sort_values(
            ["similarity", "full_similarity", "_inter", "date"],
            ascending=[False, False, True, True],
            na_position="last",
        ).head(top)
        frames.append(scored.assign(rank=range(1, len(scored) + 1)))
    columns = ["kb_id", "rank", "pax_id", "name", "date", "con", "dyad", "agreement_type", "stage", "ucdp_conflict",
               "similarity", "full_similarity", "shared", "ucdp_before_5", "ucdp_after_1", "ucdp_after_3",
               "ucdp_after_5", "ucdp_next_year", "ucdp_years", "ucdp_event", "mid_after_5", "mid_next_date",
               "mid_next_dispute", "mid_years", "mid_event"]  # fmt: skip
    return pd.concat(frames, ignore_index=True)[columns]


def _verdict(hr: Any, low: Any, high: Any) -> str:
    if hr is None or pd.isna(hr):
        return "not estimable"
    if float(low) > 1:
        return "relapsed sooner"
    if float(high) < 1:
        return "relapsed later"
    return "no clear difference"


def group_record(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per provision group: which Korean texts have it, and how agreements with it fared against those
    without (5-year window share, Kaplan-Meier at 5 years, hazard ratio and its verdict, caveats)."""
    kb = korea_groups()
    rows = []
    for g in GROUPS:
        arms = comparison[comparison["group"] == g.name].set_index("arm")
        if arms.empty:
            continue
        w, wo = arms.loc["with"], arms.loc["without"]
        rows.append({
            "group": g.name, "label": g.label, "korea_texts": ";".join(t for t in KOREA_TEXTS if g.name in kb[t]),
            "sample": w["sample"], "outcome": w["outcome"],
            "with_n": int(w["n_signings"]), "with_after_5": w["after_5"], "with_after_5_low": w["after_5_low"],
            "with_after_5_high": w["after_5_high"], "with_km_5": w["km_5"],
            "without_n": int(wo["n_signings"]), "without_after_5": wo["after_5"],
            "without_after_5_low": wo["after_5_low"], "without_after_5_high": wo["after_5_high"],
            "without_km_5": wo["km_5"], "hr": w["hr"], "hr_low": w["hr_low"], "hr_high": w["hr_high"],
            "verdict": _verdict(w["hr"], w["hr_low"], w["hr_high"]), "caveats": w["caveats"],
        })  # fmt: skip
    return pd.DataFrame(rows)
