"""Dyadic event series: counts by QuadClass, Goldstein sums and means, cooperation and conflict.

One Ibis expression per series (:func:`series_expr`), so the aggregation runs on whatever backend
holds the store; :func:`dyadic_series` adds the calendar (every period, zeros where nothing
happened) and the derived ratios, and returns pandas. Time buckets are ``truncate`` to day, week
(ISO weeks, starting Monday), month or year, which DuckDB, Spark and BigQuery all compile. An event
enters a bucket only if its date is at least as precise as the bucket: a month-precision event is
counted by month and year, never by day or week (see ``docs/methods.md`` and decision 015).

Weighting (``weight``): each event counts ``w = 1 + ln(max(c, 1))`` where ``c`` is its number of
mentions, sources or articles (log damping: one report weighs 1, e ≈ 2.7 reports weigh 2); events
without the count (curated sources) weigh 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from ..dyad import Dyad

__all__ = [
    "FREQS",
    "SERIES_COLUMNS",
    "Weight",
    "as_id_list",
    "cell_events",
    "data_span",
    "dyad_of",
    "dyadic_series",
    "events_of",
    "parse_freq",
    "period_end",
    "period_floor",
    "period_of",
    "period_spine",
    "precise_enough",
    "series_expr",
    "within",
]

#: frequencies, finest first
FREQS = ("day", "week", "month", "year")
_ALIASES = {"d": "day", "w": "week", "m": "month", "y": "year", "a": "year", "ms": "month", "ys": "year"}
_TRUNC = {"week": "W", "month": "M", "year": "Y"}
_PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}
#: coarsest date precision each frequency accepts
_ACCEPTS = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}

Weight = Literal["mentions", "sources", "articles", "none"]
_WEIGHT_COLUMN = {"mentions": "mentions", "sources": "sources_n", "articles": "articles"}

#: columns of :func:`dyadic_series` (plus ``event_ids`` when asked for)
SERIES_COLUMNS = (
    "period",
    "direction",
    "events",
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
    "uncoded",
    "goldstein_sum",
    "goldstein_mean",
    "weight_sum",
    "goldstein_wsum",
    "goldstein_wmean",
    "cooperation",
    "conflict",
    "net_cooperation",
    "conflict_share",
)
_SUMS = (
    "events",
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
    "uncoded",
    "goldstein_sum",
    "weight_sum",
    "goldstein_wsum",
    "cooperation",
    "conflict",
)


def parse_freq(text: str) -> str:
    """``day``/``week``/``month``/``year`` from those words or ``D``/``W``/``M``/``Y``; ValueError otherwise."""
    key = text.strip().lower()
    freq = _ALIASES.get(key, key)
    if freq not in FREQS:
        raise ValueError(f"unknown frequency {text!r}: use day, week, month or year (or D, W, M, Y)")
    return freq


def dyad_of(dyad: str | Dyad) -> Dyad:
    """A :class:`~detente.dyad.Dyad` from ``"PRK>KOR"``/``"PRK-KOR"`` text or an existing one."""
    return dyad if isinstance(dyad, Dyad) else Dyad.parse(dyad)


def events_of(source: object) -> ir.Table:
    """The events table of a :class:`~detente.store.Store` (anything with ``events()``) or a table itself."""
    if isinstance(source, ir.Table):
        return source
    events = getattr(source, "events", None)
    if events is None:
        raise TypeError(f"expected a Store or an Ibis table, got {type(source).__name__}")
    return events()


def period_of(day: ir.DateValue, freq: str) -> ir.DateValue:
    """Start of the period holding ``day`` (weeks start on Monday)."""
    return day if freq == "day" else day.truncate(_TRUNC[freq])


def precise_enough(events: ir.Table, freq: str) -> ir.BooleanValue:
    """Events whose date precision is at least as fine as ``freq`` (null precision counts as day)."""
    return events.date_precision.isnull() | events.date_precision.isin(_ACCEPTS[freq])


def period_floor(day: date, freq: str) -> date:
    """Start of the period holding ``day`` (plain Python, for spines and arguments)."""
    stamp = pd.Timestamp(day)
    if freq == "week":
        stamp -= pd.Timedelta(days=stamp.weekday())
    elif freq == "month":
        stamp = stamp.replace(day=1)
    elif freq == "year":
        stamp = stamp.replace(month=1, day=1)
    return stamp.date()


def period_spine(start: date, end: date, freq: str) -> list[date]:
    """Every period start from the period of ``start`` to the period of ``end``."""
    first, last = period_floor(start, freq), period_floor(end, freq)
    return [d.date() for d in pd.date_range(first, last, freq=_PANDAS_FREQ[freq])]


def within(day: ir.DateValue, precision: ir.StringValue, first: date | None, last: date | None) -> ir.BooleanValue:
    """Dates whose whole period (their day, month or year, by ``precision``; null is day) lies in ``first``…``last``.

    So a month-precision date enters a span only if the span holds the whole month, as it enters
    a series only by month (:func:`precise_enough`): 1968-11 is not listed for 1968-11-01…1968-11-15.
    """
    prec = precision.fill_null("day")
    preds = []
    if first is not None:  # the period starts on or after ``first``: on or after the first period start from it
        starts = {f: period_floor(first - timedelta(days=1), f) for f in ("month", "year")}
        starts = {f: period_end(s, f) + timedelta(days=1) for f, s in starts.items()}
        preds.append(ibis.cases(*((prec == f, day >= s) for f, s in starts.items()), else_=day >= first))
    if last is not None:  # the period ends by ``last``: it starts before the period holding the day after
        after = last + timedelta(days=1)
        preds.append(
            ibis.cases(*((prec == f, day < period_floor(after, f)) for f in ("month", "year")), else_=day <= last)
        )
    return ibis.and_(*preds) if preds else ibis.literal(True)


def data_span(events: ir.Table, actors: Sequence[str]) -> tuple[date | None, date | None]:
    """First and last event date among events with either actor in ``actors``."""
    codes = list(actors)
    t = events.filter(events.actor1_country.isin(codes) | events.actor2_country.isin(codes))
    row = t.aggregate(first=t.date.min(), last=t.date.max()).to_pandas().iloc[0]
    first, last = row["first"], row["last"]
    return (
        None if pd.isna(first) else pd.Timestamp(first).date(),
        None if pd.isna(last) else pd.Timestamp(last).date(),
    )


def _directed(events: ir.Table, dyad: Dyad) -> ir.Table:
    """The dyad's events with a ``direction`` label (``A>B``); both directions for an undirected dyad."""
    t = events.filter(dyad.filter(events))
    forward, backward = f"{dyad.a}>{dyad.b}", f"{dyad.b}>{dyad.a}"
    label = ibis.literal(forward) if dyad.directed else ibis.ifelse(t.actor1_country == dyad.a, forward, backward)
    return t.mutate(direction=label)


