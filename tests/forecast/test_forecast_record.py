"""The forecast record on the real Korea store: frozen forecasts, a hash chain, scores equal to the backtest's."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from detente import Store
from detente.forecast.backtest import Backtest, _origin_scores
from detente.forecast.features import MonthlyData, build
from detente.forecast.record import ForecastRecord, data_hash
from detente.forecast.targets import TARGETS

BASELINES = ("climatology", "persistence")
#: the CSIS list's last row: the data's now
DATA_DATE = date(2026, 8, 20)


@pytest.fixture(scope="module")
def now(forecast_store: Store) -> MonthlyData:
    """The data as of their own date (2026-08-20): August observed up to the 20th."""
    ev = forecast_store.events()
    return build(ev.filter(ev.date <= DATA_DATE), "PRK", through=DATA_DATE)


def test_the_origin_is_the_datas_month_and_the_target_the_first_month_not_observed(
    now: MonthlyData, monthly: MonthlyData
) -> None:
    assert (str(now.last), now.through, str(now.observed)) == ("2026-08", DATA_DATE, "2026-07")
    assert now.monthly.loc["2026-08", "launches"] == 3  # the three August launches are seen, not forecast
    missile = TARGETS["missile"]
    assert np.isnan(now.outcome(missile, 1).loc["2026-07"])  # August is not over: July's 1-month window is open
    assert now.outcome(missile, 1).loc["2026-06"] == 1.0  # July had a launch (2026-07-03)
    assert Backtest(["missile"], [1]).origins(now, 1)[-1] == pd.Period("2026-06", "M")
    assert monthly.last == now.observed  # without a date, the last complete month


def test_a_forecast_is_frozen_once_with_the_hash_of_its_data(now: MonthlyData, tmp_path: Path) -> None:
    record = ForecastRecord(tmp_path)
    written = record.issue(now, models=BASELINES)
    assert len(written) == 3 * 2 * 2  # targets x horizons x models
    first = written[0]
    assert (first["origin"], first["window"], first["issued_at"]) == ("2026-08", ["2026-09-01", "2026-09-30"],
                                                                       "2026-08-20")  # fmt: skip
    assert first["data_hash"] == data_hash(now) and first["model_version"].startswith("detente ")
    counts = [e for e in written if e["target"] == "count"]
    assert all(sum(e["pmf"]) == pytest.approx(1.0) and e["q10"] <= e["q50"] <= e["q90"] for e in counts)
    assert record.issue(now, models=BASELINES) == []  # issuing again writes nothing
    assert record.score(now) == []  # no window is covered yet
    assert str(record.verify()) == "ok: 12 lines, hash chain intact"
    with pytest.raises(ValueError, match="ensemble is not recorded"):
        record.issue(now, models=("ensemble",))


def test_the_hash_of_an_as_of_cut_equals_the_backtests_view(forecast_store: Store, monthly: MonthlyData) -> None:
    ev = forecast_store.events()
    cut = build(ev.filter(ev.date <= date(2025, 3, 31)), "PRK", through=date(2025, 3, 31))
    assert cut.through is None and str(cut.last) == "2025-03"
    assert data_hash(cut) == data_hash(monthly.as_of("2025-03"))
    assert data_hash(cut) != data_hash(monthly.as_of("2025-02"))


def test_an_edited_or_removed_line_is_named(monthly: MonthlyData, tmp_path: Path) -> None:
    record = ForecastRecord(tmp_path)
    record.issue(monthly.as_of("2025-01"), models=BASELINES)
    record.score(monthly)
    lines = record.path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 24 and record.verify().ok
    entry = json.loads(lines[4])
    entry["value"] = 0.5  # a better-looking forecast
    edited = [*lines[:4], json.dumps(entry) + "\n", *lines[5:]]
    record.path.write_text("".join(edited), encoding="utf-8")
    check = record.verify()
    assert (check.ok, check.bad_line) == (False, 5) and "edited" in check.reason
    record.path.write_text("".join(lines[:7] + lines[8:]), encoding="utf-8")
    assert record.verify().bad_line == 8


def test_scores_are_appended_never_rewritten(monthly: MonthlyData, tmp_path: Path) -> None:
    record = ForecastRecord(tmp_path)
    record.issue(monthly.as_of("2025-06"), models=BASELINES)
    before = record.path.read_bytes()
    scores = record.score(monthly)
    assert len(scores) == 12 and record.path.read_bytes().startswith(before)
    assert record.score(monthly) == []
    f = record.forecasts()
    missile = f[(f["target"] == "missile") & (f["horizon"] == 1)]
    assert set(missile["y"]) == {float(monthly.outcome(TARGETS["missile"], 1).loc["2025-06"])}


@pytest.mark.slow
def test_a_24_month_replay_scores_as_the_backtest(monthly: MonthlyData, tmp_path: Path) -> None:
    models, targets, horizons = (*BASELINES, "glm"), ("missile", "count"), (1, 3)
    origins = pd.period_range("2024-01", "2025-12", freq="M")
    record = ForecastRecord(tmp_path)
    for origin in origins:  # each month: score what the new data cover, then issue from the data as of then
        known = monthly.as_of(origin)
        record.score(known)
        record.issue(known, targets=targets, horizons=horizons, models=models)
    record.score(monthly)
    assert record.verify().ok
    bt = Backtest(targets, horizons, models, start="2024-01", end="2025-12").run(monthly)
    live = record.forecasts()
    assert len(live) == len(bt.forecasts) == 24 * 2 * 2 * 3 and live["y"].notna().all()
    for (name, h, m), g in live.groupby(["target", "horizon", "model"]):
        ref = bt.forecasts[(bt.forecasts["target"] == name) & (bt.forecasts["horizon"] == h)
                           & (bt.forecasts["model"] == m)]  # fmt: skip
        kind = TARGETS[name].kind
        assert _origin_scores(kind, g).tolist() == _origin_scores(kind, ref).tolist()
    track = record.track_record(bt)
    for c in ("origins", "score", "skill_climatology", "skill_persistence"):
        assert track[c].tolist() == pytest.approx(track[f"backtest_{c}"].tolist(), nan_ok=True)
    assert (track["origins"] == 24).all()
