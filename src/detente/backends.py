"""Query engines behind the store: DuckDB (default), Spark and BigQuery, all through Ibis.

Every indicator is one Ibis expression over an ``events`` table in the canonical schema
(:data:`detente.schema.EVENT_SCHEMA`); this module gives that table on each engine.

- **duckdb** — the store's own view (``Store.events()``); :func:`events_table` reads the same tree on
  any other DuckDB connection.
- **pyspark** — :func:`spark_session` starts (or joins) a Spark session, local or on a cluster
  (``master``); :func:`spark_events` reads the store's Hive-partitioned Parquet tree
  (``<home>/events/source=…/year=…``), the same files DuckDB reads, with the canonical schema given
  explicitly so no file is opened to infer it. A local session binds to 127.0.0.1 only and has no
  web UI (``docs/scale.md``).
- **bigquery** — :func:`gdelt_bigquery_events` maps GDELT's public ``gdelt-bq.gdeltv2`` event
  tables to the canonical columns the way the GDELT 2.0 reader does, so the same expressions compile
  to BigQuery SQL (:func:`bigquery_sql`). Without a connection the table is unbound: compile only.

Engines are optional extras and are imported on first use; a missing one raises
:class:`BackendNotInstalled` naming the extra (``pip install 'detente[spark]'``).
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from . import ontology
from .schema import EVENT_SCHEMA

if TYPE_CHECKING:
    from ibis.backends import BaseBackend
    from pyspark.sql import SparkSession

    from .config import Settings

__all__ = [
    "BACKENDS",
    "ENGINES",
    "GDELT_BQ_SCHEMA",
    "LOOPBACK_CONF",
    "SCAN_FIELDS",
    "BackendNotInstalled",
    "BigQueryEngine",
    "DuckDBEngine",
    "Engine",
    "SparkEngine",
    "accepted",
    "bigquery_connect",
    "bigquery_sql",
    "canonical",
    "connect",
    "engine",
    "events_table",
    "gdelt_bigquery_events",
    "gdelt_canonical",
    "gdelt_scan_sql",
    "names",
    "parse_backend",
    "require",
    "spark_connect",
    "spark_events",
    "spark_schema",
    "spark_session",
    "store_engine",
]

#: Spark settings that keep a session on the loopback interface and without its web UI (DESIGN §9)
LOOPBACK_CONF = {
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
#: defaults for every session: UTC dates; Arrow between pandas and Spark, which also makes Ibis's
#: in-memory tables (lookups, calendars) local relations with a known size, so Spark broadcasts them
#: instead of shuffling the events to join them (decision 035)
_SESSION_CONF = {"spark.sql.session.timeZone": "UTC", "spark.sql.execution.arrow.pyspark.enabled": "true"}
#: defaults for a local session: few shuffle partitions (the default 200 is for clusters)
_LOCAL_CONF = {"spark.sql.shuffle.partitions": "8"}
#: Spark type (class name in ``pyspark.sql.types``) of each Arrow type the store writes
_ARROW_TO_SPARK = {
    pa.string(): "StringType",
    pa.date32(): "DateType",
    pa.int8(): "ByteType",
    pa.int32(): "IntegerType",
    pa.int64(): "LongType",
    pa.float32(): "FloatType",
    pa.float64(): "DoubleType",
}


class BackendNotInstalled(ImportError):
    """An optional engine is not installed; the message names the extra that installs it."""


class Engine(Protocol):
    """A query engine, the Ibis way: its names, how to connect, where the store's events are on it."""

    #: the engine's name (Ibis's backend name)
    name: str
    #: other names users may type
    aliases: tuple[str, ...]
    #: True if the engine reads the store's Parquet tree (it can run ``Store.events``)
    reads_store: bool
    #: True if the store's own DuckDB connection is this engine (nothing to connect)
    is_store_connection: bool

    def require(self) -> None:
        """Raise :class:`BackendNotInstalled` (naming the extra) if the engine's package is missing."""

    def connect(self, **options: Any) -> BaseBackend:
        """An Ibis connection to the engine."""

    def configured(self, config: Settings) -> BaseBackend:
        """An Ibis connection from the settings (``DETENTE_*``)."""

    def events(self, con: BaseBackend, home: Path) -> ir.Table:
        """The store's events (canonical schema) read from ``<home>/events`` on ``con``."""


