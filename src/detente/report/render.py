"""Render a :class:`~.model.Brief` as HTML, Markdown or PDF, and write it with its charts and data.

Both template environments escape every value by default: the HTML one with Jinja2's autoescape,
the Markdown one with a ``finalize`` hook (:func:`.escape.md_finalize`). Charts are embedded in HTML
and PDF as SVG images (``data:`` URIs in ``<img>``, where no script can run), and written beside the
Markdown. :func:`write_brief` also writes every chart as SVG, PNG, Vega-Lite spec and CSV, and the
footnotes with all their event ids as JSON, into ``<name>_files/``, atomically: everything is
rendered into a hidden sibling folder first and swapped in by renames, so a build killed or failing
half-way leaves the previous brief and its files as they were.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from .._extras import require

require("jinja2")  # the report extra: without it, this fails here with the pip line that installs it

import jinja2  # noqa: E402
from markupsafe import Markup  # noqa: E402

from .._json import dumps  # noqa: E402
from .charts import render_png, render_svg  # noqa: E402
from .escape import MdSafe, md_finalize, safe_url  # noqa: E402
from .model import Brief, BriefFormat, Chart, Footnote  # noqa: E402

__all__ = ["BriefFormat", "assets_dir", "footnotes_json", "render_html", "render_markdown", "render_pdf", "write_brief"]

#: ids listed in a footnote in Markdown and PDF (HTML lists all, folded); the JSON file always has all
SHOWN_IDS = 12


def _template_text(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text("utf-8")


@lru_cache(maxsize=1)
def _html_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("detente.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    return env


@lru_cache(maxsize=1)
def _md_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("detente.report", "templates"),
        autoescape=False,
        finalize=md_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["raw"] = MdSafe
    return env


def _svgs(brief: Brief) -> dict[str, str]:
    """Every chart of the brief rendered once, by name."""
    return {c.name: render_svg(c.spec) for c in _charts(brief)}


def _uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _chart_rows(chart: Chart, limit: int | None = None) -> list[list[str]]:
    frame = chart.data if limit is None else chart.data.head(limit)
    return [["" if v is None or pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]


def _context(brief: Brief, pdf: bool, assets: str | None, svgs: dict[str, str] | None = None) -> dict[str, Any]:
    rendered = svgs if svgs is not None else _svgs(brief)
    return {
        "brief": brief,
        "pdf": pdf,
        "assets": quote(assets) if assets else None,
        "shown_ids": SHOWN_IDS,
        "css": Markup(_template_text("brief.css")),
        "svg_uri": lambda chart: _uri(rendered[chart.name]),
        "chart_rows": _chart_rows,
    }


def render_html(
    brief: Brief, *, pdf: bool = False, assets: str | None = None, svgs: dict[str, str] | None = None
) -> str:
    """The brief as one self-contained HTML page (``pdf=True``: the print layout WeasyPrint renders)."""
    return _html_env().get_template("brief.html.j2").render(**_context(brief, pdf, assets, svgs))


def render_markdown(brief: Brief, assets: str) -> str:
    """The brief as Markdown; charts are referenced as ``assets/<name>.svg`` (see :func:`write_brief`)."""
    return _md_env().get_template("brief.md.j2").render(**_context(brief, False, assets, {}))


def render_pdf(brief: Brief, assets: str | None = None, svgs: dict[str, str] | None = None) -> bytes:
    """The brief as PDF (WeasyPrint; Hangul needs a CJK font such as Debian's fonts-nanum)."""
    HTML = require("weasyprint").HTML

    html = render_html(brief, pdf=True, assets=assets, svgs=svgs)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def assets_dir(path: Path) -> Path:
    """The folder beside ``path`` holding its charts and footnotes: ``brief.html`` → ``brief_files/``."""
    return path.with_name(f"{path.stem}_files")


def footnotes_json(footnotes: list[Footnote]) -> str:
    """Every footnote with all its event ids, knowledge-base rows and sources, as JSON."""
    return dumps([asdict(n) for n in footnotes], indent=1)


def _charts(brief: Brief) -> list[Chart]:
    return [b for s in brief.sections for b in s.blocks if isinstance(b, Chart)]


def write_brief(brief: Brief, path: str | Path, *formats: BriefFormat) -> list[Path]:
    """Write the brief to ``path`` in each format (the suffix follows the format), plus ``<stem>_files/``.

    ``<stem>_files/`` gets every chart as SVG, PNG, Vega-Lite spec and CSV, and ``footnotes.json``;
    it is written once whatever the number of formats. Returns the briefs' paths, then the files.
    Nothing at ``path`` changes until every file is rendered (in ``.<stem>.partial-*/`` beside it):
    then the folder and each brief are renamed into place. Partial folders a killed run left
    behind are removed first.
    """
    target = Path(path)
    folder = assets_dir(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.stem}.partial-"
    for stale in target.parent.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    try:
        names, files = _render_into(brief, staging, target, folder.name, formats)
        if folder.exists():
            os.replace(folder, staging / f"{folder.name}.old")
        os.replace(staging / folder.name, folder)
        for name in names:
            os.replace(staging / name, target.parent / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [*(target.parent / n for n in names), *(folder / f for f in files)]


def _render_into(
    brief: Brief, staging: Path, target: Path, assets: str, formats: tuple[BriefFormat, ...]
) -> tuple[list[str], list[str]]:
    """Render every file of :func:`write_brief` under ``staging``: (the briefs' names, the assets' names)."""
    folder = staging / assets
    folder.mkdir()
    svgs = _svgs(brief)
    files = []
    for chart in _charts(brief):
        (folder / f"{chart.name}.svg").write_text(svgs[chart.name], encoding="utf-8")
        (folder / f"{chart.name}.png").write_bytes(render_png(chart.spec))
        (folder / f"{chart.name}.vl.json").write_text(json.dumps(chart.spec, indent=1), encoding="utf-8")
        chart.data.to_csv(folder / f"{chart.name}.csv", index=False)
        files += [f"{chart.name}{s}" for s in (".svg", ".png", ".vl.json", ".csv")]
    (folder / "footnotes.json").write_text(footnotes_json(brief.footnotes), encoding="utf-8")
    files.append("footnotes.json")
    names = []
    for fmt in formats or (BriefFormat.html,):
        name = (target if len(formats) <= 1 else target.with_suffix(f".{fmt.value}")).name
        if fmt is BriefFormat.html:
            (staging / name).write_text(render_html(brief, assets=assets, svgs=svgs), encoding="utf-8")
        elif fmt is BriefFormat.md:
            (staging / name).write_text(render_markdown(brief, assets), encoding="utf-8")
        else:
            (staging / name).write_bytes(render_pdf(brief, assets=assets, svgs=svgs))
        names.append(name)
    return names, files
