"""Reciprocity: a VAR between directed series, with Granger tests and impulse responses.

The design is Goldstein & Freeman's "three-way street" (1990; Goldstein & Freeman 1991 for the
U.S.–Soviet–Chinese triangle): each actor's behaviour towards another is regressed on the recent
past of every directed series among the actors, so that reciprocity (B answers A's cooperation
with cooperation) and triangular effects (C's behaviour moves A→B) can be tested. Here the
series are :func:`~detente.indicators.series.dyadic_series` measures (net cooperation by default)
for every ordered pair of ``actors``; the lag order is chosen by an information criterion
(statsmodels ``VAR.select_order``, Lütkepohl 2005), Granger causality is the F test that all lags
of one series are zero in another's equation — with k series that is k(k − 1) tests (30 for three
actors), so each p-value comes with its Holm (1979) adjusted value ``p_holm``, which keeps the
chance of any false "Granger-causes" at 5 % (decision 058) — and impulse responses (``irf``, shown
by ``analyze reciprocity --show irf``) are the responses to a unit shock (orthogonalised on
request) with asymptotic standard errors. The sample, lag order and
criterion are always returned with the result (decision 019).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import permutations

import numpy as np
import pandas as pd

from .._extras import require
from ..indicators.series import dyadic_series, events_of, parse_freq

__all__ = ["MEASURES", "NotEnoughData", "VarResult", "directed_series", "fit_var", "reciprocity_var"]

#: dyadic-series columns that can be modelled
MEASURES = (
    "net_cooperation",
    "goldstein_wsum",
    "cooperation",
    "conflict",
    "events",
    "material_conflict",
    "verbal_conflict",
    "material_cooperation",
    "verbal_cooperation",
)


class NotEnoughData(ValueError):
    """The series are too short, too sparse or constant for a VAR."""


@dataclass(frozen=True)
class VarResult:
    """A fitted VAR with its tests; every table is a pandas DataFrame."""

    series: pd.DataFrame  # the modelled series, one column per directed pair, indexed by period
    sample: dict[str, object]  # first, last, nobs, lags, criterion, measure, freq, series
    lag_order: pd.DataFrame  # criteria by lag
    granger: pd.DataFrame  # cause, effect, statistic, df_num, df_denom, p_value, p_holm
    irf: pd.DataFrame  # impulse, response, horizon, value, stderr, lower, upper
    coefficients: pd.DataFrame  # equation, regressor, coefficient
    stable: bool
    notes: list[str] = field(default_factory=list)

    def sample_table(self) -> pd.DataFrame:
        """The sample description as a one-row table."""
        return pd.DataFrame([{k: (", ".join(v) if isinstance(v, list) else v) for k, v in self.sample.items()}])


def directed_series(
    source: object,
    actors: Sequence[str],
    freq: str = "month",
    *,
    measure: str = "net_cooperation",
    start: date | None = None,
    end: date | None = None,
    sources: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``measure`` for every ordered pair of ``actors`` (columns ``A>B``), indexed by period."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")
    events = events_of(source)
    columns = {}
    for a, b in permutations(actors, 2):
        s = dyadic_series(events, f"{a}>{b}", freq, start=start, end=end, sources=sources)
        columns[f"{a}>{b}"] = s.set_index("period")[measure]
    frame = pd.DataFrame(columns).fillna(0.0).sort_index()
    frame.index.name = "period"
    return frame


def _trim(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop leading and trailing periods in which every series is zero."""
    active = (frame != 0).any(axis=1).to_numpy()
    if not active.any():
        return frame.iloc[0:0]
    idx = np.flatnonzero(active)
    return frame.iloc[idx[0] : idx[-1] + 1]


