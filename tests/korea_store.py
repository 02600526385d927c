"""The real Korea event files the suites build stores from (imported by conftest files and tests)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from detente import Store
from detente.kb import timeline_path

#: the curated incident files beside the shipped timeline (the forecasts' targets come from these)
CURATED = (
    "nk_missile_tests_cns/north_korea_missile_test_database.csv",
    "nk_provocations_csis/north_korea_provocations_1958_present.csv",
    "cow_mid/MIDIP_5.01.csv",
)
#: the machine-coded samples that concern the peninsula (and GDELT 1.0's R re-export)
CODED = (
    "icews_events/events.2018.sample.tab",
    "gdelt_events/20191024143000.export.CSV",
    "gdelt_events/undp_georgia_extract_april13.csv",
)


def korea_files(data_dir: Path, coded: bool = True) -> list[Path]:
    """The shipped timeline and the real Korea event files: curated, and with ``coded`` the machine-coded."""
    return [timeline_path(), *(data_dir / f for f in (*CURATED, *(CODED if coded else ())))]


def built_store(home: Path, files: Iterable[Path]) -> Store:
    """A store at ``home`` with every file ingested (each must be ingested, not failed)."""
    store = Store(home)
    for path in files:
        report = store.ingest(path)
        assert report.status == "ingested", report
    return store
