"""Text evidence and places: match extracted motive sentences to units, and resolve the places an analyst names.

A motive row (``objective, sentence, places, url, doc_id``) matches a unit when one of its places equals the
unit's code or name (English or Arabic, folded or loose-key), or the code or name of the unit's governorate.
This module does not import :mod:`rasid.text`: motives arrive as a table.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rasid.errors import QueryError
from rasid.events.query import resolve_units
from rasid.geo.geocoder import geocode
from rasid.lang.normalize import loose_key, normalize_name

__all__ = ["motive_keys", "evidence_for_place", "resolve_places", "resolve_place_groups", "unit_keys", "fold"]


def fold(s: object) -> str:
    """Matching key: normalised, letters and digits only (Arabic and Latin)."""
    return re.sub(r"[^0-9a-z\u0600-\u06ff]", "", normalize_name(str(s))) if isinstance(s, str) else ""


def _loose(s: object) -> str:
    k = loose_key(s) if isinstance(s, str) else ""
    return k if len(k) >= 3 else ""


def _place_tokens(v: object) -> list[str]:
    """Place names/codes of a motive row (list, tuple or '|'/';'/','-separated string)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    items = list(v) if isinstance(v, list | tuple | set | np.ndarray) else re.split(r"[|;,]", str(v))
    out = []
    for it in items:
        if isinstance(it, dict):
            out.extend(str(x) for x in it.values() if isinstance(x, str))
        elif isinstance(it, str) and it.strip():
            out.append(it.strip())
    return out


def _geocoded(name: str) -> set[str]:
    """Admin codes of the best gazetteer candidate for a place name (empty if none)."""
    cands = geocode(name)
    if not cands:
        return set()
    best = cands[0]
    return {c for c in (getattr(best, "admin1_code", None), getattr(best, "admin2_code", None)) if c}


def motive_keys(motives: pd.DataFrame) -> list[set[str]]:
    """Per motive row, the keys of its places: folded names, loose keys, codes, and geocoded admin codes."""
    cols = [c for c in ("places", "place", "admin2_code", "admin1_code", "unit_code", "place_codes") if c in motives]
    resolved: dict[str, set[str]] = {}
    out = []
    for row in motives[cols].itertuples(index=False):
        keys: set[str] = set()
        for tok in (t for v in row for t in _place_tokens(v)):
            if tok not in resolved:
                resolved[tok] = {fold(tok), _loose(tok), tok} | _geocoded(tok)
            keys |= resolved[tok]
        out.append(keys - {""})
    return out


def unit_keys(place: pd.Series) -> tuple[set[str], set[str]]:
    """(keys of the unit itself, keys of its governorate) for matching motive places."""
    unit = {place.unit_code, fold(place.unit_en), fold(place.unit_ar), _loose(place.unit_en)} - {"", None}
    gov = {place.admin1_code, fold(place.admin1_en), fold(place.admin1_ar), _loose(place.admin1_en)} - {"", None}
    return unit, gov


def evidence_for_place(motives: pd.DataFrame | None, keys: list[set[str]] | None, place: pd.Series,
                       max_per: int = 3) -> dict[str, list[dict]]:
    """Motive rows that name the place (``match`` "unit") or its governorate ("governorate"), by objective."""
    if motives is None or motives.empty or keys is None:
        return {}
    ukeys, gkeys = unit_keys(place)
    out: dict[str, list[dict]] = {}
    for row, k in zip(motives.itertuples(index=False), keys, strict=True):
        match = "unit" if k & ukeys else "governorate" if k & gkeys else None
        if match is None:
            continue
        lst = out.setdefault(str(getattr(row, "objective", "other")), [])
        if len(lst) < max_per:
            lst.append({"quote": getattr(row, "sentence", None), "url": getattr(row, "url", None),
                        "doc_id": getattr(row, "doc_id", None), "match": match})
    for lst in out.values():
        lst.sort(key=lambda e: e["match"] != "unit")
    return out


def _split(place: str | list[str] | None) -> list[str]:
    if place is None:
        return []
    items = place.split(",") if isinstance(place, str) else place
    return [str(p).strip() for p in items if str(p).strip()]


def resolve_places(place: str | list[str] | None, units: pd.DataFrame, unit: str) -> list[str]:
    """Unit codes for place names or codes (a unit's own name first, then the admin lookup and geocoder)."""
    out = []
    for _, codes in resolve_place_groups(place, units, unit, expand_governorates=False):
        out.extend(codes)
    return list(dict.fromkeys(out))


def resolve_place_groups(place: str | list[str] | None, units: pd.DataFrame, unit: str, *,
                         expand_governorates: bool = True) -> list[tuple[str, list[str]]]:
    """Per place as the analyst wrote it, the units it stands for: a unit of the region by code or name; else (with
    ``expand_governorates``) every unit of a governorate named by code or name; else the geocoder's best unit."""
    codes = set(units.unit_code)
    by_name: dict[str, list[str]] = {}
    for c, a, b in zip(units.unit_code, units.unit_en, units.unit_ar, strict=True):
        for k in (fold(a), fold(b)):
            if k:
                by_name.setdefault(k, []).append(c)
    by_gov: dict[str, list[str]] = {}
    if expand_governorates and "admin1_code" in units:
        for c, g, a, b in zip(units.unit_code, units.admin1_code, units.get("admin1_en", units.admin1_code),
                              units.get("admin1_ar", units.admin1_code), strict=True):
            for k in {g, fold(a), fold(b)} - {""}:
                by_gov.setdefault(k, []).append(c)
    out = []
    for n in _split(place):
        if n in codes:
            out.append((n, [n]))
            continue
        hit = by_name.get(fold(n)) or by_gov.get(n) or by_gov.get(fold(n))
        if not hit and unit in ("admin1", "admin2"):
            try:
                hit = [c for c in resolve_units([n], unit) if c in codes]
            except QueryError:
                hit = []
        if not hit:
            raise QueryError(f"place {n!r} is not a {unit} unit of the region")
        out.append((n, list(dict.fromkeys(hit))))
    return out
