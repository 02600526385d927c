"""GDELT readers: the real 2.0 export and R re-export of 1.0, layout variants, bad records, fuzzing."""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import io
import math
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.base import SourceError
from detente.sources.detect import detect, sample_of
from detente.sources.gdelt import V1_COLUMNS, V1_URL_COLUMNS, V2_COLUMNS, Gdelt1Reader, Gdelt1RReader, Gdelt2Reader
from detente.store import IngestReport

V2 = "gdelt_events/20191024143000.export.CSV"
R_EXPORT = "gdelt_events/undp_georgia_extract_april13.csv"
KOREAS = ("KOR", "PRK")
#: canonical columns compared between layouts of the same events
VALUES = [
    "event_id", "date", "actor1_code", "actor1_name", "actor1_country", "actor1_type", "actor2_code",
    "actor2_name", "actor2_country", "actor2_type", "event_code", "event_root", "quad_class", "goldstein",
    "mentions", "sources_n", "articles", "tone", "country", "lat", "lon", "place",
]  # fmt: skip


@pytest.fixture(scope="module")
def v2_lines(data_dir: Path) -> list[bytes]:
    """The real 2.0 export's lines, without line ends."""
    return (data_dir / V2).read_bytes().split(b"\n")[:-1]


@pytest.fixture(scope="module")
def r_rows(data_dir: Path) -> list[list[str]]:
    """The R re-export parsed as CSV: header, then rows led by the R row name."""
    return list(csv.reader(io.StringIO((data_dir / R_EXPORT).read_text("utf-8"))))


def _events(store: Store) -> pd.DataFrame:
    """The stored events by event id (read through the store's DuckDB views: quicker than Ibis)."""
    return store.con.sql("SELECT * FROM events").df().set_index("event_id", drop=False).sort_index()


def _quarantine(store: Store) -> dict[int, tuple[str, str]]:
    """Quarantined lines: line -> (raw, reason)."""
    rows = store.con.sql("SELECT source_line, raw, reason FROM quarantine").fetchall()
    return {int(line): (raw, reason) for line, raw, reason in rows}


def _write(path: Path, lines: list[bytes], end: bytes = b"\n") -> Path:
    path.write_bytes(end.join(lines) + end)
    return path


def _fields(line: bytes) -> list[bytes]:
    return line.split(b"\t")


def _with(line: bytes, **changes: bytes) -> bytes:
    """``line`` with some named GDELT 2.0 fields replaced."""
    fields = _fields(line)
    for name, value in changes.items():
        fields[V2_COLUMNS.index(name)] = value
    return b"\t".join(fields)


def _ingest_alone(path: Path, home: Path) -> tuple[IngestReport, pd.DataFrame]:
    """Ingest ``path`` into a fresh store; the report and the stored events."""
    store = Store(home)
    try:
        report = store.ingest(path)
        return report, _events(store)
    finally:
        store.close()


# -- the real files ----------------------------------------------------------------------------


def test_v2_real_file_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / V2)
    assert (report.status, report.format, report.source) == ("ingested", "gdelt2", "gdelt2")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2111, 2111, 0)
    ev = _events(store)
    assert len(ev) == 2111 and ev.event_id.is_unique
    assert sorted(ev.source_line) == list(range(1, 2112))
    assert ev.quad_class.value_counts().sort_index().to_dict() == {1: 1222, 2: 281, 3: 271, 4: 337}
    korea = ev[ev.actor1_country.isin(KOREAS) | ev.actor2_country.isin(KOREAS)]
    assert len(korea) == 19
    assert not (ev.actor1_country.isin(KOREAS) & ev.actor2_country.isin(KOREAS)).any()
    days = ev.date.dt.date.value_counts()
    assert days[date(2019, 10, 24)] == 2051
    assert (ev.date.min().date(), ev.date.max().date()) == (date(2018, 10, 24), date(2019, 10, 24))
    assert set(ev.date_precision) == {"day"}


