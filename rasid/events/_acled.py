"""ACLED standard export reader (event_id_cnty, event_date, ..., fatalities, timestamp)."""

from __future__ import annotations

from rasid.events._checks import CODE, COUNT, REAL, Number
from rasid.events._sql import date_sql, int_sql, num_sql, text_sql

NAME = "acled"
SIGNATURE = {"event_id_cnty", "event_date", "actor1", "fatalities"}
REQUIRED = ["event_id_cnty", "event_date", "actor1", "country", "latitude", "longitude", "fatalities"]
TEXT = ["event_id_cnty", "event_date", "country", "location", "actor1", "actor2", "event_type", "sub_event_type",
        "notes", "source", "admin1", "admin2", "timestamp"]
NUMBERS = {
    "fatalities": Number(COUNT, "deaths"), "latitude": Number(REAL), "longitude": Number(REAL),
    "time_precision": Number(CODE), "geo_precision": Number(CODE), "iso": Number(CODE),
}


def select_sql(cols: set[str]) -> str:
    """Select list of the canonical columns this source has; ``timestamp`` (else ``$version``) is the version."""

    def opt_sql(c: str, expr_sql: str) -> str:
        return expr_sql if c in cols else "NULL"

    ver_sql = text_sql("timestamp") if "timestamp" in cols else "CAST($version AS VARCHAR)"
    notes_sql = opt_sql("notes", text_sql("notes"))
    src_sql = opt_sql("source", text_sql("source"))
    tp_sql = opt_sql("time_precision", int_sql("time_precision"))
    gp_sql = opt_sql("geo_precision", int_sql("geo_precision"))
    return f"""
      'acled' AS source,
      {text_sql('event_id_cnty')} AS source_id,
      {ver_sql} AS source_version,
      {date_sql(text_sql('event_date'))} AS date_start,
      {date_sql(text_sql('event_date'))} AS date_end,
      CASE {tp_sql} WHEN 1 THEN 'day' WHEN 2 THEN 'week' WHEN 3 THEN 'month' ELSE 'day' END AS date_precision,
      {text_sql('country')} AS _country_name,
      {opt_sql('iso', int_sql('iso'))} AS _iso_num,
      {opt_sql('location', text_sql('location'))} AS location,
      {num_sql('latitude')} AS lat,
      {num_sql('longitude')} AS lon,
      CASE {gp_sql} WHEN 1 THEN 'exact' WHEN 2 THEN 'near' WHEN 3 THEN 'region' END AS geo_precision,
      {text_sql('actor1')} AS actor1,
      {opt_sql('actor2', text_sql('actor2'))} AS actor2,
      {opt_sql('event_type', text_sql('event_type'))} AS event_type,
      {opt_sql('actor2', text_sql('actor2'))} AS target,
      {int_sql('fatalities')} AS deaths_best,
      CASE WHEN {notes_sql} IS NULL THEN {src_sql} WHEN {src_sql} IS NULL THEN {notes_sql}
           ELSE {notes_sql} || ' [' || {src_sql} || ']' END AS source_text,
      {opt_sql('admin1', text_sql('admin1'))} AS source_admin1,
      {opt_sql('admin2', text_sql('admin2'))} AS source_admin2,
      {opt_sql('sub_event_type', text_sql('sub_event_type'))} AS sub_event_type,
      {text_sql('event_date')} AS _raw_date
    """
