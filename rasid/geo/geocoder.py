"""Resolve place mentions (Arabic or English) to ranked gazetteer candidates, and find them in text.

* :func:`geocode` takes one mention ("ناحية الرياض جنوب غرب كركوك", "30 km south of Kirkuk",
  "Deir ez-Zor") and returns a :class:`GeocodeResult` (a list of :class:`Candidate`, best first, with
  a ``reason``). Bad input gives an empty result with a reason, never an exception.
* :func:`find_places` scans free text with token n-grams against the gazetteer's key dictionary
  (no regex per name) and returns :class:`PlaceMention` spans with their best candidate.

Scoring (see docs/geo.md): ``prior(feature type, population) x match quality`` plus bonuses for a
type word next to the name (محافظة / قضاء / ناحية / field ...), for admin units named in the
context (and penalties for other governorates), and a country filter. Relative phrases (direction,
"ريف", "outskirts", "near", "بادية") resolve to the anchor place with precision ``near``.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from rasid.geo._confidence import features, load_model
from rasid.geo._phrases import (  # noqa: F401 - re-exported for find_places and the benchmark
    _BEARING,
    _CLITICS,
    _DIR_AR,
    _DIR_EN,
    _DIST_UNITS,
    _IN_WORDS,
    _LINK,
    _NEAR_AR,
    _NEAR_EN,
    _SEPARATORS,
    _STOP_AR,
    _STOP_EN,
    _direction_at,
    _is_latin,
    _is_near_word,
    _norm_token,
    _nset,
    _number,
    _parse,
    _Parsed,
    _Tok,
    _tokens,
    _variants,
    _variants_cached,
)
from rasid.geo.admin import admin_lookup
from rasid.geo.gazetteer import QUALIFIERS_AR, QUALIFIERS_EN, Gazetteer, load_gazetteer, strip_qualifiers
from rasid.geo.regions import region_table
from rasid.lang.normalize import (
    ar_to_skeleton,
    detect_script,
    loose_key,
    normalize_ar,
    normalize_name,
    strip_ar_article,
    strip_ar_prefixes,
    strip_control,
)
from rasid.lang.translit import rom_skeleton, rom_skeleton_ar, rom_variants, split_alternatives

__all__ = ["Candidate", "GeocodeResult", "PlaceMention", "find_places", "geocode", "MAX_MENTION_CHARS"]

MAX_MENTION_CHARS = 300
MAX_TEXT_CHARS = 200_000
_SCORE_SCALE = 1.5
_TOP_N = 10

_ADMIN_PRECISION = {"governorate": "admin1", "district": "admin2", "subdistrict": "admin3", "region": "region"}
_SETTLEMENT = frozenset({"city", "town", "village", "locality", "settlement", "neighbourhood",
                         "abandoned_place", "farm", "campus"})
_SITES = frozenset({"oil_field", "gas_field", "gas_plant", "prison", "camp", "crossing", "military_base",
                    "checkpoint", "dam", "bridge", "airport", "power_station", "refinery", "silo", "station",
                    "mountain", "landmark"})
_HINT_FAMILY = {
    "governorate": {"governorate": 0.7},
    "district": {"district": 0.7, "subdistrict": 0.25, "city": 0.2, "town": 0.2},
    "subdistrict": {"subdistrict": 0.7, "town": 0.3, "city": 0.2, "village": 0.15, "district": 0.1},
    "area": {"district": 0.25, "subdistrict": 0.2, "region": 0.2, "town": 0.1, "village": 0.1,
             "neighbourhood": 0.15},
    "city": {"city": 0.45, "town": 0.4, "district": 0.2, "subdistrict": 0.15, "village": 0.2},
    "town": {"town": 0.45, "city": 0.35, "village": 0.3, "subdistrict": 0.2, "district": 0.1},
    "village": {"village": 0.5, "town": 0.3, "locality": 0.3, "abandoned_place": 0.3, "settlement": 0.3,
                "farm": 0.2},
    "neighbourhood": {"neighbourhood": 0.6, "locality": 0.3, "village": 0.2, "town": 0.1, "subdistrict": 0.1},
    "oil_field": {"oil_field": 0.8, "gas_field": 0.8, "gas_plant": 0.6},
    "gas_field": {"gas_field": 0.8, "oil_field": 0.7, "gas_plant": 0.7},
    "gas_plant": {"gas_plant": 0.8, "gas_field": 0.6, "oil_field": 0.5},
    "camp": {"camp": 0.8},
    "prison": {"prison": 0.8},
    "crossing": {"crossing": 0.9},
    "military_base": {"military_base": 0.8, "airport": 0.5},
    "farm": {"farm": 0.5, "village": 0.3, "locality": 0.3},
    "checkpoint": {"checkpoint": 0.8, "military_base": 0.3},
    "dam": {"dam": 0.8, "power_station": 0.3},
    "bridge": {"bridge": 0.8},
    "airport": {"airport": 0.8, "military_base": 0.6},
    "mountain": {"mountain": 0.7, "region": 0.4},
    "refinery": {"refinery": 0.8, "oil_field": 0.4, "power_station": 0.2},
    "silo": {"silo": 0.8},
    "station": {"station": 0.7, "power_station": 0.6, "oil_field": 0.3, "gas_plant": 0.3},
    "region": {"region": 0.6},
}
_ADMIN_HINTS = frozenset({"governorate", "district", "subdistrict"})
# match quality of the transliteration-aware fallbacks (times the place's prior; see docs/geo.md)
_Q_ROM, _Q_NEAR1, _Q_NEAR2, _Q_SKEL = 0.92, 0.76, 0.62, 0.55

# --- public data types ------------------------------------------------------------------------------------
@dataclass
class Candidate:
    """One possible place for a mention, with admin units in both languages and how sure we are."""

    name: str
    name_ar: str | None
    feature_type: str
    lat: float
    lon: float
    country: str | None
    admin1_code: str | None
    admin1_en: str | None
    admin1_ar: str | None
    admin2_code: str | None
    admin2_en: str | None
    admin2_ar: str | None
    admin3_code: str | None
    admin3_en: str | None
    admin3_ar: str | None
    precision: str
    score: float
    direction: str | None = None
    distance_km: float | None = None
    matched: str = ""
    reason: str = ""
    place_id: int = -1
    population: int = 0
    probability: float | None = None  # calibrated P(right district) of the answer; set on the first candidate

    def to_dict(self) -> dict:
        """Plain dict (JSON-ready) with all fields."""
        return asdict(self)


class GeocodeResult(list):
    """A list of :class:`Candidate`, best first, with ``reason`` saying why it is empty or how the
    best one was chosen.

    ``probability`` is the calibrated probability that the best place guessed lies in the right
    district (``probability_governorate``: the right governorate). Below the threshold the result
    ``abstained``: the place is "not found", ``guesses`` lists the best guesses and ``fallback`` is the
    coarser unit it is sure of (the district or governorate named in the mention or context, or the
    governorate all likely guesses share), put first in the list; None when it is sure of nothing."""

    def __init__(self, items: list[Candidate] | None = None, reason: str = "", *,
                 probability: float | None = None, probability_governorate: float | None = None,
                 abstained: bool = False, fallback: Candidate | None = None,
                 guesses: list[Candidate] | None = None) -> None:
        super().__init__(items or [])
        self.reason = reason
        self.probability = probability
        self.probability_governorate = probability_governorate
        self.abstained = abstained if items else True
        self.fallback = fallback
        self.guesses = guesses if guesses is not None else list(self)
        self.features: dict[str, float] | None = None  # what the probability was computed from

    @property
    def answer(self) -> Candidate | None:
        """The place answered (None when abstained): the level to trust is ``fallback``."""
        return None if self.abstained or not self else self[0]

    def to_dicts(self) -> list[dict]:
        """The candidates as plain dicts, best first."""
        return [c.to_dict() for c in self]


@dataclass
class PlaceMention:
    """A place named in free text: ``text[start:end]`` is the name; ``phrase_start`` includes a type
    word or relative phrase before it ("قضاء", "جنوب غرب"); ``candidate`` is the best match."""

    text: str
    start: int
    end: int
    phrase_start: int
    candidate: Candidate | None
    hint: str | None = None
    direction: str | None = None
    n_candidates: int = 0
    alternatives: list[Candidate] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        """Plain dict with the candidate nested as a dict."""
        d = {k: getattr(self, k) for k in ("text", "start", "end", "phrase_start", "hint", "direction",
                                           "n_candidates")}
        d["candidate"] = self.candidate.to_dict() if self.candidate else None
        return d


# --- scoring ----------------------------------------------------------------------------------------------
@dataclass
class _Ctx:
    admin1: set[str] = field(default_factory=set)
    admin2: set[str] = field(default_factory=set)
    admin3: set[str] = field(default_factory=set)
    country: str | None = None
    units: list[tuple[int, int, bool]] = field(default_factory=list)  # (level 0-2, pid, from the mention)

    def fallback_unit(self, g: Gazetteer, level: int = 0) -> int | None:
        """The admin unit the context points to, if it points to one: units named in the mention
        itself win; units from free text count only when they agree (one governorate, and one
        district for a district-level answer). ``level`` is the least specific level accepted."""
        own = [u for u in self.units if u[2]]
        cands = own or self.units
        if not cands:
            return None
        c = g.cols
        if not own:
            a1 = {c["admin1_code"][u[1]] for u in cands}
            if len(a1) != 1:
                return None
            a2 = {c["admin2_code"][u[1]] for u in cands if u[0] >= 1}
            if len(a2) > 1 or any(u[0] == 0 for u in cands) and a2 and level >= 1:
                return g.unit_pid.get(next(iter(a1))) if level == 0 else None
        best = max(u[0] for u in cands)
        if best < level:
            return None
        return next(u[1] for u in cands if u[0] == best)


def _score(g: Gazetteer, pid: int, quality: float, hint: str | None, ctx: _Ctx) -> float:
    c = g.cols
    ft = c["feature_type"][pid]
    s = c["prior"][pid] * quality
    if hint:
        bonus = _HINT_FAMILY.get(hint, {}).get(ft)
        if bonus is not None:
            s += bonus
        elif hint in _ADMIN_HINTS or hint in _SITES:
            s -= 0.3
    if ft == "region" and ctx.admin1:
        if _region_admins(g).get(pid, ((), ()))[0] and ctx.admin1 & set(_region_admins(g)[pid][0]):
            s += 0.5  # the text names a governorate the region covers
    elif ctx.admin1:
        a1 = c["admin1_code"][pid]
        if a1 in ctx.admin1:
            s += 0.5
            if ctx.admin2 and c["admin2_code"][pid] in ctx.admin2 and ft != "district":
                s += 0.3
            if ctx.admin3 and c["admin3_code"][pid] in ctx.admin3 and ft != "subdistrict":
                s += 0.2
        elif len(ctx.admin1) == 1:
            s -= 0.4  # one governorate named and this is not in it (a list of several says less)
    if ctx.country and c["country"][pid] != ctx.country:
        s -= 1.0
    return s


_REGION_CACHE: dict[int, dict[int, tuple[list[str], list[str]]]] = {}


def _region_admins(g: Gazetteer) -> dict[int, tuple[list[str], list[str]]]:
    """pid of each named region -> (admin1 codes, admin2 codes) it covers."""
    out = _REGION_CACHE.get(id(g))
    if out is None:

        by_id = {r["region_id"]: (r["admin1_codes"], r["admin2_codes"]) for r in region_table().to_dict("records")}
        out = {}
        for pid, src in enumerate(g.cols["source"]):
            if src and src.startswith("regions.csv:"):
                out[pid] = by_id.get(src.split(":", 1)[1], ([], []))
        _REGION_CACHE[id(g)] = out
    return out


def _adopt_context_admin(g: Gazetteer, cand: Candidate, ctx: _Ctx) -> None:
    """A region spanning several governorates takes the one the text names (and its district)."""
    a1s, a2s = _region_admins(g).get(cand.place_id, ([], []))
    hit1 = [a for a in a1s if a in ctx.admin1]
    if not hit1 or cand.admin1_code == hit1[0] and not ctx.admin2:
        return
    c = g.cols
    u1 = g.unit_pid.get(hit1[0])
    if u1 is None:
        return
    cand.admin1_code, cand.admin1_en, cand.admin1_ar = hit1[0], c["admin1_en"][u1], c["admin1_ar"][u1]
    def in_a1(code: str | None) -> bool:
        u = g.unit_pid.get(code or "")
        return u is not None and c["admin1_code"][u] == hit1[0]

    hit2 = [a for a in a2s if a in ctx.admin2 and in_a1(a)]
    if hit2:
        u2 = g.unit_pid[hit2[0]]
        cand.admin2_code, cand.admin2_en, cand.admin2_ar = hit2[0], c["admin2_en"][u2], c["admin2_ar"][u2]
    elif not in_a1(cand.admin2_code):
        cand.admin2_code = cand.admin2_en = cand.admin2_ar = None
    cand.reason += "; region admin units taken from the context"


def _precision(ft: str) -> str:
    return _ADMIN_PRECISION.get(ft, "exact")


_BASE_CACHE: dict[tuple[int, int], tuple] = {}


def _base(g: Gazetteer, pid: int) -> tuple:
    """The static fields of a place's candidate (name ... admin3_ar), built once per place."""
    key = (id(g), pid)
    b = _BASE_CACHE.get(key)
    if b is None:
        c = g.cols
        b = (c["name"][pid] or (c["name_ar"][pid] or ""), c["name_ar"][pid], c["feature_type"][pid],
             round(float(c["lat"][pid]), 6), round(float(c["lon"][pid]), 6), c["country"][pid],
             c["admin1_code"][pid], c["admin1_en"][pid], c["admin1_ar"][pid],
             c["admin2_code"][pid], c["admin2_en"][pid], c["admin2_ar"][pid],
             c["admin3_code"][pid], c["admin3_en"][pid], c["admin3_ar"][pid])
        _BASE_CACHE[key] = b
    return b


