"""CNS missile test reader: the real NTI/CNS CSV, dates, encoding, bad records and fuzzed lines."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.base import SourceError
from detente.sources.cns import CnsReader, parse_date
from detente.sources.detect import detect

CNS = "nk_missile_tests_cns/north_korea_missile_test_database.csv"


@pytest.fixture(scope="module")
def records(data_dir: Path) -> list[bytes]:
    """The real file's records as bytes (header first); records end in CRLF, quoted newlines are LF."""
    return (data_dir / CNS).read_bytes().split(b"\r\n")[:-1]


def _write(path: Path, records: list[bytes]) -> Path:
    path.write_bytes(b"\r\n".join(records) + b"\r\n")
    return path


def _events(store: Store) -> dict[str, dict[str, object]]:
    df = store.events().execute()
    return {r["event_id"]: r for r in df.to_dict("records")}


def _quarantine(store: Store) -> dict[int, str]:
    q = store.quarantine().execute()
    return dict(zip(q.source_line, q.reason, strict=True))


def test_real_file_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / CNS)
    assert (report.status, report.format, report.source) == ("ingested", "cns", "cns")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (245, 245, 0)
    ev = store.events()
    types = dict(ev.group_by("original_type").aggregate(n=ev.count()).execute().values.tolist())
    assert types == {"SRBM": 163, "MRBM": 30, "IRBM": 16, "ICBM": 11, "SLBM": 10, "Unknown": 8, "SLV": 6, "HGV": 1}
    cats = dict(ev.group_by("category").aggregate(n=ev.count()).execute().values.tolist())
    assert cats == {"missile_test": 239, "satellite_launch": 6}
    assert ev.event_id.nunique().execute() == 245
    assert set(ev.actor1_country.execute()) == {"PRK"}
    assert set(ev.country.execute()) == {"PRK"}
    assert set(ev.event_code.execute()) == {"150"}
    assert ev.filter(ev.date < date(1984, 4, 9)).count().execute() == 0
    assert ev.date.max().execute().date() == date(2023, 4, 12)
    outcome = ev.description.split(";")[0]
    outcomes = dict(ev.group_by(o=outcome).aggregate(n=ev.count()).execute().values.tolist())
    assert outcomes == {"Outcome: Success": 187, "Outcome: Failure": 33, "Outcome: Unknown": 25}  # PROVENANCE.md


def test_month_only_dates_keep_month_precision(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / CNS)
    ev = store.events()
    month = ev.filter(ev.date_precision == "month").order_by("source_line").execute()
    # line 5: 4,Sep-84,23-Dec-16,,Scud-B,SRBM,,Tonghae Satellite Launching Ground,...   (F1 4..11 are month-only)
    assert list(month.event_id) == [f"cns:{i}" for i in range(4, 12)]
    assert [d.date() for d in month.date] == [
        date(1984, 9, 1), date(1984, 9, 1), date(1984, 9, 1), date(1986, 5, 1),
        date(1990, 5, 1), date(1990, 6, 1), date(1991, 7, 1), date(1992, 6, 1),
    ]  # fmt: skip
    assert ev.filter(ev.date_precision == "day").count().execute() == 237


