"""The outlook quotes the store's live forecast record: only what was scored by the brief's date, if it verifies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from korea_store import built_store, korea_files

from detente.forecast.features import build
from detente.forecast.record import ForecastRecord
from detente.report.context import BriefContext
from detente.report.model import Note, Section, Table, plain
from detente.report.sections.outlook import _track_record


def _blocks(ctx: BriefContext) -> list[object]:
    s = Section("outlook", "Outlook")
    _track_record(ctx, s)
    return s.blocks


def test_the_outlook_quotes_the_live_record(data_dir: Path, tmp_path: Path) -> None:
    store = built_store(tmp_path / "home", korea_files(data_dir, coded=False))
    try:
        (empty,) = _blocks(BriefContext(store, date(2025, 12, 31)))
        assert isinstance(empty, Note) and "no live track record yet" in plain(empty.parts)
        data = build(store, "PRK")
        record = ForecastRecord(store.home)
        for origin in ("2025-06", "2025-09"):
            record.issue(data.as_of(origin), targets=("missile",), models=("climatology", "persistence"))
        record.score(data)
        (table,) = _blocks(BriefContext(store, date(2025, 12, 31)))
        assert isinstance(table, Table) and table.caption.startswith("Live track record")
        assert [(plain(r[0]), plain(r[1]), plain(r[3])) for r in table.rows] == [
            ("missile", h, "2") for h in ("1", "1", "3", "3")
        ]
        (early,) = _blocks(BriefContext(store, date(2025, 9, 30)))  # 2025-09's windows had not ended
        assert [plain(r[3]) for r in early.rows] == ["1"] * 4
        lines = record.path.read_text(encoding="utf-8").splitlines(keepends=True)
        record.path.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
        (bad,) = _blocks(BriefContext(store, date(2025, 12, 31)))
        assert isinstance(bad, Note) and "fails its check (line 2:" in plain(bad.parts)
    finally:
        store.close()
