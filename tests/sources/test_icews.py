"""ICEWS reader: the real Dataverse sample, layout variants, bad records, and fuzzed lines."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import Store
from detente.sources.base import Sample, SourceError
from detente.sources.detect import detect
from detente.sources.icews import IcewsReader

SAMPLE = "icews_events/events.2018.sample.tab"
KOREAS = ("PRK", "KOR")


@pytest.fixture(scope="module")
def lines(data_dir: Path) -> list[str]:
    """The real sample's lines (header first), without line ends."""
    return (data_dir / SAMPLE).read_text("utf-8").splitlines()


@pytest.fixture(scope="module")
def head(lines: list[str]) -> list[str]:
    """Header and the first ten data lines, the base of the fuzzed files."""
    return lines[:11]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _quarantine(store: Store) -> dict[int, str]:
    q = store.quarantine().execute()
    return dict(zip(q.source_line, q.reason, strict=False))


def test_real_sample_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / SAMPLE)
    assert (report.status, report.format, report.source) == ("ingested", "icews", "icews")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3705, 3705, 0)
    ev = store.events()
    assert ev.count().execute() == 3705
    korea = ev.filter(ev.actor1_country.isin(KOREAS) | ev.actor2_country.isin(KOREAS))
    assert korea.count().execute() == 559
    dyad = ev.filter(
        ev.actor1_country.isin(KOREAS) & ev.actor2_country.isin(KOREAS) & (ev.actor1_country != ev.actor2_country)
    )
    assert dyad.count().execute() == 53
    assert ev.filter(ev.date_precision != "day").count().execute() == 0
    assert ev.event_id.nunique().execute() == 3705


def test_real_sample_spot_checks(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / SAMPLE)
    df = store.events().execute().set_index("event_id")
    # line 2: 32889836	2018-06-01	Foreign Affairs (Bangladesh)	Executive,Foreign Ministry,Government
    #   Bangladesh	Consult	040	1	High Ranking Military Personnel (Vietnam)	Military,Government	Vietnam
    #   47400351	2	Vietnam News Agency Bulletin	Hanoi	NA	Thanh Pho Ha Noi	Vietnam	21.0245	105.841
    r = df.loc["icews:32889836"]
    assert r.date.date() == date(2018, 6, 1)
    assert (r.actor1_name, r.actor1_country, r.actor1_type) == (
        "Foreign Affairs (Bangladesh)",
        "BGD",
        "Executive,Foreign Ministry,Government",
    )
    assert (r.actor2_name, r.actor2_country, r.actor2_type) == (
        "High Ranking Military Personnel (Vietnam)",
        "VNM",
        "Military,Government",
    )
    assert (r.event_code, r.event_root, r.quad_class, r.goldstein) == ("040", "04", 1, 1.0)
    assert (r.country, r.place, r.lat, r.lon) == ("VNM", "Hanoi, Thanh Pho Ha Noi", 21.0245, 105.841)
    assert (r.original_type, r.description, r.url) == ("Consult", "Consult", None)
    assert (r.source, r.source_file, r.source_line) == ("icews", "events.2018.sample.tab", 2)
    # line 16: 32891167	2018-06-01	North Korea	NA	North Korea	Make an appeal or request	020	3
    #   South Korea	NA	South Korea	47400374	1	Reuters News	Seoul	NA
    #   Seoul-teukbyeolsi	South Korea	37.5683	126.978
    r = df.loc["icews:32891167"]
    assert (r.actor1_country, r.actor2_country, r.actor1_type, r.actor2_type) == ("PRK", "KOR", None, None)
    assert (r.event_code, r.quad_class, r.goldstein, r.country) == ("020", 1, 3.0, "KOR")
    assert (r.place, r.source_line) == ("Seoul, Seoul-teukbyeolsi", 16)
    # 32891245	2018-06-01	North Korea	NA	North Korea	Engage in negotiation	046	7	Foreign Affairs (South Korea)
    #   Foreign Ministry,Executive,Government	South Korea ...
    #   New York City	NA	state of New York	United States ...
    r = df.loc["icews:32891245"]
    assert (r.actor1_country, r.actor2_country, r.event_code, r.goldstein) == ("PRK", "KOR", "046", 7.0)
    assert (r.country, r.place) == ("USA", "New York City, state of New York")


