"""Clauses of a folded text and what each one says: dates, places, casualty chains, attack, actor,
claim, target and type cues, and whether it is background, a restatement or not news at all
(trial, statistics, history, habitual statement, motive).

Clauses are cut at sentence ends and before a few connectives that start a new act; a run of text
without punctuation is cut every :data:`MAX_CLAUSE` characters so that every later scan is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasid.lang.fold import fold_pattern, rx
from rasid.text.dates import DateMention
from rasid.text.extract.casualties import KILL, Chain, chains
from rasid.text.extract.lexicon import CL, W0, W1, alt, lists, words

__all__ = ["Clause", "MAX_CLAUSE", "split_clauses", "analyse", "TYPE_ORDER", "ANAPHOR", "SEPARATE", "FRAME_NOT_NEWS",
           "JUDICIAL"]

MAX_CLAUSE = 1500  # characters; a real sentence is far shorter

_ATTACK_STRONG = words("attack", "strong")
_NOT_LATIN = r"(?<![a-z])"  # an English word starts here ("claimed", not "proclaimed")
IS = rx(W0 + CL + alt("actors", "is") + W1)
_REMNANT = rx(r"(?:مخلفات|بقايا|من مخلفات)\s*(?:تنظيم\s*)?\(?\"?$")
_UNKNOWN_ACTOR = rx(W0 + CL + alt("actors", "unknown") + W1)
_SUSPECT = rx(W0 + alt("actors", "suspect"))
_GOV_ACTOR = rx(r"(?:نفذتها|شنتها|نفذها|لقوات|قوات|طائرات|طائرة|طيران|مدفعية|المدفعية|مسير\w{0,2}|طائر\w{0,3} مسير\w{0,2}|الجيش|جيش|by)\s+"
                r"(?:الحربية\s+|الاحتلال\s+)?(?:ال)?(?P<who>جيش السوري|النظام|الأسد|"
                r"الروسي\w*|التحالف\w*|الأمريكي\w*|الأميركي\w*|التركي\w*|تركي\w{0,2}|syrian (?:army|regime|government)|russian|coalition|us|turkish)"
                r"|(?P<who2>turkish)\s+(?:army|forces|drones?|artillery|military|warplanes?|shelling)")
_CLAIM = rx(_NOT_LATIN + alt("actors", "claim"))  # not "proclaimed"
_NO_CLAIM = rx(alt("actors", "no_claim"))
_SAID = rx(alt("actors", "said"))
_DENIAL = rx(W0 + CL + alt("actors", "denial"))  # not "تنفيذ"
_CLAIM_SOURCE = rx(_NOT_LATIN + alt("actors", "claim_source"))
_NO_CAS = rx(alt("casualties", "no_casualties"))
# "... among the Daesh terrorists", "في صفوف عناصر التنظيم": the attackers lost no one, not the victims
_AMONG_ATTACKERS = rx(r"(?:\s+(?:were|was)\s+reported)?\s*(?:among|in the ranks of|في\s+صفوف|بين|من)\s+(?:the\s+)?"
                      r"(?:" + alt("casualties", "att_group") + r"\s+)?(?:\S+\s+)?(?:ال)?" + alt("casualties", "att_head") + W1)
_UPDATE = rx(W0 + CL + "(?:ال)?" + alt("casualties", "update"))  # not "أبلغ"
_EARLIER = rx(alt("casualties", "earlier"))
SEPARATE = rx(alt("context", "separate"))
_BACKGROUND = rx(r"^\s*" + alt("context", "background") + r"\b")
_OPENER = rx(r"^\s*" + alt("context", "background_opener") + r"\b")
_PAST_ACT = rx(alt("context", "past_act"))
_LATER = rx(alt("context", "later_incident"))
FRAME_NOT_NEWS = rx(alt("context", "frame_not_news"))
_TURN = rx(r"^\s*(?:و)?" + alt("context", "speaker_turn") + "|" + alt("context", "speaker_turn") + r"(?=.{0,80}(?:الأنباء|the report))")
_GENERIC = rx(W0 + CL + "(?:ت|ي)?" + alt("context", "generic"))  # not "استعادة", "التواصل"
_AGGREGATE = rx(alt("context", "aggregate"))
# a reported proposition added to a quote ("، مضيفاً أن", "، منوهاً بأن"): what follows is another statement
_REPORTED_MORE = re.compile(r"،\s*(?:مضيفا|مشيرا|منوها|موضحا|لافتا|مؤكدا|متابعا)\s+(?:الي\s+|الى\s+)?(?:ان|بان)\s")
_SEVERAL_ACTS = rx(alt("context", "several_acts"))
_ITEM = rx(r"^\s*" + alt("context", "list_item"))
JUDICIAL = rx(W0 + CL + "(?:ال)?" + alt("context", "judicial"))  # not "industrial", "exchanged", "حمدان"
_IS_COURT = rx(alt("context", "is_court"))
# "داعش يعدم ثمانية مدنيين", "عناصر التنظيم قاموا، بإعدام", "أعدم تنظيم داعش": the IS name next to the verb
_IS_EXECUTES = rx(alt("actors", "is") + r"\W+(?:\S+\s+){0,3}?\W*" + alt("context", "is_executes") + "|"
                  + alt("context", "is_executes") + r"\s+(?:\S+\s+)?\W*" + alt("actors", "is"))
_SENTENCE = rx(W0 + CL + "(?:ال|م)?" + alt("context", "sentence"))  # not "تتحكم"
_HISTORY = rx(alt("context", "history"))
_RESPONSE = rx(alt("context", "response"))
_GOV_OPERATION = rx(alt("context", "gov_operation"))
_MOTIVE_BG = rx(alt("context", "revenge") + r"\w*\s+(?:\w+\s+){0,3}?(?:لمقتل|for the (?:death|killing))")
_FOREIGN = rx(W0 + CL + alt("context", "foreign") + W1)
_ASSAULT = rx(alt("attack", "assault"))
ANAPHOR = rx(alt("attack", "anaphor"))
_CONTINUE = rx(r"^\s*(?:كما|and)\s+" + alt("attack", "continue"))
_AGG_COUNT = rx(r"(?:\d+|عشرات|مئات|dozens|hundreds)\s+(?:\S+\s+){0,2}?" + alt("attack", "agg_noun"))
_COUNTED = rx(r"أحصى|وثق\s+\d+|إجمالي|a total of|documented \d+")
_SINCE_START = rx(r"منذ بدء|since the start")
TYPE_ORDER = lists("event_types")
_TYPE_PATTERNS = [(t, rx(alt("event_types", t))) for t in TYPE_ORDER]
_TARGET_PATTERNS = [(c, rx(W0 + CL + alt("targets", c) + W1)) for c in lists("targets")]
# no cut after an abbreviation ("Oct. 12", "Col. Walid", "Dr. Ali")
# (the look-behinds follow the dot, so they are tried at dots only)
_ABBREV = "".join(rf"(?<!\b{a}\.)" for a in ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                                             "sept", "col", "gen", "lt", "dr", "mr", "mrs", "st", "maj", "capt", "brig"))
_SPLIT = re.compile(r"(?:\." + _ABBREV + r"|[!?؟؛])[.!?؟؛]*(?=\s|$|[\"'”»)])|(?<=[\u0621-\u064a])[.!?؟]+(?=[\u0621-\u064a]{2})|\n+|،\s*(?=وكذلك|كما\s)|\s-\s"
                    r"|،?\s(?=(?:فيما|بينما|في حين|while)\s+(?:\S+\s+){0,2}?"
                    r"(?:قتل|قُتل|اصيب|أصيب|هاجم|استهدف|انفجر|اغتال|اختطف|killed|wounded|attacked))")


@dataclass
class Clause:
    """What one clause says (folded offsets ``fs``..``fe`` and folded ``text``)."""

    fs: int
    fe: int
    text: str
    index: int = 0  # position among the document's clauses
    dates: list[DateMention] = field(default_factory=list)
    places: list = field(default_factory=list)  # (weight, PlaceMention, folded start)
    chains: list[Chain] = field(default_factory=list)
    strong: bool = False
    attack_span: tuple[int, int] | None = None
    is_spans: list[tuple[int, int]] = field(default_factory=list)
    is_generic: bool = False
    is_suspect: bool = False
    unknown_actor: bool = False
    gov_actor: tuple[str, int, int] | None = None
    claim: tuple[int, int] | None = None
    no_claim: bool = False
    denial: bool = False
    no_casualties: bool = False
    no_attacker_casualties: bool = False
    separate: bool = False
    background: bool = False
    turn: bool = False  # another source tells the same act ("من جانبها، أكدت سانا هذه الأنباء")
    later: bool = False  # an act on those who came after the first (reinforcements, rescuers)
    past: bool = False  # tells an earlier act ("وكان التنظيم قد شن", "as happened when", "on a previous attack")
    earlier: bool = False
    total: bool = False  # sums several separate acts: lends its date and place, is no event itself
    claim_source: bool = False
    update: bool = False
    update_at: int | None = None  # folded offset of the update cue ("لتصل إلى", "rose to")
    skip: str | None = None
    foreign: bool = False
    types: list[tuple[str, int, int]] = field(default_factory=list)
    assault: bool = False
    targets: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def acts(self) -> bool:
        """The clause tells an act: an attack word or a roled count."""
        return self.strong or any(ch.role != "none" for ch in self.chains)


def _cap(spans: list[tuple[int, int]], ft: str) -> list[tuple[int, int]]:
    """Cut spans longer than :data:`MAX_CLAUSE` at a space (or hard) so no clause is unbounded."""
    out = []
    for a, b in spans:
        while b - a > MAX_CLAUSE:
            cut = ft.rfind(" ", a + MAX_CLAUSE // 2, a + MAX_CLAUSE)
            cut = cut if cut > a else a + MAX_CLAUSE
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out


def split_clauses(ft: str) -> list[tuple[int, int]]:
    """Folded clause spans: split at . ! ? ؟ ؛ and new lines, before 'وكذلك' / '، كما' and a
    'فيما/بينما/while' that starts a new act; each at most :data:`MAX_CLAUSE` characters."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SPLIT.finditer(ft):
        end = m.end()
        if ft[start:m.start()].strip():
            spans.append((start, m.start() if m.group().strip(" .!?؟؛") == "" else end))
        start = end
    if ft[start:].strip():
        spans.append((start, len(ft)))
    out = []
    for a, b in _cap(spans, ft):
        while a < b and ft[a].isspace():
            a += 1
        if b - a >= 3:
            out.append((a, b))
    return out


