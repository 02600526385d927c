"""The brief as data: sections of paragraphs, tables and charts, with numbered footnotes.

Text is never pre-rendered: a paragraph is a list of pieces (plain text, a footnote reference, a
link, strong text) and each output format (HTML, Markdown, PDF) escapes the text itself. That is
what keeps untrusted text (event descriptions, URLs, file names) inert everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import pandas as pd

__all__ = [
    "Block",
    "Brief",
    "BriefFormat",
    "Chart",
    "Footnote",
    "Heading",
    "Inline",
    "Note",
    "Paragraph",
    "Ref",
    "Section",
    "SourceCount",
    "Strong",
    "Table",
    "Text",
    "Url",
    "plain",
]


class BriefFormat(str, Enum):
    """Output formats of the brief."""

    html = "html"
    pdf = "pdf"
    md = "md"


@dataclass(frozen=True)
class Text:
    """Plain text (escaped by every renderer)."""

    value: str
    kind: str = "text"


@dataclass(frozen=True)
class Strong:
    """Emphasised plain text."""

    value: str
    kind: str = "strong"


@dataclass(frozen=True)
class Ref:
    """A reference to footnote ``number``."""

    number: int
    kind: str = "ref"


@dataclass(frozen=True)
class Url:
    """A link; renderers make it clickable only for http(s) addresses (see :mod:`.escape`)."""

    text: str
    url: str
    kind: str = "url"


Inline = Text | Strong | Ref | Url


def plain(pieces: list[Inline]) -> str:
    """The pieces as plain text, footnote references as ``[n]``."""
    out = []
    for p in pieces:
        out.append(f"[{p.number}]" if isinstance(p, Ref) else p.text if isinstance(p, Url) else p.value)
    return "".join(out)


@dataclass
class Paragraph:
    """A paragraph of inline pieces."""

    parts: list[Inline]
    kind: str = "paragraph"


@dataclass
class Note:
    """A highlighted statement, e.g. that data is missing."""

    parts: list[Inline]
    kind: str = "note"


@dataclass
class Table:
    """A table: a caption, column names, and rows of cells (each cell a list of pieces)."""

    caption: str
    header: list[str]
    rows: list[list[list[Inline]]]
    kind: str = "table"


@dataclass
class Chart:
    """A Vega-Lite chart with the table it is drawn from; ``svg`` is filled when the brief is rendered."""

    name: str
    title: str
    spec: dict[str, Any]
    data: pd.DataFrame
    alt: str
    refs: list[Inline] = field(default_factory=list)
    kind: str = "chart"


@dataclass
class Heading:
    """A sub-heading inside a section."""

    text: str
    kind: str = "heading"


Block = Heading | Paragraph | Note | Table | Chart


@dataclass
class Section:
    """One section of the brief."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class SourceCount:
    """Events of one source behind a footnote: how many, from which files, over which dates."""

    source: str
    events: int
    files: tuple[str, ...]
    first: date | None
    last: date | None


@dataclass
class Footnote:
    """What a number rests on: stored events, knowledge-base rows, stored records and cited sources.

    ``event_ids`` are ids of stored events; ``kb_rows`` are ``(table, key)`` pairs of the shipped
    knowledge base; ``records`` are ``(table, key)`` pairs of the store's side tables (a PA-X
    agreement, a UCDP conflict, a COW MID dispute); ``sources`` are citations (``title (publisher,
    date) — address``). ``by_source`` and ``missing`` are filled when the footnotes are resolved
    against the store (``missing``: event ids, and records as ``table key``, the store does not hold).
    """

    number: int
    text: str
    event_ids: tuple[str, ...] = ()
    kb_rows: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()
    query: str | None = None
    by_source: tuple[SourceCount, ...] = ()
    missing: tuple[str, ...] = ()
    records: tuple[tuple[str, str], ...] = ()


@dataclass
class Brief:
    """The whole brief: title, date, sections and footnotes."""

    title: str
    subtitle: str
    as_of: date
    data_summary: list[Inline]
    sections: list[Section]
    footnotes: list[Footnote]
    store_sources: pd.DataFrame
