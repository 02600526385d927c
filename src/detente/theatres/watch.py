"""Asia border watch: every registry theatre side by side, with what the store and its knowledge base hold.

One row per theatre of the registry (:func:`~detente.theatres.registry.load_registry`), as of a date
(default: the store's latest event):

- ``tension`` and ``index_month``: the tension index (:func:`detente.indicators.tension.tension_frame`, monthly)
  of the latest month on or before ``as_of`` that has one (a month nothing covers has none, decision 057),
  ``change_12m`` its change from twelve months earlier (null when that month has no index), and
  ``coverage``: months with an index among the twelve ending at ``as_of``'s month;
- ``ucdp``: the pair's UCDP/PRIO conflicts in UCDP's last year (``conflict_years``), else the last
  year either was active;
- ``last_agreement``: the latest PA-X agreement of the pair (located in it, or linked to one of its
  UCDP conflicts, as in :func:`~detente.theatres.theatre_detail`) or of the theatre's knowledge base,
  signed by ``as_of``;
- ``cbms_in_force``: the knowledge base's confidence-building measures started by ``as_of`` and not ended.

A value the data cannot give is null, and ``missing`` says in one line what data would fill it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ..kb import tables
from .record import Record, load_record
from .registry import Registry, Theatre, load_registry
from .theatres import _agreements_for

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["WATCH_COLUMNS", "border_watch"]

#: columns of :func:`border_watch`, in order
WATCH_COLUMNS = (
    "theatre", "name", "region", "index_month", "tension", "change_12m", "coverage", "ucdp", "last_agreement_date",
    "last_agreement", "cbms_in_force", "cbms", "missing",
)  # fmt: skip
_INTENSITY = {1: "minor", 2: "war"}


def _latest(store: Store) -> date | None:
    value = store.events().date.max().to_pandas()
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _month(d: date, back: int = 0) -> date:
    n = d.year * 12 + d.month - 1 - back
    return date(n // 12, n % 12 + 1, 1)


def _index(store: Store, t: Theatre, as_of: date) -> dict[str, object]:
    from ..indicators.tension import tension_frame

    frame = tension_frame(store, t.id, "month", end=as_of)
    frame = frame[frame["tension"].notna()] if not frame.empty else frame
    by_month = dict(zip(frame["period"], frame["tension"], strict=True))
    window = {_month(as_of, k) for k in range(12)}
    if not by_month:
        return {"index_month": None, "tension": None, "change_12m": None, "coverage": 0}
    last = max(by_month)
    before = by_month.get(_month(last, 12))
    return {
        "index_month": last.strftime("%Y-%m"),
        "tension": round(float(by_month[last]), 1),
        "change_12m": None if before is None else round(float(by_month[last] - before), 1),
        "coverage": sum(m in by_month for m in window),
    }


def _ucdp(record: Record, t: Theatre) -> str | None:
    if record.coverage.ucdp is None:
        return None
    last_year = record.coverage.ucdp[1]
    a, b = t.pair
    u = record.ucdp_dyads
    u = u[(u["a"] == a) & (u["b"] == b)]
    now = u[u["year"] == last_year].drop_duplicates("conflict_id")
    if not now.empty:
        active = ", ".join(f"{r.conflict_id} {_INTENSITY.get(r.intensity, r.intensity)}" for r in now.itertuples())
        return f"active in {last_year} ({active})"
    if u.empty:
        return f"none {record.coverage.ucdp[0]}-{last_year}"
    return f"none in {last_year} (last active {int(u['year'].max())})"


def _last_agreement(record: Record, t: Theatre, as_of: date) -> tuple[date | None, str | None]:
    a, b = t.pair
    u = record.ucdp_dyads
    conflicts = sorted(int(c) for c in u.loc[(u["a"] == a) & (u["b"] == b), "conflict_id"].unique())
    found: list[tuple[date, str]] = []
    pax = _agreements_for(record, t.pair, conflicts)
    pax = pax[[d <= as_of for d in pax["date"]]]
    if not pax.empty:
        r = pax.sort_values(["date", "AgtId"]).iloc[-1]
        found.append((r["date"], f"{r['Agt']} (PA-X {int(r['AgtId'])})"))
    if t.kb is not None:
        kb = tables.load("agreements", t.kb, t.states).to_pandas()
        kb = kb[kb["date_signed"] <= as_of]
        if not kb.empty:
            r = kb.sort_values(["date_signed", "id"]).iloc[-1]
            found.append((r["date_signed"], f"{r['name']} (KB {r['id']})"))
    return max(found, key=lambda f: f[0]) if found else (None, None)


def _cbms(t: Theatre, as_of: date) -> tuple[int | None, str | None]:
    if t.kb is None:
        return None, None
    c = tables.load("cbm", t.kb, t.states).to_pandas()
    started = c["start"].notna() & (c["start"] <= as_of)
    running = c["end"].isna() | (c["end"] > as_of)
    live = c[started & running]
    return len(live), ";".join(sorted(live["id"]))


def _missing(row: dict[str, object], t: Theatre, record: Record) -> str:
    gaps = []
    if row["tension"] is None:
        gaps.append(f"index: no covered month (events of {t.states[0]} and {t.states[1]}: GDELT, ICEWS, COW MID)")
    elif row["coverage"] == 0:
        gaps.append(f"index: nothing since {row['index_month']} (recent GDELT or ICEWS events)")
    if record.coverage.ucdp is None:
        gaps.append("ucdp: UCDP/PRIO ACD not ingested")
    if row["last_agreement"] is None:
        gaps.append("last agreement: none in PA-X" + ("" if record.coverage.pax else " (not ingested)")
                    + (" or the knowledge base" if t.kb else "; no knowledge base"))  # fmt: skip
    if row["cbms_in_force"] is None:
        gaps.append("CBMs: no knowledge base for this theatre (docs/knowledge-base.md)")
    return "; ".join(gaps)


def border_watch(store: Store, registry: Registry | None = None, as_of: date | None = None) -> pd.DataFrame:
    """One row per registry theatre (:data:`WATCH_COLUMNS`, see the module docstring), as of ``as_of``.

    ``as_of`` defaults to the store's latest event (today for an empty store) and is kept in
    ``frame.attrs["as_of"]``; ``registry`` defaults to the shipped one.
    """
    registry = registry or load_registry()
    as_of = as_of or _latest(store) or date.today()
    record = load_record(store, as_of)
    rows = []
    for t in registry.theatres:
        row: dict[str, object] = {"theatre": t.id, "name": t.name, "region": t.region, **_index(store, t, as_of)}
        row["ucdp"] = _ucdp(record, t)
        row["last_agreement_date"], row["last_agreement"] = _last_agreement(record, t, as_of)
        row["cbms_in_force"], row["cbms"] = _cbms(t, as_of)
        row["missing"] = _missing(row, t, record)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(WATCH_COLUMNS))
    for column in ("coverage", "cbms_in_force"):
        frame[column] = frame[column].astype("Int64")
    frame.attrs["as_of"] = as_of
    return frame
