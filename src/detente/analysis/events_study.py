"""Event studies: outcome counts before, during and after a set of events, with a placebo test.

The outcome is a daily count series (:class:`DailyCounts`), by default North Korean provocations:
curated incidents (kb, CNS, CSIS, COW MID) initiated by the DPRK with a severity above 0,
deduplicated across sources (:mod:`detente.indicators.incidents`), day-precision dates only.
Around each anchor (an exercise's start, a summit, a resolution …) three windows are counted:
``pre`` days before the anchor, ``during`` (the anchor's own span, from ``start`` to ``end``, when
given) and ``post`` days after it. The test statistic is the mean over anchors of
(post − pre), or of |post − pre| for a two-sided "shift". Its null distribution comes from
placebo dates: the whole set of anchors is moved by one random offset, circularly inside the
study span (from a year before the first window to a year after the last, within the outcome's
coverage, so placebos stay in the same era), which keeps the number and spacing of the events;
the p-value is
(1 + #placebo statistics at least as extreme) / (1 + n_perm) (Phipson & Smyth 2010). The effect
size is the rate ratio Σpost/Σpre (per day) with a percentile bootstrap interval over anchors.
See ``docs/methods.md`` and decision 018.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from ..indicators.incidents import CURATED_SOURCES, curated, incidents_expr
from ..indicators.series import dyad_of, events_of

__all__ = [
    "OUTCOMES",
    "Alternative",
    "DailyCounts",
    "EventStudy",
    "border_counts",
    "cooperation_counts",
    "event_study",
    "outcome_counts",
    "provocation_counts",
    "window_counts",
]

Alternative = Literal["greater", "less", "two-sided"]


@dataclass(frozen=True)
class DailyCounts:
    """A daily outcome series over its coverage, with the ids behind each day's count."""

    counts: pd.Series  # indexed by every day (datetime.date) from first to last, int
    ids: dict[date, list[str]] = field(default_factory=dict)
    label: str = "outcome"

    @property
    def first(self) -> date:
        """First covered day."""
        return self.counts.index[0]

    @property
    def last(self) -> date:
        """Last covered day."""
        return self.counts.index[-1]

    @classmethod
    def from_dates(
        cls,
        dates: Sequence[date],
        first: date,
        last: date,
        *,
        ids: Sequence[Sequence[str]] | None = None,
        label: str = "outcome",
    ) -> DailyCounts:
        """Counts of ``dates`` on every day from ``first`` to ``last`` (ids per date optional)."""
        days = pd.date_range(first, last).date
        inside = [i for i, d in enumerate(dates) if first <= d <= last]
        kept = pd.Series([dates[i] for i in inside], dtype="object")
        counts = kept.value_counts().reindex(days, fill_value=0).astype("int64")
        id_map: dict[date, list[str]] = {}
        if ids is not None:
            for i in inside:
                id_map.setdefault(dates[i], []).extend(ids[i])
        return cls(counts, id_map, label)


def provocation_counts(
    source: object,
    *,
    initiator: str = "PRK",
    sources: Sequence[str] = CURATED_SOURCES,
    min_severity: float = 0.0,
    elements: Sequence[str] | None = None,
    first: date | None = None,
    last: date | None = None,
) -> DailyCounts:
    """Daily counts of provocation incidents by ``initiator`` (severity > ``min_severity``).

    Coverage runs from the first to the last day-precision curated event of ``sources`` in the
    store unless ``first``/``last`` are given. ``elements`` restricts to military elements (e.g.
    ``["border_incidents", "troop_movements"]``).
    """
    events = events_of(source)
    cur = curated(events, initiators=[initiator], sources=sources)
    inc = incidents_expr(cur)
    inc = inc.filter((inc.date_precision == "day") & (inc.severity > min_severity))
    if elements:
        inc = inc.filter(inc.element.isin(list(elements)))
    frame = inc.select("date", "event_ids").to_pandas()
    dates = [pd.Timestamp(d).date() for d in frame["date"]]
    if first is None or last is None:
        scope = events.filter(events.source.isin(list(sources)), events.date_precision == "day")
        span = scope.aggregate(a=scope.date.min(), b=scope.date.max()).to_pandas().iloc[0]
        first = first or pd.Timestamp(span["a"]).date()
        last = last or pd.Timestamp(span["b"]).date()
    return DailyCounts.from_dates(
        dates, first, last, ids=[list(v) for v in frame["event_ids"]], label=f"{initiator} provocations"
    )


