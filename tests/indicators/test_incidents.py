"""Classification and deduplication of the curated events, checked against facts and the sources' own types."""

from __future__ import annotations

from datetime import date

from detente import Store
from detente.indicators.incidents import SEVERITY, curated, find_incidents


def test_missile_class_agrees_with_the_cns_type_column(real_store: Store) -> None:
    rows = curated(real_store, initiators=["PRK"], sources=["cns"]).to_pandas()
    launches = rows[rows["category"] == "missile_test"]
    typed = launches[launches["original_type"].isin(["ICBM", "IRBM", "MRBM", "SRBM", "SLBM"])]
    assert len(typed) == 230  # 163 SRBM, 30 MRBM, 16 IRBM, 11 ICBM, 10 SLBM in the CNS file
    assert (typed["missile_class"] == typed["original_type"].str.lower()).all()
    assert set(launches.loc[launches["original_type"] == "HGV", "missile_class"]) == {"hypersonic"}
    unknown = launches[launches["original_type"] == "Unknown"]
    # an "Unknown" entry takes its class from the description: CNS describes the first launch of
    # 2022-05-24 (UTC) as "a failed ICBM test, possibly of the Hwasong-17"; the other seven stay "other"
    assert sorted(unknown.loc[unknown["missile_class"] == "icbm", "date"].dt.date) == [date(2022, 5, 24)]
    assert (unknown["missile_class"] == "other").sum() == 7


def test_six_nuclear_tests_one_incident_each(real_store: Store) -> None:
    inc = find_incidents(real_store, "PRK-KOR")
    nuclear = inc[inc["kind"] == "nuclear_test"]
    assert list(nuclear["date"]) == [
        date(2006, 10, 9),
        date(2009, 5, 25),
        date(2013, 2, 12),
        date(2016, 1, 6),
        date(2016, 9, 9),
        date(2017, 9, 3),
    ]
    assert (nuclear["severity"] == SEVERITY["nuclear_test"]).all()
    assert all("csis" in s and "kb" in s for s in nuclear["sources"])  # both sources merged


def test_the_cheonan_sinking_is_one_lethal_incident_from_three_sources(real_store: Store) -> None:
    inc = find_incidents(real_store, "PRK-KOR", start=date(2010, 3, 26), end=date(2010, 3, 26))
    cheonan = inc[(inc["initiator"] == "PRK") & (inc["family"] == "clash")]
    assert len(cheonan) == 1
    row = cheonan.iloc[0]
    assert row["sources"] == ["cow_mid", "csis", "kb"] and row["lethal"] and row["kind"] == "naval_clash"
    assert row["severity"] == SEVERITY["naval_clash"] + 5.0 and row["element"] == "border_incidents"


def test_three_icbm_launch_days_in_2017(real_store: Store) -> None:
    inc = find_incidents(real_store, initiators=["PRK"], start=date(2017, 1, 1), end=date(2017, 12, 31), key="kind")
    icbm = inc[inc["kind"] == "missile:icbm"]
    # Hwasong-14 on 4 and 28 July, Hwasong-15 on 28 November (UTC; 29 November in Korea)
    assert list(icbm["date"]) == [date(2017, 7, 4), date(2017, 7, 28), date(2017, 11, 28)]
    assert icbm.iloc[2]["sources"] == ["cns", "kb"] and icbm.iloc[2]["last_date"] == date(2017, 11, 29)


def test_incidents_of_one_key_never_touch(real_store: Store) -> None:
    """Rows at most one day apart merge, so consecutive incidents of one initiator and kind are 2+ days apart."""
    inc = find_incidents(real_store, initiators=["PRK"], key="kind").sort_values(["initiator", "kind", "date"])
    for _, group in inc.groupby(["initiator", "kind"]):
        gaps = [(b - a).days for a, b in zip(group["last_date"].iloc[:-1], group["date"].iloc[1:], strict=True)]
        assert all(g > 1 for g in gaps)
    assert (inc["events"] >= 1).all() and (inc["date"] <= inc["last_date"]).all()


def test_untargeted_events_belong_to_every_dyad_of_their_initiator(real_store: Store) -> None:
    for dyad in ("PRK-KOR", "PRK-USA", "PRK>JPN"):
        assert len(find_incidents(real_store, dyad, start=date(2017, 9, 3), end=date(2017, 9, 3))) >= 1
    # ... but not of a dyad without the initiator
    assert find_incidents(real_store, "KOR-USA", start=date(2017, 9, 3), end=date(2017, 9, 3)).empty
