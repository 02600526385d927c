"""The monthly verdict of a dyad: deteriorated / improved / unchanged, with a risk alert and a resolution opportunity.

The rule is fixed before any comparison with an outside series (decision 072, ``docs/verdict.md``).
For a month *m* with tension index I(m) (:mod:`.indicators.tension`):

1. **Noise.** Δ(m) = I(m) − I(m−1). The noise σ(m) is the robust SD of the monthly differences Δ over
   the :data:`NOISE_MONTHS` (36) months before *m*: σ = 1.4826 · MAD(Δ); when a third or more of those
   differences are exactly 0 (a flat series with spikes, as an incidents-only index is in quiet
   years) the MAD measures the ties, so σ = SD(Δ) instead. z(m) = Δ(m) / σ(m).
2. **Signals.** Deterioration: ``index_up`` (z > :data:`K`, i.e. Δ > 2σ), ``major_incident`` (a nuclear
   test, an ICBM-class launch or a lethal clash of either side dated in *m*), ``reversal`` (an
   agreement provision turned ``reversed`` in *m*, :mod:`.kb.tracker`), ``cbm_ended`` (a
   confidence-building measure ended in *m*), ``freeze`` (a freeze phase first recognised in *m*
   from the index up to *m*, :func:`.indicators.phases.phase_changes`). Improvement: ``index_down``
   (z < −K), ``summit`` (a summit of the summits table, cancelled ones excluded, began in *m*),
   ``cbm_begun``, ``thaw`` (recognised likewise). Each signal counts once.
3. **Verdict.** ``deteriorated`` when the deterioration signals outnumber the improvement ones,
   ``improved`` when the reverse, else ``unchanged``.
4. **Flags.** ``risk_alert``: deteriorated with a major incident or z ≥ :data:`ALERT_Z` (3).
   ``resolution_opportunity``: a summit or a CBM begun, and not deteriorated.
5. **Insufficient data** (never a verdict): no index in *m* or *m−1*; an ``incidents-only`` reading
   with no incident and no knowledge-base event (reversal, CBM, summit) in *m* (the index then only
   says that no incident was recorded); fewer than :data:`MIN_DIFFS` (24) differences in the noise window.

The knowledge-base signals use the Korea tables, so they apply to dyads inside the peninsula (both
actors PRK or KOR); for other dyads only the index, phases and incidents speak. The phase signal of *m* uses the index
up to *m* only (decision 090), so it comes months after the phase's start, never before the data show it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ._extras import require
from .dyad import Dyad
from .forecast.targets import is_major
from .indicators.incidents import find_incidents
from .indicators.phases import phase_changes
from .indicators.series import dyad_of
from .indicators.tension import tension_frame
from .kb import tables

__all__ = [
    "ALERT_Z",
    "K",
    "MIN_DIFFS",
    "NOISE_MONTHS",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "compare",
    "crisiswatch_labels",
    "monthly_verdicts",
    "noise_sd",
    "verdict",
    "verdict_chart",
]

#: months of differences behind the noise σ of a month
NOISE_MONTHS = 36
#: fewest differences in the noise window for a verdict
MIN_DIFFS = 24
#: an index change counts when |Δ| > K·σ
K = 2.0
#: a deteriorated month is a risk alert when z ≥ ALERT_Z (or a major incident occurred)
ALERT_Z = 3.0
#: the calls, in order
VERDICTS = ("deteriorated", "unchanged", "improved", "insufficient data")
_DETERIORATION = ("index_up", "major_incident", "reversal", "cbm_ended", "freeze")
_IMPROVEMENT = ("index_down", "summit", "cbm_begun", "thaw")
#: columns of :func:`monthly_verdicts`
VERDICT_COLUMNS = (
    "month", "verdict", "risk_alert", "resolution_opportunity", "reason", "tension", "previous", "delta",
    "noise_sd", "z", "reading", "deterioration", "improvement", "major_incidents", "reversals",
    "cbm_begun", "cbm_ended", "summits", "phase", "event_ids",
)  # fmt: skip
_KOREA = {"PRK", "KOR"}


def noise_sd(diffs: np.ndarray) -> float:
    """Robust SD of monthly differences: 1.4826·MAD, or their SD when a third or more are exactly 0."""
    if diffs.size == 0:
        return float("nan")
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    flat = float(np.mean(np.abs(diffs) < 1e-9)) >= 1 / 3
    return 1.4826 * mad if mad > 0 and not flat else float(np.std(diffs))


def _month(day: object) -> str:
    return pd.Timestamp(day).strftime("%Y-%m")


def _by_month(pairs: Iterable[tuple[object, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for day, ident in pairs:
        if day is not None and not pd.isna(day):
            out.setdefault(_month(day), []).append(ident)
    return {m: sorted(set(ids)) for m, ids in out.items()}


def _kb_events(d: Dyad) -> dict[str, dict[str, list[str]]]:
    """Knowledge-base events per signal and month: reversals, CBMs begun and ended, summits (Korea only)."""
    if not {d.a, d.b} <= _KOREA:
        return {"reversal": {}, "cbm_begun": {}, "cbm_ended": {}, "summit": {}}
    tr = tables.transitions().to_pandas()
    tr = tr[tr["status"] == "reversed"]
    cbm = tables.cbm().to_pandas()
    summits = tables.summits().to_pandas()
    summits = summits[summits["kind"].str.contains("summit") & ~summits["kind"].str.contains("cancelled")]
    return {
        "reversal": _by_month(zip(tr["date"], tr["provision_id"] + "@" + tr["date"].astype(str), strict=True)),
        "cbm_begun": _by_month(zip(cbm["start"], "cbm:" + cbm["id"], strict=True)),
        "cbm_ended": _by_month(zip(cbm["end"], "cbm:" + cbm["id"], strict=True)),
        "summit": _by_month(zip(summits["date_start"], "summit:" + summits["id"], strict=True)),
    }


def _major_by_month(source: object, d: Dyad) -> dict[str, tuple[list[str], list[str]]]:
    """Month → (incident ids, every event id behind them) of the major incidents dated in that month."""
    inc = find_incidents(source, d)
    if inc.empty:
        return {}
    inc = inc[is_major(inc) & (inc["date_precision"].isin(["day", "month"]))]
    months = [_month(day) for day in inc["date"]]
    return {
        m: (sorted(inc["incident_id"][mask]), sorted({e for ids in inc["event_ids"][mask] for e in ids}))
        for m in set(months)
        for mask in [np.array(months) == m]
    }


def _phase_news(index: pd.DataFrame, source: object, d: Dyad) -> dict[str, tuple[str, list[str]]]:
    """Month → (label, opening event ids) of each freeze or thaw first recognised in that month (no hindsight)."""
    if index["tension"].notna().sum() < 2:
        return {}
    changes = phase_changes(source, d)
    return {_month(p.recognised): (p.label, list(p.opening_events)) for p in changes.itertuples()}


def monthly_verdicts(
    source: object, dyad: str | Dyad = "PRK-KOR", start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The verdict of every month of ``dyad`` from ``start`` to ``end`` (default: the index's span), with evidence.

    Columns :data:`VERDICT_COLUMNS`: ``verdict`` (one of :data:`VERDICTS`), the two flags, ``reason``
    (why the data are insufficient, else empty), the index numbers (``index``, ``previous``, ``delta``,
    ``noise_sd``, ``z``, ``reading``), the signals found (``deterioration``, ``improvement``) and the
    ids behind them (incident ids, ``provision@date``, ``cbm:``, ``summit:``; ``event_ids`` is their union
    with the opening events of a phase).
    """
    d = dyad_of(dyad)
    idx = tension_frame(source, d, "month")
    if idx.empty:
        return pd.DataFrame(columns=list(VERDICT_COLUMNS))
    kb, major = _kb_events(d), _major_by_month(source, d)
    phases = _phase_news(idx, source, d)
    values = idx["tension"].to_numpy(dtype=float)
    diffs = np.concatenate([[np.nan], np.diff(values)])
    rows = []
    for i, period in enumerate(idx["period"]):
        if (start is not None and period < start.replace(day=1)) or (end is not None and period > end):
            continue
        window = diffs[max(0, i - NOISE_MONTHS) : i]
        rows.append(_one(_month(period), idx.iloc[i], diffs[i], window[~np.isnan(window)], kb, major, phases))
    return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))


