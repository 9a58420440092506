"""Named analyst regions that are not admin units (Syrian Badia, Anbar desert, Hamrin mountains ...).

Each region is a centroid, a rough radius and the admin units it covers, with the public page it is
described on (``rasid/data/geo/regions.csv``). They enter the gazetteer as places of feature type
``region`` so the geocoder resolves "البادية السورية" or "the Hamrin mountains" with precision
``region``; the first admin codes listed are the primary ones reported for the region.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from rasid.errors import GeoError

__all__ = ["region_table", "region"]

_REQUIRED = ("region_id", "name_en", "name_ar", "variants", "country", "lat", "lon", "radius_km",
             "admin1_codes", "admin2_codes", "source_url")


def _path() -> Path:
    return Path(str(resources.files("rasid") / "data" / "geo" / "regions.csv"))


@lru_cache(maxsize=1)
def region_table() -> pd.DataFrame:
    """All named regions: ``region_id, name_en, name_ar, variants (list), country, lat, lon,
    radius_km, admin1_codes (list), admin2_codes (list), source_url, note``."""
    path = _path()
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # pragma: no cover - broken install
        raise GeoError(f"cannot read regions: {exc}", path=path) from exc
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise GeoError(f"missing columns {', '.join(missing)}", path=path)
    for i, r in df.iterrows():
        if not r["source_url"].startswith("http"):
            raise GeoError(f"region {r['region_id']!r} has no source URL", path=path, line=int(i) + 2)
    df = df.copy()
    for c in ("variants", "admin1_codes", "admin2_codes"):
        df[c] = df[c].map(lambda s: [x.strip() for x in s.split("|") if x.strip()])
    for c in ("lat", "lon", "radius_km"):
        df[c] = pd.to_numeric(df[c]).astype(float)
    return df


def region(region_id: str) -> dict:
    """One region as a dict; raises :class:`GeoError` for an unknown id."""
    df = region_table()
    hit = df[df["region_id"] == region_id]
    if hit.empty:
        raise GeoError(f"unknown region {region_id!r}", path=_path())
    return hit.iloc[0].to_dict()
