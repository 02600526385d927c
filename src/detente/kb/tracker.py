"""Agreement-implementation tracker: provision statuses and scores at any date.

Each provision's status on a date is the last transition (``transitions.csv``) dated on or before
it; a month-precision transition takes effect on the 1st of its month and transitions of one day
apply in file order. Statuses use the Kroc Peace Accords Matrix scale plus ``reversed``, scored as

    not_initiated 0, minimal 1, intermediate 2, full 3, reversed 0

and a group of n provisions (an agreement, a category, or both) scores

    score = 100 * sum(points) / (3 * n)

i.e. the share of full implementation, in percent (PAM/Kroc "percentage implemented"). A reversed
provision counts as nothing implemented, and the count of reversed provisions is reported beside
the score. Provisions of agreements not yet signed on the date are left out. See
``docs/knowledge-base.md``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..sources.kb import KoreaFactsEvents
from . import tables
from .asof import known_by

__all__ = [
    "GROUPINGS",
    "STATUS_POINTS",
    "agreement_detail",
    "agreements_overview",
    "provision_status",
    "scores",
    "timeline_events",
]

#: PAM points per status (``reversed`` scores as nothing implemented).
STATUS_POINTS = {"not_initiated": 0, "minimal": 1, "intermediate": 2, "full": 3, "reversed": 0}
#: Allowed ``by`` values of :func:`scores`.
GROUPINGS = {
    "agreement": ["agreement_id"],
    "category": ["category"],
    "agreement_category": ["agreement_id", "category"],
}
_MAX = 3


def _transitions(folder: Path | None = None) -> pd.DataFrame:
    t = tables.load("transitions", folder).to_pandas()
    t["order"] = range(len(t))
    return t


def provision_status(as_of: date, folder: Path | None = None) -> pd.DataFrame:
    """Status of every provision on ``as_of``: agreement_id, provision_id, category, status, points, since, ...

    ``since`` is the date of the transition in force, ``event``/``source``/``confidence`` describe it.
    ``folder``: a theatre's knowledge base (default: the shipped Korea one).
    """
    t = _transitions(folder)
    t = t[t["date"] <= as_of].sort_values(["provision_id", "date", "order"])
    current = t.groupby("provision_id", sort=False).tail(1)
    p = tables.load("provisions", folder).to_pandas()[["agreement_id", "provision_id", "category", "text_summary"]]
    out = p.merge(current, on="provision_id", how="inner")
    out["points"] = out["status"].map(STATUS_POINTS).astype("int64")
    out = out.rename(columns={"date": "since", "date_precision": "since_precision"})
    cols = [
        "agreement_id",
        "provision_id",
        "category",
        "text_summary",
        "status",
        "points",
        "since",
        "since_precision",
        "event",
        "timeline_refs",
        "source",
        "confidence",
        "note",
    ]
    return out[cols].reset_index(drop=True)


def scores(as_of: date, by: str = "agreement", folder: Path | None = None) -> pd.DataFrame:
    """Implementation scores on ``as_of`` grouped ``by`` agreement, category or agreement_category.

    Columns: the group keys, provisions, points, max_points, score (0-100), and the number of
    provisions in each status.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {sorted(GROUPINGS)}, not {by!r}")
    keys = GROUPINGS[by]
    s = provision_status(as_of, folder)
    if s.empty:
        return pd.DataFrame(columns=[*keys, "provisions", "points", "max_points", "score", *STATUS_POINTS])
    g = s.groupby(keys, sort=True)
    out = g.agg(provisions=("provision_id", "size"), points=("points", "sum")).reset_index()
    counts = s.pivot_table(index=keys, columns="status", values="provision_id", aggfunc="size", fill_value=0)
    counts = counts.reindex(columns=list(STATUS_POINTS), fill_value=0).reset_index()
    out["max_points"] = out["provisions"] * _MAX
    out["score"] = (100 * out["points"] / out["max_points"]).round(1)
    return out.merge(counts, on=keys)[[*keys, "provisions", "points", "max_points", "score", *STATUS_POINTS]]


