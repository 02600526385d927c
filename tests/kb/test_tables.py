"""The shipped knowledge-base tables: layout, provenance, fidelity to the fact base, and checkable facts."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.kb import tables
from detente.kb.tables import TABLES, KbDataError, parse_date, parse_table

ROWS = {
    "agreements": 26, "provisions": 42, "transitions": 123, "summits": 54, "leaders": 17, "sanctions": 14,
    "hotlines": 17, "exercises": 32, "cbm": 21, "missile_tests_by_year": 45,
}  # fmt: skip


def facts(data_dir: Path, name: str) -> list[dict[str, str]]:
    with open(data_dir / "korea-facts" / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def by(table: pa.Table, key: str) -> dict[object, dict[str, object]]:
    return {r[key]: r for r in table.to_pylist()}


def timeline() -> list[dict[str, str]]:
    return list(csv.DictReader(tables.timeline_path().read_text("utf-8").splitlines()))


def test_every_table_loads_with_exact_rows_and_provenance() -> None:
    assert set(TABLES) == set(ROWS)
    for name, n in ROWS.items():
        t = tables.load(name)
        assert t.num_rows == n, name
        assert all(s.strip() for s in t.column("source").to_pylist()), name
        assert set(t.column("confidence").to_pylist()) <= {"verified", "recalled"}, name


def test_a_row_with_a_recalled_claim_is_recalled() -> None:
    # a row's confidence is that of its weakest claim (issue 21): the rows carrying a [recalled] fragment
    for name in ROWS:
        for r in tables.load(name).to_pylist():
            claims = any("[recalled" in str(v) for v in r.values())
            assert r["confidence"] == ("recalled" if claims else "verified"), (name, r)
    recalled = {r["id"] for r in tables.agreements().to_pylist() if r["confidence"] == "recalled"}
    assert recalled == {"ARM-1953", "MDT-1953", "JC-1972", "BA-1991", "JD-1992", "KEDO-1995", "USDPRK-JC-2000",
                        "JPDPRK-2002", "6PT-HOD-2008"}  # fmt: skip


def test_agreements_keep_the_fact_base_and_add_pax_ids(data_dir: Path) -> None:
    shipped = by(tables.agreements(), "id")
    original = facts(data_dir, "agreements.csv")
    assert [r["id"] for r in original] == list(shipped)
    corrected = {"MDT-1953", "JUN2004-MIL"}  # checked below
    for r in original:
        if r["id"] in corrected:
            continue
        s = shipped[r["id"]]
        assert (s["name"], str(s["date_signed"])[: len(r["date_signed"])], s["later_fate"]) == (
            r["name"],
            r["date_signed"],
            r["later_fate"],
        )
    mdt = shipped["MDT-1953"]
    # in force 17 Nov 1954 on the exchange of ratifications in Washington (18 Nov in Korea, the fact base's date)
    assert (mdt["date_signed"], mdt["date_in_force"], mdt["place"], mdt["confidence"]) == (
        date(1953, 10, 1),
        date(1954, 11, 17),
        "Washington",
        "recalled",
    )
    assert "[recalled]" in mdt["summary_of_key_provisions"] and "1976STATE176518" in mdt["source"]
    jun = shipped["JUN2004-MIL"]
    signed = (jun["date_signed"], jun["date_precision"], jun["date_in_force"])
    assert signed == (date(2004, 6, 4), "day", date(2004, 6, 15))
    assert "Mt Seorak" in jun["place"] and "unikorea.go.kr" in jun["source"]


def test_signing_dates_of_the_agreements_in_the_issue() -> None:
    a = by(tables.agreements(), "id")
    expected = {
        "ARM-1953": "1953-07-27", "JC-1972": "1972-07-04", "BA-1991": "1991-12-13", "JD-1992": "1992-01-20",
        "AF-1994": "1994-10-21", "J15-2000": "2000-06-15", "OCT4-2007": "2007-10-04", "6PT-JS-2005": "2005-09-19",
        "6PT-FEB13-2007": "2007-02-13", "6PT-OCT3-2007": "2007-10-03", "LEAP-2012": "2012-02-29",
        "PD-2018": "2018-04-27", "SG-2018": "2018-06-12", "PYD-2018": "2018-09-19", "CMA-2018": "2018-09-19",
    }  # fmt: skip
    assert {k: str(a[k]["date_signed"]) for k in expected} == expected
    assert all(a[k]["date_precision"] == "day" for k in expected)
    # every agreement is now dated to the day (JUN2004-MIL: 4 June 2004, Ministry of Unification)
    assert [k for k, r in a.items() if r["date_precision"] != "day"] == []
    assert a["CMA-2018"]["date_in_force"] == date(2018, 11, 1)


def test_pax_ids_match_the_real_pax_file(data_dir: Path) -> None:
    path = data_dir / "pax_peace_agreements" / "pax_all_agreements_v10.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        pax = {int(r["AgtId"]): r for r in csv.DictReader(fh)}
    korea = {i for i, r in pax.items() if "Korea" in r["Con"]}
    shipped = {r["pax_id"]: r for r in tables.agreements().to_pylist() if r["pax_id"] is not None}
    assert set(shipped) == korea == {1232, 1231, 1960, 223, 541, 2074, 1073, 2104, 2106, 2105}
    differ = {
        i: (pax[i]["Dat"], str(r["date_signed"])) for i, r in shipped.items() if pax[i]["Dat"] != str(r["date_signed"])
    }
    # PA-X dates the Six-Party Joint Statement ten days late; the row says so
    assert differ == {2074: ("2005-09-29", "2005-09-19")}
    assert "PA-X v10 (AgtId 2074) dates this statement 2005-09-29" in shipped[2074]["notes"]
    # the Comprehensive Military Agreement has no PA-X record of its own
    assert not any("Military Domain" in r["Agt"] for r in pax.values())
    assert by(tables.agreements(), "id")["CMA-2018"]["pax_id"] is None


def test_provisions_normalise_the_fact_base(data_dir: Path) -> None:
    shipped = tables.provisions().to_pylist()
    original = facts(data_dir, "provisions.csv")
    assert [r["provision_id"] for r in shipped] == [r["provision_id"] for r in original]
    for s, r in zip(shipped, original, strict=True):
        assert s["status_2025"] == r["status_2025"].replace(" ", "_")
        assert s["category"] == r["category"].replace("military CBM", "military_cbm")
    counts = {a: sum(r["agreement_id"] == a for r in shipped) for a in ("PD-2018", "PYD-2018", "CMA-2018")}
    assert counts == {"PD-2018": 14, "PYD-2018": 16, "CMA-2018": 12}


def test_summits_and_the_missile_counts_carry_over(data_dir: Path) -> None:
    shipped = tables.summits().to_pylist()
    original = facts(data_dir, "summits.csv")
    assert [r["id"] for r in shipped[: len(original)]] == [r["id"] for r in original]
    # raw: US-1994-CARTER,envoy visit,1994-06,1994-06,month,Pyongyang,...
    carter = next(r for r in shipped if r["id"] == "US-1994-CARTER")
    assert (carter["date_start"], carter["date_precision"], carter["date_end_precision"]) == (
        date(1994, 6, 1),
        "month",
        "month",
    )
    assert {r["kind"] for r in shipped[len(original) :]} == {
        "inter-Korean high-level talks",
        "envoy visit",
        "inter-Korean military talks",
    }
    kinds = {r["kind"] for r in shipped}
    assert {"six-party talks", "inter-Korean summit", "US–DPRK summit"} <= kinds
    assert sum(r["kind"] == "six-party talks" for r in shipped) == 9
    # the yearly counts are the fact base's; only the source now names the CNS publisher (NTI) first
    counts = [
        (r["year"], r["number_of_launch_events"], r["number_of_missiles"])
        for r in tables.missile_tests_by_year().to_pylist()
    ]
    base = facts(data_dir, "missile_tests_by_year.csv")
    keys = ("year", "number_of_launch_events", "number_of_missiles")
    num = [tuple(int(r[k]) if r[k] else None for k in keys) for r in base]
    assert counts == num


def test_six_nuclear_test_dates_in_the_shipped_timeline() -> None:
    tests = [r["date"] for r in timeline() if r["event_type"] == "nuclear_test"]
    assert tests == ["2006-10-09", "2009-05-25", "2013-02-12", "2016-01-06", "2016-09-09", "2017-09-03"]
    # each UN resolution after a test names it as its trigger
    triggers = {r["id"]: r["trigger"] for r in tables.sanctions().to_pylist()}
    assert triggers["UNSCR-1718"] == "first nuclear test (2006-10-09)"
    assert triggers["UNSCR-2375"] == "sixth nuclear test (2017-09-03)"


def test_liaison_office_opened_september_2018_and_was_demolished_16_june_2020() -> None:
    lo = by(tables.cbm(), "id")["LO-2018"]
    # raw: LO-2018,liaison_office,"Inter-Korean joint liaison office, Kaesong",PD-2018,2018-09-14,day,2020-06-16,day,...
    assert (lo["start"], lo["start_precision"], lo["end"], lo["end_precision"]) == (
        date(2018, 9, 14),
        "day",
        date(2020, 6, 16),
        "day",
    )
    steps = [(r["date"], r["status"]) for r in tables.transitions().to_pylist() if r["provision_id"] == "PD-1.3"]
    assert steps == [
        (date(2018, 4, 27), "not_initiated"),
        (date(2018, 9, 14), "full"),
        (date(2020, 1, 1), "intermediate"),
        (date(2020, 6, 16), "reversed"),
    ]


def test_cma_void_by_the_north_november_2023_and_suspended_by_the_south_june_2024() -> None:
    rows = {(r["date"], r["actor"]): r["description"] for r in timeline()}
    assert "no longer be bound by the 2018 military agreement" in rows[("2023-11-23", "PRK")]
    assert "suspends the entire 2018 military agreement" in rows[("2024-06-04", "KOR")]
    cma = by(tables.agreements(), "id")["CMA-2018"]["later_fate"]
    assert "2023-11-23" in cma and "2024-06-04" in cma
    ground = by(tables.cbm(), "id")["BZ-GROUND-2018"]
    assert ground["end"] == date(2023, 11, 23) and "2024-06-04" in ground["source"] + ground["end_event"]
    void = [r for r in tables.transitions().to_pylist() if r["provision_id"] == "PYD-1.1" and r["status"] == "reversed"]
    assert [r["date"] for r in void] == [date(2023, 11, 23)]


def test_rok_presidents_since_1988_with_camps_and_dprk_leaders() -> None:
    rows = tables.leaders().to_pylist()
    presidents = [(r["name"], r["camp"]) for r in rows if r["country"] == "KOR" and r["role"] == "president"]
    assert presidents == [
        ("Roh Tae-woo", "conservative"),
        ("Kim Young-sam", "conservative"),
        ("Kim Dae-jung", "progressive"),
        ("Roh Moo-hyun", "progressive"),
        ("Lee Myung-bak", "conservative"),
        ("Park Geun-hye", "conservative"),
        ("Moon Jae-in", "progressive"),
        ("Yoon Suk Yeol", "conservative"),
        ("Lee Jae-myung", "progressive"),
    ]
    rok = [r for r in rows if r["country"] == "KOR"]
    # every handover is covered: the next holder starts the day the previous one ends
    ends = {r["term_end"] for r in rok if r["term_end"]}
    starts = {r["term_start"] for r in rok}
    assert ends - starts == {date(2017, 3, 10), date(2025, 4, 4)}  # removals, covered by acting presidents
    acting = [(r["name"], str(r["term_start"]), str(r["term_end"])) for r in rok if r["role"] == "acting president"]
    assert acting == [
        ("Hwang Kyo-ahn", "2016-12-09", "2017-05-10"),
        ("Han Duck-soo", "2024-12-14", "2024-12-27"),
        ("Choi Sang-mok", "2024-12-27", "2025-03-24"),
        ("Han Duck-soo", "2025-03-24", "2025-05-02"),
        ("Lee Ju-ho", "2025-05-02", "2025-06-04"),
    ]
    assert [r["name"] for r in rows if r["country"] == "PRK"] == ["Kim Il Sung", "Kim Jong Il", "Kim Jong Un"]
    assert by(tables.leaders(), "name")["Kim Jong Il"]["term_end"] == date(2011, 12, 17)


def test_sanctions_resolutions_with_dates() -> None:
    # ten sanctions resolutions (the 1718 Committee's list); 1695 (2006) is an "other resolution"
    res = {r["id"]: str(r["date"]) for r in tables.sanctions().to_pylist() if r["kind"] == "resolution"}
    assert [r["id"] for r in tables.sanctions().to_pylist() if r["kind"] == "other resolution"] == ["UNSCR-1695"]
    assert res == {
        "UNSCR-1718": "2006-10-14", "UNSCR-1874": "2009-06-12",
        "UNSCR-2087": "2013-01-22", "UNSCR-2094": "2013-03-07", "UNSCR-2270": "2016-03-02",
        "UNSCR-2321": "2016-11-30", "UNSCR-2356": "2017-06-02", "UNSCR-2371": "2017-08-05",
        "UNSCR-2375": "2017-09-11", "UNSCR-2397": "2017-12-22",
    }  # fmt: skip
    assert "press.un.org/en/2017/sc12853" in by(tables.sanctions(), "id")["UNSCR-2356"]["source"]


def test_hotline_timeline_alternates_cuts_and_restorations() -> None:
    rows = tables.hotlines().to_pylist()
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    since_2020 = [(str(r["date"]), r["event"]) for r in rows if r["date"] >= date(2020, 1, 1)]
    assert since_2020 == [
        ("2020-06-09", "cut"),
        ("2021-07-27", "restored"),
        ("2021-08-10", "unanswered"),
        ("2021-10-04", "restored"),
        ("2022-10-04", "unanswered"),
        ("2023-04-07", "unanswered"),
    ]


def test_exercises_by_year_with_the_2018_suspensions() -> None:
    rows = tables.exercises().to_pylist()
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    assert all(r["year"] == r["start"].year for r in rows)
    statuses = {(r["year"], r["name"]): r["status"] for r in rows}
    assert statuses[(2018, "Ulchi Freedom Guardian")] == "suspended"
    assert statuses[(2020, "spring combined command post training")] == "postponed"
    assert statuses[(2022, "Ulchi Freedom Shield")] == "held"
    assert {r["year"] for r in rows if r["status"] == "scaled_down"} == {2018, 2019, 2020, 2021, 2022, 2025}
    ufs23 = next(r for r in rows if r["year"] == 2023 and r["name"] == "Ulchi Freedom Shield")
    assert ufs23["confidence"] == "verified" and "stripes.com" in ufs23["source"]


def test_cbm_spans_are_ordered() -> None:
    for r in tables.cbm().to_pylist():
        assert r["end"] is None or r["start"] <= r["end"], r["id"]
        assert (r["end"] is None) == (r["end_precision"] is None), r["id"]
    kinds = {r["kind"] for r in tables.cbm().to_pylist()}
    assert {
        "hotline",
        "buffer_zone",
        "no_fly_zone",
        "guard_post_withdrawal",
        "jsa_disarmament",
        "liaison_office",
        "exercise_suspension",
    } <= kinds


# -- the loader on bad input ----------------------------------------------------------------------
SPEC = TABLES["hotlines"]
TEXT = tables.data_path("hotlines").read_text("utf-8")
LINES = TEXT.splitlines()


def test_parse_date_precisions() -> None:
    assert parse_date("2018-09-19") == (date(2018, 9, 19), "day")
    assert parse_date("2020-01") == (date(2020, 1, 1), "month")
    assert parse_date("1976", "year") == (date(1976, 1, 1), "year")
    for bad, precision in (("2018-9", None), ("18-09-19", None), ("2020-13-01", None), ("2020-01", "day"), ("", None)):
        with pytest.raises(ValueError):
            parse_date(bad, precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "header is None"),
        ("a,b,c\n", "header is ['a', 'b', 'c']"),
        (LINES[0] + "\n2020-06-09,day,line,cut,x,,verified\n", "line 2: empty source"),
        (LINES[0] + "\n2020-06-09,day,line,cut,x,src,maybe\n", "line 2: confidence 'maybe'"),
        (
            LINES[0] + "\n2020-06-09,month,line,cut,x,src,verified\n",
            "line 2: date '2020-06-09' does not have precision 'month'",
        ),
        (LINES[0] + "\n2020-06-09,day,line,exploded,x,src,verified\n", "line 2: event 'exploded'"),
        (LINES[0] + "\n2020-06-09,day,line\n", "line 2: expected 7 fields, found 3"),
    ],
)
def test_bad_tables_fail_with_file_and_line(text: str, message: str) -> None:
    with pytest.raises(KbDataError, match="hotlines.csv") as err:
        parse_table(SPEC, text)
    assert message in str(err.value)


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(st.integers(1, len(LINES) - 1), min_size=1, max_size=6),
    cut=st.lists(st.integers(0, 300), min_size=6, max_size=6),
    junk=st.lists(st.text(max_size=20), min_size=6, max_size=6),
)
def test_mutated_tables_parse_or_fail_cleanly(picks: list[int], cut: list[int], junk: list[str]) -> None:
    body = [LINES[n][: cut[i]] + junk[i].replace("\n", " ").replace("\r", " ") for i, n in enumerate(picks)]
    text = LINES[0] + "\n" + "\n".join(body) + "\n"
    try:
        table = parse_table(SPEC, text)
    except KbDataError as exc:
        assert str(exc).startswith("hotlines.csv")
        return
    # a line that survives mutation is still a valid, sourced row
    assert table.num_rows >= 1 and all(table.column("source").to_pylist())
    assert set(table.column("confidence").to_pylist()) <= {"verified", "recalled"}
