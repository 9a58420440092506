"""Place mentions in free text: :func:`find_places` scans token n-grams against the gazetteer's key
dictionary (no regex per name) and returns :class:`~rasid.geo.results.PlaceMention` spans with their best
candidate."""

from __future__ import annotations

from rasid.geo._context import MAX_TEXT_CHARS
from rasid.geo._phrases import (
    _CLITICS,
    _NEAR_AR,
    _NEAR_EN,
    _direction_at,
    _is_latin,
    _tokens,
)
from rasid.geo._scan import _scan, _trigger_forms
from rasid.geo._scoring import _COUNTRY, _adopt_context_admin, _Ctx, _make, _rank
from rasid.geo.gazetteer import load_gazetteer
from rasid.geo.results import Candidate, PlaceMention
from rasid.lang.normalize import (
    normalize_ar,
    normalize_name,
)

__all__ = ["find_places"]

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
