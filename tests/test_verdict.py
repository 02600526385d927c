"""The monthly verdict on the real Korea store, its CLI, and the check against CrisisWatch's calls."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from korea_store import built_store, korea_files
from typer.testing import CliRunner

from detente import Store
from detente.cli import app
from detente.verdict import (
    MIN_DIFFS,
    NOISE_MONTHS,
    VERDICTS,
    K,
    compare,
    crisiswatch_labels,
    monthly_verdicts,
    noise_sd,
    verdict,
)


@pytest.fixture(scope="module")
def verdicts(real_store: Store) -> pd.DataFrame:
    return monthly_verdicts(real_store).set_index("month")


def test_the_rule_is_stated_with_its_thresholds() -> None:
    import detente.verdict as module

    assert (K, NOISE_MONTHS, MIN_DIFFS) == (2.0, 36, 24)
    doc = module.__doc__ or ""
    assert "1.4826 · MAD(Δ)" in doc and "Δ > 2σ" in doc and "36" in doc and "Insufficient data" in doc


def test_noise_sd_is_robust_and_falls_back_on_ties() -> None:
    assert noise_sd(np.array([1.0, 2.0, 3.0, 4.0, 100.0])) == pytest.approx(1.4826 * 1.0)
    flat = np.array([0.0, 0.0, 0.0, 10.0, -10.0])
    assert noise_sd(flat) == pytest.approx(float(np.std(flat)))


def test_cheonan_and_yeonpyeong_months_deteriorated_with_their_events(verdicts: pd.DataFrame) -> None:
    cheonan, yeonpyeong = verdicts.loc["2010-03"], verdicts.loc["2010-11"]
    assert cheonan["verdict"] == "deteriorated" and cheonan["risk_alert"]
    assert "major_incident" in cheonan["deterioration"]
    assert "csis:2010-03-26:sinking-of-the-roks-cheonan:3aa2aa0f" in cheonan["event_ids"]
    assert yeonpyeong["verdict"] == "deteriorated" and yeonpyeong["risk_alert"]
    assert "csis:2010-11-23:shelling-of-yeonpyeong-island:cb3b30c9" in yeonpyeong["event_ids"]


def test_panmunjom_summit_month_improved_with_a_resolution_opportunity(verdicts: pd.DataFrame) -> None:
    april = verdicts.loc["2018-04"]
    assert april["verdict"] == "improved" and april["resolution_opportunity"] and not april["risk_alert"]
    assert "summit:IK-2018-1" in april["summits"] and "summit" in april["improvement"]


def test_military_agreement_collapse_deteriorated(verdicts: pd.DataFrame) -> None:
    november = verdicts.loc["2023-11"]
    assert november["verdict"] == "deteriorated"
    assert {"reversal", "cbm_ended"} <= set(november["deterioration"])
    assert "CMA-1.1@2023-11-23" in november["reversals"] and "cbm:GP-2018" in november["cbm_ended"]


def test_the_phase_signal_comes_when_the_data_show_it(verdicts: pd.DataFrame) -> None:
    """The 2022 freeze began in January (hindsight) but the data up to a month first show it in October 2022;
    the 1994 freeze is read in May 1996, the 2014 one in June 2016; no phase month has an earlier signal."""
    assert verdicts.loc["2022-01", "phase"] == "" and "freeze" not in verdicts.loc["2022-01", "deterioration"]
    october = verdicts.loc["2022-10"]
    assert (october["phase"], october["verdict"]) == ("freeze", "deteriorated") and "freeze" in october["deterioration"]
    assert "csis:2022-01-05:nuclear-detonation-device:a4d7d8ec" in october["event_ids"]  # the phase's opening events
    phased = verdicts[verdicts["phase"] != ""]
    assert list(phased.loc["1990-01":].index) == ["1996-05", "2001-03", "2016-02", "2016-06", "2018-07", "2022-10"]


def test_phase_changes_read_only_the_past(real_store: Store) -> None:
    """Cut the events at the end of a month: the phases recognised up to then are the same as on all the data."""
    from detente.indicators import phase_changes

    full = phase_changes(real_store).drop(columns="opening_events")
    ev = real_store.events()
    cut = phase_changes(ev.filter(ev.date <= date(2022, 9, 30))).drop(columns="opening_events")
    pd.testing.assert_frame_equal(cut, full[full["recognised"] <= date(2022, 9, 30)].reset_index(drop=True))


def test_quiet_incidents_only_month_and_uncovered_months_are_insufficient(verdicts: pd.DataFrame) -> None:
    quiet = verdicts.loc["2018-02"]  # no incident, no summit, CBM or reversal: the index only says "none recorded"
    assert quiet["reading"] == "incidents-only" and quiet["verdict"] == "insufficient data"
    assert quiet["reason"].startswith("incidents-only")
    uncovered = verdicts[verdicts["tension"].isna()]
    assert len(uncovered) and (uncovered["verdict"] == "insufficient data").all()
    assert uncovered["reason"].str.startswith("no index").all()
    assert (verdicts.loc[verdicts["verdict"] == "insufficient data", ["risk_alert", "resolution_opportunity"]]
            .to_numpy().sum() == 0)  # fmt: skip


def test_every_month_since_1990_has_a_call(verdicts: pd.DataFrame) -> None:
    since = verdicts[verdicts.index >= "1990-01"]
    expected = pd.period_range("1990-01", since.index.max(), freq="M").strftime("%Y-%m")
    assert list(since.index) == list(expected)
    assert set(since["verdict"]) <= set(VERDICTS)
    called = since[since["verdict"] != "insufficient data"]
    assert called["noise_sd"].gt(0).all() and called["z"].notna().all()
    # a called month's verdict follows from its signals
    worse, better = called["deterioration"].map(len), called["improvement"].map(len)
    assert (called.loc[worse > better, "verdict"] == "deteriorated").all()
    assert (called.loc[worse == better, "verdict"] == "unchanged").all()


def test_one_month_and_a_month_outside_the_data(real_store: Store) -> None:
    one = verdict(real_store, "2010-11")
    assert one["month"] == "2010-11" and one["verdict"] == "deteriorated"
    with pytest.raises(ValueError, match="1900-01"):
        verdict(real_store, "1900-01")
    with pytest.raises(ValueError, match="not a month"):
        verdict(real_store, "2010-xx")


def test_crisiswatch_labels_are_sourced() -> None:
    labels = crisiswatch_labels()
    assert list(labels.columns) == ["month", "call", "url", "confidence", "note"]
    assert set(labels["call"]) <= set(VERDICTS[:3])
    assert labels["url"].str.startswith("https://www.crisisgroup.org/").sum() + labels["url"].str.startswith(
        "https://crisisgroup.org/"
    ).sum() == len(labels)
    assert labels["month"].is_unique and labels["note"].str.len().gt(20).all()


def test_compare_kappa_and_confusion_on_a_known_table() -> None:
    rule = pd.DataFrame(
        {
            "month": ["a", "b", "c", "d", "e"],
            "verdict": ["deteriorated", "improved", "unchanged", "deteriorated", "insufficient data"],
        }
    )
    labels = pd.DataFrame({"month": ["a", "b", "c", "d", "e"],
                           "call": ["deteriorated", "improved", "deteriorated", "unchanged", "improved"]})  # fmt: skip
    out = compare(rule, labels)
    assert out["n"] == 4 and out["agreement"] == 0.5
    # p_o = 0.5; rows (rule) d=2,u=1,i=1; columns (labels) d=2,u=1,i=1: p_e = (4+1+1)/16
    assert out["kappa"] == pytest.approx((0.5 - 6 / 16) / (1 - 6 / 16))
    assert out["confusion"].loc["deteriorated", "unchanged"] == 1 and out["confusion"].to_numpy().sum() == 4


def test_compare_against_the_shipped_labels(verdicts: pd.DataFrame) -> None:
    labels = crisiswatch_labels()
    assert len(labels) == 9
    out = compare(verdicts.reset_index(), labels)
    # 2020-02 is a quiet incidents-only month without a KB event: insufficient data, left out
    assert out["n"] == 8 and "2020-02" not in set(out["months"]["month"])
    assert out["agreement"] == pytest.approx(6 / 8)
    # rule rows d=3,u=4,i=1; CrisisWatch columns d=3,u=4,i=1: p_e = (9+16+1)/64
    assert out["kappa"] == pytest.approx((6 / 8 - 26 / 64) / (1 - 26 / 64))
    confusion = out["confusion"]
    assert confusion.loc["unchanged", "deteriorated"] == 1  # 2010-05: a political deterioration, no incident
    assert confusion.loc["deteriorated", "unchanged"] == 1  # 2020-09: a lethal shooting CrisisWatch held unchanged


@pytest.fixture(scope="module")
def home(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("verdict") / "home"
    built_store(path, korea_files(data_dir, coded=False)).close()
    return path


def test_cli_month_json_csv_and_chart(home: Path, tmp_path: Path) -> None:
    env = {"DETENTE_HOME": str(home)}
    one = CliRunner().invoke(app, ["verdict", "--month", "2010-03", "-f", "json"], env=env)
    assert one.exit_code == 0, one.output
    rows = json.loads(one.stdout[one.stdout.index("[") :])
    assert [r["month"] for r in rows] == ["2010-03"] and rows[0]["verdict"] == "deteriorated"
    assert "csis:2010-03-26:sinking-of-the-roks-cheonan:3aa2aa0f" in rows[0]["event_ids"]
    chart = tmp_path / "verdict.json"
    since = CliRunner().invoke(app, ["verdict", "--since", "2018-01", "-f", "csv", "--chart", str(chart)], env=env)
    assert since.exit_code == 0, since.output
    lines = since.stdout.strip().splitlines()
    assert lines[1].startswith('"2018-01"') and len(lines) > 12
    spec = json.loads(chart.read_text(encoding="utf-8"))
    (values,) = spec["datasets"].values()  # the table behind every layer, inline
    assert values[0]["month"] == "2018-01-01" and len(values) == len(lines) - 1


def test_cli_bad_input_is_one_line(home: Path) -> None:
    env = {"DETENTE_HOME": str(home)}
    both = CliRunner().invoke(app, ["verdict", "--month", "2010-03", "--since", "2010-01"], env=env)
    assert both.exit_code == 2 and "not both" in both.output and "Traceback" not in both.output
    bad = CliRunner().invoke(app, ["verdict", "--month", "2010-13"], env=env)
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    for args in (["-f", "parquet"], ["--chart", "verdict.txt"]):
        wrong = CliRunner().invoke(app, ["verdict", "--month", "2010-03", *args], env=env)
        assert wrong.exit_code == 2 and "Traceback" not in wrong.output, wrong.output


def test_cli_parquet_keeps_typed_lists(home: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "verdict.parquet"
    run = CliRunner().invoke(app, ["verdict", "--since", "2026-06", "-f", "parquet", "-o", str(out)],
                             env={"DETENTE_HOME": str(home)})  # fmt: skip
    assert run.exit_code == 0, run.output
    table = pq.read_table(out)
    assert table.column("month").to_pylist()[0] == "2026-06"
    assert str(table.schema.field("reversals").type) == "list<element: string>"
