"""Who did it and to whom: the actor (IS when the act is attributed to it, a state for the shelling
and air strikes it carried out, else ``unknown``), whether it was claimed, and the target group."""

from __future__ import annotations

import bisect
import re

from rasid.events.actors import canonical_actor
from rasid.lang.fold import rx
from rasid.text.extract.lexicon import alt

__all__ = ["actor", "claimed", "target", "TARGET_PRIORITY"]

_IS_UPPER = re.compile(r"(?<![A-Za-z])IS(?![A-Za-z])")
_SPEAKER = rx(alt("actors", "speaker") + r"\s+(?:\S+\s+){0,1}$")
TARGET_PRIORITY = {c: i for i, c in enumerate(("pmf", "peshmerga", "sdf", "regime", "police", "army", "officials",
                                                "infrastructure", "civilians", "security", "rebels", "foreign"))}


def actor(cl: list, context, lead, fd, text: str) -> tuple[str, tuple[int, int] | None, str | None, float]:
    """(actor id, evidence span in the original text, actor words, confidence) of an event's clauses."""
    is_spans = [(s, c) for c in cl for s in c.is_spans if not c.is_generic]
    if not is_spans and context is not None:
        is_spans = [(sp, context) for sp in context.is_spans]
    gov = next((c.gov_actor for c in cl if c.gov_actor), None)
    lead_types = {t for t, _a, _b in lead.types}
    if gov and lead_types & {"shelling", "airstrike"} and not is_spans:
        who = gov[0]
        aid = "SYR_GOV" if re.search(r"جيش السوري|النظام|الأسد|syrian", who) else \
            "TUR" if re.search(r"ترك|turk", who) else canonical_actor(who)
        return aid or "unknown", fd.span(gov[1], gov[2]), None, 0.6
    if is_spans:
        (s, e), _c = is_spans[0]
        return "IS", fd.span(s, e), fd.text[s:e], 0.7 if any(cc.is_suspect for cc in cl) else 0.9
    for c in cl:
        a, b = fd.span(c.fs, c.fe)
        m = _IS_UPPER.search(text, a, b)
        if m:
            return "IS", (m.start(), m.end()), None, 0.8
    return "unknown", None, None, 0.5


def claimed(cl: list, lead, actor_id: str) -> tuple[int, int] | None:
    """Folded span of the claim when the IS act was claimed (and the lead does not deny a claim)."""
    claim = next((c.claim for c in cl if c.claim and not c.no_claim), None)
    if claim and actor_id == "IS" and not lead.no_claim:
        return claim
    return None


def _covers(spans: list[tuple[int, int]]):
    """A test ``x -> bool``: whether some closed span of the sorted list contains x (bisect on the
    starts and a running maximum of the ends: no scan of all spans per query)."""
    starts = [a for a, _b in spans]
    reach: list[int] = []
    for _a, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)

    def inside(x: int) -> bool:
        k = bisect.bisect_right(starts, x) - 1
        return k >= 0 and reach[k] >= x

    return inside


def target(cl: list, chains, country: str | None, actor_id: str) -> tuple[str | None, tuple[int, int] | None]:
    """Target category and its folded span: the group named in the casualty chain or right after the
    act's verb, mapped by country; speakers ("قالت شرطة بغداد إن") are not targets."""
    scores: dict[str, tuple[float, tuple[int, int]]] = {}
    in_victims = _covers(sorted((ch.start, ch.end + 60) for ch, _c in chains if ch.role in ("killed", "wounded", "captured", "combined")))
    lead = cl[0]
    obj_spans = [(b, b + 50) for t, a, b in lead.types if t in ("kidnapping", "assassination", "execution", "ied", "car_bomb")]
    if lead.attack_span:
        obj_spans.append((lead.attack_span[1], lead.attack_span[1] + 50))
    for idx, c in enumerate(cl):
        for cat, a, b in c.targets:
            if _SPEAKER.search(c.text[max(0, a - c.fs - 30):a - c.fs]):
                continue  # "قالت شرطة بغداد إن": the speaker, not the target
            if cat == "asayish":
                cat = "peshmerga" if country == "IQ" else "sdf"
            if cat == "army" and country == "SY":
                cat = "regime"
            if cat == "regime" and country == "IQ":
                continue
            if cat in ("sdf",) and country == "IQ":
                cat = "peshmerga"
            w = 1.0 if idx == 0 else 0.6
            if in_victims(a):
                w += 2.0
            elif idx == 0 and any(s <= a <= e for s, e in obj_spans):
                w += 1.0
            w -= 0.001 * TARGET_PRIORITY.get(cat, 20)
            if cat not in scores or w > scores[cat][0]:
                scores[cat] = (w, (a, b))
    if not scores:
        # a bomb in a city with no one named: the people there
        kinds = {t for c in cl[:1] for t, _a, _b in c.types}
        if kinds & {"car_bomb", "suicide_attack", "ied"} and actor_id in ("IS", "unknown"):
            return "civilians", None
        return None, None
    cat = max(scores, key=lambda k: scores[k][0])
    return cat, scores[cat][1]
