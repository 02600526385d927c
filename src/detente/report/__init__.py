"""The status brief: sections built from the store and the models, footnoted, rendered as HTML, PDF or Markdown.

- :mod:`.builder`: :func:`build_brief` (the brief as data) and :func:`ensure_store`.
- :mod:`.sections`: one module per section; :mod:`.context`: what they read; :mod:`.notes`: footnotes.
- :mod:`.charts`: Vega-Lite specs (altair) rendered by vl-convert; the dashboard serves the same specs.
- :mod:`.render`: Jinja2 templates (escaping on) to HTML, Markdown and PDF (WeasyPrint); :mod:`.escape`.
- :mod:`.forecasts`: the forecast panel; ``detente brief``: :mod:`detente.cli.report`.

Names are imported on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from .._lazy import lazy_getattr

__all__ = [
    "Brief",
    "BriefFormat",
    "EmptyStoreError",
    "ForecastPanel",
    "build_brief",
    "ensure_store",
    "forecast_panel",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_brief",
]

_LAZY = {
    "Brief": "model",
    "BriefFormat": "model",
    "EmptyStoreError": "builder",
    "ForecastPanel": "forecasts",
    "build_brief": "builder",
    "ensure_store": "builder",
    "forecast_panel": "forecasts",
    "render_html": "render",
    "render_markdown": "render",
    "render_pdf": "render",
    "write_brief": "render",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
