"""The event list of the CLI and the API: filters checked, with the nearest valid values, and one query.

A filter that names nothing that exists is an error, never an empty answer (decision 079): an
actor code that is no country or organisation code (``NK`` → did you mean PRK?; names, initials,
FIPS and CAMEO codes are looked up), a dyad made of such codes, a source no reader writes, a
category that is not one, a start after the end. The list for a dyad is the events behind the
dyad's tension index (:func:`~.tension.index_rows`, decision 078): its own events and the curated
incidents of either side, a missile test included although it has no target. :func:`incident_list`
checks the same filters for the linked incidents (a category may also be a family such as ``launch``).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

import ibis.expr.types as ir
import pandas as pd

from ..dyad import Dyad
from ..kb.linking import FAMILIES, linked_incidents
from ..ontology import countries, country_codes, name_to_iso3, organisations
from ..schema import CATEGORIES
from ..sources import known_formats, reader_for
from .series import events_of, within

if TYPE_CHECKING:
    from ..store import Store
from .tension import index_rows

__all__ = ["EventQuery", "FilterError", "actor_codes", "event_query", "incident_list", "list_events"]

_MINOR = {"and", "of", "the"}


class FilterError(ValueError):
    """A filter that matches nothing that exists; ``param`` names it (``actor``, ``dyad``, ``start`` …)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class EventQuery:
    """Checked filters of the event list (None: no filter)."""

    actor: str | None = None
    dyad: Dyad | None = None
    start: date | None = None
    end: date | None = None
    category: str | None = None
    source: str | None = None


