"""Contested-control layer: Iraq's Article 140 disputed districts (curated flag list, not an official boundary).

Front lines / areas of control over time are *not* bundled: no openly licensed, dated source was found
(see docs/context.md).
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

from rasid.context._base import read_csv
from rasid.geo.admin import admin_units

__all__ = ["disputed_districts"]

_BASIS_URL = "https://en.wikipedia.org/wiki/Disputed_territories_of_Northern_Iraq"
_SCOPE_WEIGHT = {"full": 1.0, "partial": 0.5}


@lru_cache(maxsize=1)
def _disputed() -> gpd.GeoDataFrame:
    d = read_csv("geo", "context", "iq_disputed_territories_districts.csv")
    d["weight"] = d["scope"].map(_SCOPE_WEIGHT).fillna(1.0)
    d["source"] = _BASIS_URL
    polys = admin_units("admin2")[["unit_code", "geometry"]]
    out = polys.merge(d, left_on="unit_code", right_on="adm2_code", how="inner")
    return gpd.GeoDataFrame(out.drop(columns="unit_code"), geometry="geometry", crs=polys.crs)


def disputed_districts() -> gpd.GeoDataFrame:
    """Article 140 districts with polygons: ``adm2_code, adm2_en, adm2_ar, scope, weight (1 full, 0.5 partial), source``."""
    return _disputed().copy()
