"""Synthetic GDELT 2.0 event exports for benchmarks: realistic shape, seedable, vectorised.

Every line has the 61 tab-separated fields of a GDELT 2.0 export (GDELT Event Codebook V2.0) and
about 400 bytes, like the real ``data/gdelt_events/20191024143000.export.CSV`` (855,412 bytes for
2,111 rows). Distributions follow what that real file shows (measured with DuckDB on its 2,111
rows): 39% of Actor1 and 52% of Actor2 rows without a country code, 42% with an actor type, USA the
most frequent country, ActionGeo types 0..5 in the proportions 37/550/283/368/811/62, 97% of
SQLDATEs on the day of DATEADDED, NumMentions with median 4, AvgTone mean -2.27 and sd 3.64,
SOURCEURL about 100 characters, the 15 most frequent CAMEO codes taking 60% of the rows. Korea is
over-weighted (KOR and PRK together 9% of coded actors; KS/KN places) because Détente is about the
peninsula; ``mix="real"`` (``--mix real``) takes instead the real export's own country shares (USA
29% of coded actors, KOR and PRK 0.8%), for benchmarks where the share a scope keeps matters.
CAMEO codes come with their Goldstein value and QuadClass from :mod:`detente.ontology` (GDELT's own
lookup tables), countries with their CAMEO, FIPS 10-4 and name from its crosswalk.
Place names, domains and URL paths are made-up syllables: lengths and cardinalities are realistic,
the names are not real places.

With ``bad`` > 0 that share of lines is damaged in rotating ways (cut short, an extra field, a
blank line, an impossible date, a non-numeric count, an unknown CAMEO code, a byte that is not
UTF-8, a repeated GLOBALEVENTID), so a reader's quarantine can be exercised at scale.

    python benchmarks/synth_gdelt.py out.export.CSV --rows 1000000 --seed 7 --bad 0.001
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from detente import ontology

__all__ = ["DAMAGE", "MIXES", "damage", "generate"]

#: the 15 most frequent EventCodes of the real export and their counts (of 2,111 rows)
_TOP_CODES = {
    "010": 160, "042": 143, "043": 129, "036": 113, "190": 106, "040": 104, "051": 96, "020": 96,
    "173": 72, "046": 60, "193": 52, "112": 49, "111": 48, "080": 47, "090": 45,
}  # fmt: skip
#: share of coded actors per country (the rest spread evenly over all other countries)
_COUNTRY_WEIGHTS = {"USA": 0.24, "CHN": 0.06, "KOR": 0.05, "PRK": 0.04, "RUS": 0.05, "GBR": 0.05, "JPN": 0.03}
#: the real export's own mix (``mix="real"``): each country's count among the 2,309 coded actors
#: (Actor1/Actor2 CountryCode) of data/gdelt_events/20191024143000.export.CSV, the ten most frequent
#: countries and the Korea scope's six; its Korea scope keeps 1,067 of the 2,111 rows
_REAL_COUNTRY_COUNTS = {
    "USA": 676, "GBR": 169, "RUS": 92, "SYR": 78, "CHN": 69, "TUR": 59, "CAN": 57, "FRA": 56, "JPN": 52,
    "IRN": 48, "KOR": 12, "PRK": 7,
}  # fmt: skip
MIXES = {"korea": _COUNTRY_WEIGHTS, "real": {c: n / 2309 for c, n in _REAL_COUNTRY_COUNTS.items()}}
_GEO_TYPE_WEIGHTS = np.array([37, 550, 283, 368, 811, 62], float)
_ACTOR_TYPES = ("GOV", "COP", "BUS", "EDU", "JUD", "CVL", "MED", "MIL", "HLH", "LEG", "IGO", "REB", "OPP", "MED")
_SYLLABLES = ("ka", "ro", "mi", "san", "tel", "do", "ri", "an", "vor", "chu", "len", "po", "gra", "bu", "sel", "ham")

#: the kinds of damage applied with ``bad`` > 0, in rotation
DAMAGE = ("cut", "extra", "blank", "date", "count", "code", "encoding", "duplicate")


def _words(rng: np.random.Generator, n: int, low: int = 2, high: int = 4) -> np.ndarray:
    """``n`` made-up words of ``low``..``high`` syllables."""
    parts = rng.integers(0, len(_SYLLABLES), (n, high))
    lengths = rng.integers(low, high + 1, n)
    return np.array(["".join(_SYLLABLES[j] for j in row[:k]) for row, k in zip(parts, lengths, strict=True)])


def _pick(pool: np.ndarray | list[str], idx: np.ndarray) -> pa.Array:
    return pc.take(pa.array(pool, pa.string()), pa.array(idx))


def _join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


class _World:
    """Countries, event codes and made-up places, drawn once per seed."""

    def __init__(self, rng: np.random.Generator, mix: str = "korea") -> None:
        table = ontology.countries().to_pydict()
        keep = [i for i, (c, f) in enumerate(zip(table["cameo"], table["fips"], strict=True)) if c and f]
        self.cameo = np.array([table["cameo"][i] for i in keep])
        self.fips = np.array([table["fips"][i] for i in keep])
        self.name = np.array([table["name"][i] for i in keep])
        weights = np.array([MIXES[mix].get(c, 0.0) for c in self.cameo])
        rest = weights == 0
        weights[rest] = (1 - weights.sum()) / rest.sum()
        self.country_p = weights / weights.sum()
        self.lat = rng.uniform(-45, 65, len(keep)).round(4)
        self.lon = rng.uniform(-170, 170, len(keep)).round(4)
        codes = ontology.cameo_codes().to_pydict()
        self.codes = np.array(codes["code"])
        goldstein = ontology.goldstein_of()
        quad = ontology.quad_class_of_root()
        self.goldstein = np.array([f"{goldstein[c]:.1f}" for c in self.codes])
        self.quad = np.array([quad[c[:2]] for c in self.codes])
        p = np.full(len(self.codes), (2111 - sum(_TOP_CODES.values())) / (len(self.codes) - len(_TOP_CODES)))
        for code, count in _TOP_CODES.items():
            p[np.flatnonzero(self.codes == code)] = count
        self.code_p = p / p.sum()
        self.cities = _words(rng, 3000)
        self.regions = _words(rng, 400)
        self.domains = np.char.add(
            _words(rng, 600, 2, 3), rng.choice([".com", ".net", ".org", ".co.kr", ".co.uk"], 600)
        )
        self.sections = _words(rng, 40, 1, 2)
        self.slug_words = _words(rng, 5000, 1, 3)


def _actor(world: _World, rng: np.random.Generator, n: int, p_country: float, p_empty: float) -> dict[str, pa.Array]:
    """The ten actor fields: code, name, country, known group, ethnic, religion x2, type x3."""
    has_country = rng.random(n) < p_country
    has_type = rng.random(n) < 0.42
    empty = ~has_country & (~has_type | (rng.random(n) < p_empty))
    country = rng.choice(len(world.cameo), n, p=world.country_p)
    kind = rng.integers(0, len(_ACTOR_TYPES), n)
    cc = _pick(world.cameo, country)
    types = _pick(list(_ACTOR_TYPES), kind)
    type_names = _pick([ontology.actor_types().get(t, t).upper() for t in _ACTOR_TYPES], kind)
    code = pc.if_else(pa.array(has_country & has_type), _join(cc, types), pc.if_else(pa.array(has_country), cc, types))
    name = pc.if_else(pa.array(has_country & ~has_type), pc.utf8_upper(_pick(world.name, country)), type_names)
    nulls = pa.nulls(n, pa.string())
    return {
        "Code": _null_where(code, empty),
        "Name": _null_where(name, empty),
        "CountryCode": _null_where(cc, ~has_country),
        "KnownGroupCode": nulls,
        "EthnicCode": nulls,
        "Religion1Code": nulls,
        "Religion2Code": nulls,
        "Type1Code": _null_where(types, ~has_type | empty),
        "Type2Code": nulls,
        "Type3Code": nulls,
    }


def _geo(world: _World, rng: np.random.Generator, n: int) -> dict[str, pa.Array]:
    """One GDELT 2.0 geo block: Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID."""
    kind = rng.choice(6, n, p=_GEO_TYPE_WEIGHTS / _GEO_TYPE_WEIGHTS.sum())
    country = rng.choice(len(world.cameo), n, p=world.country_p)
    whole = kind == 1
    none = kind == 0
    fips = _pick(world.fips, country)
    name = _pick(world.name, country)
    city = _join(
        _pick(world.cities, rng.integers(0, len(world.cities), n)),
        _pick(world.regions, rng.integers(0, len(world.regions), n)),
        name,
        sep=", ",
    )
    adm1 = _join(fips, pa.array(np.char.zfill(rng.integers(0, 60, n).astype(str), 2)))
    jitter = ~whole * rng.normal(0, 2, (2, n))
    lat = np.clip(world.lat[country] + jitter[0], -90, 90).round(4)
    lon = np.clip(world.lon[country] + jitter[1], -180, 180).round(4)
    feature = pc.if_else(pa.array(whole), fips, pa.array((-rng.integers(1, 3_000_000, n)).astype(str)))
    adm2 = _null_where(pa.array(rng.integers(10_000, 99_999, n).astype(str)), whole | (rng.random(n) < 0.3))
    return {
        "Type": pa.array(kind),
        "FullName": _null_where(pc.if_else(pa.array(whole), name, city), none),
        "CountryCode": _null_where(fips, none),
        "ADM1Code": _null_where(pc.if_else(pa.array(whole), fips, adm1), none),
        "ADM2Code": _null_where(adm2, none),
        "Lat": _null_where(pa.array(lat), none),
        "Long": _null_where(pa.array(lon), none),
        "FeatureID": _null_where(feature, none),
    }


def _table(rows: int, seed: int, added: str, first_id: int, mix: str = "korea") -> pa.Table:
    rng = np.random.default_rng(seed)
    world = _World(rng, mix)
    day = date(int(added[:4]), int(added[4:6]), int(added[6:8]))
    back = np.where(rng.random(rows) < 0.97, 0, rng.choice([1, 7, 30, 365], rows))
    days = np.datetime64(day) - back.astype("timedelta64[D]")
    ymd = days.astype(str)
    sqldate = np.char.replace(ymd, "-", "")
    year = days.astype("datetime64[Y]").astype(int) + 1970
    doy = (days - days.astype("datetime64[Y]")).astype(int)
    code = rng.choice(len(world.codes), rows, p=world.code_p)
    mentions = rng.geometric(0.22, rows)
    sources = np.minimum(mentions, rng.geometric(0.8, rows))
    cols: dict[str, pa.Array] = {
        "GLOBALEVENTID": pa.array(np.arange(first_id, first_id + rows)),
        "SQLDATE": pa.array(sqldate),
        "MonthYear": pa.array(sqldate.astype("U6")),
        "Year": pa.array(year),
        "FractionDate": pa.array((year + doy / 365).round(4)),
    }
    for prefix, p_country, p_empty in (("Actor1", 0.61, 0.14), ("Actor2", 0.48, 0.48)):
        cols |= {f"{prefix}{k}": v for k, v in _actor(world, rng, rows, p_country, p_empty).items()}
    codes = _pick(world.codes, code)
    cols |= {
        "IsRootEvent": pa.array((rng.random(rows) < 0.6).astype(np.int8)),
        "EventCode": codes,
        "EventBaseCode": pc.utf8_slice_codeunits(codes, 0, 3),
        "EventRootCode": pc.utf8_slice_codeunits(codes, 0, 2),
        "QuadClass": pa.array(world.quad[code]),
        "GoldsteinScale": _pick(world.goldstein, code),
        "NumMentions": pa.array(mentions),
        "NumSources": pa.array(sources),
        "NumArticles": pa.array(np.maximum(sources, mentions - rng.integers(0, 2, rows))),
        "AvgTone": pa.array(rng.normal(-2.27, 3.64, rows)),
    }
    action = _geo(world, rng, rows)
    same = pa.array(rng.random(rows) < 0.7)
    for prefix in ("Actor1Geo", "Actor2Geo"):
        other = _geo(world, rng, rows)
        cols |= {f"{prefix}_{k}": pc.if_else(same, action[k], v) for k, v in other.items()}
    cols |= {f"ActionGeo_{k}": v for k, v in action.items()}
    slug = _join(*(_pick(world.slug_words, rng.integers(0, len(world.slug_words), rows)) for _ in range(7)), sep="-")
    cols["DATEADDED"] = pa.array(np.full(rows, int(added)))
    cols["SOURCEURL"] = _join(
        "https://www.",
        _pick(world.domains, rng.integers(0, len(world.domains), rows)),
        "/",
        _pick(world.sections, rng.integers(0, len(world.sections), rows)),
        "/",
        slug,
        "-",
        pa.array(rng.integers(1_000_000, 99_999_999, rows).astype(str)),
        ".html",
    )
    return pa.table(cols)


def damage(path: Path, share: float, seed: int = 0) -> None:
    """Damage ``share`` of the lines of ``path`` in place, cycling through :data:`DAMAGE`."""
    lines = path.read_bytes().split(b"\n")[:-1]
    rng = np.random.default_rng(seed + 1)
    picks = np.sort(rng.choice(np.arange(1, len(lines)), max(1, int(len(lines) * share)), replace=False))
    for k, i in enumerate(picks.tolist()):
        fields = lines[i].split(b"\t")
        kind = DAMAGE[k % len(DAMAGE)]
        if kind == "cut":
            fields = fields[: int(rng.integers(1, 50))]
        elif kind == "extra":
            fields.append(b"extra")
        elif kind == "blank":
            fields = [b""]
        elif kind == "date":
            fields[1] = b"20191332"
        elif kind == "count":
            fields[31] = b"many"
        elif kind == "code":
            fields[26:29] = [b"999", b"999", b"99"]
        elif kind == "encoding":
            fields[6] += b"\xff"
        else:
            fields[0] = lines[i - 1].split(b"\t", 1)[0]
        lines[i] = b"\t".join(fields)
    path.write_bytes(b"\n".join(lines) + b"\n")


def generate(
    path: Path,
    rows: int = 1_000_000,
    *,
    seed: int = 0,
    bad: float = 0.0,
    added: str = "20191024143000",
    mix: str = "korea",
) -> Path:
    """Write a synthetic GDELT 2.0 export of ``rows`` lines to ``path`` (``bad``: share of damaged lines).

    ``mix`` is the countries' mix: ``korea`` (Korea over-weighted) or ``real`` (the real export's).
    """
    table = _table(rows, seed, added, first_id=900_000_000 + seed * 10_000_000, mix=mix)
    options = pcsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none", batch_size=65_536)
    pcsv.write_csv(table, path, options)
    if bad > 0:
        damage(path, bad, seed)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad", type=float, default=0.0, help="share of damaged lines, e.g. 0.001")
    parser.add_argument("--added", default="20191024143000", help="DATEADDED (YYYYMMDDHHMMSS)")
    parser.add_argument("--mix", choices=sorted(MIXES), default="korea", help="countries' mix")
    args = parser.parse_args()
    generate(args.path, args.rows, seed=args.seed, bad=args.bad, added=args.added, mix=args.mix)


if __name__ == "__main__":
    main()
