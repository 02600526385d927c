"""`detente.update` and the coverage ledger against a GDELT mirror on 127.0.0.1, built from real rows.

The mirror serves a calendar of 15-minute exports cut from the real 2.0 export (2,111 rows), and
GDELT 1.0 daily files and backfiles made of the real April 2013 rows (3,542), with holes, 404s,
wrong MD5s, truncated, slow and stalled responses, and a list that grows between runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from gdelt_mirror import Site, in_scope, master_line, md5, serve, zipped

from detente import Store
from detente.coverage import coverage
from detente.scope import resolve_scope
from detente.sources.fetch import ProgressEvent
from detente.sources.gdelt import V2_COLUMNS
from detente.update import UpdateBusy, UpdateError, read_log, update

DAY = date(2019, 10, 24)
V2_REAL = "gdelt_events/20191024143000.export.CSV"
R_EXPORT = "gdelt_events/undp_georgia_extract_april13.csv"
KOREA = resolve_scope("korea")
#: 14 quarter hours of 2019-10-24 from 00:00; the last two appear in the list only on the second run
SLOTS = [f"20191024{h:02d}{m:02d}00" for h in range(4) for m in (0, 15, 30, 45)][:14]
NAMES = [f"{s}.export.CSV.zip" for s in SLOTS]
HOLE, GONE, BAD_MD5, CUT, REFUSED = 4, 6, 8, 9, 10  # indexes into SLOTS


def _chunks(lines: list[bytes], n: int) -> list[list[bytes]]:
    size = -(-len(lines) // n)
    return [lines[i * size : (i + 1) * size] for i in range(n)]


@pytest.fixture(scope="module")
def v2_files(data_dir: Path) -> list[list[bytes]]:
    """The real export's 2,111 lines cut into 14 consecutive files."""
    lines = (data_dir / V2_REAL).read_bytes().splitlines(keepends=True)
    assert len(lines) == 2111
    return _chunks(lines, len(SLOTS))


def _korea_rows(lines: list[bytes]) -> int:
    assert KOREA is not None
    return sum(in_scope(ln.decode().rstrip("\n").split("\t"), V2_COLUMNS, KOREA.countries) for ln in lines)


def _v2_site(site: Site, files: list[list[bytes]], listed: int) -> dict[str, bytes]:
    """Serve the first ``listed`` slots (less the hole) with their faults; returns name -> listed bytes."""
    bodies = {
        name: zipped(name.removesuffix(".zip"), b"".join(lines)) for name, lines in zip(NAMES, files, strict=True)
    }
    refused = io.BytesIO()  # a zip of two members: the store refuses the whole file
    with zipfile.ZipFile(refused, "w") as zf:
        for member, part in (("a.CSV", files[REFUSED][:10]), ("b.CSV", files[REFUSED][10:])):
            zf.writestr(zipfile.ZipInfo(member, date_time=(2019, 10, 24, 0, 0, 0)), b"".join(part))
    bodies[NAMES[REFUSED]] = refused.getvalue()
    shown = [n for i, n in enumerate(NAMES[:listed]) if i != HOLE]
    site.files["/gdeltv2/masterfilelist.txt"] = "".join(master_line(n, bodies[n]) + "\n" for n in shown).encode()
    for name in shown:
        body = bodies[name]
        if NAMES.index(name) == BAD_MD5:
            body = body[:-1] + bytes([body[-1] ^ 0xFF])
        if NAMES.index(name) != GONE:
            site.files[f"/gdeltv2/{name}"] = body
    return bodies


def _serve_plain(site: Site, files: list[list[bytes]], n: int) -> dict[str, bytes]:
    """List and serve the first ``n`` slots without faults; returns name -> bytes."""
    bodies = {name: zipped(name.removesuffix(".zip"), b"".join(files[i])) for i, name in enumerate(NAMES[:n])}
    site.files["/gdeltv2/masterfilelist.txt"] = "".join(master_line(k, b) + "\n" for k, b in bodies.items()).encode()
    site.files.update({f"/gdeltv2/{k}": b for k, b in bodies.items()})
    return bodies


