"""Dyad syntax shared by every command: ``PRK>KOR`` (directed) or ``PRK-KOR`` (either direction)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis

__all__ = ["Dyad"]

_CODE = r"[A-Z]{2,3}"
_PATTERN = re.compile(rf"^({_CODE})\s*([>-])\s*({_CODE})$")


@dataclass(frozen=True)
class Dyad:
    """A pair of actors (ISO3 or organisation codes)."""

    a: str
    b: str
    directed: bool

    @classmethod
    def parse(cls, text: str) -> Dyad:
        """Parse ``A>B`` or ``A-B``; raise ``ValueError`` with the expected syntax otherwise."""
        m = _PATTERN.match(text.strip().upper())
        if not m:
            raise ValueError(f"bad dyad {text!r}: use A>B (A acting on B) or A-B (either direction), e.g. PRK>KOR")
        return cls(m.group(1), m.group(3), m.group(2) == ">")

    def filter(self, events: ibis.Table) -> ibis.expr.types.BooleanValue:
        """Ibis predicate selecting this dyad's events."""
        forward = (events.actor1_country == self.a) & (events.actor2_country == self.b)
        if self.directed:
            return forward
        return forward | ((events.actor1_country == self.b) & (events.actor2_country == self.a))

    def __str__(self) -> str:
        return f"{self.a}{'>' if self.directed else '-'}{self.b}"
