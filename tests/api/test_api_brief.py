"""``/api/brief``: the brief built from the served store, in each format, with its assets.

The brief's content is tested on the real data in ``tests/report``; here it is built as of 2018-06-30
(fewer months to compute) to check the serving: formats, headers, links to the assets.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

PARAMS = {"runs": 0, "recent": 12, "as_of": "2018-06-30"}
ASSETS = "/api/brief/assets/2018-06-30/0/12"


def test_brief_formats(client: TestClient) -> None:
    md = client.get("/api/brief", params={**PARAMS, "format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "## 11. Lessons from other border conflicts" in md.text
    assert "as of 2018-06-30" in md.text
    assert f"({ASSETS}/tension.svg)" in md.text
    html = client.get("/api/brief", params=PARAMS)
    assert html.headers["content-security-policy"].startswith("default-src 'none'")
    assert "<h2>7. Military tensions</h2>" in html.text
    svg = client.get(f"{ASSETS}/tension.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    notes = client.get(f"{ASSETS}/footnotes.json").json()
    assert notes and all(not n["missing"] for n in notes)
    assert client.get(f"{ASSETS}/nope.svg").status_code == 404
    assert client.get("/api/brief/assets/yesterday/0/12/tension.svg").status_code == 422


def test_brief_as_pdf(client: TestClient) -> None:
    """The same (cached) brief as PDF."""
    r = client.get("/api/brief", params={**PARAMS, "format": "pdf"})
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    assert r.headers["content-disposition"] == 'attachment; filename="brief-2018-06-30.pdf"'