def test_v2_spot_checks(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / V2)
    ev = _events(store)
    # line 5: 881990836	20181024	201810	2018	2018.8055	CAN	CANADA	CAN	(7 empty)	AUS	VICTORIA	AUS
    #   (6 empty)	0	139	139	13	3	-7.0	2	1	2	2.02774813233724	4	Vancouver, British Columbia, Canada
    #   CA	CA02	12552	49.25	-123.133	-575268	(same geo twice more)	20191024143000
    #   https://www.timescolonist.com/entertainment/jeremy-dutcher-brings-ancestors-songs-to-life-1.23985964
    r = ev.loc["gdelt2:881990836"]
    assert (r.source, r.date.date(), r.date_precision, r.year) == ("gdelt2", date(2018, 10, 24), "day", 2018)
    assert (r.actor1_code, r.actor1_name, r.actor1_country, r.actor1_type) == ("CAN", "CANADA", "CAN", None)
    assert (r.actor2_code, r.actor2_name, r.actor2_country) == ("AUS", "VICTORIA", "AUS")
    assert (r.event_code, r.event_root, r.quad_class, r.goldstein) == ("139", "13", 3, -7.0)
    assert (r.mentions, r.sources_n, r.articles) == (2, 1, 2)
    assert math.isclose(r.tone, 2.02774813233724, rel_tol=1e-6)
    assert (r.country, r.lat, r.lon, r.place) == ("CAN", 49.25, -123.133, "Vancouver, British Columbia, Canada")
    assert (
        r.url == "https://www.timescolonist.com/entertainment/jeremy-dutcher-brings-ancestors-songs-to-life-1.23985964"
    )
    assert (r.source_file, r.source_line) == ("20191024143000.export.CSV", 5)
    # line 1489: 881992320	20191024	201910	2019	2019.8055	PRK	NORTH KOREA	PRK	(7 empty)	USAGOV
    #   UNITED STATES	USA	(4 empty)	GOV	(2 empty)	1	042	042	04	1	1.9	2	1	2	-3.1496062992126
    #   1	North Korea	KN	KN		40	127	KN	1	United States	US	US		39.828175	-98.5795	US
    #   1	North Korea	KN	KN		40	127	KN	20191024143000	http://watchingamerica.com/WA/tag/kim-jong-un/
    r = ev.loc["gdelt2:881992320"]
    assert (r.actor1_code, r.actor1_name, r.actor1_country) == ("PRK", "NORTH KOREA", "PRK")
    assert (r.actor2_code, r.actor2_name, r.actor2_country, r.actor2_type) == ("USAGOV", "UNITED STATES", "USA", "GOV")
    assert (r.event_code, r.event_root, r.quad_class, r.goldstein) == ("042", "04", 1, 1.9)
    assert (r.country, r.lat, r.lon, r.place) == ("PRK", 40.0, 127.0, "North Korea")  # FIPS KN -> PRK
    assert (r.date.date(), r.source_line) == (date(2019, 10, 24), 1489)


def test_r_export_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / R_EXPORT)
    assert (report.status, report.format, report.source) == ("ingested", "gdelt1-r", "gdelt1")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3542, 3542, 0)
    ev = _events(store)
    assert len(ev) == 3542 and ev.event_id.str.startswith("gdelt1:").all()
    assert sorted(ev.source_line) == list(range(2, 3544))  # header = line 1
    korea = ev[ev.actor1_country.isin(KOREAS) | ev.actor2_country.isin(KOREAS)]
    assert len(korea) == 182
    dyad = korea[korea.actor1_country.isin(KOREAS) & korea.actor2_country.isin(KOREAS)]
    assert len(dyad[dyad.actor1_country != dyad.actor2_country]) == 18
    assert set(ev.country) == {"GEO"}  # every row is geocoded to Georgia (FIPS GG)
    assert (ev.date.min().date(), ev.date.max().date()) == (date(2013, 4, 1), date(2013, 4, 30))
    assert not ev.actor2_code.str.startswith(" ").any() and not ev.actor1_name.str.endswith(" ").any()


