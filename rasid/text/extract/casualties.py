"""Casualty chains of one clause: counts (digits, number words, singular and dual nouns) joined into
chains ("مقتل 10 جنود و4 مدنيين" = 14), each with its role from the trigger word before or after it:
``killed``, ``wounded``, ``captured`` (kidnapped or taken by the attackers), ``combined`` (killed and
wounded together, never split) or ``attackers`` (perpetrators killed).

Every scan is bounded: windows around a count have a fixed width and the clause length is capped by
:mod:`rasid.text.extract.clauses`, so the work per clause is linear in its length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from rasid.lang.fold import Folded, fold, rx
from rasid.text.extract.lexicon import CL, W0, W1, alt, noun_counts, word_set, words
from rasid.text.numbers import _scan

__all__ = ["Chain", "chains", "noun_count", "strip_clitic", "trigger_roles", "KILL", "WOUND", "CAPTURE", "TOKEN",
           "ROLES"]

ROLES = ("killed", "wounded", "captured", "combined", "attackers")

KILL = words("casualties", "kill")
WOUND = words("casualties", "wound")
CAPTURE = words("casualties", "capture")
_COMBINED = rx(W0 + CL + alt("casualties", "combined") + W1)
_NON_PERSON = rx(W0 + "(?:ال)?" + alt("casualties", "non_person") + W1)  # "3 هجمات", not "اثنان بهجوم"
_NUM_BLOCK = rx(alt("casualties", "num_block") + r"\s*$")
_EN_NOUN1 = rx(r"^(?:a|an|one)\s+(?:\w+\s+){0,2}?(?:soldier|policeman|police officer|officer|civilian|fighter|member|person"
               r"|child|woman|man|shepherd|guard|mukhtar|commander|lieutenant|captain|corporal|driver|farmer)\b")
_RIGHT = rx(alt("casualties", "right"))
_RIGHT_ONE = rx(alt("casualties", "right_one"))
_RIGHT_SG = rx(CL + alt("casualties", "right_sg"))
_SAME_AS = rx(W0 + CL + alt("casualties", "same_as") + W1)
STOP = rx(W0 + alt("casualties", "stop") + W1 + r"|[;؛:]")
_ATT_HEAD = rx("^(?:ال)?" + alt("casualties", "att_head") + "$")
_ATT_GROUP = rx("^" + alt("casualties", "att_group") + "$")
_AUX = word_set("casualties", "aux")
_PART_OF = word_set("casualties", "part_of")
_AGENT = rx(W0 + alt("casualties", "agent") + r"\s*$")  # the count after it names the doers
_ONE_WORDS = frozenset({"واحد", "واحده", "واحدا"})
_ADDED = rx(alt("attack", "added") + r"\s+(?:\S+\s+){0,1}$")
_ONE_SELF = rx(W0 + r"(?:الى|عن|ب|في)?\s*((?:اصابت|إصابت|مقتل|استشهاد|اغتيال|جرح)(?:ه|ها))" + W1)
_OTHERS = frozenset({"اخرين", "اخرون", "others", "some"})
TOKEN = re.compile(r"\d+(?:[,٬]\d{3})*|[^\W\d_]+|[^\w\s]", re.UNICODE)
_NOUNS = noun_counts()
_NOUN1 = {k: v for k, v in _NOUNS.items() if v == 1}
_NOUN2 = {k: v for k, v in _NOUNS.items() if v == 2}
_MAX_GROUP_GAP = 24  # tokens between two counts of one chain
_MAX_BREAKDOWN = 12  # chains that may break a total down


@dataclass
class Chain:
    """A casualty figure of a clause: role, exact total (None when vague), lower bound, folded span."""

    role: str  # killed, wounded, captured, combined, attackers
    total: int | None
    low: int | None
    start: int  # folded offsets
    end: int
    tier: int = 2
    text: str = ""


@lru_cache(maxsize=65536)
def strip_clitic(tok: str) -> str:
    """A token without a leading clitic (و ف ب ل لل وب ...) when at least three letters remain."""
    for p in ("وب", "ول", "فب", "لل", "و", "ف", "ب", "ل"):
        if tok.startswith(p) and len(tok) - len(p) >= 3:
            return tok[len(p):]
    return tok


def _coord_tok(tok: str) -> bool:
    """A token joined by "و" to the one before ("وجنديان", "واثنين"), not the number "واحد"."""
    return tok.startswith("و") and tok not in ("واحد", "واحده", "واحدا")


@lru_cache(maxsize=65536)
def noun_count(tok: str) -> int | None:
    """1 or 2 for a casualty noun in the singular or dual ("جندي", "عنصرين", "العنصران", "ضابطاً")."""
    for t in (tok, strip_clitic(tok)):
        for cand in (t, t[2:] if t.startswith("ال") else t,
                     t[:-2] if t.endswith(("ها", "هم")) and len(t) > 5 else t, t[:-1] if t.endswith("ه") and len(t) > 4 else t):
            if cand in _NOUN2:
                return 2
            if cand in _NOUN1:
                return 1
            if cand.endswith("ا") and cand[:-1] in _NOUN1:
                return 1
    return None


def _is_attacker(words_: list[str]) -> bool:
    """The noun phrase after a count names the attackers ("5 انتحاريين", "16 من تنظيم داعش", "12 ISIS fighters")."""
    words_ = [x for x in words_ if x.isalnum()]  # "one “terrorist was killed”": quotes are no words
    w = [x for x in words_ if x not in ("the", "of")] if words_[:1] == ["of"] else words_
    if w[:1] and w[0] in ("منهم", "منها", "them"):
        w = w[1:]
    if not w:
        return False
    if _ATT_HEAD.match(w[0]) or _ATT_HEAD.match(strip_clitic(w[0])):
        return True
    if w[0] in ("من", "of") and len(w) > 1:
        if _ATT_HEAD.match(w[1]) or (_ATT_GROUP.match(w[1]) and len(w) > 2 and _ATT_HEAD.match(w[2])):
            return True
    if len(w) > 1 and _ATT_HEAD.match(w[1]) and w[0] in ("isis", "is", "daesh"):
        return True
    if len(w) > 2 and noun_count(w[0]) and w[1] in ("من", "of"):
        return _is_attacker(w[1:])
    if len(w) > 2 and w[0] in ("عناصر", "عنصرا", "مسلحا", "مقاتلا") and w[1] == "من":
        return _is_attacker(w[1:])
    return False


def trigger_roles(text: str, toks: list[tuple[str, int, int]]) -> list[str | None]:
    """Casualty role of every token that is a trigger word (killed, wounded, combined)."""
    roles: list[str | None] = [None] * len(toks)
    starts = [a for _t, a, _b in toks]
    for role, pat in (("captured", CAPTURE), ("wounded", WOUND), ("killed", KILL)):
        for m in pat.finditer(text):
            # the token that ends the trigger ("dead" of "shot dead", the only one of "مقتل")
            i = bisect.bisect_right(starts, m.end() - 1) - 1
            if 0 <= i < len(toks) and toks[i][2] == m.end() and toks[i][1] >= m.start():
                roles[i] = role
    for m in _COMBINED.finditer(text):
        i = max(bisect.bisect_right(starts, m.start()) - 1, 0)
        split = toks[i][0] in ("قتل", "استشهد") and _counted_subject(toks, i)  # verbs, not "5 قتلى وجرحى"
        for j in range(i, len(toks)):
            if toks[j][1] >= m.end():
                break
            if split:
                # "إن شخصاً على الأقل قتل وأصيب ثمانية": one killed, eight wounded, not nine together
                roles[j] = "wounded" if WOUND.fullmatch(toks[j][0]) else "killed" if KILL.fullmatch(toks[j][0]) else None
            else:
                roles[j] = "combined"
    return roles


_BOUND_WORDS = frozenset({"علي", "الاقل", "at", "least"})


def _counted_subject(toks: list[tuple[str, int, int]], i: int) -> bool:
    """Whether a count (a number or a casualty noun) stands right before token ``i``, "على الأقل"
    aside: the first verb of "قتل وأصيب" is then its predicate."""
    k = i - 1
    while k >= 0 and i - k <= 3 and toks[k][0] in _BOUND_WORDS:
        k -= 1
    return k >= 0 and i - k <= 3 and (toks[k][0].isdigit() or noun_count(toks[k][0]) is not None)


Anchor = tuple[int, int, "int | None", "int | None", bool]  # (first token, last token, value, low, attacker)


def _anchors(text: str, toks: list[tuple[str, int, int]], roles: list[str | None], words_: list[str],
             not_counts: tuple[tuple[int, int], ...] = ()) -> list[Anchor]:
    """Counts of a clause: numbers (not units, years, ages or parts of a date) and casualty nouns near
    a trigger. ``not_counts``: clause-relative spans (dates) whose numbers count no one."""
    qs = _scan(Folded(text, list(range(len(text))), len(text)), text)
    if not_counts:
        qs = [q for q in qs if not any(a <= q.start < b for a, b in not_counts)]
    anchors: list[Anchor] = []
    tok_at = {a: i for i, (_t, a, _b) in enumerate(toks)}
    tok_end = {b: i for i, (_t, _a, b) in enumerate(toks)}
    used: set[int] = set()
    ends: set[int] = set()  # last tokens of the anchors
    starts = [a for _t, a, _b in toks]
    last_end = -10  # last token of the number anchors so far (they come in text order)
    for q in qs:
        i0 = tok_at.get(q.start)
        if i0 is None:
            i0 = max(0, bisect.bisect_right(starts, q.start) - 1)
        i1 = tok_end.get(q.end)
        if i1 is None:
            continue
        if q.vague and fold(q.text).text.strip().lower() in _OTHERS:
            # "وإصابة آخرين": vague, only right after a trigger; "خمسة آخرين" is five
            if not (i0 > 0 and roles[i0 - 1]) or last_end >= i0 - 2:
                continue
        nxt = text[q.end:q.end + 25]
        prv = text[max(0, q.start - 25):q.start]
        coord = toks[i0][0].startswith("و") and not toks[i0][0].startswith("واحد")
        if not q.vague and (_NON_PERSON.match(nxt.lstrip()) or (_NUM_BLOCK.search(prv) and not coord)):
            # "الفرقة 10" is a unit; "قائد فرقة وعشرة جنود" joins a count
            continue
        if not q.vague and q.value is not None and 1900 <= q.value <= 2100:
            continue
        if _AGENT.search(prv):
            continue  # "على يد 3 مسلحين", "by two gunmen": the doers
        if q.value == 1 and _one_is_adjective(toks, roles, i0, i1):
            continue  # "سبعة أشخاص من عائلة واحدة": one family, not one more person
        anchors.append((i0, i1, q.value, q.low if q.low is not None else q.value, _is_attacker(words_[i1 + 1:i1 + 4])))
        last_end = max(last_end, i1)
        ends.add(i1)
        used.update(range(i0, i1 + 1))
    for i, (t, a, _b) in enumerate(toks):
        if i in used:
            continue
        val = noun_count(t)
        if val and strip_clitic(t) in ("اخران", "اخرين", "اخر", "الاخر") and (i - 1 in ends or i - 2 in ends):
            val = None
        if val and i > 0 and toks[i - 1][0].lower() in _PART_OF:
            val = None  # "بينهم ضابط", "أحدهما قائد": part of the count before, not added to it
        if val and _AGENT.search(text[max(0, a - 12):a]):
            val = None  # "من قبل شخصين ملثمين": the doers
        if val and i > 0 and toks[i - 1][0] in ("برتبه", "رتبه"):
            val = None
        if val and anchors and anchors[-1][0] == i - 1 and anchors[-1][2] == 1 and (i - 1) not in used and not _coord_tok(t):
            val = None  # "مختار كومين": one person named twice
        if val == 1:
            val = _singular(toks, roles, used, i, anchors)
        elif val == 2 and i + 1 < len(toks) and (i + 1) in used:
            val = None
        if val is None and _SAME_AS.fullmatch(t):
            val = -1  # same as the previous chain
        if val is None and t in ("a", "an", "one") and _EN_NOUN1.match(text[a:a + 40]) \
                and not (i > 0 and toks[i - 1][0].lower() in _PART_OF):
            val = 1  # "including a commander": one of the count before, not added to it
        if val is not None:
            anchors.append((i, i, val, val, _is_attacker([strip_clitic(t)]) or _is_attacker(words_[i + 1:i + 4])))
            ends.add(i)
    anchors.sort()
    return anchors


def _one_is_adjective(toks, roles, i0: int, i1: int) -> bool:
    """"واحد(ة)" right after a noun that is neither a casualty noun nor a trigger ("من عائلة واحدة",
    "في ليلة واحدة") qualifies that noun: it counts no one."""
    if i0 != i1 or toks[i0][0] not in _ONE_WORDS or i0 == 0:
        return False
    prev = toks[i0 - 1][0]
    return (len(prev) >= 3 and prev.isalpha() and not roles[i0 - 1] and noun_count(prev) is None
            and prev not in _PART_OF and strip_clitic(prev) not in ("عدد", "سوي", "الا"))


def _singular(toks, roles, used, i: int, anchors: list[Anchor]) -> int | None:
    """A singular noun counts as one only near a trigger ("مقتل جندي", "اغتال مجهولون مختار")."""
    k_role = max((k for k in range(max(0, i - 7), i) if roles[k]), default=-1)
    k_used = max((k for k in range(max(0, i - 7), i) if k in used), default=-1)
    near = k_role >= 0 and k_role > k_used
    if not near and i > 0 and toks[i - 1][0] in ("ان", "إن", "أن"):
        near = any(roles[k] and (_RIGHT.fullmatch(toks[k][0]) or _RIGHT.fullmatch(strip_clitic(toks[k][0])))
                   for k in range(i + 1, min(len(toks), i + 8)))
        if not near:
            # "أن قيادياً في قسد قتل إثر ...": the noun is the subject of a singular passive verb
            # (no count or casualty noun after the verb, which would make it the object of an active one)
            k = next((k for k in range(i + 1, min(len(toks), i + 8)) if roles[k]), None)
            near = bool(k is not None and _RIGHT_SG.fullmatch(toks[k][0])
                        and not any(noun_count(toks[j][0]) for j in range(i + 1, k) if not toks[j][0].endswith(("ا", "ه")))
                        and (k + 1 >= len(toks) or not (noun_count(toks[k + 1][0]) or toks[k + 1][0].isdigit()
                                                         or roles[k + 1] in (roles[k], "combined"))))
    if not near:
        # "فقد عنصر من قسد حياته", "لقي مدني مصرعه": a singular noun before its own death
        for k in range(i + 1, min(len(toks), i + 8)):
            if not roles[k]:
                continue
            mid = [j for j in range(i + 1, k) if j in used or noun_count(toks[j][0])]
            near = bool((_RIGHT_ONE.fullmatch(strip_clitic(toks[k][0])) or toks[k - 1][0] == "was") and not mid
                        or _RIGHT.fullmatch(strip_clitic(toks[k][0])) and mid and all(_coord_tok(toks[j][0]) for j in mid))
            break
    t = toks[i][0]
    coord = t.startswith("و") and anchors and anchors[-1][1] >= i - 6
    if not (near or coord) or (i + 1 < len(toks) and (i + 1) in used and not _coord_tok(toks[i + 1][0])):
        return None
    return 1


def _group_anchors(text: str, toks, roles, anchors: list[Anchor]) -> list[list[Anchor]]:
    """Coordinated counts form one chain ("10 جنود و4 مدنيين", "in addition to a driver")."""
    groups: list[list[Anchor]] = []
    for an in anchors:
        if groups:
            prev = groups[-1][-1]
            dist = an[0] - prev[1]
            if dist <= _MAX_GROUP_GAP:
                gap = text[toks[prev[1]][2]:toks[an[0]][1]]
                first = toks[an[0]][0]
                coordinated = (first.startswith("و") or re.search(r"(?:^|\s)(?:و|and|,|،)\s*$", gap) or gap.strip() in ("", ",", "،")) \
                    and not any(roles[j] for j in range(prev[1] + 1, an[0])) and not STOP.search(gap) and dist <= 14
                if not coordinated and _ADDED.search(gap) and not STOP.search(gap):
                    between = {roles[j] for j in range(prev[1] + 1, an[0]) if roles[j]}
                    g0 = groups[-1][0][0]
                    before = next((roles[k] for k in range(g0 - 1, max(-1, g0 - 13), -1) if roles[k]), None)
                    coordinated = not between or between == {before}
                if coordinated:
                    groups[-1].append(an)
                    continue
        groups.append([an])
    return groups


_PLURAL_VERB = re.compile(r"(?:و)?(?:قتلوا|قتلا|استشهدوا|استشهدا|اصيبوا|اصيبا|جرحوا|جرحا|خطفوا|اختطفوا|لقوا)")


def _role_of(toks, roles, starts_at: set[int], i0: int, i1: int) -> str | None:
    """Role of a chain: the trigger right after it ("14 قتيلا"), else right before it ("مقتل 14")."""
    left = None
    k = i0 - 1
    while k >= 0 and i0 - k <= 12:
        if roles[k]:
            left = (roles[k], i0 - k)
            break
        if STOP.match(toks[k][0]):
            break
        k -= 1
    right = None
    j = i1 + 1
    eff = 0  # distance not counting auxiliaries ("three others are injured")
    while j < len(toks) and j - i1 <= 12:
        if roles[j]:
            passive = toks[j - 1][0] in ("were", "was", "are", "is", "been")
            far_ok = (toks[j][0] in ("lives", "حياتهم", "حياتهما") and toks[j - 1][0] in ("their", "lost")) or (
                _PLURAL_VERB.fullmatch(toks[j][0]) is not None
                and sum(toks[k][0].isalnum() for k in range(i1 + 1, j)) <= 9)  # "4 عناصر من “الدفاع الوطني” ... قتلوا"
            subject = i0 == i1 and i0 > 0 and toks[i0 - 1][0] in ("ان", "إن", "أن") and _RIGHT_SG.fullmatch(toks[j][0])
            if (_RIGHT.fullmatch(toks[j][0]) or _RIGHT.fullmatch(strip_clitic(toks[j][0])) or roles[j] == "combined"
                    or subject) and (j - i1 <= 7 or passive or far_ok):
                right = (roles[j], eff + 1)
            break
        if STOP.match(toks[j][0]) or j in starts_at:
            break
        if toks[j][0] not in _AUX and strip_clitic(toks[j][0]) not in _AUX:
            eff += 1
        j += 1
    if right and (right[0] == "combined" or right[1] <= 2):
        return right[0]
    if left and left[1] <= 2:
        return left[0]
    if right:
        return right[0]
    if left:
        return left[0]
    return None


def chains(text: str, base: int, *, keep_unroled: bool = False, dates: tuple[tuple[int, int], ...] = ()) -> list[Chain]:
    """Casualty chains of one clause (folded text ``text`` starting at folded offset ``base``).

    With ``keep_unroled`` counts that no trigger word gives a role are kept with role ``none`` (the
    learned number model may still find theirs). ``dates``: folded spans of the clause's dates ("Oct. 12")."""
    toks = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]
    if not toks:
        return []
    roles = trigger_roles(text, toks)
    words_ = [t.lower() for t, _a, _b in toks]
    anchors = _anchors(text, toks, roles, words_, tuple((a - base, b - base) for a, b in dates))
    if not anchors:
        return _one_self(text, base, [])
    starts_at = {a0 for a0, *_r in anchors}
    out: list[Chain] = []
    prev_total = None
    prev_attacker = False
    unroled: list[Chain] = []
    for g in _group_anchors(text, toks, roles, anchors):
        i0, i1 = g[0][0], g[-1][1]
        role = _role_of(toks, roles, starts_at, i0, i1)
        if role is None:
            vals = [v for (_a0, _a1, v, _lb, _att) in g if v is not None and v >= 0]
            if keep_unroled and vals:
                s, e = toks[i0][1], toks[i1][2]
                unroled.append(Chain("none", sum(vals), sum(vals), base + s, base + e, text=text[s:e]))
            continue
        total: int | None = 0
        low = 0
        att_total = 0
        att_only = True  # every count of the chain names attackers ("وإصابة أحد المهاجمين")
        vague = False
        others = any(words_[a0] in ("اخرين", "اخرون", "others") or (a1 + 1 < len(words_) and words_[a1 + 1] in ("اخرين", "اخرون", "others"))
                     for a0, a1, *_r in g)
        for (_a0, _a1, val, lb, attacker) in g:
            if val == -1:
                val = lb = prev_total
                if val is None:
                    vague = True
                    continue
            if val is None:
                vague = True
                low += lb or 0
                continue
            if attacker or (others and prev_attacker):
                if role == "killed":
                    att_total += val
                continue
            att_only = False
            total += val
            low += lb or val
        s, e = toks[i0][1], toks[i1][2]
        txt = text[s:e]
        prev_attacker = (bool(att_total) and not total) or (others and prev_attacker and not total)
        if att_total:
            out.append(Chain("attackers", att_total, att_total, base + s, base + e, text=txt))
        if total or (not att_total and not prev_attacker and not (att_only and not vague)):
            out.append(Chain(role, None if vague else total, low or None, base + s, base + e, text=txt))
            if not vague:
                prev_total = total
    return _one_self(text, base, _breakdowns(out)) + unroled


