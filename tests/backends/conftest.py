"""The shared backend suite: one store of real files, read by DuckDB (the store's view) and by Spark.

Tests take the ``backend`` fixture (``duckdb``, ``pyspark``) and the ``events`` fixture (the store's
events on that engine); each engine has one configuration class (``DuckDBTest``, ``SparkTest``: its
marks and how it reads the store), as in Ibis's own backend suite. Spark cases carry
``@pytest.mark.spark``: ``-m "not spark"`` leaves them out.
One SparkSession (local[2], loopback only) serves the whole test session.

Known gaps are marked in the Ibis style, per backend, with the exception they raise:

- ``notimpl(backends, raises=..., reason=...)``: Ibis or the engine does not implement it (yet);
- ``notyet(backends, raises=..., reason=...)``: the engine lacks it upstream;
- ``never(backends, raises=..., reason=...)``: a difference by design.

Each becomes a strict ``xfail`` for the listed backends only, so a case that starts to pass shows up
as XPASS (a failure) and the mark has to go.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from detente import Store, backends

_GAP_MARKS = ("notimpl", "notyet", "never")
#: py4j leaves the sockets it reads query results from to the garbage collector (pyspark 4.0
#: ``_load_from_socket``); with ``filterwarnings = error`` their ResourceWarning would fail the test
SPARK_WARNINGS = "ignore:unclosed <socket.socket:ResourceWarning"


class DuckDBTest:
    """The reference engine: the store's own view."""

    name = "duckdb"
    marks: tuple[pytest.MarkDecorator, ...] = ()

    @staticmethod
    def events(store: Store, request: pytest.FixtureRequest) -> object:
        return store.events()


class SparkTest:
    """Spark on the session's one local[2] SparkSession, reading the store's Parquet tree."""

    name = "pyspark"
    marks = (pytest.mark.spark, pytest.mark.xdist_group("spark"), pytest.mark.filterwarnings(SPARK_WARNINGS))

    @staticmethod
    def events(store: Store, request: pytest.FixtureRequest) -> object:
        return backends.spark_events(request.getfixturevalue("spark_con"), store.home)


#: one configuration class per engine of the shared suite; DuckDB is the reference
CONFIGS = {c.name: c for c in (DuckDBTest, SparkTest)}
#: the engines of the shared suite
BACKENDS = tuple(CONFIGS)
assert set(BACKENDS) == set(backends.names(store=True)), "every store engine has a test configuration"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: needs pyspark and Java (one local SparkSession per test session)")
    for name in _GAP_MARKS:
        config.addinivalue_line("markers", f"{name}(backends, raises, reason): known backend gap, xfail there")
    config.addinivalue_line("markers", "xdist_group(name): keep these tests on one xdist worker (--dist loadgroup)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Add each engine's marks; turn ``notimpl``/``notyet``/``never`` marks into strict xfails.

    The xfails apply to the backends each mark lists.
    """
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        if not backend:
            continue
        for mark in CONFIGS[backend].marks:
            item.add_marker(mark)
        for name in _GAP_MARKS:
            for mark in item.iter_markers(name):
                listed = mark.args[0] if mark.args else mark.kwargs["backends"]
                if "raises" not in mark.kwargs or "reason" not in mark.kwargs:
                    raise pytest.UsageError(f"{item.nodeid}: @{name} needs raises= and reason=")
                if backend in listed:
                    item.add_marker(
                        pytest.mark.xfail(
                            raises=mark.kwargs["raises"], reason=f"{name}: {mark.kwargs['reason']}", strict=True
                        )
                    )


@pytest.fixture(scope="session")
def spark_con() -> Iterator[object]:
    """An Ibis PySpark connection on one local[2] session bound to 127.0.0.1, stopped at the end."""
    con = backends.spark_connect(master="local[2]")
    yield con
    con._session.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def events(backend: str, real_store: Store, request: pytest.FixtureRequest) -> object:
    """The shared store's events on ``backend``."""
    return CONFIGS[backend].events(real_store, request)