class _Extra:
    """An engine whose Python package is an extra: ``module`` must import, ``extra`` installs it."""

    name: str
    module: str
    extra: str

    def require(self) -> None:
        try:
            found = importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:  # a parent package (google, google.cloud) is missing
            found = False
        if not found:
            raise BackendNotInstalled(
                f"the {self.name} backend needs the {self.module!r} package: pip install 'detente[{self.extra}]'"
            )


class DuckDBEngine:
    """DuckDB, the default: the store's own connection; any other one reads the tree with ``read_parquet``."""

    name = "duckdb"
    aliases: tuple[str, ...] = ()
    reads_store = True
    is_store_connection = True

    def require(self) -> None:
        """DuckDB is always installed."""

    def connect(self, **options: Any) -> BaseBackend:
        """An in-memory DuckDB connection (the store opens its own file)."""
        return ibis.duckdb.connect(**options)

    def configured(self, config: Settings) -> BaseBackend:
        return self.connect()

    def events(self, con: BaseBackend, home: Path) -> ir.Table:
        return _duckdb_events(con, Path(home) / "events")


class SparkEngine(_Extra):
    """Spark through Ibis's PySpark backend, local (loopback only) or on a cluster (:func:`spark_session`)."""

    name = "pyspark"
    aliases: tuple[str, ...] = ("spark",)
    reads_store = True
    is_store_connection = False
    module, extra = "pyspark", "spark"

    def connect(self, **options: Any) -> BaseBackend:
        return spark_connect(**options)

    def configured(self, config: Settings) -> BaseBackend:
        return spark_connect(master=config.spark_master, conf=config.spark_conf)

    def events(self, con: BaseBackend, home: Path) -> ir.Table:
        return spark_events(con, home)


class BigQueryEngine(_Extra):
    """BigQuery: GDELT's public tables mapped to canonical events; the store's tree is not there."""

    name = "bigquery"
    aliases: tuple[str, ...] = ("bq",)
    reads_store = False
    is_store_connection = False
    module, extra = "google.cloud.bigquery", "bigquery"

    def connect(self, **options: Any) -> BaseBackend:
        return bigquery_connect(**options)

    def configured(self, config: Settings) -> BaseBackend:
        return bigquery_connect()

    def events(self, con: BaseBackend, home: Path) -> ir.Table:
        raise ValueError(f"the store's Parquet tree is local: no events table on {con.name} (see docs/scale.md)")


#: every engine by name, the default first: the one place engine names are written
ENGINES: dict[str, Engine] = {e.name: e for e in (DuckDBEngine(), SparkEngine(), BigQueryEngine())}
#: engine names, the default first
BACKENDS = tuple(ENGINES)


def names(*, store: bool = False) -> tuple[str, ...]:
    """Engine names, the default first; ``store=True``: only those that can read the store."""
    return tuple(n for n, e in ENGINES.items() if e.reads_store or not store)


def accepted(*, store: bool = False) -> tuple[str, ...]:
    """Every name a user may type (names and aliases), e.g. for a command-line choice."""
    return tuple(a for n in names(store=store) for a in (n, *ENGINES[n].aliases))


def parse_backend(name: str) -> str:
    """``duckdb``, ``pyspark`` or ``bigquery`` (``spark`` and ``bq`` accepted); ValueError otherwise."""
    key = name.strip().lower()
    for engine_name, e in ENGINES.items():
        if key == engine_name or key in e.aliases:
            return engine_name
    raise ValueError(f"unknown backend {name!r}: use one of {', '.join(BACKENDS)}")


def engine(name: str) -> Engine:
    """The engine of a name or alias."""
    return ENGINES[parse_backend(name)]


def store_engine(name: str) -> Engine:
    """The engine of a name, if it can run the store's events; ValueError naming those that can."""
    e = engine(name)
    if not e.reads_store:
        raise ValueError(f"{e.name} is a source of events, not a store engine: use {' or '.join(names(store=True))}")
    return e


def require(backend: str) -> None:
    """Raise :class:`BackendNotInstalled` if the engine's Python package is missing."""
    engine(backend).require()


