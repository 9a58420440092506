"""Global Terrorism Database reader (CSV or XLSX: eventid, iyear, imonth, iday, ..., nkill, nwound)."""

from __future__ import annotations

from rasid.events._sql import int_, num, txt

NAME = "gtd"
SIGNATURE = {"eventid", "iyear", "imonth", "iday", "gname"}
REQUIRED = ["eventid", "iyear", "imonth", "iday", "country_txt", "latitude", "longitude", "gname"]


def select_sql(cols: set[str], version: str | None) -> str:
    """SELECT producing the canonical columns this source has from the raw table ``_raw`` (the rest are NULL).

    GTD writes an unknown month or day as 0: the date then spans the month or year.
    """

    def opt(c: str, expr: str) -> str:
        return expr if c in cols else "NULL"

    y, m, d = int_("iyear"), int_("imonth"), int_("iday")
    start = (f"TRY_CAST(make_date({y}, CASE WHEN {m} BETWEEN 1 AND 12 THEN {m} ELSE 1 END, "
             f"CASE WHEN {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND 31 THEN {d} ELSE 1 END) AS DATE)")
    end = (f"CASE WHEN {m} NOT BETWEEN 1 AND 12 THEN TRY_CAST(make_date({y}, 12, 31) AS DATE) "
           f"WHEN {d} NOT BETWEEN 1 AND 31 THEN CAST(last_day({start}) AS DATE) ELSE {start} END")
    ver = f"'{version}'" if version else "NULL"
    spec = opt("specificity", int_("specificity"))
    return f"""
    SELECT
      'gtd' AS source,
      regexp_replace({txt('eventid')}, '\\.0$', '') AS source_id,
      {ver} AS source_version,
      {start} AS date_start,
      {end} AS date_end,
      CASE WHEN {m} NOT BETWEEN 1 AND 12 THEN 'year' WHEN {d} NOT BETWEEN 1 AND 31 THEN 'month'
           ELSE 'day' END AS date_precision,
      {txt('country_txt')} AS _country_name,
      {opt('city', txt('city'))} AS location,
      {num('latitude')} AS lat,
      {num('longitude')} AS lon,
      CASE {spec} WHEN 1 THEN 'exact' WHEN 2 THEN 'near' WHEN 3 THEN 'admin2' WHEN 4 THEN 'admin1'
           WHEN 5 THEN 'country' END AS geo_precision,
      {txt('gname')} AS actor1,
      {opt('target1', txt('target1'))} AS actor2,
      {opt('attacktype1_txt', txt('attacktype1_txt'))} AS event_type,
      {opt('targtype1_txt', txt('targtype1_txt'))} AS target,
      CASE WHEN {opt('nkill', num('nkill'))} >= 0 THEN {opt('nkill', int_('nkill'))} END AS deaths_best,
      CASE WHEN {opt('nwound', num('nwound'))} >= 0 THEN {opt('nwound', int_('nwound'))} END AS wounded,
      {opt('summary', txt('summary'))} AS source_text,
      {opt('provstate', txt('provstate'))} AS source_admin1,
      {opt('attacktype1_txt', txt('attacktype1_txt'))} AS sub_event_type,
      CASE WHEN {opt('nkillter', num('nkillter'))} >= 0 THEN {opt('nkillter', int_('nkillter'))} END AS attackers_killed,
      CASE {opt('claimed', int_('claimed'))} WHEN 1 THEN TRUE WHEN 0 THEN FALSE END AS claimed,
      _row,
      {txt('iyear')} AS _raw_date, {txt('latitude')} AS _raw_lat, {txt('longitude')} AS _raw_lon,
      {opt('nkill', txt('nkill'))} AS _raw_deaths
    FROM _raw
    """
