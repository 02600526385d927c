"""Reference tables: CAMEO codes, Goldstein scale, QuadClass, PLOVER, countries and organisations.

Everything is read from the files in ``detente/ontology/data`` (origins in ``data/ATTRIBUTION.md``),
cached, and returned as plain dicts or pyarrow tables; treat them as read-only.
See ``docs/ontology.md``.
"""

from __future__ import annotations

from ._cameo import (
    GoldsteinScheme,
    actor_types,
    cameo_codes,
    goldstein_of,
    quad_class_labels,
    quad_class_of_root,
)
from ._categories import category_cameo
from ._countries import (
    CODE_SYSTEMS,
    cameo_country_to_iso3,
    countries,
    country_codes,
    cow_to_iso3,
    fips_to_iso3,
    gw_to_iso3,
    isonum_to_iso3,
    known_group_to_org,
    name_to_iso3,
    normalise_name,
    organisations,
)
from ._plover import cameo_to_plover, plover_map
from ._source_maps import CameoCoding, mapping_rows, source_cameo

__all__ = [
    "CODE_SYSTEMS",
    "CameoCoding",
    "GoldsteinScheme",
    "actor_types",
    "cameo_codes",
    "cameo_country_to_iso3",
    "cameo_to_plover",
    "category_cameo",
    "countries",
    "country_codes",
    "cow_to_iso3",
    "fips_to_iso3",
    "goldstein_of",
    "gw_to_iso3",
    "isonum_to_iso3",
    "known_group_to_org",
    "mapping_rows",
    "name_to_iso3",
    "normalise_name",
    "organisations",
    "plover_map",
    "quad_class_labels",
    "quad_class_of_root",
    "source_cameo",
]
