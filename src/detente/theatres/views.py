"""What the CLI and the API show: theatres, one theatre, the lessons views and the brief section, as tables.

Each function takes a :class:`~detente.store.Store`, reads the record once and returns a
``pyarrow.Table`` (or, for one theatre and the brief, a dict / Markdown), so the command line and the
REST API print the same thing; :func:`lessons_parts_of` gives the brief's section as typed parts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from .brief import Part, lessons_parts, markdown
from .korea import KOREA_TEXTS, korea_groups
from .lessons import Lessons, build_lessons, check_provision
from .outcomes import Sample
from .record import Record, load_record
from .survival import Outcome
from .theatres import KOREA, find_theatres, kb_incidents, resolve, theatre_detail

if TYPE_CHECKING:
    from ..kb.linking import Linking
    from ..store import Store

__all__ = [
    "Section",
    "View",
    "lessons_brief",
    "lessons_parts_of",
    "lessons_table",
    "theatre_json",
    "theatre_section",
    "theatres_table",
]


class View(str, Enum):
    """Views of ``detente lessons``."""

    groups = "groups"
    agreements = "agreements"
    signings = "signings"
    cox = "cox"
    curves = "curves"
    korea = "korea"
    profiles = "profiles"
    similar = "similar"
    excluded = "excluded"
    brief = "brief"


class Section(str, Enum):
    """Flat sections of ``detente theatre`` (for table, CSV and Parquet output)."""

    years = "years"
    conflict_years = "conflict_years"
    agreements = "agreements"
    mid_disputes = "mid_disputes"
    ucdp_conflicts = "ucdp_conflicts"


def _linking(store: Store) -> Linking | None:
    """The knowledge base's incident linking over the store, or None when it has nothing to link."""
    from ..kb.linking import link_store

    linking = link_store(store)
    return linking if linking.links.num_rows else None


def theatres_table(store: Store, min_mid_disputes: int = 3) -> pa.Table:
    """:func:`~detente.theatres.theatres.find_theatres` with Korea's knowledge-base incident count."""
    record = load_record(store)
    linking = _linking(store)
    count = None if linking is None else len(kb_incidents(linking))
    return find_theatres(record, min_mid_disputes, count)


def theatre_json(store: Store, dyad: str) -> dict[str, Any]:
    """One theatre (``ECU-PER``, ``PRK-KOR`` ...) as a JSON-ready dict with an added ``years`` panel."""
    record = load_record(store)
    ab = resolve(record, dyad)
    linking = _linking(store) if ab == KOREA else None
    detail = theatre_detail(record, ab, linking, korea_groups())
    detail["years"] = _years(detail)
    return detail


def _inside(year: int, span: dict[str, int] | None) -> bool:
    return span is not None and span["first"] <= year <= span["last"]


def _years(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per year with anything: UCDP intensity, agreements signed, MID and KB counts.

    A count is 0 inside its source's coverage when nothing was recorded, and null outside it.
    """
    per_year = {y["year"]: y for y in detail["incidents"]}
    intensity: dict[int, int] = {}
    for c in detail["conflict_years"]:
        intensity[c["year"]] = max(intensity.get(c["year"], 0), c["intensity"])
    signed = Counter(a["date"].year for a in detail["agreements"])
    cov = detail["coverage"]
    has_kb = any(y.get("kb_incidents") is not None for y in detail["incidents"])
    rows = []
    for year in sorted(set(per_year) | set(intensity) | set(signed)):
        mid = 0 if _inside(year, cov["mid_incidents"]) else None
        defaults = {"mid_incidents": mid, "mid_force_incidents": mid, "mid_max_hostility": None,
                    "mid_disputes": 0 if _inside(year, cov["mid_disputes"]) else None,
                    "kb_incidents": 0 if has_kb else None, "kb_clashes": 0 if has_kb else None}  # fmt: skip
        counts = {k: v for k, v in per_year.get(year, {}).items() if k != "year"}
        rows.append({"year": year, "ucdp_intensity": intensity.get(year), "agreements": signed.get(year, 0),
                     **defaults, **counts})  # fmt: skip
    return rows


def theatre_section(detail: dict[str, Any], section: Section) -> pa.Table:
    """One flat section of a theatre's detail as a table (lists are joined with ``;``)."""
    items = detail[section.value]
    flat = [{k: ";".join(v) if isinstance(v, list) else v for k, v in item.items()} for item in items]
    if not flat:
        return pa.table({"empty": pa.array([], pa.string())})
    return pa.Table.from_pylist(flat)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    if frame.empty and not len(frame.columns):
        return pa.table({"empty": pa.array([], pa.string())})
    frame = frame.astype({c: "object" for c in frame.columns if str(frame[c].dtype) == "boolean"})
    return pa.Table.from_pandas(frame, preserve_index=False)


#: Lessons attribute behind each view (when the names differ).
_ATTRIBUTE = {View.groups: "comparison", View.agreements: "outcomes", View.signings: "units"}


def lessons_table(
    store: Store,
    view: View = View.groups,
    sample: Sample = "interstate",
    outcome: Outcome = "ucdp",
    dyad: str | None = None,
    provision: str | None = None,
    top: int = 5,
) -> tuple[pa.Table, Lessons]:
    """One view of :func:`~detente.theatres.lessons.build_lessons` as a table, with the lessons object."""
    if view is View.brief:
        raise ValueError("the brief is Markdown: use lessons_brief")
    if provision is not None:
        check_provision(provision)
    record = load_record(store)
    ab = resolve(record, dyad) if dyad else None
    les = build_lessons(record, sample, outcome, ab, provision, top)
    return _arrow(getattr(les, _ATTRIBUTE.get(view, view.value))), les


def lessons_parts_of(store: Store, top: int = 5, as_of: date | None = None) -> list[Part]:
    """The brief's section "Lessons from other border conflicts" as typed parts (:mod:`.brief`), known on ``as_of``."""
    record: Record = load_record(store, as_of)
    linking = _linking(store)
    lessons = [
        build_lessons(record, sample, "ucdp", top=top, groups_only=True) for sample in ("interstate", "territorial")
    ]
    korea = theatre_detail(record, KOREA, linking, korea_groups(), as_of)
    texts_known = as_of is None or as_of >= _korean_texts_signed()
    return lessons_parts(record, find_theatres(record), lessons, korea, texts_known)


def _korean_texts_signed() -> date:
    """The day the first of the Korean texts (:data:`.korea.KOREA_TEXTS`) was signed, from the knowledge base."""
    from ..kb import tables

    rows = tables.load("agreements").to_pylist()
    return min(date.fromisoformat(str(r["date_signed"])[:10]) for r in rows if r["id"] in KOREA_TEXTS)


def lessons_brief(store: Store, top: int = 5, as_of: date | None = None) -> str:
    """The brief's section "Lessons from other border conflicts" (Markdown with footnotes), as known on ``as_of``."""
    return markdown(lessons_parts_of(store, top, as_of))
