"""Events: canonical schema, readers for UCDP/ACLED/GTD/JSONL, actor names and the DuckDB store."""

from rasid.events.actors import actor_label, canonical_actor
from rasid.events.export import write_events
from rasid.events.query import EventFilter, parse_month, parse_month_window
from rasid.events.schema import COLUMNS, EXPORT_COLUMNS, SCHEMA, make_event_id
from rasid.events.store import IngestReport, Store, default_db_path

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "SCHEMA",
    "EventFilter",
    "IngestReport",
    "Store",
    "actor_label",
    "canonical_actor",
    "default_db_path",
    "make_event_id",
    "parse_month",
    "parse_month_window",
    "write_events",
]
