"""Places given by discourse: "المدينة" / "the city", "المحافظة" / "the province", "القضاء", "البلدة",
"القرية", "المنطقة نفسها" / "the same area", "هناك" / "there", and "المدينة الأولى / الثانية" after a
pair of names, resolved to the place they refer back to.

Each reference becomes a place mention at its own position that carries its antecedent's gazetteer
candidate (a province reference carries the antecedent's governorate; "وسط المحافظة" the district of
the governorate's capital). An Arabic reference counts only after a locative word ("في المدينة",
"غرب القضاء", "بالمدينة") so that "القضاء" (the judiciary) or "المدينة" in a name stays what it is.
The antecedent is the nearest earlier place mention of a fitting kind, at most :data:`LOOKBACK`
mentions back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from rasid.geo.geocoder import geocode
from rasid.lang.fold import rx
from rasid.text.extract.places import landmark_city

__all__ = ["references", "LOOKBACK"]

LOOKBACK = 8
_LOC = (r"(?:(?<![^\W_])(?:في|داخل|وسط|مركز|قلب|أطراف|اطراف|محيط|قرب|غرب|شرق|شمال|جنوب|غربي|شرقي|شمالي|جنوبي|ريف|"
        r"على|إلى|الى|من|عن|نحو|باتجاه|بين|هذه|ذات|نفس|خارج|مدخل|أحياء|احياء|حي|ضواحي|بادية|أرياف)\s+|(?<![^\W_])[بل])")
# (kind, pattern): kind decides which antecedents fit and what the reference stands for
_REFS: list[tuple[str, re.Pattern[str]]] = [
    ("first", rx(_LOC + r"?(?:ال)?مدينة\s+الأولى|the first (?:city|town)")),
    ("second", rx(_LOC + r"?(?:ال)?مدينة\s+الثانية|the second (?:city|town)|the latter (?:city|town)")),
    ("centre", rx(r"(?:وسط|مركز|قلب)\s+المحافظة|(?:centre|center) of the (?:province|governorate)")),
    ("province", rx(_LOC + r"المحافظة(?![^\W_])|the (?:province|governorate)(?![^\W_])")),
    ("city", rx(_LOC + r"المدينة(?![^\W_])(?!\s+(?:الأولى|الثانية))|the city(?![^\W_])(?! of)")),
    ("district", rx(_LOC + r"القضاء(?![^\W_])|the district(?![^\W_])(?! of)")),
    ("town", rx(_LOC + r"(?:البلدة|الناحية)(?![^\W_])|the town(?![^\W_])(?! of)")),
    ("village", rx(_LOC + r"القرية(?![^\W_])|the village(?![^\W_])(?! of)")),
    ("same", rx(r"(?:المنطقة|البلدة|القرية|المدينة)\s+(?:نفسها|ذاتها)|(?:نفس|ذات)\s+(?:المنطقة|البلدة|القرية|المدينة)"
                r"|the same (?:area|region|place|village|town|spot)")),
    # locative "there" ends its clause ("قتل ثلاثة هناك."); the existential one ("هناك مخاوف") does not
    ("there", rx(r"(?<![^\W_])(?:هناك|there)(?=\s*(?:[.،,؛;:!?؟)]|$|أيضا|ايضا|too|as well))")),
]
# words a reference turns on: one cheap scan finds them, the kind patterns then run on a small window
_KEY = rx(r"المدينة|المحافظة|القضاء|البلدة|الناحية|القرية|المنطقة|هناك|the (?:first|second|latter|same) |the (?:city|province|governorate|district|town|village)"
          r"|(?:centre|center) of the|there")
_FITS = {
    "city": {"city", "town", "district"},
    "first": {"city", "town", "district"},
    "second": {"city", "town", "district"},
    "district": {"district", "city", "town"},
    "town": {"town", "subdistrict", "city", "village"},
    "village": {"village", "locality", "town", "farm", "neighbourhood"},
}


_HINT = {"province": "governorate", "centre": "city", "city": "city", "first": "city", "second": "city",
         "district": "district", "town": "town", "village": "village"}


def _antecedent(prior: list, kind: str):
    """The nearest earlier mention that fits ``kind`` (any place for province, same, there); a
    landmark city ("north of Baghdad") only when nothing else fits."""
    fits = _FITS.get(kind)
    fallback = None
    for pm in reversed(prior[-LOOKBACK:]):
        ft = pm.candidate.feature_type
        if fits is None or ft in fits or (kind in ("city", "district") and pm.candidate.precision == "admin2"):
            if not landmark_city(pm):
                return pm
            fallback = fallback or pm
    return fallback


def _province_antecedent(prior: list):
    """The latest mention of the governorate named most among the last mentions ("المحافظة" is the one
    the text is about: a homonym of a neighbourhood elsewhere does not take it over)."""
    recent = prior[-LOOKBACK:]
    count = Counter(pm.candidate.admin1_code for pm in recent if pm.candidate.admin1_code)
    if not count:
        return prior[-1]
    best = max(count.values())
    for pm in reversed(recent):
        if count.get(pm.candidate.admin1_code) == best:
            return pm
    return prior[-1]


def _pair(prior: list):
    """The last two distinct city-like mentions (the pair "X و Y" a first/second reference points to)."""
    out = []
    for pm in reversed(prior[-LOOKBACK:]):
        if pm.candidate.feature_type in _FITS["city"] and all(pm.candidate.place_id != o.candidate.place_id for o in out):
            out.append(pm)
        if len(out) == 2:
            return out[1], out[0]
    return None


def _province(pm):
    """The antecedent's governorate as a candidate (admin1 precision)."""
    c = pm.candidate
    return replace(c, name=c.admin1_en or c.name, name_ar=c.admin1_ar, feature_type="governorate", precision="admin1",
                   admin2_code=None, admin2_en=None, admin2_ar=None, admin3_code=None, admin3_en=None, admin3_ar=None,
                   direction=None, distance_km=None)


