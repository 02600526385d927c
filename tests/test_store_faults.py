"""A store that never destroys data (issue 16, items 1-4, 6, 7): each fault caused for real on real files.

The GDELT 2.0 export of 2019-10-24 14:30 (``data/gdelt_events``, 2,111 rows: 24 of 2018, 2,087 of
2019) is ingested, then the store is damaged the way an operator or a crash would damage it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from detente import Store
from detente.store import StoreError

GDELT2 = "20191024143000.export.CSV"
ROWS = 2111


def _tree(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for top in ("events", "tables", "quarantine")
                  for p in (home / top).rglob("*.parquet"))


@pytest.fixture
def gdelt(data_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of the real export."""
    copy = tmp_path / GDELT2
    shutil.copyfile(data_dir / "gdelt_events" / GDELT2, copy)
    return copy


@pytest.fixture
def home(tmp_path: Path, gdelt: Path) -> Path:
    """A store holding the real export, closed."""
    home = tmp_path / "home"
    store = Store(home)
    assert store.ingest(gdelt).rows_stored == ROWS
    store.close()
    return home


def _events(home: Path) -> int:
    store = Store(home)
    try:
        return int(store.events().count().execute())
    finally:
        store.close()


# -- 1. a missing manifest -------------------------------------------------------------------------


def test_missing_manifest_refuses_to_open_and_repair_rebuilds_it(home: Path, gdelt: Path) -> None:
    files = _tree(home)
    (home / "detente.duckdb").unlink()
    with pytest.raises(
        StoreError, match="manifest detente.duckdb is missing but the tree holds 2 Parquet files"
    ) as err:
        Store(home)
    assert "\n" not in str(err.value)
    assert _tree(home) == files  # today: every file deleted
    done = Store.repair(home)
    assert done == [
        f"recorded ingest {files[0].split('/')[-1][:16]} of {GDELT2}: 2 file(s), {ROWS:,} rows stored, 0 quarantined"
    ]
    store = Store(home)
    assert store.events().count().execute() == ROWS
    assert store.verify().ok
    assert store.ingest(gdelt).status == "unchanged"  # the 16-digit id of the tree still recognises the file
    store.close()


def test_unknown_files_are_moved_to_the_trash_never_deleted(home: Path, data_dir: Path) -> None:
    foreign = home / "events" / "source=mine" / "notes.parquet"
    foreign.parent.mkdir(parents=True)
    shutil.copyfile(next((home / "events").rglob("*.parquet")), foreign)
    store = Store(home)
    assert not foreign.exists()
    trashed = list((home / "_trash").rglob("notes.parquet"))
    assert len(trashed) == 1 and trashed[0].read_bytes() == next((home / "events").rglob("*.parquet")).read_bytes()
    assert len(store.notices) == 1 and "moved 1 file(s) unknown to the manifest to" in store.notices[0]
    assert store.events().count().execute() == ROWS
    store.close()


# -- 3. damage is noticed ---------------------------------------------------------------------------


def test_verify_names_a_deleted_file_and_reingest_restores_it(home: Path, gdelt: Path) -> None:
    gone = next(f for f in _tree(home) if "year=2019" in f)
    (home / gone).unlink()
    store = Store(home)
    assert store.events().count().execute() == 24  # the 2018 file is all that is left
    check = store.verify()
    assert check.problems == (f"missing: {gone} (2,087 rows of {GDELT2})",)
    report = store.ingest(gdelt)  # today: "unchanged", the 2,087 rows lost for good
    assert (report.status, report.rows_stored) == ("ingested", ROWS)
    assert store.events().count().execute() == ROWS
    assert store.verify().ok
    assert store.ingests().count().execute() == 1
    store.close()


def test_a_truncated_parquet_file_is_skipped_reported_and_verified(home: Path, data_dir: Path) -> None:
    damaged = next(f for f in _tree(home) if "year=2019" in f)
    path = home / damaged
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    store = Store(home)  # today: every events command fails with a traceback
    assert store.damaged == [damaged]
    assert store.notices == [f"skipped damaged file {damaged} (see Store.verify)"]
    assert store.events().count().execute() == 24
    assert store.verify().problems == (f"damaged: {damaged} is not a whole Parquet file ({GDELT2})",)
    other = store.ingest(data_dir / "gdelt_events" / "undp_georgia_extract_april13.csv")  # another file still goes in
    assert other.status == "ingested" and other.balanced and other.rows_stored > 0
    store.close()


def test_verify_finds_a_changed_byte_by_its_checksum(home: Path) -> None:
    target = home / next(f for f in _tree(home) if "year=2018" in f)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    store = Store(home)
    problems = store.verify().problems
    assert len(problems) == 1 and problems[0].startswith("checksum: events/source=gdelt2/year=2018/")
    store.close()


# -- 2. a file that changes while it is read ---------------------------------------------------------


