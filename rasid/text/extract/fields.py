"""One event's fields from its clauses: place, date, actor and claim, type, counts and target, each
with the character span of its evidence and a confidence."""

from __future__ import annotations

import re

from rasid.lang.fold import rx
from rasid.text.documents import Document
from rasid.text.extract.casualties import Chain
from rasid.text.extract.clauses import ANAPHOR, TYPE_ORDER, Clause
from rasid.text.extract.grouping import Draft
from rasid.text.extract.lexicon import alt
from rasid.text.extract.model import ExtractedEvent
from rasid.text.extract.places import best_place, is_capital, named_units, precision_of
from rasid.text.extract.roles import actor, claimed, target
from rasid.text.extract.when import event_dates, folded_start

_TOO_COARSE = frozenset({"week", "year"})  # precisions that never date an act

__all__ = ["build", "event_type", "pick_count"]

_PREP = rx(alt("attack", "prep") + r"\W+(?:\w+\W+){0,3}$")
_WEAPONS = ("suicide_attack", "car_bomb", "ied", "ambush", "assassination", "kidnapping", "execution", "airstrike", "shelling")


def pick_count(found: list[tuple[Chain, Clause]], role: str, denial: bool) -> Chain | None:
    """The figure of one role: updated toll > first report > earlier report > perpetrator's claim
    (dropped when denied); in an update the figure after its cue; exact before vague, then first in
    the text."""
    cands = []
    for ch, c in found:
        if ch.role != role:
            continue
        tier = 2
        if c.update:
            tier = 1
        elif c.earlier:
            tier = 3
        if c.claim_source or (c.claim and not (c.update or c.earlier)):
            tier = 4 if not c.update else tier
        if denial and tier == 4:
            continue
        # in an update ("8 قتلوا على الفور قبل أن ... لتصل إلى 17") the figure after the cue is the new one
        before_update = tier == 1 and c.update_at is not None and ch.start < c.update_at
        cands.append((tier, before_update, ch.total is None, ch.start, ch))
    if not cands:
        return None
    cands.sort(key=lambda x: x[:4])
    return cands[0][4]


def event_type(lead: Clause, cl: list[Clause]) -> tuple[str, tuple[int, int] | None]:
    """Type from the lead clause: a weapon named as the means wins over a generic assault, unless it
    only prepared the assault; a later clause may refine an explosion into a suicide attack."""
    order = TYPE_ORDER
    found = sorted(lead.types, key=lambda x: (order.index(x[0]), x[1]))
    t_lead = {t for t, _a, _b in lead.types}
    if "prison_attack" in t_lead and lead.assault:
        sp = next((a, b) for t, a, b in lead.types if t == "prison_attack")
        return "prison_attack", sp
    choice = None
    for t, a, b in (x for x in found if x[0] in _WEAPONS):
        pre = lead.text[max(0, a - lead.fs - 40):a - lead.fs]
        if lead.assault and _PREP.search(pre):
            continue
        choice = (t, (a, b))
        break
    if choice is None:
        if lead.assault or not found:
            choice = ("armed_attack", lead.attack_span)
        else:
            t, a, b = found[0]
            choice = (t if t != "prison_attack" else "armed_attack", (a, b))
    if choice[0] == "clash" and any(c.assault for c in cl):
        choice = ("armed_attack", lead.attack_span)
    if choice[0] in ("ied", "car_bomb", "armed_attack") and not (choice[0] == "armed_attack" and lead.assault):
        for c in cl:
            for t, a, b in c.types:
                if t == "suicide_attack":
                    return "suicide_attack", (a, b)
    if choice[0] == "armed_attack" and not lead.assault and not found:
        # "قتل شخصان في تفجير إرهابي ... عبوة ناسفة زرعها": the lead names no means, a later clause does
        for c in cl[1:]:
            later = sorted((x for x in c.types if x[0] in ("suicide_attack", "car_bomb", "ied")), key=lambda x: (order.index(x[0]), x[1]))
            if later:
                return later[0][0], (later[0][1], later[0][2])
    if choice[0] == "armed_attack" and not lead.assault:
        # a clash with no assault word anywhere is a clash
        clash = next(((a, b) for t, a, b in lead.types if t == "clash"), None)
        if clash and not any(c.assault for c in cl):
            return "clash", clash
    return choice


