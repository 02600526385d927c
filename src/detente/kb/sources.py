"""Source classes of knowledge-base citations and the rules every row must pass.

A row's ``source`` holds one or more references ``title (publisher, date) — address`` joined by
`` | ``. Each address is classed by its domain from ``data/source_classes.csv`` (the longest
matching ``domain`` or ``domain/path`` entry wins; an unknown domain is ``weak``):

- ``primary``: UN documents, government and ministry releases, treaty texts, state media texts;
- ``wire``: wire services, newspapers and broadcasters of record, specialist news;
- ``research``: recognised research sources (CSIS, CNS/NTI, 38 North, NCNK, PA-X, UCDP, ...);
- ``reference``: Wikipedia, which may stand beside a better source, never alone;
- ``weak``: anything else; ``denied`` entries (Wikipedia copies, content farms, aggregators,
  personal blogs, test and staging sites) may not be cited at all.

The rules (:func:`row_problems`): a row has a source; not all its sources are ``reference`` or
``weak``; none is denied; a row carrying a ``[recalled]`` claim is not ``verified``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

__all__ = ["CLASSES", "STRONG", "Reference", "classify", "references", "row_problems"]

CLASSES = ("primary", "wire", "research", "reference", "weak")
STRONG = frozenset({"primary", "wire", "research"})
RECALLED = "[recalled]"
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Reference:
    """One cited page: its text, address (``""`` when none), class and whether it is denied."""

    text: str
    url: str
    cls: str
    denied: bool


@cache
def _classes() -> dict[str, tuple[str, bool]]:
    text = resources.files(__package__).joinpath("data", "source_classes.csv").read_text("utf-8")
    return {r["domain"].lower(): (r["class"], r["denied"] == "yes") for r in csv.DictReader(io.StringIO(text))}


def classify(url: str) -> tuple[str, bool]:
    """(class, denied) of an address; ``("weak", False)`` for an unknown domain or no address."""
    parts = urlsplit(url.lower())
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return "weak", False
    best = ("", ("weak", False))
    for key, value in _classes().items():
        domain, _, prefix = key.partition("/")
        if (host == domain or host.endswith("." + domain)) and (parts.path or "/").startswith("/" + prefix):
            best = max(best, (key, value), key=lambda kv: len(kv[0]))
    return best[1]


def references(source: str) -> list[Reference]:
    """The references of a ``source`` field (empty list for an empty field)."""
    out = []
    for part in (p.strip() for p in source.split(" | ")):
        if not part:
            continue
        m = _URL.search(part)
        url = m.group(0).rstrip(".,;") if m else ""
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1]
        out.append(Reference(part, url, *classify(url)))
    return out


def row_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with one row's sourcing and confidence (empty list = the row passes)."""
    refs = references(row.get("source", ""))
    problems = []
    if not refs:
        problems.append("no source")
    elif not any(r.cls in STRONG for r in refs):
        problems.append("weak sources only")
    problems += [f"denied source {r.url or r.text!r}" for r in refs if r.denied]
    if row.get("confidence") == "verified" and any(RECALLED in (v or "") for v in row.values()):
        problems.append("verified row with a [recalled] claim")
    return problems
