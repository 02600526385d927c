"""Per-file accounting with scopes (issue 17, item 3) and duplicate checks that do not grow with the store
(issue 16, item 12), on the real GDELT 2.0 export of 2019-10-24 14:30 (2,111 rows)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from gdelt_mirror import in_scope
from typer.testing import CliRunner

from detente import Store
from detente.cli import app
from detente.scope import resolve_scope
from detente.sources.gdelt import V2_COLUMNS
from detente.store import _tree

KOREA = resolve_scope("korea")
KOREA_KEY = "CHN,JPN,KOR,PRK,RUS,USA"
ACCOUNT = "SELECT rows_read, rows_stored, rows_quarantined, rows_out_of_scope, scope FROM ingests"


@pytest.fixture
def export(data_dir: Path) -> Path:
    return data_dir / "gdelt_events" / "20191024143000.export.CSV"


def _rows_in(path: Path, countries: set[str]) -> int:
    """Records of the file in scope, counted from the raw fields (the mirror's own rule, not the reader)."""
    lines = path.read_text("utf-8").splitlines()
    return sum(in_scope(line.split("\t"), V2_COLUMNS, frozenset(countries)) for line in lines)


def _counts(store: Store) -> tuple[int, int, int]:
    """(events, distinct event ids, quarantined lines) in the store."""
    return (
        store.events().count().execute(),
        store.events().event_id.nunique().execute(),
        store.quarantine().count().execute(),
    )


def test_a_scoped_ingest_records_read_stored_quarantined_and_out_of_scope(store: Store, export: Path) -> None:
    report = store.ingest(export, scope=KOREA)
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined, report.rows_out_of_scope) == (
        "ingested", 2111, 1067, 0, 1044,
    )  # fmt: skip
    assert report.balanced and _rows_in(export, set(KOREA.countries)) == 1067
    assert store.con.execute(ACCOUNT).fetchall() == [(2111, 1067, 0, 1044, KOREA_KEY)]
    assert _counts(store) == (1067, 1067, 0)


def test_widening_the_scope_reads_again_and_stores_only_the_new_rows(store: Store, export: Path) -> None:
    assert store.ingest(export, scope=KOREA).rows_stored == 1067
    narrower = store.ingest(export, scope=resolve_scope(countries="KOR"))
    assert (narrower.status, narrower.rows_stored, narrower.rows_out_of_scope) == ("unchanged", 1067, 1044)
    both = _rows_in(export, {*KOREA.countries, "IND"})
    assert both == 1141  # 74 rows with India and none of the six
    wider = store.ingest(export, scope=resolve_scope(countries="IND,KOR"))  # overlaps: the union is kept
    assert (wider.status, wider.rows_read, wider.rows_stored, wider.rows_quarantined, wider.rows_out_of_scope) == (
        "ingested", 2111, both, 0, 2111 - both,
    )  # fmt: skip
    assert store.con.execute(ACCOUNT).fetchall() == [(2111, both, 0, 2111 - both, "CHN,IND,JPN,KOR,PRK,RUS,USA")]
    assert _counts(store) == (both, both, 0)  # nothing stored twice, nothing quarantined as a duplicate
    everything = store.ingest(export)  # no scope: every row
    assert (everything.status, everything.rows_stored, everything.rows_out_of_scope) == ("ingested", 2111, 0)
    assert store.con.execute(ACCOUNT).fetchall() == [(2111, 2111, 0, 0, None)]
    assert _counts(store) == (2111, 2111, 0)
    assert store.ingest(export).status == "unchanged"
    assert store.ingest(export, scope=KOREA).status == "unchanged"
    assert store.verify().ok and store.verify().rows == 2111
    dates = store.con.execute("SELECT CAST(date_min AS VARCHAR), CAST(date_max AS VARCHAR) FROM ingests").fetchone()
    assert dates == ("2018-10-24", "2019-10-24")


