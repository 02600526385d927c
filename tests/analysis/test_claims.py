"""The claim registry end to end on the real files, the verdict rule, and adding a claim."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from detente import Store
from detente.analysis.claims import (
    CLAIM_COLUMNS,
    MIN_POWER,
    Claim,
    ClaimContext,
    Estimate,
    cma_period,
    default_claims,
    power,
    run_claims,
    verdict,
)


@pytest.fixture(scope="module")
def results(real_store: Store) -> pd.DataFrame:
    return run_claims(real_store, n_perm=999, seed=0).set_index("claim")


def test_every_claim_runs_and_states_its_numbers(results: pd.DataFrame) -> None:
    assert list(results.reset_index().columns) == list(CLAIM_COLUMNS)
    assert list(results.index) == [c.id for c in default_claims()]
    assert set(results["verdict"]) <= {"supported", "not supported", "inconclusive", "not enough data"}
    for claim, row in results.iterrows():
        assert row["coverage"] and row["method"], claim
        if row["verdict"] != "not enough data":
            assert np.isfinite(row["effect"]) and 0 < row["p_value"] <= 1, claim
            assert row["ci_low"] <= row["ci_high"], claim


def test_the_samples_are_the_knowledge_base_events(results: pd.DataFrame) -> None:
    # 27 exercise seasons, 8 inter-Korean and US-DPRK summits, 10 UNSC sanctions resolutions, 9 ROK
    # administrations with 12+ months; 10 of 11 leadership changes have a full year of data on both sides
    assert results.loc["exercises-provocations", "n"] == 27
    assert results.loc["summits-fewer-provocations", "n"] == 8
    assert results.loc["sanctions-provocations", "n"] == 10
    assert results.loc["progressive-cooperation", "n"] == 9
    assert results.loc["leadership-cooperation", "n"] == 10
    assert "10 incidents" in results.loc["cma-2018-border", "coverage"]


def test_the_military_agreement_period_comes_from_the_knowledge_base() -> None:
    # in force 1 November 2018; North Korea no longer bound, and the no-fly zone suspended, 22-23 November 2023
    assert cma_period() == (date(2018, 11, 1), date(2023, 11, 21))


def test_verdict_rule() -> None:
    def est(effect: float, p: float, enough: bool = True) -> Estimate:  # intervals effect ± 1: wide
        return Estimate(effect, (effect - 1, effect + 1), p, 10, "rate ratio", "test", "all", enough)

    assert verdict(est(2.0, 0.01), "greater") == "supported"
    assert verdict(est(2.0, 0.20), "greater") == "inconclusive"  # 1.0-3.0 holds no effect and a large one
    assert verdict(est(0.5, 0.01), "greater") == "inconclusive"  # -0.5-1.5: not even a ratio interval
    assert verdict(est(0.5, 0.01), "less") == "inconclusive"  # p < 0.05, but the interval holds 1
    assert verdict(est(3.0, 0.01), "two-sided") == "supported"
    assert verdict(est(2.0, 0.01, enough=False), "greater") == "not enough data"
    assert verdict(est(2.0, float("nan")), "greater") == "not enough data"


def _ratio(effect: float, lo: float, hi: float, p: float) -> Estimate:
    return Estimate(effect, (lo, hi), p, 20, "rate ratio", "test", "all")


def test_weak_evidence_is_inconclusive_not_a_finding() -> None:
    """The verdict depends on the interval and the power, not on p alone (issue 15, item 6)."""
    summit_like = _ratio(2.0, 0.08, 6.5, 0.74)  # n = 8 and an interval from 0.08 to 6.5
    assert verdict(summit_like, "less") == "inconclusive" and power(summit_like) < 0.2
    precise_null = _ratio(1.02, 0.9, 1.15, 0.4)  # rules out a 50 % rise: the claim had its chance
    assert verdict(precise_null, "greater") == "not supported" and power(precise_null) > 0.99
    assert verdict(_ratio(0.6, 0.45, 0.8, 0.001), "greater") == "not supported"  # significant the other way
    assert verdict(_ratio(1.8, 1.3, 2.5, 0.001), "greater") == "supported"
    assert verdict(_ratio(1.3, 0.9, 1.9, 0.08), "greater") == "inconclusive"
    assert verdict(_ratio(2.2, 0.5, 4.4, 0.55), "two-sided") == "inconclusive"


def test_the_six_claims_are_inconclusive_on_the_shipped_files(results: pd.DataFrame) -> None:
    assert list(results["verdict"]) == ["inconclusive"] * 6
    ratios = results.drop(index="leadership-cooperation")
    assert (ratios["power"] < MIN_POWER).all()  # 0.10 to 0.60: none could detect a 50 % change
    assert pd.isna(results.loc["leadership-cooperation", "power"])  # a two-sided statistic: no ratio


def test_adding_a_claim_takes_a_few_lines(real_store: Store) -> None:
    def drills_four_weeks(ctx: ClaimContext) -> Estimate:
        return ctx.estimate_from(ctx.study("exercises", pre=28, post=28), min_anchors=5)

    def never_enough(ctx: ClaimContext) -> Estimate:
        return ctx.estimate_from(ctx.study("summits", pre=7, post=7), min_anchors=50)

    mine = [
        Claim("drills-4w", "Drills are followed by provocations within four weeks", "greater", drills_four_weeks),
        Claim("summits-1w", "Summits calm the following week", "less", never_enough),
    ]
    frame = run_claims(real_store, mine, n_perm=199).set_index("claim")
    assert frame.loc["drills-4w", "n"] == 27 and "28-day windows" in frame.loc["drills-4w", "method"]
    assert frame.loc["summits-1w", "verdict"] == "not enough data"
    assert "at least 50 events" in frame.loc["summits-1w", "note"]
