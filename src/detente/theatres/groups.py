"""Provision groups and agreement stages: how PA-X provision codes are grouped for comparison.

A group is present in an agreement when any of its PA-X codes is above 0 (PA-X codes its
provision columns 0-3; 0 means the agreement does not address the topic). The groups are the ones
issue 10 names; the PA-X field labels next to each code say what PA-X actually records, which is not
always what the group's name suggests (``MpsJt`` is a joint command structure in military
power-sharing, ``Terps`` territorial power-sharing): see ``docs/lessons.md`` and decision 021.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["GROUPS", "STAGES", "ProvisionGroup", "group", "group_flags", "pax_codes_present", "stage_label"]


@dataclass(frozen=True)
class ProvisionGroup:
    """A named set of PA-X provision codes; ``caveat`` says where the codes differ from the name."""

    name: str
    label: str
    codes: tuple[str, ...]
    pax_labels: tuple[str, ...]
    caveat: str = ""


#: The groups compared (issue 10), in display order. ``pax_labels`` are PA-X's field labels.
GROUPS: tuple[ProvisionGroup, ...] = (
    ProvisionGroup("ceasefire", "Ceasefire", ("Ce",), ("Ceasefire",)),
    ProvisionGroup("demilitarisation", "Demilitarisation and buffer zones", ("DdrDemil",), ("Demilitarisation",)),
    ProvisionGroup(
        "joint_military",
        "Joint military mechanisms",
        ("MpsJt",),
        ("Joint command structure (military power-sharing)",),
        "PA-X MpsJt codes joint command structures of merged forces, not bilateral military committees",
    ),
    ProvisionGroup(
        "border",
        "Border delimitation",
        ("StBor", "Terps"),
        ("Border delimitation", "Territorial power-sharing"),
        "Terps is PA-X's territorial power-sharing (autonomy, federalism), not delimitation",
    ),
    ProvisionGroup(
        "third_party",
        "UN and other third-party roles",
        ("ImUN", "ImOth", "ImPK"),
        ("UN signatory", "Other international signatory", "International mission, force or similar"),
    ),
    ProvisionGroup(
        "guarantees",
        "Security guarantees",
        ("SsrGua",),
        ("Security sector (general)",),
        "the PA-X field label seen for SsrGua is 'Security Sector (General)'; issue 10 reads it as guarantees",
    ),
)

#: PA-X ``Stage`` codes and their labels (PeaceRep's PA-X explorer uses these labels).
STAGES: dict[str, str] = {
    "Pre": "Pre-negotiation/process",
    "Cea": "Ceasefire",
    "SubPar": "Framework-substantive, partial",
    "SubComp": "Framework-substantive, comprehensive",
    "Imp": "Implementation",
    "Ren": "Renewal",
    "Oth": "Other",
}


def group(name: str) -> ProvisionGroup:
    """The group called ``name`` (``ceasefire``, ``demilitarisation``, ...); ``KeyError`` lists the names."""
    for g in GROUPS:
        if g.name == name:
            return g
    raise KeyError(f"unknown provision group {name!r}; groups: {', '.join(g.name for g in GROUPS)}")


def stage_label(code: str | None) -> str | None:
    """Label of a PA-X stage code (the code itself when PA-X has added one this table lacks)."""
    if code is None or pd.isna(code):
        return None
    return STAGES.get(code, code)


def group_flags(agreements: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per group: does each agreement (a PA-X row) have any of the group's codes?"""
    flags = {}
    for g in GROUPS:
        present = pd.Series(False, index=agreements.index)
        for code in g.codes:
            present |= agreements[code].fillna(0).astype(int) > 0
        flags[g.name] = present
    return pd.DataFrame(flags, index=agreements.index)


def pax_codes_present(row: pd.Series, codes: list[str]) -> list[str]:
    """The PA-X provision codes above 0 in one agreement row, in PA-X's column order."""
    return [c for c in codes if pd.notna(row[c]) and int(row[c]) > 0]
