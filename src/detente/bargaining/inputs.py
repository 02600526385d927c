"""Bargaining inputs: actors' positions, saliences and capabilities per issue, from YAML or CSV.

Two layouts are read (``docs/bargaining.md`` has the full reference):

- **YAML issue set** (the shipped ``data/korea.yaml``): top-level ``name``, ``as_of``,
  ``salience_scale`` (default 100), ``sources`` (key -> ``title``, ``publisher``, ``date``, ``url``),
  ``actors`` (code -> ``name``, ``capability``) and ``issues`` (a list with ``id``, ``name``,
  ``scale: [low, high]``, ``low``/``high`` labels, optional ``status_quo`` and ``actors``: code ->
  ``position``, ``salience``, optional ``capability``). Every number is an *estimate*: a bare
  number, or a mapping with ``value``, optional ``range: [low, high]`` (the Monte Carlo draws from a
  triangular distribution on it, peaked at ``value``), ``rationale`` and ``sources`` (keys of
  ``sources``).
- **Flat CSV** in the layout of the DEU data and the published examples: columns
  ``actor,issue,position,salience,capability`` (salience on 0-100 by default), optionally
  ``<field>_low`` and ``<field>_high`` for the ranges. Issue scales are the span of the positions.

Any problem raises :class:`BargainingInputError` naming the field path (YAML) or the row and column
(CSV) and what was wrong.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa

__all__ = [
    "CSV_COLUMNS",
    "BargainingInputError",
    "Estimate",
    "IssueSet",
    "IssueSpec",
    "Source",
    "data_path",
    "ec_emissions",
    "korea",
    "load",
    "parse_csv",
    "parse_yaml",
]

CSV_COLUMNS = ("actor", "issue", "position", "salience", "capability")
_FIELDS = ("position", "salience", "capability")


class BargainingInputError(ValueError):
    """An issue file that cannot be used; the message names the field or row at fault."""


@dataclass(frozen=True)
class Source:
    """A cited source: ``title (publisher, date) — url``."""

    key: str
    title: str
    publisher: str
    date: str
    url: str

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.date}) — {self.url}"


@dataclass(frozen=True)
class Estimate:
    """One input value with its range (``low == high == value`` when certain) and provenance."""

    value: float
    low: float
    high: float
    rationale: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueSpec:
    """One issue: its scale, the actors' estimates and the status quo (if given)."""

    id: str
    name: str
    scale: tuple[float, float]
    low_label: str
    high_label: str
    position: dict[str, Estimate]
    salience: dict[str, Estimate]
    capability: dict[str, Estimate]
    status_quo: Estimate | None = None
    description: str = ""

    @property
    def actors(self) -> tuple[str, ...]:
        """Actor codes in file order."""
        return tuple(self.position)