def _make(g: Gazetteer, pid: int, raw: float, matched: str, reason: str, precision: str | None = None,
          direction: str | None = None) -> Candidate:
    b = _base(g, pid)
    score = raw / _SCORE_SCALE
    score = 0.0 if score < 0 else (1.0 if score > 1 else round(score, 4))
    return Candidate(*b, precision or _ADMIN_PRECISION.get(b[2], "exact"), score, direction, None, matched,
                     reason, pid, g.cols["population"][pid] or 0)


def _rank(g: Gazetteer, hits: dict[int, tuple[float, str]], hint: str | None, ctx: _Ctx,
          top: int = _TOP_N) -> list[tuple[int, float, str]]:
    """Score hits ``{pid: (quality, matched)}``, drop near-duplicates, best first."""
    c = g.cols
    scored = sorted(((_score(g, pid, q, hint, ctx), pid, m) for pid, (q, m) in hits.items()), reverse=True)
    if ctx.country:
        same = [t for t in scored if c["country"][t[1]] == ctx.country]
        scored = same or scored
    kept: list[tuple[int, float, str]] = []
    for s, pid, m in scored:
        ft = c["feature_type"][pid]
        fam = "settlement" if ft in _SETTLEMENT else ft
        dup = False
        for kpid, _ks, _km in kept:
            kft = c["feature_type"][kpid]
            kfam = "settlement" if kft in _SETTLEMENT else kft
            if kfam == fam and c["admin2_code"][kpid] == c["admin2_code"][pid] and \
                    abs(c["lat"][kpid] - c["lat"][pid]) < 0.12 and abs(c["lon"][kpid] - c["lon"][pid]) < 0.12:
                dup = True
                break
        if not dup:
            kept.append((pid, s, m))
            if len(kept) >= top:
                break
    return kept


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, stopping early above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