def connect(backend: str = "duckdb", **options: Any) -> BaseBackend:
    """An Ibis connection to ``backend``: :func:`spark_connect` / :func:`bigquery_connect` options.

    ``duckdb`` gives an in-memory DuckDB connection (the store opens its own file).
    """
    return engine(backend).connect(**options)


def events_table(con: BaseBackend, home: str | Path) -> ir.Table:
    """The store's events (canonical schema) on ``con``, read from ``<home>/events``.

    A Spark connection reads the Parquet tree (:func:`spark_events`); a DuckDB connection reads
    it with ``read_parquet`` (the store itself uses its own view, ``Store.events()``).
    """
    return engine(con.name).events(con, Path(home))


def canonical(table: ir.Table) -> ir.Table:
    """``table`` with exactly the canonical columns, in order, cast to their canonical types."""
    types = ibis.schema({f.name: dt.dtype(f.type) for f in EVENT_SCHEMA})
    return table.select(*(table[name].cast(typ).name(name) for name, typ in types.items()))


# -- Spark ---------------------------------------------------------------------------------------


def spark_session(
    master: str = "local[2]", *, app_name: str = "detente", conf: Mapping[str, str] | None = None
) -> SparkSession:
    """Start (or join) a Spark session.

    Every session gets UTC session time and Arrow for pandas conversions (decision 035). A
    ``local[...]`` master also binds to 127.0.0.1 only (``SPARK_LOCAL_IP`` is set for the JVM it
    launches), with the web UI off and 8 shuffle partitions. ``conf`` is applied
    last (e.g. ``{"spark.driver.memory": "8g"}``; JVM settings count only for the first session of
    a process). Any other master URL (``spark://host:7077``, ``yarn``) is used as given.
    """
    require("pyspark")
    from pyspark.sql import SparkSession

    settings = dict(_SESSION_CONF)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM launcher
        settings |= LOOPBACK_CONF | _LOCAL_CONF
    settings |= dict(conf or {})
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_connect(
    session: SparkSession | None = None,
    *,
    master: str = "local[2]",
    conf: Mapping[str, str] | None = None,
) -> BaseBackend:
    """An Ibis PySpark connection over ``session`` (default: :func:`spark_session` of ``master``)."""
    require("pyspark")
    return ibis.pyspark.connect(session or spark_session(master, conf=conf))


def spark_schema(schema: pa.Schema = EVENT_SCHEMA) -> Any:
    """The Spark ``StructType`` of an Arrow schema of the store's types."""
    require("pyspark")
    from pyspark.sql import types

    return types.StructType(
        [types.StructField(f.name, getattr(types, _ARROW_TO_SPARK[f.type])(), nullable=True) for f in schema]
    )


def _view_name(path: Path) -> str:
    """A Spark temp-view name for a path (stable, identifier-safe)."""
    return "detente_events_" + re.sub(r"[^0-9a-zA-Z]+", "_", str(path.resolve())).strip("_")[-80:]


def spark_events(con: BaseBackend, home: str | Path) -> ir.Table:
    """The events under ``<home>/events`` as an Ibis table on a Spark connection.

    The Hive partition columns ``source`` and ``year`` come from the directory names, typed by the
    given schema; an empty or missing tree gives an empty table of the same schema.
    """
    top = Path(home) / "events"
    session = con._session  # the SparkSession Ibis wraps
    schema = spark_schema()
    if any(top.rglob("*.parquet")):
        frame = session.read.schema(schema).option("basePath", str(top)).parquet(str(top))
    else:
        frame = session.createDataFrame([], schema)
    name = _view_name(top)
    frame.createOrReplaceTempView(name)
    return canonical(con.table(name))


def _duckdb_events(con: BaseBackend, top: Path) -> ir.Table:
    if not any(top.rglob("*.parquet")):
        return ibis.memtable(EVENT_SCHEMA.empty_table())
    t = con.read_parquet(str(top / "**" / "*.parquet"), hive_partitioning=True, union_by_name=True)
    return canonical(t)


# -- BigQuery ------------------------------------------------------------------------------------

