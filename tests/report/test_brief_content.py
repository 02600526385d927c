"""The brief's content on the real data: sections, known facts, and every number footnoted to stored evidence."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from shared_build import FORECAST_ORIGINS

from detente import Store
from detente.kb import timeline_path
from detente.report.context import BriefContext
from detente.report.forecasts import forecast_panel
from detente.report.model import Brief, Chart, Heading, Note, Paragraph, Ref, Table, plain
from detente.report.notes import kb_rows_of
from detente.report.sections import initiatives, status

SECTIONS = [
    "Background and timeline",
    "Evolution of peace initiatives",
    "External actors",
    "Current status",
    "Recent summits and their outcomes",
    "Sticking points",
    "Military tensions",
    "Political and economic factors",
    "Confidence-building measures",
    "Outlook",
    "Lessons from other border conflicts",
]


def _section(brief: Brief, sid: str) -> list[object]:
    return next(s for s in brief.sections if s.id == sid).blocks


def _text(brief: Brief, sid: str) -> str:
    """The section as plain text without footnote marks."""
    out = []
    for b in _section(brief, sid):
        if isinstance(b, (Paragraph, Note)):
            out.append(plain(b.parts))
        elif isinstance(b, Table):
            out += [b.caption, *(" | ".join(plain(c) for c in row) for row in b.rows)]
        elif isinstance(b, Heading):
            out.append(b.text)
    return re.sub(r"\[\d+\]", "", "\n".join(out))


def _table(brief: Brief, sid: str, caption_start: str) -> Table:
    return next(b for b in _section(brief, sid) if isinstance(b, Table) and b.caption.startswith(caption_start))


def test_all_sections_in_order(full_brief: Brief, small_brief: Brief) -> None:
    assert [s.title for s in full_brief.sections] == SECTIONS
    assert [s.title for s in small_brief.sections] == SECTIONS
    assert all(s.blocks for s in full_brief.sections)


def test_as_of_is_the_latest_csis_row(full_brief: Brief, data_dir: Path) -> None:
    """The default date is the latest stored event: the CSIS list's last row (2026-08-20)."""
    text = (data_dir / "nk_provocations_csis/north_korea_provocations_1958_present.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    latest = max(r["date"] for r in rows)
    assert full_brief.as_of.isoformat() == latest == "2026-08-20"
    first = _table(full_brief, "status", "Latest curated incidents").rows[0]
    assert plain(first[0]) == latest and plain(first[1]) == "csis"


def test_summary_counts_the_real_files(full_brief: Brief, data_dir: Path) -> None:
    """CNS: 245 launches in the real CSV (read here with the csv module); the summary says so."""
    text = (data_dir / "nk_missile_tests_cns/north_korea_missile_test_database.csv").read_text("cp1252")
    n_cns = len(list(csv.reader(io.StringIO(text)))) - 1
    assert n_cns == 245
    summary = plain(full_brief.data_summary)
    assert f"cns {n_cns}" in summary
    assert "csis 493" in summary  # 493 rows in the CSIS list


def test_implementation_scores_match_the_knowledge_base_record(full_brief: Brief) -> None:
    """docs/knowledge-base.md: the Panmunjom Declaration scores 57.1 on 2019-01-01 and 11.9 on 2025-01-01.

    No transition falls on those New Year days, so the year-end columns 2018 and 2024 show the same scores.
    """
    table = _table(full_brief, "initiatives", "Implementation score")
    header = table.header
    pd_row = next(r for r in table.rows if plain(r[0]) == "PD-2018")
    assert plain(pd_row[header.index("end 2018")]) == "57.1"
    assert plain(pd_row[header.index("end 2024")]) == "11.9"
    assert [plain(r[0]) for r in table.rows] == ["PD-2018", "PYD-2018", "CMA-2018"]


def test_known_facts_are_stated(full_brief: Brief) -> None:
    summits = _text(full_brief, "summits")
    assert "The last inter-Korean summit on record met on 2018-09-18 (Pyongyang)" in summits
    assert "The last US–DPRK summit on record met on 2019-02-27" in summits
    politics = _text(full_brief, "politics")
    assert "South Korea: Lee Jae-myung (president, progressive camp) since 2025-06-04" in politics
    assert "North Korea: Kim Jong Un (leader) since 2011-12-17" in politics
    assert (
        "adopted 10 sanctions resolutions (11 with UNSCR-1695) on the DPRK from 2006;"
        " the last, UNSCR-2397 of 2017-12-22" in politics
    )
    background = _text(full_brief, "background")
    assert "the Korean Armistice Agreement (armistice), signed 1953-07-27" in background
    assert "26 agreements signed between 1953 and 2024" in background
    # the six nuclear tests in the Key dates table
    key = _table(full_brief, "background", "Key dates")
    tests = [plain(r[0]) for r in key.rows if plain(r[2]) == "nuclear test"]
    assert tests == ["2006-10-09", "2009-05-25", "2013-02-12", "2016-01-06", "2016-09-09", "2017-09-03"]


def test_bargaining_point_predictions(full_brief: Brief) -> None:
    """docs/bargaining.md: BDM predicts 80 on the peace regime, 85 on denuclearization (point forecasts)."""
    table = _table(full_brief, "outlook", "Bargaining predictions")
    rows = {(plain(r[0]), plain(r[1])): plain(r[2]) for r in table.rows}
    assert rows[("peace_regime", "bdm")] == "80.0"
    assert rows[("denuclearization", "bdm")] == "85.0"
    assert any(isinstance(b, Chart) and b.name == "bargaining" for b in _section(full_brief, "outlook"))


def test_forecasts_come_with_their_skill(full_brief: Brief) -> None:
    """Missile and major-provocation forecasts at 1 and 3 months, each beside the baseline and its backtest skill."""
    table = _table(full_brief, "outlook", "Forecasts and their backtest skill")
    assert [(plain(r[0]).split(":")[0], plain(r[1])) for r in table.rows] == [
        ("missile", "1"), ("missile", "3"), ("major", "1"), ("major", "3"),
    ]  # fmt: skip
    for row in table.rows:
        assert 0 <= float(plain(row[3]).split("[")[0]) <= 1 and 0 <= float(plain(row[4])) <= 1
        assert int(plain(row[9])) >= FORECAST_ORIGINS
    # issued at the brief's date (2026-08-20) for the first month not yet observed (its three August
    # launches are data, not a forecast)
    assert plain(table.rows[0][2]) == "2026-09-01 to 2026-09-30"
    assert any(isinstance(b, Chart) and b.name == "forecasts" for b in _section(full_brief, "outlook"))


def test_the_stale_exercise_table_is_flagged(full_brief: Brief) -> None:
    """The brief's date is 2026-08-20; the exercise table ends in 2025 (decision 069)."""
    assert "Stale table: the exercise table runs to 2025 (last row 2025-08-28), before the brief's date 2026-08-20" in (
        _text(full_brief, "military")
    )


def test_no_forecast_is_invented_without_data(full_store: Store) -> None:
    """Before the curated record starts there is nothing to forecast from, and the panel says so."""
    ev = full_store.events()
    panel = forecast_panel(ev.filter(ev.date <= date(1950, 1, 1)), date(1950, 1, 1), recent=12)
    assert not panel.available and panel.reason.startswith("no forecast is available")
    assert panel.forecasts.empty


def test_lessons_include_the_record_and_another_dyad(full_brief: Brief) -> None:
    blocks = _section(full_brief, "lessons")
    assert "The theatres" in [b.text for b in blocks if isinstance(b, Heading)]
    assert "India" in _text(full_brief, "lessons")
    table = _table(full_brief, "lessons", "Military-tension indicators")
    assert [plain(r[0]) for r in table.rows] == ["IND-PAK", "PRK-KOR"]
    assert table.caption.endswith("1992-2014")  # COW MID incidents cover 1992-2014 (MIDIP 5.01)
    ind_pak = table.rows[0]
    assert int(plain(ind_pak[2]).split("[")[0].replace(",", "")) > 0  # border incidents from COW MID


def test_every_footnote_resolves_to_stored_events_and_rows(full_brief: Brief, full_store: Store) -> None:
    notes = full_brief.footnotes
    assert [n.number for n in notes] == list(range(1, len(notes) + 1))
    assert all(n.event_ids or n.kb_rows or n.sources for n in notes)
    assert not [n.number for n in notes if n.missing]
    ids = sorted({i for n in notes for i in n.event_ids})
    ev = full_store.events()
    found = ev.filter(ev.event_id.isin(ids)).event_id.nunique().to_pyarrow().as_py()
    assert found == len(ids) > 1000
    for table in {t for n in notes for t, _ in n.kb_rows}:
        rows = kb_rows_of(table)
        assert {k for n in notes for t, k in n.kb_rows if t == table} <= set(rows)


def test_lessons_footnotes_cite_stored_records(full_brief: Brief) -> None:
    """The record's PA-X agreements, UCDP conflicts and MID disputes are footnotes of the brief, found in the store."""
    cited = {r: n for n in full_brief.footnotes for r in n.records}
    assert {("agreements", "577"), ("conflict_years", "403"), ("conflict_years", "235")} <= set(cited)
    assert any(t == "mid_dispute_participants" for t, _ in cited)
    pax = cited[("agreements", "577")]
    assert pax.text.startswith("PA-X AgtId 577: ") and not pax.missing
    assert pax.sources[0].startswith("pax_all_agreements_v10.csv (pax, pax)")
    refs = {p.number for b in _section(full_brief, "lessons") for p in _block_pieces(b) if isinstance(p, Ref)}
    assert pax.number in refs


def _block_pieces(b: object) -> list[object]:
    if isinstance(b, (Paragraph, Note)):
        return list(b.parts)
    if isinstance(b, Table):
        return [p for row in b.rows for c in row for p in c]
    return []


def _pieces(brief: Brief) -> list[tuple[str, list[object]]]:
    out: list[tuple[str, list[object]]] = [("summary", brief.data_summary)]
    for s in brief.sections:
        for b in s.blocks:
            if isinstance(b, (Paragraph, Note)):
                out.append((s.id, b.parts))
            elif isinstance(b, Table):
                out += [(s.id, [p for c in row for p in c]) for row in b.rows]
            elif isinstance(b, Chart):
                out.append((s.id, b.refs))
    return out


@pytest.mark.parametrize("which", ["full_brief", "small_brief"])
def test_every_number_carries_a_footnote(which: str, request: pytest.FixtureRequest) -> None:
    """Every paragraph, note, table row and chart with a figure in it points to a footnote."""
    brief = request.getfixturevalue(which)
    bare = [
        (sid, plain(parts)[:90])
        for sid, parts in _pieces(brief)
        if re.search(r"\d", plain(parts)) and not any(isinstance(p, Ref) for p in parts)
    ]
    assert bare == []


def test_footnotes_are_numbered_in_reading_order(full_brief: Brief) -> None:
    seen: list[int] = []
    for _, parts in _pieces(full_brief):
        seen += [p.number for p in parts if isinstance(p, Ref) and p.number not in seen]
    assert seen == list(range(1, len(full_brief.footnotes) + 1))


def test_missing_data_is_stated(small_brief: Brief) -> None:
    """With only the shipped data, the lessons say which files they need instead of inventing a record."""
    lessons = _text(small_brief, "lessons")
    assert "The record of other border conflicts is missing" in lessons
    assert "pax_all_agreements_v10.csv" in lessons and "MIDIP_5.01.csv" in lessons


def test_as_of_uses_no_later_data(small_store: Store) -> None:
    """A brief as of 2018-06-30 cites nothing later and scores only the texts signed by then."""
    ctx = BriefContext(small_store, date(2018, 6, 30), runs=0)
    blocks = initiatives.build(ctx).blocks + status.build(ctx).blocks
    notes = ctx.notes.resolve(small_store.events())
    assert all(c.last <= ctx.as_of for n in notes for c in n.by_source if c.last is not None)
    rows = csv.DictReader(io.StringIO(timeline_path().read_text("utf-8")))
    last_row = max(r["date"] for r in rows if r["date_precision"] == "day" and r["date"] <= "2018-06-30")
    assert max(c.last for n in notes for c in n.by_source).isoformat() == last_row == "2018-06-22"
    table = next(b for b in blocks if isinstance(b, Table) and b.caption.startswith("Implementation score"))
    assert [plain(r[0]) for r in table.rows] == ["PD-2018"]  # the Pyongyang texts came in September 2018
    assert table.header[-3] == "2018-06-30"