def _capital(pm):
    """The city of the antecedent's governorate that bears its name (for "وسط المحافظة"), or None."""
    c = pm.candidate
    if not c.admin1_ar:
        return None
    for cand in geocode("مدينة " + c.admin1_ar, country=c.country)[:3]:
        if cand.admin1_code == c.admin1_code and cand.admin2_code and cand.feature_type in ("city", "town"):
            return cand
    return None


def references(folded: str, mentions: list, span) -> list:
    """Place mentions made from discourse references in ``folded`` text.

    ``mentions`` are ``(folded start, PlaceMention)`` of the gazetteer's mentions in text order and
    ``span(a, b)`` maps folded offsets to the original. Returns ``(folded start, PlaceMention)`` for
    every resolved reference."""
    if not mentions:
        return []
    starts = [fs for fs, _pm in mentions]
    out = []
    taken = bytearray(len(folded) + 1)  # 1 where a reference already found covers the character
    for hit in _KEY.finditer(folded):
        lo, end = max(0, hit.start() - 24), min(len(folded), hit.end() + 60)
        for kind, pat in _REFS:
            m = next((x for x in pat.finditer(folded, lo, end) if x.start() <= hit.start() < x.end()), None)
            if m is None:
                continue
            a, b = m.span()
            if taken.find(1, a, b) != -1:
                break
            # the reference word itself, without the locative before it
            ref_a = b - len(m.group().split()[-1]) if kind in ("province", "city", "district", "town", "village") else a
            k = _bisect(starts, a)
            prior = [pm for _fs, pm in mentions[max(0, k - 2 * LOOKBACK):k] if pm.candidate is not None]
            if not prior:
                continue
            cand = None
            ante = None
            if kind in ("first", "second"):
                pair = _pair(prior)
                if pair:
                    ante = pair[0] if kind == "first" else pair[1]
                    cand = ante.candidate
            elif kind == "province":
                ante = _province_antecedent(prior)
                cand = _province(ante)
            elif kind == "centre":
                ante = prior[-1]
                cand = _capital(ante)
            else:
                ante = _antecedent(prior, kind)
                cand = ante.candidate if ante is not None else None
            if cand is None:
                continue
            oa, ob = span(ref_a, b)
            ref = replace(ante, text=m.group(), start=oa, end=ob, phrase_start=oa, candidate=cand,
                          hint=_HINT.get(kind, ante.hint), direction=None, alternatives=[])
            ref.antecedent = ante  # type: ignore[attr-defined]
            out.append((ref_a, ref))
            taken[a:b] = b"\x01" * (b - a)
            break
    return out


def _bisect(starts: list[int], x: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
