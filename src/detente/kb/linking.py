"""Link the same real-world event reported by several sources into one incident (never merging rows).

The rule (``docs/knowledge-base.md``, decision 006):

1. **Units.** Rows one source gives for one event form a unit: CNS entries sharing a listed date
   (CNS has one entry per missile, so a salvo is several entries), the pair rows of one curated
   timeline line, the participant rows of one COW MID incident; a CSIS row is a unit by itself.
2. **Family.** A unit's category decides its family: ``launch`` (missile_test, satellite_launch),
   ``clash`` (border_incident, naval_clash, artillery, armed_clash, infiltration; for COW MID only
   the actions border violation, blockade, occupation, seizure, attack and clash), ``propaganda``
   (balloon_campaign, loudspeaker); any other category is its own family. Units without a
   category are never linked.
3. **Anchors.** Sources are taken in priority order (cns, csis, kb, cow_mid). A unit links to an
   incident anchored by a unit of an earlier source when they share the family, share an initiating
   country (``actor1_country``) and their dates agree: both day-precise and at most
   ``tolerance_days`` apart (1: CNS lists UTC dates, CSIS and the timeline Korean dates), or one is
   month-precise and both fall in the same month. Year-precise units never link. Otherwise the
   unit anchors a new incident. Dates are compared with the anchor only, so incidents never chain.
4. **Ties.** With several candidate incidents the nearest date wins, then the anchor of the
   earlier source in the priority order, then the earlier date; the unit is flagged ``ambiguous``
   and the alternatives are listed.

The link table has one row per input event (``incident_id``, ``event_id``, ...); the incident id is
``inc:`` plus the anchor's first event id. :func:`linked_incidents` is the one-call view: the store's
incidents, filtered by actor, dyad, dates and category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from ..dyad import Dyad
    from ..store import Store

__all__ = [
    "FAMILIES",
    "LINK_COLUMNS",
    "LINK_SOURCES",
    "MID_CLASH_ACTIONS",
    "LinkRule",
    "Linking",
    "link_events",
    "link_store",
    "linked_incidents",
    "store_events",
    "write_links",
]

#: Sources linked, in anchor priority order.
LINK_SOURCES = ("cns", "csis", "kb", "cow_mid")
#: Category -> family; categories not listed are their own family.
FAMILIES = {
    "missile_test": "launch",
    "satellite_launch": "launch",
    "border_incident": "clash",
    "naval_clash": "clash",
    "artillery": "clash",
    "armed_clash": "clash",
    "infiltration": "clash",
    "militarized_incident": "clash",
    "balloon_campaign": "propaganda",
    "loudspeaker": "propaganda",
}
#: COW MID actions (``original_type``) that may link; threats, alerts and shows of force do not.
MID_CLASH_ACTIONS = frozenset({"Border violation", "Blockade", "Occupation of territory", "Seizure", "Attack", "Clash"})
#: Event columns the linker reads.
LINK_COLUMNS = (
    "event_id",
    "source",
    "date",
    "date_precision",
    "actor1_country",
    "actor2_country",
    "category",
    "original_type",
    "description",
    "source_line",
)
_KOREAS = ("PRK", "KOR")


@dataclass(frozen=True)
class LinkRule:
    """Parameters of the linking rule (see the module docstring)."""

    tolerance_days: int = 1
    sources: tuple[str, ...] = LINK_SOURCES


@dataclass(frozen=True)
class _Unit:
    source: str
    date: date
    precision: str
    family: str | None
    category: str | None
    actors: frozenset[str]
    event_ids: tuple[str, ...]
    anchor_event: str
    description: str


@dataclass(frozen=True)
class Linking:
    """Result of :func:`link_events`: links (one row per event), incidents and ambiguous units."""

    links: pa.Table
    incidents: pa.Table
    ambiguous: pa.Table
    events: pa.Table

    def summary(self) -> pa.Table:
        """Counts: events, units, incidents, multi-source incidents per source combination, ambiguous units."""
        inc = self.incidents.to_pandas()
        rows = [
            ("events", int(self.links.num_rows)),
            ("incidents", len(inc)),
            ("multi_source_incidents", int((inc["n_sources"] > 1).sum())),
            ("ambiguous_units", int(self.ambiguous.num_rows)),
        ]
        multi = inc[inc["n_sources"] > 1]
        for combo, n in multi.groupby("sources").size().sort_index().items():
            rows.append((f"linked:{combo}", int(n)))
        return pa.table({"metric": [r[0] for r in rows], "value": [r[1] for r in rows]})


def store_events(store: Store, sources: Iterable[str] = LINK_SOURCES) -> pa.Table:
    """Korea-relevant events of ``sources`` from a :class:`~detente.store.Store` (COW MID: PRK/KOR rows only)."""
    t = store.events()
    wanted = list(sources)
    korea = t.actor1_country.isin(_KOREAS) | t.actor2_country.isin(_KOREAS)
    t = t.filter(t.source.isin(wanted) & ((t.source != "cow_mid") | korea))
    return t.select(*LINK_COLUMNS).to_pyarrow()


def link_store(store: Store, rule: LinkRule = LinkRule()) -> Linking:
    """Link the store's events of ``rule.sources``."""
    return link_events(store_events(store, rule.sources), rule)


