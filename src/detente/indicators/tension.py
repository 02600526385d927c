"""The tension index (0-100) of a dyad, with its components always beside it.

For each period *t* six components are measured (decision 016, ``docs/methods.md``):

=====================  ==========================================================  ========
component              raw value x                                                 weight w
=====================  ==========================================================  ========
``material_conflict``  ln(1 + QuadClass-4 events of the dyad)                          +0.20
``verbal_conflict``    ln(1 + QuadClass-3 events of the dyad)                          +0.10
``hostility``          − weighted mean Goldstein of the dyad's events (0 if none)      +0.10
``cooperation``        ln(1 + Σ positive Goldstein of the dyad's events)               −0.15
``severity``           ln(1 + Σ severity of the curated incidents, :mod:`.incidents`)  +0.40
``drills``             ln(1 + weighted exercise days, :mod:`.military`)                +0.05
=====================  ==========================================================  ========

A component is measured only in the periods its sources cover (:mod:`.coverage`, decision 057):
elsewhere it is missing (NaN), not average. Each is standardised over the covered baseline periods
(default: all), z = (x − mean) / sd (0 when the sd is 0), clipped to ±3 so that a rare component (a
month of drills) cannot dominate, and combined into S = Σ w·z / Σ|w| over the covered components
(Σ|w| = 1, so S is the plain sum when all are covered); a period with no covered component has no
score and no index. The index is the logistic transform ``100 / (1 + exp(-k·S))`` with ``k = 1.5``:
non-decreasing in every conflict component and non-increasing in cooperation (strictly, inside the
clip), 50 when every component is at its baseline mean. The scan of the events — the raw
components per period — is one Ibis expression (:func:`components_expr`; the calendar is a
memtable), so it runs on any Ibis backend; the standardisation over the few hundred periods is
pandas (:func:`standardise`, decision 016).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from ..dyad import Dyad
from .coverage import covered_components, reading
from .incidents import curated, incidents_expr
from .military import exercise_days, exercise_table_applies
from .series import (
    Weight,
    as_id_list,
    data_span,
    dyad_of,
    events_of,
    parse_freq,
    period_floor,
    period_of,
    period_spine,
    precise_enough,
    series_expr,
    within,
)

__all__ = [
    "COMPONENTS",
    "INDEX_COLUMNS",
    "Z_CAP",
    "TensionWeights",
    "components_expr",
    "expanding_index",
    "index_counts",
    "index_events",
    "index_rows",
    "standardise",
    "tension_frame",
    "tension_index",
]

#: standardised components are clipped to ±Z_CAP so that no rare component dominates the score
Z_CAP = 3.0
#: the index's components, in order
COMPONENTS = ("material_conflict", "verbal_conflict", "hostility", "cooperation", "severity", "drills")
#: columns of :func:`tension_index` (plus ``event_ids`` when asked for)
INDEX_COLUMNS = (
    "period",
    "tension",
    "score",
    *COMPONENTS,
    *(f"z_{c}" for c in COMPONENTS),
    "events",
    "incidents",
    "drill_days",
    "sources_active",
    "components_covered",
    "reading",
)


@dataclass(frozen=True)
class TensionWeights:
    """Weights of the standardised components and the logistic slope ``k`` (decision 016)."""

    material_conflict: float = 0.20
    verbal_conflict: float = 0.10
    hostility: float = 0.10
    cooperation: float = -0.15
    severity: float = 0.40
    drills: float = 0.05
    k: float = 1.5

    def component_weights(self) -> dict[str, float]:
        """Component name → weight."""
        return {c: w for c, w in asdict(self).items() if c != "k"}


def _dyadic(
    events: ir.Table, d: Dyad, freq: str, start: date, end: date, sources: Sequence[str] | None, weight: Weight
) -> ir.Table:
    return series_expr(events, d, freq, start=start, end=end, sources=sources, weight=weight, combined=True).drop(
        "direction"
    )


def _curated_sums(incidents: ir.Table, freq: str) -> ir.Table:
    """Per period: Σ severity and number of incidents with a severity, and drills not in the exercise table."""
    inc = incidents.filter(precise_enough(incidents, freq))
    inc = inc.mutate(period=period_of(inc.date, freq))
    return inc.group_by("period").aggregate(
        severity_sum=ibis.ifelse(inc.severity > 0, inc.severity, 0.0).sum(),
        incidents=(inc.severity > 0).cast("int64").sum(),
        drill_incidents=(inc.element == "drills").cast("float64").sum(),
    )


def _sources_active(events: ir.Table, d: Dyad, freq: str, start: date, end: date) -> ir.Table:
    """Per period, how many sources have any event involving either actor (a coverage signal)."""
    t = events.filter(
        events.actor1_country.isin([d.a, d.b]) | events.actor2_country.isin([d.a, d.b]),
        precise_enough(events, freq),
        events.date.between(period_floor(start, freq), end),
    )
    t = t.mutate(period=period_of(t.date, freq))
    return t.group_by("period").aggregate(sources_active=t.source.nunique())


def _table_drill_days(d: Dyad, freq: str, start: date, end: date) -> pd.DataFrame:
    """Weighted exercise-table days per period (max weight per day), when the table applies."""
    none = pd.DataFrame({"period": pd.Series([], dtype="object"), "table_days": pd.Series([], dtype=float)})
    if not exercise_table_applies(d):
        return none
    days = exercise_days()
    if freq in ("day", "week"):
        days = days[days["precision"] == "day"]
    days = days[(days["weight"] > 0) & (days["day"] >= period_floor(start, freq)) & (days["day"] <= end)]
    if days.empty:  # e.g. an end before the table's first exercise (2008-03)
        return none
    per_day = days.groupby("day", as_index=False)["weight"].max()
    per_day["period"] = [period_floor(x, freq) for x in per_day["day"]]
    return per_day.groupby("period", as_index=False)["weight"].sum().rename(columns={"weight": "table_days"})


def _incidents(events: ir.Table, d: Dyad, start: date | None, end: date | None) -> ir.Table:
    """The curated incidents the index counts: the dyad's (:func:`.incidents.curated`), drills of the table aside."""
    classified = curated(events, d, start=start, end=end)
    if exercise_table_applies(d):  # the table holds the curated timeline's exercises, with their spans
        classified = classified.filter(~((classified.source == "kb") & (classified.element == "drills")))
    return incidents_expr(classified)


