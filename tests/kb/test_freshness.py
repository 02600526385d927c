"""Which knowledge-base tables end before the data's date: the shipped exercise calendar stops in 2025."""

from __future__ import annotations

from datetime import date

from detente.kb import stale_tables, table_ends
from detente.kb.freshness import TRACKER_TABLES, data_date


def test_the_exercise_calendar_is_stale_at_the_datas_date() -> None:
    """As of the CSIS list's last row (2026-08-20) the calendar lacks 2026 (Freedom Shield is held each March)."""
    (stale,) = stale_tables(date(2026, 8, 20))
    assert (stale.name, stale.last_row, stale.covers_to) == ("exercises", date(2025, 8, 28), date(2025, 12, 31))
    assert str(stale) == "the exercises table ends in 2025 (last row 2025-08-28), before the data's date 2026-08-20"


def test_a_calendar_gets_grace_and_a_log_is_never_stale() -> None:
    assert stale_tables(date(2025, 12, 31)) == stale_tables(date(2026, 3, 31)) == []
    assert [t.name for t in stale_tables(date(2026, 4, 1))] == ["exercises"]
    assert [t.name for t in stale_tables(date(2027, 6, 1))] == ["exercises", "missile_tests_by_year"]
    ends = table_ends()
    assert ends["hotlines"] == date(2023, 4, 7) and ends["exercises"] == date(2025, 8, 28)
    assert "provisions" not in ends and "missile_tests_by_year" not in ends  # no date columns
    assert data_date(TRACKER_TABLES) == date(2025, 7, 28)  # the last dated transition
    assert all(t.name != "hotlines" for t in stale_tables(date(2030, 1, 1)))  # a quiet line leaves no row
