"""Admin units of Iraq and Syria and the one point-in-polygon lookup every module uses.

Polygons are the bundled OCHA COD-AB (Iraq admin1-3, Syria admin1) and WOF Mesoshapes (Syria
admin2) files; codes are used unchanged (``IQG13``, ``IQG13Q04``, ``SY09``, ``SY.DY.AK``).
Points just outside every polygon (borders, rivers) take the nearest unit within 5 km.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.strtree import STRtree

from rasid.errors import GeoError

__all__ = ["AdminLookup", "admin_lookup", "admin_units", "priogrid_gid", "priogrid_centroid", "LEVELS"]

Level = Literal["admin1", "admin2", "admin3"]
LEVELS: tuple[str, ...] = ("admin1", "admin2", "admin3")
_NEAREST_DEG = 0.05  # ~5 km: tolerance for points on a border or coast

_FILES = {"admin1": "admin1.geojson", "admin2": "admin2.geojson", "admin3": "iq_admin3.geojson"}
# property names of each file -> canonical unit columns
_PROPS = {
    "admin1": {"unit_code": "adm1_pcode", "unit_en": "adm1_en", "unit_ar": "adm1_ar",
               "admin1_code": "adm1_pcode", "admin1_en": "adm1_en", "admin1_ar": "adm1_ar"},
    "admin2": {"unit_code": "adm2_code", "unit_en": "adm2_en", "unit_ar": "adm2_ar",
               "admin1_code": "adm1_pcode", "admin1_en": "adm1_en", "admin1_ar": "adm1_ar"},
    "admin3": {"unit_code": "adm3_pcode", "unit_en": "adm3_en", "unit_ar": "adm3_ar",
               "admin1_code": "adm1_pcode", "admin1_en": "adm1_en", "admin1_ar": "adm1_ar",
               "admin2_code": "adm2_pcode", "admin2_en": "adm2_en", "admin2_ar": "adm2_ar"},
}


def _data_path(name: str):
    return resources.files("rasid") / "data" / "geo" / name


@cache
def admin_units(level: str) -> gpd.GeoDataFrame:
    """Admin polygons of one level: ``unit_code, unit_en, unit_ar, country, admin1_*[, admin2_*], geometry``."""
    if level not in _FILES:
        raise GeoError(f"unknown admin level {level!r}; expected one of {', '.join(LEVELS)}")
    path = _data_path(_FILES[level])
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GeoError(f"cannot read admin polygons: {exc}", path=str(path)) from exc
    rows = []
    for feat in raw["features"]:
        p = feat["properties"]
        row = {col: (p.get(src) or None) for col, src in _PROPS[level].items()}
        row["country"] = p.get("country")
        row["geometry"] = shapely.geometry.shape(feat["geometry"])
        rows.append(row)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    for col in gdf.columns:
        if col != "geometry" and gdf[col].dtype == object:
            gdf[col] = gdf[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    gdf["geometry"] = [_polygonal(g) for g in shapely.make_valid(gdf.geometry.values)]
    if level == "admin2":
        gdf = _fill_missing_districts(gdf)
    return gdf.sort_values("unit_code").reset_index(drop=True)


def _fill_missing_districts(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give a governorate with no district of its own (Damascus: WOF folds it into Rural Damascus) one
    district covering it, coded as OCHA does (``SY01`` -> ``SY0100``), and cut it out of its neighbours."""
    gov = admin_units("admin1")
    lonely = gov[~gov.unit_code.isin(set(districts.admin1_code))]
    if lonely.empty:
        return districts
    out = districts.copy()
    for g in lonely.itertuples():
        out["geometry"] = [_polygonal(shapely.difference(geom, g.geometry)) for geom in out.geometry.values]
    extra = gpd.GeoDataFrame({
        "unit_code": lonely.unit_code + "00", "unit_en": lonely.unit_en, "unit_ar": lonely.unit_ar,
        "admin1_code": lonely.unit_code, "admin1_en": lonely.unit_en, "admin1_ar": lonely.unit_ar,
        "country": lonely.country, "geometry": lonely.geometry}, geometry="geometry", crs="EPSG:4326")
    return pd.concat([out, extra], ignore_index=True)


