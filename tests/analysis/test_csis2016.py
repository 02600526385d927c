"""The CSIS Beyond Parallel 2016 replication: the sourced exercise table, the exact test, the findings."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from scipy import stats

from detente import Store
from detente.analysis.anchors import spring_exercises
from detente.analysis.csis2016 import CSIS_FINDINGS, csis_2016, poisson_rate_test


def test_spring_table_is_sourced_and_never_invents_a_day() -> None:
    table = spring_exercises()
    assert list(table["year"]) == list(range(2005, 2017))
    assert table["source"].str.contains("http").all() and (table["confidence"] == "verified").all()
    assert list(table.loc[table["start_precision"] == "month", "year"]) == [2008]
    assert table.set_index("year").loc[2009, "start"] == date(2009, 3, 9)  # Army News Service, 10 March 2009
    assert table.set_index("year").loc[2016, "end"] == date(2016, 4, 30)


def test_poisson_rate_test_against_the_binomial() -> None:
    rr, (lo, hi), p = poisson_rate_test(10, 1.0, 10, 1.0)
    assert rr == 1.0 and p == pytest.approx(stats.binom.sf(9, 20, 0.5)) and lo < 1 < hi
    rr, _, p = poisson_rate_test(30, 2.0, 5, 1.0)  # 15 a unit against 5
    assert rr == 3.0 and p == pytest.approx(stats.binom.sf(29, 35, 2 / 3))


@pytest.mark.parametrize("sources", [("kb", "cns", "csis", "cow_mid"), ("csis",)])
def test_replication_reports_every_finding(real_store: Store, sources: tuple[str, ...]) -> None:
    rep = csis_2016(real_store, sources=sources, n_perm=999)
    assert list(rep.findings["finding"]) == list(CSIS_FINDINGS)
    assert set(rep.findings["agree"]) <= {"yes", "partly", "no"}
    assert len(rep.seasons) == 12 and rep.findings.loc[0, "n"] == 11  # 2008 (month only) left out
    step = rep.findings.set_index("finding").loc["step_change"]
    assert step["agree"] == "yes" and step["effect"] > 2  # the January 2009 step change holds on our data


def test_seasons_count_the_known_provocations(real_store: Store) -> None:
    seasons = csis_2016(real_store, sources=("csis",), n_perm=199).seasons.set_index("year")
    # March 2016: launches after the fourth nuclear test and resolution 2270 fall in the 8 weeks from 7 March
    assert seasons.loc[2016, "during"] >= 8 and seasons.loc[2016, "during"] > seasons.loc[2016, "pre"]
    assert pd.isna(seasons.loc[2005, "season_days"])  # no end date found for 2005
