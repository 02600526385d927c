"""Group comparisons, Kaplan-Meier and Cox on the real record; shares and survival recomputed by hand from the
raw files."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest

from detente.theatres import Record, agreement_outcomes, compare, cox_model, km_curves, signings
from detente.theatres.survival import overall

from .conftest import Raw


def _raw_signings(raw: Raw) -> list[dict[str, object]]:
    """Interstate signings (UCDP conflict, day) straight from the raw files: year, ceasefire, active years."""
    active: dict[int, set[int]] = defaultdict(set)
    for r in raw.ucdp:
        active[int(r["conflict_id"])].add(int(r["year"]))
    units: dict[tuple[int, str], dict[str, object]] = {}
    for r in raw.pax:
        if r["Agtp"] != "Inter" or r["UcdpCon"] in ("", "NA") or int(r["UcdpCon"]) not in active:
            continue
        key = (int(r["UcdpCon"]), r["Dat"])
        unit = units.setdefault(key, {"year": int(r["Dat"][:4]), "active": active[key[0]], "ceasefire": False})
        unit["ceasefire"] = bool(unit["ceasefire"]) or int(r["Ce"]) > 0
    return list(units.values())


@pytest.fixture(scope="module")
def units(record: Record) -> pd.DataFrame:
    return signings(agreement_outcomes(record, "interstate"))


@pytest.fixture(scope="module")
def comparison(units: pd.DataFrame, record: Record) -> pd.DataFrame:
    return compare(units, "ucdp", sample="interstate", coverage_end=record.coverage.ucdp[1])


def test_ceasefire_shares_match_the_raw_files(comparison: pd.DataFrame, raw: Raw) -> None:
    last = max(int(r["year"]) for r in raw.ucdp)
    rows = comparison[comparison["group"] == "ceasefire"].set_index("arm")
    for arm, flag in (("with", True), ("without", False)):
        mine = [u for u in _raw_signings(raw) if u["ceasefire"] is flag and int(u["year"]) + 5 <= last]
        hits = [u for u in mine if set(range(int(u["year"]) + 1, int(u["year"]) + 6)) & u["active"]]  # type: ignore[operator]
        assert rows.loc[arm, "after_5_n"] == len(mine)
        assert rows.loc[arm, "after_5"] == pytest.approx(len(hits) / len(mine))
        assert rows.loc[arm, "after_5_low"] <= rows.loc[arm, "after_5"] <= rows.loc[arm, "after_5_high"]
    assert (rows.loc["with", "after_5_n"], rows.loc["without", "after_5_n"]) == (17, 32)


def test_kaplan_meier_by_hand(units: pd.DataFrame, raw: Raw) -> None:
    last = max(int(r["year"]) for r in raw.ucdp)
    durations = []
    for u in _raw_signings(raw):
        year = int(u["year"])
        if year >= last:
            continue
        later = [y for y in u["active"] if y > year]  # type: ignore[attr-defined]
        durations.append((min(later) - year, True) if later else (last - year, False))
    survival = 1.0
    for t in sorted({d for d, e in durations if e and d <= 5}):
        at_risk = sum(d >= t for d, _ in durations)
        survival *= 1 - sum(d == t and e for d, e in durations) / at_risk
    summary = overall(units, "ucdp")
    assert summary["n_followed"] == len(durations) == 57
    assert summary["events"] == sum(e for _, e in durations) == 15
    assert summary["km_5"] == pytest.approx(survival)
    assert summary["km_5_low"] < summary["km_5"] < summary["km_5_high"]


def test_every_row_has_n_interval_and_caveats(comparison: pd.DataFrame, units: pd.DataFrame) -> None:
    for group, rows in comparison.groupby("group"):
        assert rows["n_signings"].sum() == len(units), group
    estimable = comparison[comparison["hr"].notna()]
    assert (estimable["hr_low"] <= estimable["hr"]).all() and (estimable["hr"] <= estimable["hr_high"]).all()
    assert comparison["caveats"].str.contains("interstate n is small").all()
    assert comparison["caveats"].str.contains("coverage ends 2021").all()
    joint = comparison[(comparison["group"] == "joint_military") & (comparison["arm"] == "with")].iloc[0]
    assert joint["n_signings"] == 1 and pd.isna(joint["hr"]) and "not estimable" in joint["cox_note"]
    assert "joint command" in joint["caveats"]


def test_territorial_ceasefire_hazard_agrees_with_kaplan_meier(record: Record) -> None:
    terr = signings(agreement_outcomes(record, "territorial"))
    rows = compare(terr, "ucdp", ["ceasefire"], "territorial", 2021).set_index("arm")
    assert rows.loc["with", "hr_low"] > 1  # relapse sooner after ceasefire texts ...
    assert rows.loc["with", "km_5"] < rows.loc["without", "km_5"]  # ... as the survival curves show
    assert rows.loc["with", "before_5"] > rows.loc["without", "before_5"]  # and they were signed in hotter conflicts
    assert rows.loc["with", "n_conflicts"] == 55


def test_cox_model_leaves_out_separated_covariates(units: pd.DataFrame) -> None:
    model = cox_model(units, "ucdp")
    assert "joint_military" not in set(model["covariate"])
    assert "left out" in model["note"].iloc[0] and "joint_military" in model["note"].iloc[0]
    assert "clustered on only 14 conflicts" in model["note"].iloc[0]
    assert (model["hr_low"] <= model["hr"]).all() and (model["hr"] <= model["hr_high"]).all()


def test_mid_outcome(units: pd.DataFrame, record: Record) -> None:
    rows = compare(units, "mid", ["ceasefire"], "interstate", record.coverage.mid_incidents[1])
    followed = units[units["mid_years"].notna()]
    assert rows["n_followed"].sum() == len(followed) == 39
    assert rows["caveats"].str.contains("COW MID incidents coverage ends 2014").all()


def test_curves_are_survival_curves(units: pd.DataFrame) -> None:
    curves = km_curves(units, "ucdp")
    for (group, arm), c in curves.groupby(["group", "arm"]):
        c = c.sort_values("years")
        assert c["survival"].iloc[0] == 1.0 and c["years"].iloc[0] == 0.0, (group, arm)
        assert c["survival"].is_monotonic_decreasing
        assert ((c["low"] <= c["survival"] + 1e-12) & (c["survival"] <= c["high"] + 1e-12)).all()
