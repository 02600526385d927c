"""The brief's sections, one module each, in reading order (:data:`SECTIONS`).

Each module has ``build(ctx) -> Section``: paragraphs generated from templates and data, every
number footnoted through ``ctx.notes``, and a note wherever data is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from ..context import BriefContext
from ..model import Section
from . import actors, background, cbm, initiatives, lessons, military, outlook, politics, status, sticking, summits

__all__ = ["SECTIONS"]

#: (id, builder) of every section, in the order the brief prints them
SECTIONS: tuple[tuple[str, Callable[[BriefContext], Section]], ...] = (
    ("background", background.build),
    ("initiatives", initiatives.build),
    ("actors", actors.build),
    ("status", status.build),
    ("summits", summits.build),
    ("sticking", sticking.build),
    ("military", military.build),
    ("politics", politics.build),
    ("cbm", cbm.build),
    ("outlook", outlook.build),
    ("lessons", lessons.build),
)
