"""The app served on 127.0.0.1 over a store with real data and an XSS payload, and Debian's Chromium via Playwright.

Browser tests are marked ``browser``; they need the Debian package ``chromium`` and the Python package
``playwright`` (no ``playwright install``: the system Chromium is launched). Screenshots go to
``$DETENTE_ARTEFACTS`` (default: the session's temporary folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente import Store
from detente.api.loadtest import serve_in_thread
from detente.kb import timeline_path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: DESIGN.md §9
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
FILES = (
    "nk_missile_tests_cns/north_korea_missile_test_database.csv",
    "nk_provocations_csis/north_korea_provocations_1958_present.csv",
    "cow_mid/MIDIP_5.01.csv",
    "icews_events/events.2018.sample.tab",
)
#: a timeline row that tries to run script through its description, its URL and its file's name
XSS_DESCRIPTION = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> 한글 payload'
XSS_URL = "javascript:window.__xss=3"
XSS_FILE = "<img src=x onerror=window.__xss=4>.csv"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real headless Chromium (Debian chromium + playwright)")


def _payload(folder: Path) -> Path:
    desc = XSS_DESCRIPTION.replace('"', '""')
    path = folder / XSS_FILE
    path.write_text(
        "date,date_precision,actor,target,event_type,description,casualties,source,confidence\n"
        f'2026-03-20,day,PRK,KOR,missile_test,"{desc}",,"Payload (Test, 2026-03-20) — {XSS_URL}",verified\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def base_url(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("dashboard") / "home"
    store = Store(home)
    try:
        for path in (timeline_path(), *(data_dir / f for f in FILES), _payload(home.parent)):
            report = store.ingest(path)
            assert report.status == "ingested", report
    finally:
        store.close()
    with serve_in_thread(home) as url:
        yield url


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("DETENTE_ARTEFACTS") or tmp_path_factory.mktemp("artefacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package chromium")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


def _recording(tab: Any) -> Any:
    """``tab`` with the dialogs it opens and the errors it throws recorded (``tab.dialogs``, ``tab.errors``)."""
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.dialogs, tab.errors = dialogs, errors
    return tab


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A fresh tab."""
    tab = _recording(browser_context.new_page())
    yield tab
    tab.close()
