"""Lookup of a name (given as normalised tokens) in the gazetteer: exact keys, clitic stems, romanisation
keys and their near neighbours, loose and consonant skeletons, nisba adjectives and a small edit-distance
search, each with its match quality. Private to the geocoder modules."""

from __future__ import annotations

from functools import lru_cache

from rasid.geo._phrases import (
    _STOP_AR,
    _STOP_EN,
    _variants,
)
from rasid.geo._scoring import _HINT_FAMILY, _Q_NEAR1, _Q_NEAR2, _Q_ROM, _Q_SKEL
from rasid.geo.gazetteer import QUALIFIERS_AR, QUALIFIERS_EN, Gazetteer, load_gazetteer, strip_qualifiers
from rasid.lang.normalize import (
    ar_to_skeleton,
    detect_script,
    loose_key,
    normalize_name,
    strip_ar_article,
    strip_ar_prefixes,
)
from rasid.lang.translit import edit_distance, rom_skeleton, rom_skeleton_ar, rom_variants

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
                d = edit_distance(key, k, limit)
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