_STAMP = re.compile(r"[^\n\d]{0,6}\d{1,2}:\d{2}(?!\d)")  # a clock time right after a date: a posting stamp
_BETWEEN = re.compile(r"(?:بين|between)\s+(?:the\s+)?(?:(?:provinces?|governorates?|locations?)\s+of\s+|محافظتي\s+|محافظات\s+|محافظة\s+)?"
                      r"(?:[^\W\d_]+[,،]?\s+){0,2}$", re.I)
_AND = re.compile(r"^\s*(?:و|and|,|،)\s*(?:the\s+)?(?:محافظة\s+|province\s+of\s+)?$", re.I)


def _between_governorates(cl: list, text: str) -> bool:
    """Whether an act is placed only "between" two governorates (an act placed in no single one is no
    event: NEWS_GOLD.md), with nothing more precise named."""
    ms = [(w, pm) for c in cl for w, pm, _fs in c.places if w >= 0.3]
    if any(pm.candidate.precision not in ("admin1",) and pm.candidate.feature_type != "governorate" and w >= 0.5
           and not is_capital(pm.candidate) for w, pm in ms):
        return False
    gov = sorted((pm for _w, pm in ms if pm.candidate.precision == "admin1" or pm.candidate.feature_type == "governorate"),
                 key=lambda m: m.start)
    paired: set[int] = set()
    for k, (m1, m2) in enumerate(zip(gov, gov[1:], strict=False)):
        if m1.candidate.admin1_code != m2.candidate.admin1_code and _AND.match(text[m1.end:m2.start]) \
                and _BETWEEN.search(text[max(0, m1.start - 40):m1.start]):
            paired |= {k, k + 1}
    # "in Saladin province ... between the provinces of Diyala and Salahuddin": named alone (not as where
    # a source is or what a border runs with), it places the act
    weight = {id(pm): w for w, pm in ms}
    return bool(paired) and all(k in paired or weight[id(m)] < 0.5 for k, m in enumerate(gov))


def _only_landmarks(cl: list) -> bool:
    """Whether every place an event's clauses name is a landmark, a dateline or a source's seat (weight
    under 0.2): they say where something else is, not where the act happened."""
    ws = [w for c in cl for w, _pm, _fs in c.places if w > 0]
    return bool(ws) and max(ws) < 0.2


