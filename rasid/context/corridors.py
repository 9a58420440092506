"""Corridor layer: the Iraq–Syria border, its crossings, and the Kirkuk–Mosul–Deir ez-Zor route triangle.

The border is the shared edge of the bundled Iraq and Syria admin-1 polygons. The "main routes" are a
documented geometric abstraction, not a road network (no open road data is bundled): the three straight
segments joining the GeoNames points of Kirkuk, Mosul and Deir ez-Zor (``corridor_hubs_iq_sy.csv``).
A unit is ``on_route`` when its polygon lies within 25 km of one of them.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import geopandas as gpd
import shapely

from rasid.context._base import points, read_csv
from rasid.geo.admin import admin_units

__all__ = ["border_line", "crossings", "route_hubs", "routes", "ROUTE_KM"]

ROUTE_KM = 25.0


@lru_cache(maxsize=1)
def _border() -> gpd.GeoDataFrame:
    adm = admin_units("admin1")
    iq = shapely.union_all(adm[adm.country == "IQ"].geometry.values)
    sy = shapely.union_all(adm[adm.country == "SY"].geometry.values)
    line = shapely.intersection(shapely.boundary(iq), shapely.buffer(sy, 0.03))  # ~3 km tolerance for file gaps
    return gpd.GeoDataFrame({"name": ["Iraq–Syria border"], "source": ["rasid/data/geo/admin1.geojson (OCHA COD-AB)"]},
                            geometry=[line], crs="EPSG:4326")


def border_line() -> gpd.GeoDataFrame:
    """The Iraq–Syria border as one line feature (from the bundled admin-1 polygons)."""
    return _border().copy()


@lru_cache(maxsize=1)
def _crossings() -> gpd.GeoDataFrame:
    c = read_csv("geo", "context", "border_crossings_iq_sy.csv")
    c["source"] = "https://en.wikipedia.org/wiki/Module:Syrian_and_Iraqi_insurgency_detailed_map"
    return points(c)


def crossings(official_only: bool = False) -> gpd.GeoDataFrame:
    """Iraq–Syria border crossings (``kind`` official/informal, ``coord_basis``, ``source``)."""
    c = _crossings()
    return (c[c.kind == "official"] if official_only else c).copy()


@lru_cache(maxsize=1)
def _hubs() -> gpd.GeoDataFrame:
    return points(read_csv("context", "corridor_hubs_iq_sy.csv"))


def route_hubs() -> gpd.GeoDataFrame:
    """The hub cities of the route triangle (GeoNames points, source URL per row)."""
    return _hubs().copy()


def routes() -> gpd.GeoDataFrame:
    """The straight route segments between every pair of hubs (``route``, ``source``)."""
    h = _hubs()
    rows = []
    for a, b in combinations(range(len(h)), 2):
        rows.append({"route": f"{h.hub[a]}–{h.hub[b]}", "source": f"{h.source[a]} {h.source[b]}",
                     "geometry": shapely.LineString([h.geometry[a], h.geometry[b]])})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