def agreements_overview(as_of: date, folder: Path | None = None) -> pd.DataFrame:
    """Agreements signed by ``as_of`` with their implementation score (null where provisions are not coded).

    ``later_fate`` keeps only what was known on ``as_of`` (:func:`.asof.known_by`: no clause naming a
    later date). ``folder``: a theatre's knowledge base (default: the shipped Korea one).
    """
    a = tables.load("agreements", folder).to_pandas()
    a = a[a["date_signed"] <= as_of].copy()
    a["later_fate"] = [known_by(text, as_of) for text in a["later_fate"]]
    s = scores(as_of, folder=folder)[["agreement_id", "provisions", "score", "full", "reversed"]]
    out = a.merge(s, left_on="id", right_on="agreement_id", how="left")
    for col in ("pax_id", "provisions", "full", "reversed"):
        out[col] = out[col].astype("Int64")
    cols = [
        "id",
        "name",
        "date_signed",
        "date_precision",
        "kind",
        "parties",
        "pax_id",
        "provisions",
        "score",
        "full",
        "reversed",
        "later_fate",
        "source",
        "confidence",
    ]
    return out[cols].sort_values(["date_signed", "id"]).reset_index(drop=True)


def agreement_detail(agreement_id: str, as_of: date) -> pd.DataFrame:
    """Provision-by-provision status of one agreement on ``as_of`` with the events behind each status.

    ``history`` lists every transition up to ``as_of`` (``date status: event``, `` | ``-separated); ``timeline_events``
    gives the curated timeline entries (``kb:`` event ids and descriptions) behind the current status.
    Raises KeyError for an unknown id or one without coded provisions, ValueError before signing.
    """
    a = tables.agreements().to_pandas().set_index("id")
    if agreement_id not in a.index:
        raise KeyError(f"unknown agreement {agreement_id!r}; known: {', '.join(a.index)}")
    p = tables.provisions().to_pandas()
    if not (p["agreement_id"] == agreement_id).any():
        raise KeyError(f"agreement {agreement_id!r} has no coded provisions")
    if as_of < a.loc[agreement_id, "date_signed"]:
        raise ValueError(f"{agreement_id} was signed on {a.loc[agreement_id, 'date_signed']}, after {as_of}")
    s = provision_status(as_of)
    s = s[s["agreement_id"] == agreement_id].copy()
    t = _transitions()
    t = t[t["date"] <= as_of].sort_values(["date", "order"])
    s["history"] = s["provision_id"].map(
        lambda pid: " | ".join(f"{r.date} {r.status}: {r.event}" for r in t[t["provision_id"] == pid].itertuples())
    )
    described = _timeline_descriptions()
    s["timeline_events"] = s["timeline_refs"].map(lambda refs: _describe(refs, described))
    return s.drop(columns=["agreement_id"]).reset_index(drop=True)


def timeline_events(folder: Path | None = None) -> pa.Table:
    """The curated timeline (of ``folder``, default shipped) as canonical events (``korea-facts`` reader, no store)."""
    path = tables.timeline_path() if folder is None else Path(folder) / tables.TIMELINE.file
    con = duckdb.connect()
    try:
        rows = KoreaFactsEvents().read(path, con).rows
    finally:
        con.close()
    if not isinstance(rows, pa.Table):  # the korea-facts reader returns Arrow rows
        raise TypeError(f"unexpected reader output {type(rows).__name__}")
    return rows.filter(pc.is_null(rows.column("reject_reason")))


def _timeline_descriptions() -> dict[str, str]:
    ev = timeline_events().select(["event_id", "date", "description"]).to_pylist()
    out: dict[str, str] = {}
    for r in ev:
        base = r["event_id"].split(":", 2)
        out.setdefault(f"{base[0]}:{base[1]}", f"{r['date']} {r['description']}")
    return out


def _describe(refs: str | None, described: dict[str, str]) -> str:
    if not refs:
        return ""
    return "; ".join(f"{ref} {described.get(ref, '(not in the shipped timeline)')}" for ref in refs.split(";"))
