"""Kaplan-Meier survival curves as a picture (altair -> vl-convert: PNG, SVG) and as data.

The data behind the picture is :func:`detente.theatres.survival.km_curves` (``detente lessons
--view curves``); the chart draws it, one panel per provision group, the arms with and without the
group as step lines with their 95 % bands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._extras import require

if TYPE_CHECKING:
    import altair as alt

__all__ = ["FORMATS", "survival_chart", "write_chart"]

#: File suffixes :func:`write_chart` writes.
FORMATS = (".png", ".svg", ".html", ".json")


def survival_chart(curves: pd.DataFrame, title: str) -> alt.FacetChart:
    """Step curves of survival (no relapse) by years since signing, faceted by group."""
    alt = require("altair")

    base = alt.Chart(curves).encode(
        x=alt.X("years:Q", title="years since signing"),
        color=alt.Color("arm:N", title="agreements", scale=alt.Scale(domain=["with", "without"])),
    )
    band = base.mark_area(opacity=0.15, interpolate="step-after").encode(y="low:Q", y2="high:Q")
    line = base.mark_line(interpolate="step-after").encode(
        y=alt.Y("survival:Q", title="share without relapse", scale=alt.Scale(domain=[0, 1])),
        tooltip=["label:N", "arm:N", "years:Q", alt.Tooltip("survival:Q", format=".2f"), "at_risk:Q"],
    )
    return (
        alt.layer(band, line, data=curves)
        .properties(width=220, height=160)
        .facet(facet=alt.Facet("label:N", title=None), columns=3)
        .properties(title=title)
    )


def write_chart(curves: pd.DataFrame, path: Path, title: str) -> Path:
    """Write the chart to ``path`` (``.png``, ``.svg``, ``.html`` or the Vega-Lite ``.json``)."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"chart format {path.suffix!r} not supported; use one of {', '.join(FORMATS)}")
    if curves.empty:
        raise ValueError("no survival curves to draw (no signing with follow-up in this selection)")
    survival_chart(curves, title).save(str(path))
    return path
