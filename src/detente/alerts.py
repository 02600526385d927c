"""Alerts: rules evaluated on the data, fired once, logged, published as an Atom feed and delivered.

An :class:`Alert` carries its rule, a de-duplication ``key``, the month it concerns, a title and a
text, its evidence (numbers and event ids) and source links. Rules that need no monthly verdict:

- :func:`major_incidents`: a nuclear test, an ICBM-class launch or a lethal clash
  (:func:`detente.forecast.targets.is_major` on the month-bounded curated incidents);
- :func:`index_high`: the tension index of a dyad at its highest in ``years`` years;
- :func:`new_phases`: a freeze or a thaw first recognised from the data up to then
  (:func:`detente.indicators.phases.phase_changes`, no hindsight);
- :func:`cbm_ended`: a confidence-building measure of the knowledge base's ``cbm`` table ended;
- :func:`forecast_crossings`: a recorded forecast probability rising across a threshold
  (:class:`detente.forecast.record.ForecastRecord`);
- :func:`silent_sources`: a source with no new event for ``grace`` days past its usual cadence
  (the median gap between its event dates).

:class:`AlertLog` keeps an append-only, hash-chained JSON Lines file (``<home>/alerts/alerts.jsonl``,
:mod:`detente.journal`); an alert whose key is logged never fires again. :func:`write_feed` writes
the log as an Atom feed atomically; :func:`deliver` sends alerts through apprise (the ``alerts``
extra) to the URLs of :func:`alert_urls`. :func:`evaluate` runs it all (decision 070).
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .journal import Journal

if TYPE_CHECKING:
    from .forecast.record import ForecastRecord
    from .store import Store

__all__ = [
    "ALERT_DIR",
    "Alert",
    "AlertLog",
    "alert_urls",
    "cbm_ended",
    "deliver",
    "evaluate",
    "forecast_crossings",
    "index_high",
    "major_incidents",
    "new_phases",
    "silent_sources",
    "write_feed",
]

#: the alerts' folder under the store home (log, feed, optional ``urls.txt``)
ALERT_DIR = Path("alerts")
_ATOM = "http://www.w3.org/2005/Atom"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Alert:
    """One alert: ``rule``, de-duplication ``key``, ``month`` (YYYY-MM), ``title``, ``text`` and its evidence."""

    rule: str
    key: str
    month: str
    title: str
    text: str
    evidence: dict[str, Any] = field(default_factory=dict)
    event_ids: tuple[str, ...] = ()
    links: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples as lists)."""
        d = asdict(self)
        return d | {"event_ids": list(self.event_ids), "links": list(self.links)}


def _links(source: object, ids: Iterable[str]) -> tuple[str, ...]:
    from .indicators.series import events_of

    ids = sorted(set(ids))
    if not ids:
        return ()
    t = events_of(source)
    urls = t.filter(t.event_id.isin(ids), t.url.notnull()).select("url").distinct().to_pandas()["url"]
    return tuple(sorted(u for u in urls if u.startswith(("http://", "https://"))))


def major_incidents(source: object, since: date, as_of: date, subject: str = "PRK") -> list[Alert]:
    """One alert per major incident of ``subject`` dated in (``since``, ``as_of``], keyed by its first event id."""
    from .forecast.targets import month_incidents

    inc = month_incidents(source, subject, end=as_of)
    inc = inc[inc["major"] & (inc["date"] > pd.Timestamp(since))]
    out = []
    for r in inc.itertuples():
        ids = tuple(sorted(r.event_ids))
        day = r.date.date()
        what = {"nuclear_test": "nuclear test"}.get(r.kind, "ICBM-class launch" if r.missile_class == "icbm" else
                                                    "lethal clash")  # fmt: skip
        out.append(Alert("major-incident", f"major-incident:{ids[0]}", day.strftime("%Y-%m"),
                         f"Major incident: {subject} {what} on {day}",
                         f"A {what} by {subject} on {day} ({r.kind}), reported in {len(ids)} source row(s).",
                         {"date": str(day), "kind": r.kind, "severity": float(r.severity)}, ids,
                         _links(source, ids)))  # fmt: skip
    return out


