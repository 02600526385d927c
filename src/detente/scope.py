"""Scopes: the countries a store keeps, applied while a GDELT file is read (decision 063).

A scope is a set of ISO3 countries, named (``korea``) or given as a list (``PRK,KOR,USA``). An event is
in scope when its Actor1 country, its Actor2 country or the country of its action location is one of
them, the same three fields the store's ``actor1_country``, ``actor2_country`` and ``country`` hold.
The reader turns the scope into the raw GDELT codes that map to those countries (CAMEO actor
country codes, FIPS 10-4 place codes) and filters on them inside the CSV scan, so rows out of scope
are never typed, checked or stored; it counts them (``ReadResult.out_of_scope``).

The named scopes are Détente's Asian theatres: ``korea`` is the peninsula with the four powers of
the Six-Party Talks (PRK, KOR, USA, CHN, RUS, JPN); the others are the Asian pairs of
:data:`detente.theatres.brief.NAMED_THEATRES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from . import ontology

__all__ = ["SCOPES", "Scope", "ScopeError", "resolve_scope"]

#: named scopes: name -> ISO3 countries
SCOPES: dict[str, tuple[str, ...]] = {
    "korea": ("PRK", "KOR", "USA", "CHN", "RUS", "JPN"),
    "ind-pak": ("IND", "PAK"),
    "chn-ind": ("CHN", "IND"),
    "khm-tha": ("KHM", "THA"),
}

_CODE = re.compile(r"[A-Z]{3}")


class ScopeError(ValueError):
    """An unknown scope name or country code (the message is one line, for the user)."""


@dataclass(frozen=True)
class Scope:
    """A set of ISO3 countries; ``name`` when it came from :data:`SCOPES`."""

    countries: frozenset[str]
    name: str | None = None

    @property
    def key(self) -> str:
        """The countries, sorted and comma-joined: what the manifest and the update state record."""
        return ",".join(sorted(self.countries))

    def covers(self, other: Scope | None) -> bool:
        """True if every row in ``other`` is in this scope (``None`` is everything)."""
        return other is not None and other.countries <= self.countries

    @cached_property
    def cameo_codes(self) -> tuple[str, ...]:
        """CAMEO actor country codes (``Actor*CountryCode``) of these countries."""
        return tuple(sorted(c for c, iso3 in ontology.cameo_country_to_iso3().items() if iso3 in self.countries))

    @cached_property
    def fips_codes(self) -> tuple[str, ...]:
        """FIPS 10-4 codes (``ActionGeo_CountryCode``) of these countries."""
        return tuple(sorted(c for c, iso3 in ontology.fips_to_iso3().items() if iso3 in self.countries))

    def __str__(self) -> str:
        return f"{self.name} ({self.key})" if self.name else self.key


def _known_iso3() -> set[str]:
    return set(ontology.countries().column("iso3").to_pylist())


def resolve_scope(scope: str | None = None, countries: str | Iterable[str] | None = None) -> Scope | None:
    """The scope a user asked for: a name from :data:`SCOPES`, a country list, both (the union), or None.

    ``countries`` is ISO3 codes, comma-separated or as an iterable, any case. Raises
    :class:`ScopeError` for an unknown name or code.

    >>> resolve_scope("korea").key
    'CHN,JPN,KOR,PRK,RUS,USA'
    >>> resolve_scope(countries="kor, prk").key
    'KOR,PRK'
    """
    chosen: set[str] = set()
    if scope is not None:
        if scope.lower() not in SCOPES:
            raise ScopeError(f"unknown scope {scope!r}; known scopes: {', '.join(sorted(SCOPES))}")
        chosen |= set(SCOPES[scope.lower()])
    if countries is not None:
        items = countries.split(",") if isinstance(countries, str) else list(countries)
        codes = [c.strip().upper() for c in items if c.strip()]
        known = _known_iso3()
        bad = [c for c in codes if not _CODE.fullmatch(c) or c not in known]
        if bad:
            raise ScopeError(f"not ISO3 country codes: {', '.join(repr(c) for c in bad[:5])}")
        if not codes:
            raise ScopeError("the country list is empty")
        chosen |= set(codes)
    if scope is None and countries is None:
        return None
    return Scope(frozenset(chosen), scope.lower() if scope is not None and countries is None else None)
