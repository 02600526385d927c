"""ACLED reader: the real Myanmar 2021 export, the post-2023 layout, the CAMEO table, bad records."""

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
from detente.ontology import cameo_codes
from detente.schema import CATEGORIES
from detente.sources.acled import AcledReader, cameo_map
from detente.sources.base import Sample, SourceError
from detente.sources.detect import detect

SAMPLE = "acled_events/explosions_remote_violence.csv"

#: the 25 sub-event types (ACLED Codebook 2023; acledR ``acled_event_categories``)
SUB_EVENT_TYPES = (
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED", "Grenade", "Sexual violence", "Attack",
    "Abduction/forced disappearance", "Peaceful protest", "Protest with intervention",
    "Excessive force against protesters", "Violent demonstration", "Mob violence", "Agreement",
    "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
)  # fmt: skip

#: the post-20-March-2023 column layout (ACLED, "Guide to 2023 ACLED Column Changes")
CURRENT = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp"
)


def _current_row(**values: str) -> str:
    """A synthetic record in the current layout (invented values, not ACLED data)."""
    base = dict.fromkeys(CURRENT.split(","), "")
    base.update(
        event_id_cnty="KOR9001", event_date="2024-05-29", year="2024", time_precision="1",
        disorder_type="Strategic developments", event_type="Strategic developments", sub_event_type="Other",
        actor1="Military Forces of North Korea (2011-)", inter1="State forces",
        actor2="Civilians (South Korea)", inter2="Civilians", interaction="State forces-Civilians",
        iso="410", region="East Asia", country="South Korea", admin1="Gyeonggi", admin2="Paju",
        location="Paju", latitude="37.76", longitude="126.78", geo_precision="1", source="Paper A; Paper B",
        source_scale="National", notes="Synthetic test record, with a comma.", fatalities="0",
        timestamp="1717000000",
    )  # fmt: skip
    base.update(values)
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(base.values())
    return out.getvalue()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _quarantine(store: Store) -> dict[int, str]:
    q = store.quarantine().execute()
    return dict(zip(q.source_line, q.reason, strict=False))


@pytest.fixture(scope="module")
def head(data_dir: Path) -> list[str]:
    """Header and the first eight records of the real export (one physical line each)."""
    return (data_dir / SAMPLE).read_text("utf-8").splitlines()[:9]


def test_real_export_counts(store: Store, data_dir: Path) -> None:
    report = store.ingest(data_dir / SAMPLE)
    assert (report.status, report.format, report.source) == ("ingested", "acled", "acled")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2734, 2734, 0)
    df = store.events().execute()
    assert df.event_id.nunique() == 2734
    assert df.original_type.value_counts().to_dict() == {
        "Explosions/Remote violence / Remote explosive/landmine/IED": 2130,
        "Explosions/Remote violence / Shelling/artillery/missile attack": 389,
        "Explosions/Remote violence / Grenade": 122,
        "Explosions/Remote violence / Air/drone strike": 93,
    }
    assert df.event_code.value_counts().to_dict() == {"183": 2252, "194": 389, "195": 93}
    assert df.category.value_counts().to_dict() == {"remote_violence": 2345, "artillery": 389}
    assert set(df.country) == {"MMR"} and set(df.quad_class) == {4}
    assert df.date_precision.value_counts().to_dict() == {"day": 2732, "month": 2}
    assert (df.date.min().date(), df.date.max().date()) == (date(2021, 1, 2), date(2021, 12, 31))


