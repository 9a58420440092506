"""Shared helpers of the context layers: bundled-data paths, point tables, distances in km."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from rasid.errors import GeoError

# Lambert azimuthal equal-area centred on the Iraq–Syria region: distances within ~1% over IQ/SY
CRS_KM = "+proj=laea +lat_0=34 +lon_0=42 +x_0=0 +y_0=0 +ellps=WGS84 +units=km +no_defs"
NEAR_KM = 25.0  # radius of the "near" counts


def data_path(*parts: str) -> Path:
    """Path of a bundled file under ``rasid/data``."""
    return Path(str(resources.files("rasid").joinpath("data", *parts)))


def read_csv(*parts: str, **kw) -> pd.DataFrame:
    """A bundled CSV, with a GeoError naming the file if it cannot be read."""
    path = data_path(*parts)
    try:
        return pd.read_csv(path, **kw)
    except (OSError, ValueError) as exc:
        raise GeoError(f"cannot read context layer: {exc}", path=path) from exc


def points(df: pd.DataFrame, lat: str = "lat", lon: str = "lon") -> gpd.GeoDataFrame:
    """Rows with coordinates as a point GeoDataFrame (EPSG:4326); rows without coordinates dropped."""
    ok = df[lat].notna() & df[lon].notna()
    d = df[ok].reset_index(drop=True)
    return gpd.GeoDataFrame(d, geometry=gpd.points_from_xy(d[lon], d[lat]), crs="EPSG:4326")


def to_km(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to the regional km CRS."""
    return gdf.to_crs(CRS_KM)


def dist_km(units: gpd.GeoDataFrame, feats: gpd.GeoDataFrame) -> np.ndarray:
    """Per unit, km from its polygon to the nearest feature (0 if a feature lies inside); inf if no features."""
    if feats.empty:
        return np.full(len(units), np.inf)
    u = to_km(units).geometry.values
    f = to_km(feats).geometry.values
    tree = shapely.STRtree(f)
    idx = tree.query_nearest(u, return_distance=True, all_matches=False)
    out = np.full(len(units), np.inf)
    out[idx[0][0]] = idx[1]
    return out


def count_within(units: gpd.GeoDataFrame, feats: gpd.GeoDataFrame, km: float = 0.0) -> np.ndarray:
    """Per unit, the number of features inside its polygon buffered by ``km``."""
    if feats.empty:
        return np.zeros(len(units), dtype=int)
    u = to_km(units).geometry.values
    if km > 0:
        u = shapely.buffer(shapely.simplify(u, 0.5), km, quad_segs=4)
    tree = shapely.STRtree(to_km(feats).geometry.values)
    src, _ = tree.query(u, predicate="intersects")
    return np.bincount(src, minlength=len(units)).astype(int)


def length_within_km(units: gpd.GeoDataFrame, lines: gpd.GeoDataFrame) -> np.ndarray:
    """Per unit, km of ``lines`` inside its polygon (overlapping lines counted once)."""
    if lines.empty:
        return np.zeros(len(units))
    merged = shapely.union_all(to_km(lines).geometry.values)
    return shapely.length(shapely.intersection(to_km(units).geometry.values, merged))


def area_share(units: gpd.GeoDataFrame, polys: gpd.GeoDataFrame, weight: np.ndarray | None = None) -> np.ndarray:
    """Per unit, the (weighted) share of its area covered by ``polys``."""
    if polys.empty:
        return np.zeros(len(units))
    u = shapely.make_valid(to_km(units).geometry.values)
    p = shapely.make_valid(to_km(polys).geometry.values)
    w = np.ones(len(p)) if weight is None else np.asarray(weight, float)
    area = shapely.area(u)
    out = np.zeros(len(units))
    tree = shapely.STRtree(p)
    src, dst = tree.query(u, predicate="intersects")
    for a, b in zip(src, dst, strict=True):
        out[a] += w[b] * shapely.area(shapely.intersection(u[a], p[b]))
    return np.clip(np.divide(out, area, out=np.zeros_like(out), where=area > 0), 0, 1)
