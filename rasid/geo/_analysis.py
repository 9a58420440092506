"""Context-free analysis of a mention (cached per mention string): parse, look up the place meant, lists,
alternative names ("A / B village"), chains ("X in Y") and the most specific place inside a phrase.
Private to the geocoder modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rasid.geo._lookup import _best_reading, _lookup_tokens
from rasid.geo._phrases import (
    _parse,
    _Parsed,
    _Tok,
    _tokens,
)
from rasid.geo._scan import _AND, _STRONG_FT, _scan
from rasid.geo.gazetteer import Gazetteer, load_gazetteer, strip_qualifiers
from rasid.lang.translit import split_alternatives


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
    pairs = [(part, _analyse(part)) for part in parts if part and part != text]
    pairs = [(part, a) for part, a in pairs if a.p is not None and a.hits]
    if not pairs:
        return None
    # a part that is a relative phrase ("مدينة الطبقة (55 كم غرب مدينة الرقة)") says where the place lies:
    # context, not another name of it
    names = [(part, a) for part, a in pairs if not _is_relative(a)] or pairs[:1]
    base = names[0][1]
    extra = [_tokens(part) for part, a in pairs if a is not base and _is_relative(a)]
    hits = dict(base.hits)
    c = g.cols
    for _part, a in names[1:]:
        if any(c["feature_type"][p] in _ADMIN_FT for p in a.hits) and not any(
                c["feature_type"][p] in _ADMIN_FT for p in base.hits):
            continue
        for pid, (q, k) in a.hits.items():
            if pid in hits:
                hits[pid] = (min(1.0, max(hits[pid][0], q) + 0.05), hits[pid][1])
            else:
                hits[pid] = (round(q * 0.95, 3), k)
    bp = base.p
    p = _Parsed(bp.head, bp.anchor, [*bp.context, *extra], bp.direction, bp.distance_km, bp.relative,
                bp.tail_start) if extra else bp
    bits = (*base.reason_bits, *(["alternative names compared"] if len(names) > 1 else []),
            *(["parenthesis read as context"] if extra else []))
    return _Analysis(base.reason, p, base.target, hits, base.hint or next((a.hint for _p, a in names if a.hint), None),
                     base.how, bits, frozenset().union(*(a.exclude for _p, a in pairs)))


def _is_relative(a: _Analysis) -> bool:
    return a.p is not None and (a.p.relative or a.p.distance_km is not None)


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
