"""Agreements with and without a provision group compared: window shares, Kaplan-Meier, Cox (lifelines).

Every estimate carries its n and a 95 % interval:

- **window shares**: the share of signings whose conflict was active (UCDP) or saw a use-of-force
  incident (COW MID) in the k years before / after, among signings whose window lies inside the
  source's coverage; Wilson score interval (statsmodels ``proportion_confint``).
- **Kaplan-Meier** (lifelines ``KaplanMeierFitter``): the probability of no relapse within 1, 3, 5
  years, with lifelines' default exponential Greenwood interval; null when the arm has no one still
  followed at that time. Log-rank test (lifelines) between the arms.
- **Cox** (lifelines ``CoxPHFitter``): the hazard ratio of the group, alone (one model per group),
  with standard errors clustered by UCDP conflict (signings of one conflict are not independent).

Not causal: agreements are signed where and when fighting was, and what they contain depends on the
conflict. The caveats that apply are written into each row (``caveats``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._extras import require
from .groups import GROUPS, STAGES, group
from .outcomes import WINDOWS

__all__ = ["OUTCOMES", "Outcome", "compare", "cox_model", "km_curves", "overall", "unit_mask", "wilson"]

Outcome = Literal["ucdp", "mid"]
OUTCOMES: tuple[Outcome, ...] = ("ucdp", "mid")
_LABEL = {"ucdp": "an active UCDP conflict-year", "mid": "a COW MID use-of-force incident"}
_SMALL_N = 30
_FEW_CLUSTERS = 5
_FEW_CLUSTERS_COX = 20


@dataclass(frozen=True)
class _Arm:
    name: str
    mask: pd.Series


def wilson(successes: int, n: int) -> tuple[float | None, float | None, float | None]:
    """Share and Wilson 95 % interval (statsmodels); ``(None, None, None)`` when n is 0."""
    if n == 0:
        return None, None, None
    proportion_confint = require("statsmodels.stats.proportion").proportion_confint

    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    return successes / n, float(low), float(high)


def unit_mask(units: pd.DataFrame, name: str) -> pd.Series:
    """Signings that have provision group ``name`` or, for ``stage:<code>``, that stage."""
    if name.startswith("stage:"):
        code = name.split(":", 1)[1]
        if code not in STAGES:
            raise KeyError(f"unknown stage {code!r}; stages: {', '.join(STAGES)}")
        return units[f"stage_{code}"].astype(bool)
    group(name)
    return units[name].astype(bool)


def _followed(units: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    return units[units[f"{outcome}_years"].notna()]


def _window_stats(units: pd.DataFrame, outcome: Outcome) -> dict[str, object]:
    out: dict[str, object] = {}
    for side in ("before", "after"):
        for k in WINDOWS:
            col = units[f"{outcome}_{side}_{k}"].dropna()
            share, low, high = wilson(int((col > 0).sum()), len(col))
            out.update({f"{side}_{k}": share, f"{side}_{k}_low": low, f"{side}_{k}_high": high,
                        f"{side}_{k}_n": len(col)})  # fmt: skip
    return out


def _km(units: pd.DataFrame, outcome: Outcome) -> dict[str, object]:
    KaplanMeierFitter = require("lifelines").KaplanMeierFitter

    followed = _followed(units, outcome)
    out: dict[str, object] = {"n_followed": len(followed), "events": int(followed[f"{outcome}_event"].sum())}
    for k in WINDOWS:
        out.update({f"km_{k}": None, f"km_{k}_low": None, f"km_{k}_high": None})
    out["median_years"] = None
    if followed.empty:
        return out
    kmf = KaplanMeierFitter()
    durations = followed[f"{outcome}_years"].astype(float)
    kmf.fit(durations, followed[f"{outcome}_event"].astype(bool))
    ci = kmf.confidence_interval_survival_function_
    for k in WINDOWS:
        if durations.max() < k:
            continue  # nobody followed that long: S(k) is not estimable
        out[f"km_{k}"] = float(kmf.survival_function_.loc[:k].iloc[-1, 0])
        out[f"km_{k}_low"] = float(ci.loc[:k].iloc[-1, 0])
        out[f"km_{k}_high"] = float(ci.loc[:k].iloc[-1, 1])
    median = kmf.median_survival_time_
    out["median_years"] = None if np.isinf(median) else float(median)
    return out


def overall(units: pd.DataFrame, outcome: Outcome = "ucdp") -> dict[str, object]:
    """All signings together: window shares (Wilson) and Kaplan-Meier survival, with their n."""
    return {"n_signings": len(units), "n_agreements": int(units["n_agreements"].sum()) if len(units) else 0,
            "n_conflicts": int(units["ucdp_conflict"].nunique()) if len(units) else 0,
            **_window_stats(units, outcome), **_km(units, outcome)}  # fmt: skip


def _logrank(units: pd.DataFrame, mask: pd.Series, outcome: Outcome) -> float | None:
    logrank_test = require("lifelines.statistics").logrank_test

    f = _followed(units, outcome)
    m = mask[f.index]
    if m.all() or not m.any():
        return None
    d, e = f[f"{outcome}_years"].astype(float), f[f"{outcome}_event"].astype(bool)
    return float(logrank_test(d[m], d[~m], e[m], e[~m]).p_value)


def _cox_one(units: pd.DataFrame, mask: pd.Series, outcome: Outcome, cluster: str) -> dict[str, object]:
    """HR of the group (alone) with a clustered 95 % interval; ``cox_note`` says why it is missing."""
    f = _followed(units, outcome)
    m = mask[f.index].astype(int)
    ev = f[f"{outcome}_event"].astype(bool)
    empty = {"hr": None, "hr_low": None, "hr_high": None, "hr_p": None}
    if m.nunique() < 2:
        return {**empty, "cox_note": "every signing (or none) has it"}
    if not ev[m == 1].any() or not ev[m == 0].any():
        return {**empty, "cox_note": "no relapse in one arm: hazard ratio not estimable"}
    data = pd.DataFrame({"T": f[f"{outcome}_years"].astype(float), "E": ev.astype(int), "x": m,
                         "cluster": f[cluster].astype(str)})  # fmt: skip
    fitted, note = _fit_cox(data, ["x"])
    if fitted is None:
        return {**empty, "cox_note": note}
    s = fitted.summary.loc["x"]
    return {
        "hr": float(s["exp(coef)"]), "hr_low": float(s["exp(coef) lower 95%"]),
        "hr_high": float(s["exp(coef) upper 95%"]), "hr_p": float(s["p"]), "cox_note": note,
    }  # fmt: skip


def _fit_cox(data: pd.DataFrame, covariates: list[str]) -> tuple[Any, str]:
    """Fit lifelines' Cox model; warnings and failures become a note instead of an exception."""
    CoxPHFitter = require("lifelines").CoxPHFitter
    ConvergenceError = require("lifelines.exceptions").ConvergenceError

    cph = CoxPHFitter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cph.fit(data[["T", "E", "cluster", *covariates]], duration_col="T", event_col="E", cluster_col="cluster")
        except (ConvergenceError, np.linalg.LinAlgError, ValueError) as exc:
            return None, f"Cox model failed: {str(exc).splitlines()[0]}"
    notes = sorted({str(w.message).strip().split(". ")[0] for w in caught})
    return cph, "; ".join(f"lifelines warned: {n}" for n in notes)


