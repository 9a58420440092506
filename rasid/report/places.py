"""Places as readers know them: the towns and sites where a unit's events are, and where that is.

A district name alone misleads: "Duma" makes a reader think of the town in Eastern Ghouta while the
group's events there were at Tulul al-Safa in the desert 90 km south-east of Damascus. For each place
the brief names the sites of its events (the events' own place names, ``location``, with their Arabic
names from the gazetteer when a place of that whole name lies near the events' coordinates) and a locator
relative to the nearest reference town (``rasid/data/report/reference_towns.csv``); sites the gazetteer lacks
in Arabic take their cited name from ``site_names_ar.csv``. A site keeps its Latin name only when the data
has no Arabic one: names are never translated or transliterated here. Arabic unit names get the standard
hamza spelling (``rasid/data/report/place_spellings_ar.csv``, each spelling with its source).
"""

from __future__ import annotations

import csv
import math
import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from rasid.geo import geocode, load_gazetteer
from rasid.geo.gazetteer import strip_qualifiers
from rasid.lang.normalize import normalize_name
from rasid.lang.translit import edit_distance, rom_skeleton, rom_skeleton_ar
from rasid.report.arabic import has_arabic

__all__ = ["ar_spelling", "event_sites_ar", "place_sites", "reference_towns", "site_name", "site_name_ar",
           "BEARINGS"]

_PRECISE = {"exact", "near"}
# location strings that name an area, not a site (UCDP "Rif Dimashq Governorate", "IS enclave")
_AREA = re.compile(r"\b(governorate|province|district|region|enclave|countryside|desert|area|border|front|"
                   r"frontline|outskirts|suburbs|sector|pocket)\b", re.I)
_SUFFIX = re.compile(r"\s+(town|village|city|hamlet|neighbou?rhood|camp|settlement|area)$", re.I)
BEARINGS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
_NEAR_KM = 12.0  # closer than this to a reference town: "near <town>" without a distance
_SITE_KM = 20.0  # a gazetteer place this close to the events may lend its Arabic name


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    text = (resources.files("rasid") / "data" / "report" / "place_spellings_ar.csv").read_text(encoding="utf-8")
    return {r["plain"]: r["standard"] for r in csv.DictReader(text.splitlines())}


def ar_spelling(name: object) -> str:
    """An Arabic place name with the standard spelling (``الانبار`` -> ``الأنبار``); other text unchanged.

    Whole names are replaced, and so are whole words of longer names (``مركز الانبار``).
    """
    if not isinstance(name, str) or not name:
        return "" if name is None or (isinstance(name, float) and name != name) else str(name)
    table = _spellings()
    if name in table:
        return table[name]
    words = name.split(" ")
    return " ".join(table.get(w, w) for w in words)


@lru_cache(maxsize=1)
def _site_names() -> dict[str, str]:
    """Arabic names of sites the gazetteer lacks, each with its source (``site_names_ar.csv``)."""
    text = (resources.files("rasid") / "data" / "report" / "site_names_ar.csv").read_text(encoding="utf-8")
    return {normalize_name(r["site_en"]): r["name_ar"] for r in csv.DictReader(text.splitlines())}


@lru_cache(maxsize=1)
def reference_towns() -> pd.DataFrame:
    """Reference towns (``name_en, name_ar, country, lat, lon``) for locating sites ("90 km south-east of Damascus")."""
    path = resources.files("rasid") / "data" / "report" / "reference_towns.csv"
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh)


def _km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def _bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> str:
    """8-point compass direction from point 1 to point 2."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    deg = (math.degrees(math.atan2(x, y)) + 360) % 360
    return BEARINGS[int((deg + 22.5) // 45) % 8]


def locator(lat: float, lon: float) -> dict | None:
    """Where a point is relative to the nearest reference town: ``{town_en, town_ar, km, bearing, near}``."""
    towns = reference_towns()
    if towns.empty or lat != lat or lon != lon:
        return None
    d = _km(lat, lon, towns["lat"].to_numpy(), towns["lon"].to_numpy())
    i = int(np.argmin(d))
    t = towns.iloc[i]
    km = float(d[i])
    step = 5 if km < 50 else 10
    return {"town_en": t["name_en"], "town_ar": t["name_ar"], "km": int(round(km / step) * step),
            "bearing": _bearing(float(t["lat"]), float(t["lon"]), lat, lon), "near": km < _NEAR_KM}


def site_name(location: object) -> str | None:
    """The site in a source's place name ('Hajin town' -> 'Hajin'); None for areas ('Rif Dimashq Governorate')."""
    if not isinstance(location, str) or not location.strip():
        return None
    name = location.split("/")[0].strip()
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if _AREA.search(name):
        return None
    name = _SUFFIX.sub("", name).strip(" ,;")
    return name or None


