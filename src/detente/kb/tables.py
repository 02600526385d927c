"""Typed loaders for the knowledge-base tables shipped in ``detente/kb/data`` (see ``ATTRIBUTION.md``).

Every table is a UTF-8 CSV with a header row; every row carries ``source`` (``title (publisher,
date) — address``, several joined by `` | ``) and ``confidence`` (``verified`` or ``recalled``).
Dates are ISO text of day, month or year precision (``2018-09-19``, ``2020-01``, ``1976``); the
loaders return them as ``date32`` (the first day of the month or year) next to a precision column,
so a month-only date never gets an invented day. Loading fails with :class:`KbDataError` naming the
file and line of the first bad value; :func:`validate` lists every problem of a folder (file, row, field).

A theatre's knowledge base is a folder with the same files (``load(name, folder)``; decision 075): a
file it lacks is a table it does not have (no rows), ``leaders.country`` must be one of its states (or
any ISO3 code when they are not given) and ``camp`` is free text outside Korea.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

import pyarrow as pa

__all__ = [
    "CONFIDENCE",
    "PRECISIONS",
    "TABLES",
    "TIMELINE",
    "KbDataError",
    "KbProblem",
    "KbTable",
    "agreements",
    "cbm",
    "data_path",
    "exercises",
    "hotlines",
    "leaders",
    "load",
    "missile_tests_by_year",
    "parse_date",
    "parse_table",
    "provisions",
    "sanctions",
    "shipped_folder",
    "spec_for",
    "summits",
    "timeline_path",
    "transitions",
    "validate",
]

CONFIDENCE = ("verified", "recalled")
PRECISIONS = ("day", "month", "year")
_PARTS = {"day": 3, "month": 2, "year": 1}


class KbDataError(ValueError):
    """A knowledge-base CSV that does not follow its table's layout."""


@dataclass(frozen=True)
class KbTable:
    """Layout of one shipped table.

    ``columns`` lists the CSV's columns in order with their types (dates are ``pa.date32()``).
    ``precision`` maps a date column to the column holding its precision; when that column is not
    in the CSV it is derived from the text and added right after the date. A date column missing
    from ``precision`` must be of day precision. ``choices`` restricts a column's values.
    """

    file: str
    description: str
    columns: tuple[tuple[str, pa.DataType], ...]
    precision: dict[str, str] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _s(*names: str) -> tuple[tuple[str, pa.DataType], ...]:
    return tuple((n, pa.string()) for n in names)


_D = pa.date32()
_STATUS = ("not_initiated", "minimal", "intermediate", "full", "reversed")
_CATEGORY = ("military_cbm", "denuclearization", "humanitarian", "economic", "communication", "political")

