"""CSIS provocations reader: the real scraped CSV, derived ids, URL quirks, bad records, fuzzed lines."""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.schema import CATEGORIES
from detente.sources.base import SourceError
from detente.sources.csis import CsisReader, csis_event_id, csis_url
from detente.sources.detect import detect

CSIS = "nk_provocations_csis/north_korea_provocations_1958_present.csv"
NUCLEAR_TESTS = [
    date(2006, 10, 9),
    date(2009, 5, 25),
    date(2013, 2, 12),
    date(2016, 1, 6),
    date(2016, 9, 9),
    date(2017, 9, 3),
]


@pytest.fixture(scope="module")
def lines(data_dir: Path) -> list[bytes]:
    """The real file's lines as bytes (header first); no record spans two lines."""
    return (data_dir / CSIS).read_bytes().split(b"\n")[:-1]


def _write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _quarantine(store: Store) -> dict[int, str]:
    q = store.quarantine().execute()
    return dict(zip(q.source_line, q.reason, strict=True))


def test_real_file_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / CSIS)
    assert (report.status, report.format, report.source) == ("ingested", "csis", "csis")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (493, 493, 0)
    ev = store.events()
    kind = ev.original_type.split(":")[0]
    types = dict(ev.group_by(kind=kind).aggregate(n=ev.count()).execute().values.tolist())
    assert types == {"Missile Provocation": 246, "Other Provocation": 241, "Nuclear Provocation": 6}
    assert ev.event_id.nunique().execute() == 493
    assert set(ev.actor1_country.execute()) == {"PRK"}
    assert set(ev.date_precision.execute()) == {"day"}
    assert ev.date.min().execute().date() == date(1958, 2, 16)
    assert ev.date.max().execute().date() == date(2026, 8, 20)
    cats = dict(ev.group_by("category").aggregate(n=ev.count()).execute().values.tolist())
    assert cats["missile_test"] == 252 and cats["balloon_campaign"] == 32 and cats["nuclear_test"] == 6
    assert set(cats) <= set(CATEGORIES)


def test_all_six_nuclear_tests(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / CSIS)
    ev = store.events()
    nuclear = ev.filter(ev.category == "nuclear_test").order_by("date").execute()
    assert [d.date() for d in nuclear.date] == NUCLEAR_TESTS
    assert all(t.startswith("Nuclear Provocation: Nuclear Test") for t in nuclear.original_type)
    # line 224: 2017-09-03,Nuclear Provocation,Nuclear Test,North Korea claims to have conducted a 6th nuclear
    #   test after an earthquake measuring 6.3 mb ...,http://www.cnn.com/2017/09/03/asia/north-korea-nuclear-test-live-updates/index.html
    last = nuclear.iloc[-1]
    assert (last.event_id, last.source_line) == ("csis:2017-09-03:nuclear-test:d833ddbf", 224)
    assert last.url == "http://www.cnn.com/2017/09/03/asia/north-korea-nuclear-test-live-updates/index.html"
    assert (last.event_code, last.quad_class) == ("150", 4)


