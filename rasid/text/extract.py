"""News text to events: attacks with date, place, actor, claim, target, type and casualty counts.

Transparent rules, Arabic first (English handled by the same machinery):

1. The text is folded (:mod:`rasid.lang.fold`) and cut into clauses. Each clause gets its date
   mentions (:mod:`rasid.text.dates`), place mentions (:func:`rasid.geo.geocoder.find_places`),
   casualty chains ("مقتل 10 جنود و4 مدنيين وإصابة 7 آخرين"), actor, claim, target and type cues.
2. Clauses that are trials, statistics, history, habitual statements or attacks abroad are skipped.
3. Clauses are grouped into events: a new event starts on a separation cue ("وفي سياق متصل",
   "Separately"), another date, another governorate or another district with its own toll; a
   restatement ("وكان مصدر أمني قد أفاد ...") of an event already found is merged into it.
4. Per event the fields are chosen from its clauses, each with the character span of its evidence
   and a confidence. Counts prefer an updated toll over the first one, and any independent figure
   over the perpetrator's claim; vague quantities ("العشرات") stay text with a lower bound.

See docs/extraction.md for the rules, the dev set and the scores.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rasid.events.actors import canonical_actor
from rasid.lang.fold import Folded, fold, fold_pattern, rx
from rasid.text.dates import DateMention, find_dates, parse_published
from rasid.text.documents import Document, make_document
from rasid.text.numbers import VAGUE_LOW, _scan

__all__ = ["ExtractedEvent", "Extraction", "extract_document", "extract_events", "TARGETS", "EVENT_TYPES"]

TARGETS = ("police", "army", "pmf", "peshmerga", "sdf", "regime", "civilians", "officials", "infrastructure",
           "security", "rebels", "foreign", "militants", "unknown")
EVENT_TYPES = ("armed_attack", "ambush", "ied", "car_bomb", "suicide_attack", "shelling", "airstrike",
               "assassination", "kidnapping", "prison_attack", "execution", "clash")
_MAX_TEXT = 200_000


@dataclass
class ExtractedEvent:
    """One event found in a document, with evidence spans ``field -> (start, end)`` and confidences."""

    doc_id: str
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    country: str | None = None
    admin1_code: str | None = None
    admin1_en: str | None = None
    admin1_ar: str | None = None
    admin2_code: str | None = None
    admin2_en: str | None = None
    admin2_ar: str | None = None
    location_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    actor_id: str = "unknown"
    actor_text: str | None = None
    claimed: bool = False
    target: str | None = None
    event_type: str = "armed_attack"
    killed: int | None = None
    wounded: int | None = None
    attackers_killed: int | None = None
    killed_low: int | None = None
    wounded_low: int | None = None
    casualties_text: str | None = None
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)
    published: dt.date | None = None
    url: str | None = None
    text: str | None = None

    def to_record(self) -> dict:
        """The JSONL record of the CLI (``kind: event`` and the keys documented in docs/extraction.md)."""
        return {
            "kind": "event", "doc_id": self.doc_id,
            "date": self.date.isoformat() if self.date else None, "date_precision": self.date_precision,
            "country": self.country, "admin1_en": self.admin1_en, "admin1_ar": self.admin1_ar,
            "admin2_en": self.admin2_en, "location_text": self.location_text, "actor_id": self.actor_id,
            "claimed": self.claimed, "target": self.target, "event_type": self.event_type,
            "killed": self.killed, "wounded": self.wounded, "attackers_killed": self.attackers_killed,
            "evidence": {k: [int(a), int(b)] for k, (a, b) in self.evidence.items()},
            "confidence": {k: round(float(v), 3) for k, v in self.confidence.items()},
        }


# =============================================================================================
# lexicons (written in ordinary Arabic; folded when compiled)
# =============================================================================================
_W0 = r"(?<![^\W_])"      # word start
_W1 = r"(?![^\W_])"       # word end
_CL = r"(?:[وفبل]|لل|وب|ول|فب)?"  # clitics before a word


def _words(*alts: str, clitic: bool = True, end: bool = True) -> re.Pattern[str]:
    body = "|".join(alts)
    return rx(_W0 + (_CL if clitic else "") + r"(?:" + body + r")" + (_W1 if end else ""))


_KILL = _words(r"قتل\w{0,3}", r"يقتل\w{0,2}", r"تقتل", r"مقتل\w{0,2}", r"مصرع\w{0,3}", r"حتف\w{0,3}", r"استشهد\w{0,2}",
               r"استشهاد", r"شهيد\w{0,2}", r"شهداء", r"الشهداء", r"قتيل\w{0,2}", r"قتلى", r"القتلى", r"بحياة",
               r"ضحيت\w{0,2}", r"فارق\w{0,2}", r"قضى", r"قضوا", r"ارتقاء", r"أودى", r"أودت", r"وفاة",
               r"killed", r"killing", r"kills?", r"dead", r"died", r"deaths?", r"martyred", r"lives", r"life",
               r"death toll", r"toll", r"أعدم\w{0,3}", r"نحر\w{0,3}", r"ذبح\w{0,3}", r"اغتال\w{0,3}", r"يغتالون",
               r"حياته\w{0,2}", r"executed", r"beheaded", r"assassinated", r"shot dead")
_WOUND = _words(r"أصيب\w{0,3}", r"أصاب", r"أصابت", r"أصابوا", r"injury", r"إصابة", r"اصابة", r"إصابات", r"جرح", r"جرحى", r"الجرحى", r"جريح\w{0,2}", r"مصاب\w{0,3}",
                r"بجروح", r"جروح", r"wounded", r"wounding", r"injured", r"injuring", r"injuries", r"hurt",
                r"wounds")
_COMBINED = rx(_W0 + _CL + r"(?:(?:مقتل|قتل|استشهد|استشهاد)\s*و\s*(?:إصابة|اصابة|جرح|أصيب)|بين\s+قتيل\s+وجريح"
               r"|قتيل\s+وجريح|قتلى\s+وجرحى|killed\s+(?:or|and)\s+(?:wounded|injured)|killed\s+or\s+injured"
               r"|casualties|dead\s+and\s+wounded|ضحايا)" + _W1)
_ATTACKER = rx(r"تنظيم|داعش|الدولة|انتحاري\w*|انغماسي\w*|جهادي\w*|الإرهابيين|إرهابي\w*|المهاجم\w*|مسلحي|مسلحا"
               r"|عناصرهم|attackers?|militants?|jihadists?|isis|daesh|terrorists?|assailants?|fighters of|gunm[ae]n")
_NON_PERSON = rx(_W0 + _CL + r"(?:ال)?(?:قذائف|قذيفة|صواريخ|صاروخ|عجلات|عجلة|سيارات|سيارة|أبراج|برج|عبوات|عبوتين|هجمات|هجوم|عمليات|عملية"
                 r"|مرات|ساعات|ساعة|أيام|يوم|أشهر|شهر|سنوات|سنة|أعوام|عاما|عام|دقيقة|دقائق|كم|كلم|كيلو\w*|متر|آلاف|قرى|قرية"
                 r"|منازل|مواقع|نقاط|حواجز|آليات|مركبات|مركبة|عربات|عربة|همر|أسلحة|مليار\w*|مليون|برميل|بالمئة|بالمائة|%|ألف|مخيم\w*|سجين|سجناء"
                 r"|barrels?|km|kms|kilomet\w+|miles?|hours?|days?|weeks?|months?|years?|vehicles?|rockets?|shells?"
                 r"|attacks?|operations?|towers?|villages?|percent|minutes?|mortars?|houses?|pm|am|gmt|prisoners?|inmates?)" + _W1)
_NUM_BLOCK = rx(r"(?:(?:لواء|اللواء|بلواء|للواء|فوج|الفوج|الفرقة|فرقة|بالفرقة)\s+\S+\s*$|أصل|out of|لواء|اللواء|الفوج|فوج|الفرقة|فرقة|الكتيبة|المادة|رقم|الساعة|العمر|brigade|regiment|division|battalion|article|no\.|unit|عام|العام|سنة|ليلة)\s*$")
_CAS_NOUN1_RAW = {w: 1 for w in (
    "عنصر", "جندي", "شرطي", "مدني", "شخص", "مقاتل", "طفل", "امرأة", "ضابط", "منتسب", "فرد", "عسكري",
    "راعي", "مواطن", "قيادي", "مختار", "شاب", "رجل", "فتى", "موظف", "عامل", "حارس", "عريف", "مسؤول", "آخر", "قائد", "قيادي", "كومين", "مدرس", "طبيب", "صحفي", "ناشط",
    "طفلة", "سيدة", "فتاة", "شابة", "مواطنة", "موظفة", "طالب", "طالبة", "مرافق", "سائق", "نازح", "نازحة", "لاجئ",
    "مزارع", "تاجر", "معلم", "معلمة", "ممرض", "مسعف", "متطوع", "صبي", "مسؤولة",
    "والد", "والدة", "ابن", "ابنة", "نجل", "زوج", "زوجة", "شقيق", "شقيقة", "another")}
_CAS_NOUN2 = {w: 2 for w in (
    "عنصرين", "عنصران", "جنديين", "جنديان", "شرطيين", "شرطيان", "شخصين", "شخصان", "طفلين", "طفلان", "ضابطين",
    "ضابطان", "فردين", "امرأتين", "رجلين", "شابين", "شابان", "راعيين", "آخران", "مدنيان", "عسكريان", "مقاتلان",
    "منتسبين", "منتسبان", "حارسين", "قياديين", "قياديان", "شقيقين", "شقيقان", "مسؤولتين", "مسؤولتان", "سيدتين",
    "طفلتين", "طفلتان", "فتاتين", "مرافقان", "سائقان", "موظفان")}
_CAS_NOUN1 = {fold_pattern(k): v for k, v in _CAS_NOUN1_RAW.items()}
_CAS_NOUN2 = {fold_pattern(k): v for k, v in _CAS_NOUN2.items()}
_EN_NOUN1 = rx(r"^(?:a|an|one)\s+(?:\w+\s+){0,2}?(?:soldier|policeman|police officer|officer|civilian|fighter|member|person"
               r"|child|woman|man|shepherd|guard|mukhtar|commander|lieutenant|captain|corporal|driver|farmer)\b")
# triggers that follow their number: "14 قتيلا", "عنصرين قتلا", "five were killed", "2 wounded"
_RIGHT = rx(r"(?:قتيل\w{0,2}|قتلى|القتلى|جريح\w{0,2}|جرحى|الجرحى|شهيد\w{0,2}|شهداء|مصرع\w{1,3}|حتف\w{1,3}|قتلوا|قتلا|قتلتا|أصيبوا|أصيبا|"
            r"جرحوا|استشهدوا|حياته\w{0,2}|حياتهم|حياتهما|أصيبتا|قتلتا|killed|died|dead|wounded|injured|hurt|martyred|lives)")
_RIGHT_ONE = rx(r"(?:مصرعه|مصرعها|حتفه|حتفها|حياته|حياتها)")  # "لقي عنصر ... مصرعه": one person
_SAME_AS = rx(_W0 + _CL + r"(?:مثلهما|مثلهم|مثله|مثلها)" + _W1)
_STOP = rx(_W0 + r"(?:فيما|بينما|في حين|لكن|ولكن|غير أن|while|whereas|but|however|although|وقال|وأضاف|وأوضح|وذكر|وأكد|said|added)" + _W1 + r"|[;؛:]")

# attack words: strong ones start an event on their own; weak (plural / generic) ones do not
_ATTACK_STRONG = _words(
    r"هجوم\w{0,2}", r"هاجم\w{0,3}", r"يهاجم\w{0,2}", r"شن\w{0,3}", r"استهدف\w{0,3}", r"استهداف", r"اعتداء\w{0,2}",
    r"تفجير\w{0,2}", r"انفجار\w{0,2}", r"انفجرت", r"انفجر", r"فجر\w{0,4}", r"عبوة", r"عبوتين", r"لغم\w{0,2}",
    r"مفخخ\w{0,3}", r"انتحاري\w{0,3}", r"كمين\w{0,2}", r"كميناً", r"نصب\w{0,2}", r"اشتباك\w{0,3}", r"اشتبك\w{0,3}",
    r"معارك", r"مواجهات", r"اغتيال", r"اغتال\w{0,3}", r"يغتال\w{0,3}", r"اختطاف", r"خطف", r"اختطف\w{0,3}",
    r"قصف\w{0,2}", r"قذائف", r"قذيفة", r"صاروخ\w{0,2}", r"كاتيوشا", r"اقتحم\w{0,3}", r"اقتحام", r"تسلل\w{0,3}",
    r"غارة", r"غارات", r"أعدم\w{0,2}", r"إعدام", r"نحر\w{0,2}", r"ذبح\w{0,2}", r"تخريب\w{0,2}", r"أطلق\w{0,3}",
    r"إطلاق", r"سيطر\w{0,3}", r"تعرض\w{0,2}", r"attack(?:ed)?", r"ambush(?:ed)?", r"bomb(?:ing|ed)?", r"blast",
    r"explosion", r"explosive", r"ied", r"exploded", r"detonated", r"suicide", r"clash(?:es|ed)?", r"gunmen",
    r"opened fire", r"shot", r"kidnap\w*", r"abduct\w*", r"assassinat\w*", r"raid(?:ed)?", r"rockets?",
    r"mortars?", r"shell(?:ing|ed)", r"air ?strikes?", r"targeted", r"targeting", r"stormed", r"struck",
    r"hit", r"set\s+\w+\s+on fire", r"set on fire", r"on fire", r"fired", r"overran", r"overrun", r"sabotage")

_IS = rx(_W0 + _CL + r"(?:داعش|الدواعش|دواعش|تنظيم الدولة(?: الإسلامية)?(?: في العراق والشام)?|الدولة الإسلامية|تنظيم\s*\"?الدولة"
         r"|عصابات داعش|خلايا التنظيم|خلايا داعش|عناصر التنظيم|مسلحي التنظيم|التنظيم الإرهابي|التنظيم المتطرف|حسابات التنظيم"
         r"|معرفات التنظيم|مقاتلي التنظيم|التنظيم|مسلحون دواعش|مسلحين دواعش|daesh|isis|isil|islamic state|is militants"
         r"|is fighters|is group|is cells?|amaq|أعماق)" + _W1)
_IS_UPPER = re.compile(r"(?<![A-Za-z])IS(?![A-Za-z])")
_REMNANT = rx(r"(?:مخلفات|بقايا|من مخلفات)\s*(?:تنظيم\s*)?\(?\"?$")
_UNKNOWN_ACTOR = rx(_W0 + _CL + r"(?:مجهول\w{0,2}|unknown|unidentified)" + _W1)
_SUSPECT = rx(_W0 + r"(?:يرجح|يُرجح|يعتقد|يشتبه|يظن|رجح|نسب\w*|بصمات|اتهم\w*|suspected|believed|blamed|accused|suspect)")
_GOV_ACTOR = rx(r"(?:نفذتها|شنتها|نفذها|لقوات|قوات|طائرات|طيران|مدفعية|المدفعية|مسير\w{0,2}|طائر\w{0,3} مسير\w{0,2}|الجيش|جيش|by)\s+"
                r"(?:الحربية\s+|الاحتلال\s+)?(?:ال)?(?P<who>جيش السوري|النظام|الأسد|"
                r"الروسي\w*|التحالف\w*|الأمريكي\w*|الأميركي\w*|التركي\w*|تركي\w{0,2}|syrian (?:army|regime|government)|russian|coalition|us|turkish)"
                r"|(?P<who2>turkish)\s+(?:army|forces|drones?|artillery|military|warplanes?|shelling)")
_CLAIM = rx(r"(?:تبن\w{1,4}|يتبنى|أعلن\w{0,3}\s+(?:\w+\s+){0,6}?(?:مسؤوليت|مسئوليت|مسئوليت)\w{1,3}|(?:مسؤولي|مسئولي)ته عن|(?:مسؤولي|مسئولي)تها عن|تبنيه"
            r"|claimed responsibility|claims? responsibility|claiming responsibility|claimed (?!the li)|claims? (?!the li)|claiming)")
_NO_CLAIM = rx(r"(?:لم\s+(?:تعلن|يعلن|تتبن|يتبن)\w*|ولم\s+(?:تعلن|يعلن|تتبن|يتبن)\w*|no (?:group|party|one|organisation|organization)"
               r"(?: has)?(?: yet)? (?:claimed|has claimed)|nobody has claimed|did not (?:immediately )?claim|has not claimed"
               r"|not (?:immediately )?claimed|no (?:immediate )?claim|لم\s+يتبنها|لم تتبنَ|لم يتبنَ)")
_SAID = rx(r"(?:قال\w*|أفاد\w*|ذكر\w*|أعلن\w*|أكد\w*|أوضح\w*|نقل\w*|said|reported|announced|told|stated)")
_DENIAL = rx(r"(?:نفى|نفت|لا صحة|غير صحيح|denied|not true|was not true|false)")
_NO_CAS = rx(r"(?:دون|بدون)\s+(?:وقوع|تسجيل|أي|أية)?\s*(?:أي|أية)?\s*(?:إصابات|اصابات|ضحايا|خسائر)|لم\s+(?:تسفر|يسفر|تسجل|يسجل)\s+عن\s+"
             r"(?:وقوع\s+)?(?:أي|أية)\s+(?:خسائر|إصابات|ضحايا)|no casualties|without casualties|no injuries|no one was hurt"
             r"|no casualties or injuries|caused no casualties|لم ترد أنباء عن وقوع ضحايا")
_UPDATE = rx(r"(?:ارتفع\w*|ارتفاع|بلغت|بلغ|الحصيلة النهائية|الحصيلة الإجمالية|rose to|risen to|climbed|death toll .{0,20}rose|final toll)")
_EARLIER = rx(r"(?:في وقت سابق|أولية|أولي|حصيلة غير نهائية|earlier|initial|initially|first reports|قد أفاد|قد أعلن|قد ذكر|أفاد مساء|had reported|had said"
              r"|^\s*(?:وكان|وكانت)\s+(?:\S+\s+){0,5}?(?:مصدر|مصادر|المرصد|مسؤول|بيان|وسائل|خلية|الشرطة|ضابط|المتحدث|قيادة|وزارة|هيئة|وكالة|قناة|التلفزيون|صحيفة)\w*\s)")
_CLAIM_SOURCE = rx(r"(?:أعماق|amaq|بيان للتنظيم|بيان صادر عنه|قال التنظيم|وزعم|زعم|نشرته معرفات|معرفات|حسابات التنظيم|وسائل إعلام مقربة من التنظيم"
                   r"|قال تنظيم|the group said|the statement|claimed|al-naba|النبأ|وكالة \(أعماق\)|the militant group|according to the statement)")
_SEPARATE = rx(r"(?:وفي سياق متصل|في سياق متصل|من جهة أخرى|من جهة ثانية|من جانب آخر|وفي حادثة أخرى|في حادثة أخرى|وفي حادث منفصل|"
               r"في حادث منفصل|بحادثتين منفصلتين|وفي هجوم آخر|هجوم آخر|الهجوم الثاني|وكذلك|كذلك|إلى ذلك|الى ذلك|separately|in a separate"
               r"|بيان منفصل|بيان آخر|in a separate statement|in another|another (?:\w+ )?(?:attack|incident|bombing|explosion|ambush)|elsewhere|meanwhile|also on|on the other hand"
               r"|in the first|in the second|الأول حصل|الهجوم الأول)")
_BACKGROUND = rx(r"(?:^\s*(?:وكان|وكانت|يذكر أن|يشار إلى أن|يُذكر أن|وقبل|قبل|كما|ومنذ|وسبق|وتأتي|ويأتي|جدير بالذكر|ومؤخرا|مؤخرا|وجاء ذلك بعد|جاء ذلك بعد|يأتي ذلك بعد|ويأتي ذلك بعد)\b|^\s*(?:last|on|earlier|in late|in early|previously|before that|the previous)\b)")
_GENERIC = rx(r"(?:سلسلة هجمات|بين فترة وأخرى|بين الحين والآخر|بين الفينة والأخرى|عادة|غالبا|باستمرار|بشكل متكرر|بشكل شبه يومي|لا يزال|لا تزال|ما زال|ما تزال|مازال|يواصل|تواصل|تنشط|"
              r"often|usually|typically|regularly|frequently|continues? to|still|remains?|sporadic|known to be|has carried out|have been|has been|tend to|repeatedly|despite)")
_AGGREGATE = rx(r"(?:خلال (?:الشهرين|الأشهر|الأسابيع|الأيام|الأسبوعين|السنوات) (?:الماضي|الماضية|الأخيرة)|في الآونة الأخيرة|منذ مطلع|منذ بداية العام|منذ بداية الشهر|خلال الأسبوع|خلال الشهر|خلال العام|الأسبوع الفائت|أحصى|حصاد|وثق\s+\d+|إجمالي|حصيلة هجماته"
                r"|monthly (?:count|toll|report|figures)|during the month of|most affected|came on top|since the beginning|since early|since \d{4}|this year|over the past|in the past \d+|a total of|documented \d+|across the country|in recent (?:weeks|months))")
_JUDICIAL = rx(r"(?:محكمة|المحكمة|حكم\w{0,3}\s+(?:بالإعدام|بالسجن)|بالإعدام|الإعدام شنقا|المدان\w*|مدان\w*|القضاء الأعلى|قانون مكافحة الإرهاب|بتهمة|اعترف\w*|"
               r"court|sentenced|convicted|verdict|charges|hanged|death row|executions?\s+of\s+prisoners|trial|judiciary|counter-terrorism law)")
_HISTORY = rx(r"(?:أعلن\w*\s+(?:\w+\s+){0,4}?(?:النصر|انتصاره|الانتصار|القضاء على|هزيمة)|declared (?:victory|the defeat)|territorially defeated|seized (?:control of )?swath"
              r"|منذ (?:عام )?201\d|since 201\d|in 2014|عام 2014|في 2014|صيف 2014|نهاية العام 2017|عام 2017|in 2017|caliphate|الخلافة|self-proclaimed|"
              r"لم يعد\s+(?:\S+\s+){0,3}?يسيطر|no longer (?:controls|holds)|منذ (?:فقدانه|خسارته|هزيمته|طرده|دحره|انهياره)|"
              r"سيطر (?:التنظيم )?على مساحات|مساحات واسعة|swathes|إلحاق الهزيمة|قبل هزيمته|بعد هزيمته)")
_RESPONSE = rx(r"(?:رداً على|ردا على|رد على|انتقاما|انتقاماً|ثأرا|ثأراً|in retaliation|in response to|as revenge|in revenge)")
_MOTIVE_BG = rx(r"(?:ثأر|الثأر|انتقام|الانتقام|revenge|retaliation|vengeance)\w*\s+(?:\w+\s+){0,3}?(?:لمقتل|for the (?:death|killing))")
_FOREIGN = rx(_W0 + _CL + r"(?:نيجيريا|النيجيري\w*|بورنو|أفغانستان|الأفغاني\w*|ننجرهار|باكستان|الباكستاني\w*|الكويت|مصر|سيناء|ليبيا|اليمن|الصومال|موزمبيق|الكونغو|الفلبين"
                 r"|أوروبا|فرنسا|باريس|لندن|بلجيكا|ألمانيا|تركيا|إيران|إندونيسيا|سريلانكا|السند|لبنان|الأردن|السعودية|تونس|الجزائر|مالي|النيجر|غرب أفريقيا|أفريقيا"
                 r"|nigeria\w*|borno|afghanistan|afghan|kunduz|kabul|pakistan\w*|kuwait|egypt\w*|sinai|libya|yemen|somalia|mozambique|cabo delgado|congo|philippines"
                 r"|europe|france|paris|london|brussels|germany|indonesia|sri lanka|sindh|lebanon|jordan|saudi|tunisia|algeria|mali|niger|west africa|africa)" + _W1)
_REPORT = rx(r"(?:أعلن\w*|أفاد\w*|أورد\w*|بحسب|وفق\w*|قال\w*|ذكر\w*|أكد\w*|كشف\w*|أوضح\w*|أضاف\w*|نشر\w*|صرح\w*|أشار\w*|وثق\w*|بيان|تبن\w*|نقل\w*|said|told|announced|reported|stated|"
             r"confirmed|claimed|according|statement|reports?)\W+(?:\w+\W+){0,4}$")

# target categories: (category, pattern); Iraq/Syria specific ones are resolved by country
_TARGET_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("pmf", rx(_W0 + _CL + r"(?:الحشد|حشد|سرايا السلام|حركة النجباء|النجباء|الحشد العشائري|العشائري|hashd|pmf|pmu|popular mobili[sz]ation)" + _W1)),
    ("peshmerga", rx(_W0 + _CL + r"(?:البيشمركة|البشمركة|بيشمركة|بشمركة|peshmerga|البيشمركه)" + _W1)),
    ("asayish", rx(_W0 + _CL + r"(?:الأسايش|أسايش|asayish|قوى الأمن الداخلي|قوات الأمن الداخلي|internal security forces|الأمن الداخلي)" + _W1)),
    ("sdf", rx(_W0 + _CL + r"(?:قسد|لقسد|قوات سوريا الديمقراطية|قوات سورية الديمقراطية|وحدات حماية الشعب|القوات الكردية|الأكراد|قوات الدفاع الذاتي|الصناديد|"
               r"المجلس العسكري|مجلس دير الزور العسكري|مجلس الرقة العسكري|sdf|syrian democratic forces|ypg|kurdish fighters|kurdish forces|al-sanadid|sanadid)" + _W1)),
    ("regime", rx(_W0 + _CL + r"(?:قوات النظام|جيش النظام|قوات الأسد|عصابات الأسد|الجيش السوري|القوات النظامية|قوات الحكومة السورية|قوات حكومة دمشق|الدفاع الوطني|"
                  r"الميليشيات الإيرانية|الميليشيات الموالية|لواء القدس|حزب الله|الفرقة الرابعة|كتائب المختار|ميليشيا|حافلة مبيت|حافلات المبيت|النظام"
                  r"|syrian (?:army|soldiers|troops|regime|government forces)|regime|pro-government|pro-regime|syrian arab army|government forces|military bus|army bus)" + _W1)),
    ("police", rx(_W0 + _CL + r"(?:الشرطة|شرطة|شرطي\w{0,2}|مركز شرطة|رجال الشرطة|police\w*|policem[ae]n|federal police)" + _W1)),
    ("army", rx(_W0 + _CL + r"(?:الجيش|جيش|جندي\w{0,2}|جنود|عسكري\w{0,2}|العسكريين|ضابط\w{0,2}|ثكنة|دورية للجيش|soldiers?|army|troops|military|barracks)" + _W1)),
    ("officials", rx(_W0 + _CL + r"(?:مختار|المختار|كومين|الكومين|مسؤول\w{0,2}|رئيس (?:مجلس|لجنة|بلدية|مكتب|الوحدة)|الرئيس المشترك|"
                     r"مجلس (?:محلي|بلدي|المحافظة|دير الزور المدني|الرقة المدني|مدني|ناحية|قضاء|بلدة)|المجلس المحلي|الإدارة الذاتية|قائممقام|مدير|شيخ|وجهاء|عشيرة|"
                     r"mukhtar|mayor|official|council|co-chair|governor|sheikh|tribal|chief)" + _W1)),
    ("infrastructure", rx(_W0 + _CL + r"(?:أبراج|برج|خط\w{0,2}\s+(?:نقل|رئيسي|لنقل|للكهرباء)|الطاقة الكهربائية|الكهرباء|كهرباء|حقل|حقول|بئر|آبار|ناقلة نفط|"
                          r"صهاريج النفط|أنبوب|أنابيب|محطة|power lines?|pylons?|towers?|oil wells?|oil fields?|well|tankers?|pipelines?|power plant|electricity)" + _W1)),
    ("civilians", rx(_W0 + _CL + r"(?:مدني\w{0,3}|المدنيين|أشخاص|شخص\w{0,2}|أطفال|طفل\w{0,2}|نساء|امرأة|رعاة|راعي|مصلين|المصلين|المواطنين|مواطن\w{0,2}|قرويين|"
                     r"الأهالي|عائلة|سكان|سوق\w{0,2}|أسواق|زوار|مجلس عزاء|عمال|الشباب|شبان|تجمعا|civilians?|people|persons?|children|child|women|shepherds?|villagers|worshipp?ers|residents|"
                     r"pilgrims|market|farmers?|workers)" + _W1)),
    ("security", rx(_W0 + _CL + r"(?:القوات الأمنية|الأجهزة الأمنية|قوات الأمن|عناصر الأمن|الأمن العراقي|أفراد الأمن|نقطة تفتيش|حاجز|حاجز أمني|security forces|security personnel|security post|checkpoint)" + _W1)),
    ("rebels", rx(_W0 + _CL + r"(?:الجيش الحر|الحر|فصائل المعارضة|المعارضة المسلحة|rebels?|opposition fighters)" + _W1)),
    ("foreign", rx(_W0 + _CL + r"(?:السفارة|القوات الأمريكية|القوات الأميركية|قاعدة|embassy|us forces|american forces|coalition forces)" + _W1)),
]
_TARGET_PRIORITY = {c: i for i, c in enumerate(("pmf", "peshmerga", "sdf", "regime", "police", "army", "officials",
                                                 "infrastructure", "civilians", "security", "rebels", "foreign"))}

_TYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("prison_attack", rx(r"(?:سجن|السجن|prison|jail)")),
    ("suicide_attack", rx(r"(?:انتحاري\w*|انغماسي\w*|حزام\w* ناسف\w*|أحزمة ناسفة|سترته الناسفة|سترة ناسفة|فجر\w{0,2} نفس\w{1,4}|suicide|explosive belts?|blew (?:him|her)self up)")),
    ("car_bomb", rx(r"(?:سيار\w{1,4} (?:ال)?مفخخ\w{0,3}|عربات مفخخة|صهريج\w{0,2} مفخخ|مفخخة|انفجار سيارة|car bomb|vehicle-borne|vbied|bomb-laden vehicle|booby-trapped car)")),
    ("ied", rx(r"(?:عبو\w{1,4} ناسف\w{0,3}|عبوة|عبوات|لغم\w{0,2}|ألغام|منزل مفخخ|قنبلة|قنبلتين|explosive device|roadside bomb|\bied\b|landmines?|\bmines?\b|\bbomb\b|bombing|blast)")),
    ("ambush", rx(r"(?:كمين\w{0,2}|ambush\w*)")),
    ("assassination", rx(r"(?:اغتيال|اغتال\w*|يغتال\w*|assassinat\w*)")),
    ("kidnapping", rx(r"(?:اختطاف|اختطف\w*|خطف\w*|مختطف\w*|kidnap\w*|abduct\w*)")),
    ("execution", rx(r"(?:أعدم\w*|نحر\w*|ذبح\w*|executed|beheaded)")),
    ("airstrike", rx(r"(?:غارة|غارات|طائرات حربية|طائر\w{0,3} مسير\w{0,2}|مسير\w{0,2} (?:ال)?(?:تركي|أمريكي|أميركي|إسرائيلي|مجهول|تابع|للتحالف)\w*"
                     r"|airstrikes?|air strikes?|warplanes?|drone strikes?|drones?|uavs?)")),
    ("shelling", rx(r"(?:قصف\w*|قذائف|قذيفة|هاون|كاتيوشا|صاروخ\w*|rockets?|mortars?|shelling|katyusha|missiles?)")),
    ("clash", rx(r"(?:اشتباك\w*|اشتبك\w*|معارك|مواجهات|clash\w*|fighting|battle)")),
]
_ASSAULT = rx(r"(?:هجوم\w{0,2}|هاجم\w{0,3}|attack(?:ed|s)?|assault|offensive|stormed|raided|المهاجم\w*|attackers)")
_PREP = rx(r"(?:بعد|تمهيد\w*|خلال الهجوم|أعقبه|بدأ\w*|followed|began|preceded|before)\W+(?:\w+\W+){0,3}$")


# =============================================================================================
# clause analysis
# =============================================================================================
@dataclass
class _Chain:
    role: str  # killed, wounded, combined, attackers
    total: int | None
    low: int | None
    start: int  # folded offsets
    end: int
    tier: int = 2
    text: str = ""


@dataclass
class _Clause:
    fs: int  # folded span
    fe: int
    text: str  # folded text of the clause
    dates: list[DateMention] = field(default_factory=list)
    places: list = field(default_factory=list)  # (weight, PlaceMention)
    chains: list[_Chain] = field(default_factory=list)
    strong: bool = False
    attack_span: tuple[int, int] | None = None
    is_spans: list[tuple[int, int]] = field(default_factory=list)
    is_suspect: bool = False
    unknown_actor: bool = False
    gov_actor: tuple[str, int, int] | None = None
    claim: tuple[int, int] | None = None
    no_claim: bool = False
    denial: bool = False
    no_casualties: bool = False
    separate: bool = False
    background: bool = False
    earlier: bool = False
    claim_source: bool = False
    update: bool = False
    skip: str | None = None
    foreign: bool = False
    types: list[tuple[str, int, int]] = field(default_factory=list)
    assault: bool = False
    targets: list[tuple[str, int, int]] = field(default_factory=list)


def _split_clauses(ft: str) -> list[tuple[int, int]]:
    """Folded sentence/clause spans: split at . ! ? ؟ ؛ and new lines, and before 'وكذلك' / '، كما'."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?؟؛]+(?=\s|$|[\"'”»)])|(?<=[\u0621-\u064a])[.!?؟]+(?=[\u0621-\u064a]{2})|\n+|،\s*(?=وكذلك|كما\s)|\s-\s|،?\s(?=(?:فيما|بينما|في حين|while)\s+(?:\S+\s+){0,2}?"
                         r"(?:قتل|قُتل|اصيب|أصيب|هاجم|استهدف|انفجر|اغتال|اختطف|killed|wounded|attacked))", ft):
        end = m.end()
        if ft[start:m.start()].strip():
            spans.append((start, m.start() if m.group().strip(" .!?؟؛") == "" else end))
        start = end
    if ft[start:].strip():
        spans.append((start, len(ft)))
    # drop leading spaces
    out = []
    for a, b in spans:
        while a < b and ft[a].isspace():
            a += 1
        if b - a >= 3:
            out.append((a, b))
    return out


