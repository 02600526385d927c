"""CAMEO event codes, the Goldstein scale, QuadClass and CAMEO actor types.

Sources (``data/ATTRIBUTION.md``): the GDELT lookups ``CAMEO.eventcodes.txt``,
``CAMEO.goldsteinscale.txt``, ``CAMEO.type.txt`` and ``GDELT.quadclasses.txt``, and the ICEWS
CAMEO codebook ``icews_cameo_codes.csv`` (``andybega/icews``). Where the two Goldstein tables
disagree (codes 016, 022, 164, 165) GDELT's values are the default: see
``docs/decisions/002-goldstein-disagreements.md``.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import pyarrow as pa

from ._files import read_rows

__all__ = [
    "GoldsteinScheme",
    "actor_types",
    "cameo_codes",
    "goldstein_of",
    "quad_class_labels",
    "quad_class_of_root",
]

GoldsteinScheme = Literal["gdelt", "icews"]

#: QuadClass by CAMEO root code: 01-05 verbal cooperation, 06-09 material cooperation,
#: 10-14 verbal conflict, 15-20 material conflict (the GDELT codebook's four classes; the ranges
#: are what every row of the GDELT 1.0 and 2.0 samples in shared/data/gdelt_events carries).
_QUAD_RANGES = ((1, 5, 1), (6, 9, 2), (10, 14, 3), (15, 20, 4))

#: Descriptions mis-encoded in the GDELT lookup copy, with the ICEWS codebook's wording.
_DESCRIPTION_FIXES = {"044": "Meet at a 'third' location"}


@cache
def quad_class_of_root() -> dict[str, int]:
    """QuadClass (1-4) of each two-digit CAMEO root code ``"01"`` .. ``"20"``."""
    return {f"{root:02d}": quad for lo, hi, quad in _QUAD_RANGES for root in range(lo, hi + 1)}


@cache
def quad_class_labels() -> dict[int, str]:
    """GDELT's label of each QuadClass, e.g. ``1 -> "Verbal Cooperation"``."""
    return {int(r["QUADCLASS"]): r["DESCRIPTION"] for r in read_rows("GDELT.quadclasses.txt")}


@cache
def _gdelt_goldstein() -> dict[str, float]:
    return {r["CAMEOEVENTCODE"]: float(r["GOLDSTEINSCALE"]) for r in read_rows("CAMEO.goldsteinscale.txt", "\t")}


@cache
def _icews_goldstein() -> dict[str, float]:
    rows = read_rows("icews_cameo_codes.csv", encoding="cp1252")
    return {r["code"]: float(r["goldstein"]) for r in rows}


def goldstein_of(scheme: GoldsteinScheme = "gdelt") -> dict[str, float]:
    """Goldstein score (-10 .. 10) of each CAMEO event code.

    ``scheme="gdelt"`` (default, 311 codes) is GDELT's ``CAMEO.goldsteinscale.txt``, the values
    GDELT rows carry; ``scheme="icews"`` (312 codes, adds ``1213``) is the ICEWS codebook, the
    values ICEWS rows carry as ``Intensity``. They differ for 016, 022, 164 and 165.
    The returned dict is shared (cached): do not modify it.
    """
    if scheme == "gdelt":
        return _gdelt_goldstein()
    if scheme == "icews":
        return _icews_goldstein()
    raise ValueError(f"unknown Goldstein scheme {scheme!r}; use 'gdelt' or 'icews'")


@cache
def cameo_codes() -> pa.Table:
    """The 311 CAMEO event codes of GDELT's lookup.

    Columns: ``code`` (string, leading zeros kept), ``description`` (GDELT's label),
    ``goldstein`` (default scheme), ``quad_class`` (int8), ``root`` (two-digit root code).
    """
    rows = read_rows("CAMEO.eventcodes.txt", "\t")
    codes = [r["CAMEOEVENTCODE"] for r in rows]
    goldstein, quad = goldstein_of(), quad_class_of_root()
    return pa.table(
        {
            "code": pa.array(codes, pa.string()),
            "description": [
                _DESCRIPTION_FIXES.get(c, r["EVENTDESCRIPTION"].strip()) for c, r in zip(codes, rows, strict=False)
            ],
            "goldstein": pa.array([goldstein[c] for c in codes], pa.float64()),
            "quad_class": pa.array([quad[c[:2]] for c in codes], pa.int8()),
            "root": [c[:2] for c in codes],
        }
    )


@cache
def actor_types() -> dict[str, str]:
    """CAMEO actor type codes (``GOV``, ``MIL``, ``UNO`` ...) and labels; 39 codes (``UIS`` is listed twice)."""
    return {r["CODE"]: r["LABEL"] for r in read_rows("CAMEO.type.txt", "\t")}