_NISBA_FT = frozenset({"governorate", "district", "region", "city"})
_BANK_SUFFIX = frozenset(normalize_name(w) for w in ("جزيرة", "شامية", "jazira", "jazirah", "jezira",
                                                     "shamiya", "shamiyah", "shamia"))


def _fuzzy_keys(g: Gazetteer, key: str) -> list[tuple[int, str]]:
    """``(distance, key)`` of strong places within a small edit distance of ``key`` (1 for names
    under 6 letters, else 2), same first letter, nearest only: catches "Niveneh", "Jalalwa"."""
    return _fuzzy_keys_cached(id(g), key)


@lru_cache(maxsize=20_000)
def _fuzzy_keys_cached(_gid: int, key: str) -> list[tuple[int, str]]:
    g = load_gazetteer()
    n = len(key)
    if n < 5:
        return []
    limit = 1 if n < 6 else 2
    out: list[tuple[int, str]] = []
    sk = g.strong_keys()
    for m in range(n - limit, n + limit + 1):
        for k in sk.get(m, ()):
            if k[0] == key[0]:
                d = _edit_distance(key, k, limit)
                if d <= limit:
                    out.append((d, k))
    out.sort()
    return [(d, k) for d, k in out if d == out[0][0]] if out else []


# --- lookup of a token span ----------------------------------------------------------------------------------
def _lookup_tokens(g: Gazetteer, norms: list[str], *, loose: bool = True) -> tuple[dict[int, tuple[float, str]], str | None, str]:
    """Place ids for a name given as normalised tokens (type words allowed at either end).

    Returns ``(hits, hint, how)`` with ``hits = {pid: (match quality, matched key)}``."""
    norms = [t for t in norms if t]
    if not norms:
        return {}, None, ""
    key = " ".join(norms)
    bare, hint = strip_qualifiers(key)
    hits: dict[int, tuple[float, str]] = {}
    for k, q in ((key, 1.0), (bare, 1.0)):
        for pid in g.exact.get(k, ()):
            hits.setdefault(pid, (q, k))
    if hits:
        if loose and not any(g._is_strong(p) for p in hits) and detect_script(bare) == "ar":
            sk = ar_to_skeleton(bare)
            if len(sk) >= 4:  # only weak places share the Arabic spelling: try Latin-named towns too
                for pid in g.skeleton_index().get(sk, ()):
                    hits.setdefault(pid, (0.7, sk))
        return hits, hint, "exact"
    btoks = bare.split()
    # clitic stems: several may be names ("وكبيسة" -> "كبيسه" or, with وك, "بيسه"): prefer a stem naming a
    # strong place, then the longest stem (the fewest letters taken as clitics)
    best: tuple[tuple[bool, int], dict[int, tuple[float, str]], str | None] | None = None
    for v, q in _variants(btoks[0])[1:]:
        k = " ".join([v, *btoks[1:]])
        bare2, hint2 = strip_qualifiers(k)
        vh: dict[int, tuple[float, str]] = {}
        for kk in (k, bare2):
            for pid in g.exact.get(kk, ()):
                vh.setdefault(pid, (q, kk))
        if vh:
            rank = (any(g._is_strong(p) for p in vh), len(v))
            if best is None or rank > best[0]:
                best = (rank, vh, hint2)
    if best is not None:
        return best[1], hint or best[2], "prefix"
    if len(btoks) > 1 and btoks[-1] in _BANK_SUFFIX:
        # Euphrates villages named by river bank: "زغير جزيرة" / "سويدان شامية" -> "زغير" when only the
        # bare name is known
        sub, _h, sub_how = _lookup_tokens(g, btoks[:-1], loose=loose)
        if sub:
            return {pid: (q * 0.9, k) for pid, (q, k) in sub.items()}, hint, sub_how or "exact"
    if loose and (bare in QUALIFIERS_EN or bare in QUALIFIERS_AR or bare in _STOP_EN or bare in _STOP_AR):
        return {}, hint, ""  # a type word or a common word alone is not a name to guess at
    if loose:
        is_ar = detect_script(bare) == "ar"
        if not is_ar:
            rh = _rom_exact(g, bare)
            if rh:
                return rh, hint, "romanised"
        if is_ar:
            lk = bare.replace(" ", "")
            cands = [lk] + [strip_ar_article(v) for v in strip_ar_prefixes(lk)[1:]]
        else:
            cands = [loose_key(bare)]
        for lk in cands:
            if len(lk) < 3:
                continue
            for pid in g.loose.get(lk, ()):
                if len(lk) >= 4 or g._is_strong(pid):  # 3-letter skeletons collide: strong places only
                    hits.setdefault(pid, (0.8, lk))
            if hits:
                break
        if not is_ar:
            for pid, qk in _rom_near(g, bare).items():
                if pid not in hits or hits[pid][0] < qk[0]:
                    hits[pid] = qk
        if hits:
            return hits, hint, "loose"
        if is_ar:
            sk = ar_to_skeleton(bare)
            if len(sk) >= 4:
                for pid in g.skeleton_index().get(sk, ()):
                    hits.setdefault(pid, (0.7, sk))
                if hits:
                    return hits, hint, "cross-script"
        sk_hits = _rom_skeleton_hits(g, bare, is_ar)
        if sk_hits:
            return sk_hits, hint, "skeleton"
        if is_ar and " " not in bare and len(bare) > 4 and bare.endswith(("يه", "ي")):
            stem = bare[:-2] if bare.endswith("يه") else bare[:-1]  # nisba: "الحمصية" -> "حمص"
            for pid in g.exact.get(stem, ()):
                if g.cols["feature_type"][pid] in _NISBA_FT:
                    hits.setdefault(pid, (0.8, stem))
            if hits:
                return hits, hint, "adjective"
        for d, k in _fuzzy_keys(g, bare):
            for pid in g.exact.get(k, ()):
                if g._is_strong(pid) and (d < 2 or g.cols["feature_type"][pid] in _NISBA_FT):
                    hits.setdefault(pid, (0.7, k))
        if hits:
            return hits, hint, "fuzzy"
    return {}, hint, ""


