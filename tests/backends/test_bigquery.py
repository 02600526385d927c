"""BigQuery: compile-only snapshots of the SQL of the main queries over GDELT's public tables.

Nothing runs on BigQuery here (no credentials in CI). The SQL of each query is compared with its
snapshot under ``snapshots/<test>/<case>/out.sql`` and parsed back by sqlglot's BigQuery dialect;
``DETENTE_UPDATE_SNAPSHOTS=1 pytest tests/backends`` rewrites the snapshots (review the diff).
The mapping itself (:func:`gdelt_canonical`) is checked by running it on DuckDB over the real
GDELT 2.0 export typed as BigQuery types it, against what the store's file reader stored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd
import pytest
import sqlglot

from detente import EVENT_SCHEMA, Store, backends, indicators
from detente.indicators.incidents import curated, incidents_expr
from detente.sources.gdelt import V2_COLUMNS

SNAPSHOTS = Path(__file__).parent / "snapshots"
START, END = date(2019, 1, 1), date(2019, 12, 31)
_MEMTABLE = re.compile(r"ibis_pandas_memtable_[a-z0-9]+")
_EXCEPT = re.compile(r"EXCEPT \(([^)]*)\)")


def _normalise(sql: str) -> str:
    """Stable text for a snapshot: Ibis's random memtable names numbered by first appearance, and the
    columns of ``EXCEPT (...)`` sorted (Ibis emits them in set order, which varies between processes)."""
    names: dict[str, str] = {}
    sql = _MEMTABLE.sub(lambda m: names.setdefault(m.group(0), f"ibis_pandas_memtable_{len(names)}"), sql)
    return _EXCEPT.sub(lambda m: "EXCEPT (" + ", ".join(sorted(m.group(1).split(", "))) + ")", sql)


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Compare SQL with ``snapshots/<test>/<case>/out.sql`` (or write it with DETENTE_UPDATE_SNAPSHOTS=1)."""
    callspec = getattr(request.node, "callspec", None)
    path = SNAPSHOTS / request.node.originalname / (callspec.id if callspec else "default") / "out.sql"

    def check(sql: str) -> None:
        text = _normalise(sql).rstrip() + "\n"
        if os.environ.get("DETENTE_UPDATE_SNAPSHOTS"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        assert path.exists(), f"no snapshot {path}: run with DETENTE_UPDATE_SNAPSHOTS=1 and review it"
        assert text == path.read_text()

    return check


@pytest.fixture
def bq_events() -> ir.Table:
    """GDELT 2.0 events of 2019 from the partitioned public table, unbound (compile only)."""
    return backends.gdelt_bigquery_events(START, END)


@pytest.fixture
def events_relation() -> ir.Table:
    """An unbound canonical ``events`` table: the indicator SQL alone, without the GDELT mapping under it."""
    return ibis.table(ibis.schema({f.name: dt.dtype(f.type) for f in EVENT_SCHEMA}), name="events")


QUERIES: dict[str, Callable[[ir.Table], ir.Expr]] = {
    "dyadic-month": lambda ev: indicators.series_expr(ev, "PRK-KOR", "month"),
    "dyadic-week-directed-ids": lambda ev: indicators.series_expr(
        ev, "PRK>KOR", "week", weight="sources", event_ids=True
    ),
    "tension-components": lambda ev: indicators.components_expr(ev, "PRK-KOR", "month", START, END),
    "incidents": lambda ev: incidents_expr(curated(ev, "PRK-KOR")),
}


def test_gdelt_mapping_sql_snapshot(bq_events: ir.Table, snapshot: Callable[[str], None]) -> None:
    """The canonical events over the public table: the scan, then the mapping (CASE lookups)."""
    sql = backends.bigquery_sql(bq_events)
    assert sqlglot.parse_one(sql, read="bigquery") is not None
    assert "FROM `gdelt-bq.gdeltv2.events_partitioned`" in sql
    assert "_PARTITIONTIME BETWEEN TIMESTAMP('2019-01-01') AND TIMESTAMP('2020-01-31')" in sql
    snapshot(sql)


@pytest.mark.parametrize("query", list(QUERIES))
def test_bigquery_sql_snapshot(query: str, events_relation: ir.Table, snapshot: Callable[[str], None]) -> None:
    """The indicator queries' own SQL, over a canonical ``events`` relation."""
    sql = backends.bigquery_sql(QUERIES[query](events_relation))
    assert sqlglot.parse_one(sql, read="bigquery") is not None
    snapshot(sql)


@pytest.mark.parametrize("query", list(QUERIES))
def test_queries_over_the_public_table_compile(query: str, bq_events: ir.Table) -> None:
    """The same queries over the mapped public table: one statement BigQuery's dialect parses."""
    sql = backends.bigquery_sql(QUERIES[query](bq_events))
    assert sqlglot.parse_one(sql, read="bigquery") is not None
    assert sql.count("FROM `gdelt-bq.gdeltv2.events_partitioned`") >= 1


def test_monthly_series_sql_buckets_and_filters_in_bigquery_terms(bq_events: ir.Table) -> None:
    sql = backends.bigquery_sql(indicators.series_expr(bq_events, "PRK-KOR", "month"))
    assert "DATE_TRUNC(" in sql and ", MONTH)" in sql
    assert "PARSE_DATE('%Y%m%d', CAST(" in sql
    assert "SQLDATE BETWEEN 20190101 AND 20191231" in sql


@pytest.mark.parametrize(
    ("table", "partitioned"),
    [("gdelt-bq.gdeltv2.events_partitioned", True), ("gdelt-bq.gdeltv2.events", False)],
    ids=["partitioned", "full-table"],
)
def test_gdelt_scan_sql_snapshot(table: str, partitioned: bool, snapshot: Callable[[str], None]) -> None:
    sql = backends.gdelt_scan_sql(date(2018, 6, 1), date(2018, 6, 30), table=table, added_within_days=7)
    assert ("_PARTITIONTIME BETWEEN TIMESTAMP('2018-06-01') AND TIMESTAMP('2018-07-07')" in sql) is partitioned
    assert sqlglot.parse_one(sql, read="bigquery") is not None
    snapshot(sql)


def test_gdelt_scan_sql_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="project.dataset.table"):
        backends.gdelt_scan_sql(START, END, table="events; DROP TABLE x")
    with pytest.raises(ValueError, match="before start"):
        backends.gdelt_scan_sql(END, START)


