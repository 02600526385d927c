"""The forecast record: every issued forecast frozen when made, scored when its outcome arrives.

:class:`ForecastRecord` keeps an append-only, hash-chained JSON Lines log (:mod:`detente.journal`)
at ``<store home>/forecasts/record.jsonl``. :meth:`~ForecastRecord.issue` fits each model on the
data as of its last month (exactly as the backtest does at that origin) and appends one
``forecast`` line per target, horizon and model: origin, target window, probability (binary) or
mean, 10/50/90% quantiles and the whole distribution (counts), model name and version, the SHA-256
of the data it saw (:func:`data_hash`) and ``issued_at``, the data's date. A forecast is frozen:
issuing the same origin again writes nothing. :meth:`~ForecastRecord.score` appends a ``score``
line (outcome and Brier score or CRPS, as :mod:`.backtest` scores) for each forecast whose window
the data now fully cover; nothing is rewritten. :meth:`~ForecastRecord.track_record` scores the
record with :meth:`.BacktestResult.leaderboard` (same rules, same skills against climatology and
persistence over the same origins) and puts the backtest's figures beside it (decision 068).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..journal import Journal, Verification, canonical
from . import scoring
from .backtest import Backtest, BacktestResult, _score
from .features import MonthlyData
from .targets import TARGETS, target

__all__ = ["RECORD_FILE", "ForecastRecord", "data_hash"]

#: the log's path under the store home
RECORD_FILE = Path("forecasts") / "record.jsonl"
#: the leaderboard columns the track record reports, live and from the backtest
_TRACK = ("origins", "score", "skill_climatology", "skill_persistence")


def data_hash(data: MonthlyData) -> str:
    """SHA-256 of the canonical monthly frame and incident times a forecast at ``data.last`` sees."""
    frame = data.monthly.to_csv(float_format="%.17g", lineterminator="\n")
    times = {k: [float(x) for x in v] for k, v in sorted(data.event_times.items())}
    text = canonical({"subject": data.subject, "context": data.context, "through": str(data.data_date),
                      "monthly": frame, "times": times})  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def _forecast_id(subject: str, context: str, name: str, horizon: int, origin: str, model: str) -> str:
    key = canonical([subject, context, name, horizon, origin, model])
    return hashlib.sha256(key.encode()).hexdigest()[:20]


class ForecastRecord:
    """The forecast log of a store home (``ForecastRecord(store.home)``)."""

    def __init__(self, home: str | Path) -> None:
        self.journal = Journal(Path(home) / RECORD_FILE)

    @property
    def path(self) -> Path:
        """The JSON Lines file."""
        return self.journal.path

    def verify(self) -> Verification:
        """Check the hash chain; names the first bad line."""
        return self.journal.verify()

    def _lines(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.journal.entries() if e.get("kind") == kind]

    def issue(
        self,
        data: MonthlyData,
        *,
        targets: Sequence[str] = ("missile", "major", "count"),
        horizons: Sequence[int] = (1, 3),
        models: Sequence[str] = ("climatology", "persistence", "last12", "glm"),
        params: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """Forecast from ``data.last`` (the data's now) and append the forecasts not yet recorded.

        ``data`` is what was known at issuance (e.g. :func:`.features.build` with ``through`` the data's
        date). The ensemble is not recorded: its weights come from a backtest history, not one origin.
        """
        if "ensemble" in models:
            raise ValueError("the ensemble is not recorded: its weights need the backtest's history of scores")
        for name in targets:
            target(name)
        origin = data.last
        run = Backtest(targets, horizons, models, start=str(origin), end=str(origin), unrealised=True,
                       params={k: dict(v) for k, v in (params or {}).items()}).run(data)  # fmt: skip
        known = {e["id"] for e in self._lines("forecast")}
        digest, issued, logged = data_hash(data), data.data_date.isoformat(), datetime.now(UTC).isoformat()
        new = []
        for r in run.forecasts.itertuples():
            fid = _forecast_id(data.subject, data.context, r.target, int(r.horizon), str(origin), r.model)
            if fid in known:
                continue
            entry: dict[str, Any] = {
                "kind": "forecast", "id": fid, "subject": data.subject, "context": data.context,
                "target": r.target, "horizon": int(r.horizon), "origin": str(origin),
                "window": [str((origin + 1).start_time.date()), str((origin + int(r.horizon)).end_time.date())],
                "model": r.model, "model_version": f"detente {__version__}",
                "params": dict((params or {}).get(r.model, {})), "value": float(r.value),
                "data_hash": digest, "issued_at": issued, "logged_at": logged,
            }  # fmt: skip
            if r.pmf is not None:
                pmf = np.asarray(r.pmf, float)
                entry |= {f"q{q}": scoring.pmf_quantile(pmf, q / 100) for q in (10, 50, 90)}
                entry["pmf"] = [float(x) for x in pmf]
            new.append(entry)
        return self.journal.append(new)

    def score(self, data: MonthlyData) -> list[dict[str, Any]]:
        """Append a score for each unscored forecast of ``data``'s subject whose window ``data`` fully covers."""
        scored = {e["forecast"] for e in self._lines("score")}
        digest, when = data_hash(data), data.data_date.isoformat()
        outcomes: dict[tuple[str, int], pd.Series] = {}
        new = []
        for f in self._lines("forecast"):
            if f["id"] in scored or (f["subject"], f["context"]) != (data.subject, data.context):
                continue
            key = (f["target"], f["horizon"])
            if key not in outcomes:
                outcomes[key] = data.outcome(TARGETS[f["target"]], f["horizon"])
            y = outcomes[key].get(pd.Period(f["origin"], "M"), np.nan)
            if np.isnan(y):
                continue
            s = _score(TARGETS[f["target"]].kind, f["value"], _pmf(f), float(y))
            new.append({"kind": "score", "forecast": f["id"], "y": float(y), "score": float(s),
                        "data_hash": digest, "scored_at": when})  # fmt: skip
        return self.journal.append(new)

    def forecasts(self) -> pd.DataFrame:
        """Every recorded forecast as backtest rows (``target``, ``horizon``, ``origin``, ``model``, ``value``,
        ``pmf``, ``y``; ``y`` NaN until scored) with ``id``, ``issued_at`` and ``data_hash``."""
        y = {e["forecast"]: e["y"] for e in self._lines("score")}
        rows = [
            {"target": f["target"], "horizon": f["horizon"], "origin": pd.Period(f["origin"], "M"),
             "model": f["model"], "value": f["value"], "pmf": _pmf(f), "y": y.get(f["id"], np.nan),
             "id": f["id"], "issued_at": f["issued_at"], "data_hash": f["data_hash"]}
            for f in self._lines("forecast")
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=["target", "horizon", "origin", "model", "value", "pmf", "y", "id",
                                           "issued_at", "data_hash"])  # fmt: skip

    def track_record(self, backtest: BacktestResult | None = None, until: date | None = None) -> pd.DataFrame:
        """Live skill of the scored forecasts against the baselines, with the ``backtest``'s beside it.

        With ``until``, only forecasts whose window ended by that day count (a brief as of that date).

        One row per target, horizon and model: ``origins``, ``score`` (Brier or CRPS) and the skills
        against climatology and persistence over the same origins (:meth:`.BacktestResult.leaderboard`),
        then the same four figures of ``backtest`` prefixed ``backtest_`` (NaN without one).
        """
        cols = ["target", "horizon", "model"]
        f = self.forecasts()
        if until is not None:
            ends = [(o + int(h)).end_time.date() for o, h in zip(f["origin"], f["horizon"], strict=True)]
            f = f[np.array([e <= until for e in ends], dtype=bool)]
        live = BacktestResult(f).leaderboard()[[*cols, *_TRACK]]
        if backtest is None:
            return live.assign(**{f"backtest_{c}": np.nan for c in _TRACK})
        board = backtest.leaderboard()[[*cols, *_TRACK]].rename(columns={c: f"backtest_{c}" for c in _TRACK})
        return live.merge(board, on=cols, how="left")


def _pmf(entry: Mapping[str, Any]) -> np.ndarray | None:
    return np.asarray(entry["pmf"], float) if "pmf" in entry else None