_TOKEN = re.compile(r"\d+(?:[,٬]\d{3})*|[^\W\d_]+|[^\w\s]", re.UNICODE)


@lru_cache(maxsize=65536)
def _strip(tok: str) -> str:
    for p in ("وب", "ول", "فب", "لل", "و", "ف", "ب", "ل"):
        if tok.startswith(p) and len(tok) - len(p) >= 3:
            return tok[len(p):]
    return tok


def _role_at(text: str, a: int, b: int) -> str | None:
    """Casualty role of the word at folded [a, b) of ``text``, if it is a trigger."""
    seg = text[a:b]
    if _COMBINED.match(text, a) and _COMBINED.match(text, a).start() == a:
        return "combined"
    if _KILL.fullmatch(seg) or _KILL.fullmatch(_strip(seg)):
        return "killed"
    if _WOUND.fullmatch(seg) or _WOUND.fullmatch(_strip(seg)):
        return "wounded"
    return None


_AUX = {"are", "were", "was", "is", "have", "has", "had", "been", "be", "being", "سقطوا", "سقط", "بين", "reportedly",
        "also", "later", "others", "other", "آخرون", "آخرين", "منهم", "all", "on", "the", "spot", "immediately"}


def _coord_tok(tok: str) -> bool:
    """A token joined by "و" to the one before ("وجنديان", "واثنين"), not the number "واحد"."""
    return tok.startswith("و") and tok not in ("واحد", "واحده", "واحدا")