def _span(table: object) -> tuple[date, date]:
    t = table  # an Ibis table with a date column
    row = t.aggregate(a=t.date.min(), b=t.date.max()).to_pandas().iloc[0]  # type: ignore[attr-defined]
    return pd.Timestamp(row["a"]).date(), pd.Timestamp(row["b"]).date()


def cooperation_counts(source: object, dyad: str = "PRK-KOR") -> DailyCounts:
    """Cooperative events (QuadClass 1-2) of the dyad per day (day-precision dates), any source.

    Coverage: the first to the last event of the dyad.
    """
    d = dyad_of(dyad)
    t = events_of(source)
    t = t.filter(d.filter(t))
    first, last = _span(t)
    coop = t.filter(t.quad_class.isin([1, 2]), t.date_precision == "day").select("date", "event_id").to_pandas()
    return DailyCounts.from_dates(
        [pd.Timestamp(x).date() for x in coop["date"]],
        first,
        last,
        ids=[[i] for i in coop["event_id"]],
        label=f"{d} cooperative events",
    )


def border_counts(source: object, dyad: str = "PRK-KOR") -> DailyCounts:
    """Curated border incidents and troop movements of either side of the dyad per day.

    Coverage: the first to the last day-precision curated event in the dyad's scope.
    """
    cur = curated(source, dyad)
    inc = incidents_expr(cur)
    inc = inc.filter(inc.element.isin(["border_incidents", "troop_movements"]), inc.date_precision == "day")
    frame = inc.select("date", "event_ids").to_pandas()
    first, last = _span(cur.filter(cur.date_precision == "day"))
    return DailyCounts.from_dates(
        [pd.Timestamp(x).date() for x in frame["date"]],
        first,
        last,
        ids=[list(v) for v in frame["event_ids"]],
        label=f"{dyad_of(dyad)} border incidents",
    )


#: outcome series by name (CLI ``--outcome``)
OUTCOMES = ("provocations", "cooperation", "border")


def outcome_counts(source: object, name: str, dyad: str = "PRK-KOR") -> DailyCounts:
    """One of :data:`OUTCOMES`: DPRK provocations, the dyad's cooperative events, or its border incidents."""
    if name == "provocations":
        return provocation_counts(source)
    if name == "cooperation":
        return cooperation_counts(source, dyad)
    if name == "border":
        return border_counts(source, dyad)
    raise ValueError(f"unknown outcome {name!r}: use one of {', '.join(OUTCOMES)}")


@dataclass(frozen=True)
class EventStudy:
    """Result of :func:`event_study`."""

    windows: pd.DataFrame  # one row per anchor: windows, counts, coverage, ids
    statistic: float  # observed mean of (compare − pre), or of |compare − pre|
    placebo: np.ndarray  # the statistic under each placebo shift
    p_value: float
    rate_ratio: float  # Σ compare / Σ pre, per day
    ci: tuple[float, float]  # percentile bootstrap interval of the rate ratio
    statistic_ci: tuple[float, float]  # percentile bootstrap interval of the statistic
    n: int  # anchors fully inside the outcome's coverage
    alternative: Alternative
    compare: str  # "post" or "during"
    coverage: tuple[date, date]  # the outcome's coverage
    span: tuple[date, date]  # the study span the placebos are drawn from
    label: str

    def summary(self) -> dict[str, object]:
        """The headline numbers as a flat dict (for tables and JSON)."""
        w = self.windows[self.windows["covered"]]
        return {
            "outcome": self.label,
            "anchors": len(self.windows),
            "covered": self.n,
            "coverage": f"{self.coverage[0]}..{self.coverage[1]}",
            "span": f"{self.span[0]}..{self.span[1]}",
            "compare": self.compare,
            "mean_pre": round(float(w["pre"].mean()), 3) if self.n else None,
            "mean_during": round(float(w["during"].mean()), 3) if self.n else None,
            "mean_post": round(float(w["post"].mean()), 3) if self.n else None,
            "statistic": round(self.statistic, 4),
            "statistic_ci_low": round(self.statistic_ci[0], 4),
            "statistic_ci_high": round(self.statistic_ci[1], 4),
            "rate_ratio": round(self.rate_ratio, 4),
            "ci_low": round(self.ci[0], 4),
            "ci_high": round(self.ci[1], 4),
            "p_value": round(self.p_value, 4),
            "alternative": self.alternative,
            "placebos": int(self.placebo.size),
        }