def _one(
    month: str,
    row: pd.Series,
    delta: float,
    window: np.ndarray,
    kb: dict[str, dict[str, list[str]]],
    major: dict[str, tuple[list[str], list[str]]],
    phases: dict[str, tuple[str, list[str]]],
) -> dict[str, Any]:
    events = {name: kb[name].get(month, []) for name in kb}
    incidents, incident_events = major.get(month, ([], []))
    label, opening = phases.get(month, ("", []))
    sigma = noise_sd(window) if window.size else float("nan")
    z = delta / sigma if sigma and sigma > 0 and not np.isnan(delta) else float("nan")
    out: dict[str, Any] = {
        "month": month, "verdict": "insufficient data", "risk_alert": False, "resolution_opportunity": False,
        "reason": "", "tension": row["tension"], "previous": row["tension"] - delta if not np.isnan(delta) else np.nan,
        "delta": delta, "noise_sd": sigma, "z": z, "reading": row["reading"], "deterioration": [],
        "improvement": [], "major_incidents": incidents, "reversals": events["reversal"],
        "cbm_begun": events["cbm_begun"], "cbm_ended": events["cbm_ended"], "summits": events["summit"],
        "phase": label, "event_ids": sorted({*incident_events, *(i for ids in events.values() for i in ids), *opening}),
    }  # fmt: skip
    kb_any = any(events.values())
    if np.isnan(delta):
        out["reason"] = "no index this month or the month before"
    elif row["reading"] == "incidents-only" and not row["incidents"] and not kb_any and not incidents:
        out["reason"] = "incidents-only reading without an incident or a knowledge-base event"
    elif window.size < MIN_DIFFS:
        out["reason"] = f"noise history of {window.size} months (< {MIN_DIFFS})"
    if out["reason"]:
        return out
    found = {
        "index_up": z > K, "index_down": z < -K, "major_incident": bool(incidents),
        "reversal": bool(events["reversal"]), "cbm_ended": bool(events["cbm_ended"]),
        "cbm_begun": bool(events["cbm_begun"]), "summit": bool(events["summit"]),
        "freeze": label == "freeze", "thaw": label == "thaw",
    }  # fmt: skip
    worse = [s for s in _DETERIORATION if found[s]]
    better = [s for s in _IMPROVEMENT if found[s]]
    call = "deteriorated" if len(worse) > len(better) else "improved" if len(better) > len(worse) else "unchanged"
    out.update(
        verdict=call,
        deterioration=worse,
        improvement=better,
        risk_alert=call == "deteriorated" and (bool(incidents) or z >= ALERT_Z),
        resolution_opportunity=(found["summit"] or found["cbm_begun"]) and call != "deteriorated",
    )
    return out


