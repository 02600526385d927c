"""The forecasts the brief, the API and the dashboard show: one small interface over ``detente.forecast``.

:func:`forecast_panel` returns a :class:`ForecastPanel`: for each binary target (any missile launch;
a major provocation) and horizon, every model's probability for the months after the data's date
(``as_of``: the origin is its month, the target the first month not yet observed), and each
model's rolling-origin backtest skill over the preceding ``recent`` origins
(``detente.forecast.Backtest`` with ``unrealised=True``, as ``detente forecast`` does). When the
forecast module or its data is missing the panel is ``available=False`` with the reason: nothing is
ever made up.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

__all__ = ["FORECAST_COLUMNS", "SKILL_COLUMNS", "ForecastPanel", "forecast_panel"]

#: columns of :attr:`ForecastPanel.forecasts`
FORECAST_COLUMNS = ("target", "description", "horizon", "issued", "period", "model", "probability")
#: columns of :attr:`ForecastPanel.skill`
SKILL_COLUMNS = ("target", "horizon", "model", "origins", "brier", "brier_skill", "skill_persistence", "auc",
                 "baseline")  # fmt: skip
#: the forecast the brief leads with, and the baseline its skill is measured against
LEAD_MODEL, BASELINE = "ensemble", "climatology"
#: realised training origins (from the models' first training month) the backtest's first origin needs
MIN_TRAINING = 24


@dataclass(frozen=True)
class ForecastPanel:
    """Forecasts with backtest skill, or the reason there are none."""

    available: bool
    reason: str
    forecasts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FORECAST_COLUMNS)))
    skill: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SKILL_COLUMNS)))
    event_ids: tuple[str, ...] = ()


def _unavailable(reason: str) -> ForecastPanel:
    return ForecastPanel(False, f"no forecast is available: {reason}")


def forecast_panel(
    source: object,
    as_of: date,
    *,
    targets: Sequence[str] = ("missile", "major"),
    horizons: Sequence[int] = (1, 3),
    recent: int = 36,
    subject: str = "PRK",
    context: str = "PRK-KOR",
) -> ForecastPanel:
    """Forecasts issued at ``as_of`` (the data's date) for the months after it, with their recent backtest skill.

    Parameters
    ----------
    source
        A Store or an Ibis events table (pass events already cut at ``as_of``).
    targets, horizons
        Binary targets of :data:`detente.forecast.TARGETS` and horizons in months.
    recent
        Realised origins the skill (and the ensemble's weights) is computed over.
    """
    if importlib.util.find_spec("detente.forecast") is None:
        return _unavailable("this build has no forecast module (detente.forecast)")
    from ..forecast import TARGETS, Backtest, build
    from ..forecast.models import DEFAULT_MODELS, TRAIN_START
    from ..forecast.targets import month_incidents

    try:
        data = build(source, subject, context, through=as_of)
    except ValueError as exc:
        return _unavailable(str(exc))
    needed = TRAIN_START + MIN_TRAINING - 1 + 2 * max(horizons) + recent
    if data.last < needed:
        return _unavailable(
            f"the data end in {data.last}; a backtest over {recent} origins with {MIN_TRAINING} months of "
            f"outcomes from {TRAIN_START} to train on needs {(needed - data.last).n} more months of curated events"
        )
    forecasts, skills = [], []
    for name in targets:
        tgt = TARGETS[name]
        for h in horizons:
            run = Backtest([name], [h], DEFAULT_MODELS, start=str(data.last - h - recent), unrealised=True,
                           refit_every=12, ensemble_window=recent).run(data)  # fmt: skip
            last = run.forecasts[run.forecasts["origin"] == data.last]
            window = f"{(data.last + 1).start_time.date()} to {(data.last + h).end_time.date()}"
            forecasts += [
                {"target": name, "description": tgt.description, "horizon": h, "issued": str(data.last),
                 "period": window, "model": r.model, "probability": float(r.value)}
                for r in last.itertuples()
            ]  # fmt: skip
            for r in run.leaderboard().itertuples():
                skills.append({"target": name, "horizon": h, "model": r.model, "origins": int(r.origins),
                               "brier": float(r.score), "brier_skill": float(r.skill_climatology),
                               "skill_persistence": float(r.skill_persistence), "auc": float(r.auc),
                               "baseline": BASELINE})  # fmt: skip
    first = (data.last - max(horizons) - recent).start_time
    inc = month_incidents(source, subject, end=data.last.end_time.date())
    inc = inc[(inc["date"] >= first) & inc[[TARGETS[t].series for t in targets]].any(axis=1)]
    ids = tuple(sorted({i for v in inc["event_ids"] for i in v}))
    reason = f"{len(DEFAULT_MODELS)} models, rolling-origin backtest over the last {recent} origins before {data.last}"
    return ForecastPanel(
        True,
        reason,
        pd.DataFrame(forecasts, columns=list(FORECAST_COLUMNS)),
        pd.DataFrame(skills, columns=list(SKILL_COLUMNS)),
        ids,
    )
