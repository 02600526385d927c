"""UCDP/PRIO ACD reader: the real 22.1 re-save, the original layout, bad records, fuzzed lines."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.base import Sample, SourceError
from detente.sources.detect import detect
from detente.sources.ucdp import CONFLICT_YEAR_SCHEMA, UcdpAcdReader

SAMPLE = "ucdp/ucdp-prio-acd-221.csv"


@pytest.fixture(scope="module")
def records(data_dir: Path) -> list[list[str]]:
    """The real file's CSV records, header first."""
    return list(csv.reader(io.StringIO((data_dir / SAMPLE).read_text("utf-8"))))


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    return path


def _conflict_years(store: Store) -> pd.DataFrame:
    return store.table("conflict_years").execute()


def _quarantine(store: Store) -> dict[int, str]:
    q = store.quarantine().execute()
    return dict(zip(q.source_line, q.reason, strict=False))


def test_real_file_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / SAMPLE)
    assert (report.status, report.format, report.source) == ("ingested", "ucdp_acd", "ucdp")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2568, 2568, 0)
    df = _conflict_years(store)
    assert len(df) == 2568 and df.conflict_id.nunique() == 294
    assert (df.year.min(), df.year.max()) == (1946, 2021)
    assert set(df.version) == {"22.1"}
    assert [c for c in df.columns if c != "source"] == CONFLICT_YEAR_SCHEMA.names
    assert store.events().count().execute() == 0


def test_korean_war_rows(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / SAMPLE)
    df = _conflict_years(store)
    war = df[df.conflict_id == 235].sort_values("year")
    assert list(war.year) == [1949, 1950, 1951, 1952, 1953]
    assert set(war.type_of_conflict) == {2} and set(war.territory_name) == {"Korea"}
    assert set(war.iso3_loc) == {"PRK,KOR"} and set(war.iso3_a) == {"PRK"} and set(war.iso3_b) == {"KOR"}
    # line 761: 759,235,"North Korea, South Korea",Government of North Korea,138,"Government of China,
    #   Government of Russia (Soviet Union)",Government of South Korea,139,"Government of Australia, ...",1,Korea,
    #   1953,2,1,2,1949-05-31,3,1949-05-31,3,1,1953-07-27,,731,"365, 710",732,"100, 2, 20, ..., 920","731, 732",3,"22,1"
    last = war.iloc[-1]
    assert (last.source_line, last.ep_end, last.ep_end_date.date()) == (761, 1, date(1953, 7, 27))
    assert (last.intensity_level, last.cumulative_intensity, last.incompatibility) == (2, 1, 1)
    assert (last.start_date.date(), last.start_prec) == (date(1949, 5, 31), 3)
    assert (last.side_a, last.side_a_id, last.side_b, last.side_b_id) == (
        "Government of North Korea",
        "138",
        "Government of South Korea",
        "139",
    )
    assert (last.gwno_a_2nd, last.iso3_a_2nd, last.gwno_loc, last.region) == ("365, 710", "RUS,CHN", "731, 732", "3")
    assert last.gwno_b_2nd.startswith("100, 2, 20, 200") and "USA" in last.iso3_b_2nd.split(",")
    assert pd.isna(last.ep_end_prec)
    assert list(war.ep_end) == [0, 0, 0, 0, 1] and war.ep_end_date.iloc[:4].isna().all()


def test_reingest_is_unchanged(store: Store, data_dir: Path) -> None:
    assert store.ingest(data_dir / SAMPLE).status == "ingested"
    again = store.ingest(data_dir / SAMPLE)
    assert (again.status, again.rows_stored) == ("unchanged", 2568)
    assert len(_conflict_years(store)) == 2568


def test_original_ucdp_layout(tmp_path: Path, store: Store, records: list[list[str]]) -> None:
    """The UCDP download: no index column, version with a dot."""
    rows = [r[1:] for r in records]
    for r in rows[1:]:
        r[-1] = r[-1].replace(",", ".")
    path = _write(tmp_path / "ucdp-prio-acd-221-original.csv", rows)
    assert isinstance(detect(path), UcdpAcdReader)
    report = store.ingest(path)
    assert (report.status, report.rows_read, report.rows_stored) == ("ingested", 2568, 2568)
    df = _conflict_years(store)
    assert set(df.version) == {"22.1"} and df.conflict_id.nunique() == 294
    first = df[df.source_line == 2].iloc[0]
    assert (first.conflict_id, first.year, first.side_b, first.iso3_loc) == (11342, 2012, "GNLA", "IND")


