"""Analysis units of a region: admin1/admin2 polygons or PRIO-GRID cells, one frame shape for all of them.

Every analysis (focus, hot spots, explanation, forecasts), the context layers and the maps ask for
their units here, so a region always has the same units in the same order.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from rasid.errors import QueryError
from rasid.geo.admin import admin_units, priogrid_centroid

__all__ = ["UNITS", "DEFAULT_UNIT", "DEFAULT_COUNTRIES", "unit_frame", "check_unit", "UNIT_COLUMNS"]

UNITS = ("admin1", "admin2", "grid")
#: the one default unit of every command and analysis: districts, where the focus is visible
DEFAULT_UNIT = "admin2"
DEFAULT_COUNTRIES = ("IQ", "SY")
UNIT_COLUMNS = ["unit_code", "unit_en", "unit_ar", "country", "admin1_code", "admin1_en", "admin1_ar", "geometry"]


def check_unit(unit: str) -> str:
    """``unit`` if it is one of :data:`UNITS`, else a QueryError naming the choices."""
    if unit not in UNITS:
        raise QueryError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    return unit


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
    """The units of a region (:data:`UNIT_COLUMNS`), sorted by code; countries default to Iraq and Syria."""
    check_unit(unit)
    ctry = tuple(sorted(c.upper() for c in countries)) if countries else DEFAULT_COUNTRIES
    if unit == "grid":
        gdf = _grid_cells(ctry).copy()
    else:
        gdf = admin_units(unit)
        gdf = gdf[gdf.country.isin(ctry)].copy()
    return gdf[UNIT_COLUMNS].sort_values("unit_code").reset_index(drop=True)