def components_expr(
    events: ir.Table,
    dyad: str | Dyad,
    freq: str,
    start: date,
    end: date,
    *,
    sources: Sequence[str] | None = None,
    weight: Weight = "mentions",
) -> ir.Table:
    """Ibis expression of the raw components for every period from ``start`` to ``end``.

    This is the part that scans the events (the dyad's aggregates, the curated incidents, the
    drills), written once in Ibis; :func:`standardise` turns its rows into the index.
    """
    d, freq = dyad_of(dyad), parse_freq(freq)
    spine = ibis.memtable(pd.DataFrame({"period": period_spine(start, end, freq)}), schema={"period": "date"})
    dy = _dyadic(events, d, freq, start, end, sources, weight)
    cur = _curated_sums(_incidents(events, d, period_floor(start, freq), end), freq)
    table = ibis.memtable(_table_drill_days(d, freq, start, end), schema={"period": "date", "table_days": "float64"})
    act = _sources_active(events, d, freq, start, end)
    t = spine.left_join(dy, spine.period == dy.period).drop("period_right")
    t = t.left_join(cur, t.period == cur.period).drop("period_right")
    t = t.left_join(table, t.period == table.period).drop("period_right")
    t = t.left_join(act, t.period == act.period).drop("period_right")
    t = t.mutate(drill_days=t.drill_incidents.fill_null(0.0) + t.table_days.fill_null(0.0))
    zero = ibis.literal(0)
    return t.select(
        "period",
        material_conflict=(t.material_conflict.fill_null(zero).cast("float64") + 1).ln(),
        verbal_conflict=(t.verbal_conflict.fill_null(zero).cast("float64") + 1).ln(),
        hostility=ibis.ifelse(
            t.weight_sum.fill_null(0.0) > 0, -(t.goldstein_wsum / t.weight_sum), ibis.null("float64")
        ),
        cooperation=(t.cooperation.fill_null(0.0) + 1).ln(),
        severity=(t.severity_sum.fill_null(0.0) + 1).ln(),
        drills=(t.drill_days.fill_null(0.0) + 1).ln(),
        events=t.events.fill_null(zero).cast("int64"),
        incidents=t.incidents.fill_null(zero).cast("int64"),
        drill_days=t.drill_days.fill_null(0.0),
        sources_active=t.sources_active.fill_null(zero).cast("int64"),
    ).order_by("period")


