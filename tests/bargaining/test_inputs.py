"""Issue sets: the shipped Korean set and the EC example load; bad files fail naming field or row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.bargaining import BargainingInputError, IssueSet, ec_emissions, load
from detente.bargaining.inputs import parse_csv, parse_yaml

ISSUES = {"denuclearization", "sanctions_relief", "exercises", "peace_regime", "economic_cooperation",
          "humanitarian_access"}  # fmt: skip
ACTORS = ["PRK", "KOR", "USA", "CHN", "RUS", "JPN", "UN"]


def test_korean_set_covers_the_issue_and_is_fully_sourced(korea_set: IssueSet) -> None:
    assert {s.id for s in korea_set.issues} == ISSUES
    assert list(korea_set.actors) == ACTORS
    for spec in korea_set.issues:
        assert set(spec.actors) == set(ACTORS) and spec.status_quo is not None
        for table in (spec.position, spec.salience, spec.capability):
            for est in table.values():
                assert est.rationale and est.sources and est.low <= est.value <= est.high
                assert all(key in korea_set.sources for key in est.sources)
    assert all(src.url.startswith("http") for src in korea_set.sources.values())
    used = {k for s in korea_set.issues for t in (s.position, s.salience, s.capability, {"": s.status_quo})
            for e in t.values() for k in e.sources}  # fmt: skip
    assert used == set(korea_set.sources)  # no source listed without being used


def test_korean_capabilities_are_cinc_shares(korea_set: IssueSet) -> None:
    cap = {a: e.value for a, e in korea_set.issues[0].capability.items()}
    assert max(cap, key=cap.get) == "CHN" and cap["USA"] > cap["RUS"] > cap["JPN"] > cap["KOR"] > cap["PRK"]
    assert cap["UN"] == cap["PRK"]  # the stated assumption: the smallest state score
    assert "ASSUMPTION" in korea_set.issues[0].capability["UN"].rationale
    X = korea_set.matrix("sanctions_relief")
    assert X.shape == (7, 3) and X[:, 1].max() <= 1.0  # salience rescaled to 0-1
    low, high = korea_set.bounds("sanctions_relief")
    assert (low <= X).all() and (high >= X).all()


def test_inputs_table_lists_every_estimate_with_its_sources(korea_set: IssueSet) -> None:
    t = korea_set.inputs_table().to_pylist()
    assert len(t) == 6 * (1 + 7 * 3)
    usa = next(r for r in t if (r["issue"], r["actor"], r["field"]) == ("denuclearization", "USA", "position"))
    assert "Korea JoongAng Daily" in usa["sources"] and "https://" in usa["sources"]


def test_ec_csv(ec: np.ndarray) -> None:
    s = ec_emissions()
    assert s.issue("emissions").scale == (4.0, 10.0) and len(s.issue("emissions").actors) == 10
    assert ec[0].tolist() == [4.0, 0.8, 0.08]  # Netherlands, as printed in Scholz et al. Table 1


GOOD = """
name: test
sources:
  s1: {title: T, publisher: P, date: "2020", url: "https://example.org"}
actors:
  A: {name: Alpha, capability: {value: 1, rationale: r, sources: [s1]}}
  B: {name: Beta, capability: 2}
issues:
  - id: i1
    name: Issue one
    scale: [0, 10]
    actors:
      A: {position: 1, salience: 50}
      B: {position: {value: 9, range: [8, 10]}, salience: 80}
