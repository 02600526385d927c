"""The ontology tables against their source files and against the real event files in shared/data."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente import ontology
from detente.schema import CATEGORIES

KOREA_AND_FRIENDS = {
    # iso3: (cameo, fips, isonum, cow, gw) -- COW/GW from the COW state list and Gleditsch-Ward,
    # FIPS 10-4 as GDELT's *Geo_CountryCode uses it, ISO numeric as ACLED's `iso`.
    "KOR": ("KOR", "KS", 410, 732, 732),
    "PRK": ("PRK", "KN", 408, 731, 731),
    "USA": ("USA", "US", 840, 2, 2),
    "CHN": ("CHN", "CH", 156, 710, 710),
    "RUS": ("RUS", "RS", 643, 365, 365),
    "JPN": ("JPN", "JA", 392, 740, 740),
    "IND": ("IND", "IN", 356, 750, 750),
    "PAK": ("PAK", "PK", 586, 770, 770),
    "ECU": ("ECU", "EC", 218, 130, 130),
    "PER": ("PER", "PE", 604, 135, 135),
    "ERI": ("ERI", "ER", 232, 531, 531),
    "ETH": ("ETH", "ET", 231, 530, 530),
    "KHM": ("KHM", "CB", 116, 811, 811),
    "THA": ("THA", "TH", 764, 800, 800),
}


def _shipped(name: str) -> bytes:
    return resources.files("detente.ontology").joinpath("data", name).read_bytes()


def _tsv_rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text("utf-8", errors="replace").splitlines()]


# ---------------------------------------------------------------- files are what the sources hold


@pytest.mark.parametrize(
    ("shipped", "source"),
    [
        ("CAMEO.eventcodes.txt", "cameo_codebook/CAMEO.eventcodes.txt"),
        ("CAMEO.goldsteinscale.txt", "cameo_codebook/CAMEO.goldsteinscale.txt"),
        ("CAMEO.type.txt", "cameo_codebook/CAMEO.type.txt"),
        ("GDELT.quadclasses.txt", "cameo_codebook/GDELT.quadclasses.txt"),
        ("icews_cameo_codes.csv", "cameo_codebook/icews_cameo_codes.csv"),
        ("CAMEO2PLOVER-2021.txt", "plover/CAMEO2PLOVER-2021.txt"),
    ],
)
def test_copied_files_are_byte_identical_to_shared_data(data_dir: Path, shipped: str, source: str) -> None:
    assert hashlib.sha256(_shipped(shipped)).digest() == hashlib.sha256((data_dir / source).read_bytes()).digest()


def test_cameo_codes_has_every_code_of_the_lookup(data_dir: Path) -> None:
    source = [r[0] for r in _tsv_rows(data_dir / "cameo_codebook/CAMEO.eventcodes.txt")[1:]]
    table = ontology.cameo_codes()
    assert table.column_names == ["code", "description", "goldstein", "quad_class", "root"]
    assert table["code"].to_pylist() == source
    assert table.num_rows == 311
    assert Counter(len(c) for c in source) == {2: 20, 3: 147, 4: 144}


def test_cameo_descriptions_are_clean() -> None:
    desc = dict(
        zip(ontology.cameo_codes()["code"].to_pylist(), ontology.cameo_codes()["description"].to_pylist(), strict=False)
    )
    assert desc["1382"] == "Threaten occupation"  # raw line: "1382\tThreaten occupation " (trailing space)
    assert desc["044"] == "Meet at a 'third' location"  # raw: "Meet at a ÒhirdÓlocation"
    assert desc["15"] == "EXHIBIT FORCE POSTURE"
    assert desc["2042"] == "Detonate nuclear weapons"


# ---------------------------------------------------------------- Goldstein


def test_goldstein_spot_values() -> None:
    g = ontology.goldstein_of()
    # raw lines of CAMEO.goldsteinscale.txt: "01\t0.0", "057\t8.0", "150\t-7.2", "163\t-8.0", "194\t-10.0"
    assert (g["01"], g["057"], g["150"], g["163"], g["194"]) == (0.0, 8.0, -7.2, -8.0, -10.0)
    assert min(g.values()) == -10.0
    assert max(g.values()) == 10.0


def test_goldstein_disagreements_and_default() -> None:
    gdelt, icews = ontology.goldstein_of("gdelt"), ontology.goldstein_of("icews")
    differ = {c: (gdelt[c], icews[c]) for c in gdelt if gdelt[c] != icews[c]}
    assert differ == {"016": (-2.0, -5.0), "022": (3.2, 3.4), "164": (-7.0, -6.5), "165": (-6.5, -7.0)}
    assert ontology.goldstein_of() is gdelt  # GDELT is the default (docs/decisions/002)
    assert set(icews) - set(gdelt) == {"1213"}  # ICEWS has "Reject judicial cooperation"; GDELT lacks it
    assert set(gdelt) - set(icews) == set()
    assert ontology.cameo_codes()["goldstein"].to_pylist() == [
        gdelt[c] for c in ontology.cameo_codes()["code"].to_pylist()
    ]


def test_unknown_goldstein_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Goldstein scheme 'weis'"):
        ontology.goldstein_of("weis")  # type: ignore[arg-type]


def test_gdelt_rows_carry_the_default_goldstein(data_dir: Path) -> None:
    rows = _tsv_rows(data_dir / "gdelt_events/20191024143000.export.CSV")
    g = ontology.goldstein_of()
    assert len(rows) == 2111
    assert all(float(r[30]) == g[r[26]] for r in rows)  # col 27 EventCode, col 31 GoldsteinScale


def test_icews_rows_carry_the_icews_scheme(data_dir: Path) -> None:
    with (data_dir / "icews_events/events.2018.sample.tab").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    g = ontology.goldstein_of("icews")
    assert len(rows) == 3705
    assert all(float(r["Intensity"]) == g[r["CAMEO Code"]] for r in rows)
    assert sum(r["CAMEO Code"] in {"016", "022", "164", "165"} for r in rows) == 24


# ---------------------------------------------------------------- QuadClass


def test_quad_class_by_root() -> None:
    q = ontology.quad_class_of_root()
    assert sorted(q) == [f"{i:02d}" for i in range(1, 21)]
    assert [q[f"{i:02d}"] for i in range(1, 21)] == [1] * 5 + [2] * 4 + [3] * 5 + [4] * 6
    assert ontology.quad_class_labels() == {
        1: "Verbal Cooperation",
        2: "Material Cooperation",
        3: "Verbal Conflict",
        4: "Material Conflict",
    }


def test_quad_class_matches_every_real_gdelt_row(data_dir: Path) -> None:
    q = ontology.quad_class_of_root()
    v2 = _tsv_rows(data_dir / "gdelt_events/20191024143000.export.CSV")
    seen = {(r[28], int(r[29])) for r in v2}  # EventRootCode, QuadClass
    with (data_dir / "gdelt_events/undp_georgia_extract_april13.csv").open(encoding="utf-8", errors="replace") as f:
        reader = csv.reader(f)
        header = next(reader)
        root, quad = header.index("EventRootCode"), header.index("QuadClass")
        for row in reader:
            shift = len(row) - len(header)  # R wrote an unnamed row-index column first
            seen.add((row[root + shift], int(row[quad + shift])))
    assert {r for r, _ in seen} == set(q)  # all 20 roots occur (root 20 only in the GDELT 1.0 file)
    assert all(q[root] == quad for root, quad in seen)


# ---------------------------------------------------------------- actor types


def test_actor_types_deduplicate_uis(data_dir: Path) -> None:
    source = _tsv_rows(data_dir / "cameo_codebook/CAMEO.type.txt")[1:]
    types = ontology.actor_types()
    assert len(source) == 40
    assert len(types) == 39 == len({r[0] for r in source})
    assert (types["UIS"], types["MIL"], types["GOV"], types["UNO"]) == (
        "Unidentified State Actor",
        "Military",
        "Government",
        "United Nations",
    )


# ---------------------------------------------------------------- countries


@pytest.mark.parametrize("iso3", sorted(KOREA_AND_FRIENDS))
def test_country_codes_across_every_system(iso3: str) -> None:
    cameo, fips, isonum, cow, gw = KOREA_AND_FRIENDS[iso3]
    assert ontology.cameo_country_to_iso3()[cameo] == iso3
    assert ontology.fips_to_iso3()[fips] == iso3
    assert ontology.isonum_to_iso3()[isonum] == iso3
    assert ontology.cow_to_iso3()[cow] == iso3
    assert ontology.gw_to_iso3()[gw] == iso3
    row = [r for r in ontology.countries().to_pylist() if r["iso3"] == iso3]
    assert [(r["cameo"], r["fips"], r["isonum"], r["cow"], r["gw"]) for r in row] == [(cameo, fips, isonum, cow, gw)]


def test_historical_and_renamed_codes() -> None:
    cow, gw, cameo, fips = (
        ontology.cow_to_iso3(),
        ontology.gw_to_iso3(),
        ontology.cameo_country_to_iso3(),
        ontology.fips_to_iso3(),
    )
    assert (cow[255], cow[260], cow[265], cow[315], cow[345], cow[678], cow[679], cow[680]) == (
        "DEU",
        "DEU",
        "DDR",
        "CSK",
        "SRB",
        "YEM",
        "YEM",
        "YMD",
    )
    assert (gw[255], gw[260], gw[340], gw[345], gw[816], gw[972], gw[970]) == (
        "DEU",
        "DEU",
        "SRB",
        "SRB",
        "VNM",
        "TON",
        "KIR",
    )
    assert 730 not in cow and 817 not in cow and 817 not in gw and 751 not in gw  # Korea 1887-1905, RVN, Hyderabad
    assert (cameo["ROM"], cameo["TMP"], cameo["GZS"], cameo["WSB"]) == ("ROU", "TLS", "PSE", "PSE")
    assert "EUR" not in cameo and "WST" not in cameo  # CAMEO regions
    assert (fips["GV"], fips["LO"], fips["VM"], fips["RS"]) == (
        "GIN",
        "SVK",
        "VNM",
        "RUS",
    )  # lookup labels GV/LO are wrong
    assert (fips["RI"], fips["YI"]) == ("SRB", "SRB")  # YI: Serbia and Montenegro, retired in 2006


def test_country_code_tables_cover_the_source_lists(data_dir: Path) -> None:
    table = ontology.country_codes()
    by_system = Counter(table["system"].to_pylist())
    # every row of the GDELT CAMEO (261) and FIPS (274) lookups, plus FIPS YI that GDELT emits but does not list
    assert by_system == {"iso3": 254, "isonum": 249, "cameo": 261, "fips": 275, "cow": 217, "gw": 225}
    for system, name, extra in (("cameo", "cameo_country.std.csv", []), ("fips", "fips_country.std.csv", ["YI"])):
        with (data_dir / "cameo_codebook" / name).open(encoding="utf-8") as f:
            source = [r[0] for r in csv.reader(f)][1:]
        assert [
            c for s, c in zip(table["system"].to_pylist(), table["code"].to_pylist(), strict=False) if s == system
        ] == source + extra
    entities = set(ontology.countries()["iso3"].to_pylist())
    assert all(v in entities for v in table["iso3"].to_pylist() if v is not None)


def test_current_codes_are_unique() -> None:
    wide = ontology.countries()
    assert wide.num_rows == len(set(wide["iso3"].to_pylist())) == 254
    for system in ontology.CODE_SYSTEMS:
        values = [v for v in wide[system].to_pylist() if v is not None]
        assert len(values) == len(set(values)), system
    pse = next(r for r in wide.to_pylist() if r["iso3"] == "PSE")
    assert (pse["cameo"], pse["fips"], pse["isonum"]) == ("PSE", None, 275)  # FIPS splits it into GZ and WE


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("North Korea", "PRK"),
        ("korea, north", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Democratic People’s Republic of Korea", "PRK"),
        ("Korea, People's Republic of", "PRK"),  # Gleditsch-Ward's name for gwno 731
        ("South Korea", "KOR"),
        ("Korea, South", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("United States", "USA"),
        ("UNITED STATES OF AMERICA", "USA"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Soviet Union", "RUS"),
        ("Russia (Soviet Union)", "RUS"),
        ("Vietnam", "VNM"),
        ("Viet Nam", "VNM"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("  myanmar  (burma) ", "MMR"),
        ("Bosnia & Herzegovina", "BIH"),
        ("Yugoslavia", "SRB"),
        ("German Democratic Republic", "DDR"),
    ],
)
def test_name_to_iso3(name: str, iso3: str) -> None:
    assert ontology.name_to_iso3(name) == iso3


@pytest.mark.parametrize("name", ["", None, "Atlantis", "Korea", "South Vietnam", "Hyderabad", "Europe"])
def test_unknown_names_give_none(name: str | None) -> None:
    assert ontology.name_to_iso3(name) is None


_KNOWN_NAMES = sorted({r["name"] for r in csv.DictReader(_shipped("country_names.csv").decode("utf-8").splitlines())})


@given(name=st.text(max_size=60))
def test_name_to_iso3_never_fails_and_returns_a_known_entity(name: str) -> None:
    result = ontology.name_to_iso3(name)
    assert result is None or result in set(ontology.countries()["iso3"].to_pylist())


@given(name=st.sampled_from(_KNOWN_NAMES), data=st.data())
def test_name_to_iso3_ignores_case_and_spacing(name: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    variant = "".join(c.upper() if f else c.lower() for c, f in zip(name, flips, strict=False)).replace(" ", "  ")
    assert ontology.name_to_iso3(f" {variant} ") == ontology.name_to_iso3(name) is not None


def test_country_names_are_unambiguous() -> None:
    rows = list(csv.DictReader(_shipped("country_names.csv").decode("utf-8").splitlines()))
    keys = Counter(ontology.normalise_name(r["name"]) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    assert all(r["source"] for r in rows)


def test_every_country_name_in_icews_and_ucdp_maps(data_dir: Path) -> None:
    with (data_dir / "icews_events/events.2018.sample.tab").open(encoding="utf-8", newline="") as f:
        icews = {
            r[c] for r in csv.DictReader(f, delimiter="\t") for c in ("Source Country", "Target Country", "Country")
        }
    icews.discard("NA")
    assert len(icews) == 151
    assert [n for n in icews if ontology.name_to_iso3(n) is None] == []
    ucdp = set()
    with (data_dir / "ucdp/ucdp-prio-acd-221.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            ucdp |= {x.strip() for x in r["location"].split(",")}
            for side in ("side_a", "side_b", "side_a_2nd", "side_b_2nd"):
                ucdp |= {x.strip()[14:] for x in r[side].split(",") if x.strip().startswith("Government of ")}
    assert sorted(n for n in ucdp if ontology.name_to_iso3(n) is None) == ["Hyderabad", "South Vietnam"]


def test_every_ucdp_gwno_maps_except_states_without_iso3(data_dir: Path) -> None:
    gw = ontology.gw_to_iso3()
    with (data_dir / "ucdp/ucdp-prio-acd-221.csv").open(encoding="utf-8", newline="") as f:
        codes = {
            int(x)
            for r in csv.DictReader(f)
            for c in ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc")
            for x in r[c].split(",")
            if x.strip()
        }
    assert len(codes) == 163
    assert sorted(c for c in codes if c not in gw) == [751, 817]  # Hyderabad, Republic of Vietnam
    assert (gw[731], gw[732]) == ("PRK", "KOR")  # Korean War row: gwno_loc "731, 732"


def test_every_cow_mid_ccode_since_1992_maps(data_dir: Path) -> None:
    cow = ontology.cow_to_iso3()
    with (data_dir / "cow_mid/MIDIP_5.01.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 9619
    assert [r["ccode"] for r in rows if int(r["ccode"]) not in cow] == []
    korea = Counter(cow[int(r["ccode"])] for r in rows if r["ccode"] in {"731", "732"})
    assert korea == {"PRK": 248, "KOR": 236}


def test_acled_iso_matches_its_iso3(data_dir: Path) -> None:
    with (data_dir / "acled_events/explosions_remote_violence.csv").open(encoding="utf-8", newline="") as f:
        pairs = Counter((int(r["iso"]), r["iso3"]) for r in csv.DictReader(f))
    assert pairs == {(104, "MMR"): 2734}
    assert ontology.isonum_to_iso3()[104] == "MMR"


def test_every_gdelt_country_code_maps(data_dir: Path) -> None:
    rows = _tsv_rows(data_dir / "gdelt_events/20191024143000.export.CSV")
    cameo, fips = ontology.cameo_country_to_iso3(), ontology.fips_to_iso3()
    regions = {
        c
        for s, c, i in zip(*(ontology.country_codes()[k].to_pylist() for k in ("system", "code", "iso3")), strict=False)
        if s == "cameo" and i is None
    }
    actor = {r[i] for r in rows for i in (7, 17) if r[i]}  # Actor1CountryCode, Actor2CountryCode
    geo = {r[i] for r in rows for i in (37, 45, 53) if r[i]}  # Actor1/Actor2/Action Geo_CountryCode (FIPS)
    assert [c for c in actor if c not in cameo and c not in regions] == []
    assert sorted(c for c in geo if c not in fips) == ["OS"]  # "Oceans" has no ISO3
    assert "YI" in geo  # a retired FIPS code GDELT still emits (ActionGeo_CountryCode of a Croatia-located row)
    assert {"KOR", "PRK"} <= actor and {"KS", "KN"} <= geo


# ---------------------------------------------------------------- organisations


def test_organisations() -> None:
    orgs = ontology.known_group_to_org()
    assert (orgs["UNO"], orgs["EEC"], orgs["NAT"], orgs["ASN"], orgs["IAE"]) == ("UN", "EU", "NAT", "ASN", "IAE")
    table = ontology.organisations()
    assert table.num_rows == 90  # 7 generic codes + 83 rows of CAMEO manual Table 3.4
    assert {"IGO", "NGO", "IMG"} <= set(table["org"].to_pylist())


def test_gdelt_known_groups_of_igos_map(data_dir: Path) -> None:
    rows = _tsv_rows(data_dir / "gdelt_events/20191024143000.export.CSV")
    groups = {r[i + 3] for r in rows for i in (5, 15) if r[i].startswith("IGO") and r[i + 3]}
    assert groups == {"UNO", "EEC", "SAD", "ASN"}  # e.g. "IGOEUREEC ... THE EU ... EUR ... EEC"
    assert {g: ontology.known_group_to_org()[g] for g in groups} == {
        "UNO": "UN",
        "EEC": "EU",
        "SAD": "SAD",
        "ASN": "ASN",
    }


# ---------------------------------------------------------------- PLOVER


def test_plover_map_counts(data_dir: Path) -> None:
    lines = (data_dir / "plover/CAMEO2PLOVER-2021.txt").read_text("utf-8").splitlines()
    mapping_lines = [ln for ln in lines if ln[:1].isdigit()]
    table = ontology.plover_map()
    assert table.num_rows == len(mapping_lines) == 276
    assert len(set(table["cameo_code"].to_pylist())) == 274
    assert len(ontology.cameo_to_plover()) == 273  # "08" maps to CONCEDE and RETREAT
    assert Counter(table["plover_event"].to_pylist())["ASSAULT"] == 31


def test_plover_spot_checks() -> None:
    p = ontology.cameo_to_plover()
    # raw: "036: AGREE, ...", "057: SUPPORT,  , diplomatic # Sign formal agreement", "163: COERCE, restrict, ..."
    assert (p["036"], p["046"], p["057"], p["150"], p["163"], p["190"], p["2042"]) == (
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
        "ASSAULT",
    )
    assert "08" not in p and "010" not in p and "020" not in p
    rows = {r["cameo_code"]: r for r in ontology.plover_map().to_pylist() if r["cameo_code"] in {"2042", "196", "041"}}
    # raw: "2042: ASSAULT, unconventional, cbrn # Detonate nuclear weapons"
    assert rows["2042"] == {
        "cameo_code": "2042",
        "plover_event": "ASSAULT",
        "mode": "unconventional",
        "context": "cbrn",
        "cameo_description": "Detonate nuclear weapons",
    }
    assert rows["196"]["context"] == "legal; military"  # raw: "196: ASSAULT, , legal; military # Violate ceasefire"
    assert rows["041"]["mode"] == "phone"


def test_every_gdelt_code_outside_roots_01_02_has_a_plover_event() -> None:
    codes = ontology.cameo_codes()["code"].to_pylist()
    missing = [c for c in codes if c not in ontology.cameo_to_plover() and c != "08"]
    assert len(missing) == 39
    assert {c[:2] for c in missing} == {"01", "02"}


# ---------------------------------------------------------------- categories


def test_every_category_maps_to_a_known_code() -> None:
    mapping = ontology.category_cameo()
    assert list(mapping) == list(CATEGORIES)
    goldstein, quad = ontology.goldstein_of(), ontology.quad_class_of_root()
    for category, (code, q, g) in mapping.items():
        assert code in goldstein, category
        assert (q, g) == (quad[code[:2]], goldstein[code]), category
    assert mapping["missile_test"] == ("150", 4, -7.2)
    assert mapping["agreement"] == ("057", 1, 8.0)
    assert mapping["sanctions"] == ("163", 4, -8.0)
    assert mapping["humanitarian"] == ("073", 2, 7.4)


def test_category_rationales_quote_the_codebook() -> None:
    labels = dict(
        zip(ontology.cameo_codes()["code"].to_pylist(), ontology.cameo_codes()["description"].to_pylist(), strict=False)
    )
    rows = list(csv.DictReader(_shipped("category_cameo.csv").decode("utf-8").splitlines()))
    assert len(rows) == len(CATEGORIES)
    for r in rows:
        label = labels[r["event_code"]].split(",")[0]
        assert r["rationale"].startswith(f"CAMEO {r['event_code']} '{label}"), r["category"]


# ---------------------------------------------------------------- API


def test_public_api_is_pinned() -> None:
    assert sorted(ontology.__all__) == [
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
    assert all(hasattr(ontology, name) for name in ontology.__all__)


def test_tables_are_cached() -> None:
    assert ontology.cameo_codes() is ontology.cameo_codes()
    assert ontology.gw_to_iso3() is ontology.gw_to_iso3()
    assert ontology.goldstein_of("icews") is ontology.goldstein_of("icews")