@lru_cache(maxsize=65536)
def _noun_count(tok: str) -> int | None:
    """1 or 2 for a casualty noun in the singular or dual ("جندي", "عنصرين", "العنصران", "ضابطاً")."""
    for t in (tok, _strip(tok)):
        for cand in (t, t[2:] if t.startswith("ال") else t,
                     t[:-2] if t.endswith(("ها", "هم")) and len(t) > 5 else t, t[:-1] if t.endswith("ه") and len(t) > 4 else t):
            if cand in _CAS_NOUN2:
                return 2
            if cand in _CAS_NOUN1:
                return 1
            if cand.endswith("ا") and cand[:-1] in _CAS_NOUN1:
                return 1
    return None


_ATT_HEAD = rx(r"^(?:ال)?(?:تنظيم|داعش|الدولة|دولة|انتحاري\w*|انغماسي\w*|جهادي\w*|الإرهابيين|إرهابي\w*|الإرهابي\w*|المهاجم\w*|مسلحي|مسلحا|مسلحين"
               r"|عناصرهم|دواعش|الدواعش|attackers?|militants?|jihadists?|isis|is|daesh|terrorists?|assailants?|gunm[ae]n)$")
_ATT_GROUP = rx(r"^(?:عناصر|مسلحي|مقاتلي|أفراد|members|fighters|elements)$")


