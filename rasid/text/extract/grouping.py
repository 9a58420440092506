"""Clauses into events, in text order.

A new event starts on a separation cue ("وفي سياق متصل", "Separately"), another day, another
governorate, another district or settlement with its own toll, another claimed toll, or a background
clause telling a different act. A clause that restates an event already found (same toll, "وكان مصدر
أمني قد أفاد", the same act at the same place) is merged into it. A summary lead ("شن سلسلة هجمات")
lends its date, place and actor to the acts it introduces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rasid.lang.fold import rx
from rasid.text.extract.clauses import ANAPHOR, SEPARATE, Clause
from rasid.text.extract.lexicon import CL, W0, W1, alt
from rasid.text.extract.places import clause_admin1, clause_admin2, is_capital, specific
from rasid.text.extract.when import clause_day, coarse_past, compatible_date, report_day

__all__ = ["Draft", "group"]

_SUMMARY = rx(alt("attack", "summary"))
# "وفي هجوم آخر", "in another attack" (whole words: not "متأخر", "أواخر", "الآخرين")
_ANOTHER_ACT = rx(W0 + CL + r"(?:ال)?(?:آخر|اخر|أخرى|اخرى|ثان\w{0,2}|منفصل\w{0,2})" + W1 + r"|\b(?:another|second|separate)\b")
_WHILE = rx(r"\s*(?:فيما|بينما|في حين|while)\s")  # a clause cut off at "فيما قتل ..." (clauses._SPLIT)
_ANOTHER = rx(r"(?<![^\W_])(?:\d+|[^\W\d_]+)\s+(?:\S+\s+){0,3}?(?:اخرين|اخرون|others)\s+(?:\S+\s+){0,2}?(?:قتل|قتلوا|لقوا|اصيبوا|جرحوا|were killed|were wounded|died)")
_ANAPHOR_KIND = [
    ({"shelling"}, rx(alt("attack", "anaphor_shelling"))),
    ({"ied", "car_bomb", "suicide_attack"}, rx(alt("attack", "anaphor_blast"))),
    ({"ambush"}, rx(alt("attack", "anaphor_ambush"))),
]


@dataclass
class Draft:
    """An event being assembled: its clauses, the governorate, district and day it is pinned to, and
    running summaries of its clauses (kept up to date by :meth:`add`, so grouping stays linear)."""

    clauses: list[Clause] = field(default_factory=list)
    admin1: str | None = None
    admin2: str | None = None
    day: dt.date | None = None
    offset: int | None = None
    context: Clause | None = None
    weekday: int | None = None
    types: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    spec: set[int] = field(default_factory=set)  # settlement-level places of all clauses
    spec_act: set[int] = field(default_factory=set)  # ... of the clauses that tell an act
    scene: set[int] = field(default_factory=set)  # settlements of all clauses, governorates' namesakes aside
    scene_act: set[int] = field(default_factory=set)  # ... of the clauses that tell an act
    counts: dict[str, int] = field(default_factory=dict)  # role -> last exact figure
    counted: bool = False  # some clause gives a killed, wounded or combined figure
    nowhere: bool = False  # placed only between two governorates (set by fields.build): no event
    main_target: str | None = None  # the first target named by a clause that tells an act

    @classmethod
    def start(cls, c: Clause, a1: set[str], a2: set[str], day, off, context: Clause | None, wd: int | None = None) -> Draft:
        """A new draft opened by clause ``c``."""
        d = cls([], main_admin1(c, a1), next(iter(a2)) if len(a2) == 1 else None, day, off, context, weekday=wd)
        d.add(c)
        return d

    def add(self, c: Clause) -> None:
        """Append a clause and update the summaries."""
        self.clauses.append(c)
        self.types.update(t for t, _a, _b in c.types)
        self.targets.update(g for g, _a, _b in c.targets)
        if self.main_target is None and c.acts:
            self.main_target = main_target(c)
        sp = specific(c)
        sc = _scene(c)
        self.spec |= sp
        self.scene |= sc
        if c.acts:
            self.spec_act |= sp
            self.scene_act |= sc
        for ch in c.chains:
            if ch.total is not None and ch.role != "none":
                self.counts[ch.role] = ch.total
                if ch.role in ("killed", "wounded", "captured", "combined"):
                    self.counted = True

    def has_counts(self) -> bool:
        """Whether some clause gives a killed, wounded or combined figure."""
        return self.counted


def main_admin1(c: Clause, a1: set[str]) -> str | None:
    """The governorate a clause is mostly about: the only one it names, or the one with the most
    weight ("قرب قرية السرج شمال دير الزور": the village's homonym elsewhere weighs less)."""
    if len(a1) <= 1:
        return next(iter(a1), None)
    w: dict[str, float] = {}
    for wt, pm, _fs in c.places:
        if pm.candidate.admin1_code in a1:
            w[pm.candidate.admin1_code] = w.get(pm.candidate.admin1_code, 0.0) + wt
    best = max(w.values())
    top = [k for k, v in w.items() if v >= best - 1e-9]
    return top[0] if len(top) == 1 else None


def main_target(c: Clause) -> str | None:
    """The target a clause names first (its victims: "4 عناصر من الدفاع الوطني"), or None."""
    return c.targets[0][0] if c.targets else None


_SAME_SIDE = {"regime": "army"}  # "قوات النظام" and "الجيش السوري" are one side told two ways


def _other_target(c: Clause, d: Draft) -> bool:
    """Whether a clause and a draft name different first targets (two acts, not one told twice)."""
    t, u = main_target(c), d.main_target
    return bool(t and u and _SAME_SIDE.get(t, t) != _SAME_SIDE.get(u, u))


_LOOKBACK = 16  # earlier drafts a restatement or an anaphor may point back to


def _is_kind(d: Draft, kinds: set[str]) -> bool:
    """Whether a draft's act is of one of ``kinds``."""
    return bool(d.types & kinds)


def _scene(c: Clause) -> set[int]:
    """Settlement-level places of a clause other than a governorate's namesake city ("دير الزور" in
    "بريف دير الزور" names the province as often as the city)."""
    return {pm.candidate.place_id for w, pm, _ in c.places
            if w >= 0.5 and pm.candidate.precision in ("exact", "near", "admin3") and not is_capital(pm.candidate)}


def group(clauses: list[Clause], ft: str) -> list[Draft]:
    """Drafts of events from analysed clauses (skipped clauses ignored), in text order."""
    drafts: list[Draft] = []
    cur: Draft | None = None
    context: Clause | None = None  # a summary clause ("شن سلسلة هجمات ...") lends its date and place
    cue_only = False  # the clause before was only a separation cue
    abroad = False  # the last act told was abroad (Kabul, Istanbul): placeless acts after it are that act
    for c in clauses:
        if c.skip:
            continue
        if cue_only and c.acts:
            c.separate = True  # "إلى ذلك.." alone on its line: what follows is another act
        cue_only = not c.acts and len(c.text) < 40 and bool(SEPARATE.match(c.text.strip()))
        if c.total:
            context = c  # "قتل 12 في هجومين منفصلين": its parts follow, with its day and place
            continue
        has_cas = any(ch.role in ("killed", "wounded", "captured", "combined") for ch in c.chains)
        signal = c.strong or has_cas
        if c.foreign and not any(w >= 0.8 or (w >= 0.5 and pm.candidate.precision in ("admin1", "admin2")) for w, pm, _ in c.places):
            abroad = abroad or signal
            continue
        if abroad and signal:
            if not c.separate and not any(w >= 0.5 for w, _pm, _fs in c.places):
                continue  # "the attack was claimed by IS" after an act abroad: that act, not a new one here
            abroad = False
        day, off, wd = clause_day(c, ft)
        a1 = clause_admin1(c)
        a2 = clause_admin2(c)
        if cur is None and _SUMMARY.search(c.text) and not c.separate:
            context = c
            continue
        lent = False  # the clause's places are the summary's, not a scene of its own
        day_lent = False  # ... and its day (the same for every act the summary sums)
        if context is not None and signal and day is None and off is None:
            day, off, wd = clause_day(context, ft)
            day_lent = context.total
            c.dates = c.dates + context.dates
            if not any(w >= 0.5 for w, _pm, _fs in c.places):
                c.places = c.places + list(context.places)
                a1 = clause_admin1(c)
                lent = True
        if cur is None:
            if signal:
                cur = Draft.start(c, a1, a2, day, off, context, wd)
            continue
        if not signal:
            # elaboration: place or detail of the current event, or of an earlier act it names
            # ("الصاروخ أسفر عن أضرار مادية": the rocket attack told before)
            kind = next((k for k, pat in _ANAPHOR_KIND if pat.search(c.text[:60])), None)
            if kind and not _is_kind(cur, kind):
                back = next((d for d in reversed(drafts[-_LOOKBACK:]) if _is_kind(d, kind)), None)
                if back is not None:
                    back.add(c)
                    continue
            if (a1 and cur.admin1 and cur.admin1 not in a1) or c.background:
                continue
            cur.add(c)
            cur.admin1 = cur.admin1 or main_admin1(c, a1)
            continue
        new = False
        if c.separate:
            new = True
        comp = compatible_date(day, off, cur.day, cur.offset, w1=wd, w2=cur.weekday)
        own_counts = {ch.role: ch.total for ch in c.chains if ch.total is not None and ch.role not in ("attackers", "none")}
        cur_counts = cur.counts
        kind = next((k for k, pat in _ANAPHOR_KIND if pat.search(c.text[:60])), None)
        if kind and not _is_kind(cur, kind) and not own_counts:
            back = next((d for d in reversed(drafts[-_LOOKBACK:]) if _is_kind(d, kind)), None)
            if back is not None:
                back.add(c)  # "الصاروخ أسفر عن ...": detail of the earlier rocket attack
                continue
        if not c.separate and comp is not False and ANAPHOR.search(c.text[:50]) and not own_counts \
                and not (a1 and cur.admin1 and cur.admin1 not in a1) \
                and not any(pm.candidate.precision == "admin1" for w, pm, _ in c.places if w >= 0.5):
            cur.add(c)  # "الانفجار ناتج عن عبوة ... في قرية X": detail of the same act
            continue
        other_a1 = bool(a1 and cur.admin1 and cur.admin1 not in a1)
        sp_c0 = specific(c)
        sp_cur0 = cur.spec
        shared = set(own_counts) & set(cur_counts)
        same_toll = bool(shared) and all(cur_counts[r] == own_counts[r] for r in shared)
        # a full toll told again (two figures, or one of at least 3) is the same act even at a more
        # precisely named spot; a single small figure must also agree on the spot
        strong_toll = same_toll and (len(shared) >= 2 or sum(own_counts[r] or 0 for r in shared) >= 3)
        if context is not None and context.total and not strong_toll:
            # after "قتل شخصان في حادثين منفصلين" a small toll at another spot is the other incident
            sc_c, sc_cur = _scene(c), cur.scene
            same_toll = same_toll and not (sc_c and sc_cur and not sc_c & sc_cur)
        if strong_toll and c.separate and comp is not False and not other_a1 and not _ANOTHER_ACT.search(c.text[:80]):
            cur.add(c)  # "Meanwhile, the national TV said 31 people were killed ...": the same full toll again
            continue
        if same_toll and not c.separate and comp is not False and not other_a1 \
                and (strong_toll or not (sp_c0 and sp_cur0 and not sp_c0 & sp_cur0)):
            cur.add(c)  # the same toll told again
            cur.admin1 = cur.admin1 or main_admin1(c, a1)
            continue
        if c.turn and not c.separate and comp is not False and not other_a1 and not (own_counts and not same_toll):
            cur.add(c)  # "من جانبها، أكدت سانا هذه الأنباء": the same act from another source
            continue
        if comp is False:
            new = True
        if comp is None and own_counts and set(own_counts) & set(cur_counts) and not (c.update or c.earlier or c.claim_source):
            # a second toll with its own day, against a reported day ("اليوم الخميس ... وقتل، أمس الأربعاء")
            d0, o0 = report_day(cur.clauses[0], ft)
            d1, o1 = (day, off) if (day or off is not None) else report_day(c, ft)
            if compatible_date(d1, o1, d0, o0) is False:
                new = True
        if a1 and cur.admin1 and cur.admin1 not in a1:
            new = True
        if a2 and cur.admin2 and cur.admin2 not in a2 and has_cas and cur.has_counts():
            new = True
        if c.strong and not new:
            # another scene with its own act: a different settlement and a different kind of act or toll
            sp_c = specific(c)
            sp_cur = cur.spec_act
            disjoint = bool(sp_c and sp_cur and not (sp_c & sp_cur)) and not lent
            t_c = {t for t, _a, _b in c.types if t not in ("clash",)}
            t_cur = cur.types - {"clash"}
            other_type = bool(t_c and not (t_c & t_cur))
            g_c = {g for g, _a, _b in c.targets}
            other_target = bool(g_c and cur.targets and not (g_c & cur.targets))
            if disjoint and (context is not None or other_type or c.background or (has_cas and cur.has_counts())):
                new = True
            elif (c.background or (has_cas and c.claim)) and other_type and not ANAPHOR.search(c.text[:50]) and \
                    not any(t in ("suicide_attack",) for t in t_c):
                new = True
            elif c.claim and own_counts.get("killed") is not None and cur_counts.get("killed") is not None \
                    and own_counts["killed"] != cur_counts["killed"] and not (c.update or c.earlier or c.denial):
                new = True  # another claimed act with its own toll
            elif _WHILE.match(c.text) and _other_target(c, cur) and not ANAPHOR.search(c.text[:50]):
                new = True  # "نجا مرشح من محاولة اغتيال ...، فيما قتل قائد في الحشد في هجوم ...": a second act
            elif context is not None and context.total and _other_target(c, cur) and not ANAPHOR.search(c.text[:50]) \
                    and (has_cas or sp_c):
                new = True  # after "شن سلسلة هجمات ...": an act on another target is another of the series
            elif coarse_past(c, ft) and (cur.day is not None or cur.offset is not None):
                new = True  # "وفي يناير الماضي ..." after a dated act
            elif c.past and not c.earlier and not ANAPHOR.search(c.text[:50]) and \
                    (other_type or other_target or (own_counts.get("killed") is not None
                                                    and own_counts.get("killed") != cur_counts.get("killed"))):
                new = True  # "وكانت المحافظة شهدت اغتيال ...": an earlier act of another kind or target
            elif c.later and c.strong and (other_type or other_target or has_cas):
                new = True  # "قوة وصلت إلى مكان الحادث تعرضت لكمين": a later act on the reinforcements
            elif has_cas and cur.has_counts() and _ANOTHER.search(c.text) and not (sp_c and sp_c & sp_cur) \
                    and not (c.update or c.earlier or c.claim_source):
                new = True  # "و4 آخرين قتلوا بهجوم في قرية X": more victims of another act
        if c.background and has_cas and comp is not True:
            new = True
        if not new and has_cas and cur.has_counts() and not (c.update or c.earlier or c.claim_source or c.denial):
            # a second toll in the same flow is a second event when it brings its own place
            roles_c = {ch.role for ch in c.chains if ch.total is not None and ch.role != "none"}
            roles_cur = set(cur.counts)
            sp_c, sp_cur = _scene(c), cur.scene_act
            other_scene = bool(sp_c and sp_cur and not (sp_c & sp_cur)) and not lent
            if roles_c & roles_cur and (a2 - ({cur.admin2} if cur.admin2 else set()) or other_scene) and (comp is not True or day_lent):
                new = True  # "قيادي قتل ... في البصيرة" then "شاب قتل ... في الشحيل": two acts
        if new:
            # restatement of an event already found?
            target = None
            t_c = {t for t, _a, _b in c.types}
            g_c = {g for g, _a, _b in c.targets}
            sp_c = specific(c)
            if c.claim and not c.separate and a1 and ANAPHOR.search(c.text[:80]):
                # "وأعلن داعش مسؤوليته عن الهجوم على كركوك": the claim of an act told before
                target = next((d for d in reversed(drafts[-_LOOKBACK:] + [cur]) if d.admin1 in a1
                               and compatible_date(day, off, d.day, d.offset, tol=1) is not False), None)
            for d in drafts[-_LOOKBACK:] + [cur] if target is None else ():
                d_types, d_tg, d_sp = d.types, d.targets, d.spec
                dc1 = compatible_date(day, off, d.day, d.offset, tol=1)
                if (a1 and d.admin1 in a1) and dc1 is not False and (t_c & d_types or not d_types) and g_c & d_tg \
                        and sp_c and sp_c & d_sp and (not has_cas or not d.has_counts()):
                    target = d
                    break
                same_a1 = not a1 or (d.admin1 in a1 if d.admin1 else True)
                dc = compatible_date(day, off, d.day, d.offset)
                if same_a1 and dc is True and (c.background or c.earlier or c.claim_source) and not c.separate:
                    target = d
                    break
                if same_a1 and dc is None and (c.earlier and c.background) and not c.separate and d.admin1 and a1 \
                        and not (_other_target(c, d) and not t_c & d_types):
                    target = d
                    break
            if target is None and c.earlier and c.background and not a1 and not c.separate:
                target = cur  # "وكان مصدر قد أفاد بمقتل 11": the same act, reported earlier
            if target is not None:
                target.add(c)
                continue
            if c.later and not any(w >= 0.5 for w, _pm, _fs in c.places):
                # "قوة وصلت إلى مكان الحادث تعرضت لكمين": the later act is at the first act's place
                c.places = c.places + [p for k in cur.clauses[:_LOOKBACK] for p in k.places]
                a1, a2 = clause_admin1(c), clause_admin2(c)
            drafts.append(cur)
            cur = Draft.start(c, a1, a2, day, off, context, wd)
        else:
            cur.add(c)
            cur.admin1 = cur.admin1 or main_admin1(c, a1)
            cur.admin2 = cur.admin2 or (next(iter(a2)) if len(a2) == 1 else None)
            if cur.day is None and day is not None:
                cur.day = day
            if cur.offset is None and off is not None:
                cur.offset = off
            if cur.weekday is None and wd is not None:
                cur.weekday = wd
    if cur is not None:
        drafts.append(cur)
    _one_part_takes_its_sum(drafts)
    return drafts


def _one_part_takes_its_sum(drafts: list[Draft]) -> None:
    """A sum told with an attack word before its parts, whose text then tells one act (in its governorate)
    and no toll of its own ("قتل
    15 ... في هجمات نفذها خمسة انتحاريين على قاعدة سبايكر", then how they blew themselves up): the sum is
    that act's toll."""
    users: dict[int, list[Draft]] = {}
    for d in drafts:
        if d.context is not None and d.context.total:
            users.setdefault(id(d.context), []).append(d)
    for ds in users.values():
        ctx = ds[0].context
        a1 = clause_admin1(ctx)
        if len(ds) == 1 and not ds[0].has_counts() and ctx.chains and ctx.strong and (not a1 or ds[0].admin1 in a1):
            ds[0].clauses.insert(0, ctx)  # not a region's statistics ("Al-Raqqah: two attacks left two dead")