#: GDELT 2.0 event fields in the public BigQuery tables, with their BigQuery types (the table schema
#: as exported in linwoodc3/gdelt2HeaderRows, GDELT_2.0_Column_Labels_Header_Row_Sep2016.csv; the
#: field order is the GDELT Event Codebook V2.0 order, as in detente.sources.gdelt.V2_COLUMNS)
_GDELT_BQ_COLUMNS: tuple[tuple[str, str], ...] = (
    ("GLOBALEVENTID", "int64"), ("SQLDATE", "int64"), ("MonthYear", "int64"), ("Year", "int64"),
    ("FractionDate", "float64"),
    *(
        (f"{a}{f}", "string")
        for a in ("Actor1", "Actor2")
        for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                  "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
    ),
    ("IsRootEvent", "int64"), ("EventCode", "string"), ("EventBaseCode", "string"), ("EventRootCode", "string"),
    ("QuadClass", "int64"), ("GoldsteinScale", "float64"), ("NumMentions", "int64"), ("NumSources", "int64"),
    ("NumArticles", "int64"), ("AvgTone", "float64"),
    *(
        (f"{g}_{f}", t)
        for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for f, t in (("Type", "int64"), ("FullName", "string"), ("CountryCode", "string"), ("ADM1Code", "string"),
                     ("ADM2Code", "string"), ("Lat", "float64"), ("Long", "float64"), ("FeatureID", "string"))
    ),
    ("DATEADDED", "int64"), ("SOURCEURL", "string"),
)  # fmt: skip
GDELT_BQ_SCHEMA = ibis.schema(dict(_GDELT_BQ_COLUMNS))
#: the fields :func:`gdelt_canonical` reads (BigQuery bills by the columns a query reads)
SCAN_FIELDS = (
    "GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode",
    "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2Type1Code",
    "EventCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long", "SOURCEURL",
)  # fmt: skip
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+$")


def gdelt_scan_sql(
    start: date,
    end: date,
    *,
    table: str = "gdelt-bq.gdeltv2.events_partitioned",
    added_within_days: int = 31,
    fields: tuple[str, ...] = SCAN_FIELDS,
) -> str:
    """BigQuery SQL reading the GDELT 2.0 event ``fields`` (default: those Détente maps), for events dated
    ``start``..``end``.

    On the ``…_partitioned`` table (ingestion-day partitions) the scan is limited to partitions
    ``start`` .. ``end + added_within_days``: an event is added on or after its date, and one added
    more than ``added_within_days`` days later is left out (decision 037). Any other table is
    filtered on ``SQLDATE`` only (a full scan of the columns read).
    """
    if not _TABLE_NAME.match(table):
        raise ValueError(f"bad BigQuery table name {table!r}: expected project.dataset.table")
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    unknown = [f for f in fields if f not in GDELT_BQ_SCHEMA]
    if unknown or not fields:
        raise ValueError(f"not GDELT 2.0 event fields: {unknown}")
    columns = ", ".join(fields)
    where = f"SQLDATE BETWEEN {start:%Y%m%d} AND {end:%Y%m%d}"
    if table.endswith("_partitioned"):
        last = end + timedelta(days=added_within_days)
        where = (
            f"_PARTITIONTIME BETWEEN TIMESTAMP('{start.isoformat()}') AND TIMESTAMP('{last.isoformat()}')\n"
            f"  AND {where}"
        )
    return f"SELECT {columns}\nFROM `{table}`\nWHERE {where}"


def _trimmed(col: ir.StringValue) -> ir.StringValue:
    """A code or name without surrounding spaces, empty as null (as the file reader does)."""
    return col.strip().nullif("")


def _lookup(mapping: Mapping[str, str], key: str, value: str) -> ir.Table:
    """A two-column lookup table (``key`` → ``value``) to left-join on."""
    return ibis.memtable({key: list(mapping), value: list(mapping.values())}, schema={key: "string", value: "string"})