"""


def test_yaml_lenient_and_strict() -> None:
    s = parse_yaml(GOOD)
    assert s.matrix("i1").tolist() == [[1.0, 0.5, 1.0], [9.0, 0.8, 2.0]]
    assert s.bounds("i1")[1][1, 0] == 10.0
    with pytest.raises(BargainingInputError, match=r"^actors\.B\.capability: needs value, rationale and sources"):
        parse_yaml(GOOD, strict=True)
    strict_b = GOOD.replace("capability: 2}", "capability: {value: 2, rationale: r, sources: [s1]}}")
    with pytest.raises(BargainingInputError, match=r"^issues\[i1\]\.actors\.A\.position: needs value, rationale"):
        parse_yaml(strict_b, strict=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("salience: 80", "salience: 150"), r"issues\[i1\]\.actors\.B\.salience: value 150 is outside \[0, 100\]"),
        (("range: [8, 10]", "range: [8, 8.5]"), r"issues\[i1\]\.actors\.B\.position\.range: \[8, 8.5\] must contain"),
        (("position: 1,", "position: high,"), r"issues\[i1\]\.actors\.A\.position: expected a finite number"),
        (("sources: [s1]", "sources: [s9]"), r"actors\.A\.capability\.sources\[0\]: unknown source 's9'"),
        (("      B: {position", "      C: {position"), r"issues\[i1\]\.actors\.C: unknown actor 'C'"),
        (("scale: [0, 10]", "scale: [10, 0]"), r"issues\[i1\]\.scale: low 10 must be below high 0"),
        (("B: {name: Beta, capability: 2}", "B: {name: Beta}"), r"issues\[i1\]\.actors\.B: no capability"),
        (("A: {position: 1, salience: 50}", "A: {position: 1}"), r"issues\[i1\]\.actors\.A: missing 'salience'"),
        (("name: Issue one", "name: Issue one\n    status_quo: {value: 1, range: [0, 2]}"), r"status_quo\.range"),
    ],
)
def test_yaml_errors_name_the_field(change: tuple[str, str], message: str) -> None:
    with pytest.raises(BargainingInputError, match=message):
        parse_yaml(GOOD.replace(*change))


CSV = "actor,issue,position,salience,capability\nA,x,0,50,1\nB,x,10,100,2\n"


def test_csv_with_ranges(tmp_path: Path) -> None:
    text = "actor,issue,position,salience,capability,position_low,position_high\nA,x,0,50,1,0,2\nB,x,10,100,2,,\n"
    s = parse_csv(text)
    assert s.matrix("x").tolist() == [[0.0, 0.5, 1.0], [10.0, 1.0, 2.0]]
    assert s.bounds("x")[1][0, 0] == 2.0 and s.issue("x").scale == (0.0, 10.0)
    path = tmp_path / "mine.csv"
    path.write_text(CSV, encoding="utf-8")
    assert load(path).name == "mine" and load(path, salience_scale=1000).matrix("x")[1, 1] == 0.1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CSV.replace("A,x,0,50,1", "A,x,zero,50,1"), r"row 1 \(line 2\), column position: 'zero' is not a number"),
        (CSV.replace("B,x,10,100,2", "B,x,10,101,2"), r"row 2 \(line 3\), column salience: 101 .* outside 0-100"),
        (CSV.replace("B,x,10,100,2", "B,x,10,100,-2"), r"row 2 \(line 3\), column capability: .* outside 0-inf"),
        (CSV + "A,x,3,50,1\n", r"row 3 \(line 4\): actor 'A' appears twice on issue 'x'"),
        (CSV.replace("B,x", "B,y"), r"issue 'x': needs at least two actors"),
        ("actor,issue,position,salience\nA,x,0,50\n", r"header: missing column\(s\) \['capability'\]"),
        (CSV.replace("capability", "capability,votes"), r"header: unknown column\(s\) \['votes'\]"),
        ("actor,issue,position,salience,capability\n", "no data rows"),
    ],
)
def test_csv_errors_name_the_row(text: str, message: str) -> None:
    with pytest.raises(BargainingInputError, match=message):
        parse_csv(text)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(BargainingInputError, match="unknown file type '.txt'"):
        load(_touch(tmp_path / "x.txt"))
    with pytest.raises(BargainingInputError, match="not valid YAML"):
        load(_touch(tmp_path / "bad.yaml", "a: [1, 2"))
    with pytest.raises(BargainingInputError, match="cannot read"):
        load(tmp_path / "missing.csv")


def _touch(path: Path, text: str = "") -> Path:
    path.write_text(text, encoding="utf-8")
    return path
