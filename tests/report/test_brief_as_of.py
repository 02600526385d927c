"""A brief as of 2019-01-01 tells no later fate of an agreement and no later lesson (issue 15 item 1, in part)."""

from __future__ import annotations

from datetime import date

import pytest
from shared_build import FORECAST_ORIGINS
from test_brief_content import _text

from detente import Store
from detente.kb.asof import mentioned_dates
from detente.report import build_brief
from detente.report.model import Brief

AS_OF = date(2019, 1, 1)


@pytest.fixture(scope="module")
def brief_2019(small_store: Store) -> Brief:
    return build_brief(small_store, AS_OF, runs=0, perm=200, forecast_origins=FORECAST_ORIGINS)


@pytest.mark.parametrize("section", ["initiatives", "lessons"])
def test_the_section_names_no_date_after_the_brief(brief_2019: Brief, section: str) -> None:
    text = _text(brief_2019, section)
    later = [d for d in mentioned_dates(text) if d > AS_OF]
    assert not later, later
    assert "Hanoi" not in text and "2023-11-23" not in text  # the 2019 summit; the CMA scrapped