def test_a_file_truncated_during_its_read_is_refused(tmp_path: Path, gdelt: Path, data_dir: Path) -> None:
    store = Store(tmp_path / "home")
    whole = gdelt.read_bytes()

    def truncate(stage: str) -> None:
        if stage.startswith("reading"):  # after the hash, before the parse
            with open(gdelt, "r+b") as fh:
                fh.truncate(len(whole) // 2)

    report = store.ingest(gdelt, on_stage=truncate)
    assert report.status == "failed" and "changed while it was read" in report.error
    assert store.ingests().count().execute() == 0 and _tree(store.home) == []
    gdelt.write_bytes(whole)  # the complete file, later: today "unchanged", half of it lost for good
    again = store.ingest(gdelt)
    assert (again.status, again.rows_stored) == ("ingested", ROWS)
    store.close()


# -- 4. every per-file fault is a failed report, and the batch goes on -------------------------------


def test_a_csv_field_over_128_kib_fails_that_file_only(store: Store, tmp_path: Path, gdelt: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text('"' + "x" * (200 * 1024) + '",b\n1,2\n', encoding="utf-8")
    reports = [store.ingest(p) for p in (wide, gdelt)]
    assert reports[0].status == "failed"
    assert reports[0].error == "csv.Error: field larger than field limit (131072)"
    assert (reports[1].status, reports[1].rows_stored) == ("ingested", ROWS)


_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from detente import Store
    store = Store(sys.argv[1])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
    for path in sys.argv[2:]:
        r = store.ingest(path)
        print(r.status, r.rows_stored, r.error or "")
    """
)


def test_a_write_fault_fails_that_file_and_the_batch_goes_on(tmp_path: Path, gdelt: Path) -> None:
    small = tmp_path / "small.export.CSV"
    small.write_bytes(b"\n".join(gdelt.read_bytes().split(b"\n")[2000:2005]) + b"\n")
    out = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(tmp_path / "home"), str(gdelt), str(small)],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("failed 0 ") and "Error" in lines[0]
    assert lines[1] == "ingested 5 "
    assert _events(tmp_path / "home") == 5  # the failed file left nothing behind


# -- 6. a second process ----------------------------------------------------------------------------


_SLOW_INGEST = textwrap.dedent(
    """
    import sys, time
    from detente import Store
    store = Store(sys.argv[1])
    def pause(stage):
        if stage == "validating":
            print("ingesting", flush=True)
            time.sleep(60)
    store.ingest(sys.argv[2], on_stage=pause)
    """
)


def test_readers_work_while_another_process_ingests_and_a_second_writer_is_refused(
    home: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today the second process gets a 70-line DuckDB lock traceback for every command."""
    writer = subprocess.Popen(
        [
            sys.executable, "-c", _SLOW_INGEST, str(home),
            str(data_dir / "gdelt_events" / "undp_georgia_extract_april13.csv"),
        ],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ingesting"
        monkeypatch.setenv("DETENTE_LOCK_WAIT", "0.5")
        store = Store(home)  # a reader, while the other process holds the store and is mid-ingest
        assert store.events().count().execute() == ROWS
        assert store.ingests().count().execute() == 1
        report = store.ingest(data_dir / "acled_events" / "explosions_remote_violence.csv")
        assert report.status == "failed"
        assert report.error == (
            f"another process (PID {writer.pid}) is writing to the store {home}: wait for it to finish, then try again"
        )
        store.close()
    finally:
        writer.kill()
        writer.wait()
        assert writer.stdout is not None
        writer.stdout.close()
    store = Store(home)  # the killed ingest left nothing behind
    assert store.ingests().count().execute() == 1 and store.verify().ok
    store.close()


def test_a_file_held_open_by_another_program_is_a_one_line_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(60)",
         str(home / "detente.duckdb")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("DETENTE_LOCK_WAIT", "0.5")
        with pytest.raises(StoreError, match=rf"in use by another process \(PID {holder.pid}\): wait") as err:
            Store(home)
        assert "\n" not in str(err.value)
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


# -- 7. a compressed ingest killed mid-way ----------------------------------------------------------

_KILLED_UNZIP = textwrap.dedent(
    """
    import os, sys, tempfile
    tempfile.tempdir = sys.argv[3]
    from detente import Store
    from detente.sources import gdelt
    def die(*args, **kwargs):
        os._exit(9)  # killed while the decompressed copy is being read
    gdelt._read_tab = die
    Store(sys.argv[1]).ingest(sys.argv[2])
    """
)


def test_a_killed_compressed_ingest_leaves_no_copy_for_ever(
    tmp_path: Path, gdelt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    zipped = tmp_path / f"{GDELT2}.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(gdelt, GDELT2)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_UNZIP, str(tmp_path / "home"), str(zipped), str(tmp)], check=False
    )
    assert killed.returncode == 9
    left = [p for p in tmp.iterdir() if p.name.startswith("detente-gdelt-")]
    assert len(left) == 1 and (left[0] / "export.csv").stat().st_size == gdelt.stat().st_size
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    store = Store(tmp_path / "home")
    report = store.ingest(zipped)  # the next run cleans up after the dead one
    assert (report.status, report.rows_stored) == ("ingested", ROWS)
    assert list(tmp.iterdir()) == []
    store.close()
    assert os.path.isdir(tmp)


def test_store_verify_and_repair_commands(home: Path) -> None:
    from typer.testing import CliRunner

    from detente.cli import app

    env = {"DETENTE_HOME": str(home)}

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["store", *args], env=env)
        return result.exit_code, result.output

    assert run("verify") == (0, f"ok {2} Parquet files, {ROWS:,} rows checked\n")
    (home / "detente.duckdb").unlink()
    code, out = run("verify")
    assert code == 1 and out.count("\n") == 1 and out.startswith("error ") and "Store.repair" in out
    events = CliRunner().invoke(app, ["events"], env=env)  # any command: one line, not a traceback
    assert events.exit_code == 1 and events.output.startswith("error ") and "Traceback" not in events.output
    code, out = run("repair")
    assert code == 0 and out.startswith("recorded ingest ")
    assert run("repair")[1].strip() == "nothing to repair: every file in the tree is in the manifest"
    assert run("verify")[0] == 0