def verdict(source: object, month: str | date, dyad: str | Dyad = "PRK-KOR") -> dict[str, Any]:
    """One month's verdict (``YYYY-MM`` or a date) as a dict of :data:`VERDICT_COLUMNS`; ValueError outside the data."""
    first = month if isinstance(month, date) else _parse_month(month)
    frame = monthly_verdicts(source, dyad, start=first, end=first)
    if frame.empty:
        raise ValueError(f"no data for {first:%Y-%m}: the index of {dyad_of(dyad)} does not reach that month")
    return frame.iloc[0].to_dict()


def _parse_month(text: str) -> date:
    try:
        return pd.Timestamp(f"{text}-01" if len(text) == 7 else text).date().replace(day=1)
    except ValueError:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)") from None


def verdict_chart(verdicts: pd.DataFrame, title: str) -> dict[str, Any]:
    """The verdict history as a Vega-Lite spec: the index line, one coloured mark per month's call, flags ringed.

    The data (``month``, ``index``, ``verdict``, the two flags) travel inline, so the picture is the table.
    """
    alt = require("altair")

    frame = verdicts[["month", "tension", "verdict", "risk_alert", "resolution_opportunity"]].copy()
    frame["month"] = frame["month"] + "-01"
    frame["flag"] = np.where(frame["risk_alert"], "risk alert", np.where(frame["resolution_opportunity"],
                             "resolution opportunity", ""))  # fmt: skip
    data = alt.InlineData(values=frame.astype(object).where(frame.notna(), None).to_dict("records"))
    x = alt.X("month:T", title=None)
    y = alt.Y("tension:Q", title="tension index (0-100)", scale=alt.Scale(domain=[0, 100]))
    line = alt.Chart(data).mark_line(color="#999", strokeWidth=1, invalid="break-paths-show-domains").encode(x=x, y=y)
    colours = alt.Scale(domain=list(VERDICTS), range=["#de2d26", "#bdbdbd", "#2b8cbe", "#f0f0f0"])
    calls = (
        alt.Chart(data)
        .mark_circle(size=28, opacity=0.9)
        .encode(x=x, y=y, color=alt.Color("verdict:N", scale=colours, title="verdict"),
                tooltip=["month:T", "verdict:N", "flag:N", alt.Tooltip("tension:Q", format=".1f")])
    )  # fmt: skip
    flags = (
        alt.Chart(data)
        .transform_filter("datum.flag != ''")
        .mark_point(size=110, filled=False, strokeWidth=1.5)
        .encode(x=x, y=y, shape=alt.Shape("flag:N", title="flag"), color=alt.value("#222"))
    )
    return alt.layer(line, calls, flags).properties(title=title, width=720, height=260).to_dict()


