"""A brief dated before the forecasts' data begin: every section is written and says what is missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from shared_build import FORECAST_ORIGINS
from test_brief_content import SECTIONS, _text

from detente import Store
from detente.report import BriefFormat, build_brief, write_brief
from detente.report.forecasts import forecast_panel
from detente.report.model import Brief


@pytest.fixture(scope="module")
def brief_1985(small_store: Store) -> Brief:
    return build_brief(small_store, date(1985, 1, 1), runs=0, perm=200, forecast_origins=FORECAST_ORIGINS)


def test_a_1985_brief_has_every_section_and_says_what_is_missing(
    brief_1985: Brief, small_store: Store, tmp_path: Path
) -> None:
    assert [s.title for s in brief_1985.sections] == SECTIONS
    assert all(s.blocks for s in brief_1985.sections)
    outlook = _text(brief_1985, "outlook")
    assert "no forecast is available: the data's date is 1985-01-01, before the forecasts' first month 1988-01" in (
        outlook
    )
    # the rest of the outlook is still there; the bargaining inputs, coded in 2026, are left out and said so
    assert "were coded after this brief's date" in outlook and "Bargaining predictions" not in outlook
    notes = brief_1985.footnotes
    assert notes and not [n.number for n in notes if n.missing]
    ids = sorted({i for n in notes for i in n.event_ids})
    ev = small_store.events()
    assert ev.filter(ev.event_id.isin(ids)).event_id.nunique().to_pyarrow().as_py() == len(ids) > 0
    assert all(c.last <= date(1985, 1, 1) for n in notes for c in n.by_source if c.last is not None)
    written = write_brief(brief_1985, tmp_path / "brief.html", BriefFormat.html, BriefFormat.md)
    for out in written[:2]:
        text = out.read_text("utf-8")
        assert all(f"{i}. {title}" in text for i, title in enumerate(SECTIONS, start=1)), out
        assert "no forecast is available" in text


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(1950, 1, 1), "the data's date is 1950-01-01, before the forecasts' first month 1988-01"),
        (date(1991, 6, 1), "needs 48 more months of curated events"),  # up to 1995-06: named as a count, not a date
    ],
)
def test_forecasts_need_enough_history(full_store: Store, day: date, reason: str) -> None:
    """Too little history for the backtest's training: the panel names what is missing, nothing is made up."""
    ev = full_store.events()
    panel = forecast_panel(ev.filter(ev.date <= day), day, recent=36)
    assert not panel.available and panel.forecasts.empty
    assert reason in panel.reason
