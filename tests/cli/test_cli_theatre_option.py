"""``--theatre`` on ``index``, ``military`` and ``phases``: a registry theatre for the dyad, on the real store."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from detente import Store
from detente.cli import app

Run = Callable[..., Result]


@pytest.fixture
def run(real_store: Store, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("DETENTE_HOME", str(real_store.home))

    def invoke(*args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.mark.parametrize("command", ["index", "military"])
def test_a_theatre_is_its_pair(run: Run, command: str) -> None:
    span = ("--start", "2019-01", "--end", "2019-12", "-f", "json")
    by_pair = json.loads(run(command, "IND-PAK", *span).stdout)
    for name in ("IND-PAK", "India-Pakistan", "india–pakistan", "Kashmir", "PAK-IND"):
        assert json.loads(run(command, "--theatre", name, *span).stdout) == by_pair, name
    assert len(by_pair) == 12


def test_the_india_pakistan_index_covers_only_the_gdelt_month(run: Run) -> None:
    rows = json.loads(
        run("index", "--theatre", "IND-PAK", "--start", "2019-01", "--end", "2019-12", "-f", "json").stdout
    )
    covered = [r["period"] for r in rows if r["tension"] is not None]
    assert covered == ["2019-10-01"]  # the one GDELT export of the store is of 24 October 2019


def test_phases_of_the_korean_theatre_are_those_of_its_dyad(run: Run) -> None:
    assert (
        run("phases", "--theatre", "Korean Peninsula", "-f", "csv").stdout
        == run("phases", "PRK-KOR", "-f", "csv").stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("index", "PRK-KOR", "--theatre", "IND-PAK"), "give a dyad or --theatre, not both"),
        (("military", "--dyad", "PRK-KOR", "--theatre", "IND-PAK"), "give a dyad or --theatre, not both"),
        (("phases", "--theatre", "Atlantis"), "unknown theatre 'Atlantis'"),
    ],
)
def test_bad_theatre_arguments_are_one_line_errors(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run(*args, code=2)
    assert message in result.output and "Traceback" not in result.output