def fit_var(
    frame: pd.DataFrame,
    *,
    maxlags: int = 12,
    ic: str = "aic",
    irf_periods: int = 12,
    orthogonal: bool = False,
    trim: bool = True,
) -> VarResult:
    """Fit a VAR to the columns of ``frame`` (rows in time order) and test them.

    Parameters
    ----------
    frame
        One column per series, one row per period (e.g. :func:`directed_series`).
    maxlags
        Largest lag tried; lowered to (periods − 1) / (3 × series) so that every equation keeps
        at least three periods per coefficient.
    ic
        Criterion choosing the lag order: ``aic``, ``bic``, ``hqic`` or ``fpe``; at least one lag is kept.
    irf_periods
        Horizons of the impulse responses.
    orthogonal
        Orthogonalised (Cholesky, in column order) rather than unit-shock responses.
    trim
        Drop leading and trailing periods in which every series is 0.

    Raises
    ------
    NotEnoughData
        Fewer than 20 periods, a constant series, or too few periods for one lag per series.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = np.zeros(200); y = np.zeros(200)
    >>> for t in range(1, 200):
    ...     x[t] = 0.5 * x[t - 1] + rng.normal(); y[t] = 0.4 * x[t - 1] + rng.normal()
    >>> res = fit_var(pd.DataFrame({"x": x, "y": y}), maxlags=4)
    >>> bool(res.granger.set_index(["cause", "effect"]).loc[("x", "y"), "p_value"] < 0.001)
    True
    """
    VAR = require("statsmodels.tsa.api").VAR

    data = _trim(frame) if trim else frame
    notes: list[str] = []
    k = data.shape[1]
    if len(data) < 20:
        raise NotEnoughData(f"{len(data)} periods with any event; a VAR needs at least 20")
    constant = [c for c in data.columns if data[c].nunique() < 2]
    if constant:
        raise NotEnoughData(f"constant series (no variation): {', '.join(map(str, constant))}")
    room = (len(data) - 1) // (3 * k)  # at least three periods per coefficient of an equation
    if room < 1:
        raise NotEnoughData(f"{len(data)} periods are too few for {k} series")
    if room < maxlags:
        notes.append(f"maxlags lowered from {maxlags} to {room} for {len(data)} periods")
        maxlags = room
    values = pd.DataFrame(data.to_numpy(dtype=float), columns=[str(c) for c in data.columns])
    model = VAR(values)
    selection = model.select_order(maxlags)
    lags = int(selection.selected_orders[ic])
    if lags < 1:
        notes.append(f"{ic} chose 0 lags; 1 lag kept so that Granger tests are defined")
        lags = 1
    res = model.fit(lags)
    names = list(values.columns)
    return VarResult(
        series=data,
        sample={
            "first": data.index[0],
            "last": data.index[-1],
            "nobs": int(res.nobs),
            "periods": len(data),
            "lags": lags,
            "criterion": ic,
            "series": names,
        },
        lag_order=_lag_table(selection, maxlags),
        granger=_granger(res, names),
        irf=_irf(res, names, irf_periods, orthogonal),
        coefficients=_coefficients(res),
        stable=bool(res.is_stable()),
        notes=notes,
    )


def _lag_table(selection: object, maxlags: int) -> pd.DataFrame:
    ics = selection.ics  # type: ignore[attr-defined]
    rows = [
        {"lag": p, **{name: float(ics[name][p]) for name in ("aic", "bic", "hqic", "fpe")}} for p in range(maxlags + 1)
    ]
    frame = pd.DataFrame(rows)
    for name, chosen in selection.selected_orders.items():  # type: ignore[attr-defined]
        frame[f"{name}_selected"] = frame["lag"] == int(chosen)
    return frame


def _granger(res: object, names: list[str]) -> pd.DataFrame:
    """Every ordered pair's F test, with Holm's step-down adjustment over the whole family."""
    from statsmodels.stats.multitest import multipletests

    rows = []
    for cause, effect in permutations(names, 2):
        test = res.test_causality(effect, [cause], kind="f")  # type: ignore[attr-defined]
        df_num, df_denom = test.df
        rows.append(
            {
                "cause": cause,
                "effect": effect,
                "statistic": float(test.test_statistic),
                "df_num": int(df_num),
                "df_denom": int(df_denom),
                "p_value": float(test.pvalue),
            }
        )
    frame = pd.DataFrame(rows)
    frame["p_holm"] = multipletests(frame["p_value"], method="holm")[1] if len(frame) else []
    return frame


def _irf(res: object, names: list[str], periods: int, orthogonal: bool) -> pd.DataFrame:
    irf = res.irf(periods)  # type: ignore[attr-defined]
    values = irf.orth_irfs if orthogonal else irf.irfs
    stderr = irf.stderr(orth=orthogonal)
    rows = []
    for h in range(values.shape[0]):
        for i, response in enumerate(names):
            for j, impulse in enumerate(names):
                v, se = float(values[h, i, j]), float(stderr[h, i, j])
                rows.append(
                    {
                        "impulse": impulse,
                        "response": response,
                        "horizon": h,
                        "value": v,
                        "stderr": se,
                        "lower": v - 1.96 * se,
                        "upper": v + 1.96 * se,
                    }
                )
    return pd.DataFrame(rows)


def _coefficients(res: object) -> pd.DataFrame:
    params = res.params  # type: ignore[attr-defined]
    return params.reset_index(names="regressor").melt(
        id_vars="regressor", var_name="equation", value_name="coefficient"
    )[["equation", "regressor", "coefficient"]]


def reciprocity_var(
    source: object,
    actors: Sequence[str] = ("PRK", "KOR"),
    freq: str = "month",
    *,
    measure: str = "net_cooperation",
    start: date | None = None,
    end: date | None = None,
    sources: Sequence[str] | None = None,
    maxlags: int = 12,
    ic: str = "aic",
    irf_periods: int = 12,
    orthogonal: bool = False,
) -> VarResult:
    """VAR of ``measure`` between every ordered pair of ``actors`` (two actors: 2 series; three: 6).

    Examples
    --------
    >>> from detente import Store
    >>> res = reciprocity_var(Store(), ("PRK", "KOR", "USA"), "month")  # doctest: +SKIP
    >>> res.granger.sort_values("p_value").head()  # doctest: +SKIP
    """
    if len(set(actors)) < 2:
        raise ValueError("reciprocity needs at least two different actors")
    freq = parse_freq(freq)
    frame = directed_series(source, actors, freq, measure=measure, start=start, end=end, sources=sources)
    res = fit_var(frame, maxlags=maxlags, ic=ic, irf_periods=irf_periods, orthogonal=orthogonal)
    res.sample.update({"measure": measure, "freq": freq})
    return res