def linked_incidents(
    store: Store,
    *,
    actor: str | None = None,
    dyad: Dyad | None = None,
    start: date | None = None,
    end: date | None = None,
    category: str | None = None,
    rule: LinkRule = LinkRule(),
) -> pd.DataFrame:
    """The store's linked incidents (one row per real-world event), oldest first, filtered.

    Every event of ``rule.sources`` is linked first, so an incident's id and sources do not depend on
    the filters. ``actor`` keeps incidents with an event of that country on either side; ``dyad`` those
    with an event of the dyad or an untargeted event of its initiating side(s) (a missile test has no
    target); ``start``/``end`` bound the incident's date; ``category`` matches the category or the
    family (``launch``, ``clash``, ``propaganda``). ``date`` is a pandas timestamp; ``initiators``
    lists the initiating countries.

    Examples
    --------
    >>> from detente import Store
    >>> from detente.kb import linked_incidents
    >>> linked_incidents(Store(), actor="PRK", category="launch")  # doctest: +SKIP
    """
    linking = link_store(store, rule)
    inc = linking.incidents.to_pandas()
    events = linking.events.to_pandas().merge(linking.links.to_pandas()[["event_id", "incident_id"]], on="event_id")
    keep = pd.Series(True, index=events.index)
    if actor is not None:
        keep &= (events["actor1_country"] == actor) | (events["actor2_country"] == actor)
    if dyad is not None:
        keep &= _in_scope(events, dyad)
    wanted = inc["incident_id"].isin(events.loc[keep, "incident_id"])
    when = pd.to_datetime(inc["date"])
    if start is not None:
        wanted &= when >= pd.Timestamp(start)
    if end is not None:
        wanted &= when <= pd.Timestamp(end)
    if category is not None:
        wanted &= (inc["category"] == category) | (inc["family"] == category)
    initiators = events.dropna(subset=["actor1_country"]).groupby("incident_id")["actor1_country"].unique()
    out = inc[wanted].assign(date=when[wanted])
    out.insert(4, "initiators", [";".join(sorted(initiators.get(i, []))) for i in out["incident_id"]])
    return out.reset_index(drop=True)


def _in_scope(events: pd.DataFrame, dyad: Dyad) -> pd.Series:
    """Events of the dyad plus untargeted events of its initiating side(s) (as the tension index counts them)."""
    sides = [dyad.a] if dyad.directed else [dyad.a, dyad.b]
    others = [dyad.b] if dyad.directed else [dyad.a, dyad.b]
    return events["actor1_country"].isin(sides) & (
        events["actor2_country"].isna() | events["actor2_country"].isin(others)
    )