def _rom_exact(g: Gazetteer, bare: str) -> dict[int, tuple[float, str]]:
    """Places sharing a romanisation key with the name (or its qualifier-free variants)."""
    ri = g.romidx
    hits: dict[int, tuple[float, str]] = {}
    if ri is None:
        return hits
    for k, loss in rom_variants(bare):
        for pid, gloss in ri.rom.get(k, ()):
            q = round(_Q_ROM - loss - gloss, 3)
            if pid not in hits or hits[pid][0] < q:
                hits[pid] = (q, k)
    return hits


def _rom_near(g: Gazetteer, bare: str) -> dict[int, tuple[float, str]]:
    """Places whose romanisation key is 1 edit (2 for long keys) from the name's key."""
    ri = g.romidx
    hits: dict[int, tuple[float, str]] = {}
    if ri is None:
        return hits
    var = rom_variants(bare)
    if not var:
        return hits
    key = var[0][0]
    for dist, k in ri.near(key)[:40]:
        base = _Q_NEAR1 if dist == 1 else _Q_NEAR2
        for pid, gloss in ri.rom.get(k, ()):
            q = round(base - gloss, 3)
            if pid not in hits or hits[pid][0] < q:
                hits[pid] = (q, k)
    return hits


def _rom_skeleton_hits(g: Gazetteer, bare: str, is_ar: bool) -> dict[int, tuple[float, str]]:
    """Places whose consonant skeleton (from a Latin or an Arabic name) equals the name's: Arabic
    mentions meet places known only by a Latin name and the other way round."""
    ri = g.romidx
    if ri is None:
        return {}
    sk = rom_skeleton_ar(bare) if is_ar else rom_skeleton(bare)
    if len(sk) < 5:  # shorter skeletons collide with too many unrelated villages
        return {}
    return {pid: (_Q_SKEL, sk) for pid in ri.skel.get(sk, ())[:60]}