def _zip_requests(site: Site) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for path, rng in site.requests:
        if path.endswith(".zip"):
            out.setdefault(path.rsplit("/", 1)[-1], []).append(rng)
    return out


def _gaps(home: Path, source: str = "gdelt2") -> list[tuple[str, str, tuple[str, ...]]]:
    store = Store(home)
    try:
        ledger = coverage(store)
    finally:
        store.close()
    part = next(s for s in ledger.sources if s.source == source)
    return [(g.reason, g.first, g.names) for g in part.gaps]


def _stored(home: Path) -> tuple[int, int, list[str]]:
    store = Store(home)
    try:
        n, distinct = store.con.sql("SELECT count(*), count(DISTINCT event_id) FROM events").fetchone()
        files = sorted(store.con.sql("SELECT file_name FROM ingests").fetchnumpy()["file_name"].tolist())
    finally:
        store.close()
    return n, distinct, files


@pytest.fixture
def mirror() -> Iterator[tuple[Site, str]]:
    site = Site(delay=0.02)  # every file answer is a little slow
    with serve(site) as base:
        yield site, base


def test_update_ledger_and_a_growing_list(
    mirror: tuple[Site, str], v2_files: list[list[bytes]], tmp_path: Path
) -> None:
    site, base = mirror
    home = tmp_path / "home"
    _v2_site(site, v2_files, listed=12)
    site.cut_after[f"/gdeltv2/{NAMES[CUT]}"], site.cuts_left[f"/gdeltv2/{NAMES[CUT]}"] = 1000, 2

    events: list[ProgressEvent] = []
    first = update(home, start=DAY, end=DAY, scope=KOREA, base_url=base, retries=1, backoff=0, progress=events.append)
    part = first.sources[0]
    by_name = {f.name: f for f in part.files}
    stored_now = [i for i in range(12) if i not in (HOLE, GONE, BAD_MD5, CUT, REFUSED)]
    assert sorted(n for n, f in by_name.items() if f.state == "ingested") == [NAMES[i] for i in stored_now]
    assert {by_name[NAMES[i]].state for i in (GONE, BAD_MD5, CUT, REFUSED)} == {
        "missing",
        "mismatch",
        "failed",
        "refused",
    }
    assert by_name[NAMES[REFUSED]].error == f"{NAMES[REFUSED]}: zip holds 2 files, expected 1"
    for i in stored_now:  # read = stored + quarantined + out of scope, per file, against the Python count
        f = by_name[NAMES[i]]
        assert (f.rows_read, f.rows_read + f.out_of_scope) == (_korea_rows(v2_files[i]), len(v2_files[i]))
        assert f.rows_stored + f.rows_quarantined == f.rows_read
    assert not first.ok and first.totals()["ingested"] == 7
    assert events[-1].kind == "rows" and events[-1].rows_done == sum(len(v2_files[i]) for i in stored_now)
    assert events[-1].files_done == 11  # every listed file of the day was settled
    n, distinct, files = _stored(home)
    assert n == distinct == sum(by_name[NAMES[i]].rows_stored for i in stored_now)
    assert files == [NAMES[i] for i in stored_now]

    # the ledger names exactly the holes, each with its reason; October is 7/12 covered
    assert _gaps(home) == [
        ("not listed upstream", "2019-10-24T01:00", ("2019-10-24T01:00",)),
        ("missing upstream", "2019-10-24T01:30", (NAMES[GONE],)),
        ("checksum mismatch", "2019-10-24T02:00", (NAMES[BAD_MD5],)),
        ("fetch failed", "2019-10-24T02:15", (NAMES[CUT],)),
        ("refused at ingest", "2019-10-24T02:30", (NAMES[REFUSED],)),
    ]
    store = Store(home)
    try:
        ledger = coverage(store)
    finally:
        store.close()
    assert [(m.month, m.expected, m.held) for m in ledger.sources[0].months] == [("2019-10", 12, 7)]
    assert ledger.months_with_gaps() == ["2019-10"] and ledger.sources[0].scopes == {KOREA.key: 7}
    assert ledger.gaps_table().num_rows == 5 and ledger.months_table().column("has_gaps").to_pylist() == [True]

    # the list grows by two files, the 404 is served now and the cut transfer goes through
    _v2_site(site, v2_files, listed=14)
    site.files[f"/gdeltv2/{NAMES[GONE]}"] = zipped(NAMES[GONE].removesuffix(".zip"), b"".join(v2_files[GONE]))
    site.cuts_left.clear()
    site.requests.clear()
    second = update(home, end=DAY, retries=1, backoff=0)
    asked = _zip_requests(site)
    # only what is new and the holes that can heal; stored files are never asked for again
    assert sorted(asked) == sorted([NAMES[GONE], NAMES[BAD_MD5], NAMES[CUT], NAMES[12], NAMES[13]])
    assert asked[NAMES[CUT]] == ["bytes=2000-"]  # the partial copy of the cut file is resumed
    assert second.sources[0].count("ingested") == 5 - 1  # GONE, CUT, 12, 13 (BAD_MD5 is still wrong)
    assert second.ok  # the mismatch and the refused file are defects upstream: gaps, not a failed run
    assert _gaps(home) == [
        ("not listed upstream", "2019-10-24T01:00", ("2019-10-24T01:00",)),
        ("checksum mismatch", "2019-10-24T02:00", (NAMES[BAD_MD5],)),
        ("refused at ingest", "2019-10-24T02:30", (NAMES[REFUSED],)),
    ]
    n2, distinct2, files2 = _stored(home)
    assert n2 == distinct2 and len(files2) == 11

    # nothing new: only the list and the one healable hole are asked for; nothing is stored twice
    site.requests.clear()
    third = update(home, end=DAY, retries=0, backoff=0)
    assert sorted(_zip_requests(site)) == [NAMES[BAD_MD5]]
    assert third.sources[0].count("ingested") == 0 and _stored(home) == (n2, distinct2, files2)
    assert third.lines()[0].startswith("gdelt2: 0 new files")


