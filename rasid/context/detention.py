"""Detention layer: prisons and camps that hold (or held) IS members, with coordinate basis and precision.

Uses ``rasid/data/context/detention_sites_camps_iq_sy.csv`` (per-row source URLs); the older
settlement-proxy list in ``geo/context`` is superseded by it. Sites are not dated: historic ones
(Camp Bucca, Abu Ghraib) count for every period.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

from rasid.context._base import points, read_csv

__all__ = ["detention_sites"]


@lru_cache(maxsize=1)
def _sites() -> gpd.GeoDataFrame:
    d = read_csv("context", "detention_sites_camps_iq_sy.csv")
    d["source"] = d["coord_source_url"]
    d["historic"] = d["kind"].str.contains("historic") | d["status_note"].fillna("").str.contains("closed")
    return points(d)


def detention_sites(include_historic: bool = True) -> gpd.GeoDataFrame:
    """Prisons/camps: ``site, site_ar, kind, country, status_note, lat, lon, coord_basis, precision_km, historic, source``."""
    s = _sites()
    return (s if include_historic else s[~s.historic]).copy()
