"""A store of the real curated event files (timeline, CNS, CSIS, COW MID), built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from detente import Store
from detente.forecast.features import MonthlyData, build
from detente.kb import timeline_path


def curated_files(data_dir: Path) -> list[Path]:
    """The four sources of the monthly targets."""
    return [
        timeline_path(),
        data_dir / "nk_missile_tests_cns" / "north_korea_missile_test_database.csv",
        data_dir / "nk_provocations_csis" / "north_korea_provocations_1958_present.csv",
        data_dir / "cow_mid" / "MIDIP_5.01.csv",
    ]


@pytest.fixture(scope="session")
def forecast_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("forecast") / "home")
    for path in curated_files(data_dir):
        report = store.ingest(path)
        assert report.status == "ingested", report
    yield store
    store.close()


@pytest.fixture(scope="session")
def monthly(forecast_store: Store) -> MonthlyData:
    """PRK's monthly data up to the last complete month of the real files."""
    return build(forecast_store, "PRK")