def index_high(source: object, as_of: date, years: int = 5, dyad: str = "PRK-KOR") -> list[Alert]:
    """An alert when the last month's tension index up to ``as_of`` is the highest of the last ``years`` years.

    Ties count as highest.
    """
    from .indicators.tension import tension_frame

    idx = tension_frame(source, dyad, "month", end=as_of, event_ids=True)  # standardised over all data to as_of
    if len(idx) < 12 * years:
        return []
    idx = idx.tail(12 * years)
    last = idx.iloc[-1]
    if last["tension"] < idx["tension"].max():
        return []
    month = pd.Timestamp(last["period"]).strftime("%Y-%m")
    ids = tuple(sorted(last["event_ids"]))
    return [Alert("index-high", f"index-high:{dyad}:{years}:{month}", month,
                  f"Tension index of {dyad} at its highest in {years} years ({month})",
                  f"The {dyad} tension index for {month} is {last['tension']:.1f}, the highest of the "
                  f"{len(idx)} months since {idx['period'].iloc[0]:%Y-%m}.",
                  {"tension": round(float(last["tension"]), 3), "months": len(idx), "years": years}, ids,
                  _links(source, ids))]  # fmt: skip


def new_phases(source: object, since: date, as_of: date, dyad: str = "PRK-KOR") -> list[Alert]:
    """One alert per freeze or thaw of ``dyad`` first recognised in a month from ``since``'s to ``as_of``'s.

    Only events up to ``as_of`` are read, and each month's reading uses the data up to that month
    (:func:`~detente.indicators.phases.phase_changes`); keyed by the dyad, the label and the phase's start.
    """
    from .indicators.phases import phase_changes
    from .indicators.series import events_of

    t = events_of(source)
    changes = phase_changes(t.filter(t.date <= as_of), dyad)
    months = changes["recognised"].map(_month_of)
    changes = changes[months.between(_month_of(since), _month_of(as_of))]
    out = []
    for r in changes.itertuples():
        month, start = _month_of(r.recognised), _month_of(r.start)
        ids = tuple(r.opening_events)
        out.append(Alert("new-phase", f"new-phase:{dyad}:{r.label}:{start}", month,
                         f"New phase: {dyad} in a {r.label} since {start} (recognised {month})",
                         f"With the data up to {month}, the {dyad} tension index is in a {r.label} that began in "
                         f"{start}: its mean {r.mean:.1f} is {abs(r.change):.1f} points "
                         f"{'above' if r.change > 0 else 'below'} the previous phase's.",
                         {"label": r.label, "start": start, "recognised": month, "mean": float(r.mean),
                          "change": float(r.change)}, ids, _links(source, ids)))  # fmt: skip
    return out


def cbm_ended(since: date, as_of: date) -> list[Alert]:
    """One alert per confidence-building measure of the ``cbm`` table that ended in (``since``, ``as_of``].

    The evidence is the table row (its end, its precision, what ended it); the links are the row's
    sources published by ``as_of`` (:func:`~detente.kb.asof.cited_dates`: a replay tells no later article).
    """
    from .kb import tables
    from .kb.asof import cited_dates

    cbm = tables.cbm().to_pandas()
    ends = pd.to_datetime(cbm["end"])
    cbm = cbm[(ends > pd.Timestamp(since)) & (ends <= pd.Timestamp(as_of))]
    out = []
    for r in cbm.itertuples():
        end = r.end.isoformat()
        cited = [c for c in r.source.split(" | ") if max(cited_dates(c), default=as_of) <= as_of]
        links = tuple(dict.fromkeys(u for c in cited for u in re.findall(r"https?://\S+", c)))
        out.append(Alert("cbm-ended", f"cbm-ended:{r.id}:{end}", _month_of(r.end),
                         f"CBM ended: {r.name} ({end})",
                         f"The {r.kind} {r.name!r} ({r.id}), in force since {r.start}, ended on {end}"
                         f"{f' ({r.end_precision} precision)' if r.end_precision != 'day' else ''}: {r.end_event}.",
                         {"id": r.id, "kind": r.kind, "start": str(r.start), "end": end,
                          "end_precision": r.end_precision, "agreement_id": r.agreement_id,
                          "confidence": r.confidence}, (f"cbm:{r.id}",), links))  # fmt: skip
    return out


