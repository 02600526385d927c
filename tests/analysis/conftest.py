"""A store holding every real event file that concerns the Korean Peninsula, built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from detente import Store
from detente.kb import timeline_path


@pytest.fixture(scope="session")
def real_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The curated timeline, CNS, CSIS, COW MID incident participants, the ICEWS sample and both GDELT files."""
    store = Store(tmp_path_factory.mktemp("analysis") / "home")
    for path in (
        timeline_path(),
        data_dir / "nk_missile_tests_cns" / "north_korea_missile_test_database.csv",
        data_dir / "nk_provocations_csis" / "north_korea_provocations_1958_present.csv",
        data_dir / "cow_mid" / "MIDIP_5.01.csv",
        data_dir / "icews_events" / "events.2018.sample.tab",
        data_dir / "gdelt_events" / "20191024143000.export.CSV",
        data_dir / "gdelt_events" / "undp_georgia_extract_april13.csv",
    ):
        report = store.ingest(path)
        assert report.status == "ingested", report
    yield store
    store.close()
