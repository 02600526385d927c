"""Agreement outcomes against the raw PA-X, UCDP and COW MID files, recomputed independently here."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from detente.theatres import Record, agreement_outcomes, excluded_agreements, signings

from .conftest import Raw


def _ucdp_ids(raw: Raw) -> dict[int, int]:
    """UCDP conflict id -> incompatibility (highest seen), from the raw ACD file."""
    out: dict[int, int] = {}
    for r in raw.ucdp:
        cid = int(r["conflict_id"])
        out[cid] = max(out.get(cid, 0), int(r["incompatibility"]))
    return out


def _linked(raw: Raw) -> list[dict[str, str]]:
    ids = _ucdp_ids(raw)
    return [r for r in raw.pax if r["UcdpCon"] not in ("", "NA") and int(r["UcdpCon"]) in ids]


def _start(r: dict[str, str]) -> date:
    month = 1 if r["stmon"] == "-9" else int(r["stmon"])
    day = 1 if r["stday"] == "-9" else int(r["stday"])
    return date(int(r["styear"]), month, day)


def _raw_next_force(raw: Raw, a: int, b: int, after: date) -> tuple[date, int]:
    """First incident after ``after`` with a and b on opposite sides and MIDI hostility 4-5."""
    hostility = {int(r["incidnum"]): int(r["hostlev"]) for r in raw.midi}
    sides: dict[int, dict[int, str]] = {}
    starts: dict[int, date] = {}
    for r in raw.midip:
        sides.setdefault(int(r["incidnum"]), {})[int(r["ccode"])] = r["insidea"]
        starts[int(r["incidnum"])] = _start(r)
    hits = sorted(
        (starts[i], i) for i, s in sides.items()
        if a in s and b in s and s[a] != s[b] and hostility.get(i, 0) >= 4 and starts[i] > after
    )  # fmt: skip
    return hits[0]


@pytest.fixture(scope="module")
def interstate(record: Record) -> pd.DataFrame:
    return agreement_outcomes(record, "interstate")


@pytest.fixture(scope="module")
def territorial(record: Record) -> pd.DataFrame:
    return agreement_outcomes(record, "territorial")


def test_samples_match_the_raw_links(interstate: pd.DataFrame, territorial: pd.DataFrame, record: Record,
                                     raw: Raw) -> None:  # fmt: skip
    linked = _linked(raw)
    inter = sorted(int(r["AgtId"]) for r in linked if r["Agtp"] == "Inter")
    assert sorted(interstate["pax_id"]) == inter and len(inter) == 85
    ids = _ucdp_ids(raw)
    terr = sorted(int(r["AgtId"]) for r in linked if ids[int(r["UcdpCon"])] in (1, 3))
    assert sorted(territorial["pax_id"]) == terr and len(terr) == 852
    excluded = excluded_agreements(record, "interstate")
    assert len(excluded) == sum(r["Agtp"] == "Inter" for r in raw.pax) - len(inter) == 9
    assert set(excluded.loc[excluded["reason"].str.contains("not in the ACD"), "pax_id"]) == {2444, 2828, 2879}


def test_ecuador_peru_after_october_1998(interstate: pd.DataFrame, raw: Raw) -> None:
    last = max(int(r["year"]) for r in raw.ucdp)
    after = [y for y in raw.ucdp_years(403) if y > 1998]
    assert after == []  # the fact, straight from the raw file
    oct98 = interstate[(interstate["ucdp_conflict"] == 403) & (interstate["date"] >= date(1998, 10, 1))]
    assert len(oct98) == 10  # the Papal blessing of 23 Oct and the nine texts of 26 Oct
    assert not oct98["ucdp_event"].any()
    assert set(oct98["ucdp_years"]) == {float(last - 1998)}
    assert set(oct98["ucdp_after_5"]) == {0}
    assert not oct98["mid_event"].any()  # and no use of force between them in MID, to its end
    assert oct98["mid_next_date"].isna().all()


def test_india_pakistan_after_lahore(interstate: pd.DataFrame, raw: Raw) -> None:
    lahore = next(r for r in raw.pax if r["AgtId"] == "577")
    assert (lahore["Dat"], lahore["UcdpCon"]) == ("1999-02-21", "218")
    active = set(raw.ucdp_years(218))
    row = interstate[interstate["pax_id"] == 577].iloc[0]
    assert row["ucdp_next_year"] == min(y for y in active if y > 1999) == 2000
    assert row["ucdp_after_1"] == int(2000 in active) == 1
    assert row["ucdp_after_5"] == len(active & set(range(2000, 2005))) == 4
    assert row["ucdp_before_5"] == len(active & set(range(1994, 1999))) == 4
    assert bool(row["ucdp_event"]) and row["ucdp_years"] == 1.0
    # active years after Lahore through the end of coverage
    assert sorted(y for y in active if y > 1999) == [2000, 2001, 2002, 2003, *range(2013, 2021)]
    when, incident = _raw_next_force(raw, 750, 770, date(1999, 2, 21))
    assert (row["mid_next_date"], row["mid_next_incident"]) == (when, incident)
    assert row["mid_years"] == pytest.approx((when - date(1999, 2, 21)).days / 365.25)


def test_windows_outside_coverage_are_null(interstate: pd.DataFrame) -> None:
    panmunjom = interstate[interstate["pax_id"] == 2104].iloc[0]
    assert (panmunjom["ucdp_after_1"], panmunjom["ucdp_after_3"]) == (0, 0)  # 2019-2021 covered
    assert pd.isna(panmunjom["ucdp_after_5"])  # 2019-2023 is not
    assert panmunjom["ucdp_years"] == 3.0 and not panmunjom["ucdp_event"]  # censored in 2021
    assert pd.isna(panmunjom["mid_after_1"]) and pd.isna(panmunjom["mid_years"])  # MID ends 2014
    late = interstate[interstate["year"] >= 2021]
    assert late["ucdp_years"].isna().all() and len(late) == 16
    early = interstate[interstate["pax_id"] == 1232].iloc[0]  # 1991: before MID's incidents start
    assert pd.isna(early["mid_years"]) and pd.isna(early["mid_before_1"])


def test_signings_merge_same_day_agreements(interstate: pd.DataFrame) -> None:
    units = signings(interstate)
    assert len(units) == 73 and units["n_agreements"].sum() == len(interstate)
    brasilia = units[units["signing"] == "403:1998-10-26"].iloc[0]
    assert brasilia["n_agreements"] == 9
    assert brasilia["stages"] == "Imp;SubComp;SubPar"
    same_day = interstate[interstate["signing"] == "403:1998-10-26"]
    for group in ("ceasefire", "border", "third_party", "guarantees"):
        assert bool(brasilia[group]) == bool(same_day[group].any())
    assert bool(brasilia["stage_SubComp"]) and not bool(brasilia["stage_Cea"])


def test_unknown_sample(record: Record) -> None:
    with pytest.raises(ValueError, match="unknown sample"):
        agreement_outcomes(record, "everything")  # type: ignore[arg-type]