@cache
def _actors() -> frozenset[str]:
    orgs = organisations().column("org").to_pylist()
    return frozenset(countries().column("iso3").to_pylist()) | {o for o in orgs if o}


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Upper-case text → ISO3 codes it may stand for (other systems' codes, initials of names), likeliest first.

    Likeliest: named so by the most code systems (``SK``: South Korea in five, St Kitts in one).
    """
    votes: dict[str, Counter[str]] = {}
    for row in country_codes().to_pylist():
        if not row["iso3"]:
            continue
        if row["code"] and row["code"].isalpha():
            votes.setdefault(row["code"].upper(), Counter())[row["iso3"]] += 1
        words = [w for w in (row["name"] or "").replace(",", " ").split() if w.lower() not in _MINOR]
        if len(words) > 1:
            votes.setdefault("".join(w[0] for w in words).upper(), Counter())[row["iso3"]] += 1
    return {k: tuple(c for c, _ in v.most_common()) for k, v in votes.items()}


def _nearest(text: str, valid: list[str]) -> list[str]:
    """Up to three valid values near ``text``: those it begins, then the closest spellings."""
    low = text.lower()
    starts = [v for v in valid if v.lower().startswith(low) or low.startswith(v.lower())]
    close = difflib.get_close_matches(low, [v.lower() for v in valid], n=3, cutoff=0.6)
    by_low = {v.lower(): v for v in valid}
    return list(dict.fromkeys([*starts, *(by_low[c] for c in close)]))[:3]


def _did_you_mean(options: list[str]) -> str:
    return f"; did you mean {' or '.join(options)}?" if options else ""


def _actor_options(code: str) -> list[str]:
    named = name_to_iso3(code)
    if named:
        return [named]
    aliased = list(_aliases().get(code, ()))
    return aliased[:3] or _nearest(code, sorted(_actors()))


def _known(code: str, stored: Callable[[], frozenset[str]] | None) -> bool:
    return code in _actors() or (stored is not None and code in stored())


def _actor(text: str, stored: Callable[[], frozenset[str]] | None) -> str:
    code = text.strip().upper()
    if _known(code, stored):
        return code
    raise FilterError("actor", f"unknown actor code {text!r}{_did_you_mean(_actor_options(code))}")


def _event_sources() -> list[str]:
    readers = (reader_for(name) for name in known_formats())
    return sorted({r.source for r in readers if r.table == "events"})


def event_query(
    *,
    actor: str | None = None,
    dyad: str | None = None,
    start: date | None = None,
    end: date | None = None,
    category: str | None = None,
    source: str | None = None,
    stored: Callable[[], frozenset[str]] | None = None,
) -> EventQuery:
    """The filters checked; :class:`FilterError` (with the nearest valid values) for any that names nothing.

    ``stored`` gives the actor codes the store holds (regional codes such as ``EUR`` beyond the
    ontology's countries and organisations); it is called only for a code the ontology lacks.

    >>> event_query(actor="NK")
    Traceback (most recent call last):
    ...
    detente.indicators.listing.FilterError: unknown actor code 'NK'; did you mean PRK?
    """
    pair = None
    if dyad:
        try:
            parsed = Dyad.parse(dyad)
        except ValueError as exc:
            raise FilterError("dyad", str(exc)) from None
        bad = [c for c in (parsed.a, parsed.b) if not _known(c, stored)]
        if bad:
            a, b = ((_actor_options(c) or ["?"])[0] if c in bad else c for c in (parsed.a, parsed.b))
            sep = ">" if parsed.directed else "-"
            codes = ", ".join(map(repr, bad))
            raise FilterError("dyad", f"unknown actor code {codes} in dyad {dyad!r}; did you mean {a}{sep}{b}?")
        pair = parsed
    if category is not None and category not in CATEGORIES:
        options = _nearest(category, list(CATEGORIES))
        raise FilterError("category", f"unknown category {category!r}{_did_you_mean(options)}")
    sources = _event_sources()
    if source is not None and source not in sources:
        options = _nearest(source, sources) or sources
        raise FilterError("source", f"unknown source {source!r}{_did_you_mean(options)}")
    if start is not None and end is not None and start > end:
        raise FilterError("start", f"start {start} is after end {end}: nothing can lie between them")
    code = _actor(actor, stored) if actor else None
    return EventQuery(code, pair, start, end, category, source)


def actor_codes(source: object) -> frozenset[str]:
    """Every actor code the events hold, on either side."""
    t = events_of(source)
    codes = t.select(code=t.actor1_country).union(t.select(code=t.actor2_country)).distinct()
    return frozenset(c for c in codes.to_pyarrow().column("code").to_pylist() if c)


def list_events(source: object, query: EventQuery) -> ir.Table:
    """The events ``query`` selects, newest first (a dyad's with ``counted_on``: see :func:`~.tension.index_rows`).

    An event enters the period only if its date is as precise as the period (:func:`~.series.within`).
    """
    t = index_rows(source, query.dyad, query.start, query.end) if query.dyad else events_of(source)
    preds = [] if query.dyad else [within(t.date, t.date_precision, query.start, query.end)]
    if query.actor:
        preds.append((t.actor1_country == query.actor) | (t.actor2_country == query.actor))
    if query.category:
        preds.append(t.category == query.category)
    if query.source:
        preds.append(t.source == query.source)
    if preds:
        t = t.filter(*preds)
    return t.order_by([t.date.desc(), t.event_id])


def incident_list(
    store: Store,
    *,
    actor: str | None = None,
    dyad: str | None = None,
    start: date | None = None,
    end: date | None = None,
    category: str | None = None,
) -> pd.DataFrame:
    """The linked incidents (:func:`~detente.kb.linking.linked_incidents`) the filters select, checked as
    :func:`event_query` checks them; a family (launch, clash, propaganda) is a valid category."""
    families = sorted(set(FAMILIES.values()))
    family = category in families
    if category is not None and not family and category not in CATEGORIES:
        options = _nearest(category, [*families, *CATEGORIES])
        raise FilterError("category", f"unknown category or family {category!r}{_did_you_mean(options)}")
    query = event_query(
        actor=actor, dyad=dyad, start=start, end=end, category=None if family else category,
        stored=lambda: actor_codes(store),
    )  # fmt: skip
    return linked_incidents(
        store, actor=query.actor, dyad=query.dyad, start=query.start, end=query.end, category=category
    )
