"""The brief's HTML in a real headless Chromium: the payload is shown as text and no script runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from detente.report import render_html
from detente.report.model import Brief, Chart

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: DESIGN.md §9
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def test_the_brief_runs_no_script(small_brief: Brief, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "brief.html"
    page_file.write_text(render_html(small_brief), encoding="utf-8")
    dialogs: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS
        )
        try:
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            latest = page.inner_text("#status table:last-of-type")
            assert "<script>window.__xss=1</script>" in latest  # the payload, as text
            assert page.evaluate("typeof window.__xss") == "undefined"
            assert page.locator("script").count() == 0
            assert page.locator("section img:not([src^='data:image/svg+xml'])").count() == 0
            assert page.locator("a[href^='javascript']").count() == 0
            charts = sum(isinstance(b, Chart) for s in small_brief.sections for b in s.blocks)
            assert page.locator("img[src^='data:image/svg+xml']").count() == charts > 0
        finally:
            context.close()
    assert dialogs == [] and errors == []
