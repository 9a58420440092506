"""Where an act happened: which gazetteer hits are places here, how much each says about the scene,
and the best place of an event (governorate by summed weight, then the most specific mention in it).

A dateline ("بغداد:"), a source's seat ("مصدر أمني في الموصل"), a landmark ("(40 كم) جنوب تكريت"),
a person's name ("أبو حمزة") or a media name ("The Baghdad Post") says little or nothing about the scene.
"""

from __future__ import annotations

import re

from rasid.lang.fold import fold, rx
from rasid.lang.normalize import loose_key
from rasid.text.extract.lexicon import CL, W0, alt, word_set

__all__ = ["place_weight", "landmark_city", "unknown_village", "context_admin1", "homonym_elsewhere", "best_place", "clause_admin1", "clause_admin2", "specific", "plausible_place",
           "doc_country", "mention_weight", "precision_of", "is_capital", "is_unit", "named_units"]

_RURAL = rx(alt("places", "rural"))
_IQ_CUE = rx(W0 + CL + alt("places", "iq_cue"))  # not "البغدادي" (a name)
_SY_CUE = rx(W0 + CL + alt("places", "sy_cue"))
_NOT_A_PLACE = word_set("places", "not_a_place")
_SPEAKER = rx(W0 + alt("places", "speaker") + r"\s*$")
# a name after a kunya, or after a title (its first name, "Colonel Walid") or first name and all
_KUNYA = rx("(?:" + alt("places", "kunya") + r"\s*|" + W0 + alt("places", "title") + r"\s+(?:\S+\s+)?)$")
_ORG_AFTER = re.compile(r"^\s*" + alt("places", "org_after") + r"\b")
_ORG_BEFORE = rx(alt("places", "org_before") + r"\s*[\"«]?\s*$")
_ORIGIN = rx(alt("places", "origin") + r"\s*(?:من\s+|from\s+)?(?:(?:ال)?(?:بلدة|قرية|مدينة|ناحية|محافظة|منطقة)\s+|the (?:town|village|city) of\s+)?$")
_DESTINATION = rx(alt("places", "destination") + r"\s*(?:(?:ال)?(?:بلدة|قرية|مدينة|ناحية|محافظة|منطقة)\s+|the (?:town|village|city|province) of\s+|the\s+)?$")
_SOURCE_IN = rx(alt("places", "source_in") + r"\s+(?:\w+\s+){0,2}(?:في|ب|من|in|from)\s*$")
_DATELINE = re.compile(r"[\w\s,.'’-]{0,30}?(?:\([^)]{0,30}\))?\s*(?:[:\-–—|_]|\n)", re.UNICODE)
_AFFILIATION = re.compile(r"(?:pro|anti)-$", re.I)
_AFFILIATED = re.compile(r"-(?:backed|based|led|allied|aligned|controlled|held|run|affiliated)\b", re.I)
_DIR_BEFORE = rx(r"(?:شمال|جنوب|شرق|غرب|north|south|east|west)\w*\W+(?:\S+\s+){0,6}\S*$")
_CAPITAL_OF = rx(r"(?<![^\W_])(?:العاصمة المحلية|مركز|عاصمة)\s+(?:ل?محافظة\s+|ل)$")
_LANDMARK = re.compile(r"(?:\d+\s*(?:كم|كلم|كيلو\w*|km|kilomet\w+|miles?)\)?\s*\S*\s*$)")
# "على الحدود مع صلاح الدين", "on the border with Syria": what a border runs with is not the scene
_BORDER_WITH = rx(r"(?:الحدود|حدود|الحدوديه|border|borders)\s+(?:الاداريه\s+)?(?:مع|with)\s+(?:محافظه\s+|the\s+)?$")
_LANDMARK_DIR = re.compile(r"(?:كم|كلم|كيلومتر\w*|km|kilomet\w+|miles?)\W+(?:north|south|east|west|شمال|جنوب|شرق|غرب)\w*\W+(?:\S+\s+){0,6}$")
_SPEC = {"exact": 4, "near": 3, "admin3": 3, "admin2": 2, "admin1": 1}
_CENTRE = rx(r"(?:وسط|مركز|قلب|داخل|centre|center|downtown|heart of|inside)\s*\S*\s*$")


def is_capital(cand) -> bool:
    """A city that bears its governorate's name (كركوك, دير الزور, Raqqa): named bare it stands for
    the governorate as often as for the city."""
    if cand is None or cand.feature_type not in ("city", "town"):
        return False
    return bool(cand.name_ar and cand.admin1_ar and loose_key(cand.name_ar) == loose_key(cand.admin1_ar)) or \
        bool(cand.name and cand.admin1_en and loose_key(cand.name) == loose_key(cand.admin1_en))


def _seat(cand, level: str) -> bool:
    """The place is the seat of its district (``admin2``) or sub-district (``admin3``): same name."""
    en, ar = getattr(cand, level + "_en"), getattr(cand, level + "_ar")
    return bool((ar and cand.name_ar and loose_key(ar) == loose_key(cand.name_ar))
                or (en and cand.name and loose_key(en) == loose_key(cand.name)))


