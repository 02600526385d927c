"""The one period parser of the command line: YYYY, YYYY-MM or YYYY-MM-DD, and a clear error otherwise."""

from __future__ import annotations

from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from detente.cli._options import Period, first_day, last_day, parse_dyad, parse_period, parse_theatre


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2018", Period(date(2018, 1, 1), date(2018, 12, 31), "year")),
        ("2018-02", Period(date(2018, 2, 1), date(2018, 2, 28), "month")),
        ("2020-02", Period(date(2020, 2, 1), date(2020, 2, 29), "month")),  # leap year
        ("2018-9", Period(date(2018, 9, 1), date(2018, 9, 30), "month")),
        ("2018-04-27", Period(date(2018, 4, 27), date(2018, 4, 27), "day")),
        (" 2018-04-27 ", Period(date(2018, 4, 27), date(2018, 4, 27), "day")),
    ],
)
def test_each_form_is_read_and_named(text: str, period: Period) -> None:
    assert parse_period(text, "--start") == period


def test_a_start_takes_the_first_day_and_an_end_the_last() -> None:
    assert (first_day("2010", "--start"), last_day("2010", "--end")) == (date(2010, 1, 1), date(2010, 12, 31))
    assert (first_day(None, "--start"), last_day(None, "--end")) == (None, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("yesterday", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("18-04-27", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2018-04-27T10:00", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2018-13", "month must be in 1..12"),
        ("2018-00", "month must be in 1..12"),
        ("2018-02-30", "day is out of range for month"),
    ],
)
def test_a_bad_date_names_the_flag_and_the_forms(text: str, reason: str) -> None:
    with pytest.raises(typer.BadParameter) as caught:
        parse_period(text, "--as-of")
    assert caught.value.param_hint == "--as-of"
    assert str(caught.value) == f"{text!r} is not an ISO date: {reason}"


def test_every_command_with_a_date_reads_the_three_forms(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``events --start 2010 --end 2010-12`` is the same query as the full dates; a bad one is a usage error."""
    from detente.cli import app

    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    assert runner.invoke(app, ["init", "-f", "csv"]).exit_code == 0
    short = runner.invoke(app, ["events", "--start", "2010", "--end", "2010-12", "-f", "csv", "--limit", "1000"])
    full = runner.invoke(
        app, ["events", "--start", "2010-01-01", "--end", "2010-12-31", "-f", "csv", "--limit", "1000"]
    )
    assert short.exit_code == full.exit_code == 0, short.output + full.output
    assert short.stdout == full.stdout and "2010-11-23" in short.stdout  # Yeonpyeong shelling
    bad = runner.invoke(app, ["timeline", "--until", "2018-13"])
    assert bad.exit_code == 2 and "'2018-13' is not an ISO date: month must be in 1..12" in bad.output
    assert "Traceback" not in bad.output


def test_dyads_and_theatres() -> None:
    assert str(parse_dyad(None, None)) == "PRK-KOR"
    assert str(parse_dyad("prk>kor")) == "PRK>KOR"
    assert parse_theatre("per-ecu") == "PER-ECU" and parse_theatre("IND>PAK") == "IND-PAK"
    with pytest.raises(typer.BadParameter, match="two dyads given"):
        parse_dyad("PRK-KOR", "USA-KOR")
    with pytest.raises(typer.BadParameter, match="use A>B") as caught:
        parse_theatre("north-south", hint="--dyad")
    assert caught.value.param_hint == "--dyad"