def _is_attacker(words: list[str]) -> bool:
    """The noun phrase after a count names the attackers ("5 انتحاريين", "16 من تنظيم داعش", "12 ISIS fighters")."""
    w = [x for x in words if x not in ("the", "of")] if words[:1] == ["of"] else words
    if w[:1] and w[0] in ("منهم", "منها", "them"):
        w = w[1:]
    if not w:
        return False
    if _ATT_HEAD.match(w[0]) or _ATT_HEAD.match(_strip(w[0])):
        return True
    if w[0] in ("من", "of") and len(w) > 1:
        if _ATT_HEAD.match(w[1]) or (_ATT_GROUP.match(w[1]) and len(w) > 2 and _ATT_HEAD.match(w[2])):
            return True
    if len(w) > 1 and _ATT_HEAD.match(w[1]) and w[0] in ("isis", "is", "daesh"):
        return True
    if len(w) > 2 and _noun_count(w[0]) and w[1] in ("من", "of"):
        return _is_attacker(w[1:])
    if len(w) > 2 and w[0] in ("عناصر", "عنصرا", "مسلحا", "مقاتلا") and w[1] == "من":
        return _is_attacker(w[1:])
    return False


def _chains(text: str, base: int, clause_start: int) -> list[_Chain]:
    """Casualty chains of one clause (folded text ``text`` starting at folded offset ``base``)."""
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if not toks:
        return []
    roles: list[str | None] = [None] * len(toks)
    start_idx = {a: i for i, (_t, a, _b) in enumerate(toks)}
    starts_all = [a for _t, a, _b in toks]
    for role, pat in (("wounded", _WOUND), ("killed", _KILL)):
        for m in pat.finditer(text):
            i = start_idx.get(m.start())
            if i is None:
                i = bisect.bisect_right(starts_all, m.start()) - 1
            if 0 <= i < len(toks) and toks[i][2] == m.end():
                roles[i] = role
    for m in _COMBINED.finditer(text):
        i = bisect.bisect_right(starts_all, m.start()) - 1
        for j in range(max(i, 0), len(toks)):
            if toks[j][1] >= m.end():
                break
            roles[j] = "combined"
    words = [t.lower() for t, _a, _b in toks]
    qs = _scan(Folded(text, list(range(len(text))), len(text)), text)
    anchors: list[tuple[int, int, int | None, int | None, bool]] = []  # (tok start, tok end, value, low, attacker)
    tok_at = {a: i for i, (_t, a, _b) in enumerate(toks)}
    tok_end = {b: i for i, (_t, _a, b) in enumerate(toks)}
    used: set[int] = set()
    starts = [a for _t, a, _b in toks]
    for q in qs:
        i0 = tok_at.get(q.start)
        if i0 is None:
            i0 = max(0, bisect.bisect_right(starts, q.start) - 1)
        i1 = tok_end.get(q.end)
        if i1 is None:
            continue
        if q.vague and fold(q.text).text.strip().lower() in ("اخرين", "اخرون", "others", "some"):
            # "وإصابة آخرين": vague, only right after a trigger; "خمسة آخرين" is five
            if not (i0 > 0 and roles[i0 - 1]) or any(an[1] >= i0 - 2 for an in anchors):
                continue
        nxt = text[q.end:q.end + 25]
        prv = text[max(0, q.start - 25):q.start]
        if not q.vague and (_NON_PERSON.match(nxt.lstrip()) or _NUM_BLOCK.search(prv)):
            continue
        if not q.vague and q.value is not None and 1900 <= q.value <= 2100:
            continue
        anchors.append((i0, i1, q.value, q.low if q.low is not None else q.value, _is_attacker(words[i1 + 1:i1 + 4])))
        used.update(range(i0, i1 + 1))
    for i, (t, a, _b) in enumerate(toks):
        if i in used:
            continue
        val = _noun_count(t)
        if val and _strip(t) in ("اخران", "اخرين", "اخر", "الاخر") and any(i - 2 <= an[1] < i for an in anchors):
            val = None
        if val and i > 0 and toks[i - 1][0] in ("بينهم", "بينهما", "منهم", "including", "among"):
            val = None  # "بينهم ضابط": part of the count before, not added to it
        if val and i > 0 and toks[i - 1][0] in ("برتبه", "رتبه"):
            val = None
        if val and anchors and anchors[-1][0] == i - 1 and anchors[-1][2] == 1 and (i - 1) not in used and not _coord_tok(t):
            val = None  # "مختار كومين": one person named twice
        if val == 1:
            # a singular noun counts as one only near a trigger ("مقتل جندي", "اغتال مجهولون مختار")
            k_role = max((k for k in range(max(0, i - 7), i) if roles[k]), default=-1)
            k_used = max((k for k in range(max(0, i - 7), i) if k in used), default=-1)
            near = k_role >= 0 and k_role > k_used
            if not near and i > 0 and toks[i - 1][0] in ("ان", "إن", "أن"):
                near = any(roles[k] and (_RIGHT.fullmatch(toks[k][0]) or _RIGHT.fullmatch(_strip(toks[k][0])))
                           for k in range(i + 1, min(len(toks), i + 8)))
            if not near:
                # "فقد عنصر من قسد حياته", "لقي مدني مصرعه": a singular noun before its own death
                for k in range(i + 1, min(len(toks), i + 8)):
                    if not roles[k]:
                        continue
                    mid = [j for j in range(i + 1, k) if j in used or _noun_count(toks[j][0])]
                    near = bool(_RIGHT_ONE.fullmatch(_strip(toks[k][0])) and not mid
                                or _RIGHT.fullmatch(_strip(toks[k][0])) and mid and all(_coord_tok(toks[j][0]) for j in mid))
                    break
            coord = t.startswith("و") and anchors and anchors[-1][1] >= i - 6
            if not (near or coord) or (i + 1 < len(toks) and (i + 1) in used and not _coord_tok(toks[i + 1][0])):
                val = None
        elif val == 2 and i + 1 < len(toks) and (i + 1) in used:
            val = None
        if val is None and _SAME_AS.fullmatch(t):
            val = -1  # same as the previous chain
        if val is None and t in ("a", "an", "one") and _EN_NOUN1.match(text[a:a + 40]):
            val = 1
        if val is not None:
            anchors.append((i, i, val, val, _is_attacker([_strip(t)]) or _is_attacker(words[i + 1:i + 4])))
    anchors.sort()
    if not anchors:
        return _one_self(text, base, [])
    groups: list[list[tuple[int, int, int | None, int | None, bool]]] = []
    for an in anchors:
        if groups:
            prev = groups[-1][-1]
            seg_a = toks[prev[1]][2]
            seg_b = toks[an[0]][1]
            gap = text[seg_a:seg_b]
            first = toks[an[0]][0]
            coordinated = (first.startswith("و") or re.search(r"(?:^|\s)(?:و|and|,|،)\s*$", gap) or gap.strip() in ("", ",", "،")) \
                and not any(roles[j] for j in range(prev[1] + 1, an[0])) and not _STOP.search(gap) and an[0] - prev[1] <= 14
            if not coordinated and an[0] - prev[1] <= 24 and _ADDED.search(gap) and not _STOP.search(gap):
                between = {roles[j] for j in range(prev[1] + 1, an[0]) if roles[j]}
                g0 = groups[-1][0][0]
                before = next((roles[k] for k in range(g0 - 1, max(-1, g0 - 13), -1) if roles[k]), None)
                coordinated = not between or between == {before}
            if coordinated:
                groups[-1].append(an)
                continue
        groups.append([an])
    chains: list[_Chain] = []
    prev_total = None
    prev_attacker = False
    for g in groups:
        i0, i1 = g[0][0], g[-1][1]
        left = None
        k = i0 - 1
        while k >= 0 and i0 - k <= 12:
            if roles[k]:
                left = (roles[k], i0 - k)
                break
            if _STOP.match(toks[k][0]):
                break
            k -= 1
        right = None
        j = i1 + 1
        eff = 0  # distance not counting auxiliaries ("three others are injured")
        while j < len(toks) and j - i1 <= 12:
            if roles[j]:
                passive = j > 0 and toks[j - 1][0] in ("were", "was", "are", "is", "been")
                far_ok = toks[j][0] in ("lives", "حياتهم", "حياتهما") and j > 0 and toks[j - 1][0] in ("their", "lost")
                if (_RIGHT.fullmatch(toks[j][0]) or _RIGHT.fullmatch(_strip(toks[j][0])) or roles[j] == "combined") \
                        and (j - i1 <= 7 or passive or far_ok):
                    right = (roles[j], eff + 1)
                break
            if _STOP.match(toks[j][0]) or any(a0 == j for a0, *_r in anchors):
                break
            if toks[j][0] not in _AUX and _strip(toks[j][0]) not in _AUX:
                eff += 1
            j += 1
        role = None
        if right and (right[0] == "combined" or right[1] <= 2):
            role = right[0]
        elif left and left[1] <= 2:
            role = left[0]
        elif right:
            role = right[0]
        elif left:
            role = left[0]
        if role is None:
            continue
        total: int | None = 0
        low = 0
        att_total = 0
        vague = False
        others = any(words[a0] in ("اخرين", "اخرون", "others") or (a1 + 1 < len(words) and words[a1 + 1] in ("اخرين", "اخرون", "others"))
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
            total += val
            low += lb or val
        s, e = toks[i0][1], toks[i1][2]
        txt = text[s:e]
        prev_attacker = (bool(att_total) and not total) or (others and prev_attacker and not total)
        if att_total:
            chains.append(_Chain("attackers", att_total, att_total, base + s, base + e, text=txt))
        if total or (not att_total and not prev_attacker):
            # a total followed by its breakdown ("41 هم 20 من ... و16 من داعش و5 مدنيين")
            chains.append(_Chain(role, None if vague else total, low or None, base + s, base + e, text=txt))
            if not vague:
                prev_total = total
    return _one_self(text, base, _breakdowns(chains))


def _one_self(text: str, base: int, chains: list[_Chain]) -> list[_Chain]:
    """"ما أدى إلى إصابته", "أسفر عن مقتله": with no count in the clause, a trigger with a singular
    pronoun is one person."""
    if any(ch.total is not None for ch in chains):
        return chains
    for m in _ONE_SELF.finditer(text):
        role = "wounded" if m.group(1).startswith(("اصاب", "جرح")) else "killed"
        if not any(ch.role == role for ch in chains):
            chains.append(_Chain(role, 1, 1, base + m.start(1), base + m.end(1), text=m.group(1)))
    return chains


_ONE_SELF = rx(_W0 + r"(?:الى|عن|ب|في)?\s*((?:اصابت|إصابت|مقتل|استشهاد|اغتيال|جرح)(?:ه|ها))" + _W1)


def _breakdowns(chains: list[_Chain]) -> list[_Chain]:
    """Drop a total that the following chains of the same clause break down exactly."""
    out: list[_Chain] = []
    i = 0
    while i < len(chains):
        ch = chains[i]
        if ch.role == "killed" and ch.total:
            acc = 0
            j = i + 1
            parts = []
            while j < len(chains) and chains[j].role in ("killed", "attackers") and acc < ch.total:
                acc += chains[j].total or 0
                parts.append(chains[j])
                j += 1
            if parts and acc == ch.total:
                kills = [p for p in parts if p.role == "killed"]
                atts = [p for p in parts if p.role == "attackers"]
                if kills:
                    out.append(_Chain("killed", sum(p.total or 0 for p in kills), None, kills[0].start, kills[-1].end, text=ch.text))
                if atts:
                    out.append(_Chain("attackers", sum(p.total or 0 for p in atts), None, atts[0].start, atts[-1].end, text=ch.text))
                i = j
                continue
        out.append(ch)
        i += 1
    return out


_AGG_COUNT = rx(r"(?:\d+|عشرات|مئات|dozens|hundreds)\s+(?:\S+\s+){0,2}?(?:هجم\w*|عملي\w*|اغتيال\w*|attacks|operations|assassinations)")


def _one_dated_act(t: str, c: _Clause) -> bool:
    """"قتل مختار ... اليوم الاثنين، وسط سلسلة الاغتيالات ... في الآونة الأخيرة": the aggregate words
    are background to one act the clause dates to a day and counts; counted series stay statistics."""
    if _AGG_COUNT.search(t) or rx(r"أحصى|وثق\s+\d+|إجمالي|a total of|documented \d+").search(t):
        return False
    if not any(d.precision == "day" for d in c.dates):
        return False
    return _KILL.search(t[:80]) is not None and any(ch.total == 1 for ch in _chains(t, 0, 0))


def _analyse(fd: Folded, a: int, b: int, places: list, dates: list[DateMention], country_hint: str | None) -> _Clause:
    t = fd.text[a:b]
    c = _Clause(a, b, t)
    c.dates = [d for d in dates if a <= d._fs < b]  # type: ignore[attr-defined]
    c.places = [p for p in places if a <= p[2] < b]
    if _JUDICIAL.search(t):
        c.skip = "judicial"
    if _AGGREGATE.search(t) and not rx(r"منذ بدء|since the start").search(t) and not _one_dated_act(t, c):
        c.skip = c.skip or "aggregate"
    c.foreign = bool(_FOREIGN.search(t))
    c.chains = _chains(t, a, a)
    m = _ATTACK_STRONG.search(t)
    if m:
        c.strong = True
        c.attack_span = (a + m.start(), a + m.end())
    for m in _IS.finditer(t):
        pre = t[max(0, m.start() - 14):m.start()]
        if _REMNANT.search(pre):
            continue
        c.is_spans.append((a + m.start(), a + m.end()))
    orig = fd  # upper-case IS needs the original text; handled by caller
    del orig
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
    c.no_casualties = bool(_NO_CAS.search(t))
    c.separate = bool(_SEPARATE.search(t[:60]))
    c.background = bool(_BACKGROUND.search(t)) and not (_CONTINUE.match(t) and _ANAPHOR.search(t[:40]))
    m_e = _EARLIER.search(t)
    c.earlier = bool(m_e) and not (m_e.group().strip() in (fold_pattern("في وقت سابق"), "earlier") and not _SAID.search(t))
    c.update = bool(_UPDATE.search(t))
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
    if generic or history:
        c.is_spans_generic = True  # type: ignore[attr-defined]
    if not (c.strong or c.chains):
        return c  # context only: type and target words matter in clauses that tell an act
    for typ, pat in _TYPE_PATTERNS:
        for m in pat.finditer(t):
            c.types.append((typ, a + m.start(), a + m.end()))
    for cat, pat in _TARGET_PATTERNS:
        for m in pat.finditer(t):
            c.targets.append((cat, a + m.start(), a + m.end()))
    return c


# =============================================================================================
# events from clauses
# =============================================================================================
@dataclass
class _Draft:
    clauses: list[_Clause] = field(default_factory=list)
    admin1: str | None = None
    admin2: str | None = None
    day: dt.date | None = None
    offset: int | None = None
    context: _Clause | None = None

    def has_counts(self) -> bool:
        return any(ch.role in ("killed", "wounded", "combined") and ch.total is not None for c in self.clauses for ch in c.chains)


_SPEAKER = rx(r"(?:وفقا ل|وفقاً ل|وفق|بحسب|حسب|قال|قالت|أفاد|أفادت|ذكر|ذكرت|أعلن|أعلنت|أكد|أكدت|أوضح|أوضحت|بيان|مصدر|مصادر|نقيب|العقيد|ضابط في|said|told|according to)\s+(?:\S+\s+){0,1}$")
_RURAL = rx(r"(?:ريف|بادية|أطراف|اطراف|ضواحي|محيط|countryside|outskirts|desert|rural)")


def _place_weight(pm, clause_text_before: str) -> float:
    """How much a place mention says about where the act happened (0 = nothing)."""
    cand = pm.candidate
    if cand is None or cand.country not in ("IQ", "SY") or not cand.admin1_code:
        return 0.0
    w = float(cand.score)
    if w <= 0.05:
        return 0.0
    if cand.precision in ("admin1",) or cand.feature_type == "governorate":
        w = max(w, 0.9)
    if pm.hint in ("governorate", "district", "subdistrict", "city", "town", "village"):
        w += 0.2
    if cand.feature_type in ("village", "locality", "neighbourhood", "farm", "abandoned_place") and cand.score < 0.5 and not pm.hint:
        w *= 0.4
    # "(40 كم) جنوب تكريت", "north of Baghdad": a landmark, not the scene
    pre = clause_text_before[-30:]
    if re.search(r"(?:\d+\s*(?:كم|كلم|كيلو\w*|km|kilomet\w+|miles?)\)?\s*\S*\s*$)", pre) or \
            re.search(r"(?:كم|كلم|كيلومتر\w*|km|kilomet\w+|miles?)\W+(?:north|south|east|west|شمال|جنوب|شرق|غرب)\w*\W+(?:\S+\s+){0,6}$",
                      clause_text_before[-60:]):
        w *= 0.3
    elif pm.direction and cand.feature_type in ("city",) and (cand.population or 0) >= 700_000 \
            and not _RURAL.search(fold(pm.text).text + " " + pre[-12:]):
        w *= 0.35
    elif pm.direction and cand.name in ("Erbil", "Baghdad", "Damascus", "Mosul") and not _RURAL.search(pre[-12:]):
        w *= 0.35
    if cand.precision == "near" and cand.feature_type in ("city", "town") and (cand.population or 0) > 1_000_000 and pm.direction:
        w *= 0.5
    return w


def _best_place(clauses: list[_Clause], fallback_admin1: str | None = None):
    """(admin1 code, best mention) over an event's clauses: weights summed per governorate, then the
    most specific mention inside the winning governorate."""
    by_admin1: dict[str, float] = {}
    best: dict[str, tuple[float, object]] = {}
    for idx, c in enumerate(clauses):
        decay = 1.0 if idx == 0 else 0.85
        for w, pm, _fs in c.places:
            if w <= 0:
                continue
            code = pm.candidate.admin1_code
            by_admin1[code] = by_admin1.get(code, 0.0) + w * decay
            spec = {"exact": 4, "near": 3, "admin3": 3, "admin2": 2, "admin1": 1}.get(pm.candidate.precision, 1)
            key = w * decay + 0.3 * spec
            if code not in best or key > best[code][0]:
                best[code] = (key, pm)
    if not by_admin1:
        return None, None
    code = max(by_admin1, key=lambda k: (by_admin1[k], k == fallback_admin1))
    pick = best[code][1]
    # a village homonym must not override the district or sub-district the text names
    units = [(w, pm) for c in clauses for w, pm, _fs in c.places
             if w >= 0.5 and pm.candidate.admin1_code == code and pm.candidate.admin2_code
             and (pm.hint in ("district", "subdistrict") or pm.candidate.precision in ("admin2", "admin3"))]
    if units and pick.candidate.precision in ("exact", "near") and \
            pick.candidate.admin2_code not in {pm.candidate.admin2_code for _w, pm in units}:
        pick = max(units, key=lambda x: x[0])[1]
    return code, pick


def _clause_admin1(c: _Clause) -> set[str]:
    return {pm.candidate.admin1_code for w, pm, _ in c.places if w >= 0.5}


def _clause_admin2(c: _Clause) -> set[str]:
    return {pm.candidate.admin2_code for w, pm, _ in c.places
            if w >= 0.5 and pm.candidate.admin2_code and pm.candidate.precision in ("exact", "near", "admin2", "admin3")}


def _event_dates(c: _Clause, fd: Folded) -> list[tuple[int, DateMention]]:
    """Date mentions of a clause ranked: event dates before reporting dates, finer before coarser."""
    out = []
    for d in c.dates:
        pre = fd.text[max(c.fs, d._fs - 60):d._fs]  # type: ignore[attr-defined]
        reporting = bool(_REPORT.search(pre))
        rank = {"day": 0, "days": 1, "week": 3, "month": 4, "year": 6}.get(d.precision, 5)
        out.append((rank + (2 if reporting else 0), d))
    out.sort(key=lambda x: x[0])
    return out


def _clause_day(c: _Clause, fd: Folded) -> tuple[dt.date | None, int | None]:
    """The day a clause dates its act to (a date only attached to a reporting verb does not count)."""
    ranked = [(r, d) for r, d in _event_dates(c, fd) if d.precision in ("day", "days")]
    if not ranked or ranked[0][0] >= 2:
        return None, None
    d = ranked[0][1]
    return d.date_start, d.offset


def _report_day(c: _Clause, fd: Folded) -> tuple[dt.date | None, int | None]:
    """The day of a clause's reporting date ("أعلنت ... اليوم الخميس"), when that is all it has."""
    ranked = [(r, d) for r, d in _event_dates(c, fd) if d.precision in ("day", "days")]
    if not ranked:
        return None, None
    return ranked[0][1].date_start, ranked[0][1].offset


def _compatible_date(d1: dt.date | None, o1: int | None, d2: dt.date | None, o2: int | None, tol: int = 0) -> bool | None:
    """True/False when two day references can be compared, None when one is unknown."""
    if d1 and d2:
        return abs((d1 - d2).days) <= tol
    if o1 is not None and o2 is not None:
        return abs(o1 - o2) <= tol
    return None


_ANAPHOR_KIND = [
    ({"shelling"}, rx(r"(?:الصاروخ|الصواريخ|القذيفة|القذائف|the rocket|the rockets|the shell|the missile)")),
    ({"ied", "car_bomb", "suicide_attack"}, rx(r"(?:الانفجار|التفجير|العبوة|the blast|the explosion|the bomb)")),
    ({"ambush"}, rx(r"(?:الكمين|the ambush)")),
]


def _is_kind(d: _Draft, kinds: set[str]) -> bool:
    """Whether a draft's act is of one of ``kinds``."""
    return any(t in kinds for x in d.clauses for t, _a, _b in x.types)


def _coarse_past(c: _Clause, fd: Folded) -> bool:
    """The clause dates its act only to a past month or year ("في يناير الماضي", "الشهر الماضي")."""
    ranked = _event_dates(c, fd)
    return bool(ranked) and ranked[0][1].precision in ("month", "year", "week") and ranked[0][0] < 6


def _specific(c: _Clause) -> set[int]:
    """Place ids of the settlement-level places of a clause (its scene)."""
    return {pm.candidate.place_id for w, pm, _ in c.places
            if w >= 0.5 and pm.candidate.precision in ("exact", "near", "admin3")}


_CONTINUE = rx(r"^\s*(?:كما|and)\s+(?:أدى|أسفر|خلف|أوقع|تسبب|led|left|caused)")
_ADDED = rx(r"(?:بالإضافة إلى|بالاضافة الى|إضافة إلى|اضافة الى|in addition to|as well as)\s+(?:\S+\s+){0,1}$")
_SUMMARY = rx(r"(?:سلسلة هجمات|هجومين|هجمتين|عدة هجمات|هجمات متفرقة|two attacks|two separate attacks|a series of attacks|several attacks|separate attacks)")


def _group(clauses: list[_Clause], fd: Folded) -> list[_Draft]:
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    context: _Clause | None = None  # a summary clause ("شن سلسلة هجمات ...") lends its date and place
    for c in clauses:
        if c.skip:
            continue
        has_cas = any(ch.role in ("killed", "wounded", "combined") for ch in c.chains)
        signal = c.strong or has_cas
        if c.foreign and not any(w >= 0.8 or (w >= 0.5 and pm.candidate.precision in ("admin1", "admin2")) for w, pm, _ in c.places):
            continue
        day, off = _clause_day(c, fd)
        a1 = _clause_admin1(c)
        a2 = _clause_admin2(c)
        if cur is None and _SUMMARY.search(c.text) and not c.separate:
            context = c
            continue
        if context is not None and signal and day is None and off is None:
            day, off = _clause_day(context, fd)
            c.dates = c.dates + context.dates
            if not c.places:
                c.places = list(context.places)
                a1 = _clause_admin1(c)
        if cur is None:
            if signal:
                cur = _Draft([c], next(iter(a1)) if len(a1) == 1 else None, next(iter(a2)) if len(a2) == 1 else None, day, off)
                cur.context = context
            continue
        if not signal:
            # elaboration: place or detail of the current event
            if (a1 and cur.admin1 and cur.admin1 not in a1) or c.background:
                continue
            cur.clauses.append(c)
            cur.admin1 = cur.admin1 or (next(iter(a1)) if len(a1) == 1 else None)
            continue
        new = False
        if c.separate:
            new = True
        comp = _compatible_date(day, off, cur.day, cur.offset)
        own_counts = {ch.role: ch.total for ch in c.chains if ch.total is not None and ch.role != "attackers"}
        cur_counts = {ch.role: ch.total for cc in cur.clauses for ch in cc.chains if ch.total is not None}
        kind = next((k for k, pat in _ANAPHOR_KIND if pat.search(c.text[:60])), None)
        if kind and not _is_kind(cur, kind) and not own_counts:
            back = next((d for d in reversed(drafts) if _is_kind(d, kind)), None)
            if back is not None:
                back.clauses.append(c)  # "الصاروخ أسفر عن ...": detail of the earlier rocket attack
                continue
        if not c.separate and comp is not False and _ANAPHOR.search(c.text[:50]) and not own_counts \
                and not (a1 and cur.admin1 and cur.admin1 not in a1) \
                and not any(pm.candidate.precision == "admin1" for w, pm, _ in c.places if w >= 0.5):
            cur.clauses.append(c)  # "الانفجار ناتج عن عبوة ... في قرية X": detail of the same act
            continue
        other_a1 = bool(a1 and cur.admin1 and cur.admin1 not in a1)
        sp_c0 = _specific(c)
        sp_cur0 = set().union(*(_specific(x) for x in cur.clauses))
        shared = set(own_counts) & set(cur_counts)
        if shared and all(cur_counts[r] == own_counts[r] for r in shared) and not c.separate \
                and comp is not False and not other_a1 and not (sp_c0 and sp_cur0 and not sp_c0 & sp_cur0):
            cur.clauses.append(c)  # the same toll told again
            cur.admin1 = cur.admin1 or (next(iter(a1)) if len(a1) == 1 else None)
            continue
        if comp is False:
            new = True
        if comp is None and own_counts and set(own_counts) & set(cur_counts) and not (c.update or c.earlier or c.claim_source):
            # a second toll with its own day, against a reported day ("اليوم الخميس ... وقتل، أمس الأربعاء")
            d0, o0 = _report_day(cur.clauses[0], fd)
            d1, o1 = (day, off) if (day or off is not None) else _report_day(c, fd)
            if _compatible_date(d1, o1, d0, o0) is False:
                new = True
        if a1 and cur.admin1 and cur.admin1 not in a1:
            new = True
        if a2 and cur.admin2 and cur.admin2 not in a2 and has_cas and cur.has_counts():
            new = True
        if c.strong and not new:
            # another scene with its own act: a different settlement and a different kind of act or toll
            sp_c = _specific(c)
            sp_cur = set().union(*(_specific(x) for x in cur.clauses if x.strong or x.chains))
            disjoint = bool(sp_c and sp_cur and not (sp_c & sp_cur))
            t_c = {t for t, _a, _b in c.types if t not in ("clash",)}
            t_cur = {t for x in cur.clauses for t, _a, _b in x.types if t not in ("clash",)}
            other_type = bool(t_c and not (t_c & t_cur))
            if disjoint and (context is not None or other_type or c.background or (has_cas and cur.has_counts())):
                new = True
            elif (c.background or (has_cas and c.claim)) and other_type and not _ANAPHOR.search(c.text[:50]) and \
                    not any(t in ("suicide_attack",) for t in t_c):
                new = True
            elif c.claim and own_counts.get("killed") is not None and cur_counts.get("killed") is not None \
                    and own_counts["killed"] != cur_counts["killed"] and not (c.update or c.earlier or c.denial):
                new = True  # another claimed act with its own toll
            elif _coarse_past(c, fd) and (cur.day is not None or cur.offset is not None):
                new = True  # "وفي يناير الماضي ..." after a dated act
        if c.background and has_cas and comp is not True:
            new = True
        if not new and has_cas and cur.has_counts() and not (c.update or c.earlier or c.claim_source or c.denial):
            # a second toll in the same flow is a second event when it brings its own place
            roles_c = {ch.role for ch in c.chains if ch.total is not None}
            roles_cur = {ch.role for cc in cur.clauses for ch in cc.chains if ch.total is not None}
            if roles_c & roles_cur and (a2 - ({cur.admin2} if cur.admin2 else set())) and comp is not True:
                new = True
        if new:
            # restatement of an event already found?
            target = None
            t_c = {t for t, _a, _b in c.types}
            g_c = {g for g, _a, _b in c.targets}
            sp_c = _specific(c)
            for d in drafts + [cur]:
                d_types = {t for x in d.clauses for t, _a, _b in x.types}
                d_tg = {g for x in d.clauses for g, _a, _b in x.targets}
                d_sp = set().union(*(_specific(x) for x in d.clauses))
                dc1 = _compatible_date(day, off, d.day, d.offset, tol=1)
                if (a1 and d.admin1 in a1) and dc1 is not False and (t_c & d_types or not d_types) and g_c & d_tg \
                        and sp_c and sp_c & d_sp and (not has_cas or not d.has_counts()):
                    target = d
                    break
                same_a1 = not a1 or (d.admin1 in a1 if d.admin1 else True)
                dc = _compatible_date(day, off, d.day, d.offset)
                if same_a1 and dc is True and (c.background or c.earlier or c.claim_source) and not c.separate:
                    target = d
                    break
                if same_a1 and dc is None and (c.earlier and c.background) and not c.separate and d.admin1 and a1:
                    target = d
                    break
            if target is None and c.earlier and c.background and not a1 and not c.separate:
                target = cur  # "وكان مصدر قد أفاد بمقتل 11": the same act, reported earlier
            if target is not None:
                target.clauses.append(c)
                continue
            drafts.append(cur)
            cur = _Draft([c], next(iter(a1)) if len(a1) == 1 else None, next(iter(a2)) if len(a2) == 1 else None, day, off)
            cur.context = context
        else:
            cur.clauses.append(c)
            cur.admin1 = cur.admin1 or (next(iter(a1)) if len(a1) == 1 else None)
            cur.admin2 = cur.admin2 or (next(iter(a2)) if len(a2) == 1 else None)
            if cur.day is None and day is not None:
                cur.day = day
            if cur.offset is None and off is not None:
                cur.offset = off
    if cur is not None:
        drafts.append(cur)
    return drafts


def _pick_count(chains: list[tuple[_Chain, _Clause]], role: str, denial: bool) -> _Chain | None:
    cands = []
    for ch, c in chains:
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
        cands.append((tier, ch.total is None, ch.start, ch))
    if not cands:
        return None
    cands.sort(key=lambda x: (x[0], x[1], x[2]))
    return cands[0][3]


def _build(draft: _Draft, fd: Folded, text: str, doc: Document, prev_place) -> ExtractedEvent | None:
    cl = draft.clauses
    lead = next((c for c in cl if c.strong or c.chains), cl[0])
    ev = ExtractedEvent(doc_id=doc.id, published=doc.published, url=doc.url)
    conf: dict[str, float] = {}

    def span(a: int, b: int) -> tuple[int, int]:
        return fd.span(a, b)

    # --- place ---------------------------------------------------------------------------------
    code, pm = _best_place(cl)
    if pm is None and prev_place is not None:
        pm = prev_place
        conf["place"] = 0.4
    if pm is None:
        return None
    cand = pm.candidate
    ev.country, ev.admin1_code, ev.admin1_en, ev.admin1_ar = cand.country, cand.admin1_code, cand.admin1_en, cand.admin1_ar
    ev.admin2_code, ev.admin2_en, ev.admin2_ar = cand.admin2_code, cand.admin2_en, cand.admin2_ar
    if cand.precision in ("admin1", "region"):
        ev.admin2_code = ev.admin2_en = ev.admin2_ar = None
    ev.lat, ev.lon, ev.geo_precision = cand.lat, cand.lon, cand.precision
    ev.location_text = text[pm.phrase_start:pm.end] if pm.phrase_start is not None else pm.text
    ev.evidence["place"] = (pm.phrase_start, pm.end)
    conf.setdefault("place", round(min(1.0, 0.5 + 0.5 * float(cand.score)), 3))
    ev.text = text
    ev._place = pm  # type: ignore[attr-defined]

    # --- date ----------------------------------------------------------------------------------
    ranked = []
    for i, c in enumerate(cl):
        for r, d in _event_dates(c, fd):
            ranked.append((r + (0 if i == 0 else 0.5), d))
    ranked.sort(key=lambda x: x[0])
    if ranked:
        r, d = ranked[0]
        ev.evidence["date"] = (d.start, d.end)
        if d.date_start is not None:
            ev.date, ev.date_end, ev.date_precision = d.date_start, d.date_end, d.precision
            conf["date"] = 0.9 if r < 1 else (0.75 if r < 3 else 0.6)
        else:
            conf["date"] = 0.0

    # --- actor and claim -------------------------------------------------------------------------
    is_spans = [(s, c) for c in cl for s in c.is_spans if not getattr(c, "is_spans_generic", False)]
    if not is_spans and draft.context is not None:
        is_spans = [(sp, draft.context) for sp in draft.context.is_spans]
    upper = [(m.start(), m.end()) for c in cl for m in _IS_UPPER.finditer(text[fd.span(c.fs, c.fe)[0]:fd.span(c.fs, c.fe)[1]])]
    gov = next((c.gov_actor for c in cl if c.gov_actor), None)
    lead_types = {t for t, _a, _b in lead.types}
    if gov and lead_types & {"shelling", "airstrike"} and not is_spans:
        who = gov[0]
        aid = "SYR_GOV" if re.search(r"جيش السوري|النظام|الأسد|syrian", who) else \
            "TUR" if re.search(r"ترك|turk", who) else canonical_actor(who)
        ev.actor_id = aid or "unknown"
        ev.evidence["actor"] = span(gov[1], gov[2])
        conf["actor"] = 0.6
    elif is_spans:
        (s, e), c = is_spans[0]
        ev.actor_id = "IS"
        ev.actor_text = fd.text[s:e]
        ev.evidence["actor"] = span(s, e)
        conf["actor"] = 0.7 if any(cc.is_suspect for cc in cl) else 0.9
    elif upper:
        ev.actor_id = "IS"
        ev.evidence["actor"] = upper[0]
        conf["actor"] = 0.8
    else:
        ev.actor_id = "unknown"
        conf["actor"] = 0.5
    claim = next((c.claim for c in cl if c.claim and not c.no_claim), None)
    if claim and ev.actor_id == "IS" and not any(c.no_claim for c in cl if c is lead):
        ev.claimed = True
        ev.evidence["claimed"] = span(*claim)
        conf["claimed"] = 0.9
    else:
        conf["claimed"] = 0.7

    # --- event type ----------------------------------------------------------------------------
    etype, tspan = _event_type(lead, cl)
    ev.event_type = etype
    if tspan:
        ev.evidence["event_type"] = span(*tspan)
    conf["event_type"] = 0.8 if tspan else 0.5

    # --- counts --------------------------------------------------------------------------------
    chains = [(ch, c) for c in cl for ch in c.chains]
    denial = any(c.denial for c in cl)
    for role, attr in (("killed", "killed"), ("wounded", "wounded"), ("attackers", "attackers_killed")):
        ch = _pick_count(chains, role, denial)
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
        ev.evidence[attr] = span(ch.start, ch.end)
    comb = _pick_count(chains, "combined", denial)
    if comb is not None:
        ev.casualties_text = text[span(comb.start, comb.end)[0]:span(comb.start, comb.end)[1]]
    if ev.killed is None and ev.wounded is None and any(c.no_casualties for c in cl) and comb is None:
        ev.killed, ev.wounded = 0, 0
        conf["killed"] = conf["wounded"] = 0.7

    # --- target --------------------------------------------------------------------------------
    tgt, tsp = _target(cl, chains, ev.country, ev.actor_id)
    ev.target = tgt
    if tsp:
        ev.evidence["target"] = span(*tsp)
    conf["target"] = 0.75 if tsp else 0.3
    conf["event"] = round(sum(conf.get(k, 0.5) for k in ("place", "date", "actor", "event_type")) / 4, 3)
    ev.confidence = conf
    ev.sentence_spans = [span(c.fs, c.fe) for c in cl]
    return ev


def _event_type(lead: _Clause, cl: list[_Clause]) -> tuple[str, tuple[int, int] | None]:
    """Type from the lead clause: a weapon named as the means wins over a generic assault, unless it
    only prepared the assault; a later clause may refine an explosion into a suicide attack."""
    order = [t for t, _ in _TYPE_PATTERNS]
    found = sorted(lead.types, key=lambda x: (order.index(x[0]), x[1]))
    t_lead = {t for t, _a, _b in lead.types}
    if "prison_attack" in t_lead and lead.assault:
        sp = next((a, b) for t, a, b in lead.types if t == "prison_attack")
        return "prison_attack", sp
    weapons = [x for x in found if x[0] in ("suicide_attack", "car_bomb", "ied", "ambush", "assassination", "kidnapping",
                                            "execution", "airstrike", "shelling")]
    choice = None
    for t, a, b in weapons:
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


def _target(cl: list[_Clause], chains, country: str | None, actor: str) -> tuple[str | None, tuple[int, int] | None]:
    scores: dict[str, tuple[float, tuple[int, int]]] = {}
    victim_spans = [(ch.start, ch.end + 60) for ch, _c in chains if ch.role in ("killed", "wounded", "combined")]
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
            if any(s <= a <= e for s, e in victim_spans):
                w += 2.0
            elif idx == 0 and any(s <= a <= e for s, e in obj_spans):
                w += 1.0
            w -= 0.001 * _TARGET_PRIORITY.get(cat, 20)
            if cat not in scores or w > scores[cat][0]:
                scores[cat] = (w, (a, b))
    if not scores:
        # a bomb in a city with no one named: the people there
        kinds = {t for c in cl[:1] for t, _a, _b in c.types}
        if kinds & {"car_bomb", "suicide_attack", "ied"} and actor in ("IS", "unknown"):
            return "civilians", None
        return None, None
    cat = max(scores, key=lambda k: scores[k][0])
    return cat, scores[cat][1]


# =============================================================================================
# public API
# =============================================================================================
def extract_events(doc: Document | str, published: object = None, *, doc_id: str | None = None) -> list[ExtractedEvent]:
    """Events of one document (a :class:`Document` or a string), in text order.

    ``published`` overrides or supplies the publication date used for relative dates. Empty or
    unusable text gives an empty list."""
    if not isinstance(doc, Document):
        if not isinstance(doc, str):
            return []
        doc = make_document(doc, id=doc_id, published=published)
    elif published is not None:
        doc = Document(**{**doc.__dict__, "published": parse_published(published)})
    text = doc.text[:_MAX_TEXT] if isinstance(doc.text, str) else ""
    if len(text.strip()) < 10:
        return []
    fd = fold(text)
    if not re.search(r"[^\W\d_]{2}", fd.text):
        return []
    from rasid.geo.geocoder import find_places

    dates = find_dates(text, doc.published)
    # folded offsets of date mentions
    inv = _inverse(fd)
    for d in dates:
        d._fs = inv[d.start] if d.start < len(inv) else len(fd.text)  # type: ignore[attr-defined]
    raw_places = find_places(text, country=_doc_country(fd.text))
    places = []
    date_spans = [(d.start, d.end) for d in dates]
    for pm in raw_places:
        if not _plausible_place(pm, text, date_spans):
            continue
        fs = inv[pm.start] if pm.start < len(inv) else len(fd.text)
        places.append((pm, fs))
    spans = _split_clauses(fd.text)
    clauses = []
    for a, b in spans:
        cp = []
        for pm, fs in places:
            if a <= fs < b:
                before = fd.text[a:fs]
                w = _place_weight(pm, before)
                if pm.start < 60 and _DATELINE.match(text, pm.end):
                    w *= 0.15  # "بغداد:", "ERBIL (Kurdistan 24) –": where the reporter is
                elif _SOURCE_IN.search(before[-40:]):
                    w *= 0.3  # "مصدر أمني في الموصل": where the source is
                cp.append((w, pm, fs))
        clauses.append(_analyse(fd, a, b, cp, dates, None))
    lead = next((c for c in clauses if len(c.text) > 30), None)
    if lead is not None and lead.skip == "judicial":
        # a trial report: acts it recounts are charges unless the text dates them to a day
        for c in clauses:
            if not any(d.precision in ("day", "days") and d.date_start for d in c.dates):
                c.skip = c.skip or "judicial"
    drafts = _group(clauses, fd)
    events: list[ExtractedEvent] = []
    prev = None
    for k, dr in enumerate(drafts):
        ev = _build(dr, fd, text, doc, prev)
        if ev is None:
            nxt = drafts[k + 1] if k + 1 < len(drafts) else None
            if nxt is not None and _compatible_date(dr.day, dr.offset, nxt.day, nxt.offset, tol=1) is not False:
                nxt.clauses[:0] = dr.clauses  # no place yet: the next part of the text gives it
            continue
        prev = ev._place  # type: ignore[attr-defined]
        events.append(ev)
    return events


_DATELINE = re.compile(r"[\w\s,.'’-]{0,30}?(?:\([^)]{0,30}\))?\s*(?:[:\-–—|]|$)", re.UNICODE)
_SOURCE_IN = rx(r"(?:مصدر\w*|مسؤول|مراسل\w*|source|official|correspondent)\s+(?:\w+\s+){0,2}(?:في|ب|من|in|from)\s*$")
_ANAPHOR = rx(r"(?:الهجوم|الانفجار|الحادث|الحادثة|الكمين|التفجير|العملية|الاعتداء|the attack|the blast|the explosion|the incident|the ambush|the bombing)")
_IQ_CUE = rx(r"(?:العراق|العراقي\w{0,2}|عراقي\w{0,2}|كردستان|كوردستان|البيشمركة|البشمركة|الحشد|بغداد|iraq\w*|kurdistan|peshmerga|baghdad|erbil|أربيل"
             r"|كركوك|ديالى|الأنبار|صلاح الدين|نينوى|الموصل|الرمادي|الفلوجة|تكريت|سامراء|البصرة|kirkuk|diyala|anbar|salahuddin|salahaddin|saladin|nineveh|ninewa|mosul)")
_SY_CUE = rx(r"(?:سوريا|سورية|السوري\w{0,2}|السورية|سوري|دمشق|قسد|الأسد|النظام السوري|syria\w*|damascus|sdf|assad"
             r"|دير الزور|الرقة|الحسكة|منبج|حلب|إدلب|درعا|حمص|حماة|تدمر|القامشلي|الإدارة الذاتية|deir ez-zor|raqqa|hasakah|manbij|aleppo|idlib|daraa|homs|palmyra|qamishli)")


def _doc_country(ft: str) -> str | None:
    """IQ or SY when the text speaks of one country only, else None."""
    iq = len(_IQ_CUE.findall(ft))
    sy = len(_SY_CUE.findall(ft))
    if iq and not sy:
        return "IQ"
    if sy and not iq:
        return "SY"
    return None


_PLACE_STOP = {fold(w).text for w in (
    "وكان", "كان", "وكانت", "الفرقة", "فرقة", "الفوج", "اللواء", "تشرين", "كانون", "آب", "أيار", "نيسان", "حزيران", "تموز",
    "شباط", "آذار", "أيلول", "الحر", "الدولة", "العاصمة", "المحطة", "الحدود", "المنطقة", "البلاد", "الجمعة", "السبت",
    "الأحد", "الخميس", "الثلاثاء", "الأربعاء", "الاثنين", "المدينة", "الجزيرة", "العراق", "سوريا", "بادية", "البادية",
    "ريف", "الريف", "سنية", "السنية", "شيعية", "الشيعية", "عربية", "العربية", "كردية", "الكردية", "العراقية", "السورية",
    "الأمنية", "العسكرية", "الشعبي", "الحشد", "الجيش", "الشرطة", "التنظيم", "الإرهابي",
    "البادية السورية", "بادية الشام")}
_KUNYA = rx(r"(?:(?:أبو|أبي|أبا|ابو|ابي|أم|بن|ابن|بنت|آل|مقتدى|محمد باقر|عمار)\s*|(?:النقيب|العقيد|اللواء|الرائد|المقدم|العميد|الملازم|الشيخ|السيد|الدكتور|القاضي|المتحدث|"
            r"الناطق|المدعو|الشاب|القيادي)\s+\S+\s+)$")
_ORG_AFTER = re.compile(r"^\s*(?:Post|Times|News|Today|24|TV|Agency|Observer|Press|Media|Network|Daily|Tribune|Herald|Gazette|Operations Command)\b")
_ORG_BEFORE = rx(r"(?:وكالة|قناة|صحيفة|موقع|شبكة|إذاعة|راديو|تلفزيون|جريدة|فرانس|مؤسسة)\s*[\"«]?\s*$")


def _plausible_place(pm, text: str, date_spans: list[tuple[int, int]]) -> bool:
    """False for gazetteer hits that are not places here: month names, common words, names of
    people ("أبو حمزة") and of media ("The Baghdad Post", "شبكة تدمر")."""
    key = fold(pm.text).text.strip()
    if key in _PLACE_STOP and not pm.hint:
        return False
    if any(a <= pm.start < b for a, b in date_spans):
        return False
    before = text[max(0, pm.phrase_start - 12):pm.phrase_start]
    if _KUNYA.search(fold(before).text):
        return False
    if _ORG_AFTER.match(text[pm.end:pm.end + 30]) or _ORG_BEFORE.search(fold(text[max(0, pm.start - 20):pm.start]).text):
        return False
    return True


def _inverse(fd: Folded) -> list[int]:
    """Folded offset of every original offset (the next folded character at or after it)."""
    inv = [0] * (fd.original_length + 1)
    j = 0
    n = len(fd.index)
    for i in range(fd.original_length + 1):
        while j < n and fd.index[j] < i:
            j += 1
        inv[i] = j
    return inv


def vague_low(word: str) -> int | None:
    """Lower bound of a vague quantity word ("العشرات" -> 20), or None."""
    return VAGUE_LOW.get(fold(word).text.strip().lower())


@dataclass
class Extraction:
    """Events and motives of one document."""

    doc: Document
    events: list[ExtractedEvent]
    motives: list

    def records(self) -> list[dict]:
        """JSONL records: events first, then motives."""
        return [e.to_record() for e in self.events] + [m.to_record() for m in self.motives]


def extract_document(doc: Document | str, published: object = None, *, motives: bool = True,
            use_encoder: bool = True) -> Extraction:
    """Events and (optionally) stated motives of one document."""
    if not isinstance(doc, Document):
        doc = make_document(doc if isinstance(doc, str) else "", published=published)
    elif published is not None:
        doc = Document(**{**doc.__dict__, "published": parse_published(published)})
    events = extract_events(doc)
    mots = []
    if motives:
        from rasid.text.motives import extract_motives

        mots = extract_motives(doc.text, doc_id=doc.id, use_encoder=use_encoder)
    return Extraction(doc, events, mots)
