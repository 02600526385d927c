"""Curated incidents: the knowledge-base-type events (kb, CNS, CSIS, COW MID) classified and deduplicated.

Three steps, all Ibis expressions over ``store.events()``:

1. :func:`classify` adds ``missile_class`` (ICBM, IRBM, …; from the source's own type, else its
   description), ``lethal``, ``kind`` (the category, with the missile class), the military
   ``element`` (drills, troop movements, border incidents, new capabilities) and a ``severity``
   weight (:data:`SEVERITY`, plus :data:`LETHAL_BONUS` for a clash that killed someone).
2. :func:`curated` keeps the curated sources and, for a dyad, the events of either side that target
   the other side *or nobody* (a missile test has no target but belongs to every dyad of its
   initiator).
3. :func:`incidents_expr` merges what several sources (and a salvo's several CNS rows) report of one
   real-world event: rows of one initiator and one ``family`` (launch, clash, propaganda, as in the
   knowledge base's incident linking, decision 006; otherwise the kind itself) whose dates are at
   most one day apart form one incident, dated at its first day, carrying the kind and severity of
   its most severe row and every event id. Runs of consecutive days therefore count once
   (decision 016). ``key="kind"`` merges only rows of one kind (used to count launches by class).

The rules are text rules on the sources' own types; ``docs/methods.md`` lists them with their
limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ibis
import ibis.expr.types as ir
import pandas as pd

from ..dyad import Dyad
from .series import dyad_of, events_of

__all__ = [
    "CLASH_KINDS",
    "CURATED_SOURCES",
    "ELEMENTS",
    "FAMILIES",
    "INCIDENT_COLUMNS",
    "LETHAL_BONUS",
    "MISSILE_CLASSES",
    "PROVOCATION_KINDS",
    "SEVERITY",
    "classify",
    "curated",
    "find_incidents",
    "incidents_expr",
    "scope",
]

#: sources of curated (knowledge-base-type) events
CURATED_SOURCES = ("kb", "cns", "csis", "cow_mid")
#: the four military-tension elements
ELEMENTS = ("drills", "troop_movements", "border_incidents", "capabilities")
#: missile classes, checked in this order on the source's type, then on the description
MISSILE_CLASSES = ("icbm", "slbm", "irbm", "mrbm", "hypersonic", "cruise", "srbm", "other")
_CLASS_PATTERNS = (
    ("icbm", r"icbm|intercontinental|inter-continental"),
    ("slbm", r"slbm|submarine[- ]launched"),
    ("irbm", r"irbm|intermediate[- ]range"),
    ("mrbm", r"mrbm|medium[- ]range"),
    ("hypersonic", r"\bhgv\b|hypersonic"),
    ("cruise", r"cruise"),
    ("srbm", r"srbm|short[- ]range ballistic|short[- ]range missile"),
)
#: severity weight of one incident of each kind (decision 016); other kinds weigh 0
SEVERITY = {
    "nuclear_test": 10.0,
    "missile:icbm": 8.0,
    "missile:irbm": 6.0,
    "missile:slbm": 6.0,
    "missile:hypersonic": 6.0,
    "satellite_launch": 5.0,
    "missile:mrbm": 4.0,
    "missile:srbm": 2.0,
    "missile:cruise": 2.0,
    "missile:other": 1.0,
    "naval_clash": 5.0,
    "armed_clash": 5.0,
    "artillery": 4.0,
    "infiltration": 3.0,
    "border_incident": 3.0,
    "other_provocation": 3.0,
    "cyber": 2.0,
    "militarized_incident": 1.0,
    "balloon_campaign": 1.0,
    "loudspeaker": 1.0,
}
#: added to a clash-type incident in which someone was killed
LETHAL_BONUS = 5.0
CLASH_KINDS = (
    "naval_clash",
    "armed_clash",
    "artillery",
    "infiltration",
    "border_incident",
    "other_provocation",
    "militarized_incident",
)
#: kinds counted as provocations when the initiator is the provoking side
PROVOCATION_KINDS = tuple(k for k in SEVERITY)
#: columns of :func:`incidents_expr`
INCIDENT_COLUMNS = (
    "initiator", "incident_id", "date", "last_date", "date_precision", "family", "kind", "category",
    "missile_class", "element", "severity", "lethal", "events", "sources", "event_ids",
)  # fmt: skip
#: kinds merged into one family when deduplicating (others are their own family)
FAMILIES = {
    "launch": (*(f"missile:{c}" for c in MISSILE_CLASSES), "satellite_launch"),
    "clash": ("border_incident", "naval_clash", "artillery", "armed_clash", "infiltration"),
    "propaganda": ("balloon_campaign", "loudspeaker"),
}
_LETHAL = r"\b(killed|killing|dead)\b|fatality level [1-6]"
_TROOPS = (
    r"incursion|intrusion|encroach|enroach|territorial|border violation|\bdrones?\b|\buavs?\b"
    r"|\bcross(es|ed|ing)?\b|\benter(s|ed)?\b"
)
_BORDER_CATEGORIES = ("border_incident", "naval_clash", "artillery", "armed_clash", "balloon_campaign", "loudspeaker")
_CAPABILITY_CATEGORIES = ("missile_test", "nuclear_test", "satellite_launch")


def _missile_class(text: ir.StringValue) -> ir.StringValue:
    return ibis.cases(*((text.re_search(p), c) for c, p in _CLASS_PATTERNS), else_=ibis.null("string"))


def classify(events: ir.Table) -> ir.Table:
    """Add ``missile_class``, ``lethal``, ``kind``, ``element`` and ``severity`` to curated events."""
    own = events.original_type.fill_null("").lower()
    said = events.description.fill_null("").lower()
    cat = events.category
    missile = ibis.ifelse(
        cat == "missile_test",
        _missile_class(own).fill_null(_missile_class(said)).fill_null("other"),
        ibis.null("string"),
    )
    kind = ibis.cases(
        (cat == "missile_test", "missile:" + missile),
        ((cat == "militarized_incident") & own.re_search(r"\b(clash|attack)\b"), "armed_clash"),
        else_=cat,
    )
    lethal = (events.fatalities.fill_null(0) > 0) | said.re_search(_LETHAL)
    t = events.mutate(missile_class=missile, kind=kind, lethal=lethal)
    troops = (t.category == "infiltration") | (
        (t.category == "border_incident") & (own + " " + said).re_search(_TROOPS)
    )
    element = ibis.cases(
        (t.category.isin(_CAPABILITY_CATEGORIES), "capabilities"),
        (t.category == "exercise", "drills"),
        (troops, "troop_movements"),
        (t.category.isin(_BORDER_CATEGORIES) | (t.kind == "armed_clash"), "border_incidents"),
        else_=ibis.null("string"),
    )
    base = t.kind.substitute(SEVERITY, else_=0.0).cast("float64")
    bonus = ibis.ifelse(t.lethal & t.kind.isin(CLASH_KINDS), LETHAL_BONUS, 0.0)
    family = t.kind.substitute({k: name for name, kinds in FAMILIES.items() for k in kinds}, else_=t.kind)
    return t.mutate(element=element, severity=base + bonus, family=family)


def scope(events: ir.Table, dyad: Dyad) -> ir.BooleanValue:
    """Events of the dyad plus untargeted events of its initiating side(s) (either side if undirected)."""
    sides = [dyad.a] if dyad.directed else [dyad.a, dyad.b]
    others = [dyad.b] if dyad.directed else [dyad.a, dyad.b]
    return events.actor1_country.isin(sides) & (events.actor2_country.isnull() | events.actor2_country.isin(others))


def curated(
    source: object,
    dyad: str | Dyad | None = None,
    *,
    initiators: Sequence[str] | None = None,
    sources: Sequence[str] = CURATED_SOURCES,
    start: date | None = None,
    end: date | None = None,
) -> ir.Table:
    """Classified curated events of a dyad (see :func:`scope`) and/or of given initiators."""
    t = events_of(source)
    preds = [t.source.isin(list(sources))]
    if dyad is not None:
        preds.append(scope(t, dyad_of(dyad)))
    if initiators:
        preds.append(t.actor1_country.isin(list(initiators)))
    if start is not None:
        preds.append(t.date >= start)
    if end is not None:
        preds.append(t.date <= end)
    return classify(t.filter(*preds))


def incidents_expr(classified: ir.Table, key: str = "family") -> ir.Table:
    """One row per incident: rows of one initiator and ``key`` (family or kind) at most one day apart merge.

    Columns: ``incident_id`` (the first event's id), ``date``, ``last_date``, ``date_precision``
    (finest), ``initiator``, ``family``, then ``kind``, ``category``, ``missile_class`` and
    ``element`` of the most severe row, ``severity`` (max), ``lethal`` (any), ``events``,
    ``sources`` and ``event_ids`` (lists). Ties (two rows on the first date, or equally severe)
    are broken by the event id, so every engine picks the same row.
    """
    t = classified.filter(classified.kind.notnull() & classified.actor1_country.notnull())
    keys = [t.actor1_country, t[key]]
    order = [t.date, t.event_id]
    t = t.mutate(_prev=t.date.lag().over(ibis.window(group_by=keys, order_by=order)))
    t = t.mutate(_new=ibis.ifelse(t._prev.isnull() | (t.date.delta(t._prev, unit="day") > 1), 1, 0))
    running = ibis.window(group_by=keys, order_by=order, preceding=None, following=0)
    t = t.mutate(_incident=t._new.sum().over(running))
    # deterministic picks on every engine: ties on date or severity are broken by the event id
    t = t.mutate(
        _first=t.date.cast("string") + "|" + t.event_id,
        _top=(t.severity * 10).round().cast("int64").cast("string").lpad(5, "0") + "|" + t.event_id,
    )
    return (
        t.group_by([t.actor1_country.name("initiator"), t[key].name("_key"), "_incident"])
        .aggregate(
            incident_id=t.event_id.argmin(t._first),
            date=t.date.min(),
            last_date=t.date.max(),
            date_precision=t.date_precision.fill_null("day").min(),
            family=t.family.argmax(t._top),
            kind=t.kind.argmax(t._top),
            category=t.category.argmax(t._top),
            missile_class=t.missile_class.argmax(t._top),
            element=t.element.argmax(t._top),
            severity=t.severity.max(),
            lethal=t.lethal.any(),
            events=t.count(),
            sources=t.source.collect(distinct=True),
            event_ids=t.event_id.collect(),
        )
        .select(*INCIDENT_COLUMNS)  # an explicit list: ``drop`` of two names compiles in set order
    )


def find_incidents(
    source: object,
    dyad: str | Dyad | None = None,
    *,
    initiators: Sequence[str] | None = None,
    sources: Sequence[str] = CURATED_SOURCES,
    start: date | None = None,
    end: date | None = None,
    key: str = "family",
) -> pd.DataFrame:
    """Deduplicated curated incidents as pandas, sorted by date (see :func:`incidents_expr`).

    Examples
    --------
    >>> from detente import Store
    >>> inc = find_incidents(Store(), "PRK-KOR")  # doctest: +SKIP
    >>> inc[inc.kind == "nuclear_test"][["date", "severity", "sources"]]  # doctest: +SKIP
    """
    expr = incidents_expr(curated(source, dyad, initiators=initiators, sources=sources, start=start, end=end), key)
    frame = expr.order_by(["date", "initiator", "kind"]).to_pandas()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame["last_date"] = pd.to_datetime(frame["last_date"]).dt.date
    for col in ("sources", "event_ids"):
        frame[col] = [sorted(v) for v in frame[col]]
    return frame.reset_index(drop=True)
