"""As-of-date features: everything a forecast made at the end of month t may know, and nothing later.

:func:`build` reads the store and the knowledge base once into a :class:`MonthlyData`: one row per
month of raw monthly values (incident counts of the subject, the tension index standardised over
the months up to that one, the exercise calendar, the hotline state, the leaders in office,
implementation of the 2018 agreements, sanctions resolutions, confidence-building measures in force).
A row holds what was known at the end of its month:

- incidents are counted by the month they happened in and never merge across a month boundary
  (:func:`.targets.month_incidents`);
- a knowledge-base fact dated to a day is known from that day, to a month from the month's last day,
  to a year from 31 December; a measure or a leader is "in force" while its end has not come;
- the tension index at t is standardised with the mean and standard deviation of months ≤ t only
  (:func:`expanding_index`), not over the whole span as :func:`detente.indicators.tension_index` does.

:func:`derive` turns the monthly rows into the model features at every origin for a horizon h. It
works on arrays shaped ``(..., months)`` so the scenario simulator runs it on thousands of simulated
paths at once. The only values it reads beyond t are ``drill_plan`` (the exercise calendar expected
for months t+1 … t+h), which in history is the calendar of the same months a year earlier, so it too
is known at t. :meth:`MonthlyData.as_of` truncates everything to an origin; the backtest forecasts
from truncated data only, and ``tests/forecast/test_no_lookahead.py`` shows that shuffling and
perturbing the future leaves every feature unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from ..indicators.incidents import CURATED_SOURCES
from ..indicators.series import events_of
from ..indicators.tension import COMPONENTS, Z_CAP, TensionWeights, components_expr
from .targets import SERIES, Subject, Target, month_incidents, outcome

__all__ = [
    "EXOGENOUS",
    "FEATURES",
    "FRAME_START",
    "LOG_FEATURES",
    "SIMULABLE",
    "KnowledgeBase",
    "MonthlyData",
    "build",
    "derive",
    "expanding_index",
    "known_date",
]

#: first month of every frame (the knowledge base's ROK presidents start in February 1988)
FRAME_START = pd.Period("1988-01", "M")
#: months of history before the tension index is standardised (earlier months get the neutral 50)
MIN_TENSION_MONTHS = 24
_GAP_CAP = {"launches": 36, "major": 60, "sanctions": 60}

#: monthly knowledge-base columns a scenario may change (``docs/forecasting.md`` explains each)
EXOGENOUS = (
    "drill_days",
    "drill_plan",
    "hotline_open",
    "sanctions_new",
    "rok_conservative",
    "rok_tenure",
    "dprk_kju",
    "dprk_tenure",
    "implementation",
    "reversed_share",
    "test_moratorium",
    "cbm_active",
)
#: every feature :func:`derive` returns, in order
FEATURES = (
    "launches_1m",
    "launches_3m",
    "launches_12m",
    "launch_gap",
    "major_12m",
    "major_gap",
    "provocations_1m",
    "provocations_3m",
    "provocations_12m",
    "severity_3m",
    "border_3m",
    "troops_3m",
    "tension",
    "tension_change",
    "drill_days",
    "drill_days_3m",
    "drills_expected",
    "hotline_open",
    "sanctions_12m",
    "sanctions_gap",
    "rok_conservative",
    "rok_tenure",
    "dprk_kju",
    "dprk_tenure",
    "implementation",
    "reversed_share",
    "test_moratorium",
    "cbm_active",
    "month_sin",
    "month_cos",
)
#: features a GLM takes on the log scale (log1p)
LOG_FEATURES = frozenset(
    {
        "launches_1m",
        "launches_3m",
        "launches_12m",
        "major_12m",
        "provocations_1m",
        "provocations_3m",
        "provocations_12m",
        "border_3m",
        "troops_3m",
        "drill_days",
        "drill_days_3m",
        "drills_expected",
        "rok_tenure",
        "dprk_tenure",
    }
)
#: features the scenario simulator can produce on simulated paths (everything but the tension index,
#: whose dyadic components come from media-coded events that cannot be simulated)
SIMULABLE = tuple(
    f for f in FEATURES if f not in ("tension", "tension_change", "severity_3m", "border_3m", "troops_3m")
)


def known_date(day: date | pd.Timestamp, precision: str | None) -> pd.Timestamp:
    """When a dated fact is known: the day itself, the month's last day, or 31 December."""
    stamp = pd.Timestamp(day)
    if precision == "month":
        return stamp + pd.offsets.MonthEnd(0)
    if precision == "year":
        return pd.Timestamp(stamp.year, 12, 31)
    return stamp