def _weight(events: ir.Table, weight: Weight) -> ir.FloatingValue:
    if weight == "none":
        return ibis.literal(1.0)
    count = events[_WEIGHT_COLUMN[weight]].cast("float64")
    return ibis.ifelse(count.isnull() | (count < 1), 1.0, 1.0 + count.ln())


def _scoped(
    events: ir.Table, dyad: Dyad, freq: str, start: date | None, end: date | None, sources: Sequence[str] | None
) -> ir.Table:
    t = _directed(events, dyad)
    preds = [precise_enough(t, freq)]
    if sources:
        preds.append(t.source.isin(list(sources)))
    if start is not None:
        preds.append(t.date >= period_floor(start, freq))
    if end is not None:
        preds.append(t.date <= end)
    return t.filter(*preds)


def series_expr(
    events: ir.Table,
    dyad: str | Dyad,
    freq: str = "month",
    *,
    start: date | None = None,
    end: date | None = None,
    sources: Sequence[str] | None = None,
    weight: Weight = "mentions",
    event_ids: bool = False,
    combined: bool = False,
) -> ir.Table:
    """Ibis expression of the dyad's sums per (direction, period): only periods with events.

    An undirected dyad ``A-B`` gives rows for ``A>B``, ``B>A`` and their sum ``A-B`` (only the sum
    with ``combined=True``). Columns are the additive ones of :data:`SERIES_COLUMNS` (``events`` …
    ``conflict``), plus ``event_ids`` (a list) when asked for; means and shares are derived by
    :func:`dyadic_series`.
    """
    d = dyad_of(dyad)
    freq = parse_freq(freq)
    t = _scoped(events, d, freq, start, end, sources)
    if combined:
        t = t.mutate(direction=ibis.literal(str(d)))
    elif event_ids and not d.directed:  # ids of the sum collected from the events (no arrays of arrays)
        t = t.union(t.mutate(direction=ibis.literal(str(d))))
    g = t.goldstein.cast("float64").round(1)  # the scale has one decimal (older stores held float32)
    t = t.mutate(period=period_of(t.date, freq), _g=g, _w=_weight(t, weight))
    q = t.quad_class

    def count(pred: ir.BooleanValue) -> ir.IntegerValue:  # 0 (not null) when no row matches, int64 everywhere
        return ibis.ifelse(pred, 1, 0).sum().cast("int64")

    def total(value: ir.FloatingValue) -> ir.FloatingValue:  # 0.0 (not null) when every value is null
        return value.sum().fill_null(0.0)

    metrics = {
        "events": t.count().cast("int64"),
        "verbal_cooperation": count(q == 1),
        "material_cooperation": count(q == 2),
        "verbal_conflict": count(q == 3),
        "material_conflict": count(q == 4),
        "uncoded": count(q.isnull()),
        "goldstein_sum": total(t._g),
        "weight_sum": total(ibis.ifelse(t._g.isnull(), 0.0, t._w)),
        "goldstein_wsum": total(t._g * t._w),
        "cooperation": total(ibis.ifelse(t._g > 0, t._g, 0.0)),
        "conflict": total(ibis.ifelse(t._g < 0, -t._g, 0.0)),
    }
    if event_ids:
        metrics["event_ids"] = t.event_id.collect()
    sums = t.group_by(["direction", "period"]).aggregate(**metrics)
    if combined or d.directed or event_ids:
        return sums
    # the sum of both directions from the (small) directed sums, every metric being additive:
    # one scan of the events instead of two
    both = sums.group_by("period").aggregate(**{name: sums[name].sum() for name in metrics})
    return sums.union(both.mutate(direction=ibis.literal(str(d))).select(*sums.columns))


