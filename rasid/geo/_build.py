"""Builder of the gazetteer tables (``places`` and ``names``) from the bundled files in ``rasid/data/geo`` and
``rasid/data/context``: admin units and their variant names, GeoNames/WOF populated places, context sites,
the extra layers (:mod:`rasid.geo._layers`) and named regions. Private to :mod:`rasid.geo.gazetteer`."""

from __future__ import annotations

import hashlib
import math
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from rasid.errors import GeoError
from rasid.geo._layers import add_layers
from rasid.geo._ocha import add_ocha_syria
from rasid.geo.admin import admin_lookup, admin_units
from rasid.geo.qualifiers import strip_qualifiers
from rasid.geo.regions import region_table
from rasid.lang.normalize import detect_script, loose_key, normalize_name

__all__ = ["FEATURE_PRIORS", "NAME_COLUMNS", "PLACE_COLUMNS", "build_tables", "inputs_sha256"]

_BUILD_VERSION = "geo-gazetteer-7"

#: prior plausibility of each feature type for a bare name (before population and context)
FEATURE_PRIORS: dict[str, float] = {
    "governorate": 1.0, "district": 0.9, "subdistrict": 0.8, "region": 0.75,
    "city": 0.8, "town": 0.6, "village": 0.45, "neighbourhood": 0.4, "locality": 0.4,
    "oil_field": 0.5, "gas_field": 0.5, "gas_plant": 0.5, "prison": 0.5, "camp": 0.5, "crossing": 0.5,
    "military_base": 0.5, "abandoned_place": 0.3, "farm": 0.3, "settlement": 0.4, "campus": 0.3,
    # sites events name (UCDP-coded locations, power plants): their own types
    "checkpoint": 0.45, "dam": 0.5, "bridge": 0.45, "airport": 0.5, "power_station": 0.5, "refinery": 0.5,
    "mountain": 0.45, "silo": 0.45, "station": 0.45, "area": 0.4, "landmark": 0.4,
}

_WEAK_FT = frozenset({"village", "locality", "abandoned_place", "farm", "settlement", "neighbourhood", "campus"})

PLACE_COLUMNS = [
    "place_id", "name", "name_ar", "feature_type", "country", "lat", "lon", "population",
    "admin1_code", "admin1_en", "admin1_ar", "admin2_code", "admin2_en", "admin2_ar",
    "admin3_code", "admin3_en", "admin3_ar", "prior", "source", "sources", "located", "display_ar",
]
NAME_COLUMNS = ["key", "loose", "place_id", "name", "lang"]

# --- data files --------------------------------------------------------------------------------------
_GEO_FILES = ("gazetteer_iq_sy.csv.gz", "ucdp_locations_iq_sy.csv.gz", "admin1.geojson", "admin2.geojson", "iq_admin3.geojson",
              "admin_names_geonames_iq_sy.csv", "admin_variants.csv", "regions.csv", "site_names_ar.csv",
              "context/border_crossings_iq_sy.csv", "context/key_sites_settlement_proxies.csv",
              "context/oil_gas_giant_fields_iq_sy.csv", "ocha_syr_admin3.csv", "ocha_syr_admin2_crosswalk.csv",
              "ocha_syr_communities_aleppo.csv")
_CONTEXT_FILES = ("detention_sites_camps_iq_sy.csv", "oil_gas_sites_supplement_iq_sy.csv",
                  "oil_gas_fields_gem_goget_iq_sy.csv", "power_plants_gem_gogpt_iq_sy.csv",
                  "power_plants_wri_gppd_iq_sy.csv")


def _data_dir() -> Path:
    return Path(str(resources.files("rasid") / "data"))


def _input_paths() -> list[Path]:
    d = _data_dir()
    here = Path(__file__).parent
    # keys depend on the code too (admin units come from admin.py, type words from qualifiers.py)
    code = [here / f for f in ("_build.py", "gazetteer.py", "qualifiers.py", "admin.py", "_layers.py", "_ocha.py",
                               "_romindex.py")]
    code += [here.parent / "lang" / "normalize.py", here.parent / "lang" / "translit.py"]
    return [d / "geo" / f for f in _GEO_FILES] + [d / "context" / f for f in _CONTEXT_FILES] + code


def inputs_sha256() -> str:
    """sha256 of every input file of the build and of the code the keys depend on."""
    h = hashlib.sha256(_BUILD_VERSION.encode())
    for p in _input_paths():
        try:
            h.update(p.name.encode())
            h.update(p.read_bytes())
        except OSError as exc:
            raise GeoError(f"cannot read bundled geo data: {exc}", path=p) from exc
    return h.hexdigest()


