"""UCDP GED reader (GED 19.1+ releases, GED Syria, HDX extracts and the monthly Candidate files)."""

from __future__ import annotations

import re

from rasid.events._checks import CODE, COUNT, REAL, Number
from rasid.events._sql import date_sql, int_sql, lit_sql, num_sql, text_sql

NAME = "ucdp_ged"
SIGNATURE = {"id", "side_a", "side_b", "date_start", "where_prec"}
# GED 5.0 / 17.x wrote the estimates as *_est
ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}
REQUIRED = ["id", "date_start", "date_end", "side_a", "side_b", "best", "country", "latitude", "longitude"]
TEXT = ["id", "date_start", "date_end", "country", "where_coordinates", "side_a", "side_b", "source_article",
        "adm_1", "adm_2", "source_dataset"]
NUMBERS = {
    "best": Number(COUNT, "deaths"), "low": Number(COUNT, "deaths"), "high": Number(COUNT, "deaths"),
    "deaths_a": Number(COUNT, "deaths"), "deaths_b": Number(COUNT, "deaths"),
    "deaths_civilians": Number(COUNT, "deaths"), "deaths_unknown": Number(COUNT, "deaths"),
    "latitude": Number(REAL), "longitude": Number(REAL), "date_prec": Number(CODE), "where_prec": Number(CODE),
    "type_of_violence": Number(CODE), "country_id": Number(CODE), "priogrid_gid": Number(CODE),
}

_VERSION_OF_DATASET = {"ged231_sample": "23.1", "hdx_ged191_iraq": "19.1", "ged_syria_652.1601.1911": "19.1"}
_FILE_VERSION = [
    re.compile(r"gedevent_v(\d{2})_(\d+)(?:_(\d+))?", re.I),  # GEDEvent_v24_1, GEDEvent_v25_0_3
    re.compile(r"ged(\d{2})(\d)(?!\d)", re.I),  # ged231.csv, ged191
]


def version_from_filename(name: str) -> str | None:
    """GED release from a file name as UCDP writes it (ged231.csv, GEDEvent_v25_0_3.csv)."""
    for rx in _FILE_VERSION:
        m = rx.search(name)
        if m:
            return ".".join(g for g in m.groups() if g is not None)
    return None


def select_sql(cols: set[str]) -> str:
    """Select list of the canonical columns this source has, over the typed raw columns.

    The release comes from the bundled files' ``source_dataset`` or the bound parameter ``$version``.
    """

    def opt_sql(c: str, expr_sql: str) -> str:
        return expr_sql if c in cols else "NULL"

    ver_sql = "CAST($version AS VARCHAR)"
    if "source_dataset" in cols:
        cases_sql = " ".join(f"WHEN {lit_sql(k)} THEN {lit_sql(v)}" for k, v in _VERSION_OF_DATASET.items())
        ver_sql = f"COALESCE(CASE {text_sql('source_dataset')} {cases_sql} END, {ver_sql})"
    prec_sql = opt_sql("date_prec", int_sql("date_prec"))
    where_sql = opt_sql("where_prec", int_sql("where_prec"))
    tov_sql = opt_sql("type_of_violence", int_sql("type_of_violence"))
    return f"""
      'ucdp_ged' AS source,
      regexp_replace({text_sql('id')}, '\\.0$', '') AS source_id,
      {ver_sql} AS source_version,
      {date_sql(text_sql('date_start'))} AS date_start,
      {date_sql(text_sql('date_end'))} AS date_end,
      CASE {prec_sql} WHEN 1 THEN 'day' WHEN 2 THEN 'days' WHEN 3 THEN 'week'
           WHEN 4 THEN 'month' WHEN 5 THEN 'year' END AS date_precision,
      {text_sql('country')} AS _country_name,
      {opt_sql('country_id', int_sql('country_id'))} AS _gw,
      {opt_sql('where_coordinates', text_sql('where_coordinates'))} AS location,
      {num_sql('latitude')} AS lat,
      {num_sql('longitude')} AS lon,
      CASE {where_sql} WHEN 1 THEN 'exact' WHEN 2 THEN 'near' WHEN 3 THEN 'admin2'
           WHEN 4 THEN 'admin1' WHEN 5 THEN 'region' WHEN 6 THEN 'country' WHEN 7 THEN 'other' END AS geo_precision,
      {text_sql('side_a')} AS actor1,
      {text_sql('side_b')} AS actor2,
      CASE {tov_sql} WHEN 1 THEN 'state-based' WHEN 2 THEN 'non-state' WHEN 3 THEN 'one-sided' END AS event_type,
      CASE WHEN {tov_sql} = 3 THEN 'civilians' END AS target,
      {int_sql('best')} AS deaths_best,
      {opt_sql('low', int_sql('low'))} AS deaths_low,
      {opt_sql('high', int_sql('high'))} AS deaths_high,
      {opt_sql('deaths_a', int_sql('deaths_a'))} AS deaths_side_a,
      {opt_sql('deaths_b', int_sql('deaths_b'))} AS deaths_side_b,
      {opt_sql('deaths_civilians', int_sql('deaths_civilians'))} AS deaths_civilians,
      {opt_sql('deaths_unknown', int_sql('deaths_unknown'))} AS deaths_unknown,
      {opt_sql('source_article', text_sql('source_article'))} AS source_text,
      {opt_sql('adm_1', text_sql('adm_1'))} AS source_admin1,
      {opt_sql('adm_2', text_sql('adm_2'))} AS source_admin2,
      {opt_sql('priogrid_gid', int_sql('priogrid_gid'))} AS priogrid_gid,
      {text_sql('date_start')} AS _raw_date
    """
