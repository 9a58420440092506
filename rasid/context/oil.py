"""Oil and gas layer: extraction sites (GEM GOGET + cited supplement + Horn giant fields) and pipelines (GEM GOIT/GGIT).

GOGET units within 2 km of each other (shared placeholders, duplicate spellings such as Qayara/Qaiyarah)
are collapsed into one site; Horn (2014) giant-field centroids are added only where no GOGET/supplement
site lies within 10 km and no site carries the same field name.
Every row keeps a public ``source`` URL. Statuses are those of 2024/25, not of the analysed years.
"""

from __future__ import annotations

import re
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from rasid.context._base import data_path, points, read_csv, to_km
from rasid.errors import GeoError
from rasid.lang.normalize import loose_key

__all__ = ["oil_sites", "pipelines", "PIPELINE_STATUSES"]

_HORN_URL = ("https://github.com/muratk5n/thirdwave/blob/c9f334a0191a96ffcb15110edef4442a32b32955/"
             "en/2022/01/oilgas-2018.csv")
_HORN_DEDUP_KM = 10.0
_SAME_SITE_KM = 2.0  # GOGET units closer than this are one site (shared placeholders, duplicate spellings)
# pipeline statuses that mean "a line existed on the ground" (proposed/cancelled/shelved lines are dropped)
PIPELINE_STATUSES = ("operating", "idle", "mothballed", "retired", "shut in", "shut-in")
_SITE_COLS = ["site", "country", "lat", "lon", "kind", "n_units", "prod_boe_y", "location_accuracy", "origin", "source"]


def _goget() -> pd.DataFrame:
    """GOGET units with coordinates in IQ/SY, collapsed to one row per site (units within 2 km)."""
    g = read_csv("context", "oil_gas_fields_gem_goget_iq_sy.csv")
    g = g[g.adm_country.isin(["IQ", "SY"]) & g.lat.notna()].copy()
    g = g.reset_index(drop=True)
    g["key"] = _clusters(to_km(points(g)), _SAME_SITE_KM)
    agg = g.groupby("key", sort=False).agg(
        site=("name", lambda s: "; ".join(dict.fromkeys(s))),
        country=("adm_country", "first"), lat=("lat", "first"), lon=("lon", "first"),
        n_units=("unit_id", "size"), prod_boe_y=("prod_total_million_boe_y", lambda s: s.sum(min_count=1)),
        location_accuracy=("location_accuracy", "first"),
        source=("gem_wiki_url", lambda s: " | ".join(dict.fromkeys(s.dropna()))),
    ).reset_index(drop=True)
    return agg.assign(kind="oil/gas extraction unit", origin="GEM GOGET 2025-02")


def _clusters(pts: gpd.GeoDataFrame, km: float) -> np.ndarray:
    """Single-linkage cluster label per point: points within ``km`` of each other share a label."""
    parent = list(range(len(pts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    src, dst = shapely.STRtree(pts.geometry.values).query(pts.geometry.values, predicate="dwithin", distance=km)
    for a, b in zip(src, dst, strict=True):
        parent[find(a)] = find(b)
    return np.array([find(i) for i in range(len(pts))])


def _supplement() -> pd.DataFrame:
    """Cited supplement sites that have a coordinate."""
    s = read_csv("context", "oil_gas_sites_supplement_iq_sy.csv")
    s = s[s.lat.notna()]
    return pd.DataFrame({"site": s.site, "country": s.country, "lat": s.lat, "lon": s.lon, "kind": s.kind,
                         "n_units": 1, "prod_boe_y": np.nan, "location_accuracy": s.coord_basis,
                         "origin": "rasid supplement (cited per row)",
                         "source": _first_url(s.coord_source_url, s.context_source_url)})


def _first_url(*cols: pd.Series) -> pd.Series:
    """Per row, the first value that is a URL; the Horn table URL when none is (its coordinates came from it)."""
    out = pd.Series(_HORN_URL, index=cols[0].index)
    for c in reversed(cols):
        ok = c.fillna("").astype(str).str.startswith("http")
        out = out.where(~ok, c)
    return out


def _horn() -> pd.DataFrame:
    """Horn (2014) giant-field centroids (IQ/SY)."""
    h = read_csv("geo", "context", "oil_gas_giant_fields_iq_sy.csv")
    return pd.DataFrame({"site": h.name, "country": h.iso3.map({"IRQ": "IQ", "SYR": "SY"}), "lat": h.lat,
                         "lon": h.lon, "kind": "giant " + h.field_type.str.lower() + " field", "n_units": 1,
                         "prod_boe_y": np.nan, "location_accuracy": "coarse centroid",
                         "origin": "Horn (2014) giant fields", "source": _HORN_URL})


def _tokens(name: str) -> list[str]:
    """Distinctive lower-case words of a field name (directions and generic words dropped)."""
    generic = {"west", "east", "north", "south", "field", "fields", "and", "oil", "gas"}
    return [t for t in re.findall(r"[a-z]+", name.lower()) if len(t) >= 4 and t not in generic]


@lru_cache(maxsize=1)
def _oil_sites() -> gpd.GeoDataFrame:
    base = pd.concat([_goget(), _supplement()], ignore_index=True)
    horn = _horn()
    bg, hg = to_km(points(base)), to_km(points(horn))
    d = shapely.STRtree(bg.geometry.values).query_nearest(hg.geometry.values, return_distance=True)[1]
    names = {loose_key(t) for n in base.site for t in _tokens(n)}
    same_name = horn.site.map(lambda n: bool(_tokens(n)) and all(loose_key(t) in names for t in _tokens(n)))
    extra = horn[(d > _HORN_DEDUP_KM) & ~same_name]
    return points(pd.concat([base, extra], ignore_index=True)[_SITE_COLS])


def oil_sites() -> gpd.GeoDataFrame:
    """Distinct oil/gas sites (GOGET units within 2 km merged): ``site, country, lat, lon, kind, n_units, prod_boe_y, ..., source``."""
    return _oil_sites().copy()


@lru_cache(maxsize=1)
def _pipelines() -> gpd.GeoDataFrame:
    path = data_path("context", "pipelines_gem_goit_ggit_iq_sy.geojson")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001 - any driver error is a data problem
        raise GeoError(f"cannot read pipelines: {exc}", path=path) from exc
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty].copy()
    gdf["status"] = gdf["status"].fillna("").str.lower()
    url = gdf["gem_wiki_url"].fillna("").astype(str)
    gdf["source"] = url.where(url.str.startswith("http"),
                              "https://github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes")
    return gdf.to_crs("EPSG:4326")


def pipelines(statuses: tuple[str, ...] | None = PIPELINE_STATUSES) -> gpd.GeoDataFrame:
    """GEM oil and gas pipeline routes touching IQ/SY, filtered to ``statuses`` (None: all)."""
    gdf = _pipelines()
    if statuses is not None:
        gdf = gdf[gdf.status.isin(statuses)]
    return gdf.copy()