def test_spot_checks(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / CSIS)
    df = store.events().execute().set_index("source_line")
    # line 2: 2026-08-20,Missile Provocation,Short-range Ballistic Missile Launch,"North Korea fired around 10
    #   short-range ballistic missiles ...",https://www.reuters.com/world/china/north-korea-fires-suspected-ballistic-missile-japanese-authorities-say-2026-08-20/
    first = df.loc[2]
    assert first.event_id == "csis:2026-08-20:short-range-ballistic-missile-launch:dfd95345"
    assert first.original_type == "Missile Provocation: Short-range Ballistic Missile Launch"
    assert (first.category, first.event_code, first.goldstein) == ("missile_test", "150", pytest.approx(-7.2))
    assert first.description.startswith("North Korea fired around 10 short-range ballistic missiles toward the sea")
    assert first.url.endswith("north-korea-fires-suspected-ballistic-missile-japanese-authorities-say-2026-08-20/")
    # line 494: 1958-02-16,Other Provocation,Hijacking of South Korean Plane,North Korean agents hijacked a South
    #   Korean plane ...,"https://goo.gl/Xn9Wr4The US Military Experience in Korea 1871-1982, page 108."
    last = df.loc[494]
    assert last.event_id == "csis:1958-02-16:hijacking-of-south-korean-plane:72cd20a3"
    assert (last.category, last.event_code, last.url) == ("other_provocation", "181", "https://goo.gl/Xn9Wr4")
    # line 299: ...,http://www.reuters.com/article/us-korea-north-missiles-idUSBREA1Q0U520140227Video:https://www.youtube.com/...
    assert df.loc[299].url == "http://www.reuters.com/article/us-korea-north-missiles-idUSBREA1Q0U520140227"
    # lines 50 and 51: two balloon launches on 2024-10-11 with different texts -> two ids
    assert df.loc[50].event_id != df.loc[51].event_id
    assert df.loc[50].event_id.startswith("csis:2024-10-11:balloon-floating-trash:")
    # 'Nuclear Detonation Device' is filed under two types and coded by type
    ndd = df[df.original_type.str.endswith("Nuclear Detonation Device")].set_index("original_type")
    assert ndd.category.to_dict() == {
        "Missile Provocation: Nuclear Detonation Device": "missile_test",
        "Other Provocation: Nuclear Detonation Device": "other_provocation",
    }


def test_mapping_covers_every_event_value(data_dir: Path) -> None:
    text = resources.files("detente.ontology").joinpath("data", "csis_cameo.csv").read_text("utf-8")
    mapping = list(csv.DictReader(text.splitlines()))
    with open(data_dir / CSIS, encoding="utf-8", newline="") as fh:
        events = {row["event"] for row in csv.DictReader(fh)}
    assert len(events) == 112
    assert events == {row["event"] for row in mapping}
    assert all(row["rationale"].strip() for row in mapping)
    assert {row["category"] for row in mapping} <= set(CATEGORIES)


def test_ids_survive_reordering(store: Store, lines: list[bytes], data_dir: Path, tmp_path: Path) -> None:
    store.ingest(data_dir / CSIS)
    ids = set(store.events().event_id.execute())
    shuffled = _write(tmp_path / "reversed.csv", [lines[0], *reversed(lines[1:])])
    report = store.ingest(shuffled)
    # every row of the reordered file is recognised as already stored, by its content-derived id
    assert (report.status, report.rows_stored, report.rows_quarantined) == ("ingested", 0, 493)
    reasons = set(store.quarantine().reason.execute())
    assert all(r.endswith("already stored from an earlier file") for r in reasons)
    fresh = Store(tmp_path / "fresh")
    try:
        fresh.ingest(shuffled)
        assert set(fresh.events().event_id.execute()) == ids
    finally:
        fresh.close()


def test_reingest_is_unchanged(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / CSIS)
    again = store.ingest(data_dir / CSIS)
    assert (again.status, again.rows_read, again.rows_stored) == ("unchanged", 493, 493)
    assert store.events().count().execute() == 493


def test_bad_records_are_quarantined_with_reasons(store: Store, lines: list[bytes], tmp_path: Path) -> None:
    good = lines[223]  # line 224: 2017-09-03 nuclear test
    lines = [
        lines[0],
        good,
        good.replace(b"2017-09-03", b"2017-02-30", 1),
        good.replace(b"2017-09-03", b"3 Sep 2017", 1),
        good.replace(b",Nuclear Test,", b",Sky Writing,", 1),
        b"2017-09-04,Other Provocation,only three",
        good.replace(b"North Korea claims", b"North Korea \xffclaims", 1),
        good,
    ]
    report = store.ingest(_write(tmp_path / "csis.csv", lines))
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (7, 1, 6)
    assert _quarantine(store) == {
        3: "unparseable date '2017-02-30' (expected YYYY-MM-DD)",
        4: "unparseable date '3 Sep 2017' (expected YYYY-MM-DD)",
        5: "unknown event type 'Nuclear Provocation' / 'Sky Writing' (not in csis_cameo.csv)",
        6: "expected 5 comma-separated fields, found 3",
        7: "invalid text encoding: byte 0xFF at column 57",
        8: "duplicate event id csis:2017-09-03:nuclear-test:d833ddbf (first at line 2)",
    }


