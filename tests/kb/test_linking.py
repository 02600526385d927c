"""Linking the same event across CNS, CSIS, the curated timeline and COW MID; the yearly missile check."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from detente.kb import LinkRule, link_events, unmatched_launches, write_links, yearly_comparison
from detente.kb.linking import LINK_COLUMNS
from detente.kb.missiles import RULES, TOLERANCE, reference_counts


# -- the rule on hand-made events ------------------------------------------------------------------
def events(*rows: tuple[str, str, str, str, str | None, str]) -> pa.Table:
    """(event_id, source, ISO date, precision, category, actor1) -> canonical event columns."""
    out = []
    for line, (event_id, source, day, precision, category, actor) in enumerate(rows, start=2):
        out.append(
            {
                "event_id": event_id,
                "source": source,
                "date": date.fromisoformat(day),
                "date_precision": precision,
                "actor1_country": actor,
                "actor2_country": None,
                "category": category,
                "original_type": "x",
                "description": event_id,
                "source_line": line,
            }
        )
    schema = pa.schema(
        [
            ("event_id", pa.string()),
            ("source", pa.string()),
            ("date", pa.date32()),
            ("date_precision", pa.string()),
            ("actor1_country", pa.string()),
            ("actor2_country", pa.string()),
            ("category", pa.string()),
            ("original_type", pa.string()),
            ("description", pa.string()),
            ("source_line", pa.int64()),
        ]
    )
    assert schema.names == list(LINK_COLUMNS)
    return pa.Table.from_pylist(out, schema=schema)


def incidents_of(table: pa.Table, rule: LinkRule | None = None) -> dict[str, set[str]]:
    links = link_events(table, rule or LinkRule()).links.to_pylist()
    out: dict[str, set[str]] = {}
    for r in links:
        out.setdefault(r["incident_id"], set()).add(r["event_id"])
    return out


def test_one_day_tolerance_family_and_initiator() -> None:
    got = incidents_of(
        events(
            ("cns:1", "cns", "2020-03-01", "day", "missile_test", "PRK"),
            ("cns:2", "cns", "2020-03-01", "day", "missile_test", "PRK"),  # same listed day: one salvo
            ("csis:a", "csis", "2020-03-02", "day", "missile_test", "PRK"),  # KST day after the UTC date
            ("csis:b", "csis", "2020-03-04", "day", "missile_test", "PRK"),  # 3 days off: own incident
            ("kb:c", "kb", "2020-03-01", "day", "artillery", "PRK"),  # other family
            ("kb:d", "kb", "2020-03-01", "day", "missile_test", "USA"),  # other initiator
            ("kb:e", "kb", "2020-03-01", "day", None, "PRK"),  # no category: never linked
        )
    )
    assert sorted(map(sorted, got.values())) == [
        ["cns:1", "cns:2", "csis:a"],
        ["csis:b"],
        ["kb:c"],
        ["kb:d"],
        ["kb:e"],
    ]
    assert set(got) >= {"inc:cns:1", "inc:csis:b"}
    assert incidents_of(
        events(
            ("cns:1", "cns", "2020-03-01", "day", "missile_test", "PRK"),
            ("csis:a", "csis", "2020-03-03", "day", "missile_test", "PRK"),
        ),
        LinkRule(tolerance_days=2),
    ) == {"inc:cns:1": {"cns:1", "csis:a"}}


def test_same_source_and_year_precision_never_link_and_months_match_months() -> None:
    got = incidents_of(
        events(
            ("csis:a", "csis", "2010-05-03", "day", "naval_clash", "PRK"),
            ("csis:b", "csis", "2010-05-03", "day", "naval_clash", "PRK"),  # same source: separate
            ("kb:y", "kb", "2010-01-01", "year", "naval_clash", "PRK"),  # year precision: never
            ("kb:m", "kb", "2010-05-01", "month", "artillery", "PRK"),  # same month, same family
        )
    )
    assert sorted(map(sorted, got.values())) == [["csis:a", "kb:m"], ["csis:b"], ["kb:y"]]


def test_ties_go_to_the_nearest_then_earlier_source_then_earlier_date_and_are_listed() -> None:
    linking = link_events(
        events(
            ("cns:1", "cns", "2022-11-01", "day", "missile_test", "PRK"),
            ("cns:2", "cns", "2022-11-03", "day", "missile_test", "PRK"),
            ("csis:a", "csis", "2022-11-02", "day", "missile_test", "PRK"),  # 1 day from both
            ("csis:b", "csis", "2022-12-05", "day", "missile_test", "PRK"),
            ("kb:m", "kb", "2022-12-01", "month", "missile_test", "PRK"),  # month: cns none, csis:b
            ("kb:n", "kb", "2022-11-01", "month", "missile_test", "PRK"),  # month: both CNS days, earlier wins
        )
    )
    chosen = {r["event_id"]: r["incident_id"] for r in linking.links.to_pylist()}
    assert (chosen["csis:a"], chosen["kb:m"], chosen["kb:n"]) == ("inc:cns:1", "inc:csis:b", "inc:cns:1")
    amb = linking.ambiguous.to_pylist()
    assert [(r["event_ids"], r["chosen_incident"], r["alternatives"]) for r in amb] == [
        ("csis:a", "inc:cns:1", "inc:cns:2 (2022-11-03, 1 d)"),
        ("kb:n", "inc:cns:1", "inc:cns:2 (2022-11-03, 0 d)"),
    ]


def test_empty_input_gives_empty_tables() -> None:
    linking = link_events(events())
    assert (linking.links.num_rows, linking.incidents.num_rows, linking.ambiguous.num_rows) == (0, 0, 0)


# -- the real files ----------------------------------------------------------------------------------
def test_real_files_ingest_exactly_and_reingest_is_unchanged(linked, real_paths) -> None:
    counts = {k: (r.status, r.rows_read, r.rows_stored, r.rows_quarantined) for k, r in linked.reports.items()}
    assert counts == {
        "kb": ("ingested", 300, 300, 0), "cns": ("ingested", 245, 245, 0),
        "csis": ("ingested", 493, 493, 0), "cow_mid": ("ingested", 9619, 9619, 0),
    }  # fmt: skip
    before = linked.store.events().count().execute()
    again = linked.store.ingest(real_paths["cns"])
    assert (again.status, linked.store.events().count().execute()) == ("unchanged", before)


def test_every_event_is_in_exactly_one_incident(linked) -> None:
    links, inc = linked.linking.links.to_pandas(), linked.linking.incidents.to_pandas()
    assert links["event_id"].is_unique and len(links) == linked.linking.events.num_rows == 1798
    assert inc["n_events"].sum() == len(links)  # nothing merged away
    by_source = links["source"].value_counts().to_dict()
    assert by_source == {"cow_mid": 600, "csis": 493, "kb": 460, "cns": 245}
    # links never chain: every linked day-precise unit is within one day of its anchor
    assert set(links["day_gap"].dropna().astype(int)) == {-1, 0, 1}
    summary = dict(zip(*linked.linking.summary().to_pydict().values(), strict=True))
    assert summary == {
        "events": 1798, "incidents": 992, "multi_source_incidents": 178, "ambiguous_units": 31,
        "linked:cns+csis": 101, "linked:cns+csis+kb": 21, "linked:cns+kb": 3, "linked:cow_mid+csis": 14,
        "linked:cow_mid+csis+kb": 5, "linked:cow_mid+kb": 1, "linked:csis+kb": 33,
    }  # fmt: skip
    # the DMZ shooting, corrected to 2010-10-29 (issue 21), now meets its COW MID incident
    dmz = inc[(inc["date"].astype(str) == "2010-10-29") & (inc["sources"] == "cow_mid+kb")]
    assert len(dmz) == 1


def test_known_events_are_linked_across_sources(linked) -> None:
    inc = linked.linking.incidents.to_pandas()
    tests = inc[inc["category"] == "nuclear_test"]
    assert [str(d) for d in tests["date"]] == [
        "2006-10-09",
        "2009-05-25",
        "2013-02-12",
        "2016-01-06",
        "2016-09-09",
        "2017-09-03",
    ]
    assert set(tests["sources"]) == {"csis+kb"}
    cheonan = inc[inc["date"] == date(2010, 3, 26)].iloc[0]
    # MIDIP 4483019 (PRK attack, 2010-03-26) joins CSIS and the timeline's Cheonan rows
    assert cheonan["sources"] == "cow_mid+csis+kb"
    assert "cow_mid:4483019:731:732" in cheonan["event_ids"].split(";")
    salvo = inc[inc["incident_id"] == "inc:cns:214"].iloc[0]  # 2022-11-02: ~23 missiles in one day
    assert salvo["event_ids"].split(";")[:3] == ["cns:214", "cns:215", "cns:216"]
    assert salvo["sources"] == "cns+csis+kb"
    # the timeline's month-only 1984 row joins CNS's 9 April entries, and is listed as ambiguous
    first = inc[inc["incident_id"] == "inc:cns:1"].iloc[0]
    assert first["event_ids"] == "cns:1;cns:2;cns:3;kb:1984-04-876b6bde5a"
    amb = linked.linking.ambiguous.to_pandas()
    assert "kb:1984-04-876b6bde5a" in set(amb["event_ids"])


def test_write_links_puts_the_tables_in_the_store(linked) -> None:
    write_links(linked.store, linked.linking)
    assert linked.store.table("incident_links").count().execute() == 1798
    assert linked.store.table("incidents").count().execute() == 992


# -- launches per year against the CNS database -------------------------------------------------------
def test_reference_counts_come_from_the_cns_rows() -> None:
    ref = reference_counts().set_index("year")
    # raw: 2016,CNS ...,15,24,...,"by type: IRBM 8, MRBM 8, SLBM 3, SLV 1, SRBM 4; 16 distinct UTC dates",...
    assert tuple(ref.loc[2016]) == (15, 24, 16)
    assert tuple(ref.loc[2018]) == (0, 0, 0)
    assert list(ref.index) == list(range(1984, 2027))


def test_yearly_launch_counts_are_within_tolerance_and_fully_explained(linked) -> None:
    y = yearly_comparison(linked.linking).set_index("year")
    assert list(y.index) == list(range(1984, 2024))
    assert (y["unexplained"] == 0).all()
    assert y["within_tolerance"].all() and y["comparable_diff"].abs().max() == TOLERANCE
    # the CNS CSV's UTC days equal the reference's UTC counts in every fully covered year
    full = y.loc[1984:2022]
    assert (full["cns_days"] == full["reference_utc"]).all() and (full["snapshot_end"] == 0).all()
    assert y.loc[[2016, 2019, 2022, 2023], "utc_date"].tolist() == [1, -1, 1, -1]
    # 2023: the CSV stops at 2023-04-12 (8 launch days); 11 later launches come from CSIS and the timeline
    assert tuple(y.loc[2023, ["reference", "cns_days", "snapshot_end", "post_snapshot"]]) == (20, 8, -11, 11)
    # 1984-2023 in total: 203 merged vs 142 CNS launch days; the 61 more are 37 launches of types CNS
    # does not cover and 24 covered-type launches CNS does not list (the UTC shifts and the 2023
    # snapshot gap cancel out: +1 -1 +1 -1 and -11 +11)
    assert (y["merged"].sum(), y["reference"].sum()) == (203, 142)
    assert y[list(RULES)].sum().to_dict() == {
        "utc_date": 0,
        "snapshot_end": -11,
        "post_snapshot": 11,
        "outside_cns_scope": 37,
        "not_in_cns": 24,
    }


def test_every_unmatched_launch_has_a_listed_rule(linked) -> None:
    u = unmatched_launches(linked.linking)
    assert len(u) == 72 and set(u["rule"]) <= set(RULES)
    assert u["rule"].value_counts().to_dict() == {"outside_cns_scope": 37, "not_in_cns": 24, "post_snapshot": 11}
    # CSIS's 1984-04-01 Scud test: CNS lists placeholder dates for the 1984 tests (9 April)
    first = u.iloc[0]
    assert (str(first["date"]), first["rule"]) == ("1984-04-01", "not_in_cns")
    assert all(
        "Cruise" in t or "cruise" in t or "Engine" in t or "Surface-to-Air" in t or "aircraft" in t or "MLRS" in t
        for t in u[u["rule"] == "outside_cns_scope"]["types"]
    )


def test_missile_check_needs_cns_events() -> None:
    linking = link_events(events(("csis:a", "csis", "2020-03-02", "day", "missile_test", "PRK")))
    with pytest.raises(ValueError, match="ingest the CNS"):
        yearly_comparison(linking)


# -- the one-call view on the real files ----------------------------------------------------------------
def test_linked_incidents_count_each_2017_launch_once(linked, real_paths) -> None:
    """CNS lists 21 missiles on 15 days of 2017, CSIS 16 launch days; linked, they are 18 launches (one each day)."""
    import pandas as pd

    from detente.kb import linked_incidents

    cns = pd.read_csv(real_paths["cns"], encoding="cp1252", usecols=["Date"])
    cns_days = pd.to_datetime(cns["Date"], format="mixed").dt.date
    cns_days = set(cns_days[[d.year == 2017 for d in cns_days]])
    csis = pd.read_csv(real_paths["csis"], usecols=["date", "type"])
    csis = csis[csis["type"].str.startswith("Missile") & csis["date"].str.startswith("2017")]
    assert (len(cns_days), csis["date"].nunique()) == (15, 16)
    end = pd.Timestamp("2017-12-31")  # a date or a timestamp
    inc = linked_incidents(linked.store, actor="PRK", category="launch", start=date(2017, 1, 1), end=end)
    assert len(inc) == 18 and inc["date"].is_monotonic_increasing and inc["date"].dt.year.eq(2017).all()
    ids = [e for joined in inc["event_ids"] for e in joined.split(";")]
    assert len(ids) == len(set(ids)) == 44  # every row once: CNS 21, CSIS 16, timeline 7
    days = set(inc["date"].dt.date)
    reported = cns_days | set(pd.to_datetime(csis["date"]).dt.date)
    assert all(any(abs((d - x).days) <= 1 for x in days) for d in reported)  # CNS dates are UTC, CSIS Korean
    rows = linked.store.events().to_pandas()
    missiles = set(rows.loc[(rows["category"] == "missile_test") & (rows["actor1_country"] == "PRK"), "event_id"])
    launches = linked_incidents(linked.store, actor="PRK", category="launch")
    linked_ids = {e for joined in launches["event_ids"] for e in joined.split(";")}
    assert len(missiles) == 518 and missiles <= linked_ids  # CSIS 252, CNS 239, timeline 27 rows
    assert launches["category"].value_counts().to_dict() == {"missile_test": 252, "satellite_launch": 10}
