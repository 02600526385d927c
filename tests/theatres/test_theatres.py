"""Theatres found from the data, checked against the raw UCDP, PA-X and COW MID files read independently."""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources

import pytest

from detente import Store
from detente.kb import link_store
from detente.theatres import Record, find_theatres, resolve, theatre_detail
from detente.theatres.theatres import KOREA, kb_incidents

from .conftest import STATE, Raw

NAMED = ("PRK-KOR", "IND-PAK", "CHN-IND", "ERI-ETH", "ECU-PER", "KHM-THA")


def _gw(field: str) -> set[int]:
    return {int(x) for x in field.replace(" ", "").split(",") if x}


def _raw_ucdp_conflicts(raw: Raw, a: str, b: str) -> dict[int, set[int]]:
    """Interstate territorial UCDP conflicts with a and b as primary opposing sides -> active years."""
    found: dict[int, set[int]] = {}
    for r in raw.ucdp:
        if r["type_of_conflict"] != "2" or r["incompatibility"] not in ("1", "3"):
            continue
        sa, sb = _gw(r["gwno_a"]), _gw(r["gwno_b"])
        if (STATE[a] in sa and STATE[b] in sb) or (STATE[b] in sa and STATE[a] in sb):
            found.setdefault(int(r["conflict_id"]), set()).add(int(r["year"]))
    return found


def _raw_mid_disputes(raw: Raw, a: str, b: str) -> set[int]:
    sides: dict[int, dict[int, set[str]]] = {}
    for r in raw.midb:
        sides.setdefault(int(r["dispnum"]), {}).setdefault(int(r["ccode"]), set()).add(r["sidea"])
    return {
        d for d, s in sides.items()
        if STATE[a] in s and STATE[b] in s and (s[STATE[a]] | s[STATE[b]]) == {"0", "1"}
        and not (s[STATE[a]] & s[STATE[b]])
    }  # fmt: skip


def _raw_mid_incidents(raw: Raw, a: str, b: str) -> set[int]:
    sides: dict[int, dict[int, str]] = {}
    for r in raw.midip:
        sides.setdefault(int(r["incidnum"]), {})[int(r["ccode"])] = r["insidea"]
    return {i for i, s in sides.items() if STATE[a] in s and STATE[b] in s and s[STATE[a]] != s[STATE[b]]}


@pytest.fixture(scope="module")
def listing(record: Record) -> dict[str, dict]:
    return {r["dyad"]: r for r in find_theatres(record).to_pylist()}


def test_named_theatres_are_found_by_every_source(listing: dict[str, dict]) -> None:
    assert set(NAMED) <= set(listing)
    for dyad in NAMED:
        assert {"ucdp", "pax", "mid"} <= set(listing[dyad]["sources"].split("+")), dyad
    assert listing["PRK-KOR"]["sources"] == "ucdp+pax+mid+kb"
    assert listing["PRK-KOR"]["name"] == "North Korea / South Korea"


@pytest.mark.parametrize("dyad", NAMED)
def test_theatre_counts_match_the_raw_files(listing: dict[str, dict], raw: Raw, dyad: str) -> None:
    a, b = dyad.split("-")
    row = listing[dyad]
    conflicts = _raw_ucdp_conflicts(raw, a, b)
    assert row["ucdp_conflicts"] == ";".join(str(c) for c in sorted(conflicts))
    years = set().union(*conflicts.values())
    assert (row["ucdp_active_years"], row["ucdp_first_year"], row["ucdp_last_year"]) == (
        len(years),
        min(years),
        max(years),
    )
    located = [
        r for r in raw.pax
        if r["Agtp"] == "Inter" and "territor" in r["Contp"].lower() and {r["Loc1ISO"], r["Loc2ISO"]} == {a, b}
    ]  # fmt: skip
    assert row["pax_agreements"] == len(located)
    assert row["mid_disputes"] == len(_raw_mid_disputes(raw, a, b))
    assert row["mid_incidents"] == len(_raw_mid_incidents(raw, a, b))


def test_known_counts(listing: dict[str, dict]) -> None:
    # read off the raw files once (the test above recomputes them independently)
    assert [listing[d]["ucdp_conflicts"] for d in NAMED] == ["235", "218", "274", "409", "403", "294"]
    assert listing["IND-PAK"]["ucdp_active_years"] == 27
    assert listing["ECU-PER"]["pax_agreements"] == 14
    assert listing["KHM-THA"]["pax_first"] == date(2025, 7, 28)


