"""Country and organisation codes: ISO3 <-> CAMEO, FIPS 10-4, ISO numeric, COW ccode, Gleditsch-Ward.

``data/country_codes.csv`` holds every code of each system with that system's own name, the ISO3
it maps to (empty when there is none: regions, historical states, disputed features) and the basis
of the mapping; ``current`` marks the code a system uses for the whole entity today.
``data/country_names.csv`` holds the names (and their writers) that :func:`name_to_iso3` knows.
How both were built: ``data/ATTRIBUTION.md`` and ``docs/ontology.md``.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pyarrow as pa

from ._files import read_rows

__all__ = [
    "CODE_SYSTEMS",
    "cameo_country_to_iso3",
    "countries",
    "country_codes",
    "cow_to_iso3",
    "fips_to_iso3",
    "gw_to_iso3",
    "isonum_to_iso3",
    "known_group_to_org",
    "name_to_iso3",
    "normalise_name",
    "organisations",
]

#: Code systems in ``country_codes.csv`` (besides ``iso3``, the list of ISO3 entities itself).
CODE_SYSTEMS = ("cameo", "fips", "isonum", "cow", "gw")
_INT_SYSTEMS = frozenset({"isonum", "cow", "gw"})


@cache
def _code_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_rows("country_codes.csv"))


@cache
def country_codes() -> pa.Table:
    """Long table: ``system``, ``code``, ``abbrev`` (COW/GW letters), ``name``, ``iso3``, ``current``, ``basis``."""
    rows = _code_rows()
    text = {
        k: pa.array([r[k] or None for r in rows], pa.string()) for k in ("system", "code", "abbrev", "name", "iso3")
    }
    current = pa.array([r["current"] == "1" for r in rows], pa.bool_())
    return pa.table({**text, "current": current, "basis": pa.array([r["basis"] for r in rows], pa.string())})


def _to_iso3(system: str) -> dict[str, str]:
    return {r["code"]: r["iso3"] for r in _code_rows() if r["system"] == system and r["iso3"]}


@cache
def cameo_country_to_iso3() -> dict[str, str]:
    """CAMEO actor country code (GDELT ``Actor*CountryCode``) -> ISO3.

    Regional codes (``EUR``, ``WST`` ...) are absent.
    """
    return _to_iso3("cameo")


@cache
def fips_to_iso3() -> dict[str, str]:
    """FIPS 10-4 code (GDELT ``*Geo_CountryCode``, e.g. ``KN``, ``KS``) -> ISO3."""
    return _to_iso3("fips")


@cache
def isonum_to_iso3() -> dict[int, str]:
    """ISO 3166-1 numeric code (ACLED ``iso``, e.g. 410) -> ISO3."""
    return {int(k): v for k, v in _to_iso3("isonum").items()}


@cache
def cow_to_iso3() -> dict[int, str]:
    """Correlates of War ``ccode`` (e.g. 731, 732) -> ISO3; historical states without a successor code are absent."""
    return {int(k): v for k, v in _to_iso3("cow").items()}


@cache
def gw_to_iso3() -> dict[int, str]:
    """Gleditsch-Ward number (UCDP ``gwno_*``, microstates included) -> ISO3."""
    return {int(k): v for k, v in _to_iso3("gw").items()}


@cache
def countries() -> pa.Table:
    """Wide crosswalk, one row per ISO3 entity: ``iso3``, ``name``, ``cameo``, ``fips``, ``isonum``, ``cow``, ``gw``.

    Each code column holds the code its system uses for the whole entity today (null when the
    system has none, or only codes for parts of it, e.g. FIPS ``GZ``/``WE`` for ``PSE``).
    """
    current = {(r["system"], r["iso3"]): r["code"] for r in _code_rows() if r["current"] == "1"}
    entities = [r for r in _code_rows() if r["system"] == "iso3"]
    columns: dict[str, pa.Array] = {
        "iso3": pa.array([r["iso3"] for r in entities]),
        "name": pa.array([r["name"] for r in entities]),
    }
    for system in CODE_SYSTEMS:
        values = [current.get((system, r["iso3"])) for r in entities]
        if system in _INT_SYSTEMS:
            columns[system] = pa.array([None if v is None else int(v) for v in values], pa.int32())
        else:
            columns[system] = pa.array(values, pa.string())
    return pa.table(columns)


def normalise_name(name: str) -> str:
    """Lookup key of a country name: accents and case folded, curly quotes and ``&`` unified, spaces collapsed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace(" & ", " and ")
    return " ".join(text.casefold().split())


@cache
def _names() -> dict[str, str]:
    return {normalise_name(r["name"]): r["iso3"] for r in read_rows("country_names.csv")}


def name_to_iso3(name: str | None) -> str | None:
    """ISO3 of a country name as ICEWS, ACLED, UCDP, COW, GW, ISO, UN or CAMEO write it; ``None`` if unknown.

    Case-insensitive and accent-insensitive: ``"North Korea"``, ``"Korea, North"``,
    ``"Democratic People's Republic of Korea"`` -> ``"PRK"``; ``"Soviet Union"`` -> ``"RUS"``.
    """
    if not name:
        return None
    return _names().get(normalise_name(name))


@cache
def organisations() -> pa.Table:
    """CAMEO international actor codes (CAMEO manual 1.1b3, Table 3.4 and the generic codes).

    Columns: ``cameo_code``, ``known_group`` (GDELT ``Actor*KnownGroupCode``), ``name``, ``org``
    (the value used for ``actor*_country``: ``UN``, ``EU``, otherwise the CAMEO code), ``note``.
    """
    rows = read_rows("organisations.csv")
    return pa.table({k: [r[k] or None for r in rows] for k in ("cameo_code", "known_group", "name", "org", "note")})


@cache
def known_group_to_org() -> dict[str, str]:
    """GDELT ``Actor*KnownGroupCode`` of an organisation -> org code.

    For example ``UNO`` -> ``UN``, ``EEC`` -> ``EU``, ``NAT`` -> ``NAT``.
    """
    return {r["known_group"]: r["org"] for r in read_rows("organisations.csv") if r["known_group"]}
