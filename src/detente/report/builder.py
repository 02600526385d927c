"""Build the brief from the store: every section, then the footnotes resolved against the stored events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from .context import BriefContext, latest_date
from .model import Brief, Chart, Inline, Note, Paragraph, Ref, Table
from .notes import RECORD_KEYS
from .sections import SECTIONS
from .sections._common import manifest_lines
from .text import cell, fmt_num, plural

if TYPE_CHECKING:
    from ..store import IngestReport, Store

__all__ = ["TITLE", "EmptyStoreError", "build_brief", "ensure_store", "renumber"]

TITLE = "The inter-Korean peace process: status brief"
#: the subtitle in Korean and English (the PDF embeds a Hangul font for it)
SUBTITLE = "남북 평화 프로세스 현황"


class EmptyStoreError(ValueError):
    """The store holds no event (run ``detente init`` or :func:`ensure_store`)."""


def ensure_store(store: Store) -> list[IngestReport]:
    """Ingest the shipped knowledge-base timeline when the store holds no event (what ``detente init`` does)."""
    from ..kb import timeline_path

    if latest_date(store) is not None:
        return []
    return [store.ingest(timeline_path())]


def _summary(ctx: BriefContext) -> list[Inline]:
    ing = ctx.store.ingests().to_pandas()
    ev = ing[ing["table_name"] == "events"]
    cited = manifest_lines(ctx, tuple(sorted(set(ing["source"]))))  # as of the brief's date
    ref = ctx.notes.cite("The store's ingest manifest: every file read, with its rows and dates",
                         sources=cited, query="detente sources")  # fmt: skip
    src = ctx.sources
    listed = ", ".join(f"{r.source} {fmt_num(r.events)}" for r in src.itertuples())
    return cell(
        f"Built from {plural(int(src['events'].sum()), 'stored event')} dated up to {ctx.as_of} "
        f"({listed}), read from {plural(len(ev), 'event file')} and {plural(len(ing) - len(ev), 'side table file')}",
        [ref],
        ". Every number carries a footnote to the stored events, knowledge-base rows and sources behind it.",
    )


def build_brief(
    store: Store,
    as_of: date | None = None,
    *,
    runs: int = 1000,
    seed: int = 0,
    perm: int = 2000,
    forecast_origins: int = 36,
) -> Brief:
    """The status brief as of ``as_of`` (default: the latest stored event's date).

    Parameters
    ----------
    store
        The event store; :func:`ensure_store` fills an empty one from the shipped data.
    as_of
        Only data dated on or before this day is used.
    runs, seed
        Monte Carlo runs of the bargaining models and the random seed (results are reproducible).
    perm
        Placebo permutations of the claims' tests.
    forecast_origins
        Realised origins of the forecasts' backtest (their skill and the ensemble's weights).

    Examples
    --------
    >>> from detente import Store
    >>> brief = build_brief(Store())  # doctest: +SKIP
    >>> [s.title for s in brief.sections][:2]  # doctest: +SKIP
    ['Background and timeline', 'Evolution of peace initiatives']
    """
    latest = latest_date(store)
    if latest is None:
        raise EmptyStoreError("the store holds no event: run `detente init` first")
    ctx = BriefContext(store, as_of or latest, runs=runs, seed=seed, perm=perm, forecast_origins=forecast_origins)
    summary = _summary(ctx)
    sections = [build(ctx) for _, build in SECTIONS]
    present = set(store.ibis.list_tables())
    footnotes = ctx.notes.resolve(store.events(), {t: store.table(t) for t in RECORD_KEYS if t in present})
    brief = Brief(
        title=TITLE,
        subtitle=f"{SUBTITLE} · as of {ctx.as_of}",
        as_of=ctx.as_of,
        data_summary=summary,
        sections=sections,
        footnotes=footnotes,
        store_sources=pd.DataFrame(ctx.sources),
    )
    return renumber(brief)


def _piece_lists(brief: Brief) -> Iterator[list[Inline]]:
    """Every list of inline pieces, in reading order (each list object once)."""
    seen: set[int] = set()
    for parts in _all_piece_lists(brief):
        if id(parts) not in seen:
            seen.add(id(parts))
            yield parts


def _all_piece_lists(brief: Brief) -> Iterator[list[Inline]]:
    yield brief.data_summary
    for section in brief.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, Note)):
                yield block.parts
            elif isinstance(block, Table):
                yield from (c for row in block.rows for c in row)
            elif isinstance(block, Chart):
                yield block.refs


def renumber(brief: Brief) -> Brief:
    """Number the footnotes in order of first appearance and drop any that nothing refers to."""
    order = [p.number for parts in _piece_lists(brief) for p in parts if isinstance(p, Ref)]
    mapping = {old: new for new, old in enumerate(dict.fromkeys(order), start=1)}
    for parts in _piece_lists(brief):
        parts[:] = [Ref(mapping[p.number]) if isinstance(p, Ref) else p for p in parts]
    brief.footnotes = sorted(
        (replace(n, number=mapping[n.number]) for n in brief.footnotes if n.number in mapping),
        key=lambda n: n.number,
    )
    return brief
