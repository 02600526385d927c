"""Testable claims about the peace process, each with effect, interval, p-value, coverage and verdict.

A :class:`Claim` is a statement, the direction it asserts, and a small test function that reads
the data through a :class:`ClaimContext` and returns an :class:`Estimate`. The verdict rule is
the same for every claim (decision 019):

- ``not enough data`` when the estimate says so (too few events or windows inside the data's
  coverage — each claim states its minimum);
- ``supported`` when p < alpha, the effect lies on the claimed side of the no-effect value (1 for
  rate ratios; any shift for two-sided claims) and, for a ratio, the interval excludes it;
- ``not supported`` when the data could have shown the claim and did not: the interval rules out
  the smallest effect of interest on the claimed side (a ratio of :data:`SMALLEST_EFFECT`, or its
  inverse), the effect is significant the other way, or the test had the power (at least
  :data:`MIN_POWER`) to detect that smallest effect;
- ``inconclusive`` otherwise: the interval holds both no effect and an effect worth reporting and
  the power is low (``power``: the chance of p < alpha if the true ratio were
  :data:`SMALLEST_EFFECT`, read from the interval's width; missing for two-sided statistics, which
  are therefore never "not supported" on p alone; decision 058).

P-values are one-sided in the claimed direction (two-sided claims use a statistic that is large
for a shift either way).

Adding a claim takes a few lines::

    from detente.analysis.claims import Claim, Estimate, default_claims, run_claims

    def drills_in_summer(ctx):
        study = ctx.study("exercises", pre=28, post=28)          # any event set, any window
        return ctx.estimate_from(study, min_anchors=5)

    mine = Claim("my-claim", "Drills are followed by provocations within four weeks", "greater",
                 drills_in_summer)
    run_claims(store, [*default_claims(), mine])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from ..indicators.series import dyadic_series
from ..kb import tables
from .anchors import anchor_set
from .csis2016 import poisson_rate_test
from .events_study import (
    Alternative,
    DailyCounts,
    EventStudy,
    border_counts,
    cooperation_counts,
    event_study,
    provocation_counts,
)

__all__ = [
    "CLAIM_COLUMNS",
    "MIN_POWER",
    "SMALLEST_EFFECT",
    "Claim",
    "ClaimContext",
    "ClaimResult",
    "Estimate",
    "Verdict",
    "cma_period",
    "default_claims",
    "power",
    "run_claims",
    "verdict",
]

Verdict = Literal["supported", "not supported", "inconclusive", "not enough data"]
#: smallest rate ratio worth reporting (a 50 % change, or its inverse for "less")
SMALLEST_EFFECT = 1.5
#: power from which a test that is not significant says "not supported" rather than "inconclusive"
MIN_POWER = 0.8
#: columns of :func:`run_claims`
CLAIM_COLUMNS = (
    "claim",
    "text",
    "verdict",
    "effect",
    "effect_label",
    "ci_low",
    "ci_high",
    "p_value",
    "power",
    "n",
    "coverage",
    "method",
    "note",
)


@dataclass(frozen=True)
class Estimate:
    """What a claim's test returns."""

    effect: float
    ci: tuple[float, float]
    p_value: float
    n: int
    effect_label: str
    method: str
    coverage: str
    enough: bool = True
    note: str = ""


@dataclass(frozen=True)
class ClaimResult:
    """A claim with its estimate and verdict."""

    claim: str
    text: str
    verdict: Verdict
    estimate: Estimate
    power: float = float("nan")

    def row(self) -> dict[str, object]:
        """One flat row of :data:`CLAIM_COLUMNS`."""
        e = self.estimate

        def r(x: float) -> float | None:
            return None if x is None or not np.isfinite(x) else round(float(x), 4)

        return {
            "claim": self.claim,
            "text": self.text,
            "verdict": self.verdict,
            "effect": r(e.effect),
            "effect_label": e.effect_label,
            "ci_low": r(e.ci[0]),
            "ci_high": r(e.ci[1]),
            "p_value": r(e.p_value),
            "power": r(self.power),
            "n": e.n,
            "coverage": e.coverage,
            "method": e.method,
            "note": e.note,
        }