TABLES: dict[str, KbTable] = {
    "agreements": KbTable(
        "agreements.csv",
        "Agreements 1953-2024 with parties, dates, PA-X ids and later fate",
        (
            *_s("id", "name"),
            ("date_signed", _D),
            ("date_precision", pa.string()),
            ("date_in_force", _D),
            *_s("parties", "place", "kind", "summary_of_key_provisions", "later_fate"),
            ("pax_id", pa.int32()),
            *_s("source", "confidence", "notes"),
        ),
        precision={"date_signed": "date_precision"},
    ),
    "provisions": KbTable(
        "provisions.csv",
        "Provisions of the Panmunjom and Pyongyang declarations and the military agreement",
        _s(
            "agreement_id",
            "provision_id",
            "text_summary",
            "category",
            "implementation_events",
            "status_2019",
            "status_2022",
            "status_2025",
            "status_basis",
            "source",
            "confidence",
        ),
        choices={"category": _CATEGORY, "status_2019": _STATUS, "status_2022": _STATUS, "status_2025": _STATUS},
    ),
    "transitions": KbTable(
        "transitions.csv",
        "Dated implementation transitions of each provision (PAM scale plus reversed)",
        (
            ("provision_id", pa.string()),
            ("date", _D),
            *_s("date_precision", "status", "event", "timeline_refs", "source", "confidence", "note"),
        ),
        precision={"date": "date_precision"},
        choices={"status": _STATUS},
    ),
    "summits": KbTable(
        "summits.csv",
        "Summits and talks (inter-Korean, US-DPRK, four-, three- and six-party) with outcomes",
        (
            *_s("id", "kind"),
            ("date_start", _D),
            ("date_end", _D),
            *_s("date_precision", "place", "participants", "outcome_summary", "source", "confidence"),
        ),
        precision={"date_start": "date_precision", "date_end": "date_end_precision"},
    ),
    "leaders": KbTable(
        "leaders.csv",
        "ROK presidents since 1988 (with political camp) and DPRK leaders",
        (
            *_s("country", "name", "role"),
            ("term_start", _D),
            ("term_end", _D),
            *_s("end_reason", "party", "camp", "source", "confidence", "notes"),
        ),
        choices={"country": ("KOR", "PRK"), "camp": ("", "conservative", "progressive")},
    ),
    "sanctions": KbTable(
        "sanctions.csv",
        "UN Security Council sanctions resolutions on the DPRK, vetoed drafts and the panel's end",
        (("id", pa.string()), ("date", _D), *_s("kind", "vote", "trigger", "measures", "source", "confidence")),
        choices={"kind": ("resolution", "other resolution", "vetoed draft", "mandate expiry")},
    ),
    "hotlines": KbTable(
        "hotlines.csv",
        "Inter-Korean communication lines: installed, cut, unanswered, restored",
        (("date", _D), *_s("date_precision", "line", "event", "description", "source", "confidence")),
        precision={"date": "date_precision"},
        choices={"event": ("installed", "agreed", "cut", "unanswered", "restored")},
    ),
    "exercises": KbTable(
        "exercises.csv",
        "US-ROK (and trilateral) major exercises by year, with suspensions and scale-downs",
        (
            ("year", pa.int32()),
            ("name", pa.string()),
            ("start", _D),
            ("start_precision", pa.string()),
            ("end", _D),
            *_s("status", "description", "source", "confidence"),
        ),
        precision={"start": "start_precision"},
        choices={"status": ("held", "scaled_down", "suspended", "cancelled", "postponed")},
    ),
    "cbm": KbTable(
        "cbm.csv",
        "Confidence-building measures with start and end dates",
        (
            *_s("id", "kind", "name", "agreement_id"),
            ("start", _D),
            ("start_precision", pa.string()),
            ("end", _D),
            *_s("end_precision", "end_event", "source", "confidence"),
        ),
        precision={"start": "start_precision", "end": "end_precision"},
        choices={
            "kind": (
                "hotline",
                "liaison_office",
                "buffer_zone",
                "no_fly_zone",
                "guard_post_withdrawal",
                "jsa_disarmament",
                "exercise_suspension",
                "loudspeaker_halt",
                "test_moratorium",
                "leaflet_ban",
                "list_exchange",
                "pre_notification",
                "ceasefire",
                "corridor",
            )
        },
    ),
    "missile_tests_by_year": KbTable(
        "missile_tests_by_year.csv",
        "Yearly missile launch counts 1984-2026 (CNS database) and two Japanese figures",
        (
            ("year", pa.int32()),
            ("source_name", pa.string()),
            ("number_of_launch_events", pa.int32()),
            ("number_of_missiles", pa.int32()),
            *_s("count_definition", "notes", "source", "confidence"),
        ),
    ),
}


#: the curated timeline (korea-facts ``events.csv`` layout, read by ``sources/kb.py``); checked by :func:`validate`
TIMELINE = KbTable(
    "timeline.csv",
    "Dated events of the theatre: incidents, talks, agreements, leadership changes",
    (
        ("date", _D),
        *_s("date_precision", "actor", "target", "event_type", "description", "casualties", "source", "confidence"),
    ),  # fmt: skip
    precision={"date": "date_precision"},
)


def shipped_folder() -> Path:
    """The shipped Korea knowledge base, ``detente/kb/data``."""
    return Path(str(resources.files(__package__).joinpath("data")))


def timeline_path() -> Path:
    """The curated Korea timeline CSV (korea-facts ``events.csv`` layout, read by ``sources/kb.py``)."""
    return shipped_folder() / TIMELINE.file


def data_path(name: str, folder: Path | None = None) -> Path:
    """Path of a table's CSV (``name`` as in :data:`TABLES`) in ``folder`` (default: the shipped Korea folder)."""
    return (shipped_folder() if folder is None else Path(folder)) / TABLES[name].file


def _is_shipped(folder: Path | None) -> bool:
    return folder is None or Path(folder).resolve() == shipped_folder().resolve()