def _directions(d: Dyad) -> list[str]:
    if d.directed:
        return [str(d)]
    return [f"{d.a}>{d.b}", f"{d.b}>{d.a}", str(d)]


def dyadic_series(
    source: object,
    dyad: str | Dyad,
    freq: str = "month",
    *,
    start: date | None = None,
    end: date | None = None,
    sources: Sequence[str] | None = None,
    weight: Weight = "mentions",
    event_ids: bool = False,
) -> pd.DataFrame:
    """The dyad's series for every period from ``start`` to ``end`` (default: the span of the data).

    Parameters
    ----------
    source
        A :class:`~detente.store.Store` or an Ibis events table.
    dyad
        ``"A>B"`` (A acting on B) or ``"A-B"`` (both directions and their sum).
    freq
        ``day``, ``week``, ``month`` or ``year`` (or ``D``/``W``/``M``/``Y``).
    start, end
        Period range; default the first and last event involving either actor.
    sources
        Only these event sources (default all).
    weight
        Count behind the weighted Goldstein columns: ``mentions``, ``sources``, ``articles`` or ``none``.
    event_ids
        Add an ``event_ids`` list column (the events behind each cell).

    Returns
    -------
    pandas.DataFrame
        :data:`SERIES_COLUMNS`, one row per (direction, period), sorted; counts are 0 and means
        NaN in empty periods. ``net_cooperation = cooperation - conflict`` (= the Goldstein sum);
        ``conflict_share`` = (verbal + material conflict) / coded events.

    Examples
    --------
    >>> from detente import Store
    >>> s = dyadic_series(Store(), "PRK-KOR", "year")  # doctest: +SKIP
    >>> s[s.direction == "PRK>KOR"][["period", "events", "conflict_share"]].tail(3)  # doctest: +SKIP
    """
    events = events_of(source)
    d = dyad_of(dyad)
    freq = parse_freq(freq)
    if start is None or end is None:
        first, last = data_span(events, [d.a, d.b])
        start, end = start or first, end or last
    columns = list(SERIES_COLUMNS) + (["event_ids"] if event_ids else [])
    if start is None or end is None:
        return pd.DataFrame(columns=columns)
    sums = series_expr(
        events, d, freq, start=start, end=end, sources=sources, weight=weight, event_ids=event_ids
    ).to_pandas()
    spine = pd.MultiIndex.from_product([_directions(d), period_spine(start, end, freq)], names=["direction", "period"])
    sums["period"] = pd.to_datetime(sums["period"]).dt.date
    frame = sums.set_index(["direction", "period"]).reindex(spine).reset_index()
    for col in _SUMS:
        frame[col] = frame[col].fillna(0)
    for col in (
        "events",
        "verbal_cooperation",
        "material_cooperation",
        "verbal_conflict",
        "material_conflict",
        "uncoded",
    ):
        frame[col] = frame[col].astype("int64")
    if event_ids:
        frame["event_ids"] = [as_id_list(v) for v in frame["event_ids"]]
    coded = frame["events"] - frame["uncoded"]
    frame["goldstein_mean"] = frame["goldstein_sum"] / coded.where(coded > 0)
    frame["goldstein_wmean"] = frame["goldstein_wsum"] / frame["weight_sum"].where(frame["weight_sum"] > 0)
    frame["net_cooperation"] = frame["cooperation"] - frame["conflict"]
    frame["conflict_share"] = (frame["verbal_conflict"] + frame["material_conflict"]) / coded.where(coded > 0)
    return frame[columns].sort_values(["direction", "period"], kind="stable").reset_index(drop=True)