def power(estimate: Estimate, alpha: float = 0.05, smallest: float = SMALLEST_EFFECT) -> float:
    """Approximate power of a one-sided test at ``alpha`` against a rate ratio of ``smallest``.

    The standard error of ln(ratio) is read from the 95 % interval's width, (ln hi − ln lo) / 3.92;
    power = Φ(ln(smallest) / se − z₁₋α). NaN when the interval is not a finite positive ratio interval.
    """
    from scipy.stats import norm

    lo, hi = estimate.ci
    if not (np.isfinite(lo) and np.isfinite(hi) and lo > 0 and hi > lo):
        return float("nan")
    se = (np.log(hi) - np.log(lo)) / (2 * norm.ppf(0.975))
    return float(norm.cdf(np.log(smallest) / se - norm.ppf(1 - alpha)))


def verdict(
    estimate: Estimate,
    direction: Alternative,
    alpha: float = 0.05,
    null: float = 1.0,
    smallest: float = SMALLEST_EFFECT,
) -> Verdict:
    """The verdict for ``estimate`` of a claim asserting ``direction``: p, interval and power (module doc)."""
    if not estimate.enough or not np.isfinite(estimate.p_value):
        return "not enough data"
    if direction == "two-sided":
        return "supported" if estimate.p_value < alpha else "inconclusive"
    lo, hi = estimate.ci
    greater = direction == "greater"
    side = estimate.effect > null if greater else estimate.effect < null
    excludes_null = lo >= null if greater else hi <= null  # the interval does not extend past no effect
    if estimate.p_value < alpha and side and excludes_null:
        return "supported"
    wrong_way = hi < null if greater else lo > null
    rules_out = hi < smallest * null if greater else lo > null / smallest
    strong = power(estimate, alpha, smallest) >= MIN_POWER  # False when the power is unknown (NaN)
    return "not supported" if wrong_way or rules_out or strong else "inconclusive"


@dataclass(frozen=True)
class Claim:
    """A testable statement: ``test(ctx)`` estimates it; ``direction`` is what the claim asserts."""

    id: str
    text: str
    direction: Alternative
    test: Callable[[ClaimContext], Estimate]
    alpha: float = 0.05
    null: float = 1.0

    def evaluate(self, ctx: ClaimContext) -> ClaimResult:
        """Run the test and apply the verdict rule."""
        est = self.test(ctx)
        strength = power(est, self.alpha) if est.enough and self.direction != "two-sided" else float("nan")
        return ClaimResult(self.id, self.text, verdict(est, self.direction, self.alpha, self.null), est, strength)


@dataclass
class ClaimContext:
    """The data the claims read, computed once per run (outcome series are cached)."""

    source: object
    n_perm: int = 5000
    seed: int = 0
    dyad: str = "PRK-KOR"

    @cached_property
    def provocations(self) -> DailyCounts:
        """DPRK provocation incidents per day (:func:`provocation_counts`)."""
        return provocation_counts(self.source)

    @cached_property
    def cooperation(self) -> DailyCounts:
        """Cooperative events (QuadClass 1-2) of the dyad per day (:func:`cooperation_counts`)."""
        return cooperation_counts(self.source, self.dyad)

    @cached_property
    def border(self) -> DailyCounts:
        """Border incidents and troop movements of either side per day (:func:`border_counts`)."""
        return border_counts(self.source, self.dyad)

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """The dyad's monthly series (both directions summed)."""
        s = dyadic_series(self.source, self.dyad, "month")
        return s[s["direction"] == self.dyad].set_index("period")

    def study(
        self,
        events: str,
        *,
        outcome: DailyCounts | None = None,
        pre: int = 56,
        post: int = 56,
        during: bool = False,
        alternative: Alternative = "greater",
    ) -> EventStudy:
        """An event study of ``outcome`` (default provocations) around a named event set."""
        return event_study(
            outcome or self.provocations,
            anchor_set(events),
            pre=pre,
            post=post,
            during=during,
            alternative=alternative,
            n_perm=self.n_perm,
            seed=self.seed,
        )

    @staticmethod
    def estimate_from(
        study: EventStudy,
        *,
        min_anchors: int = 5,
        min_events: int = 10,
        effect: Literal["rate_ratio", "statistic"] = "rate_ratio",
    ) -> Estimate:
        """An :class:`Estimate` from an event study, with its data-sufficiency rule."""
        w = study.windows[study.windows["covered"]]
        total = int(w["pre"].sum() + w[study.compare].sum()) if len(w) else 0
        enough = study.n >= min_anchors and total >= min_events
        value, ci, label = (
            (study.rate_ratio, study.ci, f"rate ratio {study.compare}/pre")
            if effect == "rate_ratio"
            else (study.statistic, study.statistic_ci, f"mean |{study.compare} - pre| per event")
        )
        return Estimate(
            effect=value,
            ci=ci,
            p_value=study.p_value,
            n=study.n,
            effect_label=label,
            method=f"event study, {int(w['pre_days'].iloc[0]) if len(w) else 0}-day windows, placebo shifts "
            f"({study.placebo.size}), {study.alternative}",
            coverage=f"{study.label} {study.coverage[0]}..{study.coverage[1]}; {study.n}/{len(study.windows)} "
            f"events inside; {total} outcome events in windows",
            enough=enough,
            note="" if enough else f"needs at least {min_anchors} events and {min_events} outcome events in windows",
        )


