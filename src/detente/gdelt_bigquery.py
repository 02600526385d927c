"""GDELT 2.0 events from BigQuery's public tables into the store: one scoped query, a dry run first.

:func:`fetch_gdelt_bigquery` (``detente fetch gdelt --via bigquery``, decision 086):

1. **the query** (:func:`gdelt_query`): the scan of decision 037 (``_PARTITIONTIME`` partitions of
   ``gdelt-bq.gdeltv2.events_partitioned`` plus ``SQLDATE`` between the days) as an Ibis table, the
   scope filter added in Ibis on the same three raw fields and codes the file reader filters on
   (``Actor1CountryCode``, ``Actor2CountryCode``: CAMEO; ``ActionGeo_CountryCode``: FIPS 10-4;
   :mod:`detente.scope`), rows ordered by ``GLOBALEVENTID``, compiled to BigQuery SQL;
2. **the dry run**: ``client.dry_run(sql)`` gives the bytes the query will scan (BigQuery bills those
   bytes); nothing runs unless ``confirm(bytes)`` says so (the CLI's ``--yes`` or its question);
3. **the run**: ``client.run(sql)`` gives the rows (Arrow) and the job id;
4. **an ordinary ingest**: the rows are written as a GDELT 2.0 export (the 61 fields in the codebook
   order, tab-separated; the fields Détente does not read are empty) under
   ``<home>/downloads/bigquery/``, the query text, job id and bytes beside it in ``<file>.json``, and
   the file goes through :meth:`detente.store.Store.ingest` with the GDELT 2.0 reader and the scope:
   the same mapping, checks, quarantine, manifest and scope record as a downloaded export. The same
   rows give the same file, which the store holds once.

The client is a seam (:class:`BigQueryClient`): :class:`IbisBigQueryClient` runs on Ibis's BigQuery
connection (``pip install 'detente[bigquery]'``); tests pass their own.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from . import backends
from .ingest import one_line
from .scope import Scope
from .sources.gdelt import V2_COLUMNS, Gdelt2Reader
from .update import downloads_dir

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

    from .store import IngestReport, Store

__all__ = [
    "DEFAULT_TABLE",
    "FIELDS",
    "FREE_BYTES_PER_MONTH",
    "BigQueryClient",
    "BigQueryError",
    "BigQueryFetch",
    "IbisBigQueryClient",
    "QueryRun",
    "describe_bytes",
    "fetch_gdelt_bigquery",
    "gdelt_query",
    "gdelt_query_sql",
    "write_export",
]

DEFAULT_TABLE = "gdelt-bq.gdeltv2.events_partitioned"
#: the fields the query reads (BigQuery bills by column): those the reader maps, plus EventRootCode,
#: which it checks against EventCode
FIELDS: tuple[str, ...] = (*backends.SCAN_FIELDS, "EventRootCode")
#: BigQuery's free on-demand query bytes per month (1 TiB; "BigQuery pricing", docs/update.md)
FREE_BYTES_PER_MONTH = 2**40
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,1024}")  # BigQuery job ids: letters, digits, dashes, underscores


class BigQueryError(RuntimeError):
    """BigQuery refused a connection or a query (the message is one line, for the user)."""


@dataclass(frozen=True)
class QueryRun:
    """What a query run gave: its rows and the job that ran it."""

    table: pa.Table
    job_id: str
    bytes_billed: int | None = None


class BigQueryClient(Protocol):
    """Where the query runs: a dry run (bytes it would scan) and a run (rows and job id)."""

    def dry_run(self, sql: str) -> int:
        """The bytes ``sql`` would scan, without running it."""

    def run(self, sql: str) -> QueryRun:
        """Run ``sql``: its rows and job id."""


class IbisBigQueryClient:
    """:class:`BigQueryClient` on an Ibis BigQuery connection (its ``google.cloud.bigquery`` client)."""

    def __init__(self, backend: BaseBackend) -> None:
        self.backend = backend

    @classmethod
    def connect(cls, project_id: str | None = None, **options: Any) -> IbisBigQueryClient:
        """A client billing ``project_id`` (credentials: ``docs/update.md``).

        Raises :class:`~detente.backends.BackendNotInstalled` without the extra, :class:`BigQueryError`
        when Google refuses (no credentials, no such project).
        """
        backends.require("bigquery")
        try:
            return cls(backends.bigquery_connect(project_id=project_id, **options))
        except Exception as exc:  # google.auth and google.api_core errors, whatever their class
            raise BigQueryError(f"cannot connect to BigQuery: {one_line(exc)}") from exc

    def _query(self, sql: str, **config: Any) -> Any:
        from google.cloud import bigquery

        client = self.backend.client
        job_config = bigquery.QueryJobConfig(use_legacy_sql=False, **config)
        return client.query(sql, job_config=job_config, project=self.backend.billing_project)

    def dry_run(self, sql: str) -> int:
        try:
            return int(self._query(sql, dry_run=True, use_query_cache=False).total_bytes_processed or 0)
        except Exception as exc:  # a refused query, quota, network: one line for the user
            raise BigQueryError(f"BigQuery refused the dry run: {one_line(exc)}") from exc

    def run(self, sql: str) -> QueryRun:
        try:
            job = self._query(sql)
            table = job.result().to_arrow()
        except Exception as exc:
            raise BigQueryError(f"the BigQuery query failed: {one_line(exc)}") from exc
        return QueryRun(table, str(job.job_id), job.total_bytes_billed)


def _in_scope(raw: ir.Table, scope: Scope) -> ir.BooleanValue:
    """The raw record is in ``scope``: the file reader's test (decision 063), in Ibis."""
    actors, places = list(scope.cameo_codes), list(scope.fips_codes)
    return (
        raw.Actor1CountryCode.strip().isin(actors)
        | raw.Actor2CountryCode.strip().isin(actors)
        | raw.ActionGeo_CountryCode.strip().isin(places)
    )


