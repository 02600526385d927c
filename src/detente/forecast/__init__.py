"""Escalation forecasts with honest backtests, and what-if scenarios (``docs/forecasting.md``).

- :mod:`.targets`: what is forecast (any missile launch, a major provocation, provocation counts),
  defined in one place; horizons 1, 3 and 6 months.
- :mod:`.features`: monthly data and features as known at each forecast origin (no look-ahead).
- :mod:`.models`: baselines (climatology, persistence, last 12 months), GLM, LightGBM, Hawkes, ensemble.
- :mod:`.hawkes`: the exponential-kernel Hawkes process (likelihood, fit, Ogata thinning).
- :mod:`.scoring`: Brier, log loss, AUC, AUPR, CRPS, calibration tables.
- :mod:`.backtest`: the rolling-origin evaluation object and its leaderboard.
- :mod:`.charts`: the reliability chart (picture and data).
- :mod:`.record`: the forecast record (frozen forecasts, scored on arrival, a hash chain; decision 068).
- :mod:`.scenarios`: YAML what-ifs, simulated against the baseline path, with the bargaining re-run.
- :mod:`.commands`: the ``forecast``, ``backtest`` and ``scenario`` commands.

Names are imported on first use (statsmodels, LightGBM and scipy load only when a model needs them).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "HORIZONS",
    "MODELS",
    "TARGETS",
    "Backtest",
    "BacktestResult",
    "Forecast",
    "ForecastRecord",
    "KnowledgeBase",
    "MonthlyData",
    "Scenario",
    "ScenarioResult",
    "Simulator",
    "build",
    "load_scenario",
    "make_model",
    "run_scenario",
]

_LAZY = {
    "HORIZONS": ("targets", "HORIZONS"),
    "TARGETS": ("targets", "TARGETS"),
    "KnowledgeBase": ("features", "KnowledgeBase"),
    "MonthlyData": ("features", "MonthlyData"),
    "build": ("features", "build"),
    "MODELS": ("models", "MODELS"),
    "Forecast": ("models", "Forecast"),
    "make_model": ("models", "make_model"),
    "Backtest": ("backtest", "Backtest"),
    "ForecastRecord": ("record", "ForecastRecord"),
    "BacktestResult": ("backtest", "BacktestResult"),
    "Scenario": ("scenarios", "Scenario"),
    "ScenarioResult": ("scenarios", "ScenarioResult"),
    "Simulator": ("scenarios", "Simulator"),
    "load_scenario": ("scenarios", "load"),
    "run_scenario": ("scenarios", "run"),
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    return getattr(import_module(f".{module}", __name__), attr)
