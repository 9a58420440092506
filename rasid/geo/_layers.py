"""Extra place layers of the gazetteer, merged into the GeoNames/WOF places by name and distance.

* ``geo/ucdp_locations_iq_sy.csv.gz`` - places UCDP GED coders located exactly (``where_prec`` 1), from
  the build years of the bundled GED rows (see tests/data/geo/build_ucdp_sets.py): villages, towns,
  suburbs, checkpoints, bases, airports, dams, fields, farms …, with their type word;
* ``context/power_plants_gem_gogpt_iq_sy.csv`` (GEM, with Arabic names) and
  ``context/power_plants_wri_gppd_iq_sy.csv`` (WRI) - power stations.

A layer row whose romanisation key (:func:`rasid.lang.translit.rom_key`) equals that of a place already
known within 5 km (3 km for power plants) becomes a name of that place, which then lists both sources;
otherwise it is a new place with admin units from the shared point-in-polygon lookup. Private to
:mod:`rasid.geo.gazetteer`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rasid.geo.admin import admin_lookup
from rasid.lang.translit import rom_key

_UCDP_TYPES = {
    "village": "village", "villge": "village", "town": "town", "city": "city", "suburb": "neighbourhood",
    "neighbourhood": "neighbourhood", "neighborhood": "neighbourhood", "quarter": "neighbourhood",
    "locality": "village", "area": "area", "base": "military_base", "airbase": "military_base",
    "brigade": "military_base", "airport": "airport", "field": "oil_field", "fields": "oil_field",
    "oilfield": "oil_field", "dam": "dam", "reservoir": "dam", "mountain": "mountain", "mountains": "mountain",
    "hill": "mountain", "checkpoint": "checkpoint", "camp": "camp", "farm": "farm", "farms": "farm",
    "station": "station", "plant": "power_station", "prison": "prison", "bridge": "bridge",
    "complex": "landmark", "factory": "landmark", "crossroad": "landmark", "ruins": "landmark",
    "shrine": "landmark", "castle": "landmark", "hospital": "landmark",
}
# linear or areal features (a point says little): left out of the layer
_SKIP_TYPES = frozenset({"road", "highway", "river", "lake", "island", "plain", "desert"})
# a type word anywhere in an untyped name ("Ain Assad Air Base", "Bayji Oil Refinery")
_INNER = (("checkpoint", "checkpoint"), ("air base", "military_base"), ("airbase", "military_base"),
          ("base", "military_base"), ("airport", "airport"), ("refinery", "refinery"), ("silo", "silo"),
          ("dam", "dam"), ("bridge", "bridge"), ("power plant", "power_station"),
          ("power station", "power_station"), ("oil field", "oil_field"), ("gas field", "gas_field"),
          ("camp", "camp"), ("prison", "prison"), ("division", "military_base"), ("brigade", "military_base"),
          ("regiment", "military_base"), ("jabal", "mountain"), ("jebel", "mountain"))
_MERGE_KM = 5.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.0
    dx = (lon2 - lon1) * 111.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def _feature(type_word: str, name: str) -> str | None:
    tw = (type_word or "").lower()
    if tw in _SKIP_TYPES:
        return None
    if tw in _UCDP_TYPES:
        return _UCDP_TYPES[tw]
    low = f" {name.lower()} "
    for word, feat in _INNER:
        if f" {word} " in low:
            return feat
    return "locality"


class _Merger:
    """Romanisation key -> known places (non-admin), to merge a layer row into a place within a radius."""

    def __init__(self, b: Any) -> None:
        self.b = b
        self.by_key: dict[str, list[int]] = {}
        admin = {"governorate", "district", "subdistrict", "region"}
        for _key, _loose, pid, name, lang in b.names:
            if lang == "en" and b.places[pid]["feature_type"] not in admin:
                k = rom_key(name)
                if len(k) >= 3:
                    lst = self.by_key.setdefault(k, [])
                    if not lst or lst[-1] != pid:
                        lst.append(pid)

    def find(self, names: list[str], lat: float, lon: float, radius: float) -> int | None:
        best: tuple[float, int] | None = None
        for n in names:
            for pid in self.by_key.get(rom_key(n), ()):
                p = self.b.places[pid]
                dist = _km(lat, lon, float(p["lat"]), float(p["lon"]))
                if dist <= radius and (best is None or dist < best[0]):
                    best = (dist, pid)
        return best[1] if best else None

    def add(self, pid: int, names: list[str]) -> None:
        for n in names:
            k = rom_key(n)
            if len(k) >= 3:
                self.by_key.setdefault(k, []).append(pid)


def _admin(lat: np.ndarray, lon: np.ndarray) -> pd.DataFrame:

    return admin_lookup().lookup(lat, lon)


def _add(b: Any, m: _Merger, names: list[str], names_ar: list[str], feat: str, lat: float, lon: float,
         adm: dict, source: str, prior: Callable[[str, int], float], radius: float, bonus: float = 0.0) -> None:
    """Merge one layer row into a known place, or add it as a new place."""
    names = [n for n in dict.fromkeys(x.strip() for x in names) if n]
    if not names:
        return
    pid = m.find(names, lat, lon, radius)
    if pid is not None:
        row = b.places[pid]
        if source not in (row["sources"] or "").split(";"):
            row["sources"] = f"{row['sources']};{source}" if row["sources"] else source
        for n in names + names_ar:
            b.add_name(pid, n)
        return
    a1 = adm.get("admin1_code")
    if not isinstance(a1, str) or not a1:
        return
    def val(k: str) -> str | None:
        v = adm.get(k)
        return v if isinstance(v, str) and v else None

    pid = b.add_place(name=names[0], name_ar=names_ar[0] if names_ar else None, feature_type=feat,
                      country=val("country"), lat=lat, lon=lon, population=0,
                      admin1_code=a1, admin1_en=val("admin1_en"), admin1_ar=val("admin1_ar"),
                      admin2_code=val("admin2_code"), admin2_en=val("admin2_en"), admin2_ar=val("admin2_ar"),
                      admin3_code=val("admin3_code"), admin3_en=val("admin3_en"), admin3_ar=val("admin3_ar"),
                      prior=round(prior(feat, 0) + bonus, 4), source=source)
    for n in names + names_ar:
        b.add_name(pid, n)
    m.add(pid, names)


def _ucdp(b: Any, m: _Merger, d: Path, prior: Callable[[str, int], float]) -> None:
    df = pd.read_csv(d / "geo" / "ucdp_locations_iq_sy.csv.gz", dtype=str, keep_default_na=False)
    lat = pd.to_numeric(df.lat).to_numpy()
    lon = pd.to_numeric(df.lon).to_numpy()
    adm = _admin(lat, lon).to_dict("records")
    for i, r in enumerate(df.to_dict("records")):
        feat = _feature(r["type_word"], r["name"])
        if feat is None:
            continue
        alts = [p for p in re.split(r"\s*/\s*|\s*\(\s*|\s*\)\s*", r["name"]) if p.strip()]
        n_ev = int(r["n_events"] or 0)
        # places coders named in several events are a little more likely to be named again
        bonus = 0.05 * min(1.0, math.log10(n_ev + 1) / 2)
        _add(b, m, alts, [], feat, float(lat[i]), float(lon[i]), adm[i], "ucdp-ged", prior, _MERGE_KM, bonus)


def _power(b: Any, m: _Merger, d: Path, prior: Callable[[str, int], float]) -> None:
    gem = pd.read_csv(d / "context" / "power_plants_gem_gogpt_iq_sy.csv", dtype=str, keep_default_na=False)
    gem = gem.drop_duplicates("project")
    wri = pd.read_csv(d / "context" / "power_plants_wri_gppd_iq_sy.csv", dtype=str, keep_default_na=False)
    for df, source, en_col, ar_col in ((gem, "gem-gogpt", "project", "project_loc"),
                                       (wri, "wri-gppd", "name", None)):
        df = df[pd.to_numeric(df.lat, errors="coerce").notna() & pd.to_numeric(df.lon, errors="coerce").notna()]
        lat = pd.to_numeric(df.lat).to_numpy()
        lon = pd.to_numeric(df.lon).to_numpy()
        adm = _admin(lat, lon).to_dict("records")
        for i, r in enumerate(df.to_dict("records")):
            en = r[en_col]
            names = [en]
            bare = re.sub(r"\b(?:power\s+(?:plant|station)|thermal|gas|ccgt|ocgt|steam|station|plant|"
                          r"diesel|hydro(?:electric)?|\(\w+\))\b", " ", en, flags=re.I)
            bare = re.sub(r"\s+", " ", bare).strip(" -,")
            if bare and bare != en and len(bare) >= 4:
                names.append(f"{bare} power station")
            names_ar = [x for x in re.split(r"\s*[,،]\s*", r[ar_col]) if x] if ar_col else []
            _add(b, m, names, names_ar, "power_station", float(lat[i]), float(lon[i]), adm[i], source, prior,
                 3.0)


def add_layers(b: Any, d: Path, prior: Callable[[str, int], float]) -> None:
    """Add the UCDP-coded locations and the power plants to the builder ``b`` (see the module doc)."""
    m = _Merger(b)
    _ucdp(b, m, d, prior)
    _power(b, m, d, prior)