def _polygonal(geom):
    """Keep only the polygon parts of a repaired geometry (make_valid can return collections)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


class AdminLookup:
    """Vectorised point-in-polygon lookup of admin1/2/3 units (STRtree per level)."""

    def __init__(self) -> None:
        self._levels = {lvl: admin_units(lvl) for lvl in LEVELS}
        self._trees = {lvl: STRtree(gdf.geometry.values) for lvl, gdf in self._levels.items()}

    def _match(self, level: str, pts: np.ndarray) -> np.ndarray:
        """Index of the unit containing each point, or -1."""
        out = np.full(len(pts), -1, dtype=np.int64)
        if len(pts) == 0:
            return out
        tree = self._trees[level]
        valid = ~shapely.is_missing(pts) & ~shapely.is_empty(pts)
        idx = np.flatnonzero(valid)
        if idx.size == 0:
            return out
        src, dst = tree.query(pts[idx], predicate="intersects")
        # first hit wins (points on a shared edge touch two units)
        first = pd.Series(dst).groupby(src).min()
        out[idx[first.index.to_numpy()]] = first.to_numpy()
        missing = idx[out[idx] < 0]
        if missing.size:
            s2, d2 = tree.query_nearest(pts[missing], max_distance=_NEAREST_DEG, all_matches=False)
            out[missing[s2]] = d2
        return out

    def lookup(self, lat, lon) -> pd.DataFrame:
        """Admin codes and names (en/ar) for each (lat, lon); NaN coordinates give nulls."""
        lat = np.asarray(lat, dtype="float64")
        lon = np.asarray(lon, dtype="float64")
        ok = np.isfinite(lat) & np.isfinite(lon)
        pts = np.full(len(lat), None, dtype=object)
        pts[ok] = shapely.points(lon[ok], lat[ok])
        res = pd.DataFrame(index=range(len(lat)))
        for lvl, cols in (("admin1", ["country", "unit_code", "unit_en", "unit_ar"]),
                          ("admin2", ["unit_code", "unit_en", "unit_ar"]),
                          ("admin3", ["unit_code", "unit_en", "unit_ar"])):
            hit = self._match(lvl, pts)
            gdf = self._levels[lvl]
            for col in cols:
                vals = gdf[col].to_numpy(dtype=object)
                name = col if col == "country" else f"{lvl}_{col.split('_')[1]}"
                res[name] = np.where(hit >= 0, vals[np.clip(hit, 0, None)], None)
        return res[["country", "admin1_code", "admin1_en", "admin1_ar", "admin2_code", "admin2_en",
                    "admin2_ar", "admin3_code", "admin3_en", "admin3_ar"]]


@lru_cache(maxsize=1)
def admin_lookup() -> AdminLookup:
    """The process-wide lookup (polygons are loaded once)."""
    return AdminLookup()


def priogrid_gid(lat, lon) -> np.ndarray:
    """PRIO-GRID v2 cell ids (0.5°, numbered from 1 at lat -90, lon -180, row-major); -1 where missing."""
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    ok = np.isfinite(lat) & np.isfinite(lon)
    row = np.floor((np.clip(lat, -90, 89.999999) + 90) * 2)
    col = np.floor((np.clip(lon, -180, 179.999999) + 180) * 2)
    gid = row * 720 + col + 1
    return np.where(ok, gid, -1).astype(np.int64)


def priogrid_centroid(gid) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of the centre of PRIO-GRID cells."""
    g = np.asarray(gid, dtype=np.int64) - 1
    row, col = np.divmod(g, 720)
    return row * 0.5 - 90 + 0.25, col * 0.5 - 180 + 0.25