def is_unit(cand) -> bool:
    """A mention that ties an act to a district: a district, a district's seat, an Iraqi sub-district
    (ناحية, whose district is known) or its seat."""
    if cand is None or not cand.admin2_code:
        return False
    if cand.feature_type == "district" or cand.precision == "admin2":
        return True
    if cand.country == "IQ" and (cand.feature_type == "subdistrict" or cand.precision == "admin3"):
        return True
    if cand.feature_type in ("city", "town") and not is_capital(cand):
        return _seat(cand, "admin2") or (cand.country == "IQ" and cand.admin3_en is not None and _seat(cand, "admin3"))
    return False


def precision_of(pm, text: str, units: set[str] = frozenset()) -> str:
    """How precisely a place mention places an act (the gold convention of tests/data/news/README.md):

    * ``admin1``: a governorate; a city bearing its governorate's name named bare, near or in its
      countryside ("كركوك", "شمال بغداد", "ريف دير الزور");
    * ``admin2``: a district, or that city named as a city or its centre ("مدينة كركوك", "وسط الرقة"),
      or named bare in a text that also names its district (``units``);
    * ``admin3``: a sub-district; ``site``: a settlement, site, camp or field (its district is known
      from the gazetteer: NEWS_GOLD.md, "a governorate-only mention gives admin1")."""
    cand = pm.candidate
    if cand.precision in ("admin1", "region") or cand.feature_type in ("governorate", "region"):
        return "admin1"
    if is_capital(cand):
        before = fold(text[max(0, pm.phrase_start - 20):pm.start]).text
        as_city = (pm.hint == "city" or _CENTRE.search(before)) and not pm.direction and cand.precision != "near"
        same_unit = bool(cand.admin2_en) and loose_key(cand.admin2_en) == loose_key(cand.name)
        return "admin2" if (as_city and same_unit) or cand.admin2_code in units else "admin1"
    if cand.precision == "admin2" or cand.feature_type == "district":
        return "admin2"
    if cand.feature_type == "subdistrict" or cand.precision == "admin3":
        return "admin3"
    return "site" if cand.admin2_code else "admin1"


def landmark_city(pm) -> bool:
    """A big city named with a direction ("كركوك شمال بغداد", "north of Baghdad"): most often to say
    where something else is."""
    cand = pm.candidate
    return bool(pm.direction) and cand is not None and cand.feature_type == "city" and (cand.population or 0) >= 700_000


def unknown_village(pm) -> bool:
    """A name told as a village that the gazetteer only knows as a town, district or governorate
    ("قرية المحمودية"): a village it lacks, not that unit."""
    cand = pm.candidate
    return pm.hint == "village" and cand is not None and (
        cand.feature_type in ("city", "district", "governorate") or cand.precision in ("admin1", "admin2"))


_VILLAGE_FT = frozenset({"village", "locality", "neighbourhood", "farm", "abandoned_place"})


def context_admin1(mentions: list) -> set[str]:
    """Governorates a text names as units (a governorate, a district, a sub-district, a city or
    town of 20,000 or more): the frame its villages are read in."""
    out = set()
    for pm in mentions:
        cand = pm.candidate
        if cand is None or not cand.admin1_code:
            continue
        if cand.feature_type in ("governorate", "district", "subdistrict") or cand.precision in ("admin1", "admin2", "admin3") \
                or (cand.feature_type in ("city", "town") and (cand.population or 0) >= 20_000):
            out.add(cand.admin1_code)
    return out


def homonym_elsewhere(pm, frame: set[str]) -> bool:
    """A village the gazetteer knows only in a governorate the text never names, while it names
    others ("near the Safra village, which lies 30km southwest of Kirkuk" -> a Safra of Baghdad):
    most likely a village it lacks in the text's own governorate."""
    cand = pm.candidate
    return bool(frame) and cand is not None and cand.feature_type in _VILLAGE_FT and \
        cand.admin1_code not in frame and pm.hint not in ("governorate", "district", "subdistrict", "city")


def place_weight(pm, clause_text_before: str) -> float:
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
    if unknown_village(pm):
        w *= 0.3  # "قرية المحمودية" near Hawija: a village the gazetteer lacks, not the district of Mahmudiya
    # "(40 كم) جنوب تكريت", "north of Baghdad": a landmark, not the scene
    pre = clause_text_before[-30:]
    if _LANDMARK.search(pre) or _LANDMARK_DIR.search(clause_text_before[-60:]) or _BORDER_WITH.search(pre):
        w *= 0.3
    elif _CAPITAL_OF.search(clause_text_before[-40:]) and _DIR_BEFORE.search(clause_text_before[-90:]):
        w *= 0.3  # "جنوب شرق مدينة الموصل العاصمة المحلية لمحافظة نينوى": the landmark's own province
    elif landmark_city(pm) and not _RURAL.search(fold(pm.text).text + " " + pre[-12:]):
        w *= 0.35
    elif pm.direction and cand.name in ("Erbil", "Baghdad", "Damascus", "Mosul") and not _RURAL.search(pre[-12:]):
        w *= 0.35
    if cand.precision == "near" and cand.feature_type in ("city", "town") and (cand.population or 0) > 1_000_000 and pm.direction:
        w *= 0.5
    return w