def write_links(store: Store, linking: Linking) -> None:
    """Replace the store's derived tables ``incident_links`` and ``incidents`` (DuckDB file)."""
    store.write_table("incident_links", linking.links)
    store.write_table("incidents", linking.incidents)


def link_events(events: pa.Table, rule: LinkRule = LinkRule()) -> Linking:
    """Link canonical events (at least :data:`LINK_COLUMNS`) into incidents by ``rule``."""
    ev = events.select(list(LINK_COLUMNS)).to_pandas()
    ev = ev[ev["source"].isin(rule.sources)].reset_index(drop=True)
    units = _units(ev, rule.sources)
    incidents: dict[str, list[_Unit]] = {}
    by_family: dict[str | None, list[str]] = defaultdict(list)
    link_rows: list[dict[str, object]] = []
    ambiguous: list[dict[str, object]] = []
    for unit in units:
        candidates = _candidates(unit, incidents, by_family.get(unit.family, []), rule)
        if candidates:
            chosen = candidates[0]
            anchor = incidents[chosen[1]][0]
            incidents[chosen[1]].append(unit)
            offset = (unit.date - anchor.date).days if unit.precision == "day" == anchor.precision else None
            if len(candidates) > 1:
                ambiguous.append(_ambiguity(unit, candidates, incidents))
            link_rows += _link_rows(unit, chosen[1], "linked", offset, len(candidates) > 1)
        else:
            inc_id = f"inc:{unit.anchor_event}"
            incidents[inc_id] = [unit]
            if unit.family is not None and unit.precision != "year":
                by_family[unit.family].append(inc_id)
            link_rows += _link_rows(unit, inc_id, "anchor", 0, False)
    return Linking(
        links=pa.Table.from_pylist(link_rows, schema=_LINK_SCHEMA),
        incidents=_incident_table(incidents),
        ambiguous=pa.Table.from_pylist(ambiguous, schema=_AMBIGUOUS_SCHEMA),
        events=pa.Table.from_pandas(ev, preserve_index=False),
    )


def _family(row: pd.Series) -> str | None:
    category = row["category"]
    if category is None or pd.isna(category):
        return None
    if row["source"] == "cow_mid" and row["original_type"] not in MID_CLASH_ACTIONS:
        return None
    return FAMILIES.get(category, category)


def _unit_key(row: pd.Series) -> str:
    source, event_id = row["source"], row["event_id"]
    if source == "cns":
        return f"{row['date']}|{row['date_precision']}"
    if source in ("kb", "cow_mid"):  # kb:<date>-<row hash>[:pair] (one row, any folder); cow_mid:<incident>:...
        return event_id.split(":")[1]
    return event_id


def _units(ev: pd.DataFrame, order: tuple[str, ...]) -> list[_Unit]:
    if ev.empty:
        return []
    ev = ev.assign(_key=ev.apply(_unit_key, axis=1), _family=ev.apply(_family, axis=1))
    ev = ev.sort_values(["source_line", "event_id"])
    units: list[_Unit] = []
    for (source, _), g in ev.groupby(["source", "_key"], sort=False):
        first = g.iloc[0]
        families = [f for f in g["_family"] if f is not None]
        units.append(
            _Unit(
                source=source,
                date=min(g["date"]),
                precision=str(first["date_precision"]),
                family=families[0] if families else None,
                category=first["category"] if families else None,
                actors=frozenset(a for a in g["actor1_country"] if isinstance(a, str)),
                event_ids=tuple(g["event_id"]),
                anchor_event=str(first["event_id"]),
                description=str(first["description"]),
            )
        )
    rank = {s: i for i, s in enumerate(order)}
    return sorted(units, key=lambda u: (rank[u.source], u.date, u.anchor_event))


