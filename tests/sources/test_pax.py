"""PA-X reader: the real v10 agreements table, quoted newlines, other versions, bad records, fuzzing."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.base import SourceError
from detente.sources.detect import detect
from detente.sources.pax import AGREEMENT_SCHEMA, PROVISIONS, PaxReader
from detente.store import IngestReport

PAX = "pax_peace_agreements/pax_all_agreements_v10.csv"
KOREA = {  # PROVENANCE.md table: AgtId -> Dat
    1232: date(1991, 12, 13), 1231: date(1992, 1, 20), 1960: date(1993, 6, 11), 223: date(1994, 10, 21),
    541: date(2000, 6, 15), 2074: date(2005, 9, 29), 1073: date(2007, 10, 4), 2104: date(2018, 4, 27),
    2106: date(2018, 6, 12), 2105: date(2018, 9, 19),
}  # fmt: skip


@pytest.fixture(scope="module")
def loaded(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, IngestReport]]:
    """A store with the real PA-X file ingested (read-only for the tests using it)."""
    store = Store(tmp_path_factory.mktemp("pax") / "home")
    report = store.ingest(data_dir / PAX)
    yield store, report
    store.close()


@pytest.fixture(scope="module")
def table(data_dir: Path) -> list[list[str]]:
    """The real file as parsed CSV rows (header first), to build variants from."""
    return list(csv.reader(io.StringIO((data_dir / PAX).read_text("utf-8"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), "utf-8", newline="")
    return path


def test_real_file_counts(loaded: tuple[Store, IngestReport]) -> None:
    store, report = loaded
    assert (report.status, report.format, report.source) == ("ingested", "pax", "pax")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2257, 2257, 0)
    agreements = store.table("agreements")
    assert agreements.count().execute() == 2257
    assert agreements.AgtId.nunique().execute() == 2257
    agtp = dict(agreements.group_by("Agtp").aggregate(n=agreements.count()).execute().values.tolist())
    assert agtp == {"Intra": 1489, "IntraLocal": 396, "InterIntra": 278, "Inter": 94}
    assert agreements.Dat.min().execute().date() == date(1990, 2, 15)
    assert agreements.Dat.max().execute().date() == date(2025, 12, 27)
    assert store.events().count().execute() == 0


def test_korea_agreements(loaded: tuple[Store, IngestReport]) -> None:
    con = loaded[0].con
    rows = con.execute(
        "SELECT AgtId, Dat FROM agreements WHERE Con LIKE '%Korea%' OR Loc1ISO IN ('PRK', 'KOR')"
        " OR Loc2ISO IN ('PRK', 'KOR') OR Loc1GWNO IN (731, 732) OR Loc2GWNO IN (731, 732) ORDER BY Dat"
    ).fetchall()
    assert dict(rows) == KOREA
    assert [r[0] for r in rows] == [1232, 1231, 1960, 223, 541, 2074, 1073, 2104, 2106, 2105]


def test_panmunjom_declaration_values(loaded: tuple[Store, IngestReport]) -> None:
    con = loaded[0].con
    # line 20183: North Korea/South Korea,Territory,84,North Korea - South Korea interstate process,Asia and
    #   Pacific,2104,2,"Panmunjom Declaration for Peace, Prosperity and Unification of the Korean Peninsula",
    #   2018-04-27,Multiparty signed/agreed,3,7430,Inter,Pre,Conf,"Moon Jae‐in, President, Republic of Korea;
    #   Kim Jong Un, ...",,"general mention of all previous agreements ...",PRK,KOR,731,732,235,NA,NA,151,No,0,0,...
    cols = (
        "Con, Contp, PP, Reg, Ver, Agt, Dat, Lgt, N_characters, Agtp, Stage, StageSub, ThrdPart, Loc1ISO, Loc2ISO,"
        " Loc1GWNO, Loc2GWNO, UcdpCon, UcdpAgr, PamAgr, CowWar, Interim, ImSrc, source_line, extra_columns"
    )
    row = con.execute(f"SELECT {cols} FROM agreements WHERE AgtId = 2104").fetchone()
    assert row == (
        "North Korea/South Korea", "Territory", 84, "Asia and Pacific", 2,
        "Panmunjom Declaration for Peace, Prosperity and Unification of the Korean Peninsula",
        date(2018, 4, 27), 3, 7430, "Inter", "Pre", "Conf", None, "PRK", "KOR", 731, 732, 235, None, None, 151,
        False, 0, 20183, None,
    )  # fmt: skip
    part = con.execute("SELECT Part FROM agreements WHERE AgtId = 2104").fetchone()[0]
    assert part.startswith("Moon Jae‐in, President, Republic of Korea;\nKim Jong Un, Chairman")
    # provision values from PROVENANCE.md's example column for 2104
    prov = con.execute(
        "SELECT StUni, Civso, Dev, DevSoc, DevInfra, LaCH, LaCHPro, SsrGua, Ce, CeProv, CeGen, SsrDdr, DdrDemil,"
        " TjNR, GRef, PpsGe_St, ImE FROM agreements WHERE AgtId = 2104"
    ).fetchone()
    assert prov == (1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0)


def test_quoted_newlines_and_types(loaded: tuple[Store, IngestReport]) -> None:
    con = loaded[0].con
    # line 7: Colombia,...,168,...,"VIRGILIO BARCO \n\nPresident of the Republic \n\n... Commander of the M-19",...
    # the record spans 25 physical lines, so the next agreement (589, The Toncontin Agreement) starts at line 32
    lines = dict(
        con.execute("SELECT AgtId, source_line FROM agreements WHERE AgtId IN (431, 295, 168, 589)").fetchall()
    )
    assert lines == {431: 2, 295: 4, 168: 7, 589: 32}
    part = con.execute("SELECT Part FROM agreements WHERE AgtId = 168").fetchone()[0]
    assert part.startswith("VIRGILIO BARCO \n\nPresident of the Republic \n\nRAFAEL PARDO RUEDA")
    assert part.endswith("ANTONIO NAVARRO WOLF \n\nCommander of the M-19") and part.count("\n") == 18
    # line 1470 (AgtId 469): UcdpAgr holds a 13-digit id
    assert con.execute("SELECT UcdpAgr FROM agreements WHERE AgtId = 469").fetchone() == (5171991032901,)
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE agreements)").fetchall())
    assert (types["AgtId"], types["Dat"], types["Interim"], types["UcdpAgr"]) == (
        "INTEGER",
        "DATE",
        "BOOLEAN",
        "BIGINT",
    )
    assert all(types[name.replace(":", "_")] == "TINYINT" for name in PROVISIONS)
    assert len(PROVISIONS) == 251 and len(AGREEMENT_SCHEMA) == 28 + 251 + 3
    top = con.execute("SELECT max(GREATEST(GCh, StDef, Ce, ImE, TjNR)) FROM agreements").fetchone()[0]
    assert top == 3


def test_reingest_is_unchanged(loaded: tuple[Store, IngestReport], data_dir: Path) -> None:
    store = loaded[0]
    again = store.ingest(data_dir / PAX)
    assert (again.status, again.rows_read, again.rows_stored) == ("unchanged", 2257, 2257)
    assert store.table("agreements").count().execute() == 2257


def test_other_version_loads_by_column_name(store: Store, table: list[list[str]], tmp_path: Path) -> None:
    header = table[0]
    drop = {header.index("GCh"), header.index("UcdpAgr")}
    rows = [[v for i, v in enumerate(r) if i not in drop] for r in table[:4]]
    rows = [[r[1], r[0], *r[2:], extra] for r, extra in zip(rows, ["NewCol", "7", "", "x"], strict=True)]
    report = store.ingest(_write(tmp_path / "pax_v11.csv", rows), reader=PaxReader())
    assert (report.status, report.rows_stored, report.rows_quarantined) == ("ingested", 3, 0)
    got = store.con.execute(
        "SELECT AgtId, Con, Contp, GCh, UcdpAgr, StDef, extra_columns FROM agreements ORDER BY source_line"
    ).fetchall()
    assert got[0] == (431, "Argentina/United Kingdom", "Territory", None, None, 1, '{"NewCol": "7"}')
    assert json.loads(got[1][6]) == {"NewCol": ""} and json.loads(got[2][6]) == {"NewCol": "x"}


def test_bad_records_are_quarantined_with_reasons(store: Store, table: list[list[str]], tmp_path: Path) -> None:
    header = table[0]
    first = [cell.replace("\n", " ") for cell in table[1]]  # AgtId 431, on one line

    def variant(**changes: str) -> list[str]:
        row = list(first)
        for name, value in changes.items():
            row[header.index(name)] = value
        return row

    rows = [
        header,
        first,
        variant(AgtId="9001", GCh="5"),
        variant(AgtId="9002", Dat="15/02/1990"),
        variant(AgtId="9003", PP="eighty"),
        variant(AgtId="9004", Interim="Maybe"),
        variant(AgtId=""),
        variant(AgtId="9005", Dat=""),
        first[:10],
        first,
        variant(AgtId="9006", Reg="MARKER"),
    ]
    path = _write(tmp_path / "pax.csv", rows)
    path.write_bytes(path.read_bytes().replace(b"MARKER", b"Cross\xffregional"))
    report = store.ingest(path, reader=PaxReader())
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (10, 1, 9)
    q = store.quarantine().execute()
    assert dict(zip(q.source_line, q.reason, strict=True)) == {
        3: "column GCh: expected 0-3, found '5'",
        4: "column Dat: unparseable date '15/02/1990' (expected YYYY-MM-DD)",
        5: "column PP: 'eighty' is not an integer",
        6: "column Interim: expected Yes or No, found 'Maybe'",
        7: "missing AgtId",
        8: "missing agreement date (Dat)",
        9: "expected 279 comma-separated fields (as in the header), found 10",
        10: "duplicate key AgtId=431 (first at line 2)",
        11: "invalid text encoding: byte 0xFF at column 75",
    }
    assert store.table("agreements").AgtId.execute().tolist() == [431]


def test_empty_and_wrong_files_fail_clearly(store: Store, data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=PaxReader())
    assert report.status == "failed" and "empty file" in report.error
    wrong = store.ingest(data_dir / "cow_mid/MIDI_5.01.csv", reader=PaxReader())
    assert wrong.status == "failed" and "not a PA-X agreements file (no AgtId, Dat column" in wrong.error
    with pytest.raises(SourceError, match="no Dat column"):
        PaxReader().read(_write(tmp_path / "x.csv", [["AgtId", "Agt"], ["1", "x"]]), duckdb.connect())
    with pytest.raises(SourceError, match="header repeats column"):
        PaxReader().read(_write(tmp_path / "y.csv", [["AgtId", "Dat", "PpsGe:St", "PpsGe_St"]]), duckdb.connect())
    assert detect(data_dir / PAX).name == "pax"
    assert isinstance(PaxReader.schema, pa.Schema)


def _csv_line(row: list[str]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="").writerow(row)
    return buf.getvalue().encode("utf-8")


_BAD_CELLS = ["4", "-1", "", "NA", "x", '"', "2020-13-01", "1990-02-15", "99999999999", "Yes", "a\nb"]


@st.composite
def _mutated(draw: st.DrawFn, rows: list[list[str]]) -> list[bytes]:
    """Header plus a few real records (possibly multi-line), some with a bad cell, some damaged as bytes."""
    out = [_csv_line(rows[0])]
    for i in draw(st.lists(st.integers(1, len(rows) - 1), min_size=1, max_size=5)):
        row = list(rows[i])
        kind = draw(st.sampled_from(["keep", "cell", "fields", "truncate", "insert"]))
        if kind == "cell":  # any column: ids, dates, flags or provisions
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(_BAD_CELLS))
        elif kind == "fields":
            row = row[:-1] if draw(st.booleans()) else [*row, "0"]
        rec = _csv_line(row)
        if kind == "truncate":
            rec = rec[: draw(st.integers(0, len(rec)))]
        elif kind == "insert":
            at = draw(st.integers(0, len(rec)))
            rec = rec[:at] + draw(st.binary(min_size=1, max_size=6)) + rec[at:]
        out.append(rec)
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_records_are_always_accounted(data: st.DataObject, table: list[list[str]]) -> None:
    damaged = data.draw(_mutated(table[:31]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pax.csv"
        path.write_bytes(b"\n".join(damaged) + b"\n")
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path, reader=PaxReader())
            assert report.status == "ingested", report.error
            assert report.balanced
            con = store.con
            q = con.execute(
                "SELECT count(*), count(DISTINCT source_line), min(length(reason)) FROM quarantine"
            ).fetchone()
            assert q[:2] == (report.rows_quarantined, report.rows_quarantined)
            assert report.rows_quarantined == 0 or q[2] > 0
            if report.rows_stored:
                stored = con.execute("SELECT count(DISTINCT source_line) FROM agreements").fetchone()[0]
                assert stored == report.rows_stored
        finally:
            store.close()
