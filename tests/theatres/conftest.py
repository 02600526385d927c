"""A store with the real PA-X, UCDP, COW MID, CNS, CSIS and timeline files, built once per session, and the
raw files read independently (``csv`` module) so tests can check the results against the source itself."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from detente import Store
from detente.kb import timeline_path
from detente.theatres import Record, load_record

FILES = {
    "pax": "pax_peace_agreements/pax_all_agreements_v10.csv",
    "ucdp": "ucdp/ucdp-prio-acd-221.csv",
    "midip": "cow_mid/MIDIP_5.01.csv",
    "midi": "cow_mid/MIDI_5.01.csv",
    "mida": "cow_mid/MIDA 5.0.csv",
    "midb": "cow_mid/MIDB 5.0.csv",
    "cns": "nk_missile_tests_cns/north_korea_missile_test_database.csv",
    "csis": "nk_provocations_csis/north_korea_provocations_1958_present.csv",
}
#: Gleditsch-Ward / COW state numbers (the same for these states): UCDP ``gwno_*``, MID ``ccode``.
STATE = {"IND": 750, "PAK": 770, "CHN": 710, "ECU": 130, "PER": 135, "ERI": 531, "ETH": 530, "KHM": 811,
         "THA": 800, "PRK": 731, "KOR": 732}  # fmt: skip


@dataclass(frozen=True)
class Raw:
    """The real files as lists of dicts, read with the ``csv`` module only."""

    pax: list[dict[str, str]]
    ucdp: list[dict[str, str]]
    midip: list[dict[str, str]]
    midi: list[dict[str, str]]
    midb: list[dict[str, str]]

    def ucdp_years(self, conflict_id: int) -> list[int]:
        return sorted(int(r["year"]) for r in self.ucdp if int(r["conflict_id"]) == conflict_id)


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")))


@pytest.fixture(scope="session")
def raw(data_dir: Path) -> Raw:
    return Raw(*(_read(data_dir / FILES[k]) for k in ("pax", "ucdp", "midip", "midi", "midb")))


@pytest.fixture(scope="session")
def home(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store home holding every file the theatres use (closed after building)."""
    path = tmp_path_factory.mktemp("theatres") / "home"
    store = Store(path)
    for name in FILES.values():
        assert store.ingest(data_dir / name).status == "ingested", name
    assert store.ingest(timeline_path()).status == "ingested"
    store.close()
    return path


@pytest.fixture(scope="session")
def real_store(home: Path) -> Iterator[Store]:
    s = Store(home)
    yield s
    s.close()


@pytest.fixture(scope="session")
def record(real_store: Store) -> Record:
    return load_record(real_store)