def test_bigquery_schema_follows_the_codebook_field_order() -> None:
    assert tuple(backends.GDELT_BQ_SCHEMA.names) == V2_COLUMNS
    assert len(V2_COLUMNS) == 61
    assert backends.GDELT_BQ_SCHEMA["EventCode"].is_string()  # leading zeros kept (codebook note)


def test_mapping_on_the_real_export_equals_the_file_reader(data_dir: Path, real_store: Store) -> None:
    """``gdelt_canonical`` over the real export typed as BigQuery types it = the rows the reader stored."""
    path = data_dir / "gdelt_events" / "20191024143000.export.CSV"
    types = {"int64": "BIGINT", "float64": "DOUBLE", "string": "VARCHAR"}
    columns = ", ".join(f"'{n}': '{types[str(t)]}'" for n, t in backends.GDELT_BQ_SCHEMA.items())
    con = ibis.duckdb.connect()
    con.raw_sql(
        f"CREATE TABLE gdelt_raw AS SELECT * FROM read_csv('{path}', delim = '\t', quote = '', header = false,"
        f" columns = {{{columns}}}, auto_detect = false)"
    )
    mapped = backends.gdelt_canonical(con.table("gdelt_raw")).to_pandas()
    stored = real_store.events().filter(ibis._.source == "gdelt2").to_pandas()
    assert len(mapped) == len(stored) == 2111
    compared = [c for c in stored.columns if c not in ("source_file", "source_line")]
    pd.testing.assert_frame_equal(
        mapped.sort_values("event_id").reset_index(drop=True)[compared],
        stored.sort_values("event_id").reset_index(drop=True)[compared],
    )
    assert mapped["source_file"].isna().all()  # BigQuery rows have no file or line


def test_bigquery_connection_needs_the_extra() -> None:
    import importlib.util

    try:
        installed = importlib.util.find_spec("google.cloud.bigquery") is not None
    except ModuleNotFoundError:  # no google.cloud at all
        installed = False
    if installed:
        backends.require("bigquery")
    else:
        with pytest.raises(backends.BackendNotInstalled, match=r"pip install 'detente\[bigquery\]'"):
            backends.bigquery_connect(project_id="my-billing-project")


@pytest.mark.parametrize(
    ("scope", "table"),
    [("korea", "gdelt-bq.gdeltv2.events_partitioned"), (None, "gdelt-bq.gdeltv2.events")],
    ids=["korea-partitioned", "all-full-table"],
)
def test_fetch_query_sql_snapshot(scope: str | None, table: str, snapshot: Callable[[str], None]) -> None:
    """``fetch gdelt --via bigquery``: partitions and days, then the scope on the three raw country fields."""
    from detente.gdelt_bigquery import FIELDS, gdelt_query_sql
    from detente.scope import resolve_scope

    sql = gdelt_query_sql(date(2019, 10, 1), date(2019, 10, 31), resolve_scope(scope), table=table)
    assert sqlglot.parse_one(sql, read="bigquery") is not None
    assert ("_PARTITIONTIME BETWEEN TIMESTAMP('2019-10-01') AND TIMESTAMP('2019-12-01')" in sql) is (scope is not None)
    assert "SQLDATE BETWEEN 20191001 AND 20191031" in sql
    assert ("IN ('CH', 'JA', 'KN', 'KS', 'RS', 'US')" in sql) is (scope is not None)  # FIPS places
    assert all(f"    {name},\n" in sql or f"    {name}\n" in sql for name in FIELDS) and "*\n  FROM `gdelt" not in sql
    snapshot(sql)
