"""UCDP GED reader (GED 19.1+ releases, GED Syria, HDX extracts and the monthly Candidate files)."""

from __future__ import annotations

import re

from rasid.events._sql import date_, int_, num, txt

NAME = "ucdp_ged"
SIGNATURE = {"id", "side_a", "side_b", "date_start", "where_prec"}
# GED 5.0 / 17.x wrote the estimates as *_est
ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}
REQUIRED = ["id", "date_start", "date_end", "side_a", "side_b", "best", "country", "latitude", "longitude"]

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


def select_sql(cols: set[str], version: str | None) -> str:
    """SELECT producing the canonical columns this source has from the raw table ``_raw`` (the rest are NULL)."""

    def opt(c: str, expr: str) -> str:
        return expr if c in cols else "NULL"

    ver = f"'{version}'" if version else "NULL"
    if "source_dataset" in cols:
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in _VERSION_OF_DATASET.items())
        ver = f"COALESCE(CASE {txt('source_dataset')} {cases} END, {ver})"
    return f"""
    SELECT
      'ucdp_ged' AS source,
      regexp_replace({txt('id')}, '\\.0$', '') AS source_id,
      {ver} AS source_version,
      {date_(txt('date_start'))} AS date_start,
      {date_(txt('date_end'))} AS date_end,
      CASE {opt('date_prec', int_('date_prec'))} WHEN 1 THEN 'day' WHEN 2 THEN 'days' WHEN 3 THEN 'week'
           WHEN 4 THEN 'month' WHEN 5 THEN 'year' END AS date_precision,
      {txt('country')} AS _country_name,
      {opt('country_id', int_('country_id'))} AS _gw,
      {opt('where_coordinates', txt('where_coordinates'))} AS location,
      {num('latitude')} AS lat,
      {num('longitude')} AS lon,
      CASE {opt('where_prec', int_('where_prec'))} WHEN 1 THEN 'exact' WHEN 2 THEN 'near' WHEN 3 THEN 'admin2'
           WHEN 4 THEN 'admin1' WHEN 5 THEN 'region' WHEN 6 THEN 'country' WHEN 7 THEN 'other' END AS geo_precision,
      {txt('side_a')} AS actor1,
      {txt('side_b')} AS actor2,
      CASE {opt('type_of_violence', int_('type_of_violence'))} WHEN 1 THEN 'state-based' WHEN 2 THEN 'non-state'
           WHEN 3 THEN 'one-sided' END AS event_type,
      CASE WHEN {opt('type_of_violence', int_('type_of_violence'))} = 3 THEN 'civilians' END AS target,
      {int_('best')} AS deaths_best,
      {opt('low', int_('low'))} AS deaths_low,
      {opt('high', int_('high'))} AS deaths_high,
      {opt('deaths_a', int_('deaths_a'))} AS deaths_side_a,
      {opt('deaths_b', int_('deaths_b'))} AS deaths_side_b,
      {opt('deaths_civilians', int_('deaths_civilians'))} AS deaths_civilians,
      {opt('deaths_unknown', int_('deaths_unknown'))} AS deaths_unknown,
      {opt('source_article', txt('source_article'))} AS source_text,
      {opt('adm_1', txt('adm_1'))} AS source_admin1,
      {opt('adm_2', txt('adm_2'))} AS source_admin2,
      {opt('priogrid_gid', int_('priogrid_gid'))} AS priogrid_gid,
      _row,
      -- raw values kept for validation messages
      {txt('date_start')} AS _raw_date, {txt('latitude')} AS _raw_lat, {txt('longitude')} AS _raw_lon,
      {txt('best')} AS _raw_deaths
    FROM _raw
    """