def test_real_export_spot_checks(store: Store, data_dir: Path) -> None:
    store.ingest(data_dir / SAMPLE)
    df = store.events().execute().set_index("event_id")
    # line 2: 7458140,104,MMR10937,10937,2021-01-02T00:00:00Z,2021,1,Explosions/Remote violence,
    #   Shelling/artillery/missile attack,Unidentified Armed Group (Myanmar),NA,3,Civilians (Myanmar),NA,7,37,
    #   Southeast Asia,Myanmar,Shan-North,Kyaukme,Namtu,Pang Chin,22.9605,97.5116,1,Shan Herald Agency for News;
    #   Mizzima; Shwe Phee Myay News Agency,Subnational-National,"On 2 January 2021, at Pang Chin village ...",0,...
    r = df.loc["acled:MMR10937"]
    assert (r.date.date(), r.date_precision, r.source_line) == (date(2021, 1, 2), "day", 2)
    assert (r.actor1_name, r.actor1_country, r.actor1_type) == (
        "Unidentified Armed Group (Myanmar)",
        "MMR",
        "Political Militias",
    )
    assert (r.actor2_name, r.actor2_country, r.actor2_type) == ("Civilians (Myanmar)", "MMR", "Civilians")
    assert (r.event_code, r.event_root, r.quad_class, r.category) == ("194", "19", 4, "artillery")
    assert (r.country, r.lat, r.lon, r.fatalities, r.sources_n) == ("MMR", 22.9605, 97.5116, 0, 3)
    assert r.place == "Pang Chin, Namtu, Kyaukme, Shan-North"
    assert r.description.startswith("On 2 January 2021, at Pang Chin village (Namtu Township")
    # line 66: 7801847,104,MMR14354,14354,2021-03-15T00:00:00Z,2021,3,...,Remote explosive/landmine/IED,
    #   ...,"Around 15 March 2021 (month of), in the Man Wein Gyi area ...",2,...
    r = df.loc["acled:MMR14354"]
    assert (r.date.date(), r.date_precision, r.fatalities, r.event_code) == (date(2021, 3, 1), "month", 2, "183")
    # line 2735: 8792055,104,MMR27086,27086,2021-12-19T00:00:00Z,2021,1,...,Myaukyamar People's Defense Force -
    #   Yinmarbin,Hero Tiger Force,3,Military Forces of Myanmar (2021-),NA,1,13,...,25,...
    r = df.loc["acled:MMR27086"]
    assert (r.actor1_country, r.actor2_country, r.actor2_type) == (None, "MMR", "State Forces")
    assert (r.fatalities, r.source_line, r.place) == (25, 2735, "Yinmarbin, Sagaing")


def test_reingest_is_unchanged(store: Store, data_dir: Path) -> None:
    assert store.ingest(data_dir / SAMPLE).status == "ingested"
    again = store.ingest(data_dir / SAMPLE)
    assert (again.status, again.rows_stored, again.rows_quarantined) == ("unchanged", 2734, 0)
    assert store.events().count().execute() == 2734


