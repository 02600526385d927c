"""The dashboard in a real headless Chromium: it loads, every chart renders, untrusted text stays text,
changing the dyad redraws the charts; screenshots are saved as test artefacts.

One test walks the whole page: loading it computes every indicator once, so splitting the walk into
several tests would pay for that again wherever pytest-xdist put them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

WAIT = 180_000  # ms: the first load computes every indicator, forecast and chart (then they are cached)
CHARTS = ("tension", "components", "military", "implementation", "bargaining")


def _svg(page: Any, chart: str) -> str:
    """The text of a chart's SVG (vega-embed draws it as ``svg.marks``)."""
    return page.locator(f"#chart-{chart} svg.marks").text_content() or ""


def _check_panels(page: Any) -> None:
    for chart in CHARTS:
        assert page.get_attribute(f"#chart-{chart}", "data-state") == "ready", chart
        assert page.locator(f"#chart-{chart} svg.marks path").count() > 5, chart
    assert "PRK-KOR" in _svg(page, "tension")
    assert page.locator("#events tbody tr").count() == 100
    assert page.locator("#bargaining tbody tr").count() == 24  # 6 issues x 4 models
    assert page.get_attribute("#forecasts", "data-state") in ("ready", "unavailable")
    assert page.inner_text("#forecasts").strip()
    assert page.locator("#phases tbody tr").count() > 0


def _check_payload(page: Any) -> None:
    text = page.inner_text("#events")
    assert "<script>window.__xss=1</script>" in text  # the description, shown as text
    assert "<img src=x onerror=window.__xss=4>.csv:2" in text  # the file name, as text
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#events img").count() == 0 and page.locator("#events script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0  # the javascript: URL made no link


def test_dashboard(page: Any, base_url: str, artefacts: Path) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-loaded='PRK-KOR']", state="attached", timeout=WAIT)
    _check_panels(page)
    _check_payload(page)
    page.screenshot(path=str(artefacts / "dashboard.png"), full_page=True)
    assert (artefacts / "dashboard.png").stat().st_size > 10_000

    before = page.locator("#chart-tension svg.marks").inner_html()
    page.select_option("#dyad", "IND-PAK")
    page.wait_for_selector("#chart-tension[data-dyad=IND-PAK][data-state=ready]", state="attached", timeout=WAIT)
    page.wait_for_selector("body[data-loaded='IND-PAK']", state="attached", timeout=WAIT)
    assert page.locator("#chart-tension svg.marks").inner_html() != before
    assert "IND-PAK" in _svg(page, "tension")
    rows = page.locator("#events tbody tr")
    assert rows.count() > 0
    actors = {rows.nth(i).locator("td").nth(3).inner_text() for i in range(min(rows.count(), 20))}
    assert actors <= {"IND → PAK", "PAK → IND"}
    page.screenshot(path=str(artefacts / "dashboard-ind-pak.png"))
    assert page.errors == [] and page.dialogs == []