def test_first_and_last_rows(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / CNS)
    ev = _events(store)
    # line 2: 1,9-Apr-84,23-Dec-16,,Scud-B,SRBM,,Tonghae Satellite Launching Ground,"Hwadae County, North
    #   Hamgyong Province",Musudan-ri,40.8499966,129.666664,Unknown,Unknown,Unknown,Confirmed,Success,"First known
    #   test by North Korea of a missile ...",
    #   "http://www.nti.org/media/pdfs/north_korea_missile_2.pdf?_=1327534760; ..."
    first = ev["cns:1"]
    assert first["source_line"] == 2
    assert first["date"].date() == date(1984, 4, 9) and first["date_precision"] == "day"
    assert (first["actor1_name"], first["original_type"], first["category"]) == ("Scud-B", "SRBM", "missile_test")
    assert first["place"] == "Tonghae Satellite Launching Ground"
    assert (first["lat"], first["lon"]) == (40.8499966, 129.666664)
    assert first["url"] == "http://www.nti.org/media/pdfs/north_korea_missile_2.pdf?_=1327534760"
    assert first["description"].startswith(
        "Outcome: Success; Confirmed; apogee Unknown; distance Unknown; landing Unknown. First known test"
    )
    assert (first["event_code"], first["event_root"], first["quad_class"]) == ("150", "15", 4)
    assert first["goldstein"] == pytest.approx(-7.2)
    assert first["actor2_country"] is None
    # line 455: 245,12-Apr-23,4/19/2023,10:22:00 PM,Hwasong-18,ICBM,,Samsok ICBM test site,"Samsok District,
    #   Pyongyang",,39.112,125.998,Sea of Japan or East Sea,Unknown,1000 km,Confirmed,Success,"On April 13, 2023
    #   (local time), ...","https://en.yna.co.kr/view/AEN20230413000756325?input=tw
    last = ev["cns:245"]
    assert last["source_line"] == 455
    assert last["date"].date() == date(2023, 4, 12)
    assert (last["actor1_name"], last["original_type"], last["place"]) == (
        "Hwasong-18",
        "ICBM",
        "Samsok ICBM test site",
    )
    assert (last["lat"], last["lon"]) == (39.112, 125.998)
    assert last["url"] == "https://en.yna.co.kr/view/AEN20230413000756325?input=tw"
    assert "distance 1000 km; landing Sea of Japan or East Sea. On April 13, 2023" in last["description"]
    # line 18: 17,5-Jul-06,...,Taepodong-1 ... SLV: a space launch, not a weapon test
    assert (ev["cns:17"]["original_type"], ev["cns:17"]["category"]) == ("SLV", "satellite_launch")
    # F1 55: facility 'Unknown' with latitude/longitude 'Unknown' -> nulls
    assert ev["cns:55"]["place"] is None
    assert pd.isna(ev["cns:55"]["lat"]) and pd.isna(ev["cns:55"]["lon"])