def _one_dated_act(t: str, c: Clause) -> bool:
    """"قتل مختار ... اليوم الاثنين، وسط سلسلة الاغتيالات ... في الآونة الأخيرة": the aggregate words
    are background to one act the clause dates to a day and counts; counted series stay statistics."""
    if _AGG_COUNT.search(t) or _COUNTED.search(t):
        return False
    if not any(d.precision == "day" for d in c.dates):
        return False
    return KILL.search(t[:80]) is not None and any(ch.total == 1 for ch in c.chains)


def analyse(ft: str, a: int, b: int, places: list, dates: list[DateMention], *, unroled: bool = False) -> Clause:
    """The cues of folded clause ``ft[a:b]`` given its place mentions and date mentions.

    With ``unroled`` the clause also keeps counts no trigger word gives a role (role ``none``), for
    the learned number model; the rules' decisions below look at roled counts only."""
    t = ft[a:b]
    c = Clause(a, b, t, dates=dates, places=places)
    spans = tuple((d._fs, d._fs + len(d.text)) for d in dates if getattr(d, "_fs", None) is not None)
    found = chains(t, a, keep_unroled=unroled, dates=spans)
    c.chains = [ch for ch in found if ch.role != "none"]
    if JUDICIAL.search(t) and not (_IS_COURT.search(t) or (_IS_EXECUTES.search(t) and not _SENTENCE.search(t))):
        c.skip = "judicial"  # but "داعش يعدم ... بتهمة التخابر", "ما يسمى بالمحكمة الشرعية": IS's killings
    m_agg = _AGGREGATE.search(t)
    m_more = _REPORTED_MORE.search(t)
    if m_agg and m_more and m_more.start() < m_agg.start() and any(
            ch.total is not None and ch.start - a < m_more.start() for ch in c.chains if ch.role != "none"):
        m_agg = None  # "... ما أدى إلى استشهاد أربعة، منوهاً بأن ... خلال الأيام الماضية": the statistics come after the act
    # "kidnapped a total of eight civilians in two incidents" on Friday: the day's sum of the acts that follow
    day_sum = bool(_SEVERAL_ACTS.search(t)) and any(d.precision == "day" for d in c.dates)
    if m_agg and not _SINCE_START.search(t) and not _one_dated_act(t, c) and not day_sum:
        c.skip = c.skip or "aggregate"
    c.foreign = bool(_FOREIGN.search(t))
    m = _ATTACK_STRONG.search(t)
    if m:
        c.strong = True
        c.attack_span = (a + m.start(), a + m.end())
    for m in IS.finditer(t):
        if _REMNANT.search(t[max(0, m.start() - 14):m.start()]):
            continue
        c.is_spans.append((a + m.start(), a + m.end()))
    c.is_suspect = bool(_SUSPECT.search(t))
    c.unknown_actor = bool(_UNKNOWN_ACTOR.search(t))
    g = _GOV_ACTOR.search(t)
    if g:
        c.gov_actor = (g.group("who") or g.group("who2"), a + g.start(), a + g.end())
    if _NO_CLAIM.search(t):
        c.no_claim = True
    else:
        m = _CLAIM.search(t)
        if m:
            c.claim = (a + m.start(), a + m.end())
    c.denial = bool(_DENIAL.search(t))
    for m in _NO_CAS.finditer(t):
        if _AMONG_ATTACKERS.match(t, m.end()):
            c.no_attacker_casualties = True
        else:
            c.no_casualties = True
    c.background = bool(_BACKGROUND.search(t)) and not (_CONTINUE.match(t) and ANAPHOR.search(t[:40]))
    if c.strong or found:
        # cues that only matter for a clause telling an act (grouping and the choice of a toll)
        c.separate = bool(SEPARATE.search(t[:60]) or _ITEM.match(t))  # "• March 24: ...": an entry of a list
        c.total = bool(_SEVERAL_ACTS.search(t))  # "قتل شخصان في حادثين منفصلين": a sum told before its parts
        c.past = bool(_PAST_ACT.search(t)) or bool(_OPENER.search(t) and not _EARLIER.search(t))
        c.later = bool(_LATER.search(t))
        c.turn = bool(_TURN.search(t[:120]))
        m_e = _EARLIER.search(t)
        c.earlier = bool(m_e) and not (m_e.group().strip() in (fold_pattern("في وقت سابق"), "earlier") and not _SAID.search(t))
        m_u = _UPDATE.search(t)
        c.update = bool(m_u)
        c.update_at = a + m_u.start() if m_u else None
        c.claim_source = bool(_CLAIM_SOURCE.search(t))
    c.assault = bool(_ASSAULT.search(t))
    history = bool(_HISTORY.search(t))
    generic = bool(_GENERIC.search(t))
    day_dates = [d for d in c.dates if d.precision in ("day", "days")]
    if not c.skip and history and not c.chains and not day_dates:
        c.skip = "history"
    if not c.skip and generic and not day_dates and not any(ch.total for ch in c.chains):
        c.skip = "generic"
    if not c.skip and _MOTIVE_BG.search(t) and not c.chains:
        c.skip = "motive"
    if _RESPONSE.search(t) and not any(ch.total for ch in c.chains):
        c.strong = False  # "رداً على الحملة ...": why, not a new act
    if _GOV_OPERATION.search(t) and not any(ch.role in ("killed", "wounded", "combined", "captured") for ch in c.chains):
        c.strong = False  # "انطلاق حملة أمنية لاستهداف الخلايا", "فرض الجيش سيطرته على قضاء مخمور": no attack
    c.is_generic = generic or history
    c.chains = found
    if not (c.strong or c.chains):
        return c  # context only: type and target words matter in clauses that tell an act
    for typ, pat in _TYPE_PATTERNS:
        for m in pat.finditer(t):
            c.types.append((typ, a + m.start(), a + m.end()))
    for cat, pat in _TARGET_PATTERNS:
        for m in pat.finditer(t):
            c.targets.append((cat, a + m.start(), a + m.end()))
    return c
