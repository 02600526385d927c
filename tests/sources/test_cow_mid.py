"""COW MID 5 readers: MIDIP events, MIDI/MIDA/MIDB side tables, bad records and fuzzed lines."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.base import SourceError
from detente.sources.cow_mid import MidipReader, MidiReader
from detente.sources.detect import detect
from detente.store import IngestReport

MIDIP = "cow_mid/MIDIP_5.01.csv"
MIDI = "cow_mid/MIDI_5.01.csv"
MIDA = "cow_mid/MIDA 5.0.csv"
MIDB = "cow_mid/MIDB 5.0.csv"
KOREAS = ("PRK", "KOR")


@pytest.fixture(scope="module")
def midip_lines(data_dir: Path) -> list[str]:
    return (data_dir / MIDIP).read_text("ascii").splitlines()


@pytest.fixture(scope="module")
def midi_lines(data_dir: Path) -> list[str]:
    return (data_dir / MIDI).read_text("ascii").splitlines()


@pytest.fixture(scope="module")
def loaded(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, IngestReport]]]:
    """One store with the four real MID files ingested (read-only for the tests using it)."""
    store = Store(tmp_path_factory.mktemp("mid") / "home")
    reports = {name: store.ingest(data_dir / name) for name in (MIDIP, MIDI, MIDA, MIDB)}
    yield store, reports
    store.close()


@pytest.fixture(scope="module")
def midip_events(loaded: tuple[Store, dict[str, IngestReport]]) -> pd.DataFrame:
    return loaded[0].events().execute().set_index("event_id")


def _write(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def _quarantine(store: Store) -> dict[int, str]:
    q = store.quarantine().execute()
    return dict(zip(q.source_line, q.reason, strict=True))


def test_midip_real_counts_and_korea(loaded: tuple[Store, dict[str, IngestReport]]) -> None:
    store, reports = loaded
    report = reports[MIDIP]
    assert (report.status, report.format, report.source) == ("ingested", "cow_midip", "cow_mid")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (9619, 9619, 0)
    ev = store.events()
    # one event per participant and opposing participant: 9619 lines -> 10274 events
    assert ev.count().execute() == 10274
    assert ev.event_id.nunique().execute() == 10274
    assert ev.filter(ev.actor2_country.isnull()).count().execute() == 0
    korea = ev.filter(ev.actor1_country.isin(KOREAS))
    assert korea.source_line.nunique().execute() == 484
    incidents = korea.event_id.split(":")[1]
    assert korea.select(i=incidents).i.nunique().execute() == 280
    by_state = dict(korea.group_by("actor1_code").aggregate(n=korea.source_line.nunique()).execute().values.tolist())
    assert by_state == {"PRK": 248, "ROK": 236}
    both = ev.filter(ev.actor1_country.isin(KOREAS) & ev.actor2_country.isin(KOREAS))
    assert both.select(i=both.event_id.split(":")[1]).i.nunique().execute() == 204
    assert set(ev.date_precision.execute()) == {"day", "month", "year"}
    assert ev.filter(ev.actor1_country.isnull()).count().execute() == 0


def test_midip_cheonan_incident(midip_events: pd.DataFrame) -> None:
    df = midip_events
    # line 6117: 4483,4483019,PRK,731,26,3,2010,26,3,2010,1,0,0,0,16,4,2,0,5,4483019   (sinking of the Cheonan)
    prk = df.loc["cow_mid:4483019:731:732"]
    assert prk.source_line == 6117
    assert (prk.date.date(), prk.date_precision) == (date(2010, 3, 26), "day")
    assert (prk.actor1_code, prk.actor1_country, prk.actor2_code, prk.actor2_country) == ("PRK", "PRK", "ROK", "KOR")
    assert (prk.event_code, prk.quad_class, prk.goldstein) == ("190", 4, pytest.approx(-10.0))
    assert (prk.original_type, prk.category, prk.fatalities) == ("Attack", "militarized_incident", 0)
    assert prk.description == (
        "MID 4483 incident 4483019: PRK attack (side A); hostility level 4 (use of force);"
        " fatality level 0 (none, precisely 0); ends 2010-03-26"
    )
    # line 6118: 4483,4483019,ROK,732,26,3,2010,26,3,2010,0,1,2,46,0,1,0,0,5,4483019   (46 South Korean deaths)
    rok = df.loc["cow_mid:4483019:732:731"]
    assert (rok.source_line, rok.fatalities, rok.original_type) == (6118, 46, "No militarized action")
    assert rok.event_code is None and rok.category is None
    assert "fatality level 2 (26-100 deaths, precisely 46)" in rok.description


def test_midip_dates_and_many_opponents(midip_events: pd.DataFrame) -> None:
    df = midip_events
    # line 584: 4019,4019001,PRK,731,-9,4,1995,-9,4,1995,1,1,0,0,16,4,4,0,5,4019001   (stday -9 -> month)
    r = df.loc["cow_mid:4019001:731:710"]
    assert (r.source_line, r.date.date(), r.date_precision, r.actor2_country) == (584, date(1995, 4, 1), "month", "CHN")
    assert r.description.endswith("ends 1995-04")
    # line 8934: 4685,4685007,LIB,620,4,7,2011,4,7,2011,0,0,0,0,0,1,0,0,5,4685006  (side B against 29 states)
    libya = df[df.source_line == 8934]
    assert len(libya) == 29 and set(libya.actor1_country) == {"LBY"}
    assert libya.actor2_country.nunique() == 29


def test_side_tables(loaded: tuple[Store, dict[str, IngestReport]]) -> None:
    store, reports = loaded
    counts = {r.format: (r.status, r.rows_read, r.rows_stored, r.rows_quarantined) for r in reports.values()}
    assert counts == {
        "cow_midip": ("ingested", 9619, 9619, 0),
        "cow_midi": ("ingested", 4482, 4482, 0),
        "cow_mida": ("ingested", 2436, 2436, 0),
        "cow_midb": ("ingested", 5883, 5883, 0),
    }
    con = store.con
    # MIDI line 2785: 4483,4483019,26,3,2010,26,3,2010,1,4,2,46,16,4,1,5,4483019
    row = con.execute(
        "SELECT dispnum, styear, stmon, stday, tbi, fatality, fatalpre, action, hostlev, numa, source_line, source"
        " FROM mid_incidents WHERE incidnum = 4483019"
    ).fetchall()
    assert row == [(4483, 2010, 3, 26, 4, 2, 46, 16, 4, 1, 2785, "cow_mid")]
    # -9 (missing) is stored as null: 456 MIDI rows have fatality -9
    assert con.execute("SELECT count(*) FROM mid_incidents WHERE fatality IS NULL").fetchone() == (456,)
    assert con.execute("SELECT count(*) FROM mid_incidents WHERE fatality = -9").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM mid_dispute_participants WHERE ccode IN (731, 732)").fetchone() == (122,)
    korean_disputes = con.execute(
        "SELECT count(*) FROM mid_disputes WHERE dispnum IN"
        " (SELECT dispnum FROM mid_dispute_participants WHERE ccode IN (731, 732))"
    ).fetchone()
    assert korean_disputes == (90,)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)


def test_reingest_is_unchanged(loaded: tuple[Store, dict[str, IngestReport]], data_dir: Path) -> None:
    store, _ = loaded
    again = store.ingest(data_dir / MIDIP)
    assert (again.status, again.rows_read, again.rows_stored) == ("unchanged", 9619, 9619)
    assert store.events().count().execute() == 10274
    assert store.ingest(data_dir / MIDI).status == "unchanged"
    assert store.table("mid_incidents").count().execute() == 4482


def test_midip_bad_records(store: Store, midip_lines: list[str], tmp_path: Path) -> None:
    lines: list[str | bytes] = [
        midip_lines[0],
        midip_lines[6116],  # line 6117, PRK in the Cheonan incident
        midip_lines[6117],  # line 6118, ROK
        "4483,4483019,ROK,732,26,3,2010,26,3,2010,0,1,2,46,0,1,0,0,5",
        "4483,4483020,ROK,732,26,x,2010,26,3,2010,0,1,2,46,0,1,0,0,5,4483020",
        "4483,4483021,ROK,732,26,13,2010,26,3,2010,0,1,2,46,0,1,0,0,5,4483021",
        "4483,4483022,ROK,732,26,3,2010,26,3,2010,0,1,2,46,25,1,0,0,5,4483022",
        "4483,4483023,ROK,732,26,3,2010,26,3,2010,2,1,2,46,0,1,0,0,5,4483023",
        b"4483,4483024,R\xe9K,732,26,3,2010,26,3,2010,0,1,2,46,0,1,0,0,5,4483024",
        "4483,4483025,ROK,732,-9,-9,2010,-9,-9,2010,1,1,-9,-9,7,3,0,0,5,4483025",
        "4483,4483026,ROK,732,26,3,2010,26,3,2010,1,1,0,99999999999,7,3,0,0,5,4483026",
    ]
    report = store.ingest(_write(tmp_path / "midip.csv", lines), reader=MidipReader())
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (10, 3, 7)
    assert _quarantine(store) == {
        4: "expected 20 comma-separated fields, found 19",
        5: "column stmon: 'x' is not an integer",
        6: "impossible start date 2010-13-26",
        7: "unknown MID action code 25 (not in cow_mid_cameo.csv)",
        8: "insidea must be 0 or 1, found 2",
        9: "invalid text encoding: byte 0xE9 at column 15",
        11: "column fatalpre: '99999999999' is out of the 32-bit integer range",
    }
    # line 10: start day and month missing -> year precision; alone in its incident -> no actor2
    ev = store.events().execute().set_index("event_id")
    lone = ev.loc["cow_mid:4483025:732"]
    assert (lone.date.date(), lone.date_precision, lone.actor2_code) == (date(2010, 1, 1), "year", None)
    assert pd.isna(lone.fatalities)
    assert "fatality level -9 (missing)" in lone.description


def test_empty_and_wrong_files_fail_clearly(store: Store, data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=MidipReader())
    assert report.status == "failed" and "empty file" in report.error
    wrong = store.ingest(data_dir / MIDI, reader=MidipReader())
    assert wrong.status == "failed" and "not a COW MIDIP file" in wrong.error
    with pytest.raises(SourceError, match="not a COW MIDI incident file"):
        MidiReader().read(data_dir / MIDIP, duckdb.connect())
    assert [detect(data_dir / n).name for n in (MIDIP, MIDI, MIDA, MIDB)] == [
        "cow_midip", "cow_midi", "cow_mida", "cow_midb",
    ]  # fmt: skip


@st.composite
def _mutated(draw: st.DrawFn, lines: list[str]) -> list[str | bytes]:
    """Header plus a few real lines (from one area of the file), some damaged."""
    start = draw(st.integers(1, len(lines) - 30))
    out: list[str | bytes] = [lines[0]]
    for i in draw(st.lists(st.integers(start, start + 25), min_size=1, max_size=8)):
        line = lines[i].encode()
        fields = line.split(b",")
        kind = draw(st.sampled_from(["keep", "truncate", "insert", "fields", "value"]))
        if kind == "truncate":
            line = line[: draw(st.integers(0, len(line)))]
        elif kind == "insert":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(st.binary(min_size=1, max_size=6)) + line[at:]
        elif kind == "fields":
            line = b",".join(fields[:-1] if draw(st.booleans()) else [*fields, b"0"])
        elif kind == "value":
            at = draw(st.integers(0, len(fields) - 1))
            fields[at] = draw(st.sampled_from([b"-9", b"0", b"13", b"99", b"", b"x", b"2147483648", b"-1"]))
            line = b",".join(fields)
        out.append(line)
    return out


def _check_accounting(lines: list[str | bytes], reader: MidipReader | MidiReader) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "mid.csv", lines)
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path, reader=reader)
            assert report.status == "ingested", report.error
            assert report.balanced
            con = store.con
            q = con.execute(
                "SELECT count(*), count(DISTINCT source_line), min(length(reason)) FROM quarantine"
            ).fetchone()
            assert q[:2] == (report.rows_quarantined, report.rows_quarantined)
            assert report.rows_quarantined == 0 or q[2] > 0
            if report.rows_stored:
                stored = con.execute(f"SELECT count(DISTINCT source_line) FROM {reader.table}").fetchone()[0]
                assert stored == report.rows_stored
        finally:
            store.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_midip_lines_are_always_accounted(data: st.DataObject, midip_lines: list[str]) -> None:
    _check_accounting(data.draw(_mutated(midip_lines)), MidipReader())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_midi_lines_are_always_accounted(data: st.DataObject, midi_lines: list[str]) -> None:
    _check_accounting(data.draw(_mutated(midi_lines)), MidiReader())


def test_a_later_file_with_stored_keys_is_quarantined_not_doubled(store: Store, data_dir: Path, tmp_path: Path) -> None:
    lines = (data_dir / MIDA).read_text("ascii").splitlines()
    assert store.ingest(data_dir / MIDA).rows_stored == 2436
    new = lines[1].split(",")
    new[0] = "99999"  # a dispute number MID 5 does not use
    revised = [lines[0], *lines[1:4], ",".join(new), ",".join(new)]
    report = store.ingest(_write(tmp_path / "MIDA revised.csv", revised))
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined) == ("ingested", 5, 1, 4)
    first = [int(x.split(",")[0]) for x in lines[1:4]]
    assert _quarantine(store) == {
        2: f"key dispnum={first[0]} already stored from an earlier file",
        3: f"key dispnum={first[1]} already stored from an earlier file",
        4: f"key dispnum={first[2]} already stored from an earlier file",
        6: "duplicate key dispnum=99999 (first at line 5)",
    }
    disputes = store.table("mid_disputes").execute()
    assert len(disputes) == 2437 and disputes.dispnum.is_unique


def test_midb_rejoined_participants_are_distinct_keys(loaded: tuple[Store, dict[str, IngestReport]]) -> None:
    store, reports = loaded
    assert reports[MIDB].rows_quarantined == 0
    rows = store.table("mid_dispute_participants").execute()
    assert len(rows) == 5883 and rows.duplicated(["dispnum", "ccode"]).sum() == 29