def _exercises(ctx: ClaimContext) -> Estimate:
    return ctx.estimate_from(ctx.study("exercises", pre=56, post=56, alternative="greater"), min_anchors=8)


def _summits(ctx: ClaimContext) -> Estimate:
    study = ctx.study("summits", pre=182, post=182, during=True, alternative="less")
    return ctx.estimate_from(study, min_anchors=5)


def _sanctions(ctx: ClaimContext) -> Estimate:
    return ctx.estimate_from(ctx.study("sanctions", pre=90, post=90, alternative="greater"), min_anchors=5)


def _leadership(ctx: ClaimContext) -> Estimate:
    study = ctx.study("leadership", outcome=ctx.cooperation, pre=365, post=365, alternative="two-sided")
    return ctx.estimate_from(study, min_anchors=5, min_events=20, effect="statistic")


def _administrations(end: date) -> pd.DataFrame:
    rows = [r for r in tables.leaders().to_pylist() if r["country"] == "KOR" and r["role"] == "president"]
    return pd.DataFrame(
        [{"name": r["name"], "camp": r["camp"], "start": r["term_start"], "end": r["term_end"] or end} for r in rows]
    )


def _progressive(ctx: ClaimContext) -> Estimate:
    monthly = ctx.monthly
    coop = (monthly["verbal_cooperation"] + monthly["material_cooperation"]).astype(float)
    last = monthly.index.max()
    admins = _administrations(last + timedelta(days=1))
    means, camps, months = [], [], []
    for a in admins.itertuples():
        sel = coop[(coop.index >= a.start) & (coop.index < a.end)]
        if len(sel) >= 12:
            means.append(float(sel.mean()))
            camps.append(a.camp)
            months.append(len(sel))
    m, c = np.array(means), np.array(camps)
    n_prog, n_cons = int((c == "progressive").sum()), int((c == "conservative").sum())
    total = float(coop.sum())
    enough = n_prog >= 2 and n_cons >= 2 and total >= 20
    coverage = (
        f"PRK-KOR monthly cooperative events {monthly.index.min()}..{last}; {len(m)} administrations with "
        f"12+ months ({n_prog} progressive, {n_cons} conservative); {int(total)} events"
    )
    method = "administration means of monthly cooperative events; exact permutation of camp labels"
    if not enough:
        return Estimate(
            float("nan"),
            (float("nan"),) * 2,
            float("nan"),
            len(m),
            "ratio progressive/conservative",
            method,
            coverage,
            False,
            "needs 2+ administrations per camp and 20 events",
        )

    def ratio(labels: np.ndarray) -> float:
        cons = m[labels == "conservative"].mean()
        return float(m[labels == "progressive"].mean() / cons) if cons > 0 else float("inf")

    observed = ratio(c)
    perms = [
        np.array(["progressive" if i in chosen else "conservative" for i in range(len(m))])
        for chosen in map(set, combinations(range(len(m)), n_prog))
    ]
    p = sum(ratio(lab) >= observed for lab in perms) / len(perms)
    rng = np.random.default_rng(ctx.seed)
    prog, cons = m[c == "progressive"], m[c == "conservative"]
    boots = [rng.choice(prog, prog.size).mean() / max(rng.choice(cons, cons.size).mean(), 1e-12) for _ in range(2000)]
    ci = (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)))
    return Estimate(
        observed,
        ci,
        float(p),
        len(m),
        "ratio progressive/conservative of mean monthly events",
        f"{method} ({len(perms)} assignments)",
        coverage,
    )