def test_bad_records_are_quarantined_with_reasons(tmp_path: Path, store: Store, records: list[list[str]]) -> None:
    header, good = records[0], records[1]
    col = {name: i for i, name in enumerate(header)}

    def variant(**changes: str) -> list[str]:
        row = list(good)
        for name, value in changes.items():
            row[col[name]] = value
        return row

    rows = [
        header,
        good,  # 2: fine
        good,  # 3: same conflict-year
        variant(year="1900"),  # 4
        variant(year="2013", type_of_conflict="5"),  # 5
        variant(year="2015", start_date="2012-13-01"),  # 6
        variant(year="2016", gwno_loc="750, India"),  # 7
        variant(year="2017", conflict_id="x11342"),  # 8
        good[:20],  # 9
        variant(year="2018", intensity_level="3"),  # 10
    ]
    report = store.ingest(_write(tmp_path / "ucdp-bad.csv", rows))
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined) == ("ingested", 9, 1, 8)
    assert _quarantine(store) == {
        3: "duplicate key conflict_id=11342, year=2012 (first at line 2)",
        4: f"year 1900 outside 1946..{date.today().year}",
        5: "type_of_conflict 5 not one of [1, 2, 3, 4]",
        6: "unparseable start_date '2012-13-01'",
        7: "gwno_loc '750, India' is not a list of Gleditsch-Ward numbers",
        8: "conflict_id 'x11342' is not a whole number",
        9: "expected 29 comma-separated fields, found 20",
        10: "intensity_level 3 not one of [1, 2]",
    }
    assert list(_conflict_years(store).source_line) == [2]


def test_whole_file_problems(tmp_path: Path, store: Store, data_dir: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=UcdpAcdReader())
    assert report.status == "failed" and "empty file" in (report.error or "")
    with pytest.raises(SourceError, match="not a UCDP/PRIO ACD file"):
        UcdpAcdReader().read(data_dir / "acled_events" / "explosions_remote_violence.csv", duckdb.connect())
    assert not UcdpAcdReader.sniff(Sample("x.csv", ["event_id_cnty,event_date,event_type,sub_event_type"]))
    assert not UcdpAcdReader.sniff(Sample("x.csv", [",conflict_id,location,side_a,side_b,year"]))


MUTATION = st.tuples(
    st.integers(min_value=1, max_value=8),
    st.sampled_from(["truncate", "insert", "replace_field"]),
    st.integers(min_value=0, max_value=10_000),
    st.binary(max_size=10),
)


def _mutate(line: bytes, kind: str, pos: int, blob: bytes) -> bytes:
    at = pos % (len(line) + 1)
    if kind == "truncate":
        return line[:at]
    if kind == "insert":
        return line[:at] + blob + line[at:]
    cut = [i for i, b in enumerate(line) if b == ord(",")] or [0]
    i = cut[pos % len(cut)]
    j = line.find(b",", i + 1)
    return line[: i + 1] + blob + (line[j:] if j >= 0 else b"")


@pytest.fixture(scope="module")
def head(data_dir: Path) -> list[str]:
    """Header and the first eight records (one physical line each)."""
    return (data_dir / SAMPLE).read_text("utf-8").splitlines()[:9]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_records_are_always_accounted(head: list[str], mutations: list[tuple[int, str, int, bytes]]) -> None:
    data = [ln.encode() for ln in head]
    for index, kind, pos, blob in mutations:
        data[index] = _mutate(data[index], kind, pos, blob)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(b"\n".join(data) + b"\n")
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path, reader=UcdpAcdReader())
            assert report.status == "ingested", report.error
            physical = io.StringIO(path.read_bytes().decode("utf-8", "surrogateescape"), newline="").readlines()
            assert 1 <= report.rows_read <= len(physical) - 1
            assert report.rows_stored + report.rows_quarantined == report.rows_read
            reasons = _quarantine(store)
            assert len(reasons) == report.rows_quarantined and all(reasons.values())
            if report.rows_stored:
                stored = set(_conflict_years(store).source_line)
                assert stored.isdisjoint(reasons) and len(stored) == report.rows_stored
        finally:
            store.close()
