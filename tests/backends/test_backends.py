"""Engine selection and the events table on each engine (``detente.backends``)."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
import pyarrow as pa
import pytest

from detente import EVENT_SCHEMA, Store, backends

CANONICAL = ibis.schema({f.name: dt.dtype(f.type) for f in EVENT_SCHEMA})


def test_backend_names_and_aliases() -> None:
    assert [backends.parse_backend(n) for n in ("duckdb", "Spark", "pyspark", " BQ ", "bigquery")] == [
        "duckdb",
        "pyspark",
        "pyspark",
        "bigquery",
        "bigquery",
    ]
    with pytest.raises(ValueError, match="duckdb, pyspark, bigquery"):
        backends.parse_backend("postgres")


def test_require_names_the_extra_of_a_missing_engine() -> None:
    backends.require("duckdb")  # always there
    try:
        bigquery_installed = importlib.util.find_spec("google.cloud.bigquery") is not None
    except ModuleNotFoundError:
        bigquery_installed = False
    if bigquery_installed:
        backends.require("bigquery")
    else:
        with pytest.raises(backends.BackendNotInstalled, match=r"pip install 'detente\[bigquery\]'"):
            backends.connect("bigquery", project_id="any")
    assert issubclass(backends.BackendNotInstalled, ImportError)


def test_duckdb_events_table_equals_the_store_view(real_store: Store) -> None:
    """``events_table`` on a plain DuckDB connection reads the same rows as the store's own view."""
    con = backends.connect("duckdb")
    mine = backends.events_table(con, real_store.home)
    assert mine.schema() == CANONICAL
    a = mine.to_pandas().sort_values("event_id").reset_index(drop=True)
    b = real_store.events().to_pandas().sort_values("event_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_duckdb_events_table_of_an_empty_store(tmp_path: Path) -> None:
    events = backends.events_table(backends.connect("duckdb"), tmp_path)
    assert events.schema() == CANONICAL
    assert events.count().execute() == 0


def test_canonical_orders_and_casts_columns() -> None:
    frame = pa.table({"extra": [1], "goldstein": [2.5], "quad_class": [4], "event_id": ["x:1"]})
    missing = {n: ibis.null(CANONICAL[n]) for n in CANONICAL if n not in frame.column_names}
    t = backends.canonical(ibis.memtable(frame).mutate(**missing))
    assert t.schema() == CANONICAL
    row = t.to_pyarrow().to_pylist()[0]
    assert (row["event_id"], row["quad_class"], row["goldstein"]) == ("x:1", 4, 2.5)


# -- Spark ---------------------------------------------------------------------------------------


def _listening_addresses(pid: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Addresses of the TCP sockets process ``pid`` listens on (from /proc)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    found = []
    for table, width in ((f"/proc/{pid}/net/tcp", 8), (f"/proc/{pid}/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A" or fields[9] not in inodes:  # 0A = LISTEN
                continue
            hexaddr = fields[1].split(":")[0]
            raw = b"".join(bytes.fromhex(hexaddr[i : i + 8])[::-1] for i in range(0, width, 8))
            found.append(ipaddress.ip_address(raw))
    return found


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_local_spark_listens_on_loopback_only(spark_con: object) -> None:
    session = spark_con._session
    conf = session.sparkContext.getConf()
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert conf.get("spark.ui.enabled") == "false"
    assert session.sparkContext.uiWebUrl is None
    pid = session.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    addresses = _listening_addresses(int(pid))
    assert addresses, "the driver listens on at least its RPC port"
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None)
        assert address.is_loopback or (mapped is not None and mapped.is_loopback), address


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_spark_events_of_an_empty_store(spark_con: object, tmp_path: Path) -> None:
    events = backends.spark_events(spark_con, tmp_path)
    assert events.schema() == CANONICAL
    assert events.count().execute() == 0


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_spark_schema_matches_what_the_store_writes(spark_con: object, real_store: Store) -> None:
    """The explicit schema equals the one Spark infers from the store's files (so nothing is cast)."""
    inferred = spark_con._session.read.parquet(str(real_store.home / "events"))
    given = backends.spark_schema()
    assert {f.name: f.dataType for f in inferred.schema.fields} == {f.name: f.dataType for f in given.fields}


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_spark_events_table_through_the_dispatcher(spark_con: object, real_store: Store) -> None:
    events = backends.events_table(spark_con, real_store.home)
    by_source = events.group_by("source").aggregate(n=events.count()).to_pandas()
    ref = real_store.events()
    expected = ref.group_by("source").aggregate(n=ref.count()).to_pandas()
    assert dict(zip(by_source["source"], by_source["n"], strict=True)) == dict(
        zip(expected["source"], expected["n"], strict=True)
    )


def test_engines_are_objects_named_in_one_registry() -> None:
    """issue 14: one Engine per name; names, aliases and store engines all come from ``ENGINES``."""
    assert backends.names() == backends.BACKENDS == ("duckdb", "pyspark", "bigquery")
    assert backends.names(store=True) == ("duckdb", "pyspark")
    assert backends.accepted(store=True) == ("duckdb", "pyspark", "spark")
    assert backends.engine(" BQ ") is backends.ENGINES["bigquery"]
    assert isinstance(backends.engine("spark"), backends.SparkEngine)
    with pytest.raises(ValueError, match="not a store engine: use duckdb or pyspark"):
        backends.store_engine("bigquery")
    with pytest.raises(ValueError, match="no events table on bigquery"):
        backends.ENGINES["bigquery"].events(type("Con", (), {"name": "bigquery"})(), Path("."))


def test_gdelt_mapping_is_written_once() -> None:
    """The reader's SQL and the Ibis mapping are generated from one table that covers GDELT's columns."""
    from detente.sources.gdelt import GDELT_MAPPING, _values

    assert set(GDELT_MAPPING) <= set(EVENT_SCHEMA.names)
    assert set(_values("gdelt2")) == set(GDELT_MAPPING) | {"source_file", "source_line"}
    assert _values("gdelt2")["event_id"] == "'gdelt2:' || CAST(_id AS VARCHAR)"
    mapped = backends.gdelt_canonical(ibis.table(backends.GDELT_BQ_SCHEMA, name="raw"))
    assert mapped.schema().names == tuple(EVENT_SCHEMA.names)
