"""The India-Pakistan knowledge base (``kb/data/ind-pak``): the Korea layouts and checks, provenance and known facts."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from detente.kb import tables
from detente.kb.tables import TABLES, KbDataError, parse_table
from detente.sources.kb import KoreaFactsEvents

FOLDER = tables.data_path("agreements").parent / "ind-pak"
ROWS = {"agreements": 15, "provisions": 8, "transitions": 22, "summits": 8, "leaders": 14, "cbm": 7}
TIMELINE_ROWS = 41
STATES = ("IND", "PAK")


def load(name: str) -> pa.Table:
    return tables.load(name, FOLDER, STATES)


def by(name: str, key: str) -> dict[object, dict[str, object]]:
    return {r[key]: r for r in load(name).to_pylist()}


def timeline() -> list[dict[str, str]]:
    with open(FOLDER / "timeline.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def test_tables_have_the_korea_headers_and_pass_the_korea_checks() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.csv")) == sorted([TABLES[n].file for n in ROWS] + ["timeline.csv"])
    korea = tables.data_path("agreements").parent
    for p in FOLDER.glob("*.csv"):
        assert header(p) == header(korea / p.name), p.name
    for name, n in ROWS.items():
        assert load(name).num_rows == n, name
    assert len(timeline()) == TIMELINE_ROWS


def test_only_the_leaders_spec_differs_from_korea() -> None:
    # leaders name the theatre's two states: Korea's spec (and the wrong theatre's states) reject them
    with pytest.raises(KbDataError, match=r"leaders.csv line 2: country 'IND'"):
        parse_table(TABLES["leaders"], (FOLDER / "leaders.csv").read_text("utf-8"))
    with pytest.raises(KbDataError, match=r"leaders.csv line 2: country 'IND'"):
        tables.load("leaders", FOLDER, ("KOR", "PRK"))
    assert tables.load("leaders", FOLDER).num_rows == ROWS["leaders"]  # any ISO3 code without the states
    for name in ("agreements", "provisions", "transitions", "summits", "cbm"):
        assert parse_table(TABLES[name], (FOLDER / TABLES[name].file).read_text("utf-8")).num_rows == ROWS[name]
    assert tables.validate(FOLDER, STATES) == []


def test_a_table_the_folder_lacks_has_no_rows() -> None:
    for name in ("sanctions", "hotlines", "exercises", "missile_tests_by_year"):
        assert not (FOLDER / TABLES[name].file).exists()
        empty = tables.load(name, FOLDER)
        assert empty.num_rows == 0 and empty.schema == tables.load(name).schema


def test_every_row_has_a_source_and_an_honest_confidence() -> None:
    rows = {name: load(name).to_pylist() for name in ROWS} | {"timeline": timeline()}
    counts = {name: sum(r["confidence"] == "recalled" for r in rs) for name, rs in rows.items()}
    assert counts == {"agreements": 0, "provisions": 0, "transitions": 0, "summits": 0, "leaders": 1, "cbm": 0,
                      "timeline": 0}  # fmt: skip
    for name, rs in rows.items():
        for r in rs:
            assert r["source"].strip() and " — http" in r["source"], (name, r)
            assert "wikipedia" not in r["source"].lower(), (name, r)
            text = " ".join(str(v) for v in r.values())
            # a verified row carries no recalled claim; a recalled row says which claim is recalled
            assert ("[recalled]" in text) == (r["confidence"] == "recalled"), (name, r)


def test_signing_dates_places_and_entry_into_force() -> None:
    a = by("agreements", "id")
    signed = {k: str(r["date_signed"]) for k, r in a.items()}
    assert signed == {
        "KAR-1949": "1949-07-27", "IWT-1960": "1960-09-19", "TASH-1966": "1966-01-10", "SIM-1972": "1972-07-02",
        "NNA-1988": "1988-12-31", "ANME-1991": "1991-04-06", "AVA-1991": "1991-04-06", "LD-1999": "1999-02-21",
        "LMOU-1999": "1999-02-21", "CF-2003": "2003-11-25", "BMN-2005": "2005-10-03", "NRA-2007": "2007-02-21",
        "KCA-2019": "2019-10-24", "DGMO-2021": "2021-02-25", "COF-2025": "2025-05-10",
    }  # fmt: skip
    assert {r["date_precision"] for r in a.values()} == {"day"}
    assert (a["IWT-1960"]["place"], a["SIM-1972"]["place"].split(" ")[0], a["NNA-1988"]["place"]) == (
        "Karachi",
        "Simla",
        "Islamabad",
    )
    assert a["NNA-1988"]["date_in_force"] == date(1991, 1, 27)
    assert a["CF-2003"]["date_in_force"] == date(2003, 11, 26)
    assert "12.40 am" in a["SIM-1972"]["notes"]  # signed in the first minutes of 3 July, text dated 2 July
    iwt = a["IWT-1960"]
    assert "abeyance" in iwt["later_fate"] and "2025-04-23" in iwt["later_fate"]
    assert "Nehru" in iwt["summary_of_key_provisions"] and "worldbank.org" in iwt["source"]
    assert "unts" in iwt["notes"].lower()


def test_pax_ids_match_the_real_pax_file(data_dir: Path) -> None:
    with open(data_dir / "pax_peace_agreements" / "pax_all_agreements_v10.csv", newline="", encoding="utf-8") as fh:
        pax = {int(r["AgtId"]): r for r in csv.DictReader(fh)}
    ind_pak = {i for i, r in pax.items() if r["Con"] == "India/Pakistan"}
    shipped = {r["pax_id"]: r for r in load("agreements").to_pylist() if r["pax_id"] is not None}
    assert set(shipped) == {1522, 1523, 446, 577, 1291, 1524, 2370}
    assert ind_pak - set(shipped) == {1443}  # the 1998 New York joint statement is not compiled
    differ = {
        i: (pax[i]["Dat"], str(r["date_signed"])) for i, r in shipped.items() if pax[i]["Dat"] != str(r["date_signed"])
    }
    assert differ == {1291: ("1999-02-21", "2005-10-03")}
    assert "PA-X v10 (AgtId 1291) dates this agreement 1999-02-21" in shipped[1291]["notes"]
    assert all(f"AgtId {i}" in r["source"] for i, r in shipped.items())


def year_end_status(steps: list[dict[str, object]], year: int) -> str:
    due = [s for s in steps if s["date"] <= date(year, 12, 31)]
    return str(due[-1]["status"]) if due else "not_initiated"


def test_transitions_reproduce_the_year_end_statuses() -> None:
    steps: dict[str, list[dict[str, object]]] = {}
    for t in load("transitions").to_pylist():
        steps.setdefault(str(t["provision_id"]), []).append(t)
    provisions = load("provisions").to_pylist()
    signed = {k: r["date_signed"] for k, r in by("agreements", "id").items()}
    assert set(steps) == {p["provision_id"] for p in provisions}
    for p in provisions:
        s = steps[p["provision_id"]]
        assert [t["date"] for t in s] == sorted(t["date"] for t in s), p["provision_id"]
        assert s[0]["date"] >= signed[p["agreement_id"]], p["provision_id"]
        got = tuple(year_end_status(s, y) for y in (2019, 2022, 2025))
        assert got == (p["status_2019"], p["status_2022"], p["status_2025"]), p["provision_id"]
    assert [(str(t["date"]), t["status"]) for t in steps["IWT-1"]] == [
        ("1960-09-19", "full"),
        ("2025-04-23", "reversed"),
    ]
    assert [str(t["date"]) for t in steps["NNA-2"]] == ["1988-12-31", "1992-01-01"]


def test_timeline_refs_name_real_timeline_rows() -> None:
    ids = {f"kb:{r['date']}-"
           + hashlib.sha1(f"{r['date']}|{r['event_type']}|{r['description']}".encode()).hexdigest()[:10]
           for r in timeline()}  # fmt: skip
    refs = [ref for t in load("transitions").to_pylist() for ref in str(t["timeline_refs"]).split(";") if ref]
    assert len(refs) == 19 and set(refs) <= ids


def test_timeline_reads_with_the_korea_reader() -> None:
    result = KoreaFactsEvents().read(FOLDER / "timeline.csv", duckdb.connect())
    rows = result.rows.to_pylist()
    assert result.rows_read == TIMELINE_ROWS and not [r for r in rows if r["reject_reason"]]
    assert len(rows) == TIMELINE_ROWS + 1  # the UN cease-fire row names two targets
    assert {r["actor1_country"] for r in rows} == {"IND", "PAK", "UN"}
    deaths = {str(r["date"]): r["fatalities"] for r in rows if r["fatalities"] is not None}
    assert deaths == {"2001-12-13": 12, "2008-11-26": 166, "2019-02-14": 40, "2025-04-22": 26}


def test_the_major_incidents_of_the_issue() -> None:
    rows = {(r["date"], r["actor"], r["target"]): r for r in timeline()}
    expected = {
        ("1999-05", "PAK", "IND"): "Kargil", ("2001-12-13", "PAK", "IND"): "parliament",
        ("2008-11-26", "PAK", "IND"): "Mumbai", ("2016-09-18", "PAK", "IND"): "Uri",
        ("2016-09-29", "IND", "PAK"): "surgical strikes", ("2019-02-14", "PAK", "IND"): "Pulwama",
        ("2019-02-26", "IND", "PAK"): "Balakot", ("2025-04-22", "PAK", "IND"): "Pahalgam",
        ("2025-05-07", "IND", "PAK"): "Operation Sindoor", ("2025-05-10", "IND;PAK", ""): "stop all firing",
    }  # fmt: skip
    for key, word in expected.items():
        assert word in rows[key]["description"], key
    assert [r["date"] for r in timeline()] == sorted(r["date"] for r in timeline())


def test_cbms_and_the_nuclear_list_exchange() -> None:
    c = by("cbm", "id")
    for r in c.values():
        assert r["end"] is None or r["start"] <= r["end"], r["id"]
        assert r["agreement_id"] == "" or r["agreement_id"] in by("agreements", "id"), r["id"]
    assert (c["NNA-LISTS"]["start"], c["NNA-LISTS"]["end"]) == (date(1992, 1, 1), None)
    assert (c["LOC-CEASEFIRE"]["start"], c["LOC-CEASEFIRE"]["end"]) == (date(2003, 11, 26), date(2025, 5, 7))
    assert c["HL-DGMO"]["kind"] == "hotline" and c["BMN-NOTICE"]["start"] == date(2005, 10, 3)
    assert [(r["start"], r["end"]) for k, r in c.items() if k.startswith("KARTARPUR")] == [
        (date(2019, 11, 9), date(2020, 3, 16)),
        (date(2021, 11, 17), date(2025, 5, 7)),
    ]


def test_leaders_handovers() -> None:
    rows = load("leaders").to_pylist()
    pak = [(r["name"], r["role"]) for r in rows if r["country"] == "PAK"]
    assert ("Pervez Musharraf", "chief executive (military ruler)") in pak
    imran = next(r for r in rows if r["name"] == "Imran Khan")
    assert (imran["term_start"], imran["term_end"], imran["confidence"]) == (
        date(2018, 8, 18),
        date(2022, 4, 10),
        "verified",
    )
    for country in ("IND", "PAK"):
        terms = [(r["term_start"], r["term_end"]) for r in rows if r["country"] == country]
        assert terms == sorted(terms, key=lambda t: t[0]), country
        assert sum(end is None for _, end in terms) == 1, country  # one incumbent
