"""Global Terrorism Database reader (CSV or XLSX: eventid, iyear, imonth, iday, ..., nkill, nwound)."""

from __future__ import annotations

from rasid.events._checks import CODE, COUNT, REAL, Number
from rasid.events._sql import int_sql, num_sql, text_sql

NAME = "gtd"
SIGNATURE = {"eventid", "iyear", "imonth", "iday", "gname"}
REQUIRED = ["eventid", "iyear", "imonth", "iday", "country_txt", "latitude", "longitude", "gname"]
TEXT = ["eventid", "country_txt", "city", "gname", "target1", "attacktype1_txt", "targtype1_txt", "summary",
        "provstate"]
_UNKNOWN = (-9, -99)  # GTD codebook: unknown
NUMBERS = {
    "iyear": Number(CODE), "imonth": Number(CODE), "iday": Number(CODE), "latitude": Number(REAL),
    "longitude": Number(REAL), "specificity": Number(CODE), "claimed": Number(CODE),
    "nkill": Number(COUNT, "deaths", _UNKNOWN), "nwound": Number(COUNT, "wounded", _UNKNOWN),
    "nkillter": Number(COUNT, "attackers killed", _UNKNOWN),
}


def select_sql(cols: set[str]) -> str:
    """Select list of the canonical columns this source has (the release is ``$version``).

    GTD writes an unknown month or day as 0: the date then spans the month or year. A day the
    month does not have (31 April) leaves the date NULL, which the validation reports.
    """

    def opt_sql(c: str, expr_sql: str) -> str:
        return expr_sql if c in cols else "NULL"

    y_sql, m_sql, d_sql = int_sql("iyear"), int_sql("imonth"), int_sql("iday")
    start_sql = (f"try(make_date({y_sql}, CASE WHEN {m_sql} BETWEEN 1 AND 12 THEN {m_sql} ELSE 1 END, "
                 f"CASE WHEN {m_sql} BETWEEN 1 AND 12 AND {d_sql} BETWEEN 1 AND 31 THEN {d_sql} ELSE 1 END))")
    end_sql = (f"CASE WHEN {m_sql} NOT BETWEEN 1 AND 12 THEN try(make_date({y_sql}, 12, 31)) "
               f"WHEN {d_sql} NOT BETWEEN 1 AND 31 THEN CAST(last_day({start_sql}) AS DATE) ELSE {start_sql} END")
    spec_sql = opt_sql("specificity", int_sql("specificity"))
    return f"""
      'gtd' AS source,
      regexp_replace({text_sql('eventid')}, '\\.0$', '') AS source_id,
      CAST($version AS VARCHAR) AS source_version,
      {start_sql} AS date_start,
      {end_sql} AS date_end,
      CASE WHEN {m_sql} NOT BETWEEN 1 AND 12 THEN 'year' WHEN {d_sql} NOT BETWEEN 1 AND 31 THEN 'month'
           ELSE 'day' END AS date_precision,
      {text_sql('country_txt')} AS _country_name,
      {opt_sql('city', text_sql('city'))} AS location,
      {num_sql('latitude')} AS lat,
      {num_sql('longitude')} AS lon,
      CASE {spec_sql} WHEN 1 THEN 'exact' WHEN 2 THEN 'near' WHEN 3 THEN 'admin2' WHEN 4 THEN 'admin1'
           WHEN 5 THEN 'country' END AS geo_precision,
      {text_sql('gname')} AS actor1,
      {opt_sql('target1', text_sql('target1'))} AS actor2,
      {opt_sql('attacktype1_txt', text_sql('attacktype1_txt'))} AS event_type,
      {opt_sql('targtype1_txt', text_sql('targtype1_txt'))} AS target,
      {opt_sql('nkill', int_sql('nkill', _UNKNOWN))} AS deaths_best,
      {opt_sql('nwound', int_sql('nwound', _UNKNOWN))} AS wounded,
      {opt_sql('summary', text_sql('summary'))} AS source_text,
      {opt_sql('provstate', text_sql('provstate'))} AS source_admin1,
      {opt_sql('attacktype1_txt', text_sql('attacktype1_txt'))} AS sub_event_type,
      {opt_sql('nkillter', int_sql('nkillter', _UNKNOWN))} AS attackers_killed,
      CASE {opt_sql('claimed', int_sql('claimed'))} WHEN 1 THEN TRUE WHEN 0 THEN FALSE END AS claimed,
      printf('%d-%d-%d', {y_sql}, {m_sql}, {d_sql}) AS _raw_date
    """
