"""A store of the real curated event files (timeline, CNS, CSIS, COW MID), built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from korea_store import built_store, korea_files

from detente import Store
from detente.forecast.features import MonthlyData, build


@pytest.fixture(scope="session")
def forecast_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The timeline and the curated files: the sources of the monthly targets."""
    store = built_store(tmp_path_factory.mktemp("forecast") / "home", korea_files(data_dir, coded=False))
    yield store
    store.close()


@pytest.fixture(scope="session")
def monthly(forecast_store: Store) -> MonthlyData:
    """PRK's monthly data up to the last complete month of the real files."""
    return build(forecast_store, "PRK")
