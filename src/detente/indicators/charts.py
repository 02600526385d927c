"""Charts of the indicators as Vega-Lite specs (altair), written as PNG or SVG by vl-convert (no browser).

Every chart is drawn from the same table the command prints, so the picture and its data always
agree; ``.json`` writes the Vega-Lite spec itself (data inlined). altair and vl-convert are
imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .._extras import require

__all__ = ["index_chart", "key_events", "military_chart", "save_chart", "series_chart", "trend"]

_WIDTH, _HEIGHT = 720, 260
_ELEMENT_COLUMNS = {
    "drill_days": "drill days",
    "troop_movements": "troop movements",
    "border_incidents": "border incidents",
    "capability_launches": "launches and tests",
}


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    out = frame[columns].copy()
    out["period"] = pd.to_datetime(out["period"]).dt.strftime("%Y-%m-%d")
    return out.astype(object).where(out.notna(), None).to_dict("records")


def trend(index: pd.DataFrame, column: str = "tension", window: int = 3) -> pd.Series:
    """Centred ``window``-period mean of ``column`` (rows in period order), missing where the index is."""
    values = index[column].astype(float)
    return values.rolling(window, center=True, min_periods=1).mean().where(values.notna())


def key_events(incidents: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """Events to mark: the most severe incident of a month, the ``limit`` most severe months (latest first on ties).

    ``incidents`` as :func:`~detente.indicators.incidents.find_incidents` returns them; the result
    has ``date`` and ``label`` (kind and month, e.g. ``nuclear test 2017-09``), in date order.
    """
    if incidents.empty:
        return pd.DataFrame({"date": [], "label": []})
    frame = incidents.assign(month=[d.strftime("%Y-%m") for d in incidents["date"]])
    frame = frame.sort_values(["severity", "date"], ascending=[False, False], kind="stable")
    top = frame.drop_duplicates("month").head(limit).sort_values("date")
    kinds = [k.replace("missile:", "").replace("_", " ") for k in top["kind"]]
    return pd.DataFrame(
        {"date": list(top["date"]), "label": [f"{k} {m}" for k, m in zip(kinds, top["month"], strict=True)]}
    )


def index_chart(
    index: pd.DataFrame, title: str, phases: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The tension index over time: faint monthly values under the 3-period trend, gaps drawn as gaps.

    Periods without an index are breaks in both lines, never joined across. Phases (if given) are
    shaded bands labelled thaw/freeze/stable; ``events`` (``date``, ``label``, e.g. from
    :func:`key_events`) are marked by rules with their labels. The data (``index``, ``trend``,
    ``reading``) travel inline in the spec.
    """
    alt = require("altair")

    frame = index.assign(trend=trend(index))
    columns = ["period", "tension", "trend", *(["reading"] if "reading" in frame else [])]
    data = alt.InlineData(values=_records(frame, columns))
    x = alt.X("period:T", title=None)
    y_scale = alt.Scale(domain=[0, 100])
    monthly = (
        alt.Chart(data)
        .mark_line(color="#999", opacity=0.45, strokeWidth=1, invalid="break-paths-show-domains")
        .encode(x=x, y=alt.Y("tension:Q", title="tension index (0-100)", scale=y_scale))
    )
    smooth = (
        alt.Chart(data)
        .mark_line(color="#222", strokeWidth=2, invalid="break-paths-show-domains")
        .encode(
            x=x,
            y=alt.Y("trend:Q", scale=y_scale),
            tooltip=["period:T", alt.Tooltip("tension:Q", format=".1f"), alt.Tooltip("trend:Q", format=".1f")]
            + (["reading:N"] if "reading" in frame else []),
        )
    )
    layers: list[Any] = []
    if phases is not None and len(phases):
        bands = phases[["start", "end", "label"]].copy()
        bands["start"] = pd.to_datetime(bands["start"]).dt.strftime("%Y-%m-%d")
        bands["end"] = pd.to_datetime(bands["end"]).dt.strftime("%Y-%m-%d")
        layers.append(
            alt.Chart(alt.InlineData(values=bands.to_dict("records")))
            .mark_rect(opacity=0.18)
            .encode(
                x="start:T",
                x2="end:T",
                color=alt.Color(
                    "label:N",
                    scale=alt.Scale(domain=["thaw", "stable", "freeze"], range=["#2b8cbe", "#bdbdbd", "#de2d26"]),
                    title="phase",
                ),
            )
        )
    layers += [monthly, smooth]
    if events is not None and len(events):
        marks = pd.DataFrame({"date": pd.to_datetime(events["date"]).dt.strftime("%Y-%m-%d"), "label": events["label"]})
        base = alt.Chart(alt.InlineData(values=marks.to_dict("records")))
        layers.append(
            base.mark_rule(color="#de2d26", strokeDash=[3, 3]).encode(x="date:T", tooltip=["date:T", "label:N"])
        )
        layers.append(
            base.mark_text(angle=270, align="left", dx=4, dy=-3, fontSize=9, color="#de2d26").encode(
                x="date:T", y=alt.value(4), text="label:N"
            )
        )
    chart = alt.layer(*layers).properties(title=title, width=_WIDTH, height=_HEIGHT)
    return chart.to_dict()


def series_chart(series: pd.DataFrame, title: str, measure: str = "net_cooperation") -> dict[str, Any]:
    """One line per direction of a dyadic series measure."""
    alt = require("altair")

    chart = (
        alt.Chart(alt.InlineData(values=_records(series, ["period", "direction", measure])))
        .mark_line()
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y(f"{measure}:Q", title=measure.replace("_", " ")),
            color=alt.Color("direction:N"),
            tooltip=["period:T", "direction:N", f"{measure}:Q"],
        )
    )
    return chart.properties(title=title, width=_WIDTH, height=_HEIGHT).to_dict()


def military_chart(elements: pd.DataFrame, title: str) -> dict[str, Any]:
    """The four elements as small multiples (drill days, troop movements, border incidents, launches and tests)."""
    alt = require("altair")

    frame = elements.copy()
    launches = [c for c in frame.columns if c.startswith("launches_")]
    frame["capability_launches"] = frame[launches].sum(axis=1) + frame["nuclear_tests"] + frame["satellite_launches"]
    long = frame.melt(id_vars="period", value_vars=list(_ELEMENT_COLUMNS), var_name="element", value_name="value")
    long["element"] = long["element"].map(_ELEMENT_COLUMNS)
    chart = (
        alt.Chart(alt.InlineData(values=_records(long, ["period", "element", "value"])))
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("value:Q", title=None),
            row=alt.Row("element:N", title=None, sort=list(_ELEMENT_COLUMNS.values())),
            tooltip=["period:T", "element:N", "value:Q"],
        )
    )
    return chart.properties(title=title, width=_WIDTH, height=80).resolve_scale(y="independent").to_dict()


def save_chart(spec: dict[str, Any], path: str | Path) -> Path:
    """Write ``spec`` as ``.png``, ``.svg`` or ``.json`` (by the file's suffix)."""
    import json

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        target.write_text(json.dumps(spec, indent=1), encoding="utf-8")
        return target
    vlc = require("vl_convert")

    if suffix == ".png":
        target.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    elif suffix == ".svg":
        target.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    else:
        raise ValueError(f"chart file must end in .png, .svg or .json, not {target.name!r}")
    return target
