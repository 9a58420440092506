"""ACLED standard export reader (event_id_cnty, event_date, ..., fatalities, timestamp)."""

from __future__ import annotations

from rasid.events._sql import date_, int_, num, txt

NAME = "acled"
SIGNATURE = {"event_id_cnty", "event_date", "actor1", "fatalities"}
REQUIRED = ["event_id_cnty", "event_date", "actor1", "country", "latitude", "longitude", "fatalities"]


def select_sql(cols: set[str], version: str | None) -> str:
    """SELECT producing the canonical columns this source has from the raw table ``_raw`` (the rest are NULL)."""

    def opt(c: str, expr: str) -> str:
        return expr if c in cols else "NULL"

    ver = txt("timestamp") if "timestamp" in cols else (f"'{version}'" if version else "NULL")
    notes = opt("notes", txt("notes"))
    src = opt("source", txt("source"))
    return f"""
    SELECT
      'acled' AS source,
      {txt('event_id_cnty')} AS source_id,
      {ver} AS source_version,
      {date_(txt('event_date'))} AS date_start,
      {date_(txt('event_date'))} AS date_end,
      CASE {opt('time_precision', int_('time_precision'))} WHEN 1 THEN 'day' WHEN 2 THEN 'week'
           WHEN 3 THEN 'month' ELSE 'day' END AS date_precision,
      {txt('country')} AS _country_name,
      {opt('iso', int_('iso'))} AS _iso_num,
      {opt('location', txt('location'))} AS location,
      {num('latitude')} AS lat,
      {num('longitude')} AS lon,
      CASE {opt('geo_precision', int_('geo_precision'))} WHEN 1 THEN 'exact' WHEN 2 THEN 'near'
           WHEN 3 THEN 'region' END AS geo_precision,
      {txt('actor1')} AS actor1,
      {opt('actor2', txt('actor2'))} AS actor2,
      {opt('event_type', txt('event_type'))} AS event_type,
      {opt('actor2', txt('actor2'))} AS target,
      {int_('fatalities')} AS deaths_best,
      CASE WHEN {notes} IS NULL THEN {src} WHEN {src} IS NULL THEN {notes}
           ELSE {notes} || ' [' || {src} || ']' END AS source_text,
      {opt('admin1', txt('admin1'))} AS source_admin1,
      {opt('admin2', txt('admin2'))} AS source_admin2,
      {opt('sub_event_type', txt('sub_event_type'))} AS sub_event_type,
      _row,
      {txt('event_date')} AS _raw_date, {txt('latitude')} AS _raw_lat, {txt('longitude')} AS _raw_lon,
      {txt('fatalities')} AS _raw_deaths
    FROM _raw
    """