# --- builder -------------------------------------------------------------------------------------------
_PPL_CITY = {"PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLG"}
_PPL_OTHER = {"PPLQ": "abandoned_place", "PPLW": "abandoned_place", "PPLX": "neighbourhood",
              "PPLF": "farm", "PPLL": "locality", "STLMT": "settlement", "PPLH": "abandoned_place",
              "PPLS": "village"}
_SEAT_PREFIX = re.compile(r"^(?:nahiyat|nahiyah|qada|qadha|markaz|ناحية|قضاء|مركز)\b", re.I)
_SITE_SUFFIX = re.compile(r"\((?:iraq|syria|iran-iraq)\)|\b(?:oil\s+and\s+gas|oil|gas)\s+(?:field|fields)\b|"
                          r"\bfields?\b|\bgas plant\b|\bplant\b|\bunits?\b|\bstation\b", re.I)


def _clean(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).replace("\xa0", " ").strip()


def _in_arabic(names: list[object]) -> str | None:
    """The first of ``names`` written in Arabic script (GeoNames' ``name_ar`` is sometimes a romanisation
    such as "As Sūsá" while its Arabic alternates hold "السوسة"); None when there is none."""
    for n in names:
        n = _clean(n)
        if n and detect_script(n) == "ar":
            return n
    return None


def _split(v: object) -> list[str]:
    return [s.strip() for s in _clean(v).split("|") if s.strip()]


def _place_feature(code: str, placetype: str, pop: int) -> str:
    if placetype == "neighbourhood":
        return "neighbourhood"
    if placetype == "campus":
        return "campus"
    if code in _PPL_OTHER:
        return _PPL_OTHER[code]
    if code in _PPL_CITY or pop >= 100_000:
        return "city" if (pop >= 20_000 or code in {"PPLA", "PPLC", "PPLA2"}) else "town"
    if pop >= 10_000:
        return "town"
    return "village"


def _prior(feature: str, pop: int) -> float:
    base = FEATURE_PRIORS.get(feature, 0.4)
    if pop > 0:
        base += 0.25 * min(1.0, math.log10(pop + 1) / 6.5)
    return round(base, 4)


class _Builder:
    """Accumulates places and their name forms while the tables are built."""

    def __init__(self) -> None:
        self.places: list[dict] = []
        self.names: list[tuple[str, str, int, str, str]] = []

    def add_place(self, **kw: object) -> int:
        pid = len(self.places)
        row = {c: kw.get(c) for c in PLACE_COLUMNS}
        row["place_id"] = pid
        row["sources"] = row["sources"] or row["source"]
        row["located"] = row["located"] or "point"  # "admin3"/"admin2": coordinates of that unit only
        self.places.append(row)
        return pid

    def add_name(self, pid: int, name: str, *, bare_markaz: bool = False) -> None:
        name = _clean(name)
        if not name or len(name) > 80:
            return
        if name.isupper() and len(name) <= 4 and name.isascii():  # airport / postal codes (KIK)
            return
        key = normalize_name(name)
        if not key:
            return
        lang = "ar" if detect_script(name) == "ar" else "en"
        forms = {key}
        bare, _hint = strip_qualifiers(key)
        if bare:
            forms.add(bare)
        for f in list(forms):
            toks = f.split()
            if bare_markaz and len(toks) > 1 and toks[0] in {"مركز", "markaz", "markiz"}:
                forms.add(" ".join(toks[1:]))
        for f in forms:
            if len(f.replace(" ", "")) < 2:
                continue
            self.names.append((f, loose_key(f) if lang == "en" else f.replace(" ", ""), pid, name, lang))


def _admin_rows(level: str) -> pd.DataFrame:

    units = admin_units(level)
    pts = units.geometry.representative_point()
    out = pd.DataFrame({c: units[c].values for c in units.columns if c != "geometry"})
    out["lat"] = pts.y.values
    out["lon"] = pts.x.values
    return out


def _gn_code_map(gaz: pd.DataFrame) -> dict[str, str]:
    """GeoNames admin codes (``IQ.15``, ``SY.07.12345``) -> polygon codes, by majority of places."""
    out: dict[str, str] = {}
    g1 = gaz.dropna(subset=["gn_admin1_code", "adm1_pcode"])
    k1 = g1["country"] + "." + g1["gn_admin1_code"].str.strip()
    for code, grp in g1.groupby(k1)["adm1_pcode"]:
        out[code] = grp.value_counts().index[0]
    g2 = gaz.dropna(subset=["gn_admin1_code", "gn_admin2_code", "adm2_code"])
    k2 = g2["country"] + "." + g2["gn_admin1_code"].str.strip() + "." + g2["gn_admin2_code"].str.strip()
    for code, grp in g2.groupby(k2)["adm2_code"]:
        vc = grp.value_counts()
        if vc.iloc[0] >= 0.6 * vc.sum():
            out[code] = vc.index[0]
    return out