def test_configuration_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(UpdateError, match=r"the first update needs its first day \(--since YYYY-MM-DD\)"):
        update(tmp_path / "home")
    with pytest.raises(UpdateError, match="unknown source gdelt3; known: gdelt2, gdelt1"):
        update(tmp_path / "home", sources=["gdelt3"], start=DAY)


def test_widening_the_scope_is_said_plainly(
    mirror: tuple[Site, str], v2_files: list[list[bytes]], tmp_path: Path
) -> None:
    site, base = mirror
    _serve_plain(site, v2_files, 2)
    home = tmp_path / "home"
    update(home, start=DAY, end=DAY, scope=resolve_scope(countries="KOR,PRK"), base_url=base, backoff=0)
    again = update(home, end=DAY, scope=KOREA, backoff=0)
    assert again.notes == [
        (
            "scope widened from KOR,PRK to CHN,JPN,KOR,PRK,RUS,USA: files already stored keep only the rows of"
            " KOR,PRK; `detente ingest --countries CHN,JPN,KOR,PRK,RUS,USA <home>/downloads/<source>` reads them"
            " again and stores only the rows they do not hold yet"
        )
    ]
    log = read_log(home)
    assert {fact["scope"] for fact in log.values()} == {"KOR,PRK"}


def _r_rows(data_dir: Path) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO((data_dir / R_EXPORT).read_text("utf-8"))))[1:]
    assert len(rows) == 3542
    return [["" if v == "NA" else v.strip() for v in r[1:]] for r in rows]  # R row name dropped