def test_reingest_is_unchanged(store: Store, data_dir: Path) -> None:
    first = store.ingest(data_dir / SAMPLE)
    again = store.ingest(data_dir / SAMPLE)
    assert first.status == "ingested"
    assert (again.status, again.rows_read, again.rows_stored) == ("unchanged", 3705, 3705)
    assert store.events().count().execute() == 3705


def test_detection_is_specific(data_dir: Path, lines: list[str]) -> None:
    assert isinstance(detect(data_dir / SAMPLE), IcewsReader)
    assert not IcewsReader.sniff(Sample("x.csv", ["event_id_cnty,event_date,event_type,sub_event_type"]))
    assert not IcewsReader.sniff(Sample("x.tab", ["\t".join(lines[0].split("\t")[:19])]))


def test_dataverse_variants(tmp_path: Path, store: Store, lines: list[str]) -> None:
    """R-package column names, reordered columns, M/D/YYYY dates, quoted sectors, lost zeros, zip."""
    names = [h.lower().replace(" ", "_") for h in lines[0].split("\t")]
    order = [1, 0, *range(2, 20)]  # event_date before event_id
    rows = [r.split("\t") for r in lines[1:4]]
    rows[0][1] = "6/1/2018"  # Events.2017-style date
    rows[0][3] = '"Executive,Foreign Ministry,Government"'  # quoted sector list
    rows[0][6] = "40"  # CAMEO code read as a number
    out = ["\t".join(names[i] for i in order)] + ["\t".join(r[i] for i in order) for r in rows]
    tab = _write(tmp_path / "events.2017.tab", out)
    archive = tmp_path / "events.2017.tab.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(tab, tab.name)
    report = store.ingest(archive)
    assert (report.status, report.format, report.rows_read, report.rows_stored) == ("ingested", "icews", 3, 3)
    r = store.events().execute().set_index("event_id").loc["icews:32889836"]
    assert (r.date.date(), r.event_code) == (date(2018, 6, 1), "040")
    assert r.actor1_type == "Executive,Foreign Ministry,Government"


def test_bad_records_are_quarantined_with_reasons(tmp_path: Path, store: Store, lines: list[str]) -> None:
    good = lines[1].split("\t")

    def variant(**changes: str) -> str:
        fields = list(good)
        for index, value in changes.items():
            fields[int(index[1:])] = value
        return "\t".join(fields)

    data = [
        lines[0],
        lines[1],  # 2: fine
        "\t".join(good[:12]),  # 3: truncated line
        variant(f0="32889999", f1="2018-02-31"),  # 4: impossible date
        variant(f0="32889998", f6="999"),  # 5: not a CAMEO code
        variant(f0="32889997", f7="strong"),  # 6: intensity not a number
        variant(f0="32889996", f7="12"),  # 7: intensity off the scale
        variant(f0="abc"),  # 8: id not a number
        lines[1],  # 9: same event id again
        variant(f0="32889995", f6="NA"),  # 10: no CAMEO code
        variant(f0="32889994", f18="95.5"),  # 11: latitude off the globe
        "",  # 12: blank line
        variant(f0="32889993", f14="Ha BADBYTE"),  # 13: undecodable byte
    ]
    path = _write(tmp_path / "bad.tab", data)
    path.write_bytes(path.read_bytes().replace(b"BADBYTE", b"\xff"))
    report = store.ingest(path)
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined) == ("ingested", 12, 1, 11)
    reasons = _quarantine(store)
    column = data[-1].index("BADBYTE") + 1
    assert reasons == {
        3: "expected 20 tab-separated fields, found 12",
        4: "unparseable Event Date '2018-02-31'",
        5: "unknown CAMEO event code 999",
        6: "Intensity 'strong' is not a number",
        7: "Intensity '12' outside -10..10",
        8: "Event ID 'abc' is not an integer",
        9: "duplicate event id icews:32889836 (first at line 2)",
        10: "missing CAMEO Code",
        11: "Latitude '95.5' outside -90..90",
        12: "blank line",
        13: f"invalid text encoding: byte 0xFF at column {column}",
    }


