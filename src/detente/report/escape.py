"""Escaping of untrusted text for Markdown, and the check that decides whether an address may be a link.

HTML is escaped by Jinja2's autoescape; Markdown has no such thing, so :func:`md_escape` turns
every character that Markdown or the HTML a Markdown renderer passes through could act on into
inert text: ``&``, ``<`` and ``>`` become entities (no raw HTML, no autolink), and the inline
syntax characters get a backslash. Only ``http``/``https`` addresses without spaces, quotes or
angle brackets become links (:func:`safe_url`); anything else (``javascript:``, ``data:``) stays text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["MdSafe", "md_escape", "md_finalize", "safe_url"]

_SPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~!#])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
_URL_OK = re.compile(r"^https?://[^\s<>\"'`\\\x00-\x1f\x7f]+$", re.IGNORECASE)


class MdSafe(str):
    """Markdown that is already escaped (the Markdown counterpart of ``markupsafe.Markup``)."""


def md_escape(text: object) -> str:
    """``text`` as inert Markdown: entities for ``& < >``, backslashes before syntax characters, one line."""
    s = _SPACE.sub(" ", str(text))  # no line breaks inside a piece: they could start a block
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), s)


def md_finalize(value: object) -> object:
    """Jinja2 ``finalize`` for the Markdown templates: escape everything not marked :class:`MdSafe`."""
    if isinstance(value, MdSafe):
        return value
    if value is None:
        return ""
    return md_escape(value)


def safe_url(url: object) -> str | None:
    """``url`` if it is a plain http(s) address that is safe to link, else None."""
    if not isinstance(url, str) or not _URL_OK.match(url.strip()):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