@pytest.mark.parametrize(
    ("cell", "url"),
    [
        ("https://goo.gl/Xn9Wr4The US Military Experience in Korea 1871-1982, page 108.", "https://goo.gl/Xn9Wr4"),
        ("https://goo.gl/cLQmnw; The US Military Experience in Korea 1871-1982, page 209.", "https://goo.gl/cLQmnw"),
        (
            "http://a.com/x-idUSBREA1Q0U520140227Video:https://www.youtube.com/watch?v=5b",
            "http://a.com/x-idUSBREA1Q0U520140227",
        ),
        ("http://www.rokdrop.net/2015/08/ys-11/The US Military Experience in", "http://www.rokdrop.net/2015/08/ys-11/"),
        ("www.mnd.go.kr/user/mnd/upload/pblictn/x.pdf", "http://www.mnd.go.kr/user/mnd/upload/pblictn/x.pdf"),
        ("The US Military Experience in Korea 1871-1982, page 125.", None),
        ("", None),
    ],
)
def test_csis_url_quirks(cell: str, url: str | None) -> None:
    assert csis_url(cell) == url


def test_event_id_ignores_whitespace_changes() -> None:
    a = csis_event_id("2017-09-03", "Nuclear Test", "North Korea  claims\n a test.")
    assert a == csis_event_id("2017-09-03", "Nuclear Test", " North Korea claims a test. ")
    assert a != csis_event_id("2017-09-03", "Nuclear Test", "North Korea claims two tests.")


def test_empty_and_wrong_files_fail_clearly(store: Store, data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=CsisReader())
    assert report.status == "failed" and "empty file" in report.error
    wrong = store.ingest(data_dir / "nk_missile_tests_cns/north_korea_missile_test_database.csv", reader=CsisReader())
    assert wrong.status == "failed" and "not a CSIS provocations file" in wrong.error
    with pytest.raises(SourceError, match="not a CSIS provocations file"):
        CsisReader().read(_write(tmp_path / "x.csv", [b"date,type,event"]), duckdb.connect())
    assert detect(data_dir / CSIS).name == "csis"


@st.composite
def _mutated(draw: st.DrawFn, lines: list[bytes]) -> list[bytes]:
    """Header plus a few real lines, some damaged."""
    out = [lines[0]]
    for i in draw(st.lists(st.integers(1, 60), min_size=1, max_size=6)):
        line = lines[i]
        kind = draw(st.sampled_from(["keep", "truncate", "insert", "fields", "date", "event"]))
        if kind == "truncate":
            line = line[: draw(st.integers(0, len(line)))]
        elif kind == "insert":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(st.binary(min_size=1, max_size=8)) + line[at:]
        elif kind == "fields":
            line = line + b"," + draw(st.binary(max_size=5)) if draw(st.booleans()) else line.rsplit(b",", 1)[0]
        elif kind == "date":
            line = draw(st.text(max_size=12)).encode("utf-8") + line[10:]
        elif kind == "event":
            day, kind_, _event, rest = line.split(b",", 3)
            line = b",".join([day, kind_, draw(st.text(max_size=12)).replace(",", "").encode("utf-8"), rest])
        out.append(line)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_lines_are_always_accounted(data: st.DataObject, lines: list[bytes]) -> None:
    damaged = data.draw(_mutated(lines))
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "csis.csv", damaged)
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path, reader=CsisReader())
            assert report.status == "ingested", report.error
            assert report.balanced
            con = store.con
            q = con.execute(
                "SELECT count(*), count(DISTINCT source_line), min(length(reason)) FROM quarantine"
            ).fetchone()
            assert q[:2] == (report.rows_quarantined, report.rows_quarantined)
            assert report.rows_quarantined == 0 or q[2] > 0
            assert con.execute("SELECT count(DISTINCT source_line) FROM events").fetchone()[0] == report.rows_stored
        finally:
            store.close()