def test_whole_file_problems(tmp_path: Path, store: Store, data_dir: Path) -> None:
    empty = tmp_path / "empty.tab"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=IcewsReader())
    assert report.status == "failed" and "empty file" in (report.error or "")
    other = data_dir / "acled_events" / "explosions_remote_violence.csv"
    with pytest.raises(SourceError, match="not an ICEWS event file"):
        IcewsReader().read(other, duckdb.connect())
    junk = _write(tmp_path / "junk.tab", ["hello\tworld", "1\t2"])
    report = store.ingest(junk)
    assert report.status == "failed" and "format not recognised" in (report.error or "")


def _mutate(line: bytes, kind: str, pos: int, blob: bytes) -> bytes:
    """One malformation of a data line."""
    fields = line.split(b"\t")
    at = pos % (len(line) + 1)
    k = pos % len(fields)
    if kind == "truncate":
        return line[:at]
    if kind == "insert":
        return line[:at] + blob + line[at:]
    if kind == "drop_field":
        return b"\t".join(fields[:k] + fields[k + 1 :])
    if kind == "extra_field":
        return line + b"\t" + blob
    column = {"date": 1, "code": 6}.get(kind, k)
    fields[column if column < len(fields) else k] = blob
    return b"\t".join(fields)


MUTATION = st.tuples(
    st.integers(min_value=0, max_value=9),
    st.sampled_from(["truncate", "insert", "drop_field", "extra_field", "date", "code", "field"]),
    st.integers(min_value=0, max_value=10_000),
    st.binary(max_size=12),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_lines_are_always_accounted(head: list[str], mutations: list) -> None:
    data = [ln.encode() for ln in head]
    for index, kind, pos, blob in mutations:
        data[1 + index] = _mutate(data[1 + index], kind, pos, blob)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.tab"
        path.write_bytes(b"\n".join(data) + b"\n")
        n_lines = len(path.read_bytes().decode("utf-8", "surrogateescape").split("\n")) - 2
        store = Store(Path(tmp) / "home")
        try:
            report = store.ingest(path)
            assert report.status == "ingested", report.error
            assert report.rows_read == n_lines
            assert report.rows_stored + report.rows_quarantined == report.rows_read
            reasons = _quarantine(store)
            assert len(reasons) == report.rows_quarantined
            assert all(reason for reason in reasons.values())
            stored = set(store.events().source_line.execute())
            assert stored.isdisjoint(reasons)
            assert len(stored) == report.rows_stored
        finally:
            store.close()


def test_goldstein_on_the_shared_scale(store: Store, data_dir: Path, tmp_path: Path, lines: list[str]) -> None:
    """decision 002: GDELT's Goldstein table for every source; ICEWS' Intensity only where GDELT has no code."""
    store.ingest(data_dir / SAMPLE)
    ev = store.events()
    by_code = ev.filter(ev.event_code.isin(["016", "022", "164"])).group_by("event_code").aggregate(
        n=ev.event_id.count(), g=ev.goldstein.max()
    ).to_pandas()
    # the sample's Intensity column says -5 (9 rows), 3.4 (13), -6.5 (2); the GDELT table -2, 3.2, -7
    assert sorted(zip(by_code.event_code, by_code.n, (round(float(g), 1) for g in by_code.g), strict=False)) == [
        ("016", 9, -2.0), ("022", 13, 3.2), ("164", 2, -7.0)
    ]
    row = lines[1].split("\t")
    row[0], row[6], row[7] = "1", "1213", "-4"
    report = store.ingest(_write(tmp_path / "judicial.tab", [lines[0], "\t".join(row)]))
    assert (report.rows_stored, report.rows_quarantined) == (1, 0)
    ev = store.events()
    assert ev.filter(ev.event_id == "icews:1").goldstein.execute().tolist() == [-4.0]
