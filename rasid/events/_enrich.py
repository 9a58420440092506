"""Enrichment of a staged file: countries to ISO2, actors to canonical ids, admin units and PRIO-GRID.

Each lookup runs on the distinct values of the typed table ``_typed`` (a few thousand names or
points for a 400k-row file) and lands in a small temp table; the final projection joins them.
Two checks need the lookups and so run here: duplicated ids within the file and swapped
coordinates; their rows go to ``_xbad`` with the reason.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from rasid.events._countries import to_iso2
from rasid.events._sql import ident
from rasid.events.actors import canonical_actor
from rasid.events.schema import COLUMNS
from rasid.geo.admin import admin_lookup, priogrid_gid

__all__ = ["enrich", "final_select_sql"]


def _small_table(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    """Copy a small lookup frame into a temp table."""
    con.register("_tmp_df", df)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS SELECT * FROM _tmp_df")
    finally:
        con.unregister("_tmp_df")


def _typed_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("DESCRIBE _typed").fetchall()}


def _country_keys(cols: set[str]) -> list[str]:
    return ["_country_name"] + [c for c in ("_iso_num", "_gw") if c in cols]


def enrich(con: duckdb.DuckDBPyConnection) -> None:
    """Build ``_ctry``, ``_actors``, ``_adm`` and ``_xbad`` from ``_typed``."""
    cols = _typed_columns(con)
    keys = _country_keys(cols)
    keys_sql = ", ".join(ident(k) for k in keys)
    ctry = con.execute(f"SELECT DISTINCT {keys_sql} FROM _typed").fetchdf()
    ctry["_iso2"] = [to_iso2(**{k.lstrip("_").replace("country_name", "name"): v for k, v in zip(keys, row, strict=True)})
                     for row in ctry[keys].itertuples(index=False)]
    _small_table(con, "_ctry", ctry)
    names = con.execute("SELECT DISTINCT a FROM (SELECT actor1 a FROM _typed UNION SELECT actor2 FROM _typed) "
                        "WHERE a IS NOT NULL").fetchdf()
    names["aid"] = names["a"].map(canonical_actor)
    _small_table(con, "_actors", names)
    pts = con.execute("SELECT DISTINCT lat, lon FROM _typed WHERE isfinite(lat) AND isfinite(lon) "
                      "AND abs(lat) <= 90 AND abs(lon) <= 180").fetchdf()
    lat, lon = pts["lat"].to_numpy(), pts["lon"].to_numpy()
    adm = admin_lookup().lookup(lat, lon)
    adm.columns = ["_adm_country", *adm.columns[1:]]
    adm.insert(0, "lat", lat)
    adm.insert(1, "lon", lon)
    adm["_pg"] = priogrid_gid(lat, lon)
    # swapped coordinates inside Iraq/Syria: the point is in no unit but its mirror is
    unmatched = adm["admin1_code"].isna().to_numpy()
    adm["_swapped_country"] = None
    if unmatched.any():
        mirror = admin_lookup().lookup(lon[unmatched], lat[unmatched])
        adm.loc[unmatched, "_swapped_country"] = mirror["country"].to_numpy()
    _small_table(con, "_adm", adm)
    join_sql = " AND ".join(f"t.{ident(k)} IS NOT DISTINCT FROM k.{ident(k)}" for k in keys)
    con.execute(f"""CREATE TEMP TABLE _xbad AS
      WITH firsts AS (SELECT source_id, min(rowid) AS first_rid FROM _typed WHERE source_id IS NOT NULL
                      GROUP BY source_id HAVING count(*) > 1)
      SELECT t.rowid AS _rid, 'duplicate event id ' || t.source_id AS reason, f.first_rid AS _first
      FROM _typed t JOIN firsts f ON t.source_id = f.source_id WHERE t.rowid > f.first_rid AND t._problem IS NULL
      UNION ALL
      SELECT t.rowid, 'latitude and longitude swapped (' || CAST(t.lat AS VARCHAR) || ', '
             || CAST(t.lon AS VARCHAR) || ')', NULL
      FROM _typed t JOIN _adm a ON t.lat = a.lat AND t.lon = a.lon LEFT JOIN _ctry k ON {join_sql}
      WHERE t._problem IS NULL AND a.admin1_code IS NULL AND a._swapped_country IS NOT NULL
            AND a._swapped_country = coalesce(k._iso2, a._swapped_country)""")


def final_select_sql(con: duckdb.DuckDBPyConnection, *, only_good: bool) -> str:
    """SELECT of the canonical columns from ``_typed`` and the lookups (``$batch`` is the batch id)."""
    cols = _typed_columns(con)
    select = []
    for c in COLUMNS:
        c_sql = ident(c)
        if c == "event_id":
            select.append("t.event_id")
        elif c == "batch_id":
            select.append("CAST($batch AS VARCHAR) AS batch_id")
        elif c == "country":
            select.append("coalesce(k._iso2, a._adm_country) AS country")
        elif c in ("actor1_id", "actor2_id"):
            x_sql = "x1" if c == "actor1_id" else "x2"
            select.append(f"{x_sql}.aid AS {c_sql}")
        elif c.startswith(("admin1_", "admin2_", "admin3_")):
            select.append(f"coalesce(a.{c_sql}, t.{c_sql}) AS {c_sql}" if c in cols else f"a.{c_sql} AS {c_sql}")
        elif c == "priogrid_gid":
            own_sql = "t.priogrid_gid, " if c in cols else ""
            select.append(f"coalesce({own_sql}CASE WHEN a._pg > 0 THEN a._pg END) AS priogrid_gid")
        elif c in cols:
            select.append(f"t.{c_sql}")
        else:
            select.append(f"NULL AS {c_sql}")
    keys = _country_keys(cols)
    join_sql = " AND ".join(f"t.{ident(k)} IS NOT DISTINCT FROM k.{ident(k)}" for k in keys)
    select_sql = ", ".join(select)
    where_sql = ("WHERE t._problem IS NULL AND NOT EXISTS (SELECT 1 FROM _xbad x WHERE x._rid = t.rowid)"
                 if only_good else "")
    return f"""SELECT {select_sql}
      FROM _typed t
      LEFT JOIN _ctry k ON {join_sql}
      LEFT JOIN _actors x1 ON t.actor1 = x1.a
      LEFT JOIN _actors x2 ON t.actor2 = x2.a
      LEFT JOIN _adm a ON t.lat = a.lat AND t.lon = a.lon
      {where_sql}"""