def spec_for(name: str, folder: Path | None = None, states: tuple[str, ...] | None = None) -> KbTable:
    """The layout of table ``name`` in ``folder``: Korea's, except ``leaders`` outside the shipped folder.

    There ``country`` is one of ``states`` (default: any ISO3 code of :func:`detente.ontology.countries`)
    and ``camp`` (Korea's political camps) is free text.
    """
    spec = TIMELINE if name == "timeline" else TABLES[name]
    if name != "leaders" or (_is_shipped(folder) and states is None):
        return spec
    if states is None:
        from ..ontology import countries

        states = tuple(countries().column("iso3").to_pylist())
    choices = {k: v for k, v in spec.choices.items() if k != "camp"}
    return replace(spec, choices={**choices, "country": tuple(states)})


def parse_date(text: str, precision: str | None = None) -> tuple[date, str]:
    """``2018-09-19`` -> (date, "day"); ``2020-01`` -> (2020-01-01, "month"); ``1976`` -> (1976-01-01, "year").

    With ``precision`` given, the text must have that precision. Raises ValueError.
    """
    parts = text.split("-")
    found = {3: "day", 2: "month", 1: "year"}.get(len(parts))
    widths = [len(p) for p in parts]
    if found is None or not all(p.isdigit() for p in parts) or widths != [4, 2, 2][: len(parts)]:
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")
    if precision is not None and precision != found:
        raise ValueError(f"date {text!r} does not have precision {precision!r}")
    y, m, d = (int(p) for p in parts + ["1"] * (3 - len(parts)))
    try:
        return date(y, m, d), found
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None


def load(name: str, folder: Path | None = None, states: tuple[str, ...] | None = None) -> pa.Table:
    """A table by name (see :data:`TABLES`) from ``folder`` (default: shipped), typed and validated.

    A file the folder lacks is a table the theatre does not have: no rows. ``states``: the theatre's
    two states, which ``leaders.country`` must name (see :func:`spec_for`).
    """
    spec = spec_for(name, folder, states)
    path = data_path(name, folder)
    if folder is not None and not path.is_file():
        return _schema(spec).empty_table()
    return parse_table(spec, path.read_text("utf-8"))


def parse_table(spec: KbTable, text: str) -> pa.Table:
    """Parse ``text`` (CSV with header) into ``spec``'s typed table; raises :class:`KbDataError`."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    names = [n for n, _ in spec.columns]
    if header != names:
        raise KbDataError(f"{spec.file}: header is {header!r}, expected {names!r}")
    records: list[dict[str, object]] = []
    for line, fields in enumerate(reader, start=2):
        if len(fields) != len(names):
            raise KbDataError(f"{spec.file} line {line}: expected {len(names)} fields, found {len(fields)}")
        record, bad = _record(spec, dict(zip(names, (f.strip() for f in fields), strict=True)))
        if bad:
            raise KbDataError(f"{spec.file} line {line}: {bad[0][1]}")
        records.append(record)
    return pa.Table.from_pylist(records, schema=_schema(spec))


@dataclass(frozen=True)
class KbProblem:
    """One fault of a knowledge-base folder: ``row`` 1 is the first data row (``None``: the header)."""

    file: str
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {'header' if self.row is None else f'row {self.row}'}, field {self.field}: {self.message}"


def validate(folder: Path, states: tuple[str, ...] | None = None) -> list[KbProblem]:
    """Every problem of the knowledge-base folder ``folder``, file by file and row by row.

    The files are those of :data:`TABLES` plus ``timeline.csv`` (:data:`TIMELINE`); a file the folder
    lacks is no problem, another CSV is one (except the shipped ``source_classes.csv``, the classes of
    :mod:`.sources`). ``states`` as in :func:`load`.
    """
    folder = Path(folder)
    known = {spec.file: name for name, spec in (*TABLES.items(), ("timeline", TIMELINE))}
    out = [KbProblem(p.name, None, "-", "not a knowledge-base table: one of " + ", ".join(sorted(known)))
           for p in sorted(folder.glob("*.csv")) if p.name not in (*known, "source_classes.csv")]  # fmt: skip
    for file, name in known.items():
        if (folder / file).is_file():
            out.extend(_file_problems(spec_for(name, folder, states), folder / file))
    return out


def _file_problems(spec: KbTable, path: Path) -> list[KbProblem]:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        return [KbProblem(spec.file, None, "-", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    names = [n for n, _ in spec.columns]
    header = list(reader.fieldnames or [])
    out = [KbProblem(spec.file, None, c, "unknown column") for c in header if c not in names]
    out += [KbProblem(spec.file, None, c, "missing column") for c in names if c not in header]
    if not out and header != names:
        out.append(KbProblem(spec.file, None, "-", f"columns out of order: expected {', '.join(names)}"))
    choices = dict(spec.choices)
    if spec is TIMELINE:
        from ..ontology import mapping_rows

        choices["event_type"] = tuple(r["event_type"] for r in mapping_rows("kb_cameo.csv"))
    checked = replace(spec, choices={k: v for k, v in choices.items() if k in header})
    for row, raw in enumerate(reader, start=1):
        if None in raw or any(v is None for v in raw.values()):
            out.append(KbProblem(spec.file, row, "-", f"expected {len(header)} fields"))
            continue
        values = {k: (v or "").strip() for k, v in raw.items()}
        out += [KbProblem(spec.file, row, f, m) for f, m in _record(checked, values)[1]]
    return out


def _record(spec: KbTable, raw: dict[str, str]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The typed row and its problems as (field, message); columns absent from ``raw`` are skipped."""
    bad: list[tuple[str, str]] = []
    if "source" in raw and not raw["source"]:
        bad.append(("source", "empty source"))
    if "confidence" in raw and raw["confidence"] not in CONFIDENCE:
        bad.append(("confidence", f"confidence {raw['confidence']!r} is not one of {CONFIDENCE}"))
    for column, allowed in spec.choices.items():
        if raw[column] not in allowed:
            shown = allowed if len(allowed) <= 20 else "the allowed codes"
            bad.append((column, f"{column} {raw[column]!r} is not one of {shown}"))
    out: dict[str, object] = {}
    for name, typ in spec.columns:
        if name not in raw:
            continue
        try:
            if typ == _D:
                _set_date(spec, raw, out, name)
            else:
                out.setdefault(name, _CONVERT.get(str(typ), _text)(raw[name]))
        except ValueError as exc:
            bad.append((name, str(exc)))
    return out, bad