@dataclass(frozen=True)
class KnowledgeBase:
    """The knowledge-base tables the features read (injectable, so a test can perturb them).

    ``implementation`` maps a date to (score 0-100, share of provisions reversed) of the coded
    agreements signed by then; the default reads :func:`detente.kb.tracker.provision_status`.
    """

    exercise_days: pd.DataFrame
    hotlines: pd.DataFrame
    sanctions: pd.DataFrame
    leaders: pd.DataFrame
    cbm: pd.DataFrame
    transition_dates: tuple[pd.Timestamp, ...]
    implementation: Callable[[date], tuple[float, float]]

    @classmethod
    def shipped(cls) -> KnowledgeBase:
        """The tables shipped in :mod:`detente.kb`."""
        from ..indicators.military import exercise_days
        from ..kb import tables

        trans = tables.transitions().to_pandas()
        known = sorted({known_date(d, p) for d, p in zip(trans["date"], trans["date_precision"], strict=True)})
        return cls(
            exercise_days=exercise_days(),
            hotlines=tables.hotlines().to_pandas(),
            sanctions=tables.sanctions().to_pandas(),
            leaders=tables.leaders().to_pandas(),
            cbm=tables.cbm().to_pandas(),
            transition_dates=tuple(known),
            implementation=_tracker_implementation,
        )


def _tracker_implementation(as_of: date) -> tuple[float, float]:
    from ..kb.tracker import STATUS_POINTS, provision_status

    status = provision_status(as_of)
    if status.empty:
        return 0.0, 0.0
    points = status["status"].map(STATUS_POINTS).sum()
    return 100.0 * points / (3 * len(status)), float((status["status"] == "reversed").mean())


