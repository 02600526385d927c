"""CAMEO -> PLOVER, from the Open Event Data Alliance's ``CAMEO2PLOVER-2021.txt`` (PLOVER Draft 0.8).

Each mapping line reads ``<CAMEO code>: <PLOVER event>, <mode>, <context> # <CAMEO description>``.
The 39 codes under roots 01 and 02 have no line (PLOVER drops them); root ``08`` has two lines
(CONCEDE and RETREAT), so it has no single PLOVER event.
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow as pa

from ._files import read_text

__all__ = ["cameo_to_plover", "plover_map"]

_LINE = re.compile(r"^(?P<code>\d{2,4}):\s*(?P<body>[^#]*)(?:#(?P<description>.*))?$")


def _fields(body: str) -> tuple[str, str, str]:
    """``event, mode, context`` of a mapping line (missing parts are empty)."""
    parts = [p.strip() for p in body.split(",")] + ["", ""]
    return parts[0], parts[1], ",".join(parts[2:]).strip(" ,")


@cache
def plover_map() -> pa.Table:
    """Every mapping line (276): ``cameo_code``, ``plover_event``, ``mode``, ``context``, ``cameo_description``."""
    out: dict[str, list[str]] = {k: [] for k in ("cameo_code", "plover_event", "mode", "context", "cameo_description")}
    for line in read_text("CAMEO2PLOVER-2021.txt").splitlines():
        m = _LINE.match(line.strip())
        if m is None:
            continue
        event, mode, context = _fields(m["body"])
        for key, value in zip(out, (m["code"], event, mode, context, (m["description"] or "").strip()), strict=False):
            out[key].append(value)
    return pa.table(out)


@cache
def cameo_to_plover() -> dict[str, str]:
    """PLOVER event of each CAMEO code that has exactly one (273 codes; ``08`` is split, roots 01/02 absent)."""
    events: dict[str, set[str]] = {}
    table = plover_map()
    for code, event in zip(table["cameo_code"].to_pylist(), table["plover_event"].to_pylist(), strict=False):
        events.setdefault(code, set()).add(event)
    return {code: next(iter(ev)) for code, ev in events.items() if len(ev) == 1}