def test_r_export_spot_checks(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / R_EXPORT)
    ev = _events(store)
    # line 2: "11783",253472894,20130401,201304,2013,2013.2493,"GOV","MINISTRY ",NA,NA,NA,NA,NA,"GOV",NA,NA,
    #   " ARM","ARMENIA","ARM",NA,NA,NA,NA,NA,NA,NA,1,"010","010","01",1,0,2,1,2,1.61290322580645,4,
    #   "Stepantsminda, Georgia (general), Georgia","GG","GG00",42.6567,44.6433,-2327687,(twice more),
    #   20130401,"http://armenpress.am/eng/news/713439/"
    r = ev.loc["gdelt1:253472894"]
    assert (r.actor1_code, r.actor1_name, r.actor1_country, r.actor1_type) == ("GOV", "MINISTRY", None, "GOV")
    assert (r.actor2_code, r.actor2_name, r.actor2_country) == ("ARM", "ARMENIA", "ARM")
    assert (r.event_code, r.quad_class, r.goldstein, r.mentions, r.articles) == ("010", 1, 0.0, 2, 2)
    assert (r.country, r.lat, r.lon) == ("GEO", 42.6567, 44.6433)
    assert (r.url, r.source_line, r.date.date()) == ("http://armenpress.am/eng/news/713439/", 2, date(2013, 4, 1))
    # line 172: "1346",253694623,20130407,201304,2013,2013.2658,"KOR","SOUTH KOREA","KOR",NA x7," PRK",
    #   "NORTH KOREAN","PRK",NA x7,1,"192","192","19",4,-9.5,2,1,2,0,4,"Norio, Georgia (general), Georgia",
    #   "GG","GG00",41.795,44.9756,-2329122,(twice more),20130408,"BBC Monitoring"
    r = ev.loc["gdelt1:253694623"]
    assert (r.actor1_country, r.actor2_code, r.actor2_name, r.actor2_country) == ("KOR", "PRK", "NORTH KOREAN", "PRK")
    assert (r.event_code, r.event_root, r.quad_class, r.goldstein) == ("192", "19", 4, -9.5)
    assert (r.url, r.source_line, r.place) == ("BBC Monitoring", 172, "Norio, Georgia (general), Georgia")


# -- layouts and containers --------------------------------------------------------------------


def _r_to_tab(rows: list[list[str]], layout: tuple[str, ...]) -> list[bytes]:
    """The R re-export's records as GDELT 1.0 tab-separated lines in ``layout`` (NA -> empty)."""
    names = rows[0]
    out = []
    for row in rows[1:]:
        values = dict(zip(names, row[1:], strict=True))
        out.append("\t".join("" if values[c] == "NA" else values[c].strip() for c in layout).encode())
    return out


def test_v1_tab_layouts_match_the_r_export(tmp_path: Path, data_dir: Path, r_rows: list[list[str]]) -> None:
    _, from_r = _ingest_alone(data_dir / R_EXPORT, tmp_path / "r")
    for layout, name in ((V1_URL_COLUMNS, "20130430.export.CSV"), (V1_COLUMNS, "201304.csv")):
        path = _write(tmp_path / name, _r_to_tab(r_rows, layout))
        assert isinstance(detect(path), Gdelt1Reader)
        report, ev = _ingest_alone(path, tmp_path / name.replace(".", "-"))
        assert (report.format, report.rows_read, report.rows_stored) == ("gdelt1", 3542, 3542)
        pd.testing.assert_frame_equal(ev[VALUES], from_r[VALUES])
        assert (ev.source_line == from_r.source_line - 1).all()  # no header line here
        if layout is V1_COLUMNS:  # the pre-2013 layout has no SOURCEURL
            assert ev.url.isna().all()
        else:
            pd.testing.assert_series_equal(ev.url, from_r.url)


