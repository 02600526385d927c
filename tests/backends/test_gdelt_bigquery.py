"""``fetch gdelt --via bigquery`` through the client seam: the compiled SQL runs for real on DuckDB.

The test client plays BigQuery's public table: the real GDELT 2.0 export of 2019-10-24 14:30
(2,111 rows), typed as BigQuery types it, in a DuckDB table named ``gdelt-bq.gdeltv2.events_partitioned``
whose ``_PARTITIONTIME`` is the day of DATEADDED. ``run`` transpiles the compiled BigQuery SQL to
DuckDB with sqlglot and executes it, so the partition, date and scope filters are exercised, and the
rows go through the store's real ingest.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import sqlglot
from typer.testing import CliRunner

from detente import Store, backends
from detente.gdelt_bigquery import QueryRun, fetch_gdelt_bigquery
from detente.scope import resolve_scope
from detente.sources.gdelt import Gdelt2Reader

V2 = "gdelt_events/20191024143000.export.CSV"
DAY = date(2019, 10, 24)
_TYPES = {"int64": "BIGINT", "float64": "DOUBLE", "string": "VARCHAR"}


class DuckDBPublicTable:
    """A :class:`~detente.gdelt_bigquery.BigQueryClient` over the real export; it counts its calls."""

    def __init__(self, export: Path, job_ids: list[str] | None = None) -> None:
        columns = ", ".join(f"'{n}': '{_TYPES[str(t)]}'" for n, t in backends.GDELT_BQ_SCHEMA.items())
        self.db = duckdb.connect()
        self.db.execute("ATTACH ':memory:' AS \"gdelt-bq\"")
        self.db.execute('CREATE SCHEMA "gdelt-bq".gdeltv2')
        self.db.execute(
            'CREATE TABLE "gdelt-bq".gdeltv2.events_partitioned AS SELECT *,'
            " CAST(CAST(strptime(CAST(DATEADDED AS VARCHAR), '%Y%m%d%H%M%S') AS DATE) AS TIMESTAMP) AS _PARTITIONTIME"
            f" FROM read_csv(?, delim = '\t', quote = '', header = false, columns = {{{columns}}},"
            " auto_detect = false)",
            [str(export)],
        )
        self.job_ids = job_ids or ["job_1", "job_2"]
        self.dry_runs: list[str] = []
        self.runs: list[str] = []

    def dry_run(self, sql: str) -> int:
        self.dry_runs.append(sql)
        return 123_456_789

    def run(self, sql: str) -> QueryRun:
        self.runs.append(sql)
        table = self.db.execute(sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]).fetch_arrow_table()
        return QueryRun(table, self.job_ids[len(self.runs) - 1], 10_485_760)


@pytest.fixture
def public(data_dir: Path) -> DuckDBPublicTable:
    return DuckDBPublicTable(data_dir / V2)


def _events(store: Store) -> list[tuple[object, ...]]:
    return store.con.sql("SELECT * EXCLUDE (source_file, source_line) FROM events ORDER BY event_id").fetchall()


def test_dry_run_only_without_confirmation(public: DuckDBPublicTable, store: Store) -> None:
    asked: list[int] = []
    fetch = fetch_gdelt_bigquery(store, DAY, DAY, public, scope=resolve_scope("korea"))
    assert (fetch.bytes_scanned, fetch.ran, public.runs) == (123_456_789, False, [])
    declined = fetch_gdelt_bigquery(store, DAY, DAY, public, confirm=lambda n: asked.append(n) or False)
    assert asked == [123_456_789] and not declined.ran and public.runs == []
    assert public.dry_runs == [fetch.sql, declined.sql]
    assert not (store.home / "downloads" / "bigquery").exists()
    assert store.con.sql("SELECT count(*) FROM events").fetchone() == (0,)


def test_scoped_fetch_stores_what_the_scoped_file_read_stores(
    public: DuckDBPublicTable, store: Store, data_dir: Path, tmp_path: Path
) -> None:
    korea = resolve_scope("korea")
    fetch = fetch_gdelt_bigquery(store, date(2018, 1, 1), DAY, public, scope=korea, confirm=lambda _: True)
    assert fetch.ran and fetch.job_id == "job_1" and fetch.ingest is not None
    # the SQL's own scope filter kept exactly the 1,067 Korea-scope rows of tests/sources/test_scope.py
    assert fetch.rows == 1067 and (fetch.ingest.status, fetch.ingest.rows_read) == ("ingested", 1067)
    assert fetch.ingest.rows_stored + fetch.ingest.rows_quarantined == 1067
    assert fetch.path is not None and fetch.path.name == "bigquery-20180101-20191024-korea-job_1.export.CSV"
    assert all(line.count("\t") == 60 for line in fetch.path.read_text("utf-8").splitlines())
    provenance = json.loads(fetch.path.with_name(fetch.path.name + ".json").read_text("utf-8"))
    assert provenance["query"] == fetch.sql and provenance["job_id"] == "job_1"
    assert (provenance["bytes_scanned_dry_run"], provenance["rows"], provenance["scope"]) == (
        123_456_789, 1067, "CHN,JPN,KOR,PRK,RUS,USA",
    )  # fmt: skip
    # the same canonical rows as the real file read through the GDELT 2.0 reader with the same scope
    other = Store(tmp_path / "file-home")
    try:
        assert other.ingest(data_dir / V2, Gdelt2Reader(korea)).status == "ingested"
        assert _events(store) == _events(other)
    finally:
        other.close()
    stored = store.con.sql("SELECT DISTINCT source_file FROM events").fetchall()
    assert stored == [(fetch.path.name,)]  # each row names the file, which names the job


def test_partition_and_day_filters_run(public: DuckDBPublicTable, store: Store) -> None:
    """Events dated 2019-10-24 only: the export's rows with other SQLDATEs are left out by the query."""
    fetch = fetch_gdelt_bigquery(store, DAY, DAY, public, confirm=lambda _: True)
    on_day = public.db.execute(
        'SELECT count(*) FROM "gdelt-bq".gdeltv2.events_partitioned WHERE SQLDATE = 20191024'
    ).fetchone()
    assert on_day is not None and fetch.rows == on_day[0] and 0 < on_day[0] < 2111
    late = fetch_gdelt_bigquery(store, date(2019, 12, 1), date(2019, 12, 31), public, confirm=lambda _: True)
    assert late.rows == 0 and late.path is None and late.ingest is None  # no rows: nothing written or ingested