def _best_reading(g: Gazetteer, pids: list[int] | tuple[int, ...], hint: str | None) -> int:
    """The most plausible reading of an ambiguous name on its own (prior plus type-word bonus)."""
    c = g.cols
    return max(pids, key=lambda p: c["prior"][p] + _HINT_FAMILY.get(hint or "", {}).get(c["feature_type"][p], 0.0))


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
                   exclude: frozenset[str] = frozenset()) -> _Ctx:
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
    for pids, hint, own, rel in items:
        _add_unit(g, ctx, _best_reading(g, pids, hint), own=own, rel=rel)
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


# --- public API -----------------------------------------------------------------------------------------------
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
                      "\ufff0-\uffff\U000e0000-\U000e007f]")
_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def _check_text(s: object, limit: int) -> tuple[str | None, str]:
    if not isinstance(s, str):
        return None, f"not a string ({type(s).__name__})"
    if _CONTROL.search(s):
        s = strip_control(s)
    s = s.strip()
    if not s:
        return None, "empty mention"
    if len(s) > limit:
        return None, f"too long ({len(s)} characters; limit {limit})"
    if not _LETTER.search(s):
        return None, "no Arabic or Latin letters"
    return s, ""


@dataclass(frozen=True)
class _Analysis:
    """Everything about a mention that does not depend on the context (cached per mention)."""

    reason: str
    p: _Parsed | None = None
    target: tuple = ()
    hits: dict = field(default_factory=dict)
    hint: str | None = None
    how: str = ""
    reason_bits: tuple[str, ...] = ()
    exclude: frozenset[str] = frozenset()


_ANALYSIS_CACHE_SIZE = 50_000
_COUNTRY = {"IQ": "IQ", "IRQ": "IQ", "IRAQ": "IQ", "العراق": "IQ", "SY": "SY", "SYR": "SY", "SYRIA": "SY",
            "سوريا": "SY", "سورية": "SY"}


_ADMIN_FT = frozenset({"governorate", "district", "subdistrict"})


def _analyse_alternatives(g: Gazetteer, text: str) -> _Analysis | None:
    """"A / B village", "A (B) village": each name looked up; a place named by two of them gains,
    a parenthesis naming an admin unit stays context."""
    parts = split_alternatives(text)
    if len(parts) < 2:
        return None
    subs = [_analyse(p) for p in parts if p and p != text]
    subs = [a for a in subs if a.p is not None and a.hits]
    if not subs:
        return None
    base = subs[0]
    hits = dict(base.hits)
    c = g.cols
    for a in subs[1:]:
        if any(c["feature_type"][p] in _ADMIN_FT for p in a.hits) and not any(
                c["feature_type"][p] in _ADMIN_FT for p in base.hits):
            continue
        for pid, (q, k) in a.hits.items():
            if pid in hits:
                hits[pid] = (min(1.0, max(hits[pid][0], q) + 0.05), hits[pid][1])
            else:
                hits[pid] = (round(q * 0.95, 3), k)
    return _Analysis(base.reason, base.p, base.target, hits, base.hint or next((a.hint for a in subs if a.hint), None),
                     base.how, (*base.reason_bits, "alternative names compared"),
                     frozenset().union(*(a.exclude for a in subs)))


@lru_cache(maxsize=_ANALYSIS_CACHE_SIZE)
def _analyse(text: str) -> _Analysis:
    g = load_gazetteer()
    if "/" in text or "(" in text:
        alt = _analyse_alternatives(g, text)
        if alt is not None:
            return alt
    toks = _tokens(text)
    if not any(t.norm for t in toks):
        return _Analysis("no name left after normalisation")
    whole_hits, _whole_hint, _how = _lookup_tokens(g, [t.norm for t in toks], loose=False)
    if whole_hits and len(toks) > 1:
        p = _Parsed(toks, [], [], None, None, False)  # the whole mention is a name ("ريف دمشق", a region)
    else:
        p = _parse(toks)
    target = p.head or p.anchor
    hits, hint, how = _lookup_tokens(g, [t.norm for t in target])
    reason_bits: list[str] = []
    if not hits:
        # a list ("بلدات خشام وحطلة ومراط", "Shahil and Dhiban"): the first item is the place meant
        cut = _first_conjunct(target)
        if cut:
            hits, hint, how = _lookup_tokens(g, [t.norm for t in target[:cut]])
            if hits:
                how = "first item of a list"
                p.context.append(list(target[cut:]))
                target = target[:cut]
    if hits and how in ("loose", "skeleton") and len(target) > 1 and _scan(g, list(target), strong_only=True):
        hits = {}  # a spelling guess on a whole phrase loses to a known place named inside it ("Anbar's Rutbah")
    if not hits:
        # a longer phrase: take the best place found inside it
        n_name = len(strip_qualifiers(" ".join(t.norm for t in target if t.norm))[0].split())
        found = [m for m in _scan(g, target, strong_only=False)
                 if (m[1] - m[0]) * 3 >= 2 * n_name or any(g.cols["feature_type"][q] in _STRONG_FT for q in m[2])]
        if found:
            # the most specific place in the phrase is the one meant ("Anbar's Rutbah"); the rest is context
            level = {"governorate": 0, "region": 0, "district": 1, "subdistrict": 2}
            k = max(range(len(found)), key=lambda j: (level.get(g.cols["feature_type"][_best_reading(
                g, found[j][2], found[j][3])], 3), -j))
            i0, i1, pids, fhint = found[k][0], found[k][1], found[k][2], found[k][3]
            hits = {pid: (0.9, " ".join(t.norm for t in target[i0:i1])) for pid in pids}
            hint, how = fhint, "inside phrase"
            p.context.extend(target[m[0]:m[1]] for j, m in enumerate(found) if j != k)
        elif p.head and p.anchor:
            target = p.anchor
            hits, hint, how = _lookup_tokens(g, [t.norm for t in target])
            p = _Parsed([], p.anchor, p.context, p.direction, p.distance_km, True)
            reason_bits.append("head not found; anchor used")
    if p.head and p.tail_start is not None and (not hits or how == "fuzzy"):
        # "X في Y", "X in Y", "X, Y": X unknown (or only a spelling guess) -> the place containing it
        sub = _analyse(text[p.tail_start:])
        if sub.p is not None and sub.hits and (not hits or _admin1_of(g, hits) != _admin1_of(g, sub.hits)):
            missing = " ".join(t.raw for t in target)
            bits = (f"{missing!r} not found; the place it is said to be in used", *sub.reason_bits)
            return _Analysis("", sub.p, sub.target, sub.hits, sub.hint, sub.how, bits, sub.exclude)
    own_key = strip_qualifiers(" ".join(t.norm for t in target if t.norm))[0]
    exclude = frozenset({own_key, *(k for _q, k in hits.values() if k)})
    return _Analysis("", p, tuple(target), hits, hint, how, tuple(reason_bits), exclude)


