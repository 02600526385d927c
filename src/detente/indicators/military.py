"""The four military-tension elements as separate series, each with the events behind it.

- **drills** — frequency and scope of military exercises: exercise days, named major exercises
  under way, scaled-down days and suspensions, from the knowledge base's US–ROK exercise table
  (``detente.kb.tables.exercises``) for the dyads it concerns, plus drills in the store (e.g. North
  Korean air drills listed by CSIS);
- **troop_movements** — cross-border movements and infiltrations (infiltration, incursions,
  encroachments, border violations, drones across the line);
- **border_incidents** — incidents along the DMZ and the NLL: exchanges of fire, naval clashes,
  artillery, armed clashes, balloons and loudspeakers;
- **capabilities** — new military capabilities: missile launches by class, nuclear tests,
  satellite launches.

Store events are classified and deduplicated by :mod:`.incidents`; launches are counted per class
(one incident per class and launch day), everything else per incident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import ibis.expr.types as ir
import pandas as pd

from ..dyad import Dyad
from ..kb import tables
from .incidents import MISSILE_CLASSES, curated, incidents_expr
from .series import (
    as_id_list,
    data_span,
    dyad_of,
    events_of,
    parse_freq,
    period_end,
    period_floor,
    period_of,
    period_spine,
    precise_enough,
)

__all__ = [
    "MILITARY_COLUMNS",
    "exercise_days",
    "exercise_table_applies",
    "military_elements",
    "military_events",
]

#: days counted for an exercise by status (suspended, cancelled and postponed exercises count none)
STATUS_WEIGHT = {"held": 1.0, "scaled_down": 0.5}
_STOPPED = ("suspended", "cancelled", "postponed")
_LAUNCH_COLUMNS = tuple(f"launches_{c}" for c in MISSILE_CLASSES)
#: columns of :func:`military_elements` (plus ``*_ids`` list columns when asked for)
MILITARY_COLUMNS = (
    "period",
    "drill_days",
    "drill_days_weighted",
    "drill_days_scaled_down",
    "named_exercises",
    "suspensions",
    "drill_incidents",
    "troop_movements",
    "troop_movements_lethal",
    "border_incidents",
    "border_lethal",
    "border_naval",
    "border_artillery",
    "border_propaganda",
    *_LAUNCH_COLUMNS,
    "nuclear_tests",
    "satellite_launches",
)
_ID_COLUMNS = ("drills_ids", "troop_movements_ids", "border_incidents_ids", "capabilities_ids")


def exercise_table_applies(dyad: Dyad) -> bool:
    """The US–ROK exercise table concerns PRK–KOR and PRK–USA, and KOR>PRK / USA>PRK when directed."""
    if dyad.directed:
        return dyad.a in ("KOR", "USA") and dyad.b == "PRK"
    return {dyad.a, dyad.b} in ({"PRK", "KOR"}, {"PRK", "USA"})


def _exercise_id(year: int, name: str) -> str:
    return f"exercise:{year}:{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"


def exercise_days() -> pd.DataFrame:
    """The exercise table as one row per exercise day: ``day``, ``exercise_id``, ``name``, ``status``, ``weight``.

    An exercise with a day-precision start and an end covers every day from start to end; one with
    only a start (or a month-precision start) counts its first day only (``span`` = ``start only``).
    ``weight`` is 1 for a held exercise and 0.5 for a scaled-down one.
    Suspended, cancelled and postponed exercises have no days; they appear with ``weight`` 0 on their
    date (the announcement) so suspensions can be counted.
    """
    rows: list[dict[str, object]] = []
    for r in tables.exercises().to_pylist():
        ident = _exercise_id(r["year"], r["name"])
        weight = STATUS_WEIGHT.get(r["status"], 0.0)
        start, end = r["start"], r["end"]
        if r["start_precision"] == "year":
            continue  # a year-only date has no day to put an exercise on
        full = r["start_precision"] == "day" and end is not None and weight > 0
        days = pd.date_range(start, end).date if full else [start]
        span = "start to end" if full else "start only"
        rows.extend(
            {
                "day": d,
                "exercise_id": ident,
                "name": r["name"],
                "status": r["status"],
                "weight": weight,
                "precision": r["start_precision"],
                "span": span,
            }
            for d in days
        )
    return pd.DataFrame(rows)


def _drill_table(freq: str, start: date, end: date) -> pd.DataFrame:
    """Per period: days under a held (or scaled-down) exercise, named exercises, suspensions, ids."""
    days = exercise_days()
    if freq in ("day", "week"):
        days = days[days["precision"] == "day"]
    days = days[(days["day"] >= period_floor(start, freq)) & (days["day"] <= end)].copy()
    days["period"] = [period_floor(d, freq) for d in days["day"]]
    held = days[days["weight"] > 0]
    per_day = held.groupby(["period", "day"])["weight"].max().reset_index()
    return pd.DataFrame(
        {
            "drill_days": per_day.groupby("period")["day"].count(),
            "drill_days_weighted": per_day.groupby("period")["weight"].sum(),
            "drill_days_scaled_down": per_day[per_day["weight"] < 1].groupby("period")["day"].count(),
            "named_exercises": held.groupby("period")["exercise_id"].nunique(),
            "suspensions": days[days["status"].isin(_STOPPED)].groupby("period")["exercise_id"].nunique(),
            "exercise_ids": days.groupby("period")["exercise_id"].agg(lambda s: sorted(set(s))),
        }
    )


def military_elements(
    source: object,
    dyad: str | Dyad = "PRK-KOR",
    freq: str = "month",
    *,
    start: date | None = None,
    end: date | None = None,
    event_ids: bool = True,
) -> pd.DataFrame:
    """The four elements for every period (default span: the data of either actor).

    Parameters
    ----------
    source
        A :class:`~detente.store.Store` or an Ibis events table.
    dyad
        Whose incidents (see :func:`detente.indicators.incidents.scope`); the exercise table joins
        when :func:`exercise_table_applies`.
    freq
        ``day``, ``week``, ``month`` or ``year``.
    event_ids
        Add ``drills_ids``, ``troop_movements_ids``, ``border_incidents_ids`` and
        ``capabilities_ids``: every event id (and ``exercise:`` table id) behind each element.

    Returns
    -------
    pandas.DataFrame
        :data:`MILITARY_COLUMNS` (+ id lists), one row per period.
    """
    events = events_of(source)
    d, freq = dyad_of(dyad), parse_freq(freq)
    if start is None or end is None:
        first, last = data_span(events, [d.a, d.b])
        start, end = start or first, end or last
    if start is None or end is None:
        return pd.DataFrame(columns=list(MILITARY_COLUMNS))
    with_table = exercise_table_applies(d)
    classified = curated(events, d, start=period_floor(start, freq), end=end)
    if with_table:  # the table already holds the curated timeline's exercises, with their dates
        classified = classified.filter(~((classified.source == "kb") & (classified.element == "drills")))
    by_family = incidents_expr(classified, "family")
    by_kind = incidents_expr(classified.filter(classified.element == "capabilities"), "kind")
    counts = _counts(by_family, by_kind, freq)
    frame = pd.DataFrame({"period": period_spine(start, end, freq)}).merge(counts, on="period", how="left")
    if with_table:
        frame = frame.merge(_drill_table(freq, start, end), left_on="period", right_index=True, how="left")
    for col in MILITARY_COLUMNS[1:]:
        if col not in frame:
            frame[col] = 0
        frame[col] = frame[col].fillna(0)
        if col != "drill_days_weighted":
            frame[col] = frame[col].astype("int64")
    frame["drill_days_weighted"] = frame["drill_days_weighted"].astype(float)
    if not event_ids:
        return frame[list(MILITARY_COLUMNS)]
    table_ids = frame["exercise_ids"] if "exercise_ids" in frame else pd.Series([[]] * len(frame))
    pairs = zip(frame["drills_ids"], table_ids, strict=True)
    frame["drills_ids"] = [sorted(as_id_list(a) + as_id_list(b)) for a, b in pairs]
    for col in _ID_COLUMNS[1:]:
        frame[col] = [as_id_list(v) for v in frame[col]]
    return frame[list(MILITARY_COLUMNS) + list(_ID_COLUMNS)]


def _counts(by_family: ir.Table, by_kind: ir.Table, freq: str) -> pd.DataFrame:
    fam = by_family.filter(precise_enough(by_family, freq))
    fam = fam.mutate(period=period_of(fam.date, freq))
    el, kind = fam.element, fam.kind

    def n(pred: ir.BooleanValue) -> ir.IntegerValue:
        return pred.cast("int64").sum()

    def ids(name: str) -> ir.ArrayValue:
        return fam.event_ids.collect(where=el == name)

    elements = (
        fam.group_by("period")
        .aggregate(
            drill_incidents=n(el == "drills"),
            troop_movements=n(el == "troop_movements"),
            troop_movements_lethal=n((el == "troop_movements") & fam.lethal),
            border_incidents=n(el == "border_incidents"),
            border_lethal=n((el == "border_incidents") & fam.lethal),
            border_naval=n((el == "border_incidents") & (kind == "naval_clash")),
            border_artillery=n((el == "border_incidents") & (kind == "artillery")),
            border_propaganda=n((el == "border_incidents") & kind.isin(["balloon_campaign", "loudspeaker"])),
            drills_ids=ids("drills"),
            troop_movements_ids=ids("troop_movements"),
            border_incidents_ids=ids("border_incidents"),
        )
        .to_pandas()
    )
    cap = by_kind.filter(precise_enough(by_kind, freq))
    cap = cap.mutate(period=period_of(cap.date, freq))
    launches = {f"launches_{c}": (cap.missile_class == c).cast("int64").sum() for c in MISSILE_CLASSES}
    capabilities = (
        cap.group_by("period")
        .aggregate(
            **launches,
            nuclear_tests=(cap.kind == "nuclear_test").cast("int64").sum(),
            satellite_launches=(cap.kind == "satellite_launch").cast("int64").sum(),
            capabilities_ids=cap.event_ids.collect(),
        )
        .to_pandas()
    )
    for frame in (elements, capabilities):
        frame["period"] = pd.to_datetime(frame["period"]).dt.date
    merged = elements.merge(capabilities, on="period", how="outer")
    for col in ("drills_ids", "troop_movements_ids", "border_incidents_ids", "capabilities_ids"):
        merged[col] = [_flatten(v) for v in merged[col]]
    return merged


def _flatten(value: Iterable[Iterable[object]] | float | None) -> list[str]:
    """A collected list of id lists (or a missing cell) as one flat, sorted list."""
    if value is None or isinstance(value, float):
        return []
    return sorted(i for inner in value for i in as_id_list(inner))


def military_events(
    source: object,
    element: str,
    period: date,
    dyad: str | Dyad = "PRK-KOR",
    freq: str = "month",
) -> pd.DataFrame:
    """The store events behind one element in one period (drill table rows are listed separately)."""
    first = period_floor(period, freq)
    frame = military_elements(source, dyad, freq, start=first, end=period_end(first, freq), event_ids=True)
    ids = [i for i in frame.iloc[0][f"{element}_ids"] if not i.startswith("exercise:")]
    t = events_of(source)
    cols = [
        "event_id",
        "source",
        "date",
        "actor1_country",
        "actor2_country",
        "category",
        "original_type",
        "description",
    ]
    if not ids:
        return pd.DataFrame(columns=cols)
    return t.filter(t.event_id.isin(ids)).select(cols).order_by(["date", "event_id"]).to_pandas()