@dataclass(frozen=True)
class MonthlyData:
    """Monthly raw values of one subject, as known at the end of each month, and the incident times.

    ``monthly`` is indexed by month (``pandas.Period``) and has the columns of :data:`SERIES`,
    ``severity``, ``border``, ``troops``, ``tension`` and :data:`EXOGENOUS`. ``event_times`` holds,
    per series, the days (since 1970-01-01) of the day-precision incidents, for the Hawkes model.
    ``through`` is the data's date when the last month is observed only up to that day (None: complete).
    """

    subject: str
    context: str
    monthly: pd.DataFrame
    event_times: Mapping[str, np.ndarray] = field(default_factory=dict)
    through: date | None = None
    _features: dict[int, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    @property
    def months(self) -> pd.PeriodIndex:
        """Every month of the frame."""
        return self.monthly.index

    @property
    def last(self) -> pd.Period:
        """The last month (the forecast origin of this data)."""
        return self.monthly.index[-1]

    @property
    def observed(self) -> pd.Period:
        """The last month the data fully cover (``last``, or the month before when ``last`` is partial)."""
        return self.last if self.through is None else self.last - 1

    @property
    def data_date(self) -> date:
        """The data's date: ``through``, or the last month's last day."""
        return self.through if self.through is not None else self.last.end_time.date()

    def as_of(self, origin: pd.Period | str) -> MonthlyData:
        """Everything known at the end of ``origin``: later months and incidents are dropped."""
        origin = pd.Period(origin, "M")
        if origin < self.months[0]:
            raise ValueError(f"origin {origin} is before the data's first month {self.months[0]}")
        cutoff = _day_number(origin.end_time.normalize())
        times = {k: v[v <= cutoff] for k, v in self.event_times.items()}
        through = self.through if origin >= self.last else None
        return replace(self, monthly=self.monthly.loc[:origin], event_times=times, through=through, _features={})

    def features(self, horizon: int) -> pd.DataFrame:
        """:data:`FEATURES` at every origin month for ``horizon`` (see :func:`derive`); computed once per horizon."""
        if horizon in self._features:
            return self._features[horizon]
        cols = {c: self.monthly[c].to_numpy(float) for c in self.monthly.columns}
        cols["drill_plan"] = _drill_plan(cols["drill_days"], horizon)
        frame = pd.DataFrame(derive(cols, self.months, horizon), index=self.months)[list(FEATURES)]
        self._features[horizon] = frame
        return frame

    def outcome(self, target: Target, horizon: int) -> pd.Series:
        """The outcome of ``target`` at every origin (NaN where not yet realised, or realised in a partial month)."""
        y = outcome(self.monthly[target.series].to_numpy(), horizon, target.kind)
        if self.through is not None and len(y) > horizon:
            y[len(y) - 1 - horizon] = np.nan  # its window ends in the partial last month
        return pd.Series(y, index=self.months)


def _day_number(stamp: pd.Timestamp) -> float:
    return float((stamp - pd.Timestamp("1970-01-01")).days)


def _drill_plan(drill_days: np.ndarray, horizon: int) -> np.ndarray:
    """Expected exercise days per month through t+horizon: the same month a year earlier (0 if unknown)."""
    n = drill_days.shape[-1]
    plan = np.zeros(drill_days.shape[:-1] + (n + horizon,))
    plan[..., 12:] = drill_days[..., : n + horizon - 12]
    return plan


# ---------------------------------------------------------------------------------------- features


def _rolling(x: np.ndarray, k: int) -> np.ndarray:
    """Sum over the last ``k`` months (fewer at the start), along the last axis."""
    c = np.cumsum(x, axis=-1)
    out = c.copy()
    out[..., k:] = c[..., k:] - c[..., :-k]
    return out


def _gap(x: np.ndarray, cap: int) -> np.ndarray:
    """Months since the last month with ``x > 0`` (0 in such a month), capped at ``cap``."""
    idx = np.arange(x.shape[-1])
    last = np.maximum.accumulate(np.where(x > 0, idx, -(10**9)), axis=-1)
    return np.minimum(idx - last, cap).astype(float)


def derive(cols: Mapping[str, np.ndarray], months: pd.PeriodIndex, horizon: int) -> dict[str, np.ndarray]:
    """Features at every month from the monthly columns (arrays ``(..., months)``, broadcast together).

    ``cols`` holds :data:`SERIES`, ``severity``, ``border``, ``troops``, ``tension`` and
    :data:`EXOGENOUS`; ``drill_plan`` runs ``horizon`` months past the last month. Missing
    ``severity``/``border``/``troops``/``tension`` (simulated paths) give NaN features.
    """
    n = len(months)
    nan = np.full(n, np.nan)
    launches, major, prov = (np.asarray(cols[s], float) for s in SERIES)
    out: dict[str, np.ndarray] = {
        "launches_1m": launches,
        "launches_3m": _rolling(launches, 3),
        "launches_12m": _rolling(launches, 12),
        "launch_gap": _gap(launches, _GAP_CAP["launches"]),
        "major_12m": _rolling(major, 12),
        "major_gap": _gap(major, _GAP_CAP["major"]),
        "provocations_1m": prov,
        "provocations_3m": _rolling(prov, 3),
        "provocations_12m": _rolling(prov, 12),
    }
    severity = cols.get("severity")
    out["severity_3m"] = nan if severity is None else np.log1p(_rolling(np.asarray(severity, float), 3))
    for name in ("border", "troops"):
        val = cols.get(name)
        out[f"{name}_3m"] = nan if val is None else _rolling(np.asarray(val, float), 3)
    tension = cols.get("tension")
    if tension is None:
        out["tension"] = out["tension_change"] = nan
    else:
        t = np.asarray(tension, float)
        out["tension"] = t
        out["tension_change"] = t - np.concatenate([np.full(3, np.nan), t[:-3]]) if n > 3 else nan
    drills = np.asarray(cols["drill_days"], float)
    plan = np.asarray(cols["drill_plan"], float)
    windows = [plan[..., k : k + n] for k in range(1, horizon + 1)]
    out |= {
        "drill_days": drills,
        "drill_days_3m": _rolling(drills, 3),
        "drills_expected": np.sum(windows, axis=0),
        "sanctions_12m": _rolling(np.asarray(cols["sanctions_new"], float), 12),
        "sanctions_gap": _gap(np.asarray(cols["sanctions_new"], float), _GAP_CAP["sanctions"]),
    }
    for name in (
        "hotline_open",
        "rok_conservative",
        "rok_tenure",
        "dprk_kju",
        "dprk_tenure",
        "implementation",
        "reversed_share",
        "test_moratorium",
        "cbm_active",
    ):
        out[name] = np.asarray(cols[name], float)
    angle = 2 * np.pi * (np.asarray(months.month) % 12) / 12.0  # the first target month is t+1
    out["month_sin"], out["month_cos"] = np.sin(angle), np.cos(angle)
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {k: np.broadcast_to(out[k], shape) for k in FEATURES}


# -------------------------------------------------------------------------------- building the frame


def expanding_index(raw: pd.DataFrame, weights: TensionWeights | None = None) -> pd.Series:
    """The tension index of each period standardised over that period and the earlier ones only.

    Same formula as :func:`detente.indicators.tension.standardise` (z clipped to ±Z_CAP, weighted
    sum, logistic), with the baseline ending at each period instead of spanning all of them.
    """
    w = weights or TensionWeights()
    score = np.zeros(len(raw))
    for c, wc in w.component_weights().items():
        values = raw[c].astype(float)
        mean = values.expanding().mean()
        sd = values.expanding().std(ddof=0)
        filled = values.fillna(mean) if c == "hostility" else values
        ok = np.isfinite(sd) & (sd > 1e-9 * np.maximum(1.0, mean.abs()))
        z = ((filled - mean) / sd.where(ok, 1.0)).clip(-Z_CAP, Z_CAP).where(ok, 0.0).fillna(0.0)
        score += wc * z.to_numpy()
    return pd.Series(100.0 / (1.0 + np.exp(-w.k * score)), index=raw.index)


def _month_counts(inc: pd.DataFrame, months: pd.PeriodIndex) -> pd.DataFrame:
    period = inc["date"].dt.to_period("M")
    frame = pd.DataFrame(
        {
            "launches": inc["launches"].astype(float),
            "major": inc["major"].astype(float),
            "provocations": inc["provocations"].astype(float),
            "severity": inc["severity"].where(inc["severity"] > 0, 0.0).astype(float),
            "border": (inc["element"] == "border_incidents").astype(float),
            "troops": (inc["element"] == "troop_movements").astype(float),
        }
    )
    return frame.groupby(period).sum().reindex(months, fill_value=0.0)


def _tension(source: object, context: str, months: pd.PeriodIndex, severity: pd.Series) -> pd.Series:
    """The as-of tension index of ``context``; severity comes from month-bounded incidents."""
    raw = components_expr(
        events_of(source), context, "month", months[0].start_time.date(), months[-1].end_time.date()
    ).to_pandas()
    raw.index = pd.PeriodIndex(pd.to_datetime(raw["period"]), freq="M")
    raw = raw.reindex(months)
    raw["severity"] = np.log1p(severity.reindex(months, fill_value=0.0).to_numpy())
    for c in COMPONENTS:
        if c != "hostility":
            raw[c] = raw[c].fillna(0.0)
    index = expanding_index(raw)
    index.iloc[:MIN_TENSION_MONTHS] = 50.0
    return index


def _month_ends(months: pd.PeriodIndex) -> pd.DatetimeIndex:
    return pd.DatetimeIndex([m.end_time.normalize() for m in months])


def _state(ends: pd.DatetimeIndex, known: pd.Series, values: pd.Series, default: float) -> np.ndarray:
    """The value of the last fact known by each month end (``default`` before the first)."""
    order = np.argsort(known.to_numpy(), kind="stable")
    k, v = known.to_numpy()[order], values.to_numpy(float)[order]
    pos = np.searchsorted(k, ends.to_numpy(), side="right") - 1
    return np.where(pos >= 0, v[np.maximum(pos, 0)], default)


def _in_force(ends: pd.DatetimeIndex, starts: pd.Series, stops: pd.Series) -> np.ndarray:
    """How many spans (start known, end not yet come) cover each month end."""
    s = starts.to_numpy()[:, None] <= ends.to_numpy()[None, :]
    e = stops.isna().to_numpy()[:, None] | (stops.to_numpy()[:, None] > ends.to_numpy()[None, :])
    return (s & e).sum(axis=0).astype(float)


def _exogenous(kb: KnowledgeBase, months: pd.PeriodIndex) -> pd.DataFrame:
    ends = _month_ends(months)
    out = pd.DataFrame(index=months)
    days = kb.exercise_days[kb.exercise_days["weight"] > 0]
    per_day = days.groupby("day")["weight"].max()
    per_month = per_day.groupby(pd.PeriodIndex(pd.to_datetime(per_day.index), freq="M")).sum()
    out["drill_days"] = per_month.reindex(months, fill_value=0.0).to_numpy(float)
    out["drill_plan"] = 0.0  # replaced by MonthlyData.features (the calendar a year earlier)
    hl = kb.hotlines
    hl_known = pd.Series([known_date(d, p) for d, p in zip(hl["date"], hl["date_precision"], strict=True)])
    opened = hl["event"].isin(["installed", "agreed", "restored"]).astype(float).reset_index(drop=True)
    out["hotline_open"] = _state(ends, hl_known, opened, 0.0)
    res = kb.sanctions[kb.sanctions["kind"] == "resolution"]
    counts = pd.PeriodIndex(pd.to_datetime(res["date"]), freq="M").value_counts()
    out["sanctions_new"] = counts.reindex(months, fill_value=0).to_numpy(float)
    for name, values in _leaders(kb.leaders, ends).items():
        out[name] = values
    impl = [kb.implementation(d.date()) for d in kb.transition_dates]
    known = pd.Series(kb.transition_dates, dtype="datetime64[ns]")
    out["implementation"] = _state(ends, known, pd.Series([i[0] for i in impl]), 0.0)
    out["reversed_share"] = _state(ends, known, pd.Series([i[1] for i in impl]), 0.0)
    cbm = kb.cbm
    starts = pd.Series([known_date(d, p) for d, p in zip(cbm["start"], cbm["start_precision"], strict=True)])
    stops = pd.Series(
        [pd.NaT if pd.isna(d) else known_date(d, p) for d, p in zip(cbm["end"], cbm["end_precision"], strict=True)],
        dtype="datetime64[ns]",
    )
    moratorium = (cbm["kind"] == "test_moratorium").to_numpy()
    out["test_moratorium"] = np.minimum(_in_force(ends, starts[moratorium], stops[moratorium]), 1.0)
    out["cbm_active"] = _in_force(ends, starts[~moratorium], stops[~moratorium])
    return out


def _leaders(leaders: pd.DataFrame, ends: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """ROK camp (1 conservative, 0 progressive, 0.5 acting president only) and tenures, DPRK leader."""
    out = {}
    for country in ("KOR", "PRK"):
        rows = leaders[(leaders["country"] == country) & (leaders["role"] != "acting president")]
        start = pd.to_datetime(rows["term_start"]).to_numpy()
        stop = pd.to_datetime(rows["term_end"]).to_numpy()
        inside = (start[:, None] <= ends.to_numpy()[None, :]) & (
            pd.isna(stop)[:, None] | (stop[:, None] > ends.to_numpy()[None, :])
        )
        which = np.where(inside.any(axis=0), inside.argmax(axis=0), -1)
        tenure = np.where(
            which >= 0, (ends.to_numpy() - start[np.maximum(which, 0)]) / np.timedelta64(1, "D") / 30.4375, 0.0
        )
        if country == "KOR":
            camp = rows["camp"].map({"conservative": 1.0, "progressive": 0.0}).to_numpy(float)
            out["rok_conservative"] = np.where(which >= 0, camp[np.maximum(which, 0)], 0.5)
            out["rok_tenure"] = tenure
        else:
            kju = (rows["name"] == "Kim Jong Un").to_numpy(float)
            out["dprk_kju"] = np.where(which >= 0, kju[np.maximum(which, 0)], 0.0)
            out["dprk_tenure"] = tenure
    return out


def _last_complete_month(source: object, sources: Sequence[str]) -> pd.Period:
    t = events_of(source)
    last = t.filter(t.source.isin(list(sources))).date.max().to_pyarrow().as_py()
    if last is None:
        raise ValueError("the store holds no curated events (ingest the timeline, CNS, CSIS or COW MID first)")
    stamp = pd.Timestamp(last)
    month = stamp.to_period("M")
    return month if stamp == month.end_time.normalize() else month - 1


def build(
    source: object,
    subject: Subject | str = "PRK",
    context: str = "PRK-KOR",
    *,
    end: pd.Period | str | None = None,
    through: date | None = None,
    kb: KnowledgeBase | None = None,
    sources: Sequence[str] = CURATED_SOURCES,
) -> MonthlyData:
    """Monthly data of ``subject`` from :data:`FRAME_START` to ``end``.

    Parameters
    ----------
    source
        A :class:`~detente.store.Store` or an Ibis events table.
    subject
        Whose incidents are the targets: an initiator (``PRK``) or a dyad (``PRK>KOR``).
    context
        The dyad of the tension index (and of nothing else).
    end
        Last month; default the last complete month of the curated sources' data.
    through
        The data's date (the "now" of a live forecast): the last month is ``through``'s month, observed
        up to that day, and forecasts from it are for the first month not yet observed. ``end`` is
        then ignored. Pass the date the events were cut at.
    kb
        Knowledge-base tables; default :meth:`KnowledgeBase.shipped`.

    Raises
    ------
    ValueError
        When the store holds no curated events, or ``end`` (or the data) comes before :data:`FRAME_START`.

    Examples
    --------
    >>> from detente import Store
    >>> data = build(Store(), "PRK")  # doctest: +SKIP
    >>> data.features(1).tail(1)  # doctest: +SKIP
    """
    subj = subject if isinstance(subject, Subject) else Subject(subject)
    day = through
    if through is not None:
        month = pd.Period(through, "M")
        end = month
        through = None if through == month.end_time.date() else through
    last = pd.Period(end, "M") if end is not None else _last_complete_month(source, sources)
    if last < FRAME_START:
        when = f"the data's date is {day}" if day else f"the data end in {last}"
        raise ValueError(
            f"{when}, before the forecasts' first month {FRAME_START}: "
            "forecasts need curated events (timeline, CNS, CSIS or COW MID) from then on"
        )
    months = pd.period_range(FRAME_START, last, freq="M")
    cutoff = through or last.end_time.date()
    inc = month_incidents(source, subj, sources=sources, end=cutoff)
    monthly = _month_counts(inc, months)
    ctx = month_incidents(source, context, sources=sources, end=cutoff)
    monthly["tension"] = _tension(source, context, months, _month_counts(ctx, months)["severity"]).to_numpy()
    monthly = monthly.join(_exogenous(kb or KnowledgeBase.shipped(), months))
    day = inc[inc["date_precision"].fillna("day") == "day"]
    times = {s: np.sort(day.loc[day[s], "date"].map(lambda d: _day_number(d)).to_numpy(float)) for s in SERIES}
    return MonthlyData(str(subj), context, monthly, times, through)
