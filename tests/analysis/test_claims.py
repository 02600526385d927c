"""The claim registry end to end on the real files, the verdict rule, and adding a claim."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from detente import Store
from detente.analysis.claims import (
    CLAIM_COLUMNS,
    Claim,
    ClaimContext,
    Estimate,
    cma_period,
    default_claims,
    run_claims,
    verdict,
)


@pytest.fixture(scope="module")
def results(real_store: Store) -> pd.DataFrame:
    return run_claims(real_store, n_perm=999, seed=0).set_index("claim")


def test_every_claim_runs_and_states_its_numbers(results: pd.DataFrame) -> None:
    assert list(results.reset_index().columns) == list(CLAIM_COLUMNS)
    assert list(results.index) == [c.id for c in default_claims()]
    assert set(results["verdict"]) <= {"supported", "not supported", "not enough data"}
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
    def est(effect: float, p: float, enough: bool = True) -> Estimate:
        return Estimate(effect, (effect - 1, effect + 1), p, 10, "rate ratio", "test", "all", enough)

    assert verdict(est(2.0, 0.01), "greater") == "supported"
    assert verdict(est(2.0, 0.20), "greater") == "not supported"
    assert verdict(est(0.5, 0.01), "greater") == "not supported"  # significant, but the wrong way
    assert verdict(est(0.5, 0.01), "less") == "supported"
    assert verdict(est(3.0, 0.01), "two-sided") == "supported"
    assert verdict(est(2.0, 0.01, enough=False), "greater") == "not enough data"
    assert verdict(est(2.0, float("nan")), "greater") == "not enough data"


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