def test_containers_and_line_ends_give_the_same_rows(tmp_path: Path, data_dir: Path, v2_lines: list[bytes]) -> None:
    plain = data_dir / V2
    _, expected = _ingest_alone(plain, tmp_path / "plain")
    with zipfile.ZipFile(tmp_path / "a.export.CSV.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(plain, plain.name)
    (tmp_path / "b.export.CSV.gz").write_bytes(gzip.compress(plain.read_bytes()))
    _write(tmp_path / "c.export.CSV", v2_lines, end=b"\r\n")
    variants = {"a.export.CSV.zip": 0, "b.export.CSV.gz": 0, "c.export.CSV": 0}
    _write(tmp_path / "d.export.CSV", ["\t".join(V2_COLUMNS).encode(), *v2_lines])
    variants["d.export.CSV"] = 1  # a header line shifts every record by one line
    for name, shift in variants.items():
        report, ev = _ingest_alone(tmp_path / name, tmp_path / f"home-{name}")
        assert (report.status, report.format, report.rows_read, report.rows_stored) == (
            "ingested",
            "gdelt2",
            2111,
            2111,
        )
        pd.testing.assert_frame_equal(ev[[*VALUES, "url"]], expected[[*VALUES, "url"]])
        assert (ev.source_line == expected.source_line + shift).all()
        assert set(ev.source_file) == {name}


def test_reingest_is_unchanged_and_repeats_are_quarantined(
    store: Store, tmp_path: Path, data_dir: Path, v2_lines: list[bytes]
) -> None:
    first = store.ingest(data_dir / V2)
    again = store.ingest(data_dir / V2)
    assert again.status == "unchanged"
    assert (again.rows_read, again.rows_stored, again.rows_quarantined) == (first.rows_read, 2111, 0)
    assert store.events().count().execute() == 2111
    later = store.ingest(_write(tmp_path / "20191024144500.export.CSV", v2_lines[:3]))
    assert (later.rows_stored, later.rows_quarantined) == (0, 3)
    raw, reason = _quarantine(store)[2]
    assert reason == "event id gdelt2:881990833 already stored from an earlier file"
    assert raw == v2_lines[1].decode()
    assert store.events().count().execute() == 2111


# -- bad records -------------------------------------------------------------------------------


def test_bad_values_are_quarantined_on_the_fast_path(store: Store, tmp_path: Path, v2_lines: list[bytes]) -> None:
    """Every line has 61 fields: DuckDB reads the file as is; reasons come from SQL and the store."""
    base = v2_lines[:14]
    lines = [
        base[0],
        _with(base[1], SQLDATE=b"20190231"),
        _with(base[2], NumMentions=b"many"),
        _with(base[3], EventCode=b"999", EventBaseCode=b"999", EventRootCode=b"99"),
        _with(base[4], GLOBALEVENTID=_fields(base[0])[0]),
        _with(base[5], ActionGeo_Lat=b"123"),
        _with(base[6], EventRootCode=b"05"),
        _with(base[7], GLOBALEVENTID=b"x12"),
        _with(base[8], QuadClass=b"7"),
        _with(base[9], DATEADDED=b"2019102414"),
        _with(base[10], SQLDATE=b"17991231"),
        _with(base[11], GoldsteinScale=b""),
        _with(base[12], DATEADDED=b""),  # not stored, blank for whole days of real 1.0 files: accepted
        base[13],
    ]
    report = store.ingest(_write(tmp_path / "values.export.CSV", lines))
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (14, 3, 11)
    q = _quarantine(store)
    reasons = {line: reason for line, (_, reason) in q.items()}
    assert reasons == {
        2: "invalid SQLDATE '20190231' (expected YYYYMMDD)",
        3: "unparseable NumMentions 'many'",
        4: "unknown CAMEO event code 999",
        5: "duplicate event id gdelt2:881990832 (first at line 1)",
        6: "ActionGeo_Lat 123 outside -90..90",
        7: "EventRootCode '05' does not match EventCode '090'",
        8: "GLOBALEVENTID 'x12' is not a whole number",
        9: "QuadClass not in 1..4: 7",
        10: "invalid DATEADDED '2019102414' (expected YYYYMMDDHHMMSS)",
        11: "impossible date 1799-12-31",
        12: "missing GoldsteinScale",
    }
    assert all(q[line][0] == lines[line - 1].decode() for line in q)  # raw text, read back from the file
    assert sorted(_events(store).source_line) == [1, 13, 14]


def test_bad_lines_are_quarantined_on_the_checked_path(store: Store, tmp_path: Path, v2_lines: list[bytes]) -> None:
    """Broken lines (field counts, encoding, carriage returns, blank) are cut out before DuckDB reads."""
    base = v2_lines[:12]
    name = _fields(base[6])[6]
    lines = [
        base[0],
        b"\t".join(_fields(base[1])[:12]),
        b"",
        base[3] + b"\textra",
        _with(base[4], Actor1Name=name + b"\xff"),
        _with(base[5], Actor1Name=b"A\rB"),
        _with(base[6], SQLDATE=b"2019"),
        base[7],
        base[8] + b"\r",  # a Windows line end is accepted
        base[9],
        base[10],
        base[11],
    ]
    path = _write(tmp_path / "lines.export.CSV", lines)
    report = store.ingest(path)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (12, 6, 6)
    q = _quarantine(store)
    column = len(b"\t".join(_fields(base[4])[:6])) + 1 + len(name) + 1
    assert {line: reason for line, (_, reason) in q.items()} == {
        2: "expected 61 tab-separated fields, found 12",
        3: "expected 61 tab-separated fields, blank line",
        4: "expected 61 tab-separated fields, found 62",
        5: f"invalid text encoding: byte 0xFF at column {column}",
        6: "carriage return inside the record",
        7: "invalid SQLDATE '2019' (expected YYYYMMDD)",
    }
    assert q[5][0].endswith(lines[4].decode("utf-8", "surrogateescape")[column:]) and "\\xff" in q[5][0]
    assert q[7][0] == lines[6].decode()
    ev = _events(store)
    assert sorted(ev.source_line) == [1, 8, 9, 10, 11, 12]
    expected = {int(_fields(base[i - 1])[0]): i for i in (1, 8, 9, 10, 11, 12)}
    assert {int(e.split(":")[1]): line for e, line in zip(ev.event_id, ev.source_line, strict=True)} == expected


@pytest.mark.parametrize("end", [b"\n", b"\r\n"])
def test_checked_path_with_a_header_keeps_line_numbers(
    store: Store, tmp_path: Path, v2_lines: list[bytes], end: bytes
) -> None:
    header = "\t".join(V2_COLUMNS).encode()
    lines = [
        header,
        *v2_lines[:4],
        b"\t".join(_fields(v2_lines[4])[:3]),
        b"\t" + v2_lines[5].split(b"\t", 1)[1],
        v2_lines[6],
    ]
    path = _write(tmp_path / "header.export.CSV", lines, end=end)
    report = store.ingest(path)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (7, 5, 2)
    q = _quarantine(store)
    assert {line: reason for line, (_, reason) in q.items()} == {
        6: "expected 61 tab-separated fields, found 3",
        7: "missing GLOBALEVENTID",
    }
    ev = _events(store)
    assert {e: int(line) for e, line in zip(ev.event_id, ev.source_line, strict=True)} == {
        f"gdelt2:{int(_fields(lines[i])[0])}": i + 1 for i in (1, 2, 3, 4, 7)
    }


def test_r_export_bad_records(store: Store, tmp_path: Path, data_dir: Path) -> None:
    lines = (data_dir / R_EXPORT).read_text("utf-8").split("\n")[:6]
    lines[2] = lines[2].replace(",20130401,", ",20130431,", 1)
    lines[3] = lines[3].rsplit(",", 3)[0]
    lines[4] = lines[4].replace('"GOV"', "NA", 1).replace(",010,", ",", 1)
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert isinstance(detect(path), Gdelt1RReader)
    report = store.ingest(path)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (5, 3, 2)
    q = _quarantine(store)
    assert q[3] == (lines[2], "invalid SQLDATE '20130431' (expected YYYYMMDD)")
    assert q[4] == (lines[3], "expected 59 comma-separated fields (R row name + 58), found 56")


# -- whole-file problems and detection ---------------------------------------------------------


def test_whole_file_problems_fail_cleanly(store: Store, tmp_path: Path, data_dir: Path, v2_lines: list[bytes]) -> None:
    empty = tmp_path / "empty.export.CSV"
    empty.write_bytes(b"")
    assert "empty file" in store.ingest(empty, reader=Gdelt2Reader()).error
    text = tmp_path / "notes.export.CSV"
    text.write_text("these are\tnot GDELT\nrecords\n", "utf-8")
    report = store.ingest(text, reader=Gdelt2Reader())
    assert report.status == "failed" and "not a GDELT 2.0 event export" in report.error
    report = store.ingest(data_dir / V2, reader=Gdelt1Reader())
    assert report.status == "failed" and "58 or 57 tab-separated fields" in report.error
    header_only = tmp_path / "header.csv"
    header_only.write_text((data_dir / R_EXPORT).read_text("utf-8").split("\n")[0] + "\n", "utf-8")
    assert store.ingest(header_only).error == "header.csv: no data records"
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.CSV", b"\n".join(v2_lines[:2]))
        zf.writestr("b.CSV", b"\n".join(v2_lines[2:4]))
    assert "zip holds 2 files" in store.ingest(two, reader=Gdelt2Reader()).error
    cut = tmp_path / "cut.export.CSV.gz"
    cut.write_bytes(gzip.compress(b"\n".join(v2_lines))[:-100])
    assert "truncated or corrupt" in store.ingest(cut, reader=Gdelt2Reader()).error
    with pytest.raises(SourceError):
        Gdelt1RReader().read(data_dir / V2, store.con)
    assert store.events().count().execute() == 0


def test_detection_is_specific(data_dir: Path, tmp_path: Path, r_rows: list[list[str]]) -> None:
    readers = (Gdelt2Reader, Gdelt1Reader, Gdelt1RReader)
    v1 = _write(tmp_path / "20130401.export.CSV", _r_to_tab(r_rows[:5], V1_URL_COLUMNS))
    v1_old = _write(tmp_path / "200601.csv", _r_to_tab(r_rows[:5], V1_COLUMNS))
    expected = {data_dir / V2: Gdelt2Reader, data_dir / R_EXPORT: Gdelt1RReader, v1: Gdelt1Reader, v1_old: Gdelt1Reader}
    others = [p for p in data_dir.rglob("*") if p.is_file() and p.suffix != ".md" and p not in expected]
    assert others, "the other real data files are the negative examples"
    for path in [*expected, *others]:
        sample = sample_of(path)
        claimed = [r for r in readers if r.sniff(sample)]
        assert claimed == ([expected[path]] if path in expected else []), path


# -- line numbers at scale and fuzzing ---------------------------------------------------------


ROWS = 60_000  # about 25 MB
#: a reason for each kind of damage synth_gdelt applies
DAMAGE_REASONS = (
    "found ",
    "blank line",
    "invalid SQLDATE '20191332'",
    "unparseable NumMentions 'many'",
    "unknown CAMEO event code 999",
    "invalid text encoding",
    "duplicate event id",
)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[float, Path]:
    """A clean synthetic export of several DuckDB buffers (16 MiB each), and a copy with 0.2% damaged lines."""
    spec = importlib.util.spec_from_file_location(
        "synth_gdelt", Path(__file__).parents[2] / "benchmarks/synth_gdelt.py"
    )
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    damage, generate = synth.damage, synth.generate
    folder = tmp_path_factory.mktemp("synthetic")
    clean = generate(folder / "20191024143000.export.CSV", ROWS, seed=3)
    damaged = folder / "20191024144500.export.CSV"
    damaged.write_bytes(clean.read_bytes())
    damage(damaged, 0.002, seed=3)
    return {0.0: clean, 0.002: damaged}


@pytest.mark.parametrize("bad", [0.0, 0.002])
def test_line_numbers_hold_across_parallel_parsing(tmp_path: Path, synthetic: dict[float, Path], bad: float) -> None:
    """Every stored row of a large file sits on its own line, with or without damaged lines."""
    store = Store(tmp_path / "home")
    try:
        report = store.ingest(synthetic[bad])
        assert report.rows_read == ROWS
        assert report.rows_stored + report.rows_quarantined == ROWS
        assert report.rows_quarantined == round(ROWS * bad)
        ev = store.con.sql("SELECT event_id, source_line FROM events").fetchnumpy()
        ids = pd.Series(ev["event_id"]).str.split(":").str[1].astype("int64")
        first_id = 900_000_000 + 3 * 10_000_000  # synth_gdelt numbers line k as first_id + k - 1
        assert (ids - first_id + 1 == ev["source_line"]).all()
        if bad:
            reasons = " | ".join(reason for _, reason in _quarantine(store).values())
            for kind in DAMAGE_REASONS:
                assert kind in reasons
    finally:
        store.close()


def _mutate(line: bytes, kind: str, pos: int, blob: bytes) -> bytes:
    fields = _fields(line)
    k = pos % len(fields)
    if kind == "truncate":
        return line[: pos % (len(line) + 1)]
    if kind == "insert":
        at = pos % (len(line) + 1)
        return line[:at] + blob + line[at:]
    if kind == "drop_field":
        return b"\t".join(fields[:k] + fields[k + 1 :])
    if kind == "extra_field":
        return line + b"\t" + blob
    if kind == "crlf":
        return line + b"\r"
    column = {"date": 1, "code": 26, "number": 31, "id": 0}.get(kind, k)
    fields[column] = blob
    return b"\t".join(fields)


MUTATION = st.tuples(
    st.integers(min_value=0, max_value=11),
    st.sampled_from(
        ["truncate", "insert", "drop_field", "extra_field", "crlf", "date", "code", "number", "id", "field"]
    ),
    st.integers(min_value=0, max_value=10_000),
    st.binary(max_size=12),
)


@functools.cache
def _base(data_dir: Path) -> tuple[list[bytes], pd.DataFrame]:
    """The first 12 real lines, and their canonical rows by line number (cached: hypothesis reruns)."""
    lines = (data_dir / V2).read_bytes().split(b"\n")[:12]
    with tempfile.TemporaryDirectory() as tmp:
        _, ev = _ingest_alone(_write(Path(tmp) / "base.export.CSV", lines), Path(tmp) / "home")
    return lines, ev.set_index("source_line")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_lines_are_always_accounted(data_dir: Path, mutations: list) -> None:
    base, clean_rows = _base(data_dir)
    lines = list(base)
    for index, kind, pos, blob in mutations:
        lines[index] = _mutate(lines[index], kind, pos, blob)
    touched = {index + 1 for index, *_ in mutations}
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "fuzz.export.CSV", lines)
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path, reader=Gdelt2Reader())
            if lines[0][:2] == b"\x1f\x8b" or lines[0][:4] == b"PK\x03\x04":  # now looks like an archive
                assert report.status == "failed" and "truncated or corrupt archive" in report.error
                return
            assert report.status == "ingested", report.error
            assert report.rows_read == path.read_bytes().count(b"\n")
            assert report.rows_stored + report.rows_quarantined == report.rows_read
            q = _quarantine(store)
            assert len(q) == report.rows_quarantined
            assert all(raw is not None and reason for raw, reason in q.values())
            ev = _events(store).set_index("source_line")
            assert set(ev.index).isdisjoint(q) and set(ev.index) | set(q) == set(range(1, report.rows_read + 1))
            at = 1  # lines left alone keep their exact values (a mutation may add newlines)
            for original, text in enumerate(lines, start=1):
                if original not in touched and not (at in q and "duplicate" in q[at][1]):
                    assert at in ev.index, (at, q.get(at))
                    pd.testing.assert_series_equal(
                        ev.loc[at, VALUES], clean_rows.loc[original, VALUES], check_names=False
                    )
                at += text.count(b"\n") + 1
        finally:
            store.close()
