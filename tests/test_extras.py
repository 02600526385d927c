"""Optional parts: the core imports, stores and queries without any extra; a missing extra names its pip line."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from detente._extras import EXTRAS, MissingExtraError, require

ROOT = Path(__file__).resolve().parents[1]

#: a child interpreter in which every optional library (and what only they bring) fails to import
BLOCKED = sorted({*EXTRAS, "markupsafe", "starlette", "sklearn", "pyspark", "google"})
CHILD = """
import importlib.abc, sys, tempfile
BLOCKED = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
sys.meta_path.insert(0, Block())

import detente
from detente import Store
from detente._extras import MissingExtraError
from detente.indicators import dyadic_series
from detente.kb import timeline_path

store = Store(tempfile.mkdtemp())
report = store.ingest(timeline_path())
events = store.events().count().to_pyarrow().as_py()
series = dyadic_series(store.events(), "PRK-KOR", "year")
print(report.status, report.balanced and events >= report.rows_stored > 0, int(series["events"].sum()) > 0)
for use in ("from detente.report.render import render_html", "from detente.forecast.models import make_model; "
            "make_model('lightgbm')._train(None, None)", "from detente.api import create_app; create_app()"):
    try:
        exec(use)
    except MissingExtraError as exc:
        print(str(exc).split(": ")[-1])
print(sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
"""


def test_the_core_runs_without_any_extra() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, ",".join(BLOCKED)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [
        "ingested True True",
        "pip install 'detente[report]'",
        "pip install 'detente[forecast]'",
        "pip install 'detente[api]'",
        "[]",
    ]


@pytest.mark.parametrize(("module", "extra"), [("lightgbm", "forecast"), ("weasyprint", "report"),
                                               ("statsmodels.api", "forecast"), ("uvicorn", "api")])  # fmt: skip
def test_a_missing_extra_names_its_pip_line(module: str, extra: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in {module, module.split(".")[0]}:  # as if never installed, even when an earlier test imported it
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingExtraError, match=rf"pip install 'detente\[{extra}\]'$") as info:
        require(module)
    assert isinstance(info.value, ImportError)


def test_first_use_fails_with_the_pip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """At a real call site: a chart needs vl-convert, which comes with the report extra."""
    from detente.report.charts import render_svg

    monkeypatch.setitem(sys.modules, "vl_convert", None)
    with pytest.raises(MissingExtraError, match=r"vl_convert is not installed; .*pip install 'detente\[report\]'"):
        render_svg({"mark": "point"})


def test_a_broken_or_core_import_is_not_blamed_on_an_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "no_such_core_module", None)
    with pytest.raises(ModuleNotFoundError) as info:
        require("no_such_core_module")
    assert not isinstance(info.value, MissingExtraError)


def test_the_table_agrees_with_pyproject() -> None:
    """Every module of :data:`EXTRAS` is installed by the extra it names, and ``all`` holds every local extra."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    names = {extra: {_name(r) for r in reqs} for extra, reqs in extras.items()}
    dists = importlib.metadata.packages_distributions()
    for module, extra in EXTRAS.items():
        assert {_name(d) for d in dists[module]} & names[extra], (module, extra)
    assert extras["all"] == ["detente[report,forecast,api,spark,alerts]"]
    core = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]}
    assert not core & (names["report"] | names["forecast"] | names["api"])  # each library in one place


def _name(requirement: str) -> str:
    name = requirement.split(";")[0]
    for stop in "[<>=!~ ":
        name = name.split(stop)[0]
    return name.strip().lower().replace("_", "-")