def standardise(
    components: pd.DataFrame,
    weights: TensionWeights | None = None,
    baseline: tuple[date, date] | None = None,
    covered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Z-scores (over the covered baseline periods, clipped to ±Z_CAP), the score S and the index.

    A few hundred or thousand rows per dyad, so plain pandas (the scan of the events is Ibis).
    ``covered`` (from :func:`~detente.indicators.coverage.covered_components`, default: everything
    covered) says which components are measured in each period: the others are missing (NaN, raw
    and z), S is the weighted mean of the covered z-scores scaled to Σ|w| (the same S when all are
    covered), and a period with no covered component has no index. A covered period without coded
    events gets the baseline's mean hostility (z = 0) and 0 as raw value.
    """
    w = weights or TensionWeights()
    frame = components.copy()
    mask = (
        pd.DataFrame(True, index=frame.index, columns=list(COMPONENTS))
        if covered is None
        else covered[list(COMPONENTS)].reset_index(drop=True).set_axis(frame.index).astype(bool)
    )
    periods = pd.to_datetime(frame["period"])
    in_base = (
        pd.Series(True, index=frame.index)
        if baseline is None
        else periods.between(pd.Timestamp(baseline[0]), pd.Timestamp(baseline[1]))
    )
    for c in COMPONENTS:
        values = frame[c].astype(float).where(mask[c])
        ref = values[in_base]
        mean, sd = ref.mean(), ref.std(ddof=0)
        if c == "hostility":
            values = values.where(~mask[c] | values.notna(), mean)
        ok = np.isfinite(sd) and sd > 1e-9 * max(1.0, abs(mean))  # constant up to rounding: no spread
        frame[f"z_{c}"] = ((values - mean) / sd).clip(-Z_CAP, Z_CAP) if ok else 0.0
        frame[f"z_{c}"] = frame[f"z_{c}"].where(mask[c])
        frame[c] = frame[c].astype(float).where(mask[c])
    frame["hostility"] = frame["hostility"].where(~mask["hostility"] | frame["hostility"].notna(), 0.0)
    cw = w.component_weights()
    total = sum(abs(x) for x in cw.values())
    covered_weight = sum(mask[c] * abs(x) for c, x in cw.items())
    weighted = sum(frame[f"z_{c}"].fillna(0.0) * x for c, x in cw.items())
    frame["score"] = (weighted * total / covered_weight.where(covered_weight > 0)).astype(float)
    frame["tension"] = 100.0 / (1.0 + np.exp(-w.k * frame["score"]))
    flags = mask.to_dict("records")
    frame["components_covered"] = [",".join(c for c in COMPONENTS if f[c]) for f in flags]
    frame["reading"] = [reading(f) for f in flags]
    return frame[list(INDEX_COLUMNS)]


def tension_frame(
    source: object,
    dyad: str | Dyad = "PRK-KOR",
    freq: str = "month",
    *,
    start: date | None = None,
    end: date | None = None,
    weights: TensionWeights | None = None,
    sources: Sequence[str] | None = None,
    weight: Weight = "mentions",
    baseline: tuple[date, date] | None = None,
    event_ids: bool = False,
) -> pd.DataFrame:
    """The tension index of ``dyad`` per period with every component (raw and standardised).

    Parameters
    ----------
    source
        A :class:`~detente.store.Store` or an Ibis events table.
    dyad
        ``"A-B"`` (both directions) or ``"A>B"`` (A's behaviour towards B).
    freq
        ``day``, ``week``, ``month`` or ``year``.
    start, end
        Periods returned; default the first and last event involving either actor. The index is
        always computed (and standardised) over the whole data span, so a period's value does not
        depend on the range asked for.
    weights
        Component weights and slope; default :class:`TensionWeights`.
    sources
        Event sources for the dyadic components (default all; incidents always use the curated sources).
    baseline
        Periods (first, last) whose mean and sd standardise the components; default all periods
        of the data span.
    event_ids
        Add ``event_ids``: the dyad's events and the incidents' events behind each period, plus
        ``exercise:`` ids of the exercise table.

    Returns
    -------
    pandas.DataFrame
        :data:`INDEX_COLUMNS`: ``index`` (0-100), ``score`` (S), the six raw components, their
        z-scores, ``events`` (dyadic events), ``incidents`` (curated incidents with a severity),
        ``drill_days`` (weighted exercise days), ``sources_active`` (sources with any event of
        either actor in the period), ``components_covered`` (the measured components, comma-separated;
        empty when none) and ``reading`` (``full``, ``incidents-only``, ``events-only``,
        ``drills-only``; missing with the index when nothing covers the period).

    Examples
    --------
    >>> from detente import Store
    >>> idx = tension_index(Store(), "PRK-KOR", "month")  # doctest: +SKIP
    >>> idx.set_index("period").loc[:, ["tension", "severity", "cooperation"]].tail()  # doctest: +SKIP
    """
    events = events_of(source)
    d, freq = dyad_of(dyad), parse_freq(freq)
    first, last = data_span(events, [d.a, d.b])
    start, end = start or first, end or last
    if start is None or end is None:
        return pd.DataFrame(columns=list(INDEX_COLUMNS))
    first, last = first or start, last or end
    # standardise over the whole data span, whatever rows are asked for, so that a period's index
    # does not depend on the rows displayed (``baseline`` narrows the reference periods)
    raw, covered = _raw(events, d, freq, min(start, first), max(end, last), sources, weight)
    frame = standardise(raw, weights, baseline, covered)
    frame = frame[(frame["period"] >= period_floor(start, freq)) & (frame["period"] <= end)].reset_index(drop=True)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    if event_ids:
        ids = index_events(events, d, freq, start, end, sources=sources)
        frame["event_ids"] = [ids.get(p, []) for p in frame["period"]]
    return frame


def tension_index(source: object, dyad: str | Dyad = "PRK-KOR", freq: str = "month", **options: Any) -> pd.DataFrame:
    """:func:`tension_frame` for pandas users: ``period`` as ``datetime64`` timestamps (decision 098).

    The package itself calls :func:`tension_frame`, whose periods are ``datetime.date`` like every
    other date in the store. Options are those of :func:`tension_frame`.

    >>> from detente import Store
    >>> ti = tension_index(Store(), "PRK-KOR")  # doctest: +SKIP
    >>> ti.set_index("period")["tension"].resample("YS").mean().tail()  # doctest: +SKIP
    """
    frame = tension_frame(source, dyad, freq, **options)
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def _raw(
    events: ir.Table, d: Dyad, freq: str, start: date, end: date, sources: Sequence[str] | None, weight: Weight
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw components per period (one scan) and which of them the sources cover."""
    raw = components_expr(events, d, freq, start, end, sources=sources, weight=weight).to_pandas()
    raw["period"] = pd.to_datetime(raw["period"]).dt.date
    return raw, covered_components(events, d, freq, list(raw["period"]), sources)


def expanding_index(
    source: object, dyad: str | Dyad = "PRK-KOR", freq: str = "month", *, weights: TensionWeights | None = None
) -> Iterator[pd.DataFrame]:
    """The index as it read at the end of each period: for period *m*, standardised over the periods up to *m*.

    Yields, for each period *m* with an index, a frame of ``period`` and ``tension`` for the periods
    up to *m*, computed as :func:`standardise` computes them but with the means and SDs of those
    periods only, so nothing after *m* moves a value (:func:`tension_index` standardises over every
    period). The raw components are scanned once; which components a source covers is read from all
    the data. The last frame equals :func:`tension_index`'s values.
    """
    events = events_of(source)
    d, freq = dyad_of(dyad), parse_freq(freq)
    first, last = data_span(events, [d.a, d.b])
    if first is None or last is None:
        return
    raw, covered = _raw(events, d, freq, first, last, None, "mentions")
    w = weights or TensionWeights()
    cw = w.component_weights()
    mask = covered[list(COMPONENTS)].to_numpy(dtype=bool)
    x = raw[list(COMPONENTS)].to_numpy(dtype=float)
    x[~mask] = np.nan
    seen = ~np.isnan(x)
    n, s1, s2 = (np.cumsum(a, axis=0) for a in (seen, np.where(seen, x, 0.0), np.where(seen, x * x, 0.0)))
    coef = np.array([cw[c] for c in COMPONENTS])
    total = float(np.abs(coef).sum())
    hostile = COMPONENTS.index("hostility")
    periods = raw["period"].to_numpy()
    for m in np.flatnonzero(mask.any(axis=1)):
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = s1[m] / n[m]
            sd = np.sqrt(np.maximum(s2[m] / n[m] - mean * mean, 0.0))
            ok = np.isfinite(sd) & (sd > 1e-9 * np.maximum(1.0, np.abs(mean)))
            z = np.clip((x[: m + 1] - mean) / np.where(ok, sd, 1.0), -Z_CAP, Z_CAP)
        z = np.where(ok, z, 0.0)
        z[:, hostile] = np.where(np.isnan(x[: m + 1, hostile]), 0.0, z[:, hostile])  # no coded event: the mean
        z = np.where(mask[: m + 1], z, 0.0)
        weight = (mask[: m + 1] * np.abs(coef)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = (z * coef).sum(axis=1) * total / np.where(weight > 0, weight, np.nan)
        yield pd.DataFrame({"period": periods[: m + 1], "tension": 100.0 / (1.0 + np.exp(-w.k * score))})


def index_events(
    source: object,
    dyad: str | Dyad,
    freq: str,
    start: date,
    end: date,
    *,
    sources: Sequence[str] | None = None,
) -> dict[date, list[str]]:
    """Period → every id behind the index: dyadic events, incident events and exercise-table ids."""
    events = events_of(source)
    d, freq = dyad_of(dyad), parse_freq(freq)
    out: dict[date, list[str]] = {}
    sums = series_expr(events, d, freq, start=start, end=end, sources=sources, event_ids=True, combined=True)
    for row in sums.select("period", "event_ids").to_pyarrow().to_pylist():
        out.setdefault(row["period"], []).extend(as_id_list(row["event_ids"]))
    inc = _incidents(events, d, period_floor(start, freq), end)
    inc = inc.filter(precise_enough(inc, freq))
    inc = inc.mutate(period=period_of(inc.date, freq))
    for row in inc.select("period", "event_ids").to_pyarrow().to_pylist():
        out.setdefault(row["period"], []).extend(as_id_list(row["event_ids"]))
    if exercise_table_applies(d):
        days = exercise_days()
        days = days[(days["day"] >= period_floor(start, freq)) & (days["day"] <= end)]
        for p, group in days.groupby([period_floor(x, freq) for x in days["day"]]):
            out.setdefault(p, []).extend(sorted(set(group["exercise_id"])))
    return {p: sorted(set(v)) for p, v in out.items()}


def index_counts(source: object, dyad: str | Dyad, start: date | None = None, end: date | None = None) -> ir.Table:
    """Every counting of a stored event by the dyad's index from ``start`` to ``end``: ``event_id``, ``counted_on``.

    The same events as :func:`index_events` (decision 078): the dyad's own events, counted on their
    date, and the events of the curated incidents of either side (a missile test has no target),
    counted on their incident's first day, so an incident of 30 October–3 November is counted in
    October. An event counted twice (its own row and its incident) has two rows. A counting enters
    the span when :func:`~.series.within` puts its day there (``counted_precision``: day, month or
    year). The exercise table's days behind the index are not stored events and are not here.
    """
    events = events_of(source)
    d = dyad_of(dyad)
    own = events.filter(d.filter(events)).select(
        "event_id", counted_on=events.date, counted_precision=events.date_precision.fill_null("day")
    )
    inc = _incidents(events, d, None, None)
    inc = inc.select(counted_on=inc.date, counted_precision=inc.date_precision, event_id=inc.event_ids.unnest())
    counted = own.union(inc.select("event_id", "counted_on", "counted_precision"))
    return counted.filter(within(counted.counted_on, counted.counted_precision, start, end))


def index_rows(source: object, dyad: str | Dyad, start: date | None = None, end: date | None = None) -> ir.Table:
    """The stored events behind the dyad's index from ``start`` to ``end`` (:func:`index_counts`), once each.

    Each with ``counted_on`` and ``counted_precision``: its finest counting in the span, the earliest
    of those.
    """
    counted = index_counts(source, dyad, start, end)
    key = counted.counted_precision + "|" + counted.counted_on.cast("string")  # day < month < year
    first = counted.group_by("event_id").aggregate(
        counted_on=counted.counted_on.argmin(key), counted_precision=counted.counted_precision.argmin(key)
    )
    return events_of(source).inner_join(first, "event_id")
