"""Country names and codes as datasets write them -> ISO 3166-1 alpha-2."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pycountry

from rasid.errors import QueryError

# Gleditsch-Ward codes of the region (UCDP country_id); names cover the rest
_GW = {645: "IQ", 652: "SY", 640: "TR", 630: "IR", 660: "LB", 663: "JO", 666: "IL", 670: "SA", 690: "KW",
       651: "EG", 679: "YE", 620: "LY", 700: "AF", 770: "PK", 365: "RU", 2: "US", 200: "GB", 220: "FR"}
_OVERRIDES = {
    "russia (soviet union)": "RU", "russia": "RU", "yemen (north yemen)": "YE", "dr congo (zaire)": "CD",
    "cambodia (kampuchea)": "KH", "myanmar (burma)": "MM", "bosnia-herzegovina": "BA", "ivory coast": "CI",
    "madagascar (malagasy)": "MG", "zimbabwe (rhodesia)": "ZW", "serbia (yugoslavia)": "RS",
    "kingdom of eswatini (swaziland)": "SZ", "macedonia, fyr": "MK", "syria": "SY", "iran": "IR",
    "turkey": "TR", "west bank and gaza strip": "PS", "palestine": "PS", "kosovo": "XK", "laos": "LA",
    "south korea": "KR", "north korea": "KP", "vietnam": "VN", "east timor": "TL", "democratic republic of the congo": "CD",
    "republic of the congo": "CG", "united states": "US", "united kingdom": "GB", "czech republic": "CZ",
    "العراق": "IQ", "سوريا": "SY", "سورية": "SY",
}


@lru_cache(maxsize=4096)
def _by_name(name: str) -> str | None:
    key = name.strip().lower()
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    if len(key) == 2 and pycountry.countries.get(alpha_2=key.upper()):
        return key.upper()
    if len(key) == 3:
        c = pycountry.countries.get(alpha_3=key.upper())
        if c:
            return c.alpha_2
    for cand in (name.strip(), re.sub(r"\s*\(.*\)\s*$", "", name).strip()):
        try:
            return pycountry.countries.lookup(cand).alpha_2
        except LookupError:
            continue
    return None


def _missing(v: object) -> bool:
    try:
        return v is None or bool(v != v)
    except TypeError:  # pandas NA
        return True


def to_iso2(name: object = None, iso_num: object = None, gw: object = None) -> str | None:
    """ISO2 from an ISO numeric code, a country name or a Gleditsch-Ward code (first that resolves)."""
    iso_num = None if _missing(iso_num) else iso_num
    gw = None if _missing(gw) else gw
    if iso_num is not None:
        c = pycountry.countries.get(numeric=f"{int(iso_num):03d}")
        if c:
            return c.alpha_2
    if isinstance(name, str) and name.strip():
        hit = _by_name(name)
        if hit:
            return hit
    if gw is not None:
        return _GW.get(int(gw))
    return None


def numeric_codes(countries: list[str] | None, code_of: Callable[[str], int | None], unknown: str) -> list[int]:
    """Numeric country codes of an API filter: numbers are taken as given, names and ISO2 codes go through
    ``to_iso2`` and ``code_of``; a country without a code is a QueryError (``unknown`` formatted with ``{text!r}``)."""
    out = []
    for c in countries or []:
        text = str(c).strip()
        if text.isdigit():
            out.append(int(text))
            continue
        iso2 = to_iso2(name=text)
        code = code_of(iso2) if iso2 else None
        if code is None:
            raise QueryError(unknown.format(text=text))
        out.append(code)
    return sorted(set(out))