def _compatible(a: _Unit, b: _Unit, tolerance: int) -> int | None:
    """Day distance if the dates agree under the rule, else None (month matches count as 0)."""
    if "year" in (a.precision, b.precision):
        return None
    if a.precision == "day" == b.precision:
        gap = abs((a.date - b.date).days)
        return gap if gap <= tolerance else None
    return 0 if (a.date.year, a.date.month) == (b.date.year, b.date.month) else None


def _candidates(
    unit: _Unit, incidents: dict[str, list[_Unit]], family_incidents: list[str], rule: LinkRule
) -> list[tuple[int, str]]:
    if unit.family is None or unit.precision == "year":
        return []
    found = []
    for inc_id in family_incidents:
        anchor = incidents[inc_id][0]
        if anchor.source == unit.source or not (anchor.actors & unit.actors):
            continue
        gap = _compatible(anchor, unit, rule.tolerance_days)
        if gap is not None:
            found.append((gap, rule.sources.index(anchor.source), anchor.date, inc_id))
    found.sort()
    return [(gap, inc_id) for gap, _, _, inc_id in found]


def _link_rows(unit: _Unit, inc_id: str, role: str, offset: int | None, ambiguous: bool) -> list[dict[str, object]]:
    return [
        {
            "incident_id": inc_id,
            "event_id": e,
            "source": unit.source,
            "role": role,
            "day_gap": offset,
            "ambiguous": ambiguous,
        }
        for e in unit.event_ids
    ]


def _ambiguity(unit: _Unit, candidates: list[tuple[int, str]], incidents: dict[str, list[_Unit]]) -> dict[str, object]:
    chosen, *others = candidates
    return {
        "event_ids": ";".join(unit.event_ids),
        "source": unit.source,
        "date": unit.date,
        "family": unit.family,
        "description": unit.description,
        "chosen_incident": chosen[1],
        "chosen_date": incidents[chosen[1]][0].date,
        "alternatives": ";".join(f"{i} ({incidents[i][0].date}, {g} d)" for g, i in others),
    }


def _incident_table(incidents: dict[str, list[_Unit]]) -> pa.Table:
    rows = []
    for inc_id, units in incidents.items():
        anchor = units[0]
        sources = sorted({u.source for u in units})
        event_ids = [e for u in units for e in u.event_ids]
        rows.append(
            {
                "incident_id": inc_id,
                "date": anchor.date,
                "date_precision": anchor.precision,
                "family": anchor.family,
                "category": anchor.category,
                "sources": "+".join(sources),
                "n_sources": len(sources),
                "n_events": len(event_ids),
                "anchor_event_id": anchor.anchor_event,
                "description": anchor.description,
                "event_ids": ";".join(event_ids),
            }
        )
    rows.sort(key=lambda r: (r["date"], r["incident_id"]))
    return pa.Table.from_pylist(rows, schema=_INCIDENT_SCHEMA)


_LINK_SCHEMA = pa.schema(
    [
        ("incident_id", pa.string()),
        ("event_id", pa.string()),
        ("source", pa.string()),
        ("role", pa.string()),
        ("day_gap", pa.int32()),
        ("ambiguous", pa.bool_()),
    ]
)
_INCIDENT_SCHEMA = pa.schema(
    [
        ("incident_id", pa.string()),
        ("date", pa.date32()),
        ("date_precision", pa.string()),
        ("family", pa.string()),
        ("category", pa.string()),
        ("sources", pa.string()),
        ("n_sources", pa.int32()),
        ("n_events", pa.int32()),
        ("anchor_event_id", pa.string()),
        ("description", pa.string()),
        ("event_ids", pa.string()),
    ]
)
_AMBIGUOUS_SCHEMA = pa.schema(
    [
        ("event_ids", pa.string()),
        ("source", pa.string()),
        ("date", pa.date32()),
        ("family", pa.string()),
        ("description", pa.string()),
        ("chosen_incident", pa.string()),
        ("chosen_date", pa.date32()),
        ("alternatives", pa.string()),
    ]
)