def test_gdelt1_backfiles_and_daily_files(mirror: tuple[Site, str], data_dir: Path, tmp_path: Path) -> None:
    """A yearly and a monthly backfile (57 fields) and daily files (58), from the real April 2013 rows."""
    site, base = mirror
    rows = _r_rows(data_dir)
    parts = _chunks(["\t".join(r).encode() + b"\n" for r in rows], 4)
    cut = [b"\t".join(p.split(b"\t")[:57]) + b"\n" for p in parts[0] + parts[1]]  # no SOURCEURL in backfiles
    files = {
        "2005.zip": zipped("2005.csv", b"".join(cut[: len(parts[0])])),
        "201303.zip": zipped("201303.csv", b"".join(cut[len(parts[0]) :])),
        "20130401.export.CSV.zip": zipped("20130401.export.CSV", b"".join(parts[2])),
        "20130403.export.CSV.zip": zipped("20130403.export.CSV", b"".join(parts[3])),
    }  # 20130402 is a hole: GDELT lists no file for it
    listed = ["GDELT.MASTERREDUCEDV2.1979-2013.zip", *files]
    body = {n: files.get(n, b"reduced") for n in listed}
    site.files["/events/md5sums"] = "".join(f"{md5(body[n])}  {n}\n" for n in listed).encode()
    site.files["/events/filesizes"] = "".join(f"{len(body[n])} {n}\n" for n in listed).encode()
    site.files.update({f"/events/{n}": b for n, b in files.items()})
    links = "".join(f'<li><a href="{n}">{n}</a></li>' for n in ["md5sums", "filesizes", *listed])
    site.files["/events/index.html"] = f"<html><body><ul>{links}</ul></body></html>".encode()
    home = tmp_path / "home"
    report = update(home, sources=["gdelt1"], start=date(2005, 1, 1), end=date(2013, 4, 3), base_url=base, backoff=0)
    outcomes = {f.name: f for f in report.sources[0].files}
    assert sorted(outcomes) == sorted(files) and {f.state for f in outcomes.values()} == {"ingested"}
    assert sum(f.rows_read for f in outcomes.values()) == 3542 and report.ok and report.notes == []
    assert (home / "downloads" / "gdelt1" / ".index.html").is_file()
    store = Store(home)
    try:
        urls = dict(store.con.sql("SELECT source_file, count(url) FROM events GROUP BY 1").fetchall())
        formats = set(store.con.sql("SELECT DISTINCT format FROM ingests").fetchall())
        ledger = coverage(store)
    finally:
        store.close()
    assert formats == {("gdelt1",)}
    assert urls == {"2005.zip": 0, "201303.zip": 0, "20130401.export.CSV.zip": len(parts[2]),
                    "20130403.export.CSV.zip": len(parts[3])}  # fmt: skip
    gaps = [(g.reason, g.first, g.last, g.units) for g in ledger.sources[0].gaps]
    # 2006-01 .. 2013-02: 86 monthly backfiles not on this mirror's list; 2013-04-02: no daily file
    assert gaps == [
        ("not listed upstream", "2006-01-01", "2013-02-01", 86),
        ("not listed upstream", "2013-04-02", "2013-04-02", 1),
    ]
    months = {m.month: (m.expected, m.held) for m in ledger.sources[0].months}
    assert months["2005-06"] == (1, 1) and months["2010-01"] == (1, 0) and months["2013-04"] == (3, 2)
    assert len(months) == 12 * 8 + 3 + 1  # 2005-01 .. 2013-04


_CHILD = textwrap.dedent(
    """
    import sys
    from datetime import date
    from detente.update import update
    update(sys.argv[1], start=date(2019, 10, 24), end=date(2019, 10, 24), base_url=sys.argv[2],
           connections=1, retries=0, backoff=0)
    """
)


