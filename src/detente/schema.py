"""The canonical event row and the store's bookkeeping tables, in one place.

Every reader returns rows in :data:`EVENT_SCHEMA` (or in its own side-table schema),
plus three bookkeeping columns (:data:`ROW_COLUMNS`) that the store uses to split
stored rows from quarantined ones. See ``docs/data-model.md``.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "CATEGORIES",
    "EVENT_SCHEMA",
    "INGEST_FILE_SCHEMA",
    "INGEST_SCHEMA",
    "QUARANTINE_SCHEMA",
    "ROW_COLUMNS",
    "conform",
]

#: Canonical event columns, in order. ``year`` is the partition key (from ``date``).
EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),  # source-prefixed and stable: "gdelt2:881990836", "cns:87"
        ("source", pa.string()),  # gdelt1, gdelt2, icews, acled, cns, csis, cow_mid, kb, ...
        ("date", pa.date32()),
        ("date_precision", pa.string()),  # day | month | year
        ("year", pa.int32()),
        ("actor1_code", pa.string()),  # raw CAMEO actor code (or the source's own)
        ("actor1_name", pa.string()),
        ("actor1_country", pa.string()),  # ISO3 or organisation code (UN, EU, ...)
        ("actor1_type", pa.string()),
        ("actor2_code", pa.string()),
        ("actor2_name", pa.string()),
        ("actor2_country", pa.string()),
        ("actor2_type", pa.string()),
        ("event_code", pa.string()),  # CAMEO, leading zeros kept
        ("event_root", pa.string()),
        ("quad_class", pa.int8()),  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
        ("goldstein", pa.float64()),  # -10 .. 10, as the source writes it
        ("mentions", pa.int32()),
        ("sources_n", pa.int32()),
        ("articles", pa.int32()),
        ("tone", pa.float64()),
        ("country", pa.string()),  # ISO3 of where it happened
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("place", pa.string()),
        ("fatalities", pa.int32()),
        ("category", pa.string()),  # one of CATEGORIES or null
        ("original_type", pa.string()),  # the source's own event type, kept verbatim
        ("description", pa.string()),
        ("url", pa.string()),
        ("confidence", pa.string()),  # curated rows: verified | recalled; null for machine-coded data
        ("source_file", pa.string()),  # file name as ingested
        ("source_line", pa.int64()),  # 1-based physical line in the file (header = line 1)
    ]
)

#: Bookkeeping columns every reader adds to its rows; never stored with events.
#: ``reject_reason`` null means the row is good; ``raw`` is the line text as read.
ROW_COLUMNS = pa.schema([("raw", pa.string()), ("reject_reason", pa.string())])

#: Normalised event categories across sources (``category`` column).
CATEGORIES = (
    "missile_test",
    "nuclear_test",
    "satellite_launch",
    "border_incident",
    "naval_clash",
    "artillery",
    "infiltration",
    "exercise",
    "summit",
    "talks",
    "agreement",
    "sanctions",
    "humanitarian",
    "hotline",
    "balloon_campaign",
    "loudspeaker",
    "cyber",
    "armed_clash",
    "militarized_incident",
    "remote_violence",
    "other_provocation",
)

QUARANTINE_SCHEMA = pa.schema(
    [
        ("ingest_id", pa.string()),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
        ("raw", pa.string()),
        ("reason", pa.string()),
    ]
)

#: One row per ingested file in the manifest (``ingests`` table of the DuckDB file).
INGEST_SCHEMA = pa.schema(
    [
        ("ingest_id", pa.string()),  # sha256 of the file's bytes
        ("source", pa.string()),
        ("format", pa.string()),
        ("table_name", pa.string()),
        ("path", pa.string()),
        ("file_name", pa.string()),
        ("size_bytes", pa.int64()),
        ("rows_read", pa.int64()),  # records read = stored + quarantined + out of scope
        ("rows_stored", pa.int64()),
        ("rows_quarantined", pa.int64()),
        ("date_min", pa.date32()),
        ("date_max", pa.date32()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("seconds", pa.float64()),
        ("rows_out_of_scope", pa.int64()),  # records a scoped read left out (0 when unscoped)
        ("scope", pa.string()),  # the scope's sorted ISO3 countries, comma-joined; NULL: everything
    ]
)


#: One row per Parquet file an ingest published (``ingest_files`` table): what ``Store.verify`` checks.
INGEST_FILE_SCHEMA = pa.schema(
    [
        ("ingest_id", pa.string()),
        ("path", pa.string()),  # relative to the store's home
        ("rows", pa.int64()),
        ("sha256", pa.string()),
        ("id_min", pa.string()),  # smallest and largest event id in an events file (NULL: not known)
        ("id_max", pa.string()),
    ]
)


def conform(table: pa.Table, schema: pa.Schema = EVENT_SCHEMA) -> pa.Table:
    """Return ``table`` with exactly ``schema``'s columns (plus :data:`ROW_COLUMNS` if present).

    Missing columns become typed nulls; present ones are cast (safe casts only).
    """
    n = table.num_rows
    cols, fields = [], []
    for field in list(schema) + [f for f in ROW_COLUMNS if f.name in table.column_names]:
        if field.name in table.column_names:
            cols.append(table.column(field.name).cast(field.type))
        else:
            cols.append(pa.nulls(n, field.type))
        fields.append(field)
    return pa.Table.from_arrays(cols, schema=pa.schema(fields))
