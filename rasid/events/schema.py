"""The canonical event schema: one definition used by the store, readers and exports.

Every module uses these column names; missing values are NULL, never 0. ``docs/schema.md``
documents each column.
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

__all__ = [
    "SCHEMA",
    "COLUMNS",
    "EXPORT_COLUMNS",
    "DATE_PRECISIONS",
    "GEO_PRECISIONS",
    "make_event_id",
    "empty_table",
]

# (name, arrow type, description) — order is the order of exports.
_FIELDS: list[tuple[str, pa.DataType, str]] = [
    ("event_id", pa.string(), "stable id: sha1 of source + source_id, 16 hex chars"),
    ("source", pa.string(), "dataset family: ucdp_ged, ucdp_candidate, acled, gtd, news, rasid"),
    ("source_id", pa.string(), "the source's own event id"),
    ("source_version", pa.string(), "dataset release (e.g. 19.1, 23.1, 24.0.9) or null"),
    ("date_start", pa.date32(), "first day the event may have happened"),
    ("date_end", pa.date32(), "last day the event may have happened"),
    ("date_precision", pa.string(), "day, days, week, month, year"),
    ("country", pa.string(), "ISO 3166-1 alpha-2"),
    ("admin1_code", pa.string(), "governorate code of rasid's admin polygons (IQG13, SY09)"),
    ("admin1_en", pa.string(), "governorate name, English"),
    ("admin1_ar", pa.string(), "governorate name, Arabic"),
    ("admin2_code", pa.string(), "district code (IQG13Q04, SY.DY.AK)"),
    ("admin2_en", pa.string(), "district name, English"),
    ("admin2_ar", pa.string(), "district name, Arabic"),
    ("location", pa.string(), "place as written by the source"),
    ("lat", pa.float64(), "latitude WGS84"),
    ("lon", pa.float64(), "longitude WGS84"),
    ("geo_precision", pa.string(), "exact, near, admin2, admin1, region, country, other"),
    ("actor1", pa.string(), "first actor as written by the source"),
    ("actor2", pa.string(), "second actor / target side as written"),
    ("actor1_id", pa.string(), "canonical actor id (e.g. IS) or the name unchanged"),
    ("actor2_id", pa.string(), "canonical actor id or the name unchanged"),
    ("event_type", pa.string(), "source event type (UCDP: state-based, non-state, one-sided)"),
    ("target", pa.string(), "target category or description"),
    ("deaths_best", pa.int64(), "best estimate of deaths"),
    ("deaths_low", pa.int64(), "low estimate of deaths"),
    ("deaths_high", pa.int64(), "high estimate of deaths"),
    ("deaths_side_a", pa.int64(), "deaths of side A (UCDP)"),
    ("deaths_side_b", pa.int64(), "deaths of side B (UCDP)"),
    ("deaths_civilians", pa.int64(), "civilian deaths"),
    ("deaths_unknown", pa.int64(), "deaths of unknown affiliation"),
    ("wounded", pa.int64(), "wounded, where the source has it"),
    ("source_url", pa.string(), "URL of the article or record"),
    ("source_text", pa.string(), "source text: notes, summary, headline or extracted passage"),
    ("batch_id", pa.string(), "ingest batch that wrote the row"),
    # additions beyond the common core
    ("admin3_code", pa.string(), "Iraqi sub-district code (IQG13Q04N01) or null"),
    ("admin3_en", pa.string(), "sub-district name, English"),
    ("admin3_ar", pa.string(), "sub-district name, Arabic"),
    ("source_admin1", pa.string(), "admin1 name as written by the source"),
    ("source_admin2", pa.string(), "admin2 name as written by the source"),
    ("priogrid_gid", pa.int64(), "PRIO-GRID cell id of the point"),
    ("sub_event_type", pa.string(), "finer type (ACLED sub_event_type, GTD attack type, news type)"),
    ("attackers_killed", pa.int64(), "perpetrators killed (GTD nkillter, news)"),
    ("claimed", pa.bool_(), "the act was claimed by actor1 (news, GTD claimed)"),
    ("linked_event_id", pa.string(), "event_id of a dataset event this (news) event duplicates"),
]

SCHEMA: pa.Schema = pa.schema([pa.field(n, t, metadata={"doc": d}) for n, t, d in _FIELDS])
COLUMNS: list[str] = [n for n, _, _ in _FIELDS]
# the core columns every export writes first, in this order
EXPORT_COLUMNS: list[str] = COLUMNS[: COLUMNS.index("batch_id") + 1]

DATE_PRECISIONS = ("day", "days", "week", "month", "year")
GEO_PRECISIONS = ("exact", "near", "admin3", "admin2", "admin1", "region", "country", "other")


def make_event_id(source: str, source_id: str) -> str:
    """Stable id derived from the source family and the source's own id."""
    return hashlib.sha1(f"{source}:{source_id}".encode()).hexdigest()[:16]


def empty_table() -> pa.Table:
    """A zero-row table with the canonical schema."""
    return SCHEMA.empty_table()