def gdelt_canonical(raw: ir.Table, source: str = "gdelt2") -> ir.Table:
    """GDELT event fields (BigQuery names and types) as canonical events, mapped like the file reader.

    Generated from :data:`detente.sources.gdelt.GDELT_MAPPING`, the mapping the file reader's SQL
    is generated from: ``event_id`` = ``<source>:<GLOBALEVENTID>``; date from SQLDATE; actor country
    = ISO3 of the CAMEO country code, else the organisation of the known-group code, else the code
    as written; ``country`` = ISO3 of ActionGeo_CountryCode (FIPS 10-4). The crosswalks are small
    lookup tables left-joined to the rows (decision 037), as the reader joins them in DuckDB. Rows
    are not validated (no quarantine): BigQuery's rows are GDELT's own typed table.
    """
    from .sources.gdelt import GDELT_MAPPING

    t = raw.mutate(
        _c1=_trimmed(raw.Actor1CountryCode),
        _k1=_trimmed(raw.Actor1KnownGroupCode),
        _c2=_trimmed(raw.Actor2CountryCode),
        _k2=_trimmed(raw.Actor2KnownGroupCode),
        _cg=_trimmed(raw.ActionGeo_CountryCode),
        _code=_trimmed(raw.EventCode),  # event_code and event_root
    )
    cameo, orgs = ontology.cameo_country_to_iso3(), ontology.known_group_to_org()
    for key, mapping in (
        ("_c1", cameo),
        ("_k1", orgs),
        ("_c2", cameo),
        ("_k2", orgs),
        ("_cg", ontology.fips_to_iso3()),
    ):
        table = _lookup(mapping, f"{key}_key", f"{key}_iso3")
        t = t.left_join(table, t[key] == table[f"{key}_key"]).drop(f"{key}_key")
    values = {name: _gdelt_value(t, kind, field, source) for name, (kind, field) in GDELT_MAPPING.items()}
    values.pop("year")  # from the date, below
    t = t.select(**{f.name: values.get(f.name, ibis.null(dt.dtype(f.type))) for f in EVENT_SCHEMA if f.name != "year"})
    return canonical(t.mutate(year=t.date.year()))


def _gdelt_value(t: ir.Table, kind: str, field: str, source: str) -> ir.Value:
    """The Ibis expression of one :data:`~detente.sources.gdelt.GDELT_MAPPING` entry over BigQuery's fields."""
    if kind == "actor_country":
        n = field.removeprefix("Actor")
        return ibis.coalesce(t[f"_c{n}_iso3"], t[f"_k{n}_iso3"], t[f"_c{n}"])
    if kind in ("source", "const"):
        return ibis.literal(source if kind == "source" else field)
    if kind == "fips":
        return t._cg_iso3
    col = t[field]
    trimmed = (lambda: t._code) if field == "EventCode" else (lambda: _trimmed(col))
    return {
        "id": lambda: ibis.literal(f"{source}:") + col.cast("string"),
        "date": lambda: col.cast("string").as_date("%Y%m%d"),
        "year": lambda: col.cast("string").as_date("%Y%m%d").year(),
        "text": trimmed,
        "root": lambda: trimmed().left(2),
        "as_is": lambda: col,
    }[kind]()


def gdelt_bigquery_events(
    start: date,
    end: date,
    *,
    con: BaseBackend | None = None,
    table: str = "gdelt-bq.gdeltv2.events_partitioned",
    added_within_days: int = 31,
) -> ir.Table:
    """GDELT 2.0 events dated ``start``..``end`` from BigQuery, as canonical events.

    With ``con`` (:func:`bigquery_connect`) the table runs there; without, it is unbound and only
    compiles (:func:`bigquery_sql`). The scan is :func:`gdelt_scan_sql`.
    """
    query = gdelt_scan_sql(start, end, table=table, added_within_days=added_within_days)
    schema = ibis.schema({name: GDELT_BQ_SCHEMA[name] for name in SCAN_FIELDS})
    raw = ops.SQLQueryResult(query=query, schema=schema, source=con).to_expr()
    return gdelt_canonical(raw, "gdelt2")


def bigquery_connect(*, project_id: str | None = None, **options: Any) -> BaseBackend:
    """An Ibis BigQuery connection (billing ``project_id``; credentials as in ``docs/scale.md``)."""
    require("bigquery")
    return ibis.bigquery.connect(project_id=project_id, **options)


def bigquery_sql(expr: ir.Expr, *, pretty: bool = True) -> str:
    """BigQuery SQL of an expression (compiled, never run)."""
    return ibis.to_sql(expr, dialect="bigquery", pretty=pretty)