def site_name_ar(name: str | None, country: str | None, lat: float, lon: float) -> str | None:
    """The Arabic name of a site (as :func:`site_name` gives it) whose events lie at ``lat, lon``: the name
    itself when it is already Arabic, a cited name (``site_names_ar.csv``), or the Arabic-script name of a
    gazetteer place of that whole name within a few km of the events; None when the data has none."""
    if not name:
        return None
    if has_arabic(name):
        return ar_spelling(name)
    cited = _site_names().get(normalize_name(name))
    if cited:
        return cited
    if lat != lat or lon != lon:
        return None
    try:
        cands = geocode(name, country=country)
    except Exception:  # noqa: BLE001 - a name the geocoder cannot read just stays in Latin script
        return None
    gaz = load_gazetteer()
    for c in cands:
        if c.place_id < 0 or c.lat != c.lat:
            continue
        label = gaz.display_ar(c.place_id)
        if label and _names_site(label, c.name, name) and \
                float(_km(lat, lon, np.array([c.lat]), np.array([c.lon]))[0]) <= _SITE_KM:
            return ar_spelling(label)
    return None


_SKEL_FOLD = str.maketrans("zg", "dk")  # ذ/ز/ظ are written d, dh or z; غ/ق g, gh, q or k


# type words that only say what kind of settlement a place is: a town's name still names "X village"
_SETTLEMENT = {None, "governorate", "district", "subdistrict", "city", "town", "village", "neighbourhood", "area"}


def _bare(name: str) -> str:
    """A name's key without type words ("Nahiyat al Karmah" -> "karma", "حقل العمر" -> "عمر")."""
    key = normalize_name(name)
    return strip_qualifiers(key)[0] or key


def _kind(name: str) -> str | None:
    """The kind of site a name's type word says ("Tiyas Military Airbase" -> military_base), else None."""
    return strip_qualifiers(normalize_name(name))[1]


def _names_site(label: str, place: str, site: str) -> bool:
    """Whether ``label``, the Arabic name of gazetteer place ``place``, names the whole of ``site``: the site
    is the place's own name, or the Arabic name's consonants are the site's (one slip allowed in four or
    more). So a place the geocoder found through part of the name ("Baghuz" for "Baghuz at-Tahtani") or
    through another of its names ("Al Hiri", an alternate name of Baghuz) lends no Arabic name, and neither
    does a town to a site of another kind named after it ("Tiyas Military Airbase" is not تياس)."""
    kind = _kind(site)
    if kind not in _SETTLEMENT and _kind(label) != kind:
        return False
    if _bare(place) == _bare(site):
        return True
    a = rom_skeleton(_bare(site)).translate(_SKEL_FOLD)
    b = rom_skeleton_ar(_bare(label)).translate(_SKEL_FOLD)
    return bool(a) and edit_distance(a, b, limit=2) <= (1 if len(a) >= 4 else 0)


def event_sites_ar(events: pd.DataFrame) -> list[str | None]:
    """Per event (``location, country, lat, lon``): the Arabic name of its site (:func:`site_name_ar`)."""
    n = len(events)
    lat = pd.to_numeric(events["lat"], errors="coerce") if "lat" in events else pd.Series([np.nan] * n)
    lon = pd.to_numeric(events["lon"], errors="coerce") if "lon" in events else pd.Series([np.nan] * n)
    country = events["country"] if "country" in events else pd.Series([None] * n)
    locations = events["location"] if "location" in events else pd.Series([None] * n)
    return [site_name_ar(site_name(loc), c if isinstance(c, str) else None, float(la), float(lo))
            for loc, c, la, lo in zip(locations, country, lat, lon, strict=True)]


def place_sites(events: pd.DataFrame, codes: list[str], unit: str, n: int = 3) -> dict[str, dict]:
    """Per unit code: its ``n`` main sites (name in both languages, events) and a locator of their centre.

    ``events`` are the window's events with ``location, lat, lon, geo_precision``; only precisely located
    events (exact or near) name sites. Returns ``{code: {"sites": [...], "site_events": k, "events": m,
    "locator": {...}}}``; a unit without precise events is left out.
    """
    key = {"admin1": "admin1_code", "admin2": "admin2_code", "grid": "priogrid_gid"}.get(unit)
    if events.empty or key not in events:
        return {}
    ev = events[events[key].astype(str).isin([str(c) for c in codes])
                & events["geo_precision"].isin(_PRECISE)].copy()
    if ev.empty:
        return {}
    ev["site"] = ev["location"].map(site_name)
    out: dict[str, dict] = {}
    for code, grp in ev.groupby(ev[key].astype(str)):
        named = grp[grp["site"].notna()]
        sites = []
        for site, g in sorted(named.groupby("site"), key=lambda kv: -len(kv[1]))[:n]:
            lat, lon = float(g["lat"].median()), float(g["lon"].median())
            ctry = g["country"].iloc[0] if "country" in g else None
            sites.append({"en": site, "ar": site_name_ar(site, ctry, lat, lon), "events": int(len(g)),
                          "lat": lat, "lon": lon})
        lat, lon = float(grp["lat"].median()), float(grp["lon"].median())
        out[code] = {"sites": sites, "site_events": int(sum(s["events"] for s in sites)), "events": int(len(grp)),
                     "locator": locator(lat, lon), "lat": lat, "lon": lon}
    return out