def _one_self(text: str, base: int, found: list[Chain]) -> list[Chain]:
    """"ما أدى إلى إصابته", "أسفر عن مقتله": with no count in the clause, a trigger with a singular
    pronoun is one person."""
    if any(ch.total is not None for ch in found):
        return found
    for m in _ONE_SELF.finditer(text):
        role = "wounded" if m.group(1).startswith(("اصاب", "جرح")) else "killed"
        if not any(ch.role == role for ch in found):
            found.append(Chain(role, 1, 1, base + m.start(1), base + m.end(1), text=m.group(1)))
    return found


def _breakdowns(found: list[Chain]) -> list[Chain]:
    """Drop a total that the following chains of the same clause break down exactly
    ("41 هم 20 ... و16 من داعش و5 مدنيين")."""
    out: list[Chain] = []
    i = 0
    while i < len(found):
        ch = found[i]
        if ch.role == "killed" and ch.total:
            acc = 0
            j = i + 1
            parts = []
            while j < len(found) and j - i <= _MAX_BREAKDOWN and found[j].role in ("killed", "attackers") and acc < ch.total:
                acc += found[j].total or 0
                parts.append(found[j])
                j += 1
            if parts and acc == ch.total:
                kills = [p for p in parts if p.role == "killed"]
                atts = [p for p in parts if p.role == "attackers"]
                if kills:
                    out.append(Chain("killed", sum(p.total or 0 for p in kills), None, kills[0].start, kills[-1].end, text=ch.text))
                if atts:
                    out.append(Chain("attackers", sum(p.total or 0 for p in atts), None, atts[0].start, atts[-1].end, text=ch.text))
                i = j
                continue
        out.append(ch)
        i += 1
    return out