def cma_period() -> tuple[date, date]:
    """The 2018 military agreement's period: in force (knowledge base) to the day before its first measure ended."""
    agreement = next(r for r in tables.agreements().to_pylist() if r["id"] == "CMA-2018")
    ends = [r["end"] for r in tables.cbm().to_pylist() if r["agreement_id"] == "CMA-2018" and r["end"] is not None]
    return agreement["date_in_force"], min(ends) - timedelta(days=1)


def _cma(ctx: ClaimContext) -> Estimate:
    start, end = cma_period()
    days = (end - start).days + 1
    before = (start - timedelta(days=days), start - timedelta(days=1))
    counts = ctx.border.counts
    inside = ctx.border.first <= before[0] and end <= ctx.border.last
    k_in = int(counts[(counts.index >= start) & (counts.index <= end)].sum())
    k_before = int(counts[(counts.index >= before[0]) & (counts.index <= before[1])].sum())
    coverage = (
        f"{ctx.border.label} {ctx.border.first}..{ctx.border.last}; agreement period {start}..{end} "
        f"({k_in} incidents) against {before[0]}..{before[1]} ({k_before})"
    )
    method = "rate ratio agreement period / equal period before; exact conditional Poisson test"
    if not inside or k_in + k_before < 5:
        return Estimate(
            float("nan"),
            (float("nan"),) * 2,
            float("nan"),
            k_in + k_before,
            "rate ratio",
            method,
            coverage,
            False,
            "needs both periods inside the data and 5+ incidents",
        )
    # "fewer during": test the earlier period's rate against the agreement period's, then invert
    rr, (lo, hi), p = poisson_rate_test(k_before, days, k_in, days)
    inv = (1 / rr if rr > 0 else float("inf"), (1 / hi if hi > 0 else 0.0, 1 / lo if lo > 0 else float("inf")))
    return Estimate(inv[0], inv[1], p, k_in + k_before, "rate ratio agreement period / before", method, coverage)


def default_claims() -> list[Claim]:
    """The built-in claims (a fresh list: extend it with your own)."""
    return [
        Claim(
            "exercises-provocations",
            "US–ROK exercises are followed by more North Korean provocations",
            "greater",
            _exercises,
        ),
        Claim(
            "summits-fewer-provocations",
            "Summit periods see fewer provocations in the following six months",
            "less",
            _summits,
        ),
        Claim(
            "progressive-cooperation",
            "Progressive ROK administrations see more cooperative inter-Korean events than conservative ones",
            "greater",
            _progressive,
        ),
        Claim("sanctions-provocations", "New UNSC sanctions are followed by more provocations", "greater", _sanctions),
        Claim("cma-2018-border", "The 2018 military agreement period saw fewer border incidents", "less", _cma),
        Claim("leadership-cooperation", "Leadership changes shift the level of cooperation", "two-sided", _leadership),
    ]


def run_claims(
    source: object,
    claims: Sequence[Claim] | None = None,
    *,
    n_perm: int = 5000,
    seed: int = 0,
) -> pd.DataFrame:
    """Evaluate ``claims`` (default :func:`default_claims`) on the store; one row per claim (:data:`CLAIM_COLUMNS`)."""
    ctx = ClaimContext(source, n_perm=n_perm, seed=seed)
    rows = [c.evaluate(ctx).row() for c in (claims if claims is not None else default_claims())]
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))