def window_counts(
    outcome: DailyCounts,
    anchors: pd.DataFrame,
    *,
    pre: int = 56,
    post: int = 56,
    during: bool = True,
    ids: bool = False,
) -> pd.DataFrame:
    """Count the outcome in the pre, during and post windows of each anchor.

    ``anchors`` has ``name``, ``start`` and optionally ``end`` (dates). Windows: pre = the ``pre``
    days before ``start``; during = ``start``..``end`` (if ``during`` and an end is given, else
    empty); post = the ``post`` days from the day after ``end`` (or from ``start`` when there is no
    during window). ``covered`` is False when a window leaves the outcome's coverage.
    """
    cum = np.concatenate([[0], outcome.counts.to_numpy().cumsum()])
    first = outcome.first
    rows = []
    for a in anchors.itertuples(index=False):
        start = a.start
        end = getattr(a, "end", None)
        end = end if during and end is not None and not pd.isna(end) else None
        spans = _spans(start, end, pre, post)
        lo, hi = (spans["pre"][0] - first).days, (spans["post"][1] - first).days
        covered = lo >= 0 and hi < len(outcome.counts)
        row = {"name": a.name, "start": start, "end": end, "covered": covered}
        for key, (s, e) in spans.items():
            row[f"{key}_days"] = (e - s).days + 1 if e >= s else 0
            i, j = max((s - first).days, 0), min((e - first).days + 1, len(outcome.counts))
            row[key] = int(cum[j] - cum[i]) if covered and j > i else (0 if covered else None)
            if ids:
                row[f"{key}_ids"] = (
                    [x for d in pd.date_range(s, e).date for x in outcome.ids.get(d, [])] if covered else []
                )
        rows.append(row)
    return pd.DataFrame(rows)


def _spans(start: date, end: date | None, pre: int, post: int) -> dict[str, tuple[date, date]]:
    after = (end or start - timedelta(days=1)) + timedelta(days=1)
    return {
        "pre": (start - timedelta(days=pre), start - timedelta(days=1)),
        "during": (start, end) if end is not None else (start, start - timedelta(days=1)),
        "post": (after, after + timedelta(days=post - 1)),
    }


def _statistic(compare: np.ndarray, base: np.ndarray, alternative: Alternative) -> float:
    diff = compare.astype(float) - base.astype(float)
    return float(np.mean(np.abs(diff)) if alternative == "two-sided" else np.mean(diff))


