"""The brief's charts as Vega-Lite specs (altair), rendered by vl-convert; the dashboard serves the same specs.

Every function takes the table the chart is drawn from and returns ``(spec, data)``: the spec has
the data inline, and ``data`` is what the brief writes beside the picture (CSV), so a chart is
always available as a picture and as data. altair and vl-convert are imported on first use.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from .._extras import require

__all__ = [
    "STATUS_ORDER",
    "bargaining_chart",
    "components_chart",
    "forecast_chart",
    "implementation_chart",
    "military_chart",
    "render_png",
    "render_svg",
    "tension_chart",
]

#: implementation statuses in scale order, with their colours (reversed last, in red)
STATUS_ORDER = ("not_initiated", "minimal", "intermediate", "full", "reversed")
_STATUS_COLOURS = ("#f0f0f0", "#c6dbef", "#6baed6", "#08519c", "#de2d26")
_WIDTH = 640


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = frame.copy()
    for c in out.columns:
        if out[c].map(lambda v: isinstance(v, date)).any():
            out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d")
    return out.astype(object).where(out.notna(), None).to_dict("records")


def tension_chart(
    index: pd.DataFrame, phases: pd.DataFrame | None, start: date, title: str
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The tension index from ``start`` with the phases shaded (``detente.indicators.charts.index_chart``)."""
    from ..indicators.charts import index_chart

    idx = index[index["period"] >= start][["period", "tension"]].reset_index(drop=True)
    bands = None
    if phases is not None and len(phases):
        bands = phases[phases["end"] >= start][["start", "end", "label"]].copy()
        bands["start"] = [max(s, start) for s in bands["start"]]
    data = idx.copy()
    if bands is not None:
        data["phase"] = [_phase_of(p, bands) for p in data["period"]]
    return index_chart(idx, title, bands), data


def _phase_of(period: date, bands: pd.DataFrame) -> str | None:
    hit = bands[(bands["start"] <= period) & (bands["end"] >= period)]
    return None if hit.empty else str(hit["label"].iloc[0])


def components_chart(index: pd.DataFrame, weights: dict[str, float], title: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """Each component's contribution w·z to the index's score per period (stacked bars)."""
    alt = require("altair")

    long = pd.DataFrame(
        [
            {"period": r["period"], "component": c.replace("_", " "), "contribution": round(w * float(r[f"z_{c}"]), 4)}
            for r in index.to_dict("records")
            for c, w in weights.items()
        ]
    )
    chart = (
        alt.Chart(alt.InlineData(values=_records(long)))
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("contribution:Q", title="contribution to the score (w·z)"),
            color=alt.Color("component:N", title="component"),
            tooltip=["period:T", "component:N", alt.Tooltip("contribution:Q", format=".2f")],
        )
        .properties(title=title, width=_WIDTH, height=220)
    )
    return chart.to_dict(), long


def military_chart(elements: pd.DataFrame, title: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """The four elements as small multiples (``detente.indicators.charts.military_chart``)."""
    from ..indicators.charts import military_chart as chart

    cols = [c for c in elements.columns if not c.endswith("_ids")]
    data = elements[cols].reset_index(drop=True)
    return chart(data, title), data


def implementation_chart(status: pd.DataFrame, title: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """Heat map: provision (rows) by date (columns), coloured by implementation status.

    ``status`` has ``date``, ``label`` (the column's name), ``agreement_id``, ``provision_id`` and ``status``.
    """
    alt = require("altair")

    data = status[["date", "label", "agreement_id", "provision_id", "status"]].reset_index(drop=True)
    chart = (
        alt.Chart(alt.InlineData(values=_records(data)))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("label:O", title=None, sort=list(dict.fromkeys(data["label"])), axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("provision_id:N", title=None, sort=list(dict.fromkeys(data["provision_id"]))),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_ORDER), range=list(_STATUS_COLOURS)),
                title="status",
            ),
            tooltip=["provision_id:N", "agreement_id:N", "date:O", "status:N"],
        )
        .properties(title=title, width=_WIDTH // 2, height=alt.Step(11))
    )
    return chart.to_dict(), data


def bargaining_chart(summary: pd.DataFrame, title: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """Predicted outcome per issue and model (point) with the 80 % Monte Carlo interval (rule)."""
    alt = require("altair")

    data = summary[["issue", "model", "outcome", "p10", "p90"]].reset_index(drop=True)
    base = alt.Chart().encode(
        y=alt.Y("model:N", title=None),
        color=alt.Color("model:N", legend=None),
    )
    rule = base.mark_rule(strokeWidth=2, opacity=0.6).encode(
        x=alt.X("p10:Q", title="position on the issue's 0-100 scale", scale=alt.Scale(domain=[0, 100])), x2="p90:Q"
    )
    point = base.mark_point(filled=True, size=60).encode(
        x="outcome:Q", tooltip=["issue:N", "model:N", "outcome:Q", "p10:Q", "p90:Q"]
    )
    chart = (
        alt.layer(rule, point, data=alt.InlineData(values=_records(data)))
        .properties(width=_WIDTH // 2, height=80)
        .facet(row=alt.Row("issue:N", title=None))
        .properties(title=title)
    )
    return chart.to_dict(), data


def forecast_chart(forecasts: pd.DataFrame, title: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """Forecast probability per target and horizon (bars): ``forecasts`` has target, horizon, probability."""
    alt = require("altair")

    data = forecasts[["target", "horizon", "probability"]].reset_index(drop=True)
    chart = (
        alt.Chart(alt.InlineData(values=_records(data)))
        .mark_bar()
        .encode(
            x=alt.X("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("target:N", title=None),
            color=alt.Color("horizon:N", title="horizon"),
            yOffset="horizon:N",
            tooltip=["target:N", "horizon:N", alt.Tooltip("probability:Q", format=".2f")],
        )
        .properties(title=title, width=_WIDTH // 2)
    )
    return chart.to_dict(), data


def render_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG text (vl-convert, no browser)."""
    vlc = require("vl_convert")

    return vlc.vegalite_to_svg(spec)


def render_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """The chart as PNG bytes (vl-convert, no browser)."""
    vlc = require("vl_convert")

    return vlc.vegalite_to_png(spec, scale=scale)
