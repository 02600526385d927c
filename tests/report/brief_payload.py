"""An XSS payload in the curated timeline's layout: text, URL and file name that try to run script."""

from __future__ import annotations

from pathlib import Path

#: a curated-timeline row whose text, URL and file name try to run script in every output
PAYLOAD_DESCRIPTION = (
    '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> 한글 시험 `tick` *star* _under_ '
    "[link](javascript:window.__xss=5) | pipe # hash"
)
PAYLOAD_URL = 'https://example.org/a"><script>window.__xss=3</script>'
PAYLOAD_FILE = "<img src=x onerror=window.__xss=4>.csv"
PAYLOAD_DATE = "2026-03-20"  # after the shipped timeline's last row, so the brief lists it as the latest event


def write_payload(folder: Path) -> Path:
    """The payload CSV (korea-facts layout) in ``folder``."""
    desc = PAYLOAD_DESCRIPTION.replace('"', '""')
    source = f"Payload (Test, 2026-03-20) — {PAYLOAD_URL}".replace('"', '""')
    text = (
        "date,date_precision,actor,target,event_type,description,casualties,source,confidence\n"
        f'{PAYLOAD_DATE},day,PRK,KOR,missile_test,"{desc}",,"{source}",verified\n'
    )
    path = folder / PAYLOAD_FILE
    path.write_text(text, encoding="utf-8")
    return path