def cell_events(
    source: object,
    dyad: str | Dyad,
    period: date,
    freq: str = "month",
    *,
    sources: Sequence[str] | None = None,
    columns: Sequence[str] = (
        "event_id",
        "source",
        "date",
        "actor1_country",
        "actor2_country",
        "event_code",
        "quad_class",
        "goldstein",
        "category",
        "description",
    ),
) -> pd.DataFrame:
    """The events behind one (dyad, period) cell of :func:`dyadic_series`, with their ``direction``."""
    d, freq = dyad_of(dyad), parse_freq(freq)
    first = period_floor(period, freq)
    last = period_end(first, freq)
    t = _scoped(events_of(source), d, freq, first, None, sources)
    t = t.filter(t.date <= last)
    return t.select("direction", *columns).order_by(["date", "event_id"]).to_pandas()


def period_end(first: date, freq: str) -> date:
    """Last day of the period that starts on ``first``."""
    step = {
        "day": pd.DateOffset(days=1),
        "week": pd.DateOffset(weeks=1),
        "month": pd.DateOffset(months=1),
        "year": pd.DateOffset(years=1),
    }[freq]
    return (pd.Timestamp(first) + step - pd.Timedelta(days=1)).date()


def as_id_list(value: Iterable[object] | float | None) -> list[str]:
    """A list-column cell as a sorted list (empty for a missing cell): aggregates collect ids in no set order."""
    if value is None or isinstance(value, float):
        return []
    return sorted(str(v) for v in value)