def gdelt_query(
    start: date,
    end: date,
    scope: Scope | None = None,
    *,
    table: str = DEFAULT_TABLE,
    added_within_days: int = 31,
) -> ir.Table:
    """The raw GDELT 2.0 fields of :data:`FIELDS` for events dated ``start``..``end`` in ``scope``, unbound."""
    query = backends.gdelt_scan_sql(start, end, table=table, added_within_days=added_within_days, fields=FIELDS)
    schema = ibis.schema({name: backends.GDELT_BQ_SCHEMA[name] for name in FIELDS})
    raw = ops.SQLQueryResult(query=query, schema=schema, source=None).to_expr()
    if scope is not None:
        raw = raw.filter(_in_scope(raw, scope))
    return raw.order_by(raw.GLOBALEVENTID)


def gdelt_query_sql(start: date, end: date, scope: Scope | None = None, **options: Any) -> str:
    """BigQuery SQL of :func:`gdelt_query`."""
    return str(backends.bigquery_sql(gdelt_query(start, end, scope, **options)))


@dataclass(frozen=True)
class BigQueryFetch:
    """One ``fetch --via bigquery``: the query, its dry-run bytes and, when it ran, the file and its ingest."""

    sql: str
    bytes_scanned: int
    job_id: str | None = None
    path: Path | None = None
    rows: int | None = None
    ingest: IngestReport | None = None

    @property
    def ran(self) -> bool:
        return self.job_id is not None


def describe_bytes(n: int) -> str:
    """``n`` bytes for a person: exact, in MB or GB, and as a share of the free tier.

    >>> describe_bytes(123_456_789)
    "123,456,789 bytes (123.5 MB, 0.01% of BigQuery's free 1 TiB a month)"
    """
    size = f"{n / 1e9:,.1f} GB" if n >= 1e9 else f"{n / 1e6:,.1f} MB"
    return f"{n:,} bytes ({size}, {100 * n / FREE_BYTES_PER_MONTH:.2f}% of BigQuery's free 1 TiB a month)"


def _file_name(start: date, end: date, scope: Scope | None, job_id: str) -> str:
    label = (scope.name or scope.key.replace(",", "+")) if scope is not None else "all"
    return f"bigquery-{start:%Y%m%d}-{end:%Y%m%d}-{label}-{job_id}.export.CSV"


def write_export(rows: pa.Table, path: Path) -> None:
    """``rows`` (fields named as in BigQuery) as a GDELT 2.0 export: 61 tab-separated fields, empty when absent.

    Values are written as DuckDB casts them to text (GDELT's own numbers round-trip); a value holding
    a tab or a line break would split its line, which the reader then quarantines whole.
    """
    have = set(rows.column_names)
    fields = ", ".join(f"coalesce(CAST(\"{name}\" AS VARCHAR), '')" if name in have else "''" for name in V2_COLUMNS)
    db = duckdb.connect()
    try:
        db.register("bq_rows", rows)
        tmp = path.with_name(path.name + ".part")
        db.execute(
            f"COPY (SELECT {fields} FROM bq_rows) TO '{tmp.as_posix().replace(chr(39), chr(39) * 2)}'"
            " (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')"
        )
    finally:
        db.close()
    os.replace(tmp, path)


def fetch_gdelt_bigquery(
    store: Store,
    start: date,
    end: date,
    client: BigQueryClient,
    *,
    scope: Scope | None = None,
    table: str = DEFAULT_TABLE,
    added_within_days: int = 31,
    confirm: Callable[[int], bool] | None = None,
) -> BigQueryFetch:
    """Dry-run the scoped query and, if ``confirm(bytes)`` says so, run it and ingest its rows (module docstring).

    Without ``confirm`` only the dry run is made. A run that returns no rows writes and ingests
    nothing. Raises ValueError for bad dates or table names, :class:`RuntimeError` for a job id that
    is not one (it would name the file).
    """
    sql = gdelt_query_sql(start, end, scope, table=table, added_within_days=added_within_days)
    scanned = client.dry_run(sql)
    if confirm is None or not confirm(scanned):
        return BigQueryFetch(sql, scanned)
    result = client.run(sql)
    if not _JOB_ID.fullmatch(result.job_id):
        raise RuntimeError(f"BigQuery returned a job id that is not one: {result.job_id[:80]!r}")
    if result.table.num_rows == 0:
        return BigQueryFetch(sql, scanned, result.job_id, rows=0)
    folder = downloads_dir(store.home, "bigquery")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _file_name(start, end, scope, result.job_id)
    write_export(result.table, path)
    provenance = {
        "query": sql, "job_id": result.job_id, "bytes_scanned_dry_run": scanned, "bytes_billed": result.bytes_billed,
        "table": table, "start": start.isoformat(), "end": end.isoformat(), "scope": scope.key if scope else None,
        "rows": result.table.num_rows, "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip
    path.with_name(path.name + ".json").write_text(json.dumps(provenance, indent=2) + "\n", "utf-8")
    report = store.ingest(path, Gdelt2Reader(scope))
    return BigQueryFetch(sql, scanned, result.job_id, path, result.table.num_rows, report)