def _first_conjunct(toks: list[_Tok] | tuple[_Tok, ...]) -> int:
    """Index where the second item of a list starts ("X and Y", "X وY", "X و Y"), or 0."""
    for k in range(1, len(toks)):
        n = toks[k].norm
        if n in _AND or (n.startswith("و") and len(n) > 3 and toks[k].raw.startswith("و")):
            return k
    return 0


def _admin1_of(g: Gazetteer, hits: dict[int, tuple[float, str]]) -> str | None:
    """Governorate of the most plausible reading of a set of hits (prior times match quality)."""
    c = g.cols
    best = max(hits, key=lambda p: c["prior"][p] * hits[p][0])
    return c["admin1_code"][best]


def geocode(mention: str, context: str | None = None, country: str | None = None) -> GeocodeResult:
    """Ranked candidates for one place mention (Arabic or English), best first.

    ``context`` is surrounding text (admin units named there favour candidates inside them);
    ``country`` ("IQ"/"SY", also "Iraq"/"سوريا"...) keeps that country's candidates when any exist. Never raises
    on bad input: returns an empty :class:`GeocodeResult` whose ``reason`` says why."""
    text, why = _check_text(mention, MAX_MENTION_CHARS)
    if text is None:
        return GeocodeResult([], why)
    try:
        an = _analyse(text)
    except RecursionError:  # pragma: no cover - pathological input
        return GeocodeResult([], "mention could not be analysed")
    if an.p is None:
        return GeocodeResult([], an.reason)
    g = load_gazetteer()
    p, target, hits, hint, how = an.p, an.target, an.hits, an.hint, an.how
    reason_bits = list(an.reason_bits)
    cty = _COUNTRY.get(country.strip().upper()) if isinstance(country, str) else None
    ctx_text = None
    if isinstance(context, str) and context.strip():
        ctx_text = strip_control(context)[:MAX_TEXT_CHARS]
    rel_anchor = bool(p.head and p.anchor)
    if p.context or ctx_text or rel_anchor:
        ctx = _context_codes(g, list(p.context), ctx_text, an.exclude)
    else:
        ctx = _Ctx()
    if rel_anchor:  # "ناحية الرياض جنوب غرب كركوك": the anchor names the governorate around the place
        a_hits, a_hint, _h = _lookup_tokens(g, [t.norm for t in p.anchor], loose=False)
        if a_hits:
            _add_unit(g, ctx, _best_reading(g, list(a_hits), a_hint), own=True, rel=True)
    ctx.country = cty
    missing = " ".join(t.raw for t in target)
    if not hits:
        unit = ctx.fallback_unit(g)
        if unit is None:
            return GeocodeResult([], f"no gazetteer match for {missing!r}")
        cand = _make(g, unit, 0.5, "", f"{missing!r} not in the gazetteer; admin unit named in the context")
        return GeocodeResult([cand], cand.reason, probability=0.0, abstained=True, fallback=cand, guesses=[])
    ranked = _rank(g, hits, hint, ctx)
    top_pid = ranked[0][0]
    c = g.cols
    weak_top = c["feature_type"][top_pid] in _SETTLEMENT and not g._is_strong(top_pid)
    unit = None
    if ctx.admin1 and c["admin1_code"][top_pid] not in ctx.admin1 and (weak_top or hint in _SETTLEMENT):
        unit = ctx.fallback_unit(g)  # the named place is not known inside the admin unit the text names
    elif weak_top and ctx.admin2 and c["admin2_code"][top_pid] not in ctx.admin2:
        unit = ctx.fallback_unit(g, level=1)
    if unit is not None and unit != top_pid:
        ranked.insert(0, (unit, ranked[0][1], ""))
        reason_bits.append(f"{missing!r} not found inside the admin unit named in the context; that unit given first")
    near = (not p.head) and p.relative
    if near and p.distance_km:
        # "50 km south of Tikrit": measure from the town, not from the district's centroid
        pts = [r for r in ranked if c["feature_type"][r[0]] not in _ADMIN_PRECISION]
        if pts and pts[0] is not ranked[0] and pts[0][1] >= 0.6 * ranked[0][1]:
            ranked.remove(pts[0])
            ranked.insert(0, pts[0])
    tail = "; ".join(reason_bits)
    out: list[Candidate] = []
    for pid, raw, matched in ranked:
        why_bits = [f"{how} match on {matched!r}"]
        if hint:
            why_bits.append(f"type word -> {hint}")
        if ctx.admin1:
            why_bits.append("context admin1 " + ("matches" if c["admin1_code"][pid] in ctx.admin1 else "differs"))
        if near:
            why_bits.append("relative phrase: anchor place")
        if tail:
            why_bits.append(tail)
        cand = _make(g, pid, raw, matched, "; ".join(why_bits),
                     precision="near" if near else None, direction=p.direction if near else None)
        if near and p.distance_km:
            cand.distance_km = p.distance_km
            _apply_offset(cand)
        if cand.feature_type == "region" and ctx.admin1:
            _adopt_context_admin(g, cand, ctx)
        out.append(cand)
    if not out:
        return GeocodeResult([], "no candidate")
    return _decide(g, out, ranked, an, hits, hint, ctx, cty is not None, inserted=unit is not None and unit != top_pid)


