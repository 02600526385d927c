"""The Asia border watch on the real PA-X, UCDP, COW MID, CNS, CSIS and timeline store, checked against the files."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from detente import Store
from detente.indicators.tension import tension_frame
from detente.kb import tables
from detente.theatres import border_watch, load_registry
from detente.theatres.watch import WATCH_COLUMNS

from .conftest import STATE, Raw

IND_PAK = tables.shipped_folder() / "ind-pak"


@pytest.fixture(scope="module")
def watch(real_store: Store) -> pd.DataFrame:
    return border_watch(real_store).set_index("theatre")


def _ucdp_years(raw: Raw, a: str, b: str) -> list[int]:
    """Years UCDP has a conflict with ``a`` and ``b`` as primary opposing sides (read from the CSV)."""

    def sides(text: str) -> set[int]:
        return {int(x) for x in text.split(",") if x.strip()}

    ga, gb = STATE[a], STATE[b]
    return sorted({int(r["year"]) for r in raw.ucdp
                   if {ga, gb} <= sides(r["gwno_a"]) | sides(r["gwno_b"])
                   and (ga in sides(r["gwno_a"])) != (gb in sides(r["gwno_a"]))})  # fmt: skip


def _cbm_rows(folder: Path) -> list[dict[str, str]]:
    with open(folder / "cbm.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _in_force(folder: Path, on: date) -> list[str]:
    def day(text: str) -> date:
        return tables.parse_date(text)[0]

    return sorted(r["id"] for r in _cbm_rows(folder)
                  if r["start"] and day(r["start"]) <= on and (not r["end"] or day(r["end"]) > on))  # fmt: skip


def test_one_row_per_registry_theatre(watch: pd.DataFrame, real_store: Store) -> None:
    assert list(watch.index) == list(load_registry().ids())
    assert list(watch.reset_index().columns) == list(WATCH_COLUMNS)
    latest = pd.Timestamp(real_store.events().date.max().to_pandas()).date()
    assert watch.attrs["as_of"] == latest


def test_ucdp_matches_the_file(watch: pd.DataFrame, raw: Raw) -> None:
    last = max(int(r["year"]) for r in raw.ucdp)
    years = _ucdp_years(raw, "IND", "PAK")
    assert years[-1] < last  # UCDP 22.1 has no India-Pakistan conflict-year in 2021
    assert watch.loc["IND-PAK", "ucdp"] == f"none in {last} (last active {years[-1]})"
    assert watch.loc["PRK-KOR", "ucdp"] == f"none in {last} (last active {_ucdp_years(raw, 'PRK', 'KOR')[-1]})"
    assert watch.loc["PRK-KOR", "ucdp"] == "none in 2021 (last active 1953)"


def test_agreements_and_cbms_from_pax_and_the_knowledge_bases(watch: pd.DataFrame) -> None:
    ip = watch.loc["IND-PAK"]
    assert (ip["last_agreement_date"], ip["last_agreement"]) == (
        date(2025, 5, 10),
        "Understanding on the stoppage of firing and military action (10 May 2025) (KB COF-2025)",
    )
    as_of = watch.attrs["as_of"]
    assert ip["cbms"].split(";") == _in_force(IND_PAK, as_of) and ip["cbms_in_force"] == 3
    korea = _in_force(tables.shipped_folder(), as_of)
    assert watch.loc["PRK-KOR", "cbms_in_force"] == len(korea) == 2
    # theatres without a knowledge base: no CBM count, and the gap is said
    for tid in ("CHN-IND", "KHM-THA", "KHM-VNM", "BGD-IND", "AFG-PAK", "CHN-TWN"):
        assert pd.isna(watch.loc[tid, "cbms_in_force"]) and "CBMs: no knowledge base" in watch.loc[tid, "missing"]
    assert watch.loc["CHN-IND", "last_agreement"].endswith("(PA-X 2834)")


def test_index_now_change_and_coverage(watch: pd.DataFrame, real_store: Store) -> None:
    idx = tension_frame(real_store, "PRK-KOR", "month", end=watch.attrs["as_of"]).dropna(subset=["tension"])
    by_month = dict(zip(idx["period"], idx["tension"], strict=True))
    last = max(by_month)
    k = watch.loc["PRK-KOR"]
    assert k["index_month"] == last.strftime("%Y-%m") and k["tension"] == round(by_month[last], 1)
    assert k["change_12m"] == round(by_month[last] - by_month[date(last.year - 1, last.month, 1)], 1)
    assert k["coverage"] == 12
    # no event source covers India-Pakistan lately in this store (COW MID ends 2014): no coverage, said so
    ip = watch.loc["IND-PAK"]
    assert ip["coverage"] == 0 and ip["index_month"] <= "2014-12" and "index: nothing since" in ip["missing"]


def test_as_of_cuts_agreements_and_cbms(real_store: Store) -> None:
    w = border_watch(real_store, as_of=date(2004, 1, 1)).set_index("theatre")
    ip = w.loc["IND-PAK"]
    assert ip["last_agreement_date"] <= date(2004, 1, 1)
    assert ip["cbms"].split(";") == _in_force(IND_PAK, date(2004, 1, 1))
    assert w.attrs["as_of"] == date(2004, 1, 1)


def test_watch_command(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.cli import app

    monkeypatch.setenv("DETENTE_HOME", str(home))
    table = CliRunner().invoke(app, ["watch"])
    assert table.exit_code == 0, table.output
    assert "IND-PAK" in table.stdout and "no data" in table.stdout and "missing data" in table.stdout
    rows = json.loads(CliRunner().invoke(app, ["watch", "-f", "json"]).stdout)
    assert len(rows) == 8 and rows[-1]["theatre"] == "CHN-TWN" and rows[-1]["cbms_in_force"] is None
    out = CliRunner().invoke(app, ["watch", "--as-of", "2004", "-f", "csv"]).stdout
    assert len(list(csv.DictReader(io.StringIO(out)))) == 8
    bad = CliRunner().invoke(app, ["watch", "--as-of", "2004-13"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