def mention_weight(pm, text: str, before: str) -> float:
    """:func:`place_weight` lowered for a dateline ("بغداد:") and a source's seat ("مصدر في الموصل")."""
    w = place_weight(pm, before)
    line = text[max(0, text.rfind("\n", 0, pm.start) + 1):pm.start]
    if (pm.start < 60 or not line.strip()) and len(line.split()) <= 2 and _DATELINE.match(text, pm.end):
        w *= 0.15  # "بغداد:", "ERBIL (Kurdistan 24) –": where the reporter is
    elif _SOURCE_IN.search(before[-40:]):
        w *= 0.3  # "مصدر أمني في الموصل": where the source is
    pre = fold(text[max(0, pm.phrase_start - 40):pm.phrase_start]).text
    if _ORIGIN.search(pre):
        w *= 0.1  # "المنحدر من بلدة الصور": where a person comes from
    elif _DESTINATION.search(pre):
        w *= 0.1  # "heading to the city of Hasakah", "رتل متجه للحسكة": where they were going
    return w


def best_place(clauses: list, fallback_admin1: str | None = None):
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
            key = w * decay + 0.3 * _SPEC.get(pm.candidate.precision, 1)
            if hasattr(pm, "antecedent"):
                key += 0.5  # "في المدينة الثانية", "وسط المحافظة": the text says where, pointing back
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


def clause_admin1(c) -> set[str]:
    """Governorates a clause names with some weight."""
    return {pm.candidate.admin1_code for w, pm, _ in c.places if w >= 0.5}


def clause_admin2(c) -> set[str]:
    """Districts a clause names (directly or through a settlement in them)."""
    return {pm.candidate.admin2_code for w, pm, _ in c.places
            if w >= 0.5 and pm.candidate.admin2_code and pm.candidate.precision in ("exact", "near", "admin2", "admin3")}


def specific(c) -> set[int]:
    """Place ids of the settlement-level places of a clause (its scene)."""
    return {pm.candidate.place_id for w, pm, _ in c.places
            if w >= 0.5 and pm.candidate.precision in ("exact", "near", "admin3")}


def doc_country(ft: str) -> str | None:
    """IQ or SY when the folded text speaks of one country only, else None."""
    iq = _IQ_CUE.search(ft) is not None
    sy = _SY_CUE.search(ft) is not None
    if iq and not sy:
        return "IQ"
    if sy and not iq:
        return "SY"
    return None


def plausible_place(pm, text: str, in_date, ft: str | None = None, inv: list[int] | None = None) -> bool:
    """False for gazetteer hits that are not places here: month names, common words, names of
    people ("أبو حمزة") and of media ("The Baghdad Post", "شبكة تدمر"). ``in_date(offset)`` says
    whether an offset falls inside a date mention; ``ft`` and ``inv`` (the folded text and the map of
    original offsets to folded ones) save folding the pieces again."""

    def folded(a: int, b: int) -> str:
        return ft[inv[a]:inv[b]] if ft is not None and inv is not None else fold(text[a:b]).text

    key = folded(pm.start, pm.end).strip()
    if key in _NOT_A_PLACE and (not pm.hint or len(folded(pm.phrase_start, pm.start).strip()) <= 2):
        return False  # a common word is a place only after a type word ("حي الحرية", "ناحية التبني")
    ws = pm.start
    while ws > 0 and text[ws - 1].isalpha():
        ws -= 1
    if ws < pm.start and folded(ws, pm.end).strip() in _NOT_A_PLACE:
        return False  # "فرقة المشاة" read as ف + رقة (Raqqa): the whole word is a common one
    if in_date(pm.start):
        return False
    if _KUNYA.search(folded(max(0, pm.phrase_start - 32), pm.phrase_start)):
        return False
    if not pm.hint and _SPEAKER.search(folded(max(0, pm.phrase_start - 12), pm.phrase_start)):
        return False  # "وتابع خوشناو": the governor Khoshnaw speaking, not the Khoshnaw area
    if _ORG_AFTER.match(text[pm.end:pm.end + 30]) or _ORG_BEFORE.search(folded(max(0, pm.start - 20), pm.start)):
        return False
    if _AFFILIATION.search(text[max(0, pm.start - 5):pm.start]) or _AFFILIATED.match(text, pm.end):
        return False  # "pro-Damascus fighters", "Baghdad-backed forces": a side, not a place
    return True


def named_units(clauses: list, admin1_code: str | None) -> set[str]:
    """Districts (codes) that an event's clauses tie the act to: its unit mentions in ``admin1_code``."""
    return {pm.candidate.admin2_code for c in clauses for w, pm, _fs in c.places
            if w >= 0.5 and pm.candidate.admin1_code == admin1_code and is_unit(pm.candidate)}