def _decide(g: Gazetteer, out: list[Candidate], ranked: list[tuple[int, float, str]], an: _Analysis,
            hits: dict, hint: str | None, ctx: _Ctx, country_given: bool, inserted: bool) -> GeocodeResult:
    """Calibrated probability of the answer and, below the threshold, abstention with the coarser
    unit it is sure of first (see :class:`GeocodeResult`)."""
    model = load_model()
    c = g.cols
    top = out[0]
    pid = top.place_id
    ft = top.feature_type
    feats = features(
        how="unit" if inserted else an.how, quality=hits.get(pid, (0.5, ""))[0], ft=ft,
        population=top.population, ucdp="ucdp" in (c["sources"][pid] or ""), ctx_a1=bool(ctx.admin1),
        in_ctx_a1=top.admin1_code in ctx.admin1, ctx_a2=bool(ctx.admin2), in_ctx_a2=top.admin2_code in ctx.admin2,
        country_given=country_given, scores=[(r[1], c["admin1_code"][r[0]], c["admin2_code"][r[0]]) for r in ranked],
        hint_match=bool(hint and ft in _HINT_FAMILY.get(hint, {})),
        alternatives="alternative names compared" in an.reason_bits)
    if model is None:
        res = GeocodeResult(out, top.reason)
        res.features = feats
        return res
    p2 = round(model.prob(feats, "district"), 4)
    p1 = round(model.prob(feats, "governorate"), 4)
    top.probability = p2
    if inserted:  # the place is not known inside the unit the text names: that unit is what it is sure of
        res = GeocodeResult(out, top.reason, probability=p2, probability_governorate=p1, abstained=True,
                            fallback=top, guesses=out[1:])
        res.features = feats
        return res
    if p2 >= model.threshold or top.precision == "near":
        res = GeocodeResult(out, top.reason, probability=p2, probability_governorate=p1)
        res.features = feats
        return res
    # not found: keep the coarser level it is sure of
    fb_pid = ctx.fallback_unit(g, level=1)
    if fb_pid is None and p1 >= model.gov_threshold and top.admin1_code:
        fb_pid = g.unit_pid.get(top.admin1_code)
    if fb_pid is None:
        fb_pid = ctx.fallback_unit(g)
    fallback = None
    if fb_pid is not None:
        fallback = _make(g, fb_pid, 0.5, "", f"{top.name!r} below the confidence threshold "
                         f"(p={p2:.2f}); the admin unit it is sure of")
        fallback.probability = p1 if c["feature_type"][fb_pid] == "governorate" else None
    guesses = [x for x in out if fallback is None or x.place_id != fallback.place_id]
    items = [fallback, *guesses] if fallback is not None else guesses
    res = GeocodeResult(items, f"not found with confidence (p={p2:.2f}); "
                        + (f"kept {fallback.precision} {fallback.name}" if fallback else "no coarser unit known"),
                        probability=p2, probability_governorate=p1, abstained=True, fallback=fallback,
                        guesses=guesses)
    res.features = feats
    return res


# --- scanning free text -------------------------------------------------------------------------------------------
_TRIGGERS_AR = frozenset(QUALIFIERS_AR) | frozenset({"بلدات", "قصبه", "مناطق", "ضواحي", "اطراف", "ريف", "قرب",
                                                     "بالقرب", "محيط", "باديه", "مدن", "شمال", "جنوب", "شرق",
                                                     "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "حقل", "جبال",
                                                     "سلسله", "بين", "ومدينه"})
_TRIGGERS_EN = frozenset(QUALIFIERS_EN) | _nset({"near", "outskirts", "of", "villages", "towns", "north",
                                                 "south", "east", "west", "in", "at", "around", "from",
                                                 "between", "northern", "southern", "eastern", "western"})
_TRIGGERS_AR = _nset(_TRIGGERS_AR)
_AND = frozenset({"and", "و", "or", "او"})
_STRONG_FT = frozenset({"governorate", "district", "region", "crossing", "camp", "prison", "oil_field",
                        "gas_field", "gas_plant", "military_base"})


def _trigger_forms(n: str) -> list[str]:
    if n and not _is_latin(n):
        return [n] + [strip_ar_article(v) for v in strip_ar_prefixes(n)[1:]]
    return [n]


def _has_trigger(toks: list[_Tok], i: int) -> tuple[bool, str | None, int]:
    """Is token ``i`` preceded by type words or relative words ("قضاء", "جنوب غرب", "near", "ريف")?
    Returns (found, type hint, index where the phrase starts); looks back up to three tokens."""
    found, hint, start = False, None, i
    j = i - 1
    while j >= 0 and i - j <= 3 and not toks[j + 1].sep_before:
        n = toks[j].norm
        if not n:
            j -= 1
            continue
        hit = False
        for f in _trigger_forms(n):
            if f in QUALIFIERS_AR or (f in QUALIFIERS_EN and j == i - 1):
                hint = hint or QUALIFIERS_AR.get(f) or QUALIFIERS_EN.get(f)
                hit = True
                break
            if f in _TRIGGERS_AR or (f in _TRIGGERS_EN and j >= i - 2) or f in _DIR_AR or f in _DIR_EN:
                hit = True
                break
        if not hit:
            break
        found, start = True, j
        j -= 1
    return found, hint, start


def _following_hint(toks: list[_Tok], e: int) -> str | None:
    if e < len(toks) and _is_latin(toks[e].norm) and toks[e].norm in QUALIFIERS_EN and not toks[e].sep_before:
        return QUALIFIERS_EN[toks[e].norm]
    return None


_Match = tuple[int, int, list[int], str | None, int, str]