def _month_of(day: object) -> str:
    return pd.Timestamp(day).strftime("%Y-%m")


def forecast_crossings(record: ForecastRecord, threshold: float = 0.5) -> list[Alert]:
    """An alert per recorded binary forecast whose probability reached ``threshold`` from below the last one."""
    f = record.forecasts()
    f = f[f["pmf"].isna()].sort_values(["target", "horizon", "model", "origin"], kind="stable")
    out = []
    for (name, h, m), g in f.groupby(["target", "horizon", "model"], sort=True):
        prev = g["value"].shift()
        for r, p in zip(g.itertuples(), prev, strict=True):
            if pd.notna(p) and p < threshold <= r.value:
                out.append(Alert("forecast-crossing", f"forecast-crossing:{name}:{h}:{m}:{threshold}:{r.origin}",
                                 str(r.origin), f"Forecast: P({name}, {h} month(s)) rose to {r.value:.2f}",
                                 f"The {m} forecast issued {r.issued_at} for {name} within {h} month(s) after "
                                 f"{r.origin} is {r.value:.2f}, up from {p:.2f}: above {threshold:.2f}.",
                                 {"probability": r.value, "previous": float(p), "threshold": threshold,
                                  "forecast_id": r.id, "data_hash": r.data_hash}))  # fmt: skip
    return out


def silent_sources(store: Store, as_of: date, grace: int = 30) -> list[Alert]:
    """An alert per source whose last event is more than its median gap + ``grace`` days before ``as_of``."""
    ev = store.events()
    dates = ev.filter(ev.date <= as_of).select("source", "date").distinct().to_pandas()
    ingests = store.ingests().to_pandas()
    out = []
    for source, g in dates.groupby("source", sort=True):
        days = pd.to_datetime(g["date"]).sort_values()
        if len(days) < 3:
            continue
        cadence = float(days.diff().dt.days.median())
        last = days.iloc[-1].date()
        silence = (as_of - last).days
        if silence <= cadence + grace:
            continue
        files = sorted(ingests.loc[ingests["source"] == source, "file_name"])
        out.append(Alert("source-silent", f"source-silent:{source}:{last}", as_of.strftime("%Y-%m"),
                         f"Source silent: {source} has no event since {last}",
                         f"{source} ({', '.join(files)}) has had no new event for {silence} days up to {as_of}; "
                         f"its usual gap between event dates is {cadence:g} days.",
                         {"last_event": str(last), "silent_days": silence, "cadence_days": cadence,
                          "grace_days": grace}))  # fmt: skip
    return out


class AlertLog:
    """The append-only alert log of a store home; an alert fires once per key."""

    def __init__(self, home: str | Path) -> None:
        self.journal = Journal(Path(home) / ALERT_DIR / "alerts.jsonl")

    def alerts(self) -> list[dict[str, Any]]:
        """Every fired alert, oldest first, with ``fired_at``."""
        return list(self.journal.entries())

    def fire(self, alerts: Iterable[Alert]) -> list[Alert]:
        """Log the alerts whose key was never logged (once each); returns them."""
        seen = {e["key"] for e in self.journal.entries()}
        new = []
        for a in alerts:
            if a.key not in seen:
                seen.add(a.key)
                new.append(a)
        now = datetime.now(UTC).isoformat()
        self.journal.append(a.to_dict() | {"fired_at": now} for a in new)
        return new


def _clean(text: object) -> str:
    """Text safe in XML 1.0 (control characters dropped; ElementTree escapes the rest)."""
    return _CONTROL.sub("", str(text))