def _schema(spec: KbTable) -> pa.Schema:
    fields: list[tuple[str, pa.DataType]] = []
    names = {n for n, _ in spec.columns}
    for name, typ in spec.columns:
        fields.append((name, typ))
        derived = spec.precision.get(name)
        if derived and derived not in names:
            fields.append((derived, pa.string()))
    return pa.schema(fields)


def _set_date(spec: KbTable, raw: dict[str, str], out: dict[str, object], name: str) -> None:
    text, pcol = raw[name], spec.precision.get(name)
    given = raw.get(pcol, "") if pcol else "day"  # "" = derive from the text
    if not text:
        if pcol and given:
            raise ValueError(f"{pcol} {given!r} given for an empty {name}")
        if pcol:
            out[pcol] = None
        return
    if given and given not in PRECISIONS:
        raise ValueError(f"{pcol} {given!r} is not one of {PRECISIONS}")
    out[name], found = parse_date(text, given or None)
    if pcol:
        out[pcol] = found


def _int(text: str) -> int | None:
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        raise ValueError(f"{text!r} is not an integer")
    return int(text)


def _text(text: str) -> str:
    return text


_CONVERT: dict[str, Callable[[str], object]] = {"int32": _int, "string": _text}


def agreements() -> pa.Table:
    """Agreements 1953-2024: id, name, date_signed (+ precision), parties, pax_id, later_fate, source, ..."""
    return load("agreements")


def provisions() -> pa.Table:
    """Provisions of PD-2018, PYD-2018 and CMA-2018 with category and the record's year-end statuses."""
    return load("provisions")


def transitions() -> pa.Table:
    """Dated status transitions per provision (PAM 0-3 plus reversed), with the events behind them."""
    return load("transitions")


def summits() -> pa.Table:
    """Summits and talks with outcomes."""
    return load("summits")


def leaders() -> pa.Table:
    """ROK presidents since 1988 with camp, acting presidents, and DPRK leaders."""
    return load("leaders")


def sanctions() -> pa.Table:
    """UN Security Council sanctions resolutions on the DPRK (plus vetoed drafts and the panel's end)."""
    return load("sanctions")


def hotlines() -> pa.Table:
    """Timeline of the inter-Korean communication lines."""
    return load("hotlines")


def exercises() -> pa.Table:
    """US-ROK major exercises by year, with suspensions, postponements and scale-downs."""
    return load("exercises")


def cbm() -> pa.Table:
    """Confidence-building measures with start and end dates."""
    return load("cbm")


def missile_tests_by_year() -> pa.Table:
    """Yearly launch counts of the CNS database (the reference for the merged-timeline check)."""
    return load("missile_tests_by_year")