def test_ecuador_peru_detail(record: Record, raw: Raw) -> None:
    detail = theatre_detail(record, resolve(record, "PER-ECU"))
    assert detail["dyad"] == "ECU-PER"
    assert detail["conflict_years"] == [{"year": 1995, "intensity": 1, "conflict_id": 403}]
    # no UCDP active year after the October 1998 agreements through the end of coverage
    last_year = max(int(r["year"]) for r in raw.ucdp)
    assert detail["coverage"]["ucdp"] == {"first": min(int(r["year"]) for r in raw.ucdp), "last": last_year}
    assert [y for y in raw.ucdp_years(403) if y > 1998] == []
    oct98 = sorted(int(r["AgtId"]) for r in raw.pax if r["Dat"] == "1998-10-26" and r["UcdpCon"] == "403")
    listed = sorted(a["pax_id"] for a in detail["agreements"] if a["date"] == date(1998, 10, 26))
    assert listed == oct98 and len(oct98) == 9
    for item in detail["agreements"]:
        assert {"date", "pax_id", "stage", "provisions"} <= set(item)
    brasilia = next(a for a in detail["agreements"] if a["pax_id"] == 212)
    raw212 = next(r for r in raw.pax if r["AgtId"] == "212")
    assert brasilia["stage"] == raw212["Stage"] == "SubComp"
    assert ("border" in brasilia["provisions"]) == (raw212["StBor"] != "0" or raw212["Terps"] != "0")
    years = {y["year"]: y for y in detail["incidents"]}
    started_1995 = {int(r["incidnum"]) for r in raw.midip if r["styear"] == "1995"}
    assert years[1995]["mid_incidents"] == len(_raw_mid_incidents(raw, "ECU", "PER") & started_1995)
    assert all(y["mid_incidents"] is None for y in detail["incidents"] if y["year"] > 2014)


def test_mid_disputes_carry_hostility(record: Record, raw: Raw) -> None:
    detail = theatre_detail(record, resolve(record, "IND-PAK"))
    disputes = {d["dispnum"]: d for d in detail["mid_disputes"]}
    assert set(disputes) == _raw_mid_disputes(raw, "IND", "PAK")
    for d in disputes.values():
        levels = [int(r["hostlev"]) for r in raw.midb if int(r["dispnum"]) == d["dispnum"]
                  and int(r["ccode"]) in (750, 770)]  # fmt: skip
        assert d["hostility"] == max(levels)


def test_korea_has_the_knowledge_base(record: Record, real_store: Store) -> None:
    linking = link_store(real_store)
    detail = theatre_detail(record, KOREA, linking)
    kb_rows = list(csv.DictReader(io.StringIO(
        resources.files("detente.kb").joinpath("data/agreements.csv").read_text("utf-8"))))  # fmt: skip
    kb_ids = sorted(a["kb_id"] for a in detail["agreements"] if a["kb_id"])
    assert kb_ids == sorted(r["id"] for r in kb_rows) and len(kb_ids) == 26
    with_pax = {int(r["pax_id"]) for r in kb_rows if r["pax_id"]}
    assert {a["pax_id"] for a in detail["agreements"] if a["source"] == "pax"} == with_pax  # the 10 PA-X texts
    incidents = kb_incidents(linking)
    per_year = {y["year"]: y for y in detail["incidents"]}
    assert sum(y["kb_incidents"] or 0 for y in per_year.values()) == len(incidents)
    # the Cheonan sinking (2010-03-26) and the Yeonpyeong shelling (2010-11-23) are clashes of 2010
    assert per_year[2010]["kb_clashes"] >= 2
    assert detail["ucdp_conflicts"][0]["last_year"] == 1953


def test_resolve_rejects_bad_dyads(record: Record) -> None:
    with pytest.raises(ValueError, match="ISO3"):
        resolve(record, "XXX-YYY")
    with pytest.raises(ValueError, match="A>B"):
        resolve(record, "ECUPER")
    with pytest.raises(ValueError, match="no record"):
        resolve(record, "ISL-NZL")
    assert resolve(record, "per>ecu") == ("ECU", "PER")


def test_fewer_theatres_with_a_stricter_mid_rule(record: Record) -> None:
    loose, strict = find_theatres(record, 1), find_theatres(record, 10)
    assert strict.num_rows < find_theatres(record).num_rows < loose.num_rows
    assert set(NAMED) <= set(strict.column("dyad").to_pylist())  # UCDP and PA-X keep them