def crisiswatch_labels() -> pd.DataFrame:
    """The CrisisWatch monthly calls for the Korean Peninsula we could verify: month, call, url, confidence, note.

    Derived labels only (International Crisis Group, CrisisWatch); every row names the page it was read on.
    """
    from importlib import resources

    path = resources.files("detente.analysis").joinpath("data", "crisiswatch_korea.csv")
    return pd.read_csv(io.StringIO(path.read_text("utf-8")), dtype=str)


def compare(verdicts: pd.DataFrame, labels: pd.DataFrame) -> dict[str, Any]:
    """Agreement and Cohen's κ of the rule's calls against ``labels`` (month, call) on the months both call.

    Months the rule leaves as ``insufficient data`` are left out. Returns ``months`` (the overlap, with
    both calls), ``n``, ``agreement`` (share of equal calls), ``kappa`` (NaN when chance agreement is 1
    or there is no overlap) and ``confusion`` (3x3, rule in rows, labels in columns).
    """
    calls = list(VERDICTS[:3])
    both = verdicts[["month", "verdict"]].merge(labels[["month", "call"]], on="month")
    both = both[both["verdict"].isin(calls) & both["call"].isin(calls)].reset_index(drop=True)
    confusion = pd.crosstab(
        pd.Categorical(both["verdict"], calls), pd.Categorical(both["call"], calls), dropna=False
    ).rename_axis(index="rule", columns="crisiswatch")
    n = len(both)
    observed = float((both["verdict"] == both["call"]).mean()) if n else float("nan")
    table = confusion.to_numpy(dtype=float)
    chance = float((table.sum(axis=1) * table.sum(axis=0)).sum() / n**2) if n else float("nan")
    kappa = (observed - chance) / (1 - chance) if n and chance < 1 else float("nan")
    return {"months": both, "n": n, "agreement": observed, "kappa": kappa, "confusion": confusion}
