"""Chart of BDM positions over rounds, one panel per issue, as a picture or as data (altair → vl-convert).

The chart is drawn from :meth:`.solution.Solution.rounds_table`, the same table ``detente bargain
--show rounds`` prints, so the picture and its data never disagree. altair is imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from .._extras import require

if TYPE_CHECKING:  # pragma: no cover
    import altair

__all__ = ["CHART_SUFFIXES", "rounds_chart", "save_chart"]

#: file types :func:`save_chart` writes (``.json`` is the Vega-Lite spec with the data inline)
CHART_SUFFIXES = (".png", ".svg", ".html", ".json")


def _long(rounds: pa.Table) -> pa.Table:
    """One row per issue, round and line: every actor's position plus the weighted mean and median."""
    t = rounds.to_pydict()
    rows = [
        {"issue": i, "round": r, "line": a, "kind": "actor", "position": p}
        for i, r, a, p in zip(t["issue"], t["round"], t["actor"], t["position"], strict=True)
    ]
    seen = set()
    for i, r, mean, median in zip(t["issue"], t["round"], t["mean"], t["median"], strict=True):
        if (i, r) not in seen:
            seen.add((i, r))
            rows += [
                {"issue": i, "round": r, "line": "weighted mean", "kind": "summary", "position": mean},
                {"issue": i, "round": r, "line": "weighted median", "kind": "summary", "position": median},
            ]
    return pa.Table.from_pylist(rows)


def rounds_chart(rounds: pa.Table, title: str = "BDM: positions by round") -> altair.FacetChart:
    """Positions of every actor per round (solid) with the weighted mean and median (dashed), per issue."""
    alt = require("altair")

    data = _long(rounds).to_pandas()
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("round:O", title="round"),
            y=alt.Y("position:Q", title="position"),
            color=alt.Color("line:N", title=None),
            strokeDash=alt.StrokeDash("kind:N", title=None, sort=["actor", "summary"]),
            tooltip=["issue", "round", "line", alt.Tooltip("position:Q", format=".2f")],
        )
        .properties(width=260, height=180)
    )
    return line.facet(facet=alt.Facet("issue:N", title=None), columns=3).properties(title=title)


def save_chart(chart: altair.TopLevelMixin, path: str | Path) -> Path:
    """Write ``chart`` to ``path``: PNG or SVG (rendered by vl-convert), HTML, or the Vega-Lite JSON spec."""
    p = Path(path)
    if p.suffix.lower() not in CHART_SUFFIXES:
        raise ValueError(f"chart file must end in one of {', '.join(CHART_SUFFIXES)}, got {p.name!r}")
    chart.save(str(p))
    return p