def write_feed(entries: Sequence[dict[str, Any]], path: Path, title: str = "Détente alerts") -> Path:
    """Write ``entries`` (alert dicts with ``fired_at``) as an Atom feed at ``path``, atomically; returns it.

    The document is parsed back before it replaces the old feed, so a feed on disk always parses.
    """
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")
    updated = max((e["fired_at"] for e in entries), default=datetime.now(UTC).isoformat())
    for tag, text in (("title", title), ("id", "urn:detente:alerts"), ("updated", updated)):
        ET.SubElement(feed, f"{{{_ATOM}}}{tag}").text = _clean(text)
    for e in reversed(entries):
        item = ET.SubElement(feed, f"{{{_ATOM}}}entry")
        ET.SubElement(item, f"{{{_ATOM}}}id").text = _clean(f"urn:detente:alert:{e['key']}")
        ET.SubElement(item, f"{{{_ATOM}}}title").text = _clean(e["title"])
        ET.SubElement(item, f"{{{_ATOM}}}updated").text = _clean(e["fired_at"])
        ET.SubElement(item, f"{{{_ATOM}}}category", term=_clean(e["rule"]))
        evidence = "; ".join(f"{k}={v}" for k, v in sorted(e["evidence"].items()))
        ids = f" Events: {', '.join(e['event_ids'])}." if e["event_ids"] else ""
        ET.SubElement(item, f"{{{_ATOM}}}summary").text = _clean(f"{e['text']} Evidence: {evidence}.{ids}")
        for link in e["links"]:
            ET.SubElement(item, f"{{{_ATOM}}}link", href=_clean(link), rel="related")
    data = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    ET.fromstring(data)  # a feed that does not parse never replaces the old one
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def alert_urls(home: str | Path) -> list[str]:
    """Delivery URLs: ``DETENTE_ALERT_URLS`` (comma or whitespace separated), else ``<home>/alerts/urls.txt``
    (one per line, ``#`` comments)."""
    env = os.environ.get("DETENTE_ALERT_URLS", "")
    if env.strip():
        return [u for u in re.split(r"[\s,]+", env) if u]
    path = Path(home) / ALERT_DIR / "urls.txt"
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [u for u in lines if u]


def deliver(alerts: Sequence[Alert], urls: Sequence[str]) -> bool:
    """Send each alert to every URL through apprise; True when every notification went through.

    Raises ``ValueError`` naming a URL apprise does not accept, and ``ImportError`` naming the extra.
    """
    if not alerts or not urls:
        return True
    with warnings.catch_warnings():  # apprise's plugins import the deprecated imghdr
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import apprise
        except ImportError:
            raise ImportError("alert delivery needs apprise: pip install 'detente[alerts]'") from None
        hub = apprise.Apprise()
        for url in urls:
            if not hub.add(url):
                raise ValueError(f"not a notification URL apprise accepts: {url!r}")
        ok = True
        for a in alerts:
            links = "".join(f"\n{u}" for u in a.links)
            ids = f"\nEvents: {', '.join(a.event_ids)}" if a.event_ids else ""
            body = f"{a.text}{ids}{links}"
            ok &= bool(hub.notify(title=a.title, body=body, body_format=apprise.NotifyFormat.TEXT))
    return ok


def evaluate(
    store: Store,
    as_of: date,
    *,
    record: ForecastRecord | None = None,
    lookback: int = 90,
    years: int = 5,
    threshold: float = 0.5,
    grace: int = 30,
    urls: Sequence[str] | None = None,
) -> list[Alert]:
    """Run every rule on the data up to ``as_of`` (the data's date), fire the new alerts, write the feed, deliver.

    Major incidents, new phases and ended CBMs are looked for in the ``lookback`` days before ``as_of``.
    Returns the alerts that fired now (none on a second run over the same data).
    """
    ev = store.events()
    events = ev.filter(ev.date <= as_of)
    since = as_of - timedelta(days=lookback)
    found = [*major_incidents(events, since, as_of), *index_high(events, as_of, years),
             *new_phases(events, since, as_of), *cbm_ended(since, as_of),
             *silent_sources(store, as_of, grace)]  # fmt: skip
    if record is not None:
        found += forecast_crossings(record, threshold)
    log = AlertLog(store.home)
    new = log.fire(found)
    write_feed(log.alerts(), store.home / ALERT_DIR / "alerts.atom")
    deliver(new, alert_urls(store.home) if urls is None else urls)
    return new
