"""Source classes, the sourcing rules and the audit, on the shipped knowledge base and on a user folder."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from detente.kb import KbDataError, audit, problems, sample
from detente.kb.sources import CLASSES, classify, references, row_problems

HEADER = "date,description,source,confidence\n"


def test_domains_are_classed_by_the_longest_matching_entry() -> None:
    assert classify("https://undocs.org/S/RES/2397(2017)") == ("primary", False)
    assert classify("https://m-en.yna.co.kr/view/AEN1") == ("wire", False)  # subdomain of yna.co.kr
    assert classify("https://www.38north.org/2021/01/x/") == ("research", False)
    assert classify("https://en.wikipedia.org/wiki/Agreed_Framework") == ("reference", False)
    # a test site is denied although its parent domain (PA-X) is a research source
    assert classify("https://test.pax.peaceagreements.org/agreements/2104") == ("weak", True)
    assert classify("https://pax.peaceagreements.org/agreements/2104") == ("research", False)
    # a path entry: a Wikipedia mirror inside a university site
    assert classify("http://www.princeton.edu/~achaney/tmve/wiki100k/docs/X.html") == ("weak", True)
    assert classify("https://habkorea.net/x") == ("weak", True)  # not korea.net
    assert classify("https://unknown.example/x") == ("weak", False)
    assert classify("") == ("weak", False)


def test_every_class_in_the_list_is_known() -> None:
    from importlib import resources

    path = resources.files("detente.kb").joinpath("data", "source_classes.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["class"] for r in rows} == set(CLASSES)
    assert all(r["class"] == "weak" for r in rows if r["denied"] == "yes")
    assert len({r["domain"] for r in rows}) == len(rows)


def test_references_split_a_source_field() -> None:
    refs = references("A (UN, 2017) — https://undocs.org/S/RES/2397(2017) | B (blog) — https://x.blogspot.com/p.html")
    assert [(r.cls, r.denied) for r in refs] == [("primary", False), ("weak", True)]
    assert refs[0].url == "https://undocs.org/S/RES/2397(2017)"


@pytest.mark.parametrize(
    ("source", "confidence", "claim", "expected"),
    [
        ("", "verified", "", ["no source"]),
        ("W — https://en.wikipedia.org/wiki/X", "verified", "", ["weak sources only"]),
        ("W — https://en.wikipedia.org/wiki/X | R — https://www.reuters.com/x", "verified", "", []),
        ("R — https://www.reuters.com/x | F — https://aboutcroatia.net/x", "verified", "",
         ["denied source 'https://aboutcroatia.net/x'"]),
        ("R — https://www.reuters.com/x", "verified", "a [recalled] detail", ["verified row with a [recalled] claim"]),
        ("R — https://www.reuters.com/x", "recalled", "a [recalled] detail", []),
    ],
)  # fmt: skip
def test_row_rules(source: str, confidence: str, claim: str, expected: list[str]) -> None:
    assert row_problems({"description": claim, "source": source, "confidence": confidence}) == expected


def test_shipped_kb_has_no_unsourced_or_overstated_rows() -> None:
    table, summary = audit()
    assert summary["tables"] == 11 and summary["rows"] == 691
    assert summary["rows_unsourced"] == 0
    assert summary["verified_with_recalled_claims"] == 0
    assert summary["sources_denied"] == 0  # no shipped row cites a denied page
    rows = {r["table"]: r for r in table.to_pylist()}
    # a stale table shows: the exercise table ends in 2025
    assert rows["exercises"]["newest"] == date(2025, 8, 28)
    assert rows["leaders"]["newest"] == date(2025, 6, 4)


def test_shipped_kb_breaks_no_sourcing_rule() -> None:
    """No shipped row rests on weak sources only or cites a denied page (issue 21)."""
    assert problems().to_pylist() == []


EVENTS = """\
2020-06-09,lines cut,"R (Reuters) — https://www.reuters.com/x",verified
2020-06-16,office blown up,"W — https://en.wikipedia.org/wiki/X",verified
2021-07-27,lines restored,,recalled
2023-11-23,deal scrapped [recalled],"F — https://pledgetimes.com/x | U — https://www.upi.com/x",verified
"""


def _write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(HEADER + body, encoding="utf-8")


def test_audit_applies_the_same_rules_to_any_folder(tmp_path: Path) -> None:
    _write(tmp_path, "events.csv", EVENTS)
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # no source column: not a KB table
    table, summary = audit(tmp_path)
    assert table.column("table").to_pylist() == ["events"]
    (row,) = table.to_pylist()
    assert (row["rows"], row["sources_wire"], row["sources_reference"], row["sources_weak"], row["sources_denied"]) == (
        4,
        2,
        1,
        1,
        1,
    )
    assert (
        row["rows_weak_only"],
        row["rows_unsourced"],
        row["rows_recalled"],
        row["verified_with_recalled_claims"],
    ) == (1, 1, 1, 1)
    assert row["newest"] == date(2023, 11, 23)
    assert summary["rows_failing"] == 3
    assert problems(tmp_path).to_pylist() == [
        {"table": "events", "row": 2, "problem": "weak sources only"},
        {"table": "events", "row": 3, "problem": "no source"},
        {"table": "events", "row": 4, "problem": "denied source 'https://pledgetimes.com/x'"},
        {"table": "events", "row": 4, "problem": "verified row with a [recalled] claim"},
    ]


def test_audit_of_a_folder_without_tables_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KbDataError, match="no CSV with 'source' and 'confidence' columns"):
        audit(tmp_path)
    with pytest.raises(KbDataError, match="not a knowledge-base folder"):
        audit(tmp_path / "missing")


def test_sample_is_reproducible_and_spans_the_tables() -> None:
    first, again = sample(60, seed=21), sample(60, seed=21)
    assert first.equals(again) and first.num_rows == 60
    assert len(set(first.column("table").to_pylist())) >= 8
    assert not first.equals(sample(60, seed=22))


def test_every_shipped_kb_breaks_no_sourcing_rule() -> None:
    """The India-Pakistan knowledge base meets the same rules: no weak-only, unsourced or denied row."""
    folder = Path(__file__).resolve().parents[2] / "src" / "detente" / "kb" / "data" / "ind-pak"
    assert problems(folder).to_pylist() == []
    _, summary = audit(folder)
    assert (summary["rows_weak_only"], summary["rows_unsourced"], summary["sources_denied"]) == (0, 0, 0)
    assert summary["verified_with_recalled_claims"] == 0 and summary["tables"] == 7
