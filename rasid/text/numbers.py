"""Numbers in Arabic and English news: digits (ASCII and Arabic-Indic), number words in every gender
and case form, qualifiers ("at least", "نحو"), and vague quantities kept as text with a lower bound.

A vague quantity ("العشرات", "dozens", "several") is never turned into an exact number: it gets
``value=None``, ``vague=True`` and a conservative ``low`` bound.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from rasid.lang.fold import Folded, fold, fold_pattern

__all__ = ["Quantity", "find_quantities", "parse_number", "VAGUE_LOW"]


@dataclass
class Quantity:
    """A count found in text: exact ``value`` or a vague one with only a lower bound ``low``."""

    value: int | None
    low: int | None
    text: str
    start: int
    end: int
    vague: bool = False
    qualifier: str | None = None  # at_least, more_than, about, up_to

    def to_dict(self) -> dict:
        """Plain dict (JSON-ready)."""
        return asdict(self)


def _f(words: dict[str, int]) -> dict[str, int]:
    return {fold_pattern(k): v for k, v in words.items()}


# --- Arabic number words (folded keys) -------------------------------------------------------------
_AR_UNITS = _f({
    "واحد": 1, "واحدة": 1, "أحد": 1, "إحدى": 1,
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
    "ثنتين": 2, "ثنتان": 2,
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
    "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9,
})
_AR_TEN = _f({"عشرة": 10, "عشر": 10})
_AR_TENS = _f({
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
})
_AR_HUNDREDS = _f({"مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
                   "ألف": 1000, "ألفان": 2000, "ألفين": 2000})
_AR_HUNDRED_WORDS = _f({"مئة": 100, "مائة": 100, "مئات": 100, "ألف": 1000, "آلاف": 1000})
# joined forms: ثلاثمائة, خمسمئة
_AR_JOINED_HUNDRED = re.compile(fold_pattern(r"^(ثلاث|أربع|خمس|ست|سبع|ثمان|تسع)(مئة|مائة)$"))

# --- English number words ------------------------------------------------------------------------
_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
             "dozen": 12}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_BIG = {"hundred": 100, "thousand": 1000}

# --- vague quantities: folded phrase -> lower bound -------------------------------------------------
VAGUE_LOW: dict[str, int] = {
    **_f({"العشرات": 20, "عشرات": 20, "المئات": 200, "مئات": 200, "الآلاف": 2000, "آلاف": 2000,
          "عدد من": 2, "عددا من": 2, "عدد كبير من": 5, "عدد غير محدد": 1, "عدة": 3, "بضعة": 3, "بضع": 3,
          "العديد من": 3, "العديد": 3, "آخرين": 1, "آخرون": 1, "أخرين": 1}),
    "dozens": 24, "scores": 40, "several": 3, "a number of": 2, "many": 3, "hundreds": 200,
    "a few": 2, "multiple": 2, "numerous": 3, "others": 1, "some": 2, "an unspecified number": 1,
}

_QUAL_BEFORE = {
    **_f({"نحو": "about", "حوالي": "about", "حوالى": "about", "قرابة": "about", "زهاء": "about",
          "ما يقارب": "about", "مايقرب من": "about", "ما يقرب من": "about", "ما يقارب من": "about",
          "أكثر من": "more_than", "اكثر من": "more_than", "ما يزيد عن": "more_than",
          "ما يزيد على": "more_than", "أزيد من": "more_than", "ما لا يقل عن": "at_least",
          "لا يقل عن": "at_least"}),
    "at least": "at_least", "more than": "more_than", "over": "more_than", "about": "about",
    "around": "about", "nearly": "about", "almost": "about", "approximately": "about", "some": "about",
    "up to": "up_to", "roughly": "about",
}
# the qualifier a text ends with, first in _QUAL_BEFORE order when several do ("ما يزيد عن" before "عن")
_QUAL_BEFORE_RX = re.compile("(?:" + "|".join(re.escape(q) for q in _QUAL_BEFORE) + ")$")
_QUAL_AFTER = {**_f({"على الأقل": "at_least", "علي الاقل": "at_least"}), "at least": "at_least"}

_TOKEN = re.compile(r"\d+(?:[,٬]\d{3})*|[^\W\d_]+|[-]", re.UNICODE)
# one compiled pattern per vague phrase, in VAGUE_LOW order (a longer phrase before its prefix)
_VAGUE_RX = [(re.compile(r"(?<![^\W_])" + re.escape(p) + r"(?![^\W_])"), lb) for p, lb in VAGUE_LOW.items()]
_DIGITS = re.compile(r"\d+(?:[,٬]\d{3})*")
_CLITIC = ("و", "ب", "ل", "ف")


def _strip_clitic(tok: str) -> tuple[str, int]:
    """Token without a leading conjunction/preposition when the rest is a number word."""
    for c in _CLITIC:
        if tok.startswith(c) and len(tok) > 3:
            rest = tok[1:]
            if rest in _AR_UNITS or rest in _AR_TENS or rest in _AR_TEN or rest in _AR_HUNDREDS:
                return rest, 1
    return tok, 0


def _ar_word_value(tok: str) -> int | None:
    if tok in _AR_UNITS:
        return _AR_UNITS[tok]
    if tok in _AR_TEN:
        return 10
    if tok in _AR_TENS:
        return _AR_TENS[tok]
    if tok in _AR_HUNDREDS:
        return _AR_HUNDREDS[tok]
    m = _AR_JOINED_HUNDRED.match(tok)
    if m:
        return _AR_UNITS[m.group(1)] * 100
    return None


def _parse_ar_words(toks: list[str]) -> tuple[int | None, int]:
    """Value of the longest Arabic number-word phrase at the start of ``toks`` and tokens used."""
    if not toks:
        return None, 0
    first, _ = _strip_clitic(toks[0])
    v = _ar_word_value(first)
    if v is None:
        return None, 0
    total, used = 0, 1
    if v < 10 and len(toks) > 1 and toks[1] in _AR_TEN:  # teens: ثلاثة عشر، إحدى عشرة
        v, used = v + 10, 2
    elif v < 10 and len(toks) > 1 and toks[1] in _AR_HUNDRED_WORDS:  # ثلاث مئة، خمسة آلاف
        v, used = v * _AR_HUNDRED_WORDS[toks[1]], 2
    total = v
    # compounds joined by و: خمسة وعشرون، مئة وخمسون
    while used < len(toks):
        t = toks[used]
        if not t.startswith("و") or len(t) < 3:
            break
        nxt = _ar_word_value(t[1:])
        if nxt is None:
            break
        if nxt >= 20 and total < 10:  # unit + tens
            total += nxt
        elif total >= 100 and nxt < 100:
            total += nxt
            if used + 1 < len(toks) and toks[used + 1].startswith("و"):
                n2 = _ar_word_value(toks[used + 1][1:])
                if n2 is not None and n2 >= 20 and nxt < 10:
                    total += n2
                    used += 1
        else:
            break
        used += 1
    return total, used


def _parse_en_words(toks: list[str]) -> tuple[int | None, int]:
    if not toks:
        return None, 0
    total, cur, used = 0, 0, 0
    for t in toks:
        if t == "-" and used:
            used += 1
            continue
        if t in _EN_UNITS:
            if cur % 10 or (cur and cur < 20):
                break
            cur += _EN_UNITS[t]
        elif t in _EN_TENS:
            if cur:
                break
            cur += _EN_TENS[t]
        elif t in _EN_BIG and (cur or used == 0):
            cur = max(cur, 1) * _EN_BIG[t]
            if _EN_BIG[t] == 1000:
                total, cur = total + cur, 0
        else:
            break
        used += 1
    if used and toks[used - 1] == "-":
        used -= 1
    value = total + cur
    return (value, used) if used else (None, 0)


def parse_number(text: str) -> int | None:
    """Integer expressed by ``text`` alone (digits or number words, Arabic or English), else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    f = fold(text).text.strip().lower()
    if _DIGITS.fullmatch(f):
        return int(re.sub(r"\D", "", f))
    toks = _TOKEN.findall(f)
    for parser in (_parse_ar_words, _parse_en_words):
        v, used = parser(toks)
        if v is not None and used == len(toks):
            return v
    return None


