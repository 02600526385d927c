"""The reliability chart of a backtest, as a picture (PNG/SVG via vl-convert, HTML) and as data.

The chart is drawn from :meth:`.backtest.BacktestResult.calibration`, the table ``detente backtest
--show calibration`` prints, so picture and data never disagree. :func:`save_chart` writes the
picture and, beside it, the same table as CSV. altair is imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._extras import require

if TYPE_CHECKING:  # pragma: no cover
    import altair

__all__ = ["CHART_SUFFIXES", "reliability_chart", "save_chart"]

#: file types :func:`save_chart` writes (``.json`` is the Vega-Lite spec with the data inline)
CHART_SUFFIXES = (".png", ".svg", ".html", ".json")


def reliability_chart(calibration: pd.DataFrame, title: str = "Reliability") -> altair.FacetChart:
    """Observed frequency against mean forecast probability per bin, one panel per model.

    Points are sized by the number of forecasts in the bin, whiskers are 90% Wilson intervals of the
    observed frequency, and the diagonal is perfect calibration. Rows of several targets or horizons
    are labelled ``target h=N`` in the panel titles.
    """
    alt = require("altair")

    data = calibration[calibration["n"] > 0].copy()
    data["panel"] = [f"{m} · {t} h={h}" for m, t, h in zip(data["model"], data["target"], data["horizon"], strict=True)]
    records = data[["panel", "bin", "n", "mean_p", "observed", "observed_lo", "observed_hi"]].to_dict("records")
    axis = alt.Scale(domain=[0, 1])
    base = alt.Chart()
    diagonal = base.mark_rule(color="#999", strokeDash=[4, 3]).encode(
        x=alt.datum(0.0), y=alt.datum(0.0), x2=alt.datum(1.0), y2=alt.datum(1.0)
    )
    whiskers = base.mark_rule(color="#555").encode(
        x=alt.X("mean_p:Q", scale=axis), y=alt.Y("observed_lo:Q", scale=axis), y2="observed_hi:Q"
    )
    points = base.mark_circle(color="#c0392b", opacity=0.85).encode(
        x=alt.X("mean_p:Q", title="forecast probability (bin mean)", scale=axis),
        y=alt.Y("observed:Q", title="observed frequency", scale=axis),
        size=alt.Size("n:Q", title="forecasts"),
        tooltip=["bin:N", "n:Q", alt.Tooltip("mean_p:Q", format=".2f"), alt.Tooltip("observed:Q", format=".2f")],
    )
    layered = alt.layer(diagonal, whiskers, points, data=alt.InlineData(values=records))
    return (
        layered.properties(width=200, height=200)
        .facet(facet=alt.Facet("panel:N", title=None), columns=4)
        .properties(title=title)
    )


def save_chart(chart: altair.TopLevelMixin, calibration: pd.DataFrame, path: str | Path) -> tuple[Path, Path]:
    """Write the picture to ``path`` (.png, .svg, .html or .json) and its data to ``path`` with ``.csv``."""
    p = Path(path)
    if p.suffix.lower() not in CHART_SUFFIXES:
        raise ValueError(f"chart file must end in one of {', '.join(CHART_SUFFIXES)}, got {p.name!r}")
    chart.save(str(p))
    data = p.with_suffix(".csv")
    calibration.to_csv(data, index=False)
    return p, data
