"""All context layers as one table per unit (admin1, admin2 or PRIO-GRID cell), plus the monthly calendar.

``unit_features`` is static: layer positions are not dated (pipeline and facility statuses are those of
2024/25), so they describe *where* things are, not when they operated.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from rasid.context._base import NEAR_KM, area_share, count_within, data_path, dist_km, length_within_km, to_km
from rasid.context.calendar import calendar_features
from rasid.context.control import disputed_districts
from rasid.context.corridors import ROUTE_KM, border_line, crossings, routes
from rasid.context.detention import detention_sites
from rasid.context.oil import oil_sites, pipelines
from rasid.context.population import unit_population
from rasid.geo.gazetteer import cache_dir
from rasid.geo.units import unit_frame

__all__ = ["unit_features", "calendar_features", "FEATURES", "LAYER_SOURCES"]

# feature -> (objective, description); the objective ids are those of motive extraction
FEATURES: dict[str, tuple[str, str]] = {
    "n_oil_sites": ("oil", "oil/gas sites inside the unit (GOGET units within 2 km count once)"),
    "n_oil_sites_25km": ("oil", "oil/gas sites within 25 km of the unit"),
    "dist_oil_km": ("oil", "km from the unit to the nearest oil/gas site (0 inside)"),
    "oil_prod_boe_y": ("oil", "GOGET production of the unit's sites, million boe/year (latest reported)"),
    "pipeline_km": ("oil", "km of existing (non-proposed) GEM oil/gas pipeline routes inside the unit"),
    "disputed": ("disputed_territory", "share of the unit in Article 140 disputed districts (partial scope 0.5)"),
    "dist_border_km": ("corridor", "km to the Iraq–Syria border"),
    "dist_crossing_km": ("corridor", "km to the nearest Iraq–Syria crossing (official or informal)"),
    "dist_route_km": ("corridor", "km to the Kirkuk–Mosul–Deir ez-Zor route triangle (straight segments)"),
    "on_route": ("corridor", "1 if within 25 km of the route triangle"),
    "dist_detention_km": ("prisoners", "km to the nearest prison/camp holding (or having held) IS members"),
    "n_detention_25km": ("prisoners", "such sites within 25 km"),
    "population": ("social_base", "sum of GeoNames place populations in the unit (proxy)"),
    "log_population": ("social_base", "log(1 + population) (proxy)"),
    "n_places": ("social_base", "populated places in the unit (settlement density proxy)"),
}

LAYER_SOURCES: dict[str, str] = {
    "oil": "GEM GOGET 2025-02 (CC BY 4.0) + rasid supplement (URL per row) + Horn (2014) giant fields; "
           "GEM GOIT/GGIT pipelines (CC BY 4.0)",
    "disputed_territory": "Article 140 districts, curated from public descriptions (not an official boundary)",
    "corridor": "OCHA COD-AB admin-1 border; Wikipedia-module crossings (CC BY-SA); GeoNames hub points",
    "prisoners": "rasid detention list, Wikipedia/GeoNames coordinates, URL per row",
    "social_base": "GeoNames populated places (CC BY 4.0) — a proxy, not a census",
    "political_calendar": "rasid political calendar 2005–2025, URL per row",
}


_CACHE_VERSION = "1"


@lru_cache(maxsize=1)
def _data_hash() -> str:
    """Hash of every bundled file the layers are computed from: a cached table is reused only for the same data."""
    h = hashlib.sha256(_CACHE_VERSION.encode())
    files = [*data_path("context").glob("*"), *data_path("geo").glob("*.geojson"),
             *data_path("geo", "context").glob("*"), data_path("geo", "gazetteer_iq_sy.csv.gz")]
    for f in sorted(p for p in files if p.is_file()):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=16)
def _features(unit: str, countries: tuple[str, ...]) -> pd.DataFrame:
    """The layer table, from the disk cache ($RASID_CACHE) when it was built from the same bundled data."""
    path = cache_dir() / "context" / f"unit_features_{unit}_{'-'.join(countries) or 'all'}_{_data_hash()}.parquet"
    if path.is_file():
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError):
            pass  # a damaged cache file is rebuilt below
    out = _compute(unit, countries)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        out.to_parquet(tmp, index=False)
        os.replace(tmp, path)  # atomic: concurrent runs never read a half-written file
    except OSError:
        pass  # no writable cache: compute every time
    return out


def _compute(unit: str, countries: tuple[str, ...]) -> pd.DataFrame:
    uf = unit_frame(unit, list(countries) if countries else None)
    out = pd.DataFrame(uf.drop(columns="geometry")).reset_index(drop=True)
    out["area_km2"] = to_km(uf).geometry.area.to_numpy()
    oil = oil_sites()
    out["n_oil_sites"] = count_within(uf, oil)
    out["n_oil_sites_25km"] = count_within(uf, oil, NEAR_KM)
    out["dist_oil_km"] = dist_km(uf, oil)
    prod = oil[oil.prod_boe_y.notna()]
    out["oil_prod_boe_y"] = _sum_within(uf, prod, "prod_boe_y")
    out["pipeline_km"] = length_within_km(uf, pipelines())
    dis = disputed_districts()
    out["disputed"] = area_share(uf, dis, dis["weight"].to_numpy()).round(3)
    out["dist_border_km"] = dist_km(uf, border_line())
    out["dist_crossing_km"] = dist_km(uf, crossings())
    out["dist_route_km"] = dist_km(uf, routes())
    out["on_route"] = (out["dist_route_km"] <= ROUTE_KM).astype(int)
    det = detention_sites()
    out["dist_detention_km"] = dist_km(uf, det)
    out["n_detention_25km"] = count_within(uf, det, NEAR_KM)
    pop = unit_population(uf)
    out["population"] = pop["population"].to_numpy()
    out["log_population"] = np.log1p(out["population"])
    out["n_places"] = pop["n_places"].to_numpy()
    return out


def _sum_within(units, pts, column: str) -> np.ndarray:
    """Per unit, the sum of ``column`` over the points inside it."""
    if pts.empty:
        return np.zeros(len(units))
    tree = shapely.STRtree(pts.geometry.values)
    src, dst = tree.query(units.geometry.values, predicate="intersects")
    return np.bincount(src, weights=pts[column].to_numpy()[dst], minlength=len(units))


def unit_features(unit: str = "admin2", countries: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per unit of the region: ids (``unit_code, unit_en, unit_ar, country, admin1_*``), ``area_km2`` and the
    layer columns of :data:`FEATURES` (distances in km, counts, shares)."""
    ctry = tuple(sorted(c.upper() for c in countries)) if countries else ()
    return _features(unit, ctry).copy()