def test_cameo_table_covers_every_sub_event_type() -> None:
    table = cameo_map()
    assert sorted(table) == sorted(s.lower() for s in SUB_EVENT_TYPES)
    descriptions = dict(zip(*cameo_codes().select(["code", "description"]).to_pydict().values(), strict=False))
    text = (Path(__file__).parents[2] / "src/detente/ontology/data/acled_cameo.csv").read_text("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        code, category, rationale = row["event_code"], row["category"], row["rationale"]
        assert rationale.startswith(f"ACLED Codebook 2023, {row['event_type']}/{row['sub_event_type']}")
        assert category == "" or category in CATEGORIES
        if code:  # spaces ignored: the GDELT lookup reads "radiologicalweapons" for 2041
            quoted = f"CAMEO {code} '{descriptions[code]}'"
            assert quoted.replace(" ", "") in rationale.replace(" ", "")
        else:
            assert row["sub_event_type"] == "Other" and "no CAMEO code fits" in rationale


def test_current_layout(tmp_path: Path, store: Store) -> None:
    path = _write(
        tmp_path / "acled_current.csv",
        [
            CURRENT,
            _current_row(),
            _current_row(
                event_id_cnty="PRK9002",
                event_date="2 January 2021",
                time_precision="3",
                iso="408",
                country="North Korea",
                event_type="Battles",
                sub_event_type="Armed clash",
                inter1="1",
                actor1="Military Forces of South Korea (2022-)",
                actor2="Military Forces of North Korea (2011-)",
                inter2="1",
                fatalities="2",
            ),
            _current_row(
                event_id_cnty="KOR9003",
                event_date="2023-07-01T00:00:00Z",
                sub_event_type="Agreement",
                actor1="Government of South Korea (2022-)",
                actor2="",
                inter2="",
            ),
            _current_row(event_id_cnty="KOR9004", sub_event_type="Excessive force against protestors"),
        ],
    )
    assert isinstance(detect(path), AcledReader)
    report = store.ingest(path)
    assert (report.status, report.rows_read, report.rows_stored) == ("ingested", 4, 4)
    df = store.events().execute().set_index("event_id")
    r = df.loc["acled:KOR9001"]
    assert (r.actor1_country, r.actor1_type, r.actor2_country, r.country) == ("PRK", "State forces", "KOR", "KOR")
    assert (r.event_code, r.category, r.sources_n) == (None, None, 2)
    assert pd.isna(r.quad_class) and pd.isna(r.goldstein)
    assert r.original_type == "Strategic developments / Other"
    r = df.loc["acled:PRK9002"]
    assert (r.date.date(), r.date_precision, r.country) == (date(2021, 1, 1), "month", "PRK")
    assert (r.actor1_country, r.actor2_country, r.actor1_type) == ("KOR", "PRK", "State Forces")
    assert (r.event_code, r.category, r.fatalities) == ("190", "armed_clash", 2)
    r = df.loc["acled:KOR9003"]
    assert (r.date.date(), r.event_code, r.category, r.actor1_country) == (date(2023, 7, 1), "057", "agreement", "KOR")
    assert r.actor2_name is None
    assert df.loc["acled:KOR9004"].event_code == "175"


def test_bad_records_are_quarantined_with_reasons(tmp_path: Path, store: Store) -> None:
    data = [
        CURRENT,
        _current_row(),  # 2: fine
        _current_row(event_id_cnty="KOR9002", sub_event_type="Picnic"),  # 3
        _current_row(event_id_cnty="KOR9003", event_date="31/31/2024"),  # 4
        _current_row(event_id_cnty="9004"),  # 5
        _current_row(event_id_cnty="KOR9005", fatalities="many"),  # 6
        _current_row(event_id_cnty="KOR9006", latitude="91"),  # 7
        _current_row(event_id_cnty="KOR9007") + ",extra",  # 8
        _current_row(),  # 9: same id again
        _current_row(event_id_cnty="KOR9008", notes="x" * 200_000),  # 10: larger than the csv field limit
        _current_row(event_id_cnty="KOR9009", location="BADBYTE"),  # 11
    ]
    path = _write(tmp_path / "acled_bad.csv", data)
    path.write_bytes(path.read_bytes().replace(b"BADBYTE", b"\xfe"))
    report = store.ingest(path)
    assert (report.status, report.rows_read, report.rows_stored, report.rows_quarantined) == ("ingested", 10, 1, 9)
    reasons = _quarantine(store)
    column = data[-1].index("BADBYTE") + 1
    assert reasons == {
        3: "unknown ACLED sub_event_type 'Picnic'",
        4: "unparseable event_date '31/31/2024'",
        5: "event_id_cnty '9004' is not an ACLED id (letters then digits)",
        6: "fatalities 'many' is not a whole number >= 0",
        7: "latitude '91' outside -90..90",
        8: "expected 31 comma-separated fields, found 32",
        9: "duplicate event id acled:KOR9001 (first at line 2)",
        10: "malformed CSV record: field larger than field limit (131072)",
        11: f"invalid text encoding: byte 0xFE at column {column}",
    }


def test_whole_file_problems(tmp_path: Path, store: Store, data_dir: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = store.ingest(empty, reader=AcledReader())
    assert report.status == "failed" and "empty file" in (report.error or "")
    with pytest.raises(SourceError, match="not an ACLED export"):
        AcledReader().read(data_dir / "ucdp" / "ucdp-prio-acd-221.csv", duckdb.connect())
    assert not AcledReader.sniff(Sample("x.tab", ["Event ID\tEvent Date\tSource Name"]))
    assert not AcledReader.sniff(Sample("x.csv", [",conflict_id,location,side_a,side_a_id"]))


MUTATION = st.tuples(
    st.integers(min_value=1, max_value=8),
    st.sampled_from(["truncate", "insert", "drop_field", "replace_field"]),
    st.integers(min_value=0, max_value=10_000),
    st.binary(max_size=12),
)


def _mutate(line: bytes, kind: str, pos: int, blob: bytes) -> bytes:
    """One malformation of a CSV record (quotes and newlines in ``blob`` included)."""
    at = pos % (len(line) + 1)
    if kind == "truncate":
        return line[:at]
    if kind == "insert":
        return line[:at] + blob + line[at:]
    cut = [i for i, b in enumerate(line) if b == ord(",")] or [0]
    i = cut[pos % len(cut)]
    if kind == "drop_field":
        return line[:i] + line[i + 1 :]
    j = line.find(b",", i + 1)
    return line[: i + 1] + blob + (line[j:] if j >= 0 else b"")


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
            report = store.ingest(path, reader=AcledReader())
            assert report.status == "ingested", report.error
            physical = io.StringIO(path.read_bytes().decode("utf-8", "surrogateescape"), newline="").readlines()
            assert 1 <= report.rows_read <= len(physical) - 1
            assert report.rows_stored + report.rows_quarantined == report.rows_read
            reasons = _quarantine(store)
            assert len(reasons) == report.rows_quarantined
            assert all(reason for reason in reasons.values())
            stored = set(store.events().source_line.execute())
            assert stored.isdisjoint(reasons) and len(stored) == report.rows_stored
        finally:
            store.close()