def build_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the ``places`` and ``names`` tables from the bundled files (slow: ~seconds)."""
    d = _data_dir()
    b = _Builder()
    try:
        gaz = pd.read_csv(d / "geo" / "gazetteer_iq_sy.csv.gz", dtype=str, keep_default_na=False,
                          na_values=[""])
    except Exception as exc:  # pragma: no cover - corrupted install
        raise GeoError(f"cannot read gazetteer: {exc}", path=d / "geo" / "gazetteer_iq_sy.csv.gz") from exc
    for c in ("adm1_pcode", "adm2_code", "adm3_pcode"):
        gaz[c] = gaz[c].str.strip()

    # admin units ------------------------------------------------------------------------------------
    unit_pid: dict[str, int] = {}
    a1 = _admin_rows("admin1")
    names1: dict[str, tuple[str, str]] = {}
    for r in a1.itertuples(index=False):
        names1[r.unit_code] = (r.unit_en, r.unit_ar)
        pid = b.add_place(name=r.unit_en, name_ar=r.unit_ar, feature_type="governorate", country=r.country,
                          lat=r.lat, lon=r.lon, population=0, admin1_code=r.unit_code, admin1_en=r.unit_en,
                          admin1_ar=r.unit_ar, prior=_prior("governorate", 0), source="admin1.geojson")
        unit_pid[r.unit_code] = pid
        for n in (r.unit_en, r.unit_ar):
            b.add_name(pid, n)
    a2 = _admin_rows("admin2")
    names2: dict[str, tuple[str, str]] = {}
    for r in a2.itertuples(index=False):
        code = str(r.unit_code).strip()
        ar = str(r.unit_ar).strip()
        names2[code] = (r.unit_en, ar.removeprefix("مركز ").strip())
        pid = b.add_place(name=r.unit_en, name_ar=ar, feature_type="district", country=r.country, lat=r.lat,
                          lon=r.lon, population=0, admin1_code=r.admin1_code, admin1_en=r.admin1_en,
                          admin1_ar=r.admin1_ar, admin2_code=code, admin2_en=r.unit_en, admin2_ar=ar,
                          prior=_prior("district", 0), source="admin2.geojson")
        unit_pid[code] = pid
        for n in (r.unit_en, ar):
            b.add_name(pid, n, bare_markaz=True)
    a3 = _admin_rows("admin3")
    for r in a3.itertuples(index=False):
        pid = b.add_place(name=r.unit_en, name_ar=r.unit_ar, feature_type="subdistrict", country=r.country,
                          lat=r.lat, lon=r.lon, population=0, admin1_code=r.admin1_code,
                          admin1_en=r.admin1_en, admin1_ar=r.admin1_ar, admin2_code=r.admin2_code,
                          admin2_en=r.admin2_en, admin2_ar=r.admin2_ar, admin3_code=r.unit_code,
                          admin3_en=r.unit_en, admin3_ar=r.unit_ar, prior=_prior("subdistrict", 0),
                          source="iq_admin3.geojson")
        unit_pid[r.unit_code] = pid
        for n in (r.unit_en, r.unit_ar):
            b.add_name(pid, n, bare_markaz=True)

    # variant names of admin units: GeoNames aliases and the curated list --------------------------------
    gn_map = _gn_code_map(gaz)
    adm_names = pd.read_csv(d / "geo" / "admin_names_geonames_iq_sy.csv", dtype=str)
    for r in adm_names.itertuples(index=False):
        code = gn_map.get(_clean(r.gn_admin_code))
        if code in unit_pid:
            for n in [r.name, *_split(r.aliases), *_split(r.names_ar)]:
                b.add_name(unit_pid[code], n)
    variants = pd.read_csv(d / "geo" / "admin_variants.csv", dtype=str)
    for r in variants.itertuples(index=False):
        code = _clean(r.code)
        if code not in unit_pid:
            raise GeoError(f"unknown admin code {code!r}", path=d / "geo" / "admin_variants.csv")
        b.add_name(unit_pid[code], r.name)

    # populated places ------------------------------------------------------------------------------------
    pops = pd.to_numeric(gaz["population"], errors="coerce").fillna(0).astype(int)
    lat = pd.to_numeric(gaz["lat"], errors="coerce")
    lon = pd.to_numeric(gaz["lon"], errors="coerce")
    cols = gaz.to_dict("records")
    for i, r in enumerate(cols):
        if not (np.isfinite(lat.iat[i]) and np.isfinite(lon.iat[i])):
            continue
        pop = int(pops.iat[i])
        feat = _place_feature(_clean(r["feature_code"]), _clean(r["wof_placetype"]), pop)
        if feat == "village" and _SEAT_PREFIX.match(_clean(r["name"]) or _clean(r["name_ar"])):
            feat = "town"  # "Nahiyat X" / "ناحية X": the seat of a sub-district
        a1c = _clean(r["adm1_pcode"])
        a2c = _clean(r["adm2_code"])
        en = _clean(r["name_en"]) or _clean(r["name"]) or _clean(r["asciiname"])
        pid = b.add_place(name=en, name_ar=_clean(r["name_ar"]),
                          display_ar=_in_arabic([r["name_ar"], *_split(r["names_ar"])]), feature_type=feat,
                          country=_clean(r["country_by_polygon"]) or _clean(r["country"]),
                          lat=float(lat.iat[i]), lon=float(lon.iat[i]), population=pop,
                          admin1_code=a1c or None, admin1_en=_clean(r["adm1_en"]) or None,
                          admin1_ar=_clean(r["adm1_ar"]) or None, admin2_code=a2c or None,
                          admin2_en=_clean(r["adm2_en"]) or None,
                          admin2_ar=(names2.get(a2c, ("", ""))[1] or _clean(r["adm2_ar"])) or None,
                          admin3_code=_clean(r["adm3_pcode"]) or None, admin3_en=_clean(r["adm3_en"]) or None,
                          admin3_ar=_clean(r["adm3_ar"]) or None, prior=_prior(feat, pop),
                          source=_clean(r["source"]) or "gazetteer")
        seen: set[str] = set()
        for n in [r["name"], r["name_gn"], r["asciiname"], r["name_en"], r["name_ar"],
                  *_split(r["names_ar"]), *_split(r["alt_names_latin"]), *_split(r["names_ku"])]:
            n = _clean(n)
            if n and n not in seen:
                seen.add(n)
                b.add_name(pid, n)

    # context sites ----------------------------------------------------------------------------------------
    site_ar = pd.read_csv(d / "geo" / "site_names_ar.csv", dtype=str)
    site_ar_map: dict[str, list[str]] = {}
    for r in site_ar.itertuples(index=False):
        site_ar_map.setdefault(normalize_name(r.site_en), []).append(r.name_ar)

    def admin_of(row: dict) -> dict:
        a1c = _clean(row.get("adm1_pcode"))
        a2c = _clean(row.get("adm2_code"))
        if not a1c:
            return {}
        en1, ar1 = names1.get(a1c, (_clean(row.get("adm1_en")), _clean(row.get("adm1_ar"))))
        en2, ar2 = names2.get(a2c, (_clean(row.get("adm2_en")), _clean(row.get("adm2_ar"))))
        return {"admin1_code": a1c, "admin1_en": en1, "admin1_ar": ar1, "admin2_code": a2c or None,
                "admin2_en": en2 or None, "admin2_ar": ar2 or None}

    def site_kind(kind: str) -> str:
        k = kind.lower()
        for word, feat in (("crossing", "crossing"), ("prison", "prison"), ("camp", "camp"),
                           ("garrison", "military_base"), ("gas plant", "gas_plant"), ("gas field", "gas_field"),
                           ("oil", "oil_field"), ("field", "oil_field")):
            if word in k:
                return feat
        return "oil_field"

    def add_site(row: dict, names_en: list[str], names_ar: list[str], feat: str, source: str) -> None:
        la, lo = pd.to_numeric(row.get("lat"), errors="coerce"), pd.to_numeric(row.get("lon"), errors="coerce")
        if not (np.isfinite(la) and np.isfinite(lo)):
            return
        adm = admin_of(row)
        if not adm:
            return
        country = _clean(row.get("adm_country")) or ("SY" if adm["admin1_code"].startswith("SY") else "IQ")
        # a site without an Arabic name in its own file shows the cited one of site_names_ar.csv, if any
        cited = [ar for n in names_en for part in re.split(r"\s*/\s*", n)
                 for ar in site_ar_map.get(normalize_name(_SITE_SUFFIX.sub(" ", part).strip()), [])]
        pid = b.add_place(name=names_en[0], name_ar=(names_ar[0] if names_ar else None),
                          display_ar=_in_arabic([*names_ar, *cited]), feature_type=feat,
                          country=country, lat=float(la), lon=float(lo), population=0,
                          prior=_prior(feat, 0), source=source, **adm)
        for n in names_en + names_ar:
            b.add_name(pid, n)
            for part in re.split(r"\s*/\s*", n):
                b.add_name(pid, part)
                bare = _SITE_SUFFIX.sub(" ", part).strip()
                if bare and bare != part:
                    b.add_name(pid, bare)
                    for ar in site_ar_map.get(normalize_name(bare), []):
                        b.add_name(pid, ar)

    def rows(path: Path) -> list[dict]:
        return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")

    for r in rows(d / "geo" / "context" / "border_crossings_iq_sy.csv"):
        r = dict(r)
        # admin codes: take the Iraqi side's town where possible (the crossing point sits on the border)

        try:
            adm = admin_lookup().lookup([float(r["lat"])], [float(r["lon"])]).iloc[0].to_dict()
            r.update(adm1_pcode=adm.get("admin1_code"), adm2_code=adm.get("admin2_code"),
                     adm_country=adm.get("country"))
        except Exception:  # noqa: BLE001 - a crossing without admin codes is skipped below
            pass
        add_site(r, [r["crossing"]], [r["name_ar"]], "crossing", "border_crossings_iq_sy.csv")
    for r in rows(d / "geo" / "context" / "key_sites_settlement_proxies.csv"):
        add_site(r, [r["site"]], [r["site_ar"]], site_kind(r["kind"]), "key_sites_settlement_proxies.csv")
    for r in rows(d / "context" / "detention_sites_camps_iq_sy.csv"):
        add_site(r, [r["site"]], [r["site_ar"]], site_kind(r["kind"]), "detention_sites_camps_iq_sy.csv")
    for r in rows(d / "context" / "oil_gas_sites_supplement_iq_sy.csv"):
        add_site(r, [r["site"]], [r["site_ar"]], site_kind(r["kind"]), "oil_gas_sites_supplement_iq_sy.csv")
    for r in rows(d / "context" / "oil_gas_fields_gem_goget_iq_sy.csv"):
        add_site(r, [r["name"]], [], "oil_field", "oil_gas_fields_gem_goget_iq_sy.csv")
    for r in rows(d / "geo" / "context" / "oil_gas_giant_fields_iq_sy.csv"):
        names = [r["name"]] + ([r["name_alt"]] if r.get("name_alt") else [])
        feat = "gas_field" if r.get("field_type", "").lower().startswith("gas") else "oil_field"
        add_site(r, [n + " field" for n in names], [], feat, "oil_gas_giant_fields_iq_sy.csv")

    # sites and places of the extra layers (UCDP-coded locations, power plants), deduplicated ----------
    add_layers(b, d, _prior)
    add_ocha_syria(b, d, _prior, unit_pid)

    # named regions --------------------------------------------------------------------------------------

    for r in region_table().to_dict("records"):
        a1c = r["admin1_codes"][0]
        a2c = r["admin2_codes"][0] if r["admin2_codes"] else None
        en1, ar1 = names1.get(a1c, ("", ""))
        en2, ar2 = names2.get(a2c, ("", "")) if a2c else ("", "")
        pid = b.add_place(name=r["name_en"], name_ar=r["name_ar"], feature_type="region", country=r["country"],
                          lat=r["lat"], lon=r["lon"], population=0, admin1_code=a1c, admin1_en=en1,
                          admin1_ar=ar1, admin2_code=a2c, admin2_en=en2 or None, admin2_ar=ar2 or None,
                          prior=_prior("region", 0), source=f"regions.csv:{r['region_id']}")
        for n in [r["name_en"], r["name_ar"], *r["variants"]]:
            b.add_name(pid, n)

    for row in b.places:  # the name to show in Arabic: Arabic script only, never a romanisation (else None)
        row["display_ar"] = row["display_ar"] or _in_arabic([row["name_ar"]])
    places = pd.DataFrame(b.places, columns=PLACE_COLUMNS)
    places["population"] = places["population"].fillna(0).astype("int64")
    places["lat"] = places["lat"].astype("float64")
    places["lon"] = places["lon"].astype("float64")
    for c in PLACE_COLUMNS:
        if places[c].dtype == object:
            places[c] = places[c].where(places[c].notna() & (places[c] != ""), None)
    names = pd.DataFrame(b.names, columns=NAME_COLUMNS).drop_duplicates(["key", "place_id"])
    return places, names.reset_index(drop=True)