_KILL_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from detente import Store
    real_rename = Path.rename
    def rename_then_die(self, target):
        real_rename(self, target)
        os._exit(9)  # killed after the first file of the wider read was published, before the commit
    Path.rename = rename_then_die
    Store(sys.argv[1]).ingest(sys.argv[2])
    """
)


def test_a_killed_widening_leaves_the_narrow_ingest_as_it_was(tmp_path: Path, export: Path) -> None:
    home = tmp_path / "home"
    store = Store(home)
    assert store.ingest(export, scope=KOREA).rows_stored == 1067
    before = _tree(home)
    store.close()
    proc = subprocess.run([sys.executable, "-c", _KILL_SCRIPT, str(home), str(export)], check=False)
    assert proc.returncode == 9 and len(_tree(home)) > len(before)
    store = Store(home)  # recovery removes the unrecorded files of the interrupted publish, and only those
    assert _tree(home) == before and _counts(store) == (1067, 1067, 0)
    assert store.con.execute(ACCOUNT).fetchall() == [(2111, 1067, 0, 1044, KOREA_KEY)]
    assert store.ingest(export).rows_stored == 2111 and _counts(store) == (2111, 2111, 0)
    store.close()


def test_an_old_manifest_is_migrated_without_losing_a_row(tmp_path: Path, export: Path) -> None:
    """A manifest of the layout before decisions 084-085 (keys, no scope columns) opens with its rows kept."""
    home = tmp_path / "home"
    store = Store(home)
    assert store.ingest(export).rows_stored == 2111
    store.close()
    con = duckdb.connect(str(home / "detente.duckdb"))
    old = {
        "ingests": "ingest_id VARCHAR, source VARCHAR, format VARCHAR, table_name VARCHAR, path VARCHAR,"
        " file_name VARCHAR, size_bytes BIGINT, rows_read BIGINT, rows_stored BIGINT, rows_quarantined BIGINT,"
        " date_min DATE, date_max DATE, ingested_at TIMESTAMPTZ, seconds DOUBLE, PRIMARY KEY (ingest_id)",
        "ingest_files": "ingest_id VARCHAR, path VARCHAR, rows BIGINT, sha256 VARCHAR, PRIMARY KEY (path)",
    }
    for name, cols in old.items():
        kept = ", ".join(c.split()[0] for c in cols.split(", ") if not c.startswith("PRIMARY"))
        con.execute(f"CREATE TABLE old_{name} AS SELECT {kept} FROM {name}")
        con.execute(f"DROP TABLE {name}")
        con.execute(f"CREATE TABLE {name} ({cols})")
        con.execute(f"INSERT INTO {name} SELECT * FROM old_{name}")
        con.execute(f"DROP TABLE old_{name}")
    con.close()
    store = Store(home)
    assert store.con.execute(ACCOUNT).fetchall() == [(2111, 2111, 0, 0, None)]
    ranges = store.con.execute("SELECT id_min, id_max FROM ingest_files ORDER BY path").fetchall()
    assert ranges == [("gdelt2:881990832", "gdelt2:881990855"), ("gdelt2:881990856", "gdelt2:881992942")]
    assert store.ingest(export).status == "unchanged" and store.verify().ok
    store.close()
    with duckdb.connect(str(home / "detente.duckdb"), read_only=True) as con:
        keys = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")
        assert keys.fetchone() == (0,)
        assert con.execute("SELECT sum(rows) FROM ingest_files").fetchone() == (2111,)


def test_a_duplicate_check_reads_only_the_files_an_id_can_be_in(store: Store, export: Path, tmp_path: Path) -> None:
    """A file of new ids reads no stored file; one that repeats ids reads the file holding them, and is caught."""
    lines = export.read_text("utf-8").splitlines()
    new = tmp_path / "20191024144500.export.CSV"  # the same rows with ids shifted past every stored one
    new.write_text("".join(str(int(ln.split("\t", 1)[0]) + 10**9) + "\t" + ln.split("\t", 1)[1] + "\n" for ln in lines))
    repeat = tmp_path / "20191024150000.export.CSV"  # ten rows of the first file under a new name
    repeat.write_text("".join(ln + "\n" for ln in lines[100:110]))
    assert store.ingest(export).rows_stored == 2111
    assert store._colliding([("gdelt2", 2019, "gdelt2:1881990856", "gdelt2:1881992942")]) == []
    held = store._colliding([("gdelt2", 2019, "gdelt2:881991000", "gdelt2:881991010")])
    assert [p.relative_to(store.home).parts[:3] for p in held] == [("events", "source=gdelt2", "year=2019")]
    assert store.ingest(new).rows_stored == 2111
    again = store.ingest(repeat)
    assert (again.status, again.rows_read, again.rows_stored, again.rows_quarantined) == ("ingested", 10, 0, 10)
    reasons = store.quarantine().reason.to_pyarrow().to_pylist()
    assert len(reasons) == 10 and all("already stored from an earlier file" in r for r in reasons)
    assert _counts(store) == (4222, 4222, 10)


def test_sources_shows_out_of_scope_and_scope(tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(export), "--scope", "korea", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"rows_out_of_scope": 1044' in result.stdout
    result = runner.invoke(app, ["sources", "--format", "csv"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert {k: row[k] for k in ("rows_read", "rows_stored", "rows_quarantined", "rows_out_of_scope", "scope")} == {
        "rows_read": "2111", "rows_stored": "1067", "rows_quarantined": "0", "rows_out_of_scope": "1044",
        "scope": KOREA_KEY,
    }  # fmt: skip
    result = runner.invoke(app, ["ingest", str(export), "--countries", "KOR,XXX"])
    assert result.exit_code == 2 and "XXX" in result.output