def _offsets_counts(cum: np.ndarray, offsets: np.ndarray, length: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Counts in windows [lo, hi) (day offsets) shifted by each offset, circularly over ``length`` days."""
    total = cum[-1]

    def upto(k: np.ndarray) -> np.ndarray:  # counts in days [0, k) for any integer k (circular)
        q, r = np.divmod(k, length)
        return q * total + cum[r]

    starts = lo[None, :] + offsets[:, None]
    ends = hi[None, :] + offsets[:, None]
    return upto(ends) - upto(starts)


def event_study(
    outcome: DailyCounts,
    anchors: pd.DataFrame,
    *,
    pre: int = 56,
    post: int = 56,
    during: bool = True,
    compare: Literal["post", "during"] = "post",
    alternative: Alternative = "greater",
    n_perm: int = 2000,
    n_boot: int = 2000,
    seed: int = 0,
    margin: int = 365,
    ids: bool = False,
) -> EventStudy:
    """Counts around ``anchors`` and a placebo-shift test of ``compare`` against ``pre``.

    Parameters
    ----------
    outcome
        Daily outcome counts (e.g. :func:`provocation_counts`).
    anchors
        ``name``, ``start`` and optionally ``end`` per event.
    pre, post
        Window lengths in days.
    compare
        Window compared with ``pre``: ``post`` (default) or ``during``.
    alternative
        ``greater`` (more after), ``less`` (fewer after) or ``two-sided`` (a shift either way:
        the statistic is the mean |compare − pre|).
    margin
        Days added before the first and after the last window to form the study span in which
        placebo anchors are placed.

    Returns
    -------
    EventStudy

    Examples
    --------
    >>> import pandas as pd
    >>> from datetime import date
    >>> days = pd.date_range("2000-01-01", "2000-12-31").date
    >>> per_day = [2 if d.month in (4, 10) else 1 if d.month in (3, 9) else 0 for d in days]
    >>> out = DailyCounts(pd.Series(per_day, index=days))
    >>> anchors = pd.DataFrame({"name": ["a", "b"], "start": [date(2000, 4, 1), date(2000, 10, 1)]})
    >>> study = event_study(out, anchors, pre=30, post=30, n_perm=200)
    >>> study.rate_ratio, study.statistic
    (2.0, 30.0)
    """
    table = window_counts(outcome, anchors, pre=pre, post=post, during=during, ids=ids)
    covered = table[table["covered"]].reset_index(drop=True)
    n = len(covered)
    cover = (outcome.first, outcome.last)
    if n == 0:
        nan2 = (float("nan"), float("nan"))
        return EventStudy(
            table,
            float("nan"),
            np.array([]),
            float("nan"),
            float("nan"),
            nan2,
            nan2,
            0,
            alternative,
            compare,
            cover,
            cover,
            outcome.label,
        )
    base, comp = covered["pre"].to_numpy(), covered[compare].to_numpy()
    stat = _statistic(comp, base, alternative)
    rng = np.random.default_rng(seed)
    study = _study_span(outcome, covered, pre, margin)
    placebo = _placebo(study, covered, compare, alternative, pre, n_perm, rng)
    extreme = placebo <= stat if alternative == "less" else placebo >= stat
    p = (1 + int(extreme.sum())) / (1 + placebo.size)
    days_c = covered[f"{compare}_days"].to_numpy()
    days_b = covered["pre_days"].to_numpy()
    rr = _rate_ratio(comp, base, days_c, days_b)
    boot = rng.integers(0, n, size=(n_boot, n))
    ratios = np.array([_rate_ratio(comp[b], base[b], days_c[b], days_b[b]) for b in boot])
    ci = (float(np.nanpercentile(ratios, 2.5)), float(np.nanpercentile(ratios, 97.5)))
    stats_b = np.array([_statistic(comp[b], base[b], alternative) for b in boot])
    stat_ci = (float(np.percentile(stats_b, 2.5)), float(np.percentile(stats_b, 97.5)))
    return EventStudy(
        table,
        stat,
        placebo,
        p,
        rr,
        ci,
        stat_ci,
        n,
        alternative,
        compare,
        cover,
        (study.first, study.last),
        outcome.label,
    )


def _study_span(outcome: DailyCounts, covered: pd.DataFrame, pre: int, margin: int) -> DailyCounts:
    """The outcome cut to a ``margin`` around the covered windows (placebos stay in that era)."""
    lo = min(covered["start"]) - timedelta(days=pre + margin)
    ends = [
        s + timedelta(days=int(d + p))
        for s, d, p in zip(covered["start"], covered["during_days"], covered["post_days"], strict=True)
    ]
    hi = max(ends) + timedelta(days=margin)
    counts = outcome.counts[(outcome.counts.index >= lo) & (outcome.counts.index <= hi)]
    return DailyCounts(counts, outcome.ids, outcome.label)


def _rate_ratio(comp: np.ndarray, base: np.ndarray, days_c: np.ndarray, days_b: np.ndarray) -> float:
    """Σcompare/Σdays over Σpre/Σdays, with ½ added to both counts when the base is 0."""
    c, b = float(comp.sum()), float(base.sum())
    if b == 0:
        c, b = c + 0.5, b + 0.5
    dc, db = float(days_c.sum()), float(days_b.sum())
    return (c / dc) / (b / db) if dc > 0 and db > 0 else float("nan")


def _placebo(
    outcome: DailyCounts,  # the study span
    covered: pd.DataFrame,
    compare: str,
    alternative: Alternative,
    pre: int,
    n_perm: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """The statistic with every anchor moved by one common random offset (circular over the coverage)."""
    length = len(outcome.counts)
    cum = np.concatenate([[0], outcome.counts.to_numpy().cumsum()])
    first = outcome.first
    start = np.array([(s - first).days for s in covered["start"]])
    pre_lo, pre_hi = start - pre, start
    c_days = covered[f"{compare}_days"].to_numpy()
    c_lo = start if compare == "during" else start + covered["during_days"].to_numpy()
    c_hi = c_lo + c_days
    reach = int(max(c_hi.max() - pre_lo.min(), 1))
    if length <= 2 * reach:
        offsets = rng.integers(1, max(length, 2), size=n_perm)
    else:
        offsets = rng.integers(reach, length - reach, size=n_perm)
    base = _offsets_counts(cum, offsets, length, pre_lo, pre_hi)
    comp = _offsets_counts(cum, offsets, length, c_lo, c_hi)
    diff = comp.astype(float) - base.astype(float)
    return np.mean(np.abs(diff), axis=1) if alternative == "two-sided" else np.mean(diff, axis=1)
