"""``detente events``: exports write all rows, a cut is said, a filter naming nothing is an error (issue 15 item 4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from detente import Store
from detente.cli import app


def _run(store: Store, *args: str) -> Result:
    return CliRunner().invoke(app, ["events", *args], env={"DETENTE_HOME": str(store.home)})


def _total(store: Store) -> int:
    return int(store.events().count().to_pyarrow().as_py())


def test_an_export_writes_every_row_and_says_nothing(real_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = _run(real_store, "-f", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == _total(real_store) == 20830


def test_a_limit_that_cuts_says_how_many_and_how_to_get_them(real_store: Store) -> None:
    result = _run(real_store, "-f", "csv", "--limit", "10")
    assert result.exit_code == 0
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 10
    assert "20,820 of 20,830 rows left out by --limit 10; drop it" in " ".join(result.stderr.split())
    assert _run(real_store, "-f", "csv", "--source", "cns", "--limit", "245").stderr == ""  # nothing cut


def test_the_table_says_it_shows_only_the_newest_rows(real_store: Store) -> None:
    said = " ".join(_run(real_store).stderr.split())
    assert "20,730 of 20,830 rows left out (the table shows 100); --limit 20830 or -f csv -o FILE" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--actor", "NK"], "Invalid value for --actor: unknown actor code 'NK'; did you mean PRK?"),
        (["--actor", "north korea"], "did you mean PRK?"),
        (["--dyad", "NK-SK"], "unknown actor code 'NK', 'SK' in dyad 'NK-SK'; did you mean PRK-KOR?"),
        (["--source", "acled2"], "Invalid value for --source: unknown source 'acled2'; did you mean acled?"),
        (["--category", "missile"], "unknown category 'missile'; did you mean missile_test?"),
        (["--start", "2020", "--end", "2019"], "start 2020-01-01 is after end 2019-12-31"),
    ],
)
def test_a_filter_that_names_nothing_is_an_error(real_store: Store, args: list[str], message: str) -> None:
    result = _run(real_store, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_code_only_the_store_holds_is_accepted(real_store: Store) -> None:
    """GDELT's regional ``EUR`` is in the store though no ontology country or organisation has it."""
    result = _run(real_store, "--actor", "EUR", "-f", "csv")
    assert result.exit_code == 0 and len(list(csv.DictReader(io.StringIO(result.stdout)))) > 0
