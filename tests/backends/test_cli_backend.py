"""Engine selection from configuration and the CLI: ``DETENTE_BACKEND`` / ``--backend spark``.

The CLI runs on the shared store (real files). A command on Spark must print the CSV it prints on
DuckDB: the same header, rows and text cells, and the same numbers up to the last bits of a float sum
(Spark adds in another order: -51.10000000000001 against -51.1). ``DETENTE_BACKEND`` is restored after
each run (``CliRunner(env=...)``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from detente import Store
from detente.cli import app
from detente.config import Settings

#: py4j's unclosed result sockets (see conftest.SPARK_WARNINGS)
SPARK_WARNINGS = "ignore:unclosed <socket.socket:ResourceWarning"


def run(home: Path, *args: str, env_backend: str | None = None) -> Result:
    """``detente ARGS`` on the store at ``home``; the environment is put back afterwards."""
    env = {"DETENTE_HOME": str(home), "DETENTE_BACKEND": env_backend}
    return CliRunner().invoke(app, list(args), env=env)


def assert_same_csv(got: str, ref: str) -> None:
    """Same CSV text; numeric columns to 1e-12 relative; ``;``-joined id lists exactly (the CLI sorts them)."""
    a, b = (pd.read_csv(io.StringIO(t), dtype=str, keep_default_na=False) for t in (got, ref))
    assert list(a.columns) == list(b.columns)
    assert a.shape == b.shape
    for col in a.columns:
        if col.endswith("ids"):
            assert a[col].tolist() == b[col].tolist(), col
            continue
        x, y = (pd.to_numeric(f[col].replace("", None), errors="coerce") for f in (a, b))
        numeric = x.notna().sum() == (a[col] != "").sum() and y.notna().sum() == (b[col] != "").sum()
        if numeric and (a[col] != "").any():
            pd.testing.assert_series_equal(x, y, check_exact=False, rtol=1e-12, atol=0, check_dtype=False)
        else:
            assert (a[col] == b[col]).all(), col


def test_settings_name_the_engine_and_the_spark_master(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DETENTE_BACKEND", raising=False)
    monkeypatch.delenv("DETENTE_SPARK_MASTER", raising=False)
    monkeypatch.delenv("DETENTE_SPARK_CONF", raising=False)
    assert (Settings().backend, Settings().spark_master, Settings().spark_conf) == ("duckdb", "local[2]", {})
    monkeypatch.setenv("DETENTE_BACKEND", " Spark ")
    monkeypatch.setenv("DETENTE_SPARK_MASTER", "spark://10.0.0.5:7077")
    monkeypatch.setenv("DETENTE_SPARK_CONF", '{"spark.driver.memory": "6g"}')
    config = Settings()
    assert (config.backend, config.spark_master) == ("pyspark", "spark://10.0.0.5:7077")
    assert config.spark_conf == {"spark.driver.memory": "6g"}


def test_bigquery_is_not_a_store_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_BACKEND", "bigquery")
    with pytest.raises(ValueError, match="duckdb"):
        Settings()
    monkeypatch.delenv("DETENTE_BACKEND")
    with pytest.raises(ValueError, match="source of events, not a store engine"):
        Store(tmp_path, backend="bq")


def test_unknown_backend_is_a_usage_error(real_store: Store) -> None:
    result = run(real_store.home, "--backend", "postgres", "events")
    assert result.exit_code == 2
    assert "postgres" in result.stderr


def test_duckdb_store_keeps_its_own_connection(real_store: Store) -> None:
    assert real_store.backend == "duckdb"
    assert real_store.engine() is real_store.ibis


#: commands and the lines of their CSV on the shared store (header included)
COMMANDS = {
    "series-month": (["series", "PRK-KOR", "--freq", "month"], 2920),
    "series-week-ids": (["series", "PRK>KOR", "--freq", "week", "--weight", "sources", "--ids"], 4229),
    "index": (["index", "PRK-KOR"], 974),
    "military-year": (["military", "--freq", "year"], 83),
    # 500 rows and the header on 515 lines: some untargeted incidents' descriptions span lines
    "events": (["events", "--dyad", "PRK-KOR", "--limit", "500"], 515),
}


@pytest.mark.parametrize("case", list(COMMANDS))
@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings(SPARK_WARNINGS)
def test_cli_on_spark_prints_what_duckdb_prints(case: str, real_store: Store) -> None:
    command, lines = COMMANDS[case]
    reference = run(real_store.home, *command, "-f", "csv")
    assert reference.exit_code == 0, reference.output
    result = run(real_store.home, "--backend", "spark", *command, "-f", "csv", env_backend="duckdb")
    assert result.exit_code == 0, result.output
    assert_same_csv(result.stdout, reference.stdout)
    assert len(result.stdout.splitlines()) == len(reference.stdout.splitlines()) == lines


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings(SPARK_WARNINGS)
def test_configuration_selects_spark_for_the_cli(real_store: Store) -> None:
    """``DETENTE_BACKEND=spark`` without the flag: same events; ``--backend duckdb`` overrides it."""
    command, lines = COMMANDS["events"]
    on_spark = run(real_store.home, *command, "-f", "csv", env_backend="spark")
    on_duckdb = run(real_store.home, "--backend", "duckdb", *command, "-f", "csv", env_backend="spark")
    assert on_spark.exit_code == on_duckdb.exit_code == 0, on_spark.output + on_duckdb.output
    assert_same_csv(on_spark.stdout, on_duckdb.stdout)
    assert len(on_spark.stdout.splitlines()) == lines


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings(SPARK_WARNINGS)
def test_store_events_on_spark(real_store: Store, spark_con: object) -> None:
    """``Store(backend="spark")`` reads the same rows through one cached Spark connection."""
    store = Store(real_store.home, backend="spark")
    try:
        assert store.backend == "pyspark"
        assert store.engine() is store.engine()
        events = store.events()
        assert events.count().to_pyarrow().as_py() == 20_830
        assert events.count().to_pyarrow().as_py() == real_store.events().count().to_pyarrow().as_py()
    finally:
        store.close()
