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

The ``forecast``, ``backtest`` and ``scenario`` commands are in :mod:`detente.cli.models`.

Names are imported on first use (statsmodels, LightGBM and scipy load only when a model needs them).
"""

from __future__ import annotations

from .._lazy import lazy_getattr

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
    "HORIZONS": "targets",
    "TARGETS": "targets",
    "KnowledgeBase": "features",
    "MonthlyData": "features",
    "build": "features",
    "MODELS": "models",
    "Forecast": "models",
    "make_model": "models",
    "Backtest": "backtest",
    "BacktestResult": "backtest",
    "ForecastRecord": "record",
    "Scenario": "scenarios",
    "ScenarioResult": "scenarios",
    "Simulator": "scenarios",
    "load_scenario": "scenarios:load",
    "run_scenario": "scenarios:run",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