def test_a_second_fetch_stores_nothing_twice(public: DuckDBPublicTable, store: Store) -> None:
    first = fetch_gdelt_bigquery(store, DAY, DAY, public, confirm=lambda _: True)
    second = fetch_gdelt_bigquery(store, DAY, DAY, public, confirm=lambda _: True)
    assert first.path is not None and second.path is not None and first.path != second.path
    assert first.path.read_bytes() == second.path.read_bytes()  # same rows, same file
    assert second.ingest is not None and second.ingest.status != "ingested"
    count = store.con.sql("SELECT count(*) FROM events").fetchone()
    assert first.ingest is not None and count == (first.ingest.rows_stored,)


def test_a_job_id_that_is_not_one_names_no_file(data_dir: Path, store: Store) -> None:
    client = DuckDBPublicTable(data_dir / V2, job_ids=["../../etc/passwd"])
    with pytest.raises(RuntimeError, match="job id that is not one"):
        fetch_gdelt_bigquery(store, DAY, DAY, client, confirm=lambda _: True)
    assert not (store.home / "downloads" / "bigquery").exists()


def test_export_writes_empty_fields_for_columns_not_read(tmp_path: Path) -> None:
    from detente.gdelt_bigquery import write_export

    path = tmp_path / "x.export.CSV"
    write_export(pa.table({"GLOBALEVENTID": [7], "AvgTone": [-2.5], "EventCode": [None]}), path)
    fields = path.read_text("utf-8").rstrip("\n").split("\t")
    assert len(fields) == 61 and fields[0] == "7" and fields[34] == "-2.5" and fields[26] == ""


def test_cli_dry_run_then_yes(public: DuckDBPublicTable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.cli import app
    from detente.gdelt_bigquery import IbisBigQueryClient

    monkeypatch.setattr(IbisBigQueryClient, "connect", classmethod(lambda cls, project_id=None: public))
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    args = ["fetch", "gdelt", "--via", "bigquery", "--start", "2019-10-24", "--end", "2019-10-24", "--scope", "korea"]
    dry = CliRunner().invoke(app, args)
    assert dry.exit_code == 0, dry.output
    assert "123,456,789 bytes (123.5 MB, 0.01% of BigQuery's free 1 TiB a month)" in dry.output
    assert "not run: pass --yes" in dry.output and public.runs == []
    done = CliRunner().invoke(app, [*args, "--yes"])
    assert done.exit_code == 0, done.output
    assert "job job_1" in done.output and len(public.runs) == 1


def test_cli_without_the_extra_says_the_pip_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.cli import app

    try:
        backends.require("bigquery")
    except backends.BackendNotInstalled:
        pass
    else:
        pytest.skip("the bigquery extra is installed here")
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    args = ["fetch", "gdelt", "--via", "bigquery", "--start", "2019-10-24", "--end", "2019-10-24"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "pip install 'detente[bigquery]'" in result.output


def test_cli_a_refused_query_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.cli import app
    from detente.gdelt_bigquery import BigQueryError, IbisBigQueryClient

    class Refusing:
        def dry_run(self, sql: str) -> int:
            raise BigQueryError("BigQuery refused the dry run: google.api_core.Forbidden: 403 Access Denied")

    monkeypatch.setattr(IbisBigQueryClient, "connect", classmethod(lambda cls, project_id=None: Refusing()))
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    args = ["fetch", "gdelt", "--via", "bigquery", "--start", "2019-10-24", "--end", "2019-10-24", "--yes"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "403 Access Denied" in result.output