def build(draft: Draft, fd, text: str, doc: Document, prev_place) -> ExtractedEvent | None:
    """The event of a draft, or None when no place is known (the caller lends it to the next draft)."""
    cl = draft.clauses
    lead = next((c for c in cl if c.acts), cl[0])
    ev = ExtractedEvent(doc_id=doc.id, published=doc.published, url=doc.url,
                        sources=[{"doc_id": doc.id, "url": doc.url}])
    conf: dict[str, float] = {}

    # --- place ---------------------------------------------------------------------------------
    if _between_governorates(cl, text):
        draft.nowhere = True  # "on the border between Diyala and Salah al-Din": no single governorate
        return None
    _code, pm = best_place(cl)
    if pm is not None and prev_place is not None and _only_landmarks(cl) \
            and prev_place.candidate.admin1_code != pm.candidate.admin1_code:
        pm = None  # "a roadside bomb ... 200 kilometres north of Baghdad": the act is where the text already is
    if pm is None and prev_place is not None:
        pm = prev_place
        conf["place"] = 0.4
    if pm is None:
        return None
    cand = pm.candidate
    ev.country, ev.admin1_code, ev.admin1_en, ev.admin1_ar = cand.country, cand.admin1_code, cand.admin1_en, cand.admin1_ar
    ev.admin2_code, ev.admin2_en, ev.admin2_ar = cand.admin2_code, cand.admin2_en, cand.admin2_ar
    ev.precision = precision_of(pm, text, named_units(cl, cand.admin1_code))
    if ev.precision == "admin1":
        ev.admin2_code = ev.admin2_en = ev.admin2_ar = None  # only the governorate is known
    ev.lat, ev.lon, ev.geo_precision = cand.lat, cand.lon, cand.precision
    ev.location_text = text[pm.phrase_start:pm.end] if pm.phrase_start is not None else pm.text
    ev.evidence["place"] = (pm.phrase_start, pm.end)
    conf.setdefault("place", round(min(1.0, 0.5 + 0.5 * float(cand.score)), 3))
    ev.text = text
    ev._place = pm  # type: ignore[attr-defined]

    # --- date ----------------------------------------------------------------------------------
    ranked = []
    for i, c in enumerate(cl):
        for r, d in event_dates(c, fd.text):
            if not c.acts and d.precision in ("month", "year", "week") and not ANAPHOR.search(c.text[:50]):
                continue  # "the group was declared defeated in December 2017": a timeline, not the act's month
            if not c.acts and _STAMP.match(fd.text, folded_start(d) + len(d.text)):
                continue  # "Nov 04, 2015 00:50 UTC", "15-05-2020, 20:48": when the page was posted
            ranked.append((r + (0 if i == 0 else 0.5), d))
    ranked.sort(key=lambda x: x[0])
    if ranked:
        r, d = ranked[0]
        ev._date_mention = d  # type: ignore[attr-defined]  # also a coarse one: background.py dates the act by it
        if d.precision not in _TOO_COARSE:  # "in 2019", "last week": not the day or month of the act
            ev.evidence["date"] = (d.start, d.end)
            if d.date_start is not None:
                ev.date, ev.date_end, ev.date_precision = d.date_start, d.date_end, d.precision
                conf["date"] = 0.9 if r < 1 else (0.75 if r < 3 else 0.6)
            else:
                conf["date"] = 0.0

    # --- actor and claim -------------------------------------------------------------------------
    ev.actor_id, span, ev.actor_text, conf["actor"] = actor(cl, draft.context, lead, fd, text)
    if span:
        ev.evidence["actor"] = span
    claim = claimed(cl, lead, ev.actor_id)
    if claim:
        ev.claimed = True
        ev.evidence["claimed"] = fd.span(*claim)
        conf["claimed"] = 0.9
    else:
        conf["claimed"] = 0.7

    # --- event type ----------------------------------------------------------------------------
    etype, tspan = event_type(lead, cl)
    ev.event_type = etype
    if tspan:
        ev.evidence["event_type"] = fd.span(*tspan)
    conf["event_type"] = 0.8 if tspan else 0.5

    # --- counts --------------------------------------------------------------------------------
    found = [(ch, c) for c in cl for ch in c.chains]
    denial = any(c.denial for c in cl)
    for role, attr in (("killed", "killed"), ("wounded", "wounded"), ("captured", "captured"), ("attackers", "attackers_killed")):
        ch = pick_count(found, role, denial)
        if ch is None:
            continue
        if ch.total is not None:
            setattr(ev, attr, ch.total)
            conf[attr] = 0.9 if ch.tier <= 2 else 0.7
        else:
            if role == "killed":
                ev.killed_low = ch.low
            elif role == "wounded":
                ev.wounded_low = ch.low
            conf[attr] = 0.4
        ev.evidence[attr] = fd.span(ch.start, ch.end)
    comb = pick_count(found, "combined", denial)
    if comb is not None:
        a, b = fd.span(comb.start, comb.end)
        ev.casualties_text = text[a:b]
    if ev.killed is None and ev.wounded is None and any(c.no_casualties for c in cl) and comb is None:
        ev.killed, ev.wounded = 0, 0
        conf["killed"] = conf["wounded"] = 0.7
    if ev.attackers_killed is None and any(c.no_attacker_casualties for c in cl):
        ev.attackers_killed = 0  # "No injuries were reported among the Daesh terrorists"

    # --- target --------------------------------------------------------------------------------
    tgt, tsp = target(cl, found, ev.country, ev.actor_id)
    ev.target = tgt
    if tsp:
        ev.evidence["target"] = fd.span(*tsp)
    conf["target"] = 0.75 if tsp else 0.3
    conf["event"] = round(sum(conf.get(k, 0.5) for k in ("place", "date", "actor", "event_type")) / 4, 3)
    ev.confidence = conf
    ev.sentence_spans = [fd.span(c.fs, c.fe) for c in cl]
    return ev
