"""Scenarios: parsing, the baseline path, common random numbers, the shipped examples, the bargaining re-run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from detente.forecast import scenarios
from detente.forecast.features import MonthlyData

EXAMPLES = ("no_exercises_2027", "hotline_restored", "sanctions_resolution", "conservative_president")


@pytest.fixture(scope="module")
def simulator(monthly: MonthlyData) -> scenarios.Simulator:
    return scenarios.Simulator(draws=40, paths=10, seed=1).fit(monthly)


def _scenario(changes: str, window: str = "{start: 2027-01, months: 3}") -> scenarios.Scenario:
    return scenarios.parse(f"name: test\nwindow: {window}\nchanges:\n{changes}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nchanges: [{hotline: {start: 2027-01, state: open}}]", "window"),
        ("window: {start: 2027-01, months: 3}\nchanges: []", "non-empty list"),
        ("window: {start: 2027-01, months: 3}\nchanges: [{feature: tension, start: 2027-01, set: 1}]", "not one of"),
        ("window: {start: 2027-01, months: 3}\nchanges: [{hotline: {start: 2027-01, state: maybe}}]", "open or closed"),
        ("window: {start: 2027-01, months: 3}\nchanges: [{exercises: {start: 2027-03, scale: 0}}]", "give months"),
        (
            "window: {start: 2027-01, months: 3}\nchanges: [{feature: drill_days, start: 2027-01, set: 0, add: 1}]",
            "exactly one",
        ),
        ("window: {start: 2027-13, months: 3}\nchanges: [{hotline: {start: 2027-01, state: open}}]", "not a month"),
        ("window: {start: 2027-01, months: 3}\nchanges: [{war: {start: 2027-01}}]", "unknown change"),
        (
            (
                "window: {start: 2027-01, months: 3}\nchanges: [{hotline: {start: 2027-01, state: open}}]\n"
                "bargaining: [{issue: exercises, actor: USA, status_quo: 1}]"
            ),
            "no actor",
        ),
        ("[1, 2]", "top level"),
    ],
)
def test_bad_files_name_the_entry(text: str, message: str) -> None:
    with pytest.raises(scenarios.ScenarioError, match=message):
        scenarios.parse(text)


def test_baseline_path_repeats_the_calendar_and_keeps_the_state(monthly: MonthlyData) -> None:
    path = scenarios.baseline_path(monthly, pd.Period("2027-08", "M"))
    assert path.index[0] == monthly.last + 1 and path.index[-1] == pd.Period("2027-08", "M")
    hist = monthly.monthly
    assert path.loc["2027-03", "drill_days"] == hist.loc["2026-03", "drill_days"]
    assert path.loc["2026-08", "drill_days"] == hist.loc["2025-08", "drill_days"] == 5.5
    assert (path["drill_plan"] == path["drill_days"]).all()
    assert (path["hotline_open"] == hist["hotline_open"].iloc[-1]).all() and (path["sanctions_new"] == 0).all()
    assert path["rok_tenure"].iloc[0] == pytest.approx(hist["rok_tenure"].iloc[-1] + 1)


def test_changes_apply_to_their_months(monthly: MonthlyData) -> None:
    spec = _scenario("  - exercises: {start: 2027-03, months: 2, scale: 0.5}\n"
                     "  - rok_camp: {start: 2027-02, camp: conservative}\n"
                     "  - sanctions_resolution: {month: 2027-04}", "{start: 2027-01, months: 6}")  # fmt: skip
    base = scenarios.baseline_path(monthly, spec.window_end)
    alt = base.copy()
    for ch in spec.changes:
        ch.apply(alt)
    assert alt.loc["2027-03", "drill_days"] == base.loc["2027-03", "drill_days"] * 0.5
    assert alt.loc["2027-05", "drill_days"] == base.loc["2027-05", "drill_days"]
    assert list(alt.loc["2027-01":"2027-03", "rok_conservative"]) == [0.0, 1.0, 1.0]
    assert list(alt.loc["2027-02":"2027-04", "rok_tenure"]) == [0.0, 1.0, 2.0]
    assert alt.loc["2027-04", "sanctions_new"] == 1.0 and alt["sanctions_new"].sum() == 1.0


def test_an_empty_change_gives_exactly_zero_difference(monthly: MonthlyData, simulator) -> None:
    """Both paths share parameter draws and random numbers: the difference is the scenario's effect only."""
    spec = _scenario("  - {feature: cbm_active, start: 2027-01, add: 0}")
    result = scenarios.run(spec, monthly, simulator)
    assert (result.summary["difference"] == 0).all() and (result.summary["difference_hi"] == 0).all()
    assert (result.summary["baseline"] == result.summary["scenario"]).all()


