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

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from types import MappingProxyType

from rasid.geo._analysis import _analyse, _Analysis
from rasid.geo._confidence import features, load_model
from rasid.geo._context import (
    MAX_TEXT_CHARS,
    _add_unit,
    _admin_at,
    _apply_offset,
    _context_codes,
    _scan_context,
)
from rasid.geo._lookup import _best_reading, _fuzzy_keys_cached, _lookup_tokens
from rasid.geo._phrases import _norm_token
from rasid.geo._scoring import (
    _ADMIN_PRECISION,
    _BASE_CACHE,
    _COUNTRY,
    _HINT_FAMILY,
    _REGION_CACHE,
    _SETTLEMENT,
    _adopt_context_admin,
    _Ctx,
    _make,
    _rank,
)
from rasid.geo.finder import find_places
from rasid.geo.gazetteer import Gazetteer, load_gazetteer
from rasid.geo.results import Candidate, GeocodeResult, PlaceMention
from rasid.lang.normalize import (
    strip_control,
)

__all__ = ["Candidate", "GeocodeResult", "PlaceMention", "clear_caches", "find_places", "geocode", "MAX_MENTION_CHARS"]

MAX_MENTION_CHARS = 300

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


def geocode(mention: str, context: str | None = None, country: str | None = None) -> GeocodeResult:
    """Ranked candidates for one place mention (Arabic or English), best first.

    ``context`` is surrounding text (admin units named there favour candidates inside them);
    ``country`` ("IQ"/"SY", also "Iraq"/"سوريا"...) keeps only that country's candidates. Never raises
    on bad input: returns an empty :class:`GeocodeResult` whose ``reason`` says why. Each call returns
    new objects (the result behind them is cached per mention, context and country)."""
    if type(mention) is str and (country is None or type(country) is str) and (
            context is None or (type(context) is str and len(context) <= _CACHED_CONTEXT_CHARS)):
        return _thaw(_frozen(mention, context, country))
    return _checked(mention, context, country)


def _checked(mention: object, context: object, country: object) -> GeocodeResult:
    """Validate and normalise the arguments, then geocode (uncached)."""
    text, why = _check_text(mention, MAX_MENTION_CHARS)
    if text is None:
        return GeocodeResult([], why)
    cty = _COUNTRY.get(country.strip().upper()) if isinstance(country, str) else None
    ctx_text = None
    if isinstance(context, str) and context.strip():
        ctx_text = (context if context.isprintable() else strip_control(context))[:MAX_TEXT_CHARS]
    return _geocode(text, ctx_text, cty)


_RESULT_CACHE_SIZE = 50_000
_CACHED_CONTEXT_CHARS = 4_000  # longer contexts (whole articles) are not kept as cache keys


@dataclass(frozen=True)
class _Frozen:
    """An immutable copy of a :class:`GeocodeResult`: candidate field tuples and which of them are the
    fallback and the guesses."""

    items: tuple[tuple, ...]
    reason: str
    probability: float | None
    probability_governorate: float | None
    abstained: bool
    fallback: int | None
    guesses: tuple[int, ...] | None
    features: Mapping[str, float] | None  # read-only: shared by every result built from this copy


_FIELDS = tuple(f.name for f in fields(Candidate))


@lru_cache(maxsize=_RESULT_CACHE_SIZE)
def _frozen(mention: str, context: str | None, country: str | None) -> _Frozen:
    res = _checked(mention, context, country)
    index = {id(c): i for i, c in enumerate(res)}
    return _Frozen(tuple(tuple(getattr(c, f) for f in _FIELDS) for c in res), res.reason, res.probability,
                   res.probability_governorate, res.abstained,
                   index.get(id(res.fallback)) if res.fallback is not None else None,
                   None if res.guesses == list(res) and all(a is b for a, b in zip(res.guesses, res, strict=True))
                   else tuple(index[id(c)] for c in res.guesses),
                   MappingProxyType(dict(res.features)) if res.features is not None else None)


def _thaw(f: _Frozen) -> GeocodeResult:
    items = [Candidate(*vals) for vals in f.items]
    res = GeocodeResult(items, f.reason, probability=f.probability, probability_governorate=f.probability_governorate,
                        abstained=f.abstained, fallback=items[f.fallback] if f.fallback is not None else None,
                        guesses=None if f.guesses is None else [items[i] for i in f.guesses])
    res.features = f.features
    return res


def clear_caches() -> None:
    """Empty every per-mention cache of the geocoder (after the gazetteer or the calibration changed)."""
    _frozen.cache_clear()
    _analyse.cache_clear()
    _scan_context.cache_clear()
    _fuzzy_keys_cached.cache_clear()
    _admin_at.cache_clear()
    _norm_token.cache_clear()
    _BASE_CACHE.clear()
    _REGION_CACHE.clear()


def _geocode(text: str, ctx_text: str | None, cty: str | None) -> GeocodeResult:
    try:
        an = _analyse(text)
    except RecursionError:  # pragma: no cover - pathological input
        return GeocodeResult([], "mention could not be analysed")
    if an.p is None:
        return GeocodeResult([], an.reason)
    g = load_gazetteer()
    p, target, hits, hint, how = an.p, an.target, an.hits, an.hint, an.how
    reason_bits = list(an.reason_bits)
    rel_anchor = bool(p.head and p.anchor)
    missing = " ".join(t.raw for t in target)
    exclude = an.exclude
    if cty and hits and not any(g.cols["country"][q] == cty for q in hits):
        hits, exclude = {}, frozenset()  # only known in the other country: not the place meant
        reason_bits.append(f"{missing!r} is only known outside {cty}")
    if p.context or ctx_text or rel_anchor:
        ctx = _context_codes(g, list(p.context), ctx_text, exclude, cty)
    else:
        ctx = _Ctx()
    if rel_anchor:  # "ناحية الرياض جنوب غرب كركوك": the anchor names the governorate around the place
        a_hits, a_hint, _h = _lookup_tokens(g, [t.norm for t in p.anchor], loose=False)
        if a_hits:
            a_pids = [q for q in a_hits if cty is None or g.cols["country"][q] == cty] or list(a_hits)
            _add_unit(g, ctx, _best_reading(g, a_pids, a_hint), own=True, rel=True)
    ctx.country = cty
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
    if fb_pid is None and (not ctx.admin1 or top.admin1_code in ctx.admin1):
        # a governorate the text names outranks one guessed from an unsure place elsewhere
        if p1 >= model.gov_threshold and top.admin1_code:
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