_DEF_NON_PERSON = {fold(w).text for w in (
    "الأيام", "الساعات", "الأشهر", "الأسابيع", "السنوات", "الأعوام", "القرى", "المنازل", "الصواريخ", "القذائف",
    "السيارات", "المواقع", "الهجمات", "العمليات", "العبوات", "النقاط", "الحواجز", "الآليات", "المحافظات", "الأحياء")}


_AR_FORMS = frozenset(_AR_UNITS) | frozenset(_AR_TEN) | frozenset(_AR_TENS) | frozenset(_AR_HUNDREDS)
_EN_FORMS = frozenset(_EN_UNITS) | frozenset(_EN_TENS) | frozenset(_EN_BIG)


def _may_be_number(tok: str) -> bool:
    """Cheap test before parsing: the token is a number word (maybe after a clitic or "ال")."""
    return (tok in _AR_FORMS or tok in _EN_FORMS or (len(tok) > 3 and tok[1:] in _AR_FORMS)
            or (tok.startswith("ال") and tok[2:] in _AR_FORMS) or bool(_AR_JOINED_HUNDRED.match(tok))
            or (len(tok) > 3 and bool(_AR_JOINED_HUNDRED.match(tok[1:]))))


def _scan(fd: Folded, text: str) -> list[Quantity]:
    """All quantities in a folded text, with original spans."""
    s = fd.text
    toks = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(s)]
    words = [t for t, _, _ in toks]
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        tok, a, b = toks[i]
        value, used = None, 0
        if _DIGITS.fullmatch(tok):
            # times (07,55 / 12:00) and decimals are not counts
            nxt = s[b:b + 1]
            prv = s[a - 1:a] if a else ""
            if nxt in (":", ".", ",") and s[b + 1:b + 2].isdigit() or prv in (":",) or (prv in (".", ",") and a >= 2 and s[a - 2].isdigit()):
                i += 1
                continue
            value, used = int(re.sub(r"\D", "", tok)), 1
        elif not _may_be_number(tok):
            i += 1
            continue
        else:
            value, used = _parse_ar_words(words[i:i + 6])
            if value is None and tok.startswith("ال") and len(tok) > 4 and i > 0 and words[i - 1].startswith("ال") \
                    and words[i - 1] not in _DEF_NON_PERSON:
                # "عناصر قوات النظام الخمسة", "الجنود الثلاثة": a definite number agreeing with its noun
                v1, u1 = _parse_ar_words([tok[2:]])
                if v1 is not None and u1 == 1 and 3 <= v1 <= 10:
                    value, used = v1, 1
            if value is None:
                value, used = _parse_en_words(words[i:i + 6])
                if value is not None and words[i] == "dozen":
                    value = None  # "a dozen" handled below only with an article
        if value is None:
            i += 1
            continue
        end = toks[i + used - 1][2]
        start = a
        qualifier = None
        before = s[max(0, a - 16):a].strip().lower()
        mq = _QUAL_BEFORE_RX.search(before)
        if mq:
            q = mq.group()
            qualifier, start = _QUAL_BEFORE[q], a - len(s[max(0, a - 16):a]) + s[max(0, a - 16):a].lower().rfind(q)
        after = s[end:end + 40].lower()
        if not qualifier:
            for q, kind in _QUAL_AFTER.items():
                j = after.find(q)
                if 0 <= j <= 25:
                    qualifier = kind
                    break
        os_, oe = fd.span(start, end)
        out.append(Quantity(value=value, low=value + (1 if qualifier == "more_than" else 0), text=text[os_:oe],
                            start=os_, end=oe, qualifier=qualifier))
        i += used
    # vague quantities, unless inside a count already found
    covered = bytearray(len(text) + 1)
    for q in out:
        covered[q.start:q.end] = b"\x01" * (q.end - q.start)
    low = s.lower()
    for pat, lb in _VAGUE_RX:
        for m in pat.finditer(low):
            os_, oe = fd.span(*m.span())
            if covered[os_]:
                continue
            out.append(Quantity(value=None, low=lb, text=text[os_:oe], start=os_, end=oe, vague=True))
            covered[os_:oe] = b"\x01" * (oe - os_)
    out.sort(key=lambda q: q.start)
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every count in ``text`` (exact or vague) with its character span, in order."""
    if not isinstance(text, str) or not text:
        return []
    return _scan(fold(text), text)
