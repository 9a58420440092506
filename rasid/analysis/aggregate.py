"""Events to a unit x period panel (admin1, admin2 or PRIO-GRID cells; weeks, months or quarters).

Every unit of the region and every period of the range is present (zeros filled), so focus,
hotspot and forecast models see the places where nothing happened too. An event is counted at
a level only if the source located it at least that precisely: an event placed at a governorate
centroid (UCDP where_prec 4) counts for its governorate but for no district or grid cell.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from rasid.errors import QueryError
from rasid.geo.admin import admin_units, priogrid_centroid

__all__ = ["aggregate", "unit_frame", "UNITS", "PERIODS", "period_start", "MEASURES"]

UNITS = ("admin1", "admin2", "grid")
PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q"}
MEASURES = ["events", "deaths_best", "deaths_low", "deaths_high", "wounded", "active_days"]
# geo_precision values too coarse for each unit level
_TOO_COARSE = {
    "admin1": {"country", "other"},
    "admin2": {"admin1", "region", "country", "other"},
    "grid": {"admin1", "region", "country", "other"},
}
_KEY = {"admin1": "admin1_code", "admin2": "admin2_code", "grid": "priogrid_gid"}


def _check(unit: str, period: str) -> None:
    if unit not in UNITS:
        raise QueryError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """Timestamp of the start of the week (Monday), month or quarter of each date."""
    return pd.to_datetime(dates).dt.to_period(PERIODS[period]).dt.start_time


@lru_cache(maxsize=8)
def _grid_cells(countries: tuple[str, ...]) -> gpd.GeoDataFrame:
    """PRIO-GRID cells intersecting the countries' admin1 polygons."""
    adm = admin_units("admin1")
    adm = adm[adm.country.isin(countries)] if countries else adm
    if adm.empty:
        return gpd.GeoDataFrame(columns=["unit_code", "geometry"], geometry="geometry", crs="EPSG:4326")
    minx, miny, maxx, maxy = adm.total_bounds
    lons = np.arange(np.floor(minx * 2) / 2, maxx, 0.5)
    lats = np.arange(np.floor(miny * 2) / 2, maxy, 0.5)
    lo, la = np.meshgrid(lons, lats)
    lo, la = lo.ravel(), la.ravel()
    boxes = shapely.box(lo, la, lo + 0.5, la + 0.5)
    union = shapely.union_all(adm.geometry.values)
    keep = shapely.intersects(boxes, union)
    gid = (np.floor((la[keep] + 90) * 2) * 720 + np.floor((lo[keep] + 180) * 2) + 1).astype(np.int64)
    cells = gpd.GeoDataFrame({"unit_code": gid.astype(str), "geometry": boxes[keep]}, crs="EPSG:4326")
    # each cell takes the governorate holding most of it, for labels and regional grouping
    inter = gpd.overlay(cells, adm[["unit_code", "unit_en", "unit_ar", "country", "geometry"]]
                        .rename(columns={"unit_code": "admin1_code", "unit_en": "admin1_en", "unit_ar": "admin1_ar"}),
                        how="intersection", keep_geom_type=True)
    inter["area"] = shapely.area(inter.geometry.values)  # relative sizes only
    best = inter.sort_values("area").drop_duplicates("unit_code", keep="last").drop(columns=["geometry", "area"])
    cells = cells.merge(best, on="unit_code", how="left")
    lat, lon = priogrid_centroid(cells.unit_code.astype(np.int64).to_numpy())
    cells["unit_en"] = [f"cell {g} ({a:.2f}N {b:.2f}E)" for g, a, b in zip(cells.unit_code, lat, lon, strict=True)]
    cells["unit_ar"] = [f"الخلية {g}" for g in cells.unit_code]
    return cells


def unit_frame(unit: str, countries: list[str] | tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    """The units of a region: ``unit_code, unit_en, unit_ar, country, admin1_code, admin1_en, admin1_ar, geometry``."""
    _check(unit, "month")
    ctry = tuple(sorted(c.upper() for c in countries)) if countries else ("IQ", "SY")
    if unit == "grid":
        gdf = _grid_cells(ctry).copy()
    else:
        gdf = admin_units(unit)
        gdf = gdf[gdf.country.isin(ctry)].copy()
    cols = ["unit_code", "unit_en", "unit_ar", "country", "admin1_code", "admin1_en", "admin1_ar", "geometry"]
    return gdf[cols].sort_values("unit_code").reset_index(drop=True)


def aggregate(
    events: pd.DataFrame,
    unit: str = "admin1",
    period: str = "month",
    *,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
    countries: list[str] | None = None,
    units: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Long panel ``unit_code, unit_en, unit_ar, admin1_code, period, events, deaths_*, wounded, active_days``.

    ``start``/``end`` bound the periods (default: the events' range); ``countries`` chooses the
    unit universe (default: IQ and SY); ``units`` overrides it with a prepared :func:`unit_frame`.
    """
    _check(unit, period)
    uf = units if units is not None else unit_frame(unit, countries)
    ev = events
    if "geo_precision" in ev:
        ev = ev[~ev.geo_precision.isin(_TOO_COARSE[unit])]
    key = ev[_KEY[unit]]
    ev = ev.assign(unit_code=key.astype("Int64").astype(str) if unit == "grid" else key)
    ev = ev[ev.unit_code.isin(set(uf.unit_code))]
    dates = pd.to_datetime(events["date_start"]) if len(events) else pd.Series([], dtype="datetime64[ns]")
    lo = pd.Timestamp(start) if start is not None else (dates.min() if len(dates) else None)
    hi = pd.Timestamp(end) if end is not None else (dates.max() if len(dates) else None)
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        raise QueryError("no events and no start/end given: cannot choose the periods")
    periods = pd.period_range(lo, hi, freq=PERIODS[period]).start_time
    ev = ev.assign(period=period_start(ev["date_start"], period), day=pd.to_datetime(ev["date_start"]).dt.normalize())
    ev = ev[ev.period.isin(periods)]
    g = ev.groupby(["unit_code", "period"])
    agg = pd.DataFrame({
        "events": g.size(),
        "deaths_best": g["deaths_best"].sum(min_count=1) if "deaths_best" in ev else np.nan,
        "deaths_low": g["deaths_low"].sum(min_count=1) if "deaths_low" in ev else np.nan,
        "deaths_high": g["deaths_high"].sum(min_count=1) if "deaths_high" in ev else np.nan,
        "wounded": g["wounded"].sum(min_count=1) if "wounded" in ev else np.nan,
        "active_days": g["day"].nunique(),
    })
    full = pd.MultiIndex.from_product([uf.unit_code, periods], names=["unit_code", "period"])
    out = agg.reindex(full).reset_index()
    out["events"] = out["events"].fillna(0).astype("int64")
    out["active_days"] = out["active_days"].fillna(0).astype("int64")
    for c in ("deaths_best", "deaths_low", "deaths_high"):
        out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype("int64")
    out["wounded"] = pd.to_numeric(out["wounded"], errors="coerce").astype("Float64")  # unknown stays NA
    labels = pd.DataFrame(uf.drop(columns="geometry"))[["unit_code", "unit_en", "unit_ar", "country", "admin1_code"]]
    out = out.merge(labels, on="unit_code", how="left")
    cols = ["unit_code", "unit_en", "unit_ar", "country", "admin1_code", "period", *MEASURES]
    return out[cols].sort_values(["unit_code", "period"]).reset_index(drop=True)
