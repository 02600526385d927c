"""A store holding the curated timeline and the real CNS, CSIS and COW MID files, linked once per session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from detente import Store
from detente.kb import Linking, link_store, timeline_path
from detente.store import IngestReport


@dataclass(frozen=True)
class Linked:
    store: Store
    reports: dict[str, IngestReport]
    linking: Linking


@pytest.fixture(scope="session")
def real_paths(data_dir: Path) -> dict[str, Path]:
    """The linked sources: curated timeline, CNS, CSIS and the COW MID incident-participant file."""
    return {
        "kb": timeline_path(),
        "cns": data_dir / "nk_missile_tests_cns" / "north_korea_missile_test_database.csv",
        "csis": data_dir / "nk_provocations_csis" / "north_korea_provocations_1958_present.csv",
        "cow_mid": data_dir / "cow_mid" / "MIDIP_5.01.csv",
    }


@pytest.fixture(scope="session")
def linked(real_paths: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Linked]:
    store = Store(tmp_path_factory.mktemp("kb") / "home")
    reports = {name: store.ingest(path) for name, path in real_paths.items()}
    yield Linked(store, reports, link_store(store))
    store.close()
