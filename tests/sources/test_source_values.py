"""Goldstein and tone keep the source text's value (issue 15 item 5): float64, never float32 rounding."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from detente import EVENT_SCHEMA, Store


def test_goldstein_and_tone_are_the_source_texts_values(store: Store, data_dir: Path) -> None:
    path = data_dir / "gdelt_events" / "20191024143000.export.CSV"
    assert store.ingest(path).status == "ingested"
    assert EVENT_SCHEMA.field("goldstein").type == EVENT_SCHEMA.field("tone").type == pa.float64()
    with path.open(newline="", encoding="utf-8") as fh:
        raw = {i: row for i, row in enumerate(csv.reader(fh, delimiter="\t"), start=1)}
    e = store.events()
    rows = e.select("source_line", "goldstein", "tone").to_pyarrow().to_pylist()
    assert len(rows) == 2111
    for r in rows:  # GoldsteinScale is column 31 of GDELT 2.0, AvgTone column 35
        line = raw[r["source_line"]]
        assert r["goldstein"] == float(line[30]) and r["tone"] == float(line[34]), line[0]
    assert any(float(raw[r["source_line"]][30]) == 1.9 and r["goldstein"] == 1.9 for r in rows)  # not 1.8999999761…