def _separated(data: pd.DataFrame, covariate: str) -> bool:
    """True when everyone with (or without) the covariate stayed without relapse: no finite estimate."""
    with_it = data[covariate] == 1
    return not data.loc[with_it, "E"].any() or not data.loc[~with_it, "E"].any()


def _caveats(row: dict[str, Any], name: str, sample: str, outcome: Outcome, coverage_end: int | None) -> str:
    notes = ["association, not effect: agreements are signed where fighting was"]
    before = row.get("before_5")
    if isinstance(before, float) and before >= 0.5:
        notes.append(f"{before:.0%} of these signings followed fighting in the 5 years before")
    if int(row["n_signings"]) < _SMALL_N:
        notes.append(f"small n ({row['n_signings']} signings)")
    if int(row["n_conflicts"]) < _FEW_CLUSTERS:
        notes.append(f"only {row['n_conflicts']} conflict(s): one conflict can decide the result")
    if sample == "interstate":
        notes.append("interstate n is small")
    clusters = row.get("cox_clusters")
    if row.get("hr") is not None and isinstance(clusters, int) and clusters < _FEW_CLUSTERS_COX:
        notes.append(f"hazard ratio clustered on {clusters} conflicts: its interval is optimistic")
    if coverage_end is not None:
        src = "UCDP ACD" if outcome == "ucdp" else "COW MID incidents"
        notes.append(f"{src} coverage ends {coverage_end}: later relapses are censored")
    if outcome == "ucdp":
        notes.append("UCDP counts a year only at 25+ battle deaths")
        if row.get("hr") is not None:
            notes.append("times are whole years (many ties), which lifelines' robust variance does not handle")
    if not name.startswith("stage:") and group(name).caveat:
        notes.append(group(name).caveat)
    notes.append("PA-X codes what a text says, not what was implemented")
    return "; ".join(notes)


