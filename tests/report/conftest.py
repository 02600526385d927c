"""Stores and briefs built once per session: the real data, and the shipped data plus an XSS payload."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from brief_payload import write_payload
from shared_build import FORECAST_ORIGINS, build_once, copy_home

from detente import Store
from detente.kb import timeline_path
from detente.report import BriefFormat, build_brief, render_markdown, render_pdf, write_brief
from detente.report.model import Brief

#: every real file the brief reads (ACLED is left out: no Korean events)
REAL_FILES = (
    "nk_missile_tests_cns/north_korea_missile_test_database.csv",
    "nk_provocations_csis/north_korea_provocations_1958_present.csv",
    "cow_mid/MIDIP_5.01.csv",
    "cow_mid/MIDI_5.01.csv",
    "cow_mid/MIDA 5.0.csv",
    "cow_mid/MIDB 5.0.csv",
    "pax_peace_agreements/pax_all_agreements_v10.csv",
    "ucdp/ucdp-prio-acd-221.csv",
    "icews_events/events.2018.sample.tab",
    "gdelt_events/20191024143000.export.CSV",
    "gdelt_events/undp_georgia_extract_april13.csv",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real headless Chromium (Debian chromium + playwright)")


def _ingest(home: Path, files: list[Path]) -> None:
    store = Store(home)
    try:
        for path in files:
            report = store.ingest(path)
            assert report.status == "ingested", report
    finally:
        store.close()


def _build(files: list[Path], runs: int) -> Callable[[Path], None]:
    """Ingest ``files`` into ``folder/home`` and pickle the brief built on it to ``folder/brief.pkl``."""

    def build(folder: Path) -> None:
        _ingest(folder / "home", files)
        store = Store(folder / "home")
        try:
            brief = build_brief(store, runs=runs, perm=200, forecast_origins=FORECAST_ORIGINS)
        finally:
            store.close()
        (folder / "brief.pkl").write_bytes(pickle.dumps(brief))

    return build


@pytest.fixture(scope="session")
def _full(data_dir: Path, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    files = [timeline_path(), *(data_dir / f for f in REAL_FILES)]
    return build_once(tmp_path_factory, worker_id, "report-full", _build(files, runs=200))


@pytest.fixture(scope="session")
def full_store(_full: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The shipped timeline and every real file the brief reads (a private copy per worker)."""
    store = Store(copy_home(_full / "home", tmp_path_factory, "report-full"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def full_brief(_full: Path) -> Brief:
    """The brief on the real data as of its latest event (200 Monte Carlo runs to keep the suite fast)."""
    return pickle.loads((_full / "brief.pkl").read_bytes())


@pytest.fixture(scope="session")
def full_written(full_brief: Brief, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The full brief written as HTML and Markdown (with the charts and footnotes beside each)."""
    folder = tmp_path_factory.mktemp("report-written")
    html, md = folder / "brief.html", folder / "brief.md"
    write_brief(full_brief, html, BriefFormat.html)  # also writes brief_files/, which the Markdown links too
    md.write_text(render_markdown(full_brief, "brief_files"), encoding="utf-8")
    return {"html": html, "md": md}


@pytest.fixture(scope="session")
def payload_path(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    folder = build_once(tmp_path_factory, worker_id, "report-payload", write_payload)
    return next(p for p in folder.iterdir() if p.suffix == ".csv")


@pytest.fixture(scope="session")
def _small(payload_path: Path, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    return build_once(tmp_path_factory, worker_id, "report-small", _build([timeline_path(), payload_path], runs=0))


@pytest.fixture(scope="session")
def small_store(_small: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """What `detente init` builds (the shipped timeline), plus the payload row (a private copy per worker)."""
    store = Store(copy_home(_small / "home", tmp_path_factory, "report-small"))
    yield store
    store.close()


@pytest.fixture(scope="session")
def small_brief(_small: Path) -> Brief:
    """The brief on the shipped data plus the payload (no Monte Carlo)."""
    return pickle.loads((_small / "brief.pkl").read_bytes())


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests save what a person may want to look at: ``$DETENTE_ARTEFACTS``, else a session temp folder."""
    folder = Path(os.environ.get("DETENTE_ARTEFACTS") or tmp_path_factory.mktemp("artefacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def small_pdf(small_brief: Brief, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small brief as PDF (the PDF path is the same for any brief; the small one renders fastest)."""
    path = tmp_path_factory.mktemp("report-pdf") / "brief.pdf"
    path.write_bytes(render_pdf(small_brief))
    return path
