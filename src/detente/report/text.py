"""Small helpers to write the brief's sentences from data: pieces, numbers, dates, plurals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from .model import Inline, Note, Paragraph, Strong, Text

__all__ = [
    "Piece",
    "cell",
    "fmt_date",
    "fmt_month",
    "fmt_num",
    "fmt_signed",
    "join",
    "note",
    "para",
    "pieces",
    "plural",
    "shorten",
    "strong",
]

#: what the builders accept: text, a piece, or a list of pieces
Piece = str | Inline | list[Inline] | tuple[Inline, ...]


def pieces(*parts: Piece) -> list[Inline]:
    """Flatten strings (as :class:`Text`), pieces and lists of pieces into one list."""
    out: list[Inline] = []
    for p in parts:
        if isinstance(p, str):
            if p:
                out.append(Text(p))
        elif isinstance(p, (list, tuple)):
            out.extend(p)
        else:
            out.append(p)
    return out


def para(*parts: Piece) -> Paragraph:
    """A paragraph of the given pieces."""
    return Paragraph(pieces(*parts))


def note(*parts: Piece) -> Note:
    """A highlighted note (missing data, caveats)."""
    return Note(pieces(*parts))


def cell(*parts: Piece) -> list[Inline]:
    """A table cell."""
    return pieces(*parts)


def fmt_num(value: Any, digits: int = 0) -> str:
    """A number with thousands separators and ``digits`` decimals; ``n/a`` for a missing one."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "n/a"
    return f"{float(value):,.{digits}f}" if digits else f"{round(float(value)):,}"


def fmt_signed(value: Any, digits: int = 2) -> str:
    """A number with its sign (``+0.72``); ``n/a`` for a missing one."""
    if value is None or pd.isna(value):
        return "n/a"
    return f"{float(value):+.{digits}f}"


def fmt_date(value: date | None, precision: str | None = "day") -> str:
    """ISO text of a date at its precision (``2018-09-19``, ``2020-01``, ``1976``)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "n/a"
    iso = pd.Timestamp(value).date().isoformat()
    return {"month": iso[:7], "year": iso[:4]}.get(precision or "day", iso)


def fmt_month(value: date) -> str:
    """A month as ``2026-08``."""
    return pd.Timestamp(value).strftime("%Y-%m")


def shorten(text: str | None, limit: int = 240) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    if not text:
        return ""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + " …"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 event``, ``2 events``."""
    return f"{fmt_num(n)} {word if n == 1 else many or word + 's'}"


def join(items: Iterable[list[Inline]], sep: str = ", ", last: str = " and ") -> list[Inline]:
    """Join piece lists into one: ``a, b and c``."""
    items = list(items)
    out: list[Inline] = []
    for i, item in enumerate(items):
        if i:
            out.append(Text(last if i == len(items) - 1 else sep))
        out.extend(item)
    return out


def strong(text: str) -> Strong:
    """Emphasised text."""
    return Strong(text)
