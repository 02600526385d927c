"""GDELT downloader: a real HTTP server on 127.0.0.1 serves zips built from the real export file."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx2
import pytest
from gdelt_mirror import Site, master_line, md5, serve, zipped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.fetch import FetchReport, ProgressEvent, fetch_gdelt

REAL = "gdelt_events/20191024143000.export.CSV"
DAY = date(2019, 10, 24)
FULL = "20191024143000.export.CSV.zip"  # the real file, whole
OTHER = "20191025000000.export.CSV.zip"  # a slice of it
SLICES = {  # file name -> (first, last) line slice of the real file
    "20191024144500.export.CSV.zip": (0, 40),
    "20191025000000.export.CSV.zip": (40, 80),
    "20191023234500.export.CSV.zip": (80, 120),
    "20191026000000.export.CSV.zip": (120, 160),
}


@pytest.fixture(scope="module")
def zips(data_dir: Path) -> dict[str, bytes]:
    """Export zips: the whole real file and four slices of its lines."""
    raw = (data_dir / REAL).read_bytes()
    lines = raw.splitlines(keepends=True)
    out = {FULL: zipped(FULL.removesuffix(".zip"), raw)}
    for name, (a, b) in SLICES.items():
        out[name] = zipped(name.removesuffix(".zip"), b"".join(lines[a:b]))
    return out


def master_list(zips: dict[str, bytes]) -> bytes:
    """Export lines for every zip, plus mentions/gkg lines that must be skipped."""
    lines = [master_line(name, data) for name, data in sorted(zips.items())]
    lines += [
        master_line("20191024143000.mentions.CSV.zip", b"m"),
        master_line("20191024143000.gkg.csv.zip", b"g"),
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def server() -> Iterator[tuple[Site, str]]:
    """A threading HTTP server on 127.0.0.1; yields the site state and its base URL."""
    site = Site()
    with serve(site) as base:
        yield site, base


@pytest.fixture
def gdelt2(server: tuple[Site, str], zips: dict[str, bytes]) -> tuple[Site, str]:
    """The server with a GDELT 2.0 layout: gdeltv2/masterfilelist.txt and the export zips."""
    site, base = server
    site.files["/gdeltv2/masterfilelist.txt"] = master_list(zips)
    for name, data in zips.items():
        site.files[f"/gdeltv2/{name}"] = data
    return site, base


def fetch(base: str, dest: Path, start: date = DAY, end: date = DAY, **kw: object) -> FetchReport:
    kw.setdefault("backoff", 0)
    return fetch_gdelt(start, end, dest, base_url=base, **kw)  # type: ignore[arg-type]


def statuses(report: FetchReport) -> dict[str, str]:
    return {f.name: f.status for f in report.files}


# -- selection, bytes, progress ------------------------------------------------------------------
def test_downloads_the_days_export_files_byte_for_byte(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    events: list[ProgressEvent] = []
    report = fetch(base, tmp_path, progress=events.append)

    assert report.ok and report.error is None and report.problems_total == 0
    assert statuses(report) == {FULL: "downloaded", "20191024144500.export.CSV.zip": "downloaded"}
    for name in statuses(report):
        assert (tmp_path / name).read_bytes() == zips[name]
    # the files and the local copy of the master list, no .part left
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*statuses(report), ".masterfilelist.txt"])
    assert (tmp_path / ".masterfilelist.txt").read_bytes() == master_list(zips)
    # only the list and the two files were requested: mentions/gkg and other days were not
    assert sorted(p for p, _ in site.requests) == [
        "/gdeltv2/20191024143000.export.CSV.zip",
        "/gdeltv2/20191024144500.export.CSV.zip",
        "/gdeltv2/masterfilelist.txt",
    ]
    assert report.lines_listed == 7  # 5 exports + mentions + gkg
    expected = len(zips[FULL]) + len(zips["20191024144500.export.CSV.zip"])
    assert report.bytes_downloaded == expected
    plan = [e for e in events if e.kind == "plan"]
    assert [(e.files_total, e.bytes_total) for e in plan] == [(2, expected)]
    assert sum(e.nbytes for e in events if e.kind == "bytes") == expected
    assert sum(e.nbytes for e in events if e.kind == "list") == len(master_list(zips))
    assert [e.result.status for e in events if e.kind == "file" and e.result] == ["downloaded", "downloaded"]


@pytest.mark.parametrize("connections", [1, 3])
def test_files_are_fetched_in_parallel_over_a_bounded_number_of_connections(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path, connections: int
) -> None:
    site, base = gdelt2
    names = [f"20191024{h:02d}0000.export.CSV.zip" for h in range(8)]
    lines = (site.files["/gdeltv2/20191024144500.export.CSV.zip"]).splitlines(keepends=True)
    for name in names:
        site.files[f"/gdeltv2/{name}"] = zipped(name.removesuffix(".zip"), b"".join(lines))
    site.files["/gdeltv2/masterfilelist.txt"] = "".join(
        master_line(n, site.files[f"/gdeltv2/{n}"]) + "\n" for n in [*names, FULL]
    ).encode()
    site.delay = 0.15
    events: list[ProgressEvent] = []
    report = fetch(base, tmp_path, progress=events.append, connections=connections)
    assert report.ok and [f.name for f in report.files] == sorted([*names, FULL])
    assert site.most_active == connections
    for f in report.files:
        assert (tmp_path / f.name).read_bytes() == site.files[f"/gdeltv2/{f.name}"]
    # progress: running totals on every event; the last file event closes the plan
    plan = next(e for e in events if e.kind == "plan")
    assert plan.names == tuple(sorted([*names, FULL])) and plan.files_done == 0
    last = [e for e in events if e.kind == "file"][-1]
    assert (last.files_done, last.bytes_done, last.eta) == (9, plan.bytes_total, 0.0)
    assert last.rate > 0
    assert [e.files_done for e in events if e.kind == "file"] == list(range(1, 10))


def test_connections_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="connections must be >= 1"):
        fetch_gdelt(DAY, DAY, tmp_path, connections=0)


# -- the master list: a local copy, updated by its tail ------------------------------------------
def _long_list(zips: dict[str, bytes]) -> bytes:
    """The master list after a year of other files (about 10 KB), so a local copy is worth reusing."""
    days = [(m, d) for m in (1, 2, 3) for d in range(1, 29)]
    older = [master_line(f"2018{m:02d}{d:02d}000000.export.CSV.zip", bytes([m, d])) for m, d in days]
    return ("\n".join(older) + "\n").encode() + master_list(zips)


def test_the_master_list_copy_is_updated_by_its_new_tail(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    first_list = _long_list({k: v for k, v in zips.items() if k != OTHER})
    site.files["/gdeltv2/masterfilelist.txt"] = first_list
    assert fetch(base, tmp_path, DAY, date(2019, 10, 25)).count("downloaded") == 2
    # GDELT appends the next file's line; the next run asks only for the bytes after its copy
    new_list = first_list + (master_line(OTHER, zips[OTHER]) + "\n").encode()
    site.files["/gdeltv2/masterfilelist.txt"] = new_list
    site.requests.clear()
    events: list[ProgressEvent] = []
    again = fetch(base, tmp_path, DAY, date(2019, 10, 25), progress=events.append)
    skip = len(first_list) - 4096
    assert [r for r in site.requests if r[0].endswith(".txt")] == [("/gdeltv2/masterfilelist.txt", f"bytes={skip}-")]
    assert sum(e.nbytes for e in events if e.kind == "list") == len(new_list) - skip
    fetched = len(new_list) - skip
    assert again.notes == [f"masterfilelist.txt: {fetched:,} bytes fetched, {skip:,} reused from the local copy"]
    assert statuses(again) == {FULL: "present", "20191024144500.export.CSV.zip": "present", OTHER: "downloaded"}
    assert (tmp_path / ".masterfilelist.txt").read_bytes() == new_list
    assert again.lines_listed == fetch(base, tmp_path / "fresh", DAY, date(2019, 10, 25)).lines_listed == 91


@pytest.mark.parametrize("change", ["rewritten", "shorter", "no ranges"])
def test_a_master_list_that_is_not_an_extension_is_fetched_whole(
    change: str, gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    first_list = _long_list(zips)
    site.files["/gdeltv2/masterfilelist.txt"] = first_list
    fetch(base, tmp_path)
    new_list = {
        "rewritten": first_list.replace(b"20180328000000", b"20180328001500"),  # a line near the end changed
        "shorter": master_list(zips),
        "no ranges": first_list + (master_line("20191024150000.export.CSV.zip", b"x") + "\n").encode(),
    }[change]
    site.files["/gdeltv2/masterfilelist.txt"] = new_list
    site.ranges = change != "no ranges"
    site.requests.clear()
    again = fetch(base, tmp_path)
    asked = [r[1] for r in site.requests if r[0].endswith(".txt")]
    assert asked == ([f"bytes={len(first_list) - 4096}-"] + ([] if change == "no ranges" else [None]))
    assert (tmp_path / ".masterfilelist.txt").read_bytes() == new_list
    assert again.notes == [
        f"masterfilelist.txt: {len(new_list):,} bytes fetched, the server does not send ranges"
        if change == "no ranges"
        else "masterfilelist.txt: the local copy is not a prefix of the list any more; fetched whole"
    ]
    assert again.lines_listed == new_list.count(b"\n")


@pytest.mark.parametrize(
    ("start", "end", "names"),
    [
        (date(2019, 10, 23), date(2019, 10, 23), ["20191023234500"]),
        (date(2019, 10, 24), date(2019, 10, 25), ["20191024143000", "20191024144500", "20191025000000"]),
        (
            date(2019, 10, 23),
            date(2019, 10, 26),
            ["20191023234500", "20191024143000", "20191024144500", "20191025000000", "20191026000000"],
        ),
        (date(2019, 10, 27), date(2019, 12, 31), []),
    ],
)
def test_selects_files_by_the_timestamp_in_their_name(
    gdelt2: tuple[Site, str], tmp_path: Path, start: date, end: date, names: list[str]
) -> None:
    site, base = gdelt2
    report = fetch(base, tmp_path, start, end)
    assert report.error is None
    assert [f.name.split(".")[0] for f in report.files] == names
    assert len(site.file_requests()) == len(names)
    if not names:
        assert report.notes == ["no export files are listed between 2019-10-27 and 2019-12-31"]


def test_bad_arguments_are_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="after end"):
        fetch_gdelt(date(2020, 1, 2), date(2020, 1, 1), tmp_path)
    with pytest.raises(ValueError, match="version must be 1 or 2"):
        fetch_gdelt(DAY, DAY, tmp_path, version=3)


# -- skip, resume, restart ---------------------------------------------------------------------
def test_present_files_are_verified_and_skipped(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    assert fetch(base, tmp_path).ok
    site.requests.clear()
    events: list[ProgressEvent] = []
    again = fetch(base, tmp_path, progress=events.append)
    assert set(statuses(again).values()) == {"present"}
    assert site.file_requests() == []
    assert again.bytes_downloaded == 0
    assert sum(e.nbytes for e in events if e.kind == "bytes") == len(zips[FULL]) + len(
        zips["20191024144500.export.CSV.zip"]
    )

    # a damaged copy is not trusted: it is fetched again
    (tmp_path / FULL).write_bytes(b"damaged")
    third = fetch(base, tmp_path)
    assert statuses(third)[FULL] == "downloaded"
    assert (tmp_path / FULL).read_bytes() == zips[FULL]
    assert third.notes == [
        f"{FULL}: the existing copy failed verification (size 7 bytes, expected {len(zips[FULL])});"
        " fetched again"
    ]


def test_interrupted_transfer_resumes_with_range(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    path, cut = f"/gdeltv2/{FULL}", 100_000
    site.cut_after[path], site.cuts_left[path] = cut, 1

    first = fetch(base, tmp_path, retries=0)
    result = {f.name: f for f in first.files}[FULL]
    assert result.status == "failed" and not first.ok
    assert "RemoteProtocolError" in (result.error or "") and "partial copy is kept" in (result.error or "")
    assert (tmp_path / f"{FULL}.part").read_bytes() == zips[FULL][:cut]
    assert not (tmp_path / FULL).exists()

    site.requests.clear()
    second = fetch(base, tmp_path, retries=0)
    result = {f.name: f for f in second.files}[FULL]
    assert result.status == "downloaded"
    assert (result.resumed_from, result.received) == (cut, len(zips[FULL]) - cut)
    assert (path, f"bytes={cut}-") in site.requests
    assert (tmp_path / FULL).read_bytes() == zips[FULL]
    assert not (tmp_path / f"{FULL}.part").exists()


def test_a_cut_transfer_is_retried_and_resumed_in_the_same_run(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    path = f"/gdeltv2/{FULL}"
    site.cut_after[path], site.cuts_left[path] = 50_000, 2
    result = {f.name: f for f in fetch(base, tmp_path, retries=2).files}[FULL]
    assert (result.status, result.attempts, result.resumed_from) == ("downloaded", 3, 100_000)
    assert [r for p, r in site.requests if p == path] == [None, "bytes=50000-", "bytes=100000-"]
    assert (tmp_path / FULL).read_bytes() == zips[FULL]


def test_server_without_range_support_restarts_the_file(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    site.ranges = False
    (tmp_path / f"{FULL}.part").write_bytes(zips[FULL][:1000])
    events: list[ProgressEvent] = []
    result = {f.name: f for f in fetch(base, tmp_path, progress=events.append).files}[FULL]
    assert (result.status, result.resumed_from, result.received) == ("downloaded", 0, len(zips[FULL]))
    assert (tmp_path / FULL).read_bytes() == zips[FULL]
    full_bytes = sum(e.nbytes for e in events if e.kind == "bytes" and e.name == FULL)
    assert full_bytes == len(zips[FULL])  # the discarded 1000 bytes were subtracted again


def test_a_stale_partial_copy_is_dropped_and_fetched_again(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    (tmp_path / f"{FULL}.part").write_bytes(b"x" * 1000)  # same length, other bytes
    result = {f.name: f for f in fetch(base, tmp_path).files}[FULL]
    assert (result.status, result.attempts, result.resumed_from) == ("downloaded", 2, 0)
    assert [r for p, r in site.requests if p == f"/gdeltv2/{FULL}"] == ["bytes=1000-", None]
    assert (tmp_path / FULL).read_bytes() == zips[FULL]


# -- errors -------------------------------------------------------------------------------------
def test_checksum_mismatch_removes_the_file_and_reports_it(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    good = zips[FULL]
    bad = good[:-1] + bytes([good[-1] ^ 0xFF])  # same size, last byte flipped
    site.files[f"/gdeltv2/{FULL}"] = bad
    report = fetch(base, tmp_path)
    result = {f.name: f for f in report.files}[FULL]
    assert result.status == "mismatch" and not report.ok
    assert result.error == f"MD5 {md5(bad)}, expected {md5(good)}; file removed"
    assert result.attempts == 1
    assert not (tmp_path / FULL).exists() and not (tmp_path / f"{FULL}.part").exists()
    assert statuses(report)["20191024144500.export.CSV.zip"] == "downloaded"  # the others go on

    site.files[f"/gdeltv2/{FULL}"] = good + b"extra"
    longer = {f.name: f for f in fetch(base, tmp_path).files}[FULL]
    assert longer.status == "mismatch"
    assert longer.error == f"size {len(good) + 5} bytes, expected {len(good)}; file removed"

    # the server's copy is shorter than our partial one: HTTP 416, restart, then a size mismatch
    site.files[f"/gdeltv2/{FULL}"] = good[:500]
    (tmp_path / f"{FULL}.part").write_bytes(good[:1000])
    site.requests.clear()
    shorter = {f.name: f for f in fetch(base, tmp_path).files}[FULL]
    assert (shorter.status, shorter.attempts) == ("mismatch", 2)
    assert shorter.error == f"size 500 bytes, expected {len(good)}; file removed"
    assert [r for p, r in site.requests if p == f"/gdeltv2/{FULL}"] == ["bytes=1000-", None]
    assert not (tmp_path / f"{FULL}.part").exists()


def test_a_partial_copy_longer_than_listed_is_dropped(
    gdelt2: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = gdelt2
    (tmp_path / f"{FULL}.part").write_bytes(zips[FULL] + b"junk")
    result = {f.name: f for f in fetch(base, tmp_path).files}[FULL]
    assert (result.status, result.attempts, result.resumed_from) == ("downloaded", 1, 0)
    assert [r for p, r in site.requests if p == f"/gdeltv2/{FULL}"] == [None]
    assert (tmp_path / FULL).read_bytes() == zips[FULL]


def test_missing_file_is_reported_as_404(gdelt2: tuple[Site, str], tmp_path: Path) -> None:
    site, base = gdelt2
    del site.files[f"/gdeltv2/{FULL}"]
    report = fetch(base, tmp_path)
    result = {f.name: f for f in report.files}[FULL]
    assert result.status == "missing" and result.attempts == 1
    assert result.error == f"{base}gdeltv2/{FULL}: not found (HTTP 404)"
    assert statuses(report)["20191024144500.export.CSV.zip"] == "downloaded"


def test_missing_master_list_is_a_clear_error(server: tuple[Site, str], tmp_path: Path) -> None:
    _site, base = server
    report = fetch(base, tmp_path)
    assert report.error == f"{base}gdeltv2/masterfilelist.txt: not found (HTTP 404)"
    assert report.files == [] and not report.ok


def test_connection_refused_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = fetch(f"http://127.0.0.1:{port}/", tmp_path, retries=1)
    assert report.error is not None
    assert report.error.startswith(f"http://127.0.0.1:{port}/gdeltv2/masterfilelist.txt: ConnectError:")
    assert "Connection refused" in report.error and report.error.endswith("(gave up after 2 attempts)")


def test_malformed_master_list_lines_are_reported_by_line_number(
    server: tuple[Site, str], zips: dict[str, bytes], tmp_path: Path
) -> None:
    site, base = server
    half = "20191024144500.export.CSV.zip"
    lines = [
        master_line(FULL, zips[FULL]),  # 1 good
        "150383 297a16b493de7cf6ca809a7cc31d0b93",  # 2 no url
        f"12x {md5(b'')} http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip",  # 3 bad size
        "",  # 4 blank: ignored
        f"{len(zips[half])} nothex http://data.gdeltproject.org/gdeltv2/{half}",  # 5 in range, bad md5
        f"10 {md5(b'')} http://data.gdeltproject.org/gdeltv2/20191324000000.export.CSV.zip",  # 6 month 13
        f"1 {md5(b'z')} http://data.gdeltproject.org/gdeltv2/{FULL}",  # 7 contradicts line 1
        f"x y http://data.gdeltproject.org/gdeltv2/{OTHER}",  # 8 in range, malformed ...
        master_line(OTHER, zips[OTHER]),  # 9 ... but listed properly here
    ]
    site.files["/gdeltv2/masterfilelist.txt"] = "\r\n".join(lines).encode()
    site.files[f"/gdeltv2/{FULL}"] = zips[FULL]
    site.files[f"/gdeltv2/{OTHER}"] = zips[OTHER]
    report = fetch(base, tmp_path, end=date(2019, 10, 25))
    assert report.error is None and report.lines_listed == 2 and report.problems_total == 6
    assert [(p.line, p.reason) for p in report.problems] == [
        (2, "expected 3 space-separated fields (size md5 url), found 2"),
        (3, "size '12x' is not a whole number"),
        (5, "md5 'nothex' is not 32 hex digits"),
        (6, "file '20191324000000.export.CSV.zip' has an impossible timestamp '20191324000000'"),
        (7, f"conflicts with line 1 for {FULL}; line 1 kept"),
        (8, "size 'x' is not a whole number"),
    ]
    assert statuses(report) == {half: "failed", FULL: "downloaded", OTHER: "downloaded"}
    assert len(report.files) == 3
    assert {f.name: f.error for f in report.files}[
        half
    ] == "masterfilelist.txt line 5: md5 'nothex' is not 32 hex digits"
    assert not (tmp_path / half).exists()


def test_a_page_that_is_not_a_file_list_is_a_clear_error(server: tuple[Site, str], tmp_path: Path) -> None:
    site, base = server
    site.files["/gdeltv2/masterfilelist.txt"] = b"<html>\n<body>Moved</body>\n</html>\n"
    report = fetch(base, tmp_path)
    assert report.error == (
        "masterfilelist.txt: not a GDELT file list (no valid line; line 1: "
        "expected 3 space-separated fields (size md5 url), found 1)"
    )


# The first lines of GDELT's live masterfilelist.txt, as printed in linwoodc3/gdeltPyR
# notebook/earlyConceptsnFunctionality.md (sizes and MD5s are GDELT's own).
REAL_MASTER_HEAD = """\
150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip
318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip
10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip
149211 2a91041d7e72b0fc6a629e2ff867b240 http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip
339037 dec3f427076b716a8112b9086c342523 http://data.gdeltproject.org/gdeltv2/20150218231500.mentions.CSV.zip
10269336 2f1a504a3c4558694ade0442e9a5ae6f http://data.gdeltproject.org/gdeltv2/20150218231500.gkg.csv.zip
149723 12268e821823aae2da90882621feda18 http://data.gdeltproject.org/gdeltv2/20150218233000.export.CSV.zip
357229 744acad14559f2781a8db67715d63872 http://data.gdeltproject.org/gdeltv2/20150218233000.mentions.CSV.zip
11279827 66b03e2efd7d51dabf916b1666910053 http://data.gdeltproject.org/gdeltv2/20150218233000.gkg.csv.zip
158842 a5298ce3c6df1a8a759c61b5c0b6f8bb http://data.gdeltproject.org/gdeltv2/20150218234500.export.CSV.zip
374528 dd322c888f28311aca2c735468405551 http://data.gdeltproject.org/gdeltv2/20150218234500.mentions.CSV.zip
11212939 cd20f295649b214dd16666ca451b9994 http://data.gdeltproject.org/gdeltv2/20150218234500.gkg.csv.zip
362610 c4268d558bb22c02b3c132c17818c68b http://data.gdeltproject.org/gdeltv2/20150219000000.export.CSV.zip
"""


def test_reads_gdelts_real_master_list_lines(server: tuple[Site, str], tmp_path: Path) -> None:
    site, base = server
    site.files["/gdeltv2/masterfilelist.txt"] = REAL_MASTER_HEAD.encode()
    report = fetch(base, tmp_path, date(2015, 2, 18), date(2015, 2, 18))
    assert report.error is None and report.lines_listed == 13 and report.problems_total == 0
    # 150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip
    # ... and three more 2015-02-18 exports; 20150219000000 is the next day. None is served here: 404.
    assert [(f.name, f.size, f.md5, f.status) for f in report.files] == [
        ("20150218230000.export.CSV.zip", 150383, "297a16b493de7cf6ca809a7cc31d0b93", "missing"),
        ("20150218231500.export.CSV.zip", 149211, "2a91041d7e72b0fc6a629e2ff867b240", "missing"),
        ("20150218233000.export.CSV.zip", 149723, "12268e821823aae2da90882621feda18", "missing"),
        ("20150218234500.export.CSV.zip", 158842, "a5298ce3c6df1a8a759c61b5c0b6f8bb", "missing"),
    ]
    assert report.files[0].url == f"{base}gdeltv2/20150218230000.export.CSV.zip"  # not data.gdeltproject.org


# -- GDELT 1.0 --------------------------------------------------------------------------------
@pytest.fixture
def gdelt1(server: tuple[Site, str], zips: dict[str, bytes]) -> tuple[Site, str, dict[str, bytes]]:
    """GDELT 1.0 layout: events/md5sums, events/filesizes and daily zips (content from the slices)."""
    site, base = server
    daily = {
        "20191023.export.CSV.zip": zips["20191023234500.export.CSV.zip"],
        "20191024.export.CSV.zip": zips[FULL],
        "20191025.export.CSV.zip": zips["20191025000000.export.CSV.zip"],
    }
    names = ["GDELT.MASTERREDUCEDV2.1979-2013.zip", "1979.zip", "200601.zip", *sorted(daily)]
    body = {n: daily.get(n, n.encode()) for n in names}
    site.files["/events/md5sums"] = "".join(f"{md5(body[n])}  {n}\n" for n in names).encode()
    site.files["/events/filesizes"] = "".join(f"{len(body[n])} {n}\n" for n in names).encode()
    for name, data in daily.items():
        site.files[f"/events/{name}"] = data
    return site, base, daily


def test_gdelt1_daily_files_use_md5sums_and_filesizes(
    gdelt1: tuple[Site, str, dict[str, bytes]], tmp_path: Path
) -> None:
    _site, base, daily = gdelt1
    report = fetch(base, tmp_path, date(2019, 10, 24), date(2019, 10, 25), version=1)
    assert report.ok and report.lists == [f"{base}events/md5sums", f"{base}events/filesizes"]
    assert statuses(report) == {
        "20191024.export.CSV.zip": "downloaded",
        "20191025.export.CSV.zip": "downloaded",
    }
    assert [f.size for f in report.files] == [
        len(daily["20191024.export.CSV.zip"]),
        len(daily["20191025.export.CSV.zip"]),
    ]
    for name in statuses(report):
        assert (tmp_path / name).read_bytes() == daily[name]
    assert report.lines_listed == 12 and report.problems_total == 0

    # the lists are kept next to the files, like the 2.0 master list
    assert (tmp_path / ".md5sums").read_bytes() == _site.files["/events/md5sums"]
    assert (tmp_path / ".filesizes").read_bytes() == _site.files["/events/filesizes"]


@pytest.mark.parametrize(
    ("start", "end", "names"),
    [
        (date(1979, 6, 1), date(1979, 6, 1), ["1979.zip"]),
        (date(2005, 12, 31), date(2006, 1, 1), ["200601.zip"]),  # 2005.zip is not listed here
        (date(1979, 12, 31), date(2006, 1, 31), ["1979.zip", "200601.zip"]),
        (date(2006, 2, 1), date(2019, 10, 23), ["20191023.export.CSV.zip"]),
    ],
)
def test_gdelt1_backfiles_are_selected_by_the_year_or_month_they_cover(
    gdelt1: tuple[Site, str, dict[str, bytes]], tmp_path: Path, start: date, end: date, names: list[str]
) -> None:
    site, base, _daily = gdelt1
    for name in ("1979.zip", "200601.zip"):
        site.files[f"/events/{name}"] = name.encode()  # the body the fixture's lists describe
    report = fetch(base, tmp_path, start, end, version=1)
    assert report.ok and report.notes == []
    assert [f.name for f in report.files] == names
    for name in names:
        assert (tmp_path / name).read_bytes() == site.files[f"/events/{name}"]
    # the reduced master file (GDELT.MASTERREDUCEDV2.1979-2013.zip) is another format: never selected
    assert not any("MASTERREDUCED" in p for p, _ in site.requests)


def test_the_index_page_adds_the_files_neither_list_names(
    gdelt1: tuple[Site, str, dict[str, bytes]], tmp_path: Path
) -> None:
    site, base, daily = gdelt1
    extra = "20191026.export.CSV.zip"  # linked from the page only
    site.files[f"/events/{extra}"] = daily["20191025.export.CSV.zip"]
    links = ["md5sums", "filesizes", "GDELT.MASTERREDUCEDV2.1979-2013.zip", "20191025.export.CSV.zip", extra]
    site.files["/events/index.html"] = (
        "<html><body><ul>\n"
        + "".join(f'<li><a href="{n}">{n}</a> (1MB) (MD5: 0)</li>\n' for n in links)
        + "</ul></body></html>\n"
    ).encode()
    report = fetch(base, tmp_path, date(2019, 10, 25), date(2019, 10, 26), version=1)
    assert report.ok and statuses(report) == {"20191025.export.CSV.zip": "downloaded", extra: "downloaded"}
    assert [(f.size, f.md5) for f in report.files if f.name == extra] == [(None, None)]
    assert report.notes == ["1 file(s) linked from index.html but in neither list are fetched unchecked"]
    assert (tmp_path / ".index.html").read_bytes() == site.files["/events/index.html"]

    site.cut_after["/events/index.html"], site.cuts_left["/events/index.html"] = 10, 5
    broken = fetch(base, tmp_path / "b", date(2019, 10, 25), date(2019, 10, 26), version=1, retries=1)
    assert statuses(broken) == {"20191025.export.CSV.zip": "downloaded"}
    assert broken.notes[0].startswith("index.html unavailable (") and broken.notes[0].endswith(
        "; the md5sums and filesizes lists alone are the plan"
    )


def test_a_file_without_a_listed_md5_is_checked_by_size(
    gdelt1: tuple[Site, str, dict[str, bytes]], tmp_path: Path
) -> None:
    site, base, daily = gdelt1
    name = "20191024.export.CSV.zip"
    site.files["/events/md5sums"] = b"".join(
        line + b"\n" for line in site.files["/events/md5sums"].splitlines() if not line.endswith(name.encode())
    )
    report = fetch(base, tmp_path, DAY, DAY, version=1)
    assert [(f.name, f.status, f.md5, f.size) for f in report.files] == [
        (name, "downloaded", None, len(daily[name]))
    ]
    assert report.notes == ["1 file(s) listed in filesizes but not in md5sums are checked by size only"]
    site.files[f"/events/{name}"] = daily[name][:-1]
    (tmp_path / name).unlink()
    short = fetch(base, tmp_path, DAY, DAY, version=1).files[0]
    assert (short.status, short.error) == (
        "mismatch",
        f"size {len(daily[name]) - 1} bytes, expected {len(daily[name])}; file removed",
    )


# Lines of GDELT's live events/md5sums as copied in lamastex/spark-gdelt-examples
# gdelt-docs/README.md (GDELT 1.0 section): md5sum format, two spaces.
REAL_MD5SUMS = """\
f6fcb7e955e35f93c9dae427c07b545d  GDELT.MASTERREDUCEDV2.1979-2013.zip
7fb1b6ff781aea3d441abf512dc5e0f9  1979.zip
c3cfe271c7f51eb8b6f8c2ad3ee6c0b0  200601.zip
d7d6a6071739445cc77ce081a4206f09  20200319.export.CSV.zip
f2a137fd8dc3ac26868ec9543372cd14  20200323.export.CSV.zip
5cab38b5595365007f1e509fbaf7ecf8  20200324.export.CSV.zip
"""


def test_reads_gdelts_real_md5sums_lines(server: tuple[Site, str], tmp_path: Path) -> None:
    site, base = server
    site.files["/events/md5sums"] = REAL_MD5SUMS.encode()
    report = fetch(base, tmp_path, date(2020, 3, 20), date(2020, 3, 24), version=1)
    assert report.error is None and report.lines_listed == 6 and report.problems_total == 0
    assert report.notes[0] == (
        f"sizes unavailable ({base}events/filesizes: not found (HTTP 404)); files are verified by MD5 only"
    )
    assert [(f.name, f.md5, f.status) for f in report.files] == [
        ("20200323.export.CSV.zip", "f2a137fd8dc3ac26868ec9543372cd14", "missing"),
        ("20200324.export.CSV.zip", "5cab38b5595365007f1e509fbaf7ecf8", "missing"),
    ]


def test_gdelt1_without_filesizes_verifies_by_md5(
    gdelt1: tuple[Site, str, dict[str, bytes]], tmp_path: Path
) -> None:
    site, base, daily = gdelt1
    del site.files["/events/filesizes"]
    site.files["/events/20191024.export.CSV.zip"] = b"wrong"
    report = fetch(base, tmp_path, version=1)
    assert report.notes == [
        f"sizes unavailable ({base}events/filesizes: not found (HTTP 404)); files are verified by MD5 only"
    ]
    result = report.files[0]
    assert (result.name, result.status, result.size) == ("20191024.export.CSV.zip", "mismatch", None)
    assert (
        result.error == f"MD5 {md5(b'wrong')}, expected {md5(daily['20191024.export.CSV.zip'])}; file removed"
    )


# -- the downloaded file goes into the store ------------------------------------------------------
def test_downloaded_file_ingests_like_the_original(
    gdelt2: tuple[Site, str], data_dir: Path, store: Store, tmp_path: Path
) -> None:
    _site, base = gdelt2
    assert fetch(base, tmp_path / "dl").ok
    via_download = store.ingest(tmp_path / "dl" / FULL)
    assert (via_download.status, via_download.format) == ("ingested", "gdelt2"), via_download.error
    assert via_download.rows_read == 2111  # PROVENANCE.md: 2111 events
    assert via_download.balanced
    direct_store = Store(tmp_path / "direct")
    try:
        direct = direct_store.ingest(data_dir / REAL)
    finally:
        direct_store.close()
    assert (via_download.rows_stored, via_download.rows_quarantined) == (
        direct.rows_stored,
        direct.rows_quarantined,
    )
    assert store.ingest(tmp_path / "dl" / FULL).status == "unchanged"


# -- retry logic with a mock transport ------------------------------------------------------------
def mock_site(files: dict[str, bytes], script: dict[str, list[object]]) -> tuple[httpx2.Client, list[str]]:
    """A mock client: per path, first the ``script`` steps (status codes or exceptions), then ``files``."""
    seen: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        seen.append(path)
        steps = script.get(path, [])
        if steps:
            step = steps.pop(0)
            if isinstance(step, Exception):
                raise step
            return httpx2.Response(int(step))  # type: ignore[call-overload]
        if path in files:
            return httpx2.Response(200, content=files[path])
        return httpx2.Response(404)

    return httpx2.Client(transport=httpx2.MockTransport(handle)), seen


def one_file_site(data: bytes) -> dict[str, bytes]:
    return {"/gdeltv2/masterfilelist.txt": master_line(FULL, data).encode(), f"/gdeltv2/{FULL}": data}


def test_transient_errors_are_retried_until_success(tmp_path: Path) -> None:
    data = b"payload" * 100
    path = f"/gdeltv2/{FULL}"
    script: dict[str, list[object]] = {
        "/gdeltv2/masterfilelist.txt": [503],
        path: [500, httpx2.ConnectError("connection refused"), 429],
    }
    client, seen = mock_site(one_file_site(data), script)
    with client:
        report = fetch("http://gdelt.test/", tmp_path, client=client, retries=3)
    assert report.ok
    assert (report.files[0].status, report.files[0].attempts) == ("downloaded", 4)
    assert seen.count(path) == 4 and seen.count("/gdeltv2/masterfilelist.txt") == 2
    assert (tmp_path / FULL).read_bytes() == data


def test_retries_are_bounded(tmp_path: Path) -> None:
    path = f"/gdeltv2/{FULL}"
    client, seen = mock_site(one_file_site(b"data"), {path: [503] * 10})
    with client:
        report = fetch("http://gdelt.test/", tmp_path, client=client, retries=2)
    result = report.files[0]
    assert (result.status, result.attempts, seen.count(path)) == ("failed", 3, 3)
    assert result.error == (
        f"http://gdelt.test/gdeltv2/{FULL}: HTTP 503 Service Unavailable "
        "(gave up after 3 attempts; any partial copy is kept for resuming)"
    )


def test_permanent_http_errors_are_not_retried(tmp_path: Path) -> None:
    path = f"/gdeltv2/{FULL}"
    client, seen = mock_site(one_file_site(b"data"), {path: [403]})
    with client:
        result = fetch("http://gdelt.test/", tmp_path, client=client).files[0]
    assert (result.status, result.error, seen.count(path)) == (
        "failed",
        f"http://gdelt.test/gdeltv2/{FULL}: HTTP 403 Forbidden",
        1,
    )


# -- any list text: never a traceback, every line accounted for ----------------------------------
_good = st.builds(
    lambda size, digest, stamp: (
        f"{size} {digest} http://data.gdeltproject.org/gdeltv2/{stamp}.export.CSV.zip"
    ),
    st.integers(0, 10**9),
    st.text("0123456789abcdef", min_size=32, max_size=32),
    st.sampled_from(["20191024143000", "20191024234500", "20150218230000", "20191399000000"]),
)


def _splice(parts: tuple[str, int, bytes]) -> bytes:
    """A good line with a few bytes at ``at`` replaced by random ones (never a newline)."""
    line, at, junk = parts
    raw = line.encode()
    return raw[:at] + junk.replace(b"\n", b" ") + raw[at + len(junk) :]


_line = st.one_of(
    _good.map(str.encode),
    _good.map(lambda s: s[: len(s) // 2].encode()),  # truncated
    _good.map(lambda s: s.replace(" ", "\t", 1).encode()),  # other whitespace
    _good.map(lambda s: (s + " extra").encode()),  # a field too many
    st.tuples(_good, st.integers(0, 80), st.binary(min_size=1, max_size=3)).map(_splice),  # random bytes
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60).map(
        lambda s: s.replace("\n", " ").encode()
    ),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" ")),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=12), st.sampled_from([b"\n", b"\r\n"]))
def test_any_master_list_is_accounted_for(lines: list[bytes], newline: bytes) -> None:
    body = newline.join(lines)
    client, _seen = mock_site({"/gdeltv2/masterfilelist.txt": body}, {})
    with client, tempfile.TemporaryDirectory() as tmp:
        report = fetch("http://gdelt.test/", Path(tmp), client=client, retries=0)
    physical = body.split(b"\n") if body else []
    nonblank = sum(1 for raw in physical if raw.rstrip(b"\r").decode("utf-8", "replace").strip())
    if report.error is None:
        assert report.lines_listed + report.problems_total == nonblank
        assert all(f.status in ("missing", "failed") for f in report.files)  # nothing is served
    else:
        assert report.error.startswith("masterfilelist.txt: not a GDELT file list")
        assert report.files == []
    assert all(1 <= p.line <= len(physical) and p.reason for p in report.problems)


def test_cli_fetches_verifies_and_ingests(
    gdelt2: tuple[Site, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`detente fetch gdelt --ingest` against the local server: files verified, then stored."""
    import json

    from typer.testing import CliRunner

    from detente.cli import app

    _, base = gdelt2
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    args = ["fetch", "gdelt", "--start", DAY.isoformat(), "--end", DAY.isoformat(), "--dest", str(tmp_path / "g"),
            "--base-url", base, "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)
    assert files and {f["status"] for f in files} == {"downloaded"}
    result = CliRunner().invoke(app, [*args, "--ingest"])
    assert result.exit_code == 0, result.output
    assert "present" in result.stdout and "gdelt2" in result.stdout
    # the folder holds the master list's hidden copy and a partial download: neither is ingested
    (tmp_path / "g" / "20191024150000.export.CSV.zip.part").write_bytes(b"PK")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "g"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["file"], r["status"]) for r in json.loads(result.stdout)] == [
        (FULL, "unchanged"), ("20191024144500.export.CSV.zip", "unchanged")
    ]
    bad = CliRunner().invoke(app, ["fetch", "gdelt", "--start", "2019-10-25", "--end", "2019-10-24"])
    assert bad.exit_code == 2 and "on or before" in bad.output
