"""Validation rules of the canonical event row, beside its schema (:mod:`detente.schema`).

Every reader gives its own reasons (``reject_reason``); these are the central checks the ingest adds
to every event row, as SQL over a relation in :data:`~detente.schema.EVENT_SCHEMA`, plus the table
of CAMEO codes they accept.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["CAMEO_TABLE", "cameo_codes_table", "event_checks_sql", "sql_type"]

#: name of the table of known CAMEO codes that :func:`event_checks_sql` reads
CAMEO_TABLE = "_cameo_codes"

_SQL_TYPES = {
    pa.string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.int8(): "TINYINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ",
}


def sql_type(t: pa.DataType) -> str:
    """The DuckDB type of an Arrow type the store writes.

    >>> sql_type(pa.int8())
    'TINYINT'
    """
    return _SQL_TYPES[t]


def event_checks_sql() -> str:
    """SQL for the reason a canonical event row is rejected (null when it is fine)."""
    return (
        "coalesce(reject_reason,"
        " CASE WHEN event_id IS NULL THEN 'missing event id' END,"
        " CASE WHEN date IS NULL THEN 'missing or unparseable date' END,"
        " CASE WHEN date < DATE '1800-01-01' OR date > current_date + 1"
        "  THEN 'impossible date ' || CAST(date AS VARCHAR) END,"
        " CASE WHEN quad_class NOT BETWEEN 1 AND 4 THEN 'QuadClass not in 1..4: ' || quad_class END,"
        " CASE WHEN goldstein NOT BETWEEN -10 AND 10 THEN 'Goldstein outside -10..10: ' || goldstein END,"
        f" CASE WHEN event_code IS NOT NULL AND event_code NOT IN (SELECT code FROM {CAMEO_TABLE})"
        "  THEN 'unknown CAMEO event code ' || event_code END)"
    )


def cameo_codes_table() -> pa.Table:
    """The CAMEO event codes a row may carry: GDELT's list plus the ICEWS-only codes (1213)."""
    from .ontology import cameo_codes, goldstein_of

    codes = sorted(set(cameo_codes().column("code").to_pylist()) | set(goldstein_of("icews")))
    return pa.table({"code": codes})
