"""Default CAMEO event of each normalised category (``detente.schema.CATEGORIES``).

``data/category_cameo.csv`` gives one CAMEO code per category with a one-line rationale quoting
the CAMEO codebook; QuadClass and Goldstein are looked up in the code tables, never typed by hand.
"""

from __future__ import annotations

from functools import cache

from ._cameo import goldstein_of, quad_class_of_root
from ._files import read_rows

__all__ = ["category_cameo"]


@cache
def category_cameo() -> dict[str, tuple[str, int, float]]:
    """``category -> (event_code, quad_class, goldstein)`` for every value of ``CATEGORIES``."""
    goldstein, quad = goldstein_of(), quad_class_of_root()
    return {
        r["category"]: (r["event_code"], quad[r["event_code"][:2]], goldstein[r["event_code"]])
        for r in read_rows("category_cameo.csv")
    }