def compare(
    units: pd.DataFrame,
    outcome: Outcome = "ucdp",
    names: list[str] | None = None,
    sample: str = "interstate",
    coverage_end: int | None = None,
) -> pd.DataFrame:
    """Per provision group (and stage), the signings with it against those without.

    One row per group and arm (``with``/``without``): n (agreements, signings, conflicts), window
    shares before/after with Wilson intervals, Kaplan-Meier survival at 1/3/5 years with intervals,
    median time to relapse, and on the ``with`` row the log-rank p-value and the Cox hazard ratio
    (clustered by conflict), plus the caveats that apply.
    """
    names = names or [g.name for g in GROUPS] + [f"stage:{c}" for c in STAGES if units[f"stage_{c}"].any()]
    rows = []
    for name in names:
        mask = unit_mask(units, name)
        cox = _cox_one(units, mask, outcome, "ucdp_conflict")
        cox["cox_clusters"] = int(_followed(units, outcome)["ucdp_conflict"].nunique())
        lr = _logrank(units, mask, outcome)
        for arm in (_Arm("with", mask), _Arm("without", ~mask)):
            sel = units[arm.mask]
            row: dict[str, Any] = {
                "sample": sample, "outcome": outcome, "relapse": _LABEL[outcome], "group": name,
                "label": group(name).label if not name.startswith("stage:") else STAGES[name.split(":")[1]],
                "arm": arm.name, "n_agreements": int(sel["n_agreements"].sum()), "n_signings": len(sel),
                "n_conflicts": int(sel["ucdp_conflict"].nunique()),
                **_window_stats(sel, outcome), **_km(sel, outcome),
            }  # fmt: skip
            is_with = arm.name == "with"
            row.update({"logrank_p": lr if is_with else None, **{k: (v if is_with else None) for k, v in cox.items()}})
            row["caveats"] = _caveats(row, name, sample, outcome, coverage_end)
            rows.append(row)
    return pd.DataFrame(rows)


def km_curves(units: pd.DataFrame, outcome: Outcome = "ucdp", names: list[str] | None = None) -> pd.DataFrame:
    """Kaplan-Meier step curves with 95 % bands for each group's arms (the chart's data).

    Columns: ``group``, ``label``, ``arm``, ``years``, ``survival``, ``low``, ``high``, ``at_risk``.
    """
    KaplanMeierFitter = require("lifelines").KaplanMeierFitter

    names = names or [g.name for g in GROUPS]
    frames = []
    for name in names:
        mask = unit_mask(units, name)
        label = group(name).label if not name.startswith("stage:") else STAGES[name.split(":")[1]]
        for arm, m in (("with", mask), ("without", ~mask)):
            f = _followed(units[m], outcome)
            if f.empty:
                continue
            kmf = KaplanMeierFitter().fit(f[f"{outcome}_years"].astype(float), f[f"{outcome}_event"].astype(bool))
            sf, ci = kmf.survival_function_, kmf.confidence_interval_survival_function_
            frames.append(pd.DataFrame({
                "group": name, "label": label, "arm": arm, "years": sf.index.to_numpy(dtype=float),
                "survival": sf.iloc[:, 0].to_numpy(), "low": ci.iloc[:, 0].to_numpy(), "high": ci.iloc[:, 1].to_numpy(),
                "at_risk": kmf.event_table["at_risk"].reindex(sf.index).to_numpy(),
            }))  # fmt: skip
    columns = ["group", "label", "arm", "years", "survival", "low", "high", "at_risk"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def cox_model(units: pd.DataFrame, outcome: Outcome = "ucdp") -> pd.DataFrame:
    """One Cox model with every provision group and stage together (clustered by conflict).

    Stages enter as indicators against the most common stage. Left out, and named in ``note``:
    covariates that never or always occur, and those with no relapse among the signings that have
    (or lack) them, which have no finite estimate. Columns: ``covariate``, ``hr``, ``hr_low``,
    ``hr_high``, ``p``, ``n_signings``, ``events``, ``n_conflicts``, ``note``.
    """
    f = _followed(units, outcome)
    stage_cols = [f"stage_{c}" for c in STAGES]
    reference = max(stage_cols, key=lambda c: int(f[c].sum())) if not f.empty else None
    candidates = [g.name for g in GROUPS] + [c for c in stage_cols if c != reference]
    data = pd.DataFrame({"T": f[f"{outcome}_years"].astype(float), "E": f[f"{outcome}_event"].astype(int),
                         "cluster": f["ucdp_conflict"].astype(str),
                         **{c: f[c].astype(int) for c in candidates}})  # fmt: skip
    varying = [c for c in candidates if 0 < int(data[c].sum()) < len(data)]
    covariates = [c for c in varying if not _separated(data, c)]
    dropped = [c for c in varying if c not in covariates]
    base = {"n_signings": len(f), "events": int(data["E"].sum()), "n_conflicts": int(f["ucdp_conflict"].nunique())}
    fitted, note = _fit_cox(data, covariates) if covariates and base["events"] else (None, "nothing to estimate")
    notes = [note] if note else []
    if reference:
        notes.append(f"stages against {reference.removeprefix('stage_')}")
    if dropped:
        notes.append("left out (no relapse with or without them): " + ", ".join(dropped))
    if base["n_conflicts"] < _FEW_CLUSTERS_COX:
        notes.append(f"standard errors clustered on only {base['n_conflicts']} conflicts: intervals are optimistic")
    text = "; ".join(notes)
    if fitted is None:
        return pd.DataFrame([{"covariate": None, "hr": None, "hr_low": None, "hr_high": None, "p": None, **base,
                              "note": text}])  # fmt: skip
    s = fitted.summary
    return pd.DataFrame([
        {"covariate": c, "hr": float(s.loc[c, "exp(coef)"]), "hr_low": float(s.loc[c, "exp(coef) lower 95%"]),
         "hr_high": float(s.loc[c, "exp(coef) upper 95%"]), "p": float(s.loc[c, "p"]), **base, "note": text}
        for c in covariates
    ])  # fmt: skip
