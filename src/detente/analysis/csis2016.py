"""The CSIS Beyond Parallel 2016 study of spring US–ROK exercises (2005–2016), replicated on our data.

The study (Cha, Lee & Lim, "Do U.S.-ROK Exercises Provoke the DPRK?", Beyond Parallel, CSIS, July
2016; extended to the fall exercises on 18 August 2016) coded U.S.–DPRK relations before (4–8
weeks), during and after each spring exercise season and reported four findings: a *null effect*
(exercises do not change the course of relations: positive before → positive after, negative
before → negative after), a *split personality* (Pyongyang can keep inter-Korean relations apart
from its anger at the exercises), *length matters* (from 2009, longer multi-week exercises gave a
longer window for provocations) and a *step change* in the intensity and frequency of provocations
from January 2009. ``docs/methods.md`` cites the pages.

Their coding was qualitative; ours counts provocation incidents (:func:`provocation_counts`) in
three equal windows per season — 8 weeks before the start, the 8 weeks from the start, and the 8
weeks after those — so counts are comparable across years (decision 018), and tests:

1. *null effect*: the mean change from the pre to the during window, against placebo shifts;
2. *persistence*: Spearman's rank correlation of the pre-window count with the during+post count;
3. *step change*: the provocation rate in the 2009–2016 windows against 2005–2008 (exact
   conditional test for two Poisson rates);
4. *length matters*: Spearman's correlation of the season's length (where its end is known)
   with the count inside it.

Each finding is reported with our numbers and whether they agree with CSIS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from .._extras import require
from ..indicators.incidents import CURATED_SOURCES
from .anchors import spring_exercises
from .events_study import DailyCounts, event_study, provocation_counts, window_counts

__all__ = ["CSIS_FINDINGS", "Replication", "csis_2016", "poisson_rate_test"]

#: the study's findings as published (Beyond Parallel, 2016)
CSIS_FINDINGS = {
    "null_effect": "U.S.-ROK military exercises do not provoke North Korean belligerence; they have a "
    "'null effect' on the status of relations",
    "persistence": "the state of relations before the exercises (4-8 weeks prior) predicts North Korean "
    "behaviour during and after them",
    "step_change": "a qualitative step change in the intensity and frequency of North Korean belligerence "
    "starting from January 2009",
    "length_matters": "as exercises grew longer from 2009 (multi-week), the window of opportunity for "
    "North Korean provocations grew",
}


@dataclass(frozen=True)
class Replication:
    """Per-season counts and the four findings with our numbers."""

    seasons: pd.DataFrame
    findings: pd.DataFrame


def poisson_rate_test(k1: int, t1: float, k0: int, t0: float) -> tuple[float, tuple[float, float], float]:
    """Rate ratio (k1/t1)/(k0/t0), its exact 95 % interval and the one-sided p (rate 1 > rate 0).

    Conditional on k1 + k0, k1 is binomial with p = t1/(t1 + t0) under equal rates; the interval
    is the Clopper–Pearson interval of that proportion mapped to the ratio.
    """
    stats = require("scipy.stats")

    n = k1 + k0
    if n == 0:
        return float("nan"), (float("nan"), float("nan")), float("nan")
    p0 = t1 / (t1 + t0)
    test = stats.binomtest(k1, n, p0, alternative="greater")
    lo, hi = stats.binomtest(k1, n, p0).proportion_ci(confidence_level=0.95, method="exact")
    scale = t0 / t1

    def ratio(p: float) -> float:
        return float("inf") if p >= 1 else p / (1 - p) * scale

    rr = (k1 / t1) / (k0 / t0) if k0 > 0 else float("inf")
    return rr, (ratio(lo), ratio(hi)), float(test.pvalue)


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    stats = require("scipy.stats")

    if len(x) < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return float("nan"), float("nan")
    res = stats.spearmanr(x, y)
    return float(res.statistic), float(res.pvalue)


def _counts(outcome: DailyCounts, seasons: pd.DataFrame, window: int) -> pd.DataFrame:
    anchors = seasons[["name", "start"]].assign(end=[s + timedelta(days=window - 1) for s in seasons["start"]])
    equal = window_counts(outcome, anchors, pre=window, post=window, during=True)
    actual = window_counts(outcome, seasons[["name", "start", "end"]], pre=window, post=window, during=True)
    return pd.DataFrame(
        {
            "pre": equal["pre"],
            "during": equal["during"],
            "post": equal["post"],
            "season_days": actual["during_days"].where(seasons["end"].notna().to_numpy()),
            "in_season": actual["during"].where(seasons["end"].notna().to_numpy()),
        }
    )


def csis_2016(
    source: object,
    *,
    window: int = 56,
    n_perm: int = 5000,
    seed: int = 0,
    sources: tuple[str, ...] = CURATED_SOURCES,
) -> Replication:
    """Replicate the 2016 spring-exercise study with provocation counts from ``sources``.

    Seasons with a month-precision start (2008) are listed but left out of the tests. The CSIS-only
    outcome (``sources=("csis",)``) is the closest to the study's own provocation data.
    """
    table = spring_exercises()
    outcome = provocation_counts(source, sources=sources)
    counts = _counts(outcome, table, window)
    seasons = pd.concat([table[["year", "name", "start", "start_precision", "end", "source_id"]], counts], axis=1)
    usable = seasons[(seasons["start_precision"] == "day") & seasons["pre"].notna()].reset_index(drop=True)
    rows = [
        _null_effect(outcome, usable, window, n_perm, seed),
        _persistence(usable),
        _step_change(usable, window),
        _length(usable),
    ]
    return Replication(seasons, pd.DataFrame(rows))


def _null_effect(outcome: DailyCounts, usable: pd.DataFrame, window: int, n_perm: int, seed: int) -> dict[str, object]:
    anchors = usable[["name", "start"]].assign(end=[s + timedelta(days=window - 1) for s in usable["start"]])
    study = event_study(
        outcome, anchors, pre=window, post=window, compare="during", alternative="greater", n_perm=n_perm, seed=seed
    )
    agree = "yes" if study.p_value >= 0.05 else "no"
    return {
        "finding": "null_effect",
        "csis": CSIS_FINDINGS["null_effect"],
        "ours": f"mean change pre→during {study.statistic:+.2f} incidents per season "
        f"(rate ratio {study.rate_ratio:.2f}, 95% CI {study.ci[0]:.2f}-{study.ci[1]:.2f}), "
        f"placebo p = {study.p_value:.3f}, n = {study.n} seasons",
        "effect": study.rate_ratio,
        "p_value": study.p_value,
        "n": study.n,
        "agree": agree,
    }


def _persistence(usable: pd.DataFrame) -> dict[str, object]:
    rho, p = _spearman(usable["pre"].to_numpy(float), (usable["during"] + usable["post"]).to_numpy(float))
    agree = "yes" if rho > 0 and p < 0.05 else "partly" if rho > 0 else "no"
    return {
        "finding": "persistence",
        "csis": CSIS_FINDINGS["persistence"],
        "ours": f"Spearman rho(pre, during+post) = {rho:.2f}, p = {p:.3f}, n = {len(usable)} seasons",
        "effect": rho,
        "p_value": p,
        "n": len(usable),
        "agree": agree,
    }


def _step_change(usable: pd.DataFrame, window: int) -> dict[str, object]:
    late = usable[usable["year"] >= 2009]
    early = usable[usable["year"] < 2009]
    total = late[["pre", "during", "post"]].to_numpy().sum(), early[["pre", "during", "post"]].to_numpy().sum()
    rr, (lo, hi), p = poisson_rate_test(int(total[0]), 3 * window * len(late), int(total[1]), 3 * window * len(early))
    agree = "yes" if rr > 1 and p < 0.05 else "no"
    return {
        "finding": "step_change",
        "csis": CSIS_FINDINGS["step_change"],
        "ours": f"{int(total[0])} incidents in {len(late)} seasons 2009-2016 against {int(total[1])} in "
        f"{len(early)} seasons 2005-2008: rate ratio {rr:.2f} (95% CI {lo:.2f}-{hi:.2f}), p = {p:.4f}",
        "effect": rr,
        "p_value": p,
        "n": len(usable),
        "agree": agree,
    }


def _length(usable: pd.DataFrame) -> dict[str, object]:
    known = usable[usable["season_days"].notna()]
    rho, p = _spearman(known["season_days"].to_numpy(float), known["in_season"].to_numpy(float))
    agree = "yes" if rho > 0 and p < 0.05 else "partly" if rho > 0 else "no"
    return {
        "finding": "length_matters",
        "csis": CSIS_FINDINGS["length_matters"],
        "ours": f"Spearman rho(season length, incidents in season) = {rho:.2f}, p = {p:.3f}, "
        f"n = {len(known)} seasons with a known end",
        "effect": rho,
        "p_value": p,
        "n": len(known),
        "agree": agree,
    }
