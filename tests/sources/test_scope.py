"""Scopes pushed into the GDELT read: counts checked against a plain Python reading of the real files."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import duckdb
import pytest
from gdelt_mirror import in_scope

from detente import Store
from detente.scope import SCOPES, ScopeError, resolve_scope
from detente.sources.gdelt import V1_COLUMNS, V1_URL_COLUMNS, V2_COLUMNS, Gdelt1Reader, Gdelt2Reader

V2 = "gdelt_events/20191024143000.export.CSV"
R_EXPORT = "gdelt_events/undp_georgia_extract_april13.csv"


def _in_scope(fields: list[str], layout: tuple[str, ...], scope_name: str | None, countries: str | None) -> bool:
    scope = resolve_scope(scope_name, countries)
    assert scope is not None
    return in_scope(fields, layout, scope.countries)


def test_named_scopes_and_country_lists() -> None:
    korea = resolve_scope("korea")
    assert korea is not None and korea.key == "CHN,JPN,KOR,PRK,RUS,USA" and str(korea).startswith("korea (")
    assert korea.cameo_codes == ("CHN", "JPN", "KOR", "PRK", "RUS", "USA")
    assert korea.fips_codes == ("CH", "JA", "KN", "KS", "RS", "US")  # FIPS 10-4, as GDELT writes places
    both = resolve_scope("ind-pak", "chn")
    assert both is not None and both.key == "CHN,IND,PAK" and both.name is None
    assert resolve_scope(None, None) is None
    assert korea.covers(resolve_scope(countries="kor,prk")) and not korea.covers(None)
    assert not resolve_scope(countries="KOR").covers(korea)  # type: ignore[union-attr]
    with pytest.raises(ScopeError, match="unknown scope 'atlantis'; known scopes: chn-ind, ind-pak, khm-tha, korea"):
        resolve_scope("atlantis")
    with pytest.raises(ScopeError, match="not ISO3 country codes: 'XXX', 'K'"):
        resolve_scope(countries="KOR,XXX,K")
    assert set(SCOPES["korea"]) == {"PRK", "KOR", "USA", "CHN", "RUS", "JPN"}


@pytest.mark.parametrize(("scope_name", "countries"), [("korea", None), (None, "KOR,PRK")])
def test_scoped_read_of_the_real_export(
    data_dir: Path, tmp_path: Path, scope_name: str | None, countries: str | None
) -> None:
    lines = (data_dir / V2).read_text("utf-8").splitlines()
    wanted = [i + 1 for i, ln in enumerate(lines) if _in_scope(ln.split("\t"), V2_COLUMNS, scope_name, countries)]
    assert len(lines) == 2111  # PROVENANCE.md
    reader = Gdelt2Reader(scope=resolve_scope(scope_name, countries))
    store = Store(tmp_path / "home")
    try:
        report = store.ingest(data_dir / V2, reader=reader)
        assert report.status == "ingested", report.error
        # read = stored + quarantined + out of scope, per file
        assert (report.rows_read, report.rows_out_of_scope) == (2111, 2111 - len(wanted)) and report.balanced
        assert reader.out_of_scope == 2111 - len(wanted)
        assert report.rows_stored + report.rows_quarantined == len(wanted)
        stored = store.con.sql("SELECT source_line, event_id FROM events ORDER BY source_line").fetchall()
    finally:
        store.close()
    # the kept rows are exactly the in-scope lines, each with its own line number and id
    assert [line for line, _ in stored] == wanted
    assert all(eid == "gdelt2:" + lines[line - 1].split("\t")[0] for line, eid in stored)
    assert len(wanted) == {"korea": 1067, None: 25}[scope_name]  # counted by the Python rule above


def test_scoped_read_on_the_checked_path(data_dir: Path, tmp_path: Path) -> None:
    """Lines rejected before parsing are quarantined whatever their countries; the others are scoped."""
    raw = (data_dir / V2).read_bytes().split(b"\n")[:-1]
    lines = [*raw[:1300], b"", raw[1300][:100], *raw[1301:]]  # a blank line and a cut line
    f = tmp_path / "20191024143000.export.CSV"
    f.write_bytes(b"\n".join(lines) + b"\n")
    con = duckdb.connect()
    result = Gdelt2Reader(scope=resolve_scope("korea")).read(f, con)
    rows = result.rows.fetchall()
    text = [ln.decode() for ln in lines]
    good = [i for i, ln in enumerate(text) if ln.count("\t") == 60]
    kept = [i for i in good if _in_scope(text[i].split("\t"), V2_COLUMNS, "korea", None)]
    assert (result.rows_read, result.out_of_scope) == (len(kept) + 2, len(good) - len(kept))
    assert result.rows_read + result.out_of_scope == len(lines) == 2112
    assert len(rows) == len(kept) + 2  # the two bad lines come back with their reasons


def test_backfile_layout_is_the_codebooks(data_dir: Path, tmp_path: Path) -> None:
    """The 57 backfile fields are the codebook dictionary's first 57 (its ``Day`` is SQLDATE), SOURCEURL the 58th."""
    with open(data_dir / "gdelt_events/GDELT_v1.events.columns.csv", encoding="utf-8") as fh:
        names = [r["column"] for r in csv.DictReader(fh)]
    assert len(names) == 58 and names[1] == "Day" and names[57] == "SOURCEURL"
    assert ("GLOBALEVENTID", "SQLDATE", *names[2:57]) == V1_COLUMNS
    assert (*V1_COLUMNS, "SOURCEURL") == V1_URL_COLUMNS
    # a scoped read of a backfile: the real April 2013 rows laid out in 57 fields, zipped like 201303.zip
    rows = list(csv.reader(io.StringIO((data_dir / R_EXPORT).read_text("utf-8"))))[1:]
    tab = ["\t".join("" if v == "NA" else v.strip() for v in r[1:58]) for r in rows]  # R row name dropped
    backfile = tmp_path / "201303.zip"
    with zipfile.ZipFile(backfile, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("201303.csv", "\n".join(tab) + "\n")
    wanted = sum(_in_scope(t.split("\t"), V1_COLUMNS, None, "KOR,PRK") for t in tab)
    reader = Gdelt1Reader(scope=resolve_scope(countries="KOR,PRK"))
    con = duckdb.connect()
    result = reader.read(backfile, con)
    assert (result.rows_read, result.out_of_scope) == (wanted, 3542 - wanted)
    assert 0 < wanted < 3542
    urls = result.rows.select("url").fetchall()
    assert len(urls) == wanted and {u for (u,) in urls} == {None}  # no SOURCEURL before 2013-04
