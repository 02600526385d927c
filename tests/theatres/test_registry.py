"""The shipped theatre registry, a user's extra file, and how each source codes Taiwan (checked on the real files)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from detente.kb import tables
from detente.ontology import country_codes
from detente.theatres.registry import RegistryError, load_registry, registry_path

IDS = ("PRK-KOR", "IND-PAK", "CHN-IND", "KHM-THA", "KHM-VNM", "BGD-IND", "AFG-PAK", "CHN-TWN")


def test_shipped_registry_covers_the_asian_theatres() -> None:
    r = load_registry()
    assert r.ids() == IDS
    assert len({t.pair for t in r.theatres}) == len(IDS)
    assert {t.region for t in r.theatres} == {"East Asia", "South Asia", "South Asia (Himalaya)", "Southeast Asia",
                                             "South and Central Asia"}  # fmt: skip
    assert all(t.name and t.aliases for t in r.theatres)


def test_knowledge_base_folders() -> None:
    r = load_registry()
    korea = tables.data_path("agreements").parent
    assert {t.id: t.kb for t in r.theatres if t.kb} == {"PRK-KOR": korea, "IND-PAK": korea / "ind-pak"}
    assert (r.get("IND-PAK").kb / "agreements.csv").is_file()


def test_lookup_by_id_either_order_name_and_alias() -> None:
    r = load_registry()
    for text in ("IND-PAK", "pak-ind", "India–Pakistan", "kashmir", " Line of Control "):
        assert r.get(text).id == "IND-PAK", text
    assert r.get("KOR-PRK").id == r.get("Korea").id == "PRK-KOR"
    assert r.get("taiwan strait").states == ("CHN", "TWN")
    with pytest.raises(RegistryError, match="unknown theatre 'Narnia': use one of PRK-KOR, IND-PAK"):
        r.get("Narnia")


def test_pax_has_interstate_agreements_for_four_theatres_and_none_for_taiwan(data_dir: Path) -> None:
    with open(data_dir / "pax_peace_agreements" / "pax_all_agreements_v10.csv", newline="", encoding="utf-8") as fh:
        located = {tuple(sorted((r["Loc1ISO"], r["Loc2ISO"]))) for r in csv.DictReader(fh) if r["Agtp"] == "Inter"}
    found = [t.id for t in load_registry().theatres if t.pair in located]
    assert found == ["PRK-KOR", "IND-PAK", "CHN-IND", "KHM-THA", "AFG-PAK"]


def test_taiwan_codes_are_those_of_the_real_files(data_dir: Path) -> None:
    codes = load_registry().get("CHN-TWN").codes["TWN"]
    assert codes == {"gdelt": "TWN", "cameo": "TWN", "fips": "TW", "icews": "Taiwan", "cow": "713 TAW", "ucdp": "713",
                     "isonum": "158"}  # fmt: skip
    gdelt = (data_dir / "gdelt_events" / "20191024143000.export.CSV").read_text("utf-8").splitlines()
    actors = {f.split("\t")[7] for f in gdelt} | {f.split("\t")[17] for f in gdelt}
    assert "TWN" in actors and "TAW" not in actors
    with open(data_dir / "icews_events" / "events.2018.sample.tab", newline="", encoding="utf-8") as fh:
        icews = {r["Source Country"] for r in csv.DictReader(fh, delimiter="\t")}
    assert "Taiwan" in icews
    with open(data_dir / "cow_mid" / "MIDB 5.0.csv", newline="", encoding="utf-8") as fh:
        cow = {(r["stabb"], r["ccode"]) for r in csv.DictReader(fh) if r["stabb"] == "TAW"}
    assert cow == {("TAW", "713")}
    with open(data_dir / "ucdp" / "ucdp-prio-acd-221.csv", newline="", encoding="utf-8") as fh:
        ucdp = {(r["side_b"], r["gwno_b"]) for r in csv.DictReader(fh) if "Taiwan" in r["side_b"]}
    assert ("Government of Taiwan", "713") in ucdp
    onto = {(r["system"], r["code"]) for r in country_codes().to_pylist() if r["iso3"] == "TWN" and r["current"]}
    assert onto == {("iso3", "TWN"), ("cameo", "TWN"), ("fips", "TW"), ("isonum", "158"), ("cow", "713"), ("gw", "713")}


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return p


def test_a_user_adds_a_theatre_with_its_own_knowledge_base(tmp_path: Path) -> None:
    (tmp_path / "kb-ecu-per").mkdir()
    extra = write(tmp_path, "theatres:\n"
                  "  - {id: ECU-PER, name: Ecuador–Peru, states: [ECU, PER], region: South America,"
                  " aliases: [Cordillera del Cóndor], actors: [BRA, USA], kb: kb-ecu-per}\n")  # fmt: skip
    r = load_registry(extra)
    assert r.ids() == (*IDS, "ECU-PER")
    t = r.get("cordillera del cóndor")
    assert (t.states, t.actors, t.kb) == (("ECU", "PER"), ("BRA", "USA"), (tmp_path / "kb-ecu-per").resolve())
    assert load_registry().ids() == IDS  # the shipped registry is unchanged


GOOD = "id: ECU-PER, name: Ecuador–Peru, states: [ECU, PER], region: South America"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "theatres: [{id: ECU-PER, name: x, states: [ECU, XXX], region: y}]",
            "theatre 1 (ECU-PER): field 'states': unknown code(s) XXX",
        ),
        ("theatres: [{id: PER-ECU, name: x, states: [ECU, PER], region: y}]", "field 'id' must be ECU-PER"),
        ("theatres: [{id: ECU-ECU, name: x, states: [ECU, ECU], region: y}]", "two different states"),
        (
            "theatres: [{id: PAK-IND, name: x, states: [PAK, IND], region: y}]",
            "mine.yaml: theatre PAK-IND repeats IND-PAK",
        ),
        ("theatres: [{id: ECU-PER, name: x, states: [ECU, PER]}]", "missing field 'region'"),
        (f"theatres: [{{{GOOD}, colour: red}}]", "unknown field(s) colour"),
        (f"theatres: [{{{GOOD}, kb: nowhere}}]", "field 'kb': no folder"),
        (
            f"theatres: [{{{GOOD}, codes: {{BRA: {{cow: '140'}}}}}}]",
            "field 'codes': 'BRA' is not one of the theatre's states",
        ),
        (f"theatres: [{{{GOOD}, actors: ZZZ}}]", "field 'actors' must be a list"),
        (f"theatres: [{{{GOOD}, name: ''}}]", "field 'name' must be non-empty text"),
        (
            "theatres: [{id: ECU-PER, name: x, states: [ECU, PER], region: y},"
            " {id: ECU-PER, name: z, states: [ECU, PER], region: y}]",
            "mine.yaml: theatre ECU-PER repeats ECU-PER",
        ),
        (f"theatres: [{{{GOOD}, aliases: [Kashmir]}}]", "mine.yaml: theatre ECU-PER repeats IND-PAK ('kashmir')"),
        ("theatres: {a: 1}", "expected a top-level 'theatres:' list"),
        ("theatres: [[1, 2]]", "theatre 1: expected a mapping of fields"),
        ("theatres: [unclosed", "mine.yaml: not a YAML file"),
    ],
)
def test_bad_files_fail_with_file_theatre_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RegistryError) as err:
        load_registry(write(tmp_path, text))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_missing_file_and_the_shipped_path(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "absent.yaml")
    assert registry_path().name == "registry.yaml" and registry_path().is_file()


def test_names_match_with_any_dash() -> None:
    registry = load_registry()
    assert registry.get("India-Pakistan").id == registry.get("india–pakistan").id == "IND-PAK"
    assert registry.get("PAK-IND").id == "IND-PAK"
