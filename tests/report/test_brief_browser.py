"""The brief's HTML in a real headless Chromium: the ingested XSS payload is shown as text and no script runs.

Playwright's sync API refuses to start in a thread whose asyncio loop is running, and under pytest-xdist
the dashboard's session-wide Playwright (``tests/dashboard``) may be holding this worker's main thread
exactly so. The browser is therefore driven from a thread of its own, which has no loop.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from brief_payload import PAYLOAD_DESCRIPTION, PAYLOAD_FILE

from detente.report import BriefFormat, write_brief
from detente.report.model import Brief, Chart

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: DESIGN.md §9
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
#: records every Content-Security-Policy violation: a script or image the page tried and the policy refused
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""
#: what the page holds once loaded
FACTS = """() => ({
  xss: typeof window.__xss,
  csp: window.__csp,
  scripts: document.querySelectorAll("script").length,
  handlers: [...document.querySelectorAll("*")].flatMap(el => [...el.attributes].map(a => a.name))
    .filter(n => n.startsWith("on")).length,
  jsLinks: document.querySelectorAll("a[href^='javascript' i]").length,
  otherImages: document.querySelectorAll("img:not([src^='data:image/svg+xml'])").length,
  charts: [...document.querySelectorAll("img[src^='data:image/svg+xml']")].map(i => i.naturalWidth),
  latest: document.querySelector("#status table:last-of-type").innerText,
  notes: document.querySelector("#notes").innerText,
  deadLinks: [...document.querySelectorAll("a[href^='#']")].map(a => a.getAttribute("href").slice(1))
    .filter(id => !document.getElementById(id)),
})"""


def _open(page_file: Path, profile: Path, screenshots: Path) -> dict[str, Any]:
    """Load ``page_file`` in Chromium: the page's facts, dialogs and errors; screenshots of its top and its status."""
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS, viewport={"width": 1200, "height": 900}
        )
        try:
            page = context.new_page()
            page.add_init_script(WATCH_CSP)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri(), wait_until="load")
            facts = page.evaluate(FACTS)
            page.screenshot(path=str(screenshots / "brief-html-top.png"))
            page.locator("#status").screenshot(path=str(screenshots / "brief-html-status.png"))
        finally:
            context.close()
    return {**facts, "dialogs": dialogs, "errors": errors}


def test_the_brief_runs_no_script(small_brief: Brief, tmp_path: Path, artefacts: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package chromium")
    page_file = write_brief(small_brief, tmp_path / "brief.html", BriefFormat.html)[0]
    with ThreadPoolExecutor(1) as pool:
        facts = pool.submit(_open, page_file, tmp_path / "profile", artefacts).result(timeout=300)

    assert facts["xss"] == "undefined" and facts["dialogs"] == [] and facts["errors"] == []
    assert facts["csp"] == []  # nothing was even attempted and refused
    assert facts["scripts"] == 0 and facts["handlers"] == 0 and facts["jsLinks"] == 0
    assert facts["otherImages"] == 0
    charts = sum(isinstance(b, Chart) for s in small_brief.sections for b in s.blocks)
    assert len(facts["charts"]) == charts > 0 and all(w > 0 for w in facts["charts"])  # every chart drew
    assert PAYLOAD_DESCRIPTION.split(" 한글")[0] in facts["latest"]  # the description, as text
    assert PAYLOAD_FILE in facts["notes"]  # the file name, as text in its footnote
    assert facts["deadLinks"] == []  # every footnote mark leads to its note
    assert all((artefacts / f"brief-html-{n}.png").stat().st_size > 10_000 for n in ("top", "status"))
