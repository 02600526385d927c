"""Phases of a relationship: change points on the tension index, labelled thaw / freeze / stable.

Change points are found with PELT (Killick, Fearnhead & Eckley 2012) as implemented by ``ruptures``
(Truong, Oudre & Vayatis 2020) on the index with a least-squares (mean-shift) cost: ruptures'
``KernelCPD`` with a linear kernel, whose cost is the l2 cost, solved by its compiled PELT when a
penalty is given (the same segmentation as ``Pelt(model="l2")``, about a thousand times faster). The penalty
is ``penalty_factor · σ² · ln n`` (a BIC-type penalty, σ estimated robustly from the first
differences: σ = MAD(Δx) / (0.6745·√2)); phases are at least ``min_size`` periods long. A phase
whose mean is more than ``threshold`` index points above the previous phase's mean is a
``freeze``, more than ``threshold`` below a ``thaw``, otherwise ``stable`` (the first phase is
compared with the median of its run). Periods without an index (no covered component, see
:mod:`.coverage`) are gaps: never phased, and a phase never spans one; each run of consecutive
periods with an index is segmented on its own, its first phase compared with the run's median.
Each phase lists the events that open it: the events of its first period with any event, most
severe first (decision 017).

:func:`phase_changes` reads the phases as they were first recognised, without hindsight: the index
as it read at the end of each period (standardised and segmented on the periods up to it) gives the
current phase, and a freeze or thaw is new in the period whose data first show it (decision 090).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .._extras import require
from ..dyad import Dyad
from .incidents import curated, incidents_expr
from .series import dyad_of, events_of, parse_freq, period_end, period_floor, precise_enough
from .tension import expanding_index, tension_frame

__all__ = ["CHANGE_COLUMNS", "PHASE_COLUMNS", "detect_phases", "find_phases", "opening_events", "phase_changes"]

#: columns of :func:`detect_phases`; :func:`find_phases` adds ``opening_events``
PHASE_COLUMNS = ("phase", "start", "end", "periods", "label", "mean", "change", "max")
#: columns of :func:`phase_changes`
CHANGE_COLUMNS = ("recognised", "start", "label", "mean", "change", "opening_events")


def _noise_sd(values: np.ndarray) -> float:
    """σ from the MAD of the first differences; their standard deviation when the MAD cannot tell.

    When a third or more of the differences are exactly zero (a flat series with spikes, as an
    index read from incidents alone is in quiet years) the MAD measures the ties, not the noise.
    """
    diffs = np.diff(values)
    if diffs.size == 0:
        return 0.0
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    sd = mad / (0.6745 * np.sqrt(2.0))
    flat = float(np.mean(np.abs(diffs) < 1e-9)) >= 1 / 3
    return sd if sd > 0 and not flat else float(np.std(diffs) / np.sqrt(2.0))


def detect_phases(
    series: pd.DataFrame,
    *,
    column: str = "tension",
    min_size: int = 6,
    penalty: float | None = None,
    penalty_factor: float = 3.0,
    threshold: float = 5.0,
) -> pd.DataFrame:
    """Segment ``series[column]`` (rows in period order, with a ``period`` column) into labelled phases.

    Parameters
    ----------
    series
        A frame such as :func:`~detente.indicators.tension.tension_frame`'s output.
    min_size
        Shortest phase, in periods.
    penalty
        PELT penalty; default ``penalty_factor · σ² · ln n``.
    threshold
        Change of the phase mean (index points) needed to call a phase a thaw or a freeze.

    Returns
    -------
    pandas.DataFrame
        :data:`PHASE_COLUMNS`: phase number, first and last period, length, label, mean, change of
        the mean from the previous phase, and the phase's maximum.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"period": pd.date_range("2000-01-01", periods=24, freq="MS").date,
    ...                       "tension": [20.0] * 12 + [80.0] * 12})
    >>> detect_phases(frame)[["start", "label"]].astype(str).values.tolist()
    [['2000-01-01', 'thaw'], ['2001-01-01', 'freeze']]
    """
    values = series[column].to_numpy(dtype=float)
    periods = list(series["period"])
    rows: list[dict[str, object]] = []
    for begin, stop in _runs(values):
        phases = _segment(values[begin:stop], min_size, penalty, penalty_factor, threshold)
        for first, last, label, mean, change, top in phases:
            rows.append(
                {
                    "phase": len(rows) + 1,
                    "start": periods[begin + first],
                    "end": periods[begin + last - 1],
                    "periods": int(last - first),
                    "label": label,
                    "mean": round(mean, 2),
                    "change": round(change, 2),
                    "max": round(top, 2),
                }
            )
    return pd.DataFrame(rows, columns=list(PHASE_COLUMNS))


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """(begin, stop) of each run of consecutive periods with a value (NaN periods are gaps)."""
    known = np.concatenate([[False], np.isfinite(values), [False]])
    edges = np.flatnonzero(np.diff(known.astype(int)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _segment(
    values: np.ndarray, min_size: int, penalty: float | None, penalty_factor: float, threshold: float
) -> list[tuple[int, int, str, float, float, float]]:
    """Phases of one gap-free run: (first, stop, label, mean, change, max), the first compared with the run's median."""
    rpt = require("ruptures")

    n = values.size
    pen = penalty if penalty is not None else penalty_factor * max(_noise_sd(values), 1e-9) ** 2 * np.log(max(n, 2))
    if n >= 2 * min_size:
        algo = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1)  # compiled PELT with the l2 cost
        ends = [int(e) for e in algo.fit(values.reshape(-1, 1)).predict(pen=pen)]
    else:
        ends = [n]
    out, begin, previous = [], 0, float(np.median(values))
    for stop in ends:
        seg = values[begin:stop]
        mean = float(seg.mean())
        change = mean - previous
        label = "freeze" if change > threshold else "thaw" if change < -threshold else "stable"
        out.append((begin, stop, label, mean, change, float(seg.max())))
        begin, previous = stop, mean
    return out


