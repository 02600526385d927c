"""The curated Korea timeline reader, on the real fact base."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.kb import timeline_path
from detente.sources.detect import detect

LINES = timeline_path().read_text("utf-8").splitlines()


def test_shipped_timeline_is_the_fact_base_with_six_corrected_dates(data_dir: Path) -> None:
    # same layout and rows as the fact base; sources were replaced (issue 21) and six dates corrected
    # (the 2006 reunion halt, now dated 2006-07-19, moved three rows down to keep the file in date order)
    original = (data_dir / "korea-facts" / "events.csv").read_text("utf-8").splitlines()
    assert len(LINES) == len(original) and LINES[0] == original[0]
    before = Counter(",".join(line.split(",")[:2]) for line in original[1:])
    after = Counter(",".join(line.split(",")[:2]) for line in LINES[1:])
    assert sorted((before - after).elements()) == [
        "1978-01,month",
        "1991-09-18,day",
        "2004-06,month",
        "2006,year",
        "2010-10-27,day",
        "2016-01,month",
    ]
    assert sorted((after - before).elements()) == [
        "1978-10-17,day",
        "1991-09-17,day",
        "2004-06-04,day",
        "2006-07-19,day",
        "2010-10-29,day",
        "2016-01-08,day",
    ]
    assert detect(timeline_path()).name == "korea-facts"


def test_every_row_stored_with_source_and_confidence(store: Store) -> None:
    report = store.ingest(timeline_path())
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (300, 300, 0)
    ev = store.events()
    # one event per (actor, target) pair; joint rows become one event per pair of actors
    assert ev.count().execute() == 460
    assert ev.source_line.nunique().execute() == 300
    conf = ev.group_by("confidence").aggregate(n=ev.source_line.nunique()).to_pandas()
    assert dict(zip(conf.confidence, conf.n, strict=False)) == {"verified": 299, "recalled": 1}
    prec = ev.group_by("date_precision").aggregate(n=ev.source_line.nunique()).to_pandas()
    assert dict(zip(prec.date_precision, prec.n, strict=False)) == {"day": 267, "month": 24, "year": 9}


def test_cheonan_row_parsed_from_the_raw_line(store: Store) -> None:
    store.ingest(timeline_path())
    ev = store.events()
    row = ev.filter(ev.date == "2010-03-26").to_pandas()
    raw = next(line for line in LINES if line.startswith("2010-03-26"))
    assert len(row) == 1
    r = row.iloc[0]
    assert (r.actor1_country, r.actor2_country, r.original_type) == ("PRK", "KOR", "naval_clash")
    assert (r.event_code, r.quad_class, r.goldstein, r.category) == ("190", 4, -10.0, "naval_clash")
    assert "46 of 104 crew killed" in raw and "46 of 104 crew killed" in r.description
    assert r.url.startswith("http") and r.url in raw and r.confidence == "verified"
    assert r.source_line == LINES.index(raw) + 1


def test_month_precision_never_invents_a_day(store: Store) -> None:
    store.ingest(timeline_path())
    ev = store.events()
    months = ev.filter(ev.date_precision == "month").date.day().to_pyarrow().to_pylist()
    assert months and set(months) == {1}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.integers(1, len(LINES) - 1), min_size=1, max_size=8),
    cut=st.lists(st.integers(0, 400), min_size=8, max_size=8),
    junk=st.lists(st.binary(max_size=40), min_size=8, max_size=8),
)
def test_malformed_lines_never_crash_and_are_accounted(tmp_path_factory, picks, cut, junk) -> None:
    body = []
    for i, n in enumerate(picks):
        line = LINES[n].encode()
        body.append(line[: cut[i]] + junk[i].replace(b"\n", b" ").replace(b"\r", b" ").replace(b'"', b"'"))
    home = tmp_path_factory.mktemp("h")
    path = home / "mutated.csv"
    path.write_bytes(LINES[0].encode() + b"\n" + b"\n".join(body) + b"\n")
    store = Store(home / "store")
    report = store.ingest(path)
    assert report.status == "ingested", report.error
    # an unbalanced quote may join lines into one record, so count records, not lines
    assert 1 <= report.rows_read <= len(picks)
    assert report.balanced
    q = store.quarantine().to_pandas()
    assert len(q) == report.rows_quarantined and q.reason.notna().all()
    store.close()
