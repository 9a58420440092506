"""Admin units a mention's context names (its other segments and the surrounding text), and the offset of
a "30 km south of X" point. Private to the geocoder modules."""

from __future__ import annotations

import math
from functools import lru_cache

from rasid.geo._lookup import _best_reading, _lookup_tokens
from rasid.geo._phrases import (
    _BEARING,
    _direction_at,
    _Tok,
    _tokens,
    _variants,
)
from rasid.geo._scan import _scan
from rasid.geo._scoring import _ADMIN_PRECISION, _Ctx
from rasid.geo.admin import admin_lookup
from rasid.geo.gazetteer import Gazetteer, load_gazetteer, strip_qualifiers
from rasid.geo.results import Candidate
from rasid.lang.normalize import (
    normalize_name,
    strip_ar_prefixes,
)

MAX_TEXT_CHARS = 200_000


def _add_unit(g: Gazetteer, ctx: _Ctx, pid: int, *, own: bool, rel: bool) -> None:
    """Record the admin units one context place points to. Codes feed the scoring; ``units`` feed the
    fallback answer, where a relative phrase ("east of X") points only to X's governorate."""
    c = g.cols
    ft = c["feature_type"][pid]
    a1, a2, a3 = c["admin1_code"][pid], c["admin2_code"][pid], c["admin3_code"][pid]
    level = {"governorate": 0, "district": 1, "subdistrict": 2}.get(ft)
    if level is None:
        # a city or big town points to its district; inside the mention ("الكوم التي تقع في السخنة")
        # any town does
        if ft not in ("city", "town") or (not own and (c["population"][pid] or 0) < 20_000):
            return
        level = 1  # a city points to its district
    ctx.admin1.add(a1)
    if level >= 1:
        ctx.admin2.add(a2)
    if level >= 2:
        ctx.admin3.add(a3)
    if rel or level == 0:
        upid = g.unit_pid.get(a1 or "")
        level = 0
    else:
        upid = g.unit_pid.get((a3 if level == 2 else a2) or "")
    if upid is not None:
        ctx.units.append((level, upid, own))
    ctx.admin1.discard(None)
    ctx.admin2.discard(None)
    ctx.admin3.discard(None)


# near words that reach beyond the named place's district ("ريف حلب", "بادية حمص", "Aleppo countryside");
# the others ("محيط داقوق", "أطراف الطارمية", "outskirts of Tikrit") stay in its district
_WIDE_NEAR = frozenset(normalize_name(w) for w in ("ريف", "اريف", "بادية", "باديه", "حدود", "تخوم", "اقصى",
                                                    "اقاصي", "countryside", "rural", "desert", "badia",
                                                    "badiya"))


def _widens(toks: list[_Tok], k: int) -> bool:
    """Token ``k`` starts a phrase pointing away from the place that follows it (a compass direction or
    a wide near word): such a place gives its governorate only."""
    if _direction_at(toks, k)[0]:
        return True
    n = toks[k].norm
    return n in _WIDE_NEAR or any(v in _WIDE_NEAR for v in strip_ar_prefixes(n)[1:])


@lru_cache(maxsize=4096)
def _scan_context(text: str) -> tuple[tuple[list[int], str | None, bool, frozenset[str]], ...]:
    """Strong place names in a context text with their type word, whether a relative phrase
    precedes them, and their key forms (cached: one article gives context to many mentions)."""
    g = load_gazetteer()
    toks = _tokens(text[:MAX_TEXT_CHARS])
    out = []
    for m in _scan(g, toks, strong_only=True):
        key = strip_qualifiers(" ".join(t.norm for t in toks[m[0]:m[1]] if t.norm))[0]
        keys = frozenset([key, *(v for v, _q in _variants(key))])
        rel = any(_widens(toks, k) for k in range(m[4], m[0]))
        out.append((m[2], m[3], rel, keys))
    return tuple(out)


def _context_codes(g: Gazetteer, segs: list[list[_Tok]], text: str | None,
                   exclude: frozenset[str] = frozenset(), country: str | None = None) -> _Ctx:
    """Admin units named in context segments or text (governorates, districts, sub-districts, big
    cities), each name taken in its single most plausible reading."""
    ctx = _Ctx()
    items: list[tuple[list[int], str | None, bool, bool]] = []
    for seg in segs:
        hits, hint, _how = _lookup_tokens(g, [t.norm for t in seg], loose=False)
        if hits:
            items.append((list(hits), hint, True, False))
        else:
            for m in _scan(g, seg, strong_only=True):
                rel = any(_widens(seg, k) for k in range(0, m[0]))
                items.append((m[2], m[3], True, rel))
    if text:
        for pids, hint, rel, keys in _scan_context(text):
            if keys & exclude:
                continue  # the mention itself, repeated in its context
            items.append((pids, hint, False, rel))
    c = g.cols

    def in_country(pids: list[int]) -> list[int]:
        return [p for p in pids if c["country"][p] == country] or pids if country else pids

    # governorates the context names outright: an ambiguous name ("Ath Thawrah district") is read inside them
    govs = {c["admin1_code"][p] for pids, hint, _o, _r in items for p in in_country(pids)
            if c["feature_type"][p] == "governorate" and (hint in (None, "governorate"))}
    for pids, hint, own, rel in items:
        cands = in_country(pids)
        agree = [p for p in cands if c["admin1_code"][p] in govs]
        _add_unit(g, ctx, _best_reading(g, agree or cands, hint), own=own, rel=rel)
    ctx.admin1.discard(None)
    ctx.admin2.discard(None)
    ctx.admin3.discard(None)
    return ctx


def _offset(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    b = math.radians(bearing_deg)
    dlat = km * math.cos(b) / 111.0
    dlon = km * math.sin(b) / (111.0 * max(0.2, math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


@lru_cache(maxsize=4096)
def _admin_at(lat: float, lon: float) -> dict | None:
    """Admin units at a point, through the shared point-in-polygon lookup (None when unavailable)."""
    try:

        return admin_lookup().lookup([lat], [lon]).iloc[0].to_dict()
    except Exception:  # noqa: BLE001 - keep the anchor's admin units when the lookup is unavailable
        return None


def _apply_offset(cand: Candidate) -> None:
    """Move a "30 km south of X" candidate by the distance and re-derive its admin units."""
    if cand.direction not in _BEARING or not cand.distance_km or cand.feature_type in _ADMIN_PRECISION:
        return  # moving the centroid of a governorate or region says nothing
    lat, lon = _offset(cand.lat, cand.lon, _BEARING[cand.direction], cand.distance_km)
    row = _admin_at(round(lat, 3), round(lon, 3))
    if row is None:
        return
    if not row.get("admin1_code") or row.get("admin1_code") != row.get("admin1_code"):
        return
    cand.lat, cand.lon = round(lat, 6), round(lon, 6)
    for k in ("country", "admin1_code", "admin1_en", "admin1_ar", "admin2_code", "admin2_en", "admin2_ar",
              "admin3_code"):
        v = row.get(k)
        setattr(cand, k, None if (isinstance(v, float) and v != v) else v)
    cand.reason += f"; point moved {cand.distance_km:g} km {cand.direction} of the anchor"