def test_a_killed_update_resumes_and_a_second_one_is_refused(
    mirror: tuple[Site, str], v2_files: list[list[bytes]], tmp_path: Path
) -> None:
    site, base = mirror
    bodies = _serve_plain(site, v2_files, 6)
    stalled = NAMES[3]
    half = len(bodies[stalled]) // 2
    site.stall[f"/gdeltv2/{stalled}"] = half
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(home), base], env=env, stderr=subprocess.PIPE)
    try:
        assert site.stalled.wait(60), "the update never reached the stalled file"
        log = home / "update" / "files.jsonl"
        deadline = time.monotonic() + 60
        while sum('"state": "stored"' in ln for ln in log.read_text().splitlines()) < 3:  # files 0-2 stored
            assert time.monotonic() < deadline and child.poll() is None, "files before the stall were not stored"
            time.sleep(0.05)
        with pytest.raises(UpdateBusy, match=rf"another update is running on {home} \(pid {child.pid}\)"):
            update(home, end=DAY)
        child.send_signal(signal.SIGKILL)  # killed in the middle of a download
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)  # reaps it and closes its pipe
    assert child.returncode == -signal.SIGKILL
    part = home / "downloads" / "gdelt2" / f"{stalled}.part"
    assert part.read_bytes() == bodies[stalled][:half]
    n, distinct, files = _stored(home)
    assert files == NAMES[:3] and n == distinct
    # the ledger of the killed run: the rest of the list is not fetched yet, as one run of slots
    assert _gaps(home) == [("not fetched yet", "2019-10-24T00:45", tuple(NAMES[3:6]))]

    site.release.set()
    site.requests.clear()
    again = update(home, end=DAY, retries=0, backoff=0)
    asked = _zip_requests(site)
    assert asked == {stalled: [f"bytes={half}-"], NAMES[4]: [None], NAMES[5]: [None]}
    assert [f.name for f in again.sources[0].files] == NAMES[3:6] and again.ok
    n, distinct, files = _stored(home)
    assert files == NAMES[:6] and n == distinct == sum(len(v2_files[i]) for i in range(6)) - _quarantined(home)
    assert not part.exists()
    state = json.loads((home / "update" / "state.json").read_text())
    assert state["runs"]["gdelt2"]["through"] == "2019-10-24"


def _quarantined(home: Path) -> int:
    store = Store(home)
    try:
        return store.con.sql("SELECT count(*) FROM quarantine").fetchone()[0]
    finally:
        store.close()


def test_cli_update_then_coverage(mirror: tuple[Site, str], v2_files: list[list[bytes]], tmp_path: Path) -> None:
    """``detente update`` stores the scoped rows and ``detente coverage`` names the hole.

    A second update adds nothing.
    """
    from typer.testing import CliRunner

    from detente.cli import app

    site, base = mirror
    _serve_plain(site, v2_files, 3)
    del site.files[f"/gdeltv2/{NAMES[1]}"]  # listed, but gone upstream
    env = {"DETENTE_HOME": str(tmp_path / "home")}
    args = ["update", "--since", "2019-10-24", "--until", "2019-10-24", "--scope", "korea", "--base-url", base]
    first = CliRunner().invoke(app, args, env=env)
    assert first.exit_code == 0, first.output  # a file missing upstream is a gap, not a failed run
    assert "gdelt2: 2 new files" in first.output and "1 missing upstream" in first.output
    assert "new as of 2019-10-24" in first.output  # the alert rules ran on the updated data
    again = CliRunner().invoke(app, [*args[:-2], "--base-url", base], env=env)
    assert "gdelt2: 0 new files" in again.output
    gaps = CliRunner().invoke(app, ["coverage", "--source", "gdelt2", "-f", "json"], env=env)
    assert gaps.exit_code == 0, gaps.output
    rows = json.loads(gaps.stdout[gaps.stdout.index("[") :])
    assert [(r["reason"], r["first"]) for r in rows if r["reason"] == "missing upstream"] == [
        ("missing upstream", "2019-10-24T00:15")
    ]
    _, distinct, files = _stored(tmp_path / "home")
    assert files == [NAMES[0], NAMES[2]]
    assert distinct == _korea_rows(v2_files[0]) + _korea_rows(v2_files[2])
    bad = CliRunner().invoke(app, ["update", "--scope", "nowhere"], env=env)
    assert bad.exit_code == 2 and "Traceback" not in bad.output
