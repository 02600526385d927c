"""PA-X Peace Agreements Database (PeaceRep, University of Edinburgh), agreement-level CSV.

One record per agreement (free-text fields hold quoted newlines), stored in the side table
``agreements``. The schema is PA-X version 10's header (279 columns): metadata typed (ids and
counts int32; the UCDP/PAM/COW link ids int64, as ``UcdpAgr`` holds 13-digit ids; ``Dat`` a date;
``Interim`` boolean; ``NA``/``N/A``/empty as null), and the 251 provision-coding columns ``GCh`` ..
``ImE`` plus the 0/1 flag ``ImSrc`` as int8, each 0-3 or the record is rejected. Column names are
kept, except that characters SQL identifiers cannot hold become ``_`` (``PpsGe:St`` -> ``PpsGe_St``).

Other PA-X versions load too: columns are matched by name, not position. A v10 column the file
lacks is null; a column v10 does not have is kept, as text, in the JSON object ``extra_columns``
(``{"NewCol": "1"}``), so nothing is lost and the table's schema stays fixed. Only ``AgtId`` and
``Dat`` are required (without them the file is not read). ``AgtId`` is the key: the store rejects
a repeated one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from .base import (
    Reader,
    ReadResult,
    Sample,
    SourceError,
    bad_encoding,
    csv_records,
    decode_text,
    open_bytes,
    rows_table,
)

__all__ = ["AGREEMENT_SCHEMA", "METADATA", "PROVISIONS", "READERS", "PaxReader", "column_name"]

#: Agreement metadata columns of PA-X v10, in file order, with their stored types.
METADATA: tuple[tuple[str, pa.DataType], ...] = (
    ("Con", pa.string()), ("Contp", pa.string()), ("PP", pa.int32()), ("PPName", pa.string()),
    ("Reg", pa.string()), ("AgtId", pa.int32()), ("Ver", pa.int32()), ("Agt", pa.string()),
    ("Dat", pa.date32()), ("Status", pa.string()), ("Lgt", pa.int32()), ("N_characters", pa.int32()),
    ("Agtp", pa.string()), ("Stage", pa.string()), ("StageSub", pa.string()), ("Part", pa.string()),
    ("ThrdPart", pa.string()), ("OthAgr", pa.string()), ("Loc1ISO", pa.string()), ("Loc2ISO", pa.string()),
    ("Loc1GWNO", pa.int32()), ("Loc2GWNO", pa.int32()), ("UcdpCon", pa.int64()), ("UcdpAgr", pa.int64()),
    ("PamAgr", pa.int64()), ("CowWar", pa.int64()), ("Interim", pa.bool_()), ("ImSrc", pa.int8()),
)  # fmt: skip
#: Provision-coding columns of PA-X v10 (values 0-3), in file order.
PROVISIONS: tuple[str, ...] = (
    "GCh", "GChRhet", "GChAntid", "GChSubs", "GChOth", "GDis", "GDisRhet", "GDisAntid", "GDisSubs", "GDisOth",
    "GAge", "GAgeRhet", "GAgeAntid", "GAgeSubs", "GAgeOth", "GMig", "GMigRhet", "GMigAntid", "GMigSubs", "GMigOth",
    "GRa", "GRaRhet", "GRaAntid", "GRaSubs", "GRaOth", "GRe", "GReRhet", "GReAntid", "GReSubs", "GReOth", "GInd",
    "GIndRhet", "GIndAntid", "GIndSubs", "GIndOth", "GOth", "GOthRhet", "GOthAntid", "GOthSubs", "GOthOth", "GRef",
    "GRefRhet", "GRefSubs", "GRefOth", "GSoc", "GSocRhet", "GSocAntid", "GSocSubs", "GSocOth", "GeWom", "GeMe",
    "GeMeNu", "GeMeOth", "GeLgbti", "GeLgbtiPos", "GeLgbtiNeg", "GeFa", "StDef", "StGen", "StCon", "StSd", "StRef",
    "StSym", "StInd", "StUni", "StBor", "StXbor", "Pol", "PolGen", "PolNewInd", "PolNewTemp", "Ele", "ElecComm",
    "PolPar", "PolParTrans", "PolParOth", "Civso", "Tral", "Pubad", "ConGen", "ConRen", "Cons", "Polps", "PpsGe",
    "PpsGe:St", "PpsGe:Sub", "PpsEx", "PpsEx:St", "PpsEx:Sub", "PpsOro", "PpsOro:St", "PpsOro:Sub", "PpsOthPr",
    "PpsOthPr:St", "PpsOthPr:Sub", "PpsVet", "PpsVet:St", "PpsVet:Sub", "PpsAut", "PpsAut:St", "PpsAut:Sub",
    "PpsInt", "PpsInt:St", "PpsInt:Sub", "PpsOth", "PpsOth:St", "PpsOth:Sub", "Terps", "TpsSub", "TpsLoc", "TpsAut",
    "TpsOth", "Eps", "EpsRes", "EpsFis", "EpsOth", "Mps", "MpsMe", "MpsJt", "MpsPro", "MpsOth", "HrGen", "HrBor",
    "HrTrinc", "HrCp", "CprLife", "CprTort", "CprEq", "CprSlav", "CprLib", "CprDet", "CprFmov", "CprFspe",
    "CprFass", "CprTria", "CprPriv", "CprVote", "CprReli", "CprOth", "HrSec", "SerProp", "SerWork", "SerHeal",
    "SerEdu", "SerStdl", "SerShel", "SerSs", "SerCult", "SerOth", "HrCit", "CitGen", "CitRights", "CitDef",
    "CitOth", "HrDem", "HrDet", "Med", "MedGov", "MedSubs", "MedLog", "MedOth", "HrMob", "Prot", "ProtCiv",
    "ProtGrp", "ProtOth", "RiOth", "HrNi", "HrNiMe", "HrNiNe", "HrNiOth", "HrIi", "HrIiMon", "HrIiBod", "HrIiOth",
    "JusCr", "JusCrSp", "JusCrSys", "JusCrPow", "JusEm", "JusJu", "JusPri", "JusTra", "Dev", "DevSoc", "DevHum",
    "DevInfra", "NEC", "NatRes", "IntFu", "Bus", "Tax", "TaxPo", "TaxRef", "TaxOth", "Ban", "CenBan", "BanPers",
    "BanInt", "BanXb", "LaRef", "LaRefMan", "LaRefRet", "LaRefOth", "LaNom", "LaCH", "LaCHTa", "LaCHIt", "LaCHPro",
    "LaCHOth", "LaEn", "Wat", "SsrGua", "Ce", "CeProv", "CeGen", "SsrPol", "SsrArm", "SsrDdr", "DdrDemil",
    "DdrProg", "SsrInt", "SsrPsf", "SsrFf", "Cor", "SsrCrOcr", "SsrDrugs", "Terr", "TjGen", "TjAm", "TjAmPro",
    "TjSan", "TjPower", "TjAmBan", "TjCou", "TjJaNc", "TjJaIc", "TjMech", "TjPrire", "TjVet", "TjVic", "TjMis",
    "TjRep", "TjRSym", "TjRMa", "TjNR", "ImUN", "ImOth", "ImRef", "ImPK", "ImE",
)  # fmt: skip
REQUIRED = ("AgtId", "Dat")
_NULLS = {"", "NA", "N/A"}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def column_name(header_name: str) -> str:
    """Stored column name for a PA-X header name: non-identifier characters become ``_``."""
    return re.sub(r"\W", "_", header_name.strip())


#: The ``agreements`` side table.
AGREEMENT_SCHEMA = pa.schema(
    [(column_name(n), t) for n, t in METADATA]
    + [(column_name(n), pa.int8()) for n in PROVISIONS]
    + [("extra_columns", pa.string()), ("source_file", pa.string()), ("source_line", pa.int64())]
)


def _integer(bits: int) -> Callable[[str], int | None]:
    """A parser for ``bits``-wide integers (null for NA, N/A or empty)."""

    def parse(text: str) -> int | None:
        text = text.strip()
        if text in _NULLS:
            return None
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ValueError(f"{text!r} is out of the {bits}-bit integer range")
        return value

    return parse


def _provision(text: str) -> int | None:
    text = text.strip()
    if text == "":
        return None
    if text not in ("0", "1", "2", "3"):
        raise ValueError(f"expected 0-3, found {text!r}")
    return int(text)


def _date(text: str) -> date | None:
    text = text.strip()
    if text in _NULLS:
        return None
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"unparseable date {text!r} (expected YYYY-MM-DD)")


def _bool(text: str) -> bool | None:
    text = text.strip()
    if text in _NULLS:
        return None
    if text.lower() not in ("yes", "no"):
        raise ValueError(f"expected Yes or No, found {text!r}")
    return text.lower() == "yes"


def _text(text: str) -> str | None:
    return None if text.strip() in _NULLS else text


_PARSERS: dict[pa.DataType, Callable[[str], object]] = {
    pa.int32(): _integer(32), pa.int64(): _integer(64), pa.int8(): _provision,
    pa.date32(): _date, pa.bool_(): _bool, pa.string(): _text,
}  # fmt: skip
_META_PARSERS = {column_name(n): _PARSERS[t] for n, t in METADATA}
_KNOWN: dict[str, Callable[[str], object]] = {**_META_PARSERS, **{column_name(n): _provision for n in PROVISIONS}}


class PaxReader(Reader):
    """PA-X agreements CSV -> side table ``agreements``."""

    name: ClassVar[str] = "pax"
    source: ClassVar[str] = "pax"
    table: ClassVar[str] = "agreements"
    schema: ClassVar[pa.Schema] = AGREEMENT_SCHEMA
    keys: ClassVar[tuple[str, ...]] = ("AgtId",)
    description: ClassVar[str] = "PA-X Peace Agreements Database, agreement-level CSV -> agreements"

    @classmethod
    def sniff(cls, sample: Sample) -> bool:
        names = {f.strip() for f in sample.first.split(",")}
        return {"AgtId", "Agt", "Dat", "PPName", "Agtp"} <= names

    def read(self, path: Path, con: duckdb.DuckDBPyConnection) -> ReadResult:
        records = csv_records(decode_text(open_bytes(path)))
        header = _header(path.name, next(records, None))
        rows = [self._row(path.name, line, raw, fields, header) for line, raw, fields in records if fields]
        return ReadResult(rows_table(rows, AGREEMENT_SCHEMA), len(rows))

    def _row(
        self, file: str, line: int, raw: str, fields: list[str], header: list[str]
    ) -> dict[str, object]:
        base: dict[str, object] = {"source_file": file, "source_line": line, "raw": raw}
        reason = bad_encoding(raw) or _count_problem(fields, len(header))
        if reason:
            return {**base, "reject_reason": reason}
        try:
            values = _values(header, fields)
        except ValueError as exc:
            return {**base, "reject_reason": str(exc)}
        reason = _identity_problem(values)
        return {**base, **values, "reject_reason": reason}


def _header(file: str, first: tuple[int, str, list[str]] | None) -> list[str]:
    """The header's column names; raises SourceError if it cannot be a PA-X agreements header."""
    header = [f.strip() for f in first[2]] if first else []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"{file}: not a PA-X agreements file (no {', '.join(missing)} column in the header)")
    if first and bad_encoding(first[1]):
        raise SourceError(f"{file}: header line: {bad_encoding(first[1])}")
    counts = Counter(column_name(h) for h in header)
    doubled = sorted({h for h in header if counts[column_name(h)] > 1})
    if doubled:
        raise SourceError(f"{file}: header repeats column(s) {', '.join(doubled)}")
    return header


def _count_problem(fields: list[str], expected: int) -> str | None:
    if fields[0].startswith("\x00csv-error:"):
        return "malformed CSV record: " + fields[0].removeprefix("\x00csv-error:")
    if len(fields) != expected:
        return f"expected {expected} comma-separated fields (as in the header), found {len(fields)}"
    return None


def _values(header: list[str], fields: list[str]) -> dict[str, object]:
    """Typed values by stored column name, plus ``extra_columns``; raises ValueError naming the column."""
    values: dict[str, object] = {}
    extra: dict[str, str] = {}
    for name, text in zip(header, fields, strict=True):
        key = column_name(name)
        parse = _KNOWN.get(key)
        if parse is None:
            extra[name] = text
            continue
        try:
            values[key] = parse(text)
        except ValueError as exc:
            raise ValueError(f"column {name}: {exc}") from None
    values["extra_columns"] = json.dumps(extra, ensure_ascii=False) if extra else None
    return values


def _identity_problem(values: dict[str, object]) -> str | None:
    """Missing id or date."""
    if not isinstance(values.get("AgtId"), int):
        return "missing AgtId"
    if values.get("Dat") is None:
        return "missing agreement date (Dat)"
    return None


READERS = [PaxReader]