def test_scenario_before_the_origin_is_refused(monthly: MonthlyData, simulator) -> None:
    with pytest.raises(scenarios.ScenarioError, match="must come after"):
        scenarios.run(_scenario("  - hotline: {start: 2027-01, state: open}", "{start: 2026-05, months: 3}"),
                      monthly, simulator)  # fmt: skip


@pytest.mark.parametrize("name", EXAMPLES)
def test_shipped_examples_run_end_to_end(monthly: MonthlyData, simulator, name: str) -> None:
    spec = scenarios.load(scenarios.example_path(name))
    result = scenarios.run(spec, monthly, simulator, bargaining_runs=50)
    s = result.summary.set_index("target")
    assert list(s.index) == ["missile", "major", "count"]
    assert s.loc[["missile", "major"], ["baseline", "scenario"]].apply(lambda c: c.between(0, 1)).all().all()
    assert (s["difference_lo"] <= s["difference_hi"]).all()
    months = result.monthly
    assert months["month"].min() == (monthly.last + 1).start_time.date()
    changed = ~np.isclose(result.baseline_path.to_numpy(float), result.scenario_path.to_numpy(float))
    assert changed.any()
    assert (result.bargaining is not None) == (name == "no_exercises_2027")


def test_bargaining_is_rerun_on_the_edited_issue() -> None:
    """With the exercises status quo at 0, Nash returns it (no position improves on it for everyone);
    compromise and median do not use the status quo (docs/bargaining.md)."""
    edits = scenarios.load(scenarios.example_path("no_exercises_2027")).bargaining
    table = scenarios.bargaining_effect(edits, runs=0).set_index("model")
    assert set(table["issue"]) == {"exercises"}
    assert table.loc["nash", "outcome_baseline"] == pytest.approx(80.0)  # the shipped status quo holds
    assert table.loc["nash", "outcome_scenario"] == pytest.approx(0.0)
    assert table.loc["compromise", "change"] == 0 and table.loc["median", "change"] == 0
    with pytest.raises(scenarios.ScenarioError, match="no issue"):
        scenarios.bargaining_effect([scenarios.BargainingEdit("trade", "status_quo", 1.0)], runs=0)


def test_a_mean_difference_outside_its_interval_says_why() -> None:
    """Issue 15 item 6: a difference of -0.0025 was shown with the interval [0.0, 0.0] and no word."""
    draws, sims_n, months = 400, 5, 3
    base = {s: np.ones((draws, sims_n, months)) for s in ("launches", "major", "provocations")}
    alt = {s: v.copy() for s, v in base.items()}
    alt["provocations"][:4] -= 0.5  # 1% of the parameter draws lose 1.5 expected provocations
    summary = scenarios._summaries({"baseline": base, "scenario": alt}, slice(0, months), 0.8).set_index("target")
    row = summary.loc["count"]
    assert row["difference"] == pytest.approx(-0.015) and row["difference_lo"] == row["difference_hi"] == 0.0
    assert "outside the 80% interval" in row["note"] and "99% of the draws change nothing" in row["note"]
    assert summary.loc["missile", "note"] == ""  # no change at all: the mean 0 lies inside [0, 0]