def _candidates(source: object, d: Dyad, freq: str, start: date, end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Curated incidents (severity > 0) and the dyad's coded events in a range, for :func:`opening_events`."""
    events = events_of(source)
    stop = period_end(period_floor(end, freq), freq)
    inc = incidents_expr(curated(events, d, start=period_floor(start, freq), end=stop))
    inc = inc.filter(precise_enough(inc, freq) & (inc.severity > 0)).select("date", "severity", "event_ids")
    coded = events.filter(
        d.filter(events), precise_enough(events, freq), events.date.between(start, stop), events.goldstein.notnull()
    )
    coded = coded.select("date", "event_id", strength=coded.goldstein.abs())
    incidents_frame, coded_frame = inc.to_pandas(), coded.to_pandas()
    for frame in (incidents_frame, coded_frame):
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return incidents_frame, coded_frame


def opening_events(
    incidents: pd.DataFrame,
    coded: pd.DataFrame,
    first: date,
    last: date,
    freq: str = "month",
    *,
    limit: int = 5,
) -> list[str]:
    """Ids of the events that open the phase ``first``..``last`` (frames from the phase's dyad).

    The opening period is the phase's first period with any event; its curated incidents come
    first (most severe first), then its coded events with the largest |Goldstein|.
    """
    stop = period_end(period_floor(last, freq), freq)
    inc = incidents[(incidents["date"] >= first) & (incidents["date"] <= stop)]
    cod = coded[(coded["date"] >= first) & (coded["date"] <= stop)]
    days = list(inc["date"]) + list(cod["date"])
    if not days:
        return []
    opening = period_floor(min(days), freq)
    close = period_end(opening, freq)
    ids: list[str] = []
    for row in inc[inc["date"] <= close].sort_values(["severity", "date"], ascending=[False, True]).itertuples():
        ids.extend(i for i in sorted(row.event_ids) if i not in ids)
    ranked = cod[cod["date"] <= close].sort_values(["strength", "date", "event_id"], ascending=[False, True, True])
    ids.extend(i for i in ranked["event_id"] if i not in ids)
    return ids[:limit]


def find_phases(
    source: object,
    dyad: str | Dyad = "PRK-KOR",
    freq: str = "month",
    *,
    start: date | None = None,
    end: date | None = None,
    min_size: int = 6,
    penalty: float | None = None,
    threshold: float = 5.0,
    limit: int = 5,
    index: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Phases of the dyad's tension index, each with the ids of the events that open it.

    ``index`` may pass a precomputed :func:`~detente.indicators.tension.tension_frame` frame.
    """
    d, freq = dyad_of(dyad), parse_freq(freq)
    idx = index if index is not None else tension_frame(source, d, freq, start=start, end=end)
    frame = detect_phases(idx, min_size=min_size, penalty=penalty, threshold=threshold)
    if frame.empty:
        frame["opening_events"] = []
        return frame
    incidents, coded = _candidates(source, d, freq, frame["start"].min(), frame["end"].max())
    frame["opening_events"] = [
        opening_events(incidents, coded, first, last, freq, limit=limit)
        for first, last in zip(frame["start"], frame["end"], strict=True)
    ]
    return frame


def phase_changes(
    source: object,
    dyad: str | Dyad = "PRK-KOR",
    freq: str = "month",
    *,
    min_size: int = 6,
    threshold: float = 5.0,
    limit: int = 5,
) -> pd.DataFrame:
    """Each freeze or thaw in the period it was first recognised, from the data up to that period only.

    For every period *m* with an index, the index as it read at the end of *m*
    (:func:`~.tension.expanding_index`: standardised over the periods up to *m*) is segmented
    (:func:`detect_phases`) and its last phase is the current one. A phase is new in *m* when the
    current phase of *m* begins later than any current phase before it did (a change point appeared;
    a refit that moves the current phase back and forth does not count twice) and is a freeze or a
    thaw. Since a phase is at least ``min_size`` periods long, it is recognised ``min_size − 1``
    periods after its start at the earliest: the price of reading without hindsight.

    Returns :data:`CHANGE_COLUMNS`: ``recognised`` (the period *m*), the phase's ``start``, ``label``,
    ``mean`` and ``change`` as read in *m*, and the ids of its ``opening_events``.
    """
    d, freq = dyad_of(dyad), parse_freq(freq)
    rows: list[dict[str, object]] = []
    latest = None
    for idx in expanding_index(source, d, freq):
        last = detect_phases(idx, min_size=min_size, threshold=threshold).iloc[-1]
        start = pd.Timestamp(last["start"])
        if latest is not None and start > latest and last["label"] in ("freeze", "thaw"):
            rows.append({"recognised": idx["period"].iloc[-1], "start": last["start"], "label": last["label"],
                         "mean": last["mean"], "change": last["change"]})  # fmt: skip
        latest = start if latest is None else max(latest, start)
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS[:-1]))
    if frame.empty:
        return frame.assign(opening_events=[])
    incidents, coded = _candidates(source, d, freq, min(frame["start"]), max(frame["recognised"]))
    frame["opening_events"] = [
        opening_events(incidents, coded, first, last, freq, limit=limit)
        for first, last in zip(frame["start"], frame["recognised"], strict=True)
    ]
    return frame
