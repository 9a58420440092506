"""Greedy longest-match scan of token sequences against the gazetteer's key dictionary, with the type and
relative words that license a weak name. Private to the geocoder modules."""

from __future__ import annotations

from rasid.geo._phrases import (
    _DIR_AR,
    _DIR_EN,
    _NAME_HEADS,
    _STOP_AR,
    _STOP_EN,
    _is_latin,
    _nset,
    _Tok,
    _variants_cached,
)
from rasid.geo.gazetteer import QUALIFIERS_AR, QUALIFIERS_EN, Gazetteer, strip_qualifiers
from rasid.lang.normalize import (
    strip_ar_article,
    strip_ar_prefixes,
)

_TRIGGERS_AR = frozenset(QUALIFIERS_AR) | frozenset({"بلدات", "قصبه", "مناطق", "ضواحي", "اطراف", "ريف", "قرب",
                                                     "بالقرب", "محيط", "باديه", "مدن", "شمال", "جنوب", "شرق",
                                                     "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "حقل", "جبال",
                                                     "سلسله", "بين", "ومدينه"})
_TRIGGERS_EN = frozenset(QUALIFIERS_EN) | _nset({"near", "outskirts", "of", "villages", "towns", "north",
                                                 "south", "east", "west", "in", "at", "around", "from",
                                                 "between", "northern", "southern", "eastern", "western"})
_TRIGGERS_AR = _nset(_TRIGGERS_AR)
_AND = frozenset({"and", "و", "or", "او"})
# words that may follow a one-word place without belonging to its name
_FUNCTION = frozenset({"في", "من", "على", "علي", "الى", "الي", "عن", "مع", "قرب", "بين", "التابعه", "الواقعه", "و",
                       "in", "of", "on", "at", "near", "and", "to", "from", "with", "village", "town", "district"})
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
        if n in QUALIFIERS_AR and toks[j].raw.startswith(("ال", "وال", "بال", "فال", "لل", "ولل")):
            break  # "تلك القرية بيد التنظيم": "the village" points back, it types no name after it
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


# words that place a name inside the unit named next: "ذيبان بريف دير الزور", "X شرق حلب", "X التابعة لقضاء Y"
_LOCATOR_AR = _nset(frozenset({"ريف", "باديه", "اطراف", "محافظه", "قضا", "ناحيه", "مدينه", "التابعه", "الواقعه"}))
_UNIT_FT = frozenset({"governorate", "district", "subdistrict"})


def _located_after(g: Gazetteer, toks: list[_Tok], e: int, pids: list[int]) -> list[int]:
    """The candidates of a weak name that lie in the unit the next words name ("في ذيبان بريف دير
    الزور الشرقي": the Dhiban of Deir ez-Zor), or [] when no such locator follows. A name no type
    word licenses is still a place when the text itself says where it lies and the gazetteer agrees."""
    c = g.cols
    j = e
    seen_locator = False
    while j < len(toks) and j - e < 3 and not toks[j].sep_before:
        forms = _trigger_forms(toks[j].norm) if toks[j].norm else []
        if any(f in _LOCATOR_AR or f in _DIR_AR for f in forms):
            seen_locator = True
            j += 1
            continue
        break
    if not seen_locator or j >= len(toks) or toks[j].sep_before:
        return []
    for L in (3, 2, 1):
        if j + L > len(toks) or any(t.sep_before for t in toks[j + 1:j + L]):
            continue
        words = [t.norm for t in toks[j:j + L]]
        if not all(words):
            continue
        for v in _trigger_forms(words[0]):
            unit = [u for u in g.exact.get(" ".join([v] + words[1:]), ())
                    if c["feature_type"][u] in _UNIT_FT or c["feature_type"][u] in ("city", "town")]
            if not unit:
                continue
            codes = {c["admin1_code"][u] for u in unit if c["feature_type"][u] == "governorate"}
            codes |= {c["admin2_code"][u] for u in unit if c["feature_type"][u] != "governorate"}
            inside = [p for p in pids if c["admin1_code"][p] in codes or c["admin2_code"][p] in codes]
            if inside:
                return inside
    return []


def _following_hint(toks: list[_Tok], e: int) -> str | None:
    if e < len(toks) and _is_latin(toks[e].norm) and toks[e].norm in QUALIFIERS_EN and not toks[e].sep_before:
        return QUALIFIERS_EN[toks[e].norm]
    return None


_Match = tuple[int, int, list[int], str | None, int, str]


def _rank_ft(c: dict, pids) -> int:
    """2 for a unit or a strong site, 1 for a city or town, 0 for a village or smaller."""
    fts = {c["feature_type"][p] for p in pids}
    return 2 if fts & _STRONG_FT else 1 if fts & {"city", "town", "subdistrict"} else 0


def _outranks(c: dict, pids, other) -> bool:
    """Whether one stem's places are of a higher kind than another's (clitic readings of a token)."""
    return _rank_ft(c, pids) > _rank_ft(c, other)


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
                if pids and (match is None or (q < 1.0 and _outranks(c, pids, match[1]))):
                    # "وبيجي": the town Baiji (و + بيجي) over a village Yiji (وب + يجي)
                    match = (L, list(pids), q, key)
                    if q == 1.0:
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
        # sub-districts with a polygon (Iraq) stand alone; Syrian OCHA sub-district names (الكرامة، الجلاء، الشجرة
        # …) are often common words and need a type or relative word like villages
        strong = bool(fts & _STRONG_FT) or big or any(
            c["feature_type"][p] == "subdistrict" and not str(c["source"][p]).startswith("ocha-") for p in pids)
        stop = single and (key in _STOP_AR or key in _STOP_EN or (latin and t0.raw.lower() in _STOP_EN))
        if single and (key in QUALIFIERS_AR or key in QUALIFIERS_EN):
            i += 1
            continue  # "مركز ناحية (قره تبة)": a type word is never itself the name
        coord = False
        if not trig and out and out[-1][1] == i - (1 if i > 0 and toks[i - 1].norm in _AND else 0) and \
                (t0.norm.startswith("و") or (i > 0 and toks[i - 1].norm in _AND) or t0.sep_before):
            trig, hint, coord = True, hint or out[-1][3], True  # a list: "الرطبة والقائم", "Hit, Haditha and Anah"
        ok = False
        if stop and L == 1 and key in _NAME_HEADS and i + 1 < n and toks[i + 1].norm and not toks[i + 1].sep_before \
                and toks[i + 1].norm not in _FUNCTION:
            pass  # "قرية أبو ماريا": the head of a longer name the gazetteer lacks, not the village "Abu"
        elif stop and L == 1 and (key in _DIR_AR or key in _DIR_EN):
            pass  # "حي بشمال بغداد": a direction, even after a type word
        elif stop:
            ok = (trig and hint is not None and hint != "area") or (coord and strong)
        elif strong:
            ok = True
        elif not strong_only and trig:
            ok = True
        elif not strong_only and not latin:
            inside = _located_after(g, toks, i + L, pids)
            if inside:
                pids, ok = inside, True
        if ok:
            out.append((i, i + L, pids, hint, pstart, first_key))
            i += L
        else:
            i += 1
    return out
