"""The brief as HTML, Markdown and PDF: every section present, charts as pictures and data, untrusted text inert."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from brief_payload import PAYLOAD_DESCRIPTION, PAYLOAD_FILE, PAYLOAD_URL
from hypothesis import given
from hypothesis import strategies as st
from test_brief_content import SECTIONS

from detente.report import render_html, render_markdown
from detente.report.escape import md_escape, safe_url
from detente.report.model import Brief, Chart

CHARTS = ["implementation", "tension", "components", "military", "forecasts", "bargaining"]


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _font_name(textpage: object, index: int) -> str:
    import ctypes

    import pypdfium2.raw as pdfium_c

    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage, index, buf, 256, ctypes.byref(flags))
    return buf.value.decode("ascii", "replace")


def test_every_format_has_every_section(full_written: dict[str, Path], small_pdf: Path) -> None:
    html = full_written["html"].read_text("utf-8")
    md = full_written["md"].read_text("utf-8")
    pdf = _pdf_text(small_pdf)
    for i, title in enumerate(SECTIONS, start=1):
        assert f"<h2>{i}. {title}</h2>" in html
        assert f"\n## {i}. {title}\n" in md
        assert f"{i}. {title}" in pdf
    assert "남북 평화 프로세스 현황" in html and "남북 평화 프로세스 현황" in md


def test_footnote_references_and_definitions_match(full_brief: Brief, full_written: dict[str, Path]) -> None:
    md = full_written["md"].read_text("utf-8")
    refs = {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", md)}
    defs = {int(n) for n in re.findall(r"^\[\^(\d+)\]:", md, flags=re.MULTILINE)}
    assert refs == defs == set(range(1, len(full_brief.footnotes) + 1))
    html = full_written["html"].read_text("utf-8")
    assert len(re.findall(r'<li id="note-\d+"', html)) == len(full_brief.footnotes)
    assert set(re.findall(r'href="#note-(\d+)"', html)) == {str(n.number) for n in full_brief.footnotes}


def test_charts_are_written_as_pictures_and_data(full_brief: Brief, full_written: dict[str, Path]) -> None:
    charts = {b.name: b for s in full_brief.sections for b in s.blocks if isinstance(b, Chart)}
    assert sorted(charts) == sorted(CHARTS)
    folder = full_written["html"].with_name("brief_files")
    for name, chart in charts.items():
        assert (folder / f"{name}.svg").read_text("utf-8").startswith("<svg")
        assert (folder / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        spec = json.loads((folder / f"{name}.vl.json").read_text("utf-8"))
        assert "$schema" in spec
        lines = (folder / f"{name}.csv").read_text("utf-8").splitlines()
        assert len(lines) == len(chart.data) + 1
    html = full_written["html"].read_text("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == len(CHARTS)
    notes = json.loads((folder / "footnotes.json").read_text("utf-8"))
    assert len(notes) == len(full_brief.footnotes)
    assert sum(len(n["event_ids"]) for n in notes) == sum(len(n.event_ids) for n in full_brief.footnotes)


def test_bargaining_chart_draws_each_prediction_once(full_brief: Brief, full_written: dict[str, Path]) -> None:
    """One facet per issue, each with its own models only: as many points and intervals as table rows."""
    chart = next(b for s in full_brief.sections for b in s.blocks if isinstance(b, Chart) and b.name == "bargaining")
    svg = (full_written["html"].with_name("brief_files") / "bargaining.svg").read_text("utf-8")
    points = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)
    assert len(points) == chart.data["issue"].nunique() > 1
    assert sum(p.count("<path") for p in points) == len(chart.data)


def test_lessons_footnotes_are_the_briefs_own(full_brief: Brief, full_written: dict[str, Path]) -> None:
    """The lessons' sources are numbered with the brief's notes ([n] marks, one list), not a second footnote scheme."""
    html = full_written["html"].read_text("utf-8")
    assert 'class="footnote-ref"' not in html and 'class="footnote-item"' not in html
    pax = next(n for n in full_brief.footnotes if ("agreements", "577") in n.records)
    assert f'<a href="#note-{pax.number}">[{pax.number}]</a>' in html
    assert re.search(rf'<li id="note-{pax.number}" value="{pax.number}">\s*<span class="what">PA-X AgtId 577: ', html)
    assert "Stored records: agreements 577." in html


def test_pdf_first_page_is_not_blank_and_embeds_a_hangul_font(small_pdf: Path, artefacts: Path) -> None:
    import pypdfium2 as pdfium

    assert small_pdf.read_bytes()[:5] == b"%PDF-"
    pdf = pdfium.PdfDocument(str(small_pdf))
    try:
        page = pdf[0]
        text = page.get_textpage()
        at = text.get_text_range().index("남북")
        # the Korean subtitle is set in a Hangul font (Debian fonts-nanum); without one it would be tofu boxes
        assert "Nanum" in _font_name(text, at)
        image = page.render(scale=1).to_pil().convert("L")
    finally:
        pdf.close()
    image.save(artefacts / "brief-pdf-page-1.png")
    dark = image.point(lambda v: 255 if v < 128 else 0).histogram()[255]
    assert dark / (image.width * image.height) > 0.005


def test_html_escapes_the_payload(small_brief: Brief) -> None:
    html = render_html(small_brief)
    assert "<script" not in html.lower()
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=window", "SAFE")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=window.__xss=4&gt;.csv" in html  # the file name, in the footnotes
    assert "javascript:" not in html.split("&lt;script&gt;window.__xss=1")[0]  # no link was made from it
    assert 'href="javascript' not in html
    assert "Content-Security-Policy" in html


def test_markdown_escapes_the_payload(small_brief: Brief) -> None:
    md = render_markdown(small_brief, "brief_files")
    assert "<" not in md.replace("](<http", "").replace("](<https", "")  # only our own autolinks use '<'
    assert "&lt;script&gt;window.\\_\\_xss=1&lt;/script&gt;" in md
    assert "\\[link\\](javascript:window.\\_\\_xss=5)" in md
    assert PAYLOAD_URL not in md and PAYLOAD_FILE not in md and PAYLOAD_DESCRIPTION not in md


@given(st.text(max_size=200))
def test_md_escape_leaves_nothing_active(text: str) -> None:
    out = md_escape(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert not re.search(r"(?<!\\)[\[\]`*_|]", out)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.38north.org/2018/09/a/", True),
        ("http://world.kbs.co.kr/english/news/news_In_detail.htm?No=137129", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>", False),
        (PAYLOAD_URL, False),
        ("https://a b", False),
        ("//example.org/x", False),
    ],
)
def test_safe_url(url: str, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_pdf_has_no_footnote_back_links(full_brief: Brief, full_written: dict[str, Path], tmp_path: Path) -> None:
    """On paper a back-link "↩" would do nothing; the lessons' sources are printed with the brief's notes."""
    from detente.report import render_pdf

    assert "↩" not in full_written["html"].read_text("utf-8")
    pdf = tmp_path / "full.pdf"
    pdf.write_bytes(render_pdf(full_brief))
    text = _pdf_text(pdf)
    assert "PA-X AgtId 577" in text and "↩" not in text