def _scan(g: Gazetteer, toks: list[_Tok], strong_only: bool) -> list[_Match]:
    """Greedy longest-match scan: ``(tok_start, tok_end, pids, hint, phrase_tok_start, first_key_token)``
    per mention; the last item is the stem the first token matched as (clitics removed)."""
    out: list[_Match] = []
    n = len(toks)
    c = g.cols
    maxn = g.max_tokens
    i = 0
    while i < n:
        t0 = toks[i]
        if not t0.norm:
            i += 1
            continue
        latin = _is_latin(t0.norm)
        if latin and not t0.raw[:1].isupper():
            i += 1
            continue
        match = None
        variants = _variants_cached(t0.norm)
        first_len = g.first_len
        span_max = 1
        while span_max < min(maxn, n - i) and not toks[i + span_max].sep_before:
            span_max += 1  # no name runs across punctuation
        cands = [(v, q, first_len.get(v, 0)) for v, q in variants]
        top_l = max(k for _v, _q, k in cands)
        for L in range(min(top_l, span_max), 0, -1):
            rest = " ".join(t.norm for t in toks[i + 1:i + L] if t.norm)
            for v, q, k in cands:
                if k < L:
                    continue
                key = f"{v} {rest}" if rest else v
                pids = g.exact.get(key)
                if pids:
                    match = (L, list(pids), q, key)
                    break
            if match:
                break
        if not match and not latin:
            for L in range(min(3, span_max), 1, -1):  # glued / split spellings: "البو كمال" ~ "البوكمال"
                joined = "".join(t.norm for t in toks[i:i + L])
                pids = g.loose.get(joined)
                if pids:
                    match = (L, list(pids), 0.9, joined)
                    break
        if not match:
            i += 1
            continue
        L, pids, _q, key = match
        while L > 1 and not toks[i + L - 1].norm:
            L -= 1  # "Hammam al" -> "Hammam": an article left dangling at the end is not part of the name
        first_key = key.split(" ")[0]
        trig, hint, pstart = _has_trigger(toks, i)
        bare, khint = strip_qualifiers(key)
        if khint and bare != key:
            hint = khint  # a type word inside the matched name is closer than one before it
            pids = list(dict.fromkeys(pids + list(g.exact.get(bare, ()))))
            key = bare
        single = L == 1 or " " not in key
        hint = hint or _following_hint(toks, i + L)
        fts = {c["feature_type"][p] for p in pids}
        big = any(c["feature_type"][p] in ("city", "town") and (c["population"][p] or 0) >= 20_000 for p in pids)
        strong = bool(fts & _STRONG_FT) or big or ("subdistrict" in fts)
        stop = single and (key in _STOP_AR or key in _STOP_EN or (latin and t0.raw.lower() in _STOP_EN))
        coord = False
        if not trig and out and out[-1][1] == i - (1 if i > 0 and toks[i - 1].norm in _AND else 0) and \
                (t0.norm.startswith("و") or (i > 0 and toks[i - 1].norm in _AND) or t0.sep_before):
            trig, hint, coord = True, hint or out[-1][3], True  # a list: "الرطبة والقائم", "Hit, Haditha and Anah"
        ok = False
        if stop:
            ok = (trig and hint is not None and hint != "area") or (coord and strong)
        elif strong:
            ok = True
        elif not strong_only and trig:
            ok = True
        if ok:
            out.append((i, i + L, pids, hint, pstart, first_key))
            i += L
        else:
            i += 1
    return out


def find_places(text: str, country: str | None = None) -> list[PlaceMention]:
    """Place mentions in free text (Arabic or English), in order, each with ``[start, end)`` character
    offsets of the name and its best :class:`Candidate`. Admin units named anywhere in the text are
    used to pick between same-named places. Bad input gives an empty list."""
    if not isinstance(text, str) or not text.strip():
        return []
    text = text[:MAX_TEXT_CHARS]
    g = load_gazetteer()
    toks = _tokens(text)
    found = _scan(g, toks, strong_only=False)
    if not found:
        return []
    ctx = _Ctx(country=_COUNTRY.get(country.strip().upper()) if isinstance(country, str) else None)
    c = g.cols
    for _i0, _i1, pids, _h, _ps, _k in found:
        fts = {c["feature_type"][p] for p in pids}
        if len(pids) <= 4 or fts & {"governorate", "district"}:
            for p in pids:
                ft = c["feature_type"][p]
                if ft == "governorate":
                    ctx.admin1.add(c["admin1_code"][p])
                elif ft == "district":
                    ctx.admin1.add(c["admin1_code"][p])
                    ctx.admin2.add(c["admin2_code"][p])
    out: list[PlaceMention] = []
    for i0, i1, pids, hint, ps, first_key in found:
        direction = None
        near = False
        for k in range(ps, i0):
            d, _u = _direction_at(toks, k)
            if d and not direction:
                direction = d
            if d or any(f in _NEAR_AR or f in _NEAR_EN for f in _trigger_forms(toks[k].norm)):
                near = True
        if near and i1 < len(toks) and not toks[i1].sep_before:
            d, _u = _direction_at(toks, i1)  # "ريف دير الزور الشرقي"
            direction = direction or d
        # the mention's own governorate must not count as context against other readings
        ranked = _rank(g, {p: (1.0, "") for p in pids}, hint, ctx, top=3)
        best = None
        alts: list[Candidate] = []
        for k, (pid, raw, _m) in enumerate(ranked):
            cand = _make(g, pid, raw, " ".join(t.norm for t in toks[i0:i1]), "text scan",
                         precision="near" if near else None, direction=direction)
            if cand.feature_type == "region" and ctx.admin1:
                _adopt_context_admin(g, cand, ctx)
            if k == 0:
                best = cand
            else:
                alts.append(cand)
        start = toks[i0].start
        raw0 = toks[i0].raw
        if not _is_latin(toks[i0].norm) and first_key != toks[i0].norm:
            for k in range(1, min(4, len(raw0) - 1)):  # drop attached clitics (و ب ل ف ك) from the span
                if normalize_ar(raw0[:k], drop_article=False) in _CLITICS and normalize_name(raw0[k:]) == first_key:
                    start += k
                    break
        out.append(PlaceMention(text=text[start:toks[i1 - 1].end], start=start,
                                end=toks[i1 - 1].end, phrase_start=toks[ps].start, candidate=best, hint=hint,
                                direction=direction, n_candidates=len(pids), alternatives=alts))
    return out
