"""Scoring of gazetteer candidates for a mention: feature-type priors, type-word bonuses, the admin units
the context names (:class:`_Ctx`), near-duplicate merging and the :class:`~rasid.geo.results.Candidate`
built for a place. Private to the geocoder modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from rasid.geo.gazetteer import Gazetteer
from rasid.geo.regions import region_table
from rasid.geo.results import Candidate

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

_COUNTRY = {"IQ": "IQ", "IRQ": "IQ", "IRAQ": "IQ", "العراق": "IQ", "SY": "SY", "SYR": "SY", "SYRIA": "SY",
            "سوريا": "SY", "سورية": "SY"}


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
    if precision is None:
        precision = _ADMIN_PRECISION.get(b[2]) or _LOCATED.get(g.cols["located"][pid], "exact")
    return Candidate(*b, precision, score, direction, None, matched, reason, pid, g.cols["population"][pid] or 0)


# a place known only by its admin unit (an OCHA community without coordinates) is located to that unit
_LOCATED = {"admin3": "admin3", "admin2": "admin2"}


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