def test_windows_1252_bytes_decode(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / CNS
    raw = path.read_bytes()
    assert raw.count(b"\xa0") == 1 and raw.count(b"\xb0") == 2
    result = CnsReader().read(path, duckdb.connect())
    table = result.rows.to_pandas().set_index("event_id")
    # line 11: 10,Jul-91,...,Chihari Missile Base,"Chiha-ri<0xA0>, Kangwon Province, (North Korea)",...
    assert '"Chiha-ri\u00a0, Kangwon Province, (North Korea)"' in table.loc["cns:10", "raw"]
    # line 156 (F1 151): '... it may be approx 39<0xB0>49'23.3""N 124<0xB0>49'39.7""E ...'
    assert "39°49'23.3\"N 124°49'39.7\"E" in table.loc["cns:151", "description"]
    assert table.reject_reason.isna().all()


def test_reingest_is_unchanged(store: Store, data_dir: Path) -> None:
    first = store.ingest(data_dir / CNS)
    again = store.ingest(data_dir / CNS)
    assert again.status == "unchanged"
    assert (again.rows_read, again.rows_stored) == (first.rows_read, first.rows_stored)
    assert store.events().count().execute() == 245


def test_bad_records_are_quarantined_with_reasons(store: Store, records: list[bytes], tmp_path: Path) -> None:
    good = records[2]  # F1 2, a plain single-line record
    lines = [
        records[0],
        good,
        good.replace(b"2,9-Apr-84,", b"900,31-Feb-99,", 1),
        good.replace(b"2,9-Apr-84,", b"901,Sep-84,", 1).replace(b",SRBM,", b",XRBM,", 1),
        b"902,9-Apr-84,23-Dec-16,too,few,fields",
        good.replace(b"2,9-Apr-84,", b"903,9-Apr-84,", 1).replace(b"40.8499966", b"400.5", 1),
        good.replace(b"2,9-Apr-84,", b"904,9-Apr-84,", 1).replace(b"Scud-B", b"Scud\x81B", 1),
        good.replace(b"2,9-Apr-84,", b"x,9-Apr-84,", 1),
        good,  # same F1 2 again
    ]
    report = store.ingest(_write(tmp_path / "cns.csv", lines))
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined) == ("ingested", 8, 1, 7)
    assert _quarantine(store) == {
        3: "unparseable date '31-Feb-99'",
        4: "unknown Missile Type 'XRBM' (not in cns_cameo.csv)",
        5: "expected 19 comma-separated fields, found 6",
        6: "bad facility coordinates: latitude '400.5' outside -90..90",
        7: "invalid text encoding: byte 0x81 at column 29",
        8: "F1 id 'x' is not a positive integer",
        9: "duplicate event id cns:2 (first at line 2)",
    }
    assert "Scud\\x81B" in store.quarantine().execute().set_index("source_line").raw[7]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9-Apr-84", (date(1984, 4, 9), "day")),
        ("12-Apr-23", (date(2023, 4, 12), "day")),
        ("Sep-84", (date(1984, 9, 1), "month")),
        ("31-Dec-68", (date(2068, 12, 31), "day")),
        ("1-Jan-69", (date(1969, 1, 1), "day")),
        ("4/19/2023", (date(2023, 4, 19), "day")),
        ("5-September-2019", (date(2019, 9, 5), "day")),
    ],
)
def test_parse_date_pivot_and_forms(text: str, expected: tuple[date, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "Apricot-84", "31-Feb-99", "2023-04-12", "13/1/2023", "Sep"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_empty_and_wrong_files_fail_clearly(store: Store, data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=CnsReader())
    assert report.status == "failed" and "empty file" in report.error
    wrong = store.ingest(
        data_dir / "nk_provocations_csis/north_korea_provocations_1958_present.csv", reader=CnsReader()
    )
    assert wrong.status == "failed" and "not a CNS missile test file" in wrong.error
    with pytest.raises(SourceError, match="not a CNS missile test file"):
        CnsReader().read(_write(tmp_path / "h.csv", [b"F1,Date", b"1,9-Apr-84"]), duckdb.connect())
    assert detect(data_dir / CNS).name == "cns"


_MUTATIONS = st.sampled_from(["truncate", "insert", "drop_field", "add_field", "date", "type", "f1"])


@st.composite
def _mutated(draw: st.DrawFn, records: list[bytes]) -> list[bytes]:
    """Header plus a few real records, some of them damaged."""
    picks = draw(st.lists(st.integers(1, 40), min_size=1, max_size=6))
    out = [records[0]]
    for i in picks:
        line = records[i]
        kind = draw(st.one_of(st.none(), _MUTATIONS))
        fields = line.split(b",")
        if kind == "truncate":
            line = line[: draw(st.integers(0, len(line)))]
        elif kind == "insert":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(st.binary(min_size=1, max_size=8)) + line[at:]
        elif kind == "drop_field":
            line = b",".join(fields[:-1])
        elif kind == "add_field":
            line = line + b",extra"
        elif kind == "date":
            line = b",".join([fields[0], draw(st.text(max_size=10)).encode("utf-8"), *fields[2:]])
        elif kind == "type":
            line = line.replace(b",SRBM,", b"," + draw(st.sampled_from([b"", b"ZZZ", b"srbm", b"SLV "])) + b",", 1)
        elif kind == "f1":
            line = draw(st.sampled_from([b"-1", b"", b"abc", b"0"])) + line[line.index(b",") :]
        out.append(line)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_records_are_always_accounted(data: st.DataObject, records: list[bytes]) -> None:
    lines = data.draw(_mutated(records))
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "cns.csv", lines)
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path, reader=CnsReader())
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
