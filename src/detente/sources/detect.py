"""Format detection: which reader fits a file."""

from __future__ import annotations

import importlib
from pathlib import Path

from .base import Reader, Sample, SourceError, decode_text, open_bytes

__all__ = ["UNRECOGNISED", "detect", "known_formats", "reader_for", "sample_of"]

#: the reason given for a file that matches no known format
UNRECOGNISED = "format not recognised"

#: reader modules, most specific first; each defines ``READERS``
_MODULES = ("gdelt", "icews", "acled", "ucdp", "cns", "csis", "cow_mid", "pax", "kb")


def _readers() -> list[type[Reader]]:
    found: list[type[Reader]] = []
    for mod in _MODULES:
        found.extend(importlib.import_module(f"{__package__}.{mod}").READERS)
    return found


def known_formats() -> dict[str, str]:
    """Format name -> one-line description, for every reader."""
    return {r.name: r.description for r in _readers()}


def reader_for(name: str) -> Reader:
    """The reader registered under a format name."""
    for cls in _readers():
        if cls.name == name:
            return cls()
    raise SourceError(f"unknown format {name!r}; known formats: {', '.join(known_formats())}")


def sample_of(path: Path, n_lines: int = 5) -> Sample:
    """First lines of a (possibly compressed) file, decoded leniently."""
    data = open_bytes(path)
    text = decode_text(data[: 256 * 1024])
    lines = [ln for ln in text.splitlines()[:n_lines]]
    return Sample(name=Path(path).name, lines=lines)


def detect(path: Path) -> Reader:
    """The reader for ``path``, or a :class:`SourceError` naming every known format."""
    sample = sample_of(path)
    if not sample.lines or not sample.first.strip():
        raise SourceError(f"{sample.name}: no header or data line to recognise")
    for cls in _readers():
        if cls.sniff(sample):
            return cls()
    known = "\n".join(f"  {k}: {v}" for k, v in known_formats().items())
    raise SourceError(f"{sample.name}: {UNRECOGNISED}. Known formats:\n{known}")