@dataclass(frozen=True)
class IssueSet:
    """A set of issues over a common list of actors; salience is stored on ``salience_scale``."""

    name: str
    actors: dict[str, str]
    issues: tuple[IssueSpec, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    salience_scale: float = 100.0
    as_of: str = ""

    def issue(self, issue_id: str) -> IssueSpec:
        """The issue with this id (``KeyError`` listing the ids otherwise)."""
        for spec in self.issues:
            if spec.id == issue_id:
                return spec
        raise KeyError(f"no issue {issue_id!r}; issues: {', '.join(s.id for s in self.issues)}")

    def select(self, issue_ids: list[str]) -> IssueSet:
        """The same set restricted to ``issue_ids`` (in that order)."""
        return IssueSet(self.name, self.actors, tuple(self.issue(i) for i in issue_ids), self.sources,
                        self.salience_scale, self.as_of)  # fmt: skip

    def _stack(self, issue_id: str, which: str) -> np.ndarray:
        spec = self.issue(issue_id)
        cols = []
        for name, table in (("position", spec.position), ("salience", spec.salience), ("capability", spec.capability)):
            vals = np.array([getattr(table[a], which) for a in spec.actors], dtype=float)
            cols.append(vals / self.salience_scale if name == "salience" else vals)
        return np.stack(cols, -1)

    def matrix(self, issue_id: str) -> np.ndarray:
        """``X`` for the models: ``(n_actors, 3)`` of position, salience in [0, 1], capability."""
        return self._stack(issue_id, "value")

    def bounds(self, issue_id: str) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper ends of every input's range, shaped like :meth:`matrix`."""
        return self._stack(issue_id, "low"), self._stack(issue_id, "high")

    def inputs_table(self) -> pa.Table:
        """Every input as a row: issue, actor, field, value, low, high, rationale, sources."""
        rows = []
        for spec in self.issues:
            if spec.status_quo is not None:
                rows.append(_row(spec.id, "", "status_quo", spec.status_quo, self.sources))
            for actor in spec.actors:
                for name in _FIELDS:
                    rows.append(_row(spec.id, actor, name, getattr(spec, name)[actor], self.sources))
        return pa.Table.from_pylist(rows)


def _row(issue: str, actor: str, name: str, est: Estimate, sources: dict[str, Source]) -> dict[str, object]:
    cited = " | ".join(str(sources[k]) if k in sources else k for k in est.sources)
    return {"issue": issue, "actor": actor, "field": name, "value": est.value, "low": est.low, "high": est.high,
            "rationale": est.rationale, "sources": cited}  # fmt: skip


# --------------------------------------------------------------------------------------------- YAML


def _fail(path: str, message: str) -> BargainingInputError:
    return BargainingInputError(f"{path}: {message}")


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise _fail(path, f"expected a finite number, got {value!r}")
    return float(value)


def _text(value: object, path: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value).strip() == "":
        raise _fail(path, f"expected non-empty text, got {value!r}")
    return str(value).strip()


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise _fail(path, f"expected a mapping, got {type(value).__name__}")
    return value


def _estimate(value: object, path: str, lo: float, hi: float, sources: Mapping[str, Source], strict: bool) -> Estimate:
    """Parse a bare number or ``{value, range, rationale, sources}``, checked against ``[lo, hi]``."""
    if not isinstance(value, Mapping):
        if strict:
            raise _fail(path, "needs value, rationale and sources (strict mode)")
        v = _number(value, path)
        low = high = v
        rationale, keys = "", tuple[str, ...]()
    else:
        unknown = set(value) - {"value", "range", "rationale", "sources"}
        if unknown:
            raise _fail(path, f"unknown key(s) {sorted(unknown)}; allowed: value, range, rationale, sources")
        if "value" not in value:
            raise _fail(path, "missing 'value'")
        v = _number(value["value"], f"{path}.value")
        rng = value.get("range")
        if rng is None:
            low = high = v
        elif isinstance(rng, list) and len(rng) == 2:
            low, high = _number(rng[0], f"{path}.range[0]"), _number(rng[1], f"{path}.range[1]")
            if not low <= v <= high:
                raise _fail(f"{path}.range", f"[{low:g}, {high:g}] must contain the value {v:g}")
        else:
            raise _fail(f"{path}.range", f"expected [low, high], got {rng!r}")
        rationale = _text(value.get("rationale"), f"{path}.rationale", required=strict)
        raw = value.get("sources", [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or (strict and not raw):
            raise _fail(f"{path}.sources", f"expected a non-empty list of source keys, got {raw!r}")
        keys = tuple(_text(k, f"{path}.sources[{i}]") for i, k in enumerate(raw))
        for i, key in enumerate(keys):
            if key not in sources:
                raise _fail(f"{path}.sources[{i}]", f"unknown source {key!r} (not under 'sources')")
    for end, num in (("value", v), ("low", low), ("high", high)):
        if not lo <= num <= hi:
            raise _fail(path, f"{end} {num:g} is outside [{lo:g}, {hi:g}]")
    return Estimate(v, low, high, rationale, keys)


def _sources(doc: Mapping[str, object]) -> dict[str, Source]:
    out = {}
    for key, entry in _mapping(doc.get("sources", {}) or {}, "sources").items():
        path = f"sources.{key}"
        m = _mapping(entry, path)
        out[str(key)] = Source(
            str(key), *(_text(m.get(f), f"{path}.{f}") for f in ("title", "publisher", "date", "url"))
        )
    return out


def _issue(
    entry: object, path: str, actors: dict[str, str], caps: dict[str, Estimate], sources: dict[str, Source],
    sal_scale: float, strict: bool,
) -> IssueSpec:  # fmt: skip
    m = _mapping(entry, path)
    iid = _text(m.get("id"), f"{path}.id")
    path = f"issues[{iid}]"
    scale = m.get("scale")
    if not (isinstance(scale, list) and len(scale) == 2):
        raise _fail(f"{path}.scale", f"expected [low, high], got {scale!r}")
    lo, hi = _number(scale[0], f"{path}.scale[0]"), _number(scale[1], f"{path}.scale[1]")
    if not lo < hi:
        raise _fail(f"{path}.scale", f"low {lo:g} must be below high {hi:g}")
    pos, sal, cap = {}, {}, {}
    members = _mapping(m.get("actors"), f"{path}.actors")
    if len(members) < 2:
        raise _fail(f"{path}.actors", "an issue needs at least two actors")
    for code, spec in members.items():
        apath = f"{path}.actors.{code}"
        if code not in actors:
            raise _fail(apath, f"unknown actor {code!r} (not under 'actors')")
        a = _mapping(spec, apath)
        unknown = set(a) - {"position", "salience", "capability"}
        if unknown:
            raise _fail(apath, f"unknown key(s) {sorted(unknown)}; allowed: position, salience, capability")
        for key in ("position", "salience"):
            if key not in a:
                raise _fail(apath, f"missing '{key}'")
        pos[code] = _estimate(a["position"], f"{apath}.position", lo, hi, sources, strict)
        sal[code] = _estimate(a["salience"], f"{apath}.salience", 0.0, sal_scale, sources, strict)
        if "capability" in a:
            cap[code] = _estimate(a["capability"], f"{apath}.capability", 0.0, math.inf, sources, strict)
        elif code in caps:
            cap[code] = caps[code]
        else:
            raise _fail(apath, f"no capability for {code} here or under actors.{code}")
    sq = m.get("status_quo")
    if isinstance(sq, Mapping) and "range" in sq:
        raise _fail(f"{path}.status_quo.range", "the status quo is a fixed point (no range); give only its value")
    status_quo = None if sq is None else _estimate(sq, f"{path}.status_quo", lo, hi, sources, strict)
    return IssueSpec(
        iid, _text(m.get("name"), f"{path}.name"), (lo, hi), _text(m.get("low"), f"{path}.low", required=strict),
        _text(m.get("high"), f"{path}.high", required=strict), pos, sal, cap, status_quo,
        _text(m.get("description"), f"{path}.description", required=False),
    )  # fmt: skip


def parse_yaml(text: str, strict: bool = False) -> IssueSet:
    """Parse a YAML issue set; ``strict`` requires a rationale and sources on every estimate."""
    import yaml  # PyYAML; only needed for YAML files

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BargainingInputError(f"not valid YAML: {exc}") from None
    doc = _mapping(doc, "top level")
    sal_scale = _number(doc.get("salience_scale", 100), "salience_scale")
    if sal_scale <= 0:
        raise _fail("salience_scale", "must be > 0")
    sources = _sources(doc)
    actors, caps = {}, {}
    for code, entry in _mapping(doc.get("actors"), "actors").items():
        path = f"actors.{code}"
        a = _mapping(entry, path)
        actors[str(code)] = _text(a.get("name"), f"{path}.name")
        if "capability" in a:
            caps[str(code)] = _estimate(a["capability"], f"{path}.capability", 0.0, math.inf, sources, strict)
    raw_issues = doc.get("issues")
    if not isinstance(raw_issues, list) or not raw_issues:
        raise _fail("issues", "expected a non-empty list of issues")
    issues = tuple(
        _issue(e, f"issues[{i}]", actors, caps, sources, sal_scale, strict) for i, e in enumerate(raw_issues)
    )
    ids = [s.id for s in issues]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise _fail("issues", f"duplicate issue id(s) {dup}")
    as_of = doc.get("as_of", "")
    return IssueSet(_text(doc.get("name", "issues"), "name"), actors, issues, sources, sal_scale, str(as_of or ""))


# ---------------------------------------------------------------------------------------------- CSV


def _cell(row: dict[str, str], col: str, where: str) -> float:
    raw = (row.get(col) or "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise BargainingInputError(f"{where}, column {col}: {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise BargainingInputError(f"{where}, column {col}: {raw!r} is not a finite number")
    return value


def parse_csv(text: str, name: str = "issues", salience_scale: float = 100.0) -> IssueSet:
    """Parse the flat ``actor,issue,position,salience,capability`` layout (extra ``*_low``/``*_high``)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise BargainingInputError(f"header: missing column(s) {missing}; expected {', '.join(CSV_COLUMNS)}")
    bounds_cols = {f"{f}_{e}" for f in _FIELDS for e in ("low", "high")}
    extra = [h for h in header if h not in CSV_COLUMNS and h not in bounds_cols]
    if extra:
        raise BargainingInputError(f"header: unknown column(s) {extra}")
    rows: dict[str, dict[str, dict[str, Estimate]]] = {}
    actors: dict[str, str] = {}
    for n, raw in enumerate(reader, start=1):
        row = {k.strip(): v for k, v in raw.items() if k is not None}
        where = f"row {n} (line {reader.line_num})"
        actor, issue = (row.get("actor") or "").strip(), (row.get("issue") or "").strip()
        if not actor or not issue:
            raise BargainingInputError(f"{where}: empty actor or issue")
        ests = {}
        for f in _FIELDS:
            v = _cell(row, f, where)
            lo = _cell(row, f"{f}_low", where) if (row.get(f"{f}_low") or "").strip() else v
            hi = _cell(row, f"{f}_high", where) if (row.get(f"{f}_high") or "").strip() else v
            if not lo <= v <= hi:
                raise BargainingInputError(f"{where}, column {f}: range [{lo:g}, {hi:g}] must contain {v:g}")
            limit = salience_scale if f == "salience" else math.inf
            if f != "position" and not (lo >= 0 and hi <= limit):
                top = f"{limit:g}" if f == "salience" else "inf"
                raise BargainingInputError(f"{where}, column {f}: {v:g} (range [{lo:g}, {hi:g}]) is outside 0-{top}")
            ests[f] = Estimate(v, lo, hi)
        per_issue = rows.setdefault(issue, {})
        if actor in per_issue:
            raise BargainingInputError(f"{where}: actor {actor!r} appears twice on issue {issue!r}")
        per_issue[actor] = ests
        actors.setdefault(actor, actor)
    if not rows:
        raise BargainingInputError("no data rows")
    issues = []
    for iid, table in rows.items():
        if len(table) < 2:
            raise BargainingInputError(f"issue {iid!r}: needs at least two actors, has {len(table)}")
        xs = [e["position"] for e in table.values()]
        lo, hi = min(e.low for e in xs), max(e.high for e in xs)
        issues.append(IssueSpec(
            iid, iid, (lo, hi if hi > lo else lo + 1.0), "", "",
            {a: e["position"] for a, e in table.items()}, {a: e["salience"] for a, e in table.items()},
            {a: e["capability"] for a, e in table.items()},
        ))  # fmt: skip
    return IssueSet(name, actors, tuple(issues), {}, salience_scale)


# ------------------------------------------------------------------------------------------ loading


def data_path(name: str) -> Path:
    """Path of a file shipped in ``detente/bargaining/data``."""
    return Path(str(resources.files("detente.bargaining") / "data" / name))


def load(path: str | Path, salience_scale: float = 100.0, strict: bool = False) -> IssueSet:
    """Read a ``.yaml``/``.yml`` issue set or a ``.csv`` table (``salience_scale`` applies to CSV)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BargainingInputError(f"{p}: cannot read ({exc})") from None
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return parse_yaml(text, strict=strict)
    if suffix == ".csv":
        return parse_csv(text, name=p.stem, salience_scale=salience_scale)
    raise BargainingInputError(f"{p}: unknown file type {suffix!r}; use .yaml, .yml or .csv")


def korea() -> IssueSet:
    """The shipped Korean Peninsula issue set (every estimate sourced; strict)."""
    return load(data_path("korea.yaml"), strict=True)


def ec_emissions() -> IssueSet:
    """BDM's (1994) EC car-emission example as tabulated by Scholz et al. (2011), Table 1."""
    return load(data_path("ec_emissions.csv"))
