"""Korea against the record: the provision mapping, PA-X's own coding, similar agreements, per-group record."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pandas as pd
import pytest

from detente.theatres import GROUPS, Record, agreement_outcomes, compare, korea_groups, profiles, signings
from detente.theatres.korea import PROVISION_GROUPS, group_record, similar_agreements

from .conftest import Raw

_CODES = {g.name: g.codes for g in GROUPS}


def _raw_groups(row: dict[str, str]) -> set[str]:
    return {name for name, codes in _CODES.items() if any(int(row[c]) > 0 for c in codes)}


def test_every_kb_provision_is_mapped_once() -> None:
    text = resources.files("detente.kb").joinpath("data/provisions.csv").read_text("utf-8")
    ids = [r["provision_id"] for r in csv.DictReader(io.StringIO(text))]
    assert len(ids) == 42
    assert [p for p, _, _ in PROVISION_GROUPS] == ids
    assert {g for _, groups, _ in PROVISION_GROUPS for g in groups} <= set(_CODES)
    assert all(basis for _, _, basis in PROVISION_GROUPS)


def test_korean_texts_groups() -> None:
    assert korea_groups() == {
        "PD-2018": ["ceasefire", "demilitarisation", "joint_military", "third_party", "guarantees"],
        "PYD-2018": ["ceasefire", "joint_military", "third_party"],
        "CMA-2018": ["ceasefire", "demilitarisation", "joint_military", "third_party", "guarantees"],
    }


def test_profiles_show_pax_coding_from_the_raw_file(record: Record, raw: Raw) -> None:
    p = profiles(record).set_index("kb_id")
    for kb_id, agt_id in (("PD-2018", "2104"), ("PYD-2018", "2105")):
        row = next(r for r in raw.pax if r["AgtId"] == agt_id)
        assert set(p.loc[kb_id, "pax_groups"].split(";")) == _raw_groups(row)
        assert p.loc[kb_id, "stage"] == row["Stage"] == "Pre"
    # the Comprehensive Military Agreement has no PA-X record
    assert not [r for r in raw.pax if "Military Domain" in r["Agt"]]
    assert pd.isna(p.loc["CMA-2018", "pax_id"]) and p.loc["CMA-2018", "stage"] == "Imp"
    assert p.loc["PYD-2018", "only_pax"] == "guarantees"


def test_most_similar_interstate_agreement(record: Record, raw: Raw) -> None:
    outcomes = agreement_outcomes(record, "interstate")
    similar = similar_agreements(record, outcomes, top=3)
    assert list(similar.groupby("kb_id").size()) == [3, 3, 3]
    assert not (similar["ucdp_conflict"] == 235).any()
    assert not similar["con"].str.contains("Korea").any()
    mine = set(korea_groups()["PD-2018"]) | {"stage:Pre"}
    pool = [r for r in raw.pax if r["AgtId"] in {str(i) for i in outcomes["pax_id"]} and r["UcdpCon"] != "235"]
    scores = {int(r["AgtId"]): len(mine & (s := _raw_groups(r) | {f"stage:{r['Stage']}"})) / len(mine | s)
              for r in pool}  # fmt: skip
    top = similar[similar["kb_id"] == "PD-2018"].iloc[0]
    assert top["similarity"] == pytest.approx(max(scores.values()))
    assert top["pax_id"] == 599 and scores[599] == pytest.approx(4 / 7)  # UNSC resolution 1177, Eritrea-Ethiopia
    assert top["ucdp_next_year"] == 1999  # the war went on


def test_group_record_reads_the_hazard_ratio(record: Record) -> None:
    units = signings(agreement_outcomes(record, "interstate"))
    table = group_record(compare(units, "ucdp", sample="interstate", coverage_end=2021)).set_index("group")
    assert list(table.index) == [g.name for g in GROUPS]
    assert table.loc["ceasefire", "verdict"] == "relapsed sooner"
    assert table.loc["ceasefire", "korea_texts"] == "PD-2018;PYD-2018;CMA-2018"
    assert table.loc["joint_military", "verdict"] == "not estimable"
    assert table.loc["border", "korea_texts"] == ""
    assert (table["with_n"] + table["without_n"] == len(units)).all()
