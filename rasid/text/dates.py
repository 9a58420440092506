"""Dates in Arabic and English news, resolved against the publication date.

Handles both Arabic month-name series (سبتمبر / أيلول, مايو / أيار / مايس), Hijri dates (through
``hijridate``), weekdays ("الأحد الماضي", "on Sunday"), ordinal days ("الخامس من سبتمبر الجاري"),
numeric dates and relative expressions (أمس، أول أمس، فجر اليوم، الليلة الماضية، قبل يومين،
الشهر الماضي, "two days ago", "last month"). A relative expression, or a day and month without a
year, gives no date when there is no publication date: it is never guessed.

Every mention keeps its character span; ``offset`` is the day offset from the publication date when
the expression is relative (known even without a publication date, so two mentions can still be
compared).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from hijridate import Gregorian, Hijri

from rasid.lang.fold import Folded, fold, fold_pattern

__all__ = ["DateMention", "find_dates", "resolve_date", "parse_published"]


@dataclass
class DateMention:
    """A date expression: span, resolved range and precision (``day``, ``days``, ``week``, ``month``,
    ``year``); ``date_start``/``date_end`` are None when it cannot be resolved."""

    text: str
    start: int
    end: int
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str
    kind: str  # absolute, relative, weekday, partial
    offset: int | None = None
    weekday: int | None = None

    @property
    def date(self) -> dt.date | None:
        """The single best day (start of the range)."""
        return self.date_start

    def to_dict(self) -> dict:
        """Plain dict with ISO dates."""
        d = asdict(self)
        for k in ("date_start", "date_end"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


def _f(d: dict[str, int]) -> dict[str, int]:
    return {fold_pattern(k): v for k, v in d.items()}


_MONTHS_AR = _f({
    "كانون الثاني": 1, "يناير": 1, "كانون ثاني": 1, "شباط": 2, "فبراير": 2, "آذار": 3, "مارس": 3,
    "نيسان": 4, "أبريل": 4, "ابريل": 4, "إبريل": 4, "أيار": 5, "مايو": 5, "مايس": 5, "حزيران": 6,
    "يونيو": 6, "يونيه": 6, "تموز": 7, "يوليو": 7, "يوليه": 7, "آب": 8, "أغسطس": 8, "اغسطس": 8,
    "أيلول": 9, "سبتمبر": 9, "تشرين الأول": 10, "تشرين اول": 10, "أكتوبر": 10, "اكتوبر": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "نوفمبر": 11, "كانون الأول": 12, "كانون اول": 12, "ديسمبر": 12,
})
_MONTHS_EN = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
              "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
              "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
              "dec": 12}
_HIJRI = _f({"محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع الآخر": 4, "ربيع الثاني": 4,
             "جمادى الأولى": 5, "جمادى الاولى": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6, "رجب": 7,
             "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12,
             "ذي الحجة": 12})
_WEEKDAYS_AR = _f({"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الثلثاء": 1, "الأربعاء": 2, "الخميس": 3,
                   "الجمعة": 4, "السبت": 5, "الأحد": 6})
_WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                "sunday": 6}
_ORD_UNITS = _f({"الأول": 1, "الحادي": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
                 "السابع": 7, "الثامن": 8, "التاسع": 9, "العاشر": 10})
_ORD_TENS = _f({"العشرين": 20, "الثلاثين": 30})
_NUM_WORDS = _f({"يوم": 1, "يومين": 2, "يومان": 2, "ثلاثة": 3, "أربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7,
                 "عشرة": 10, "اسبوع": 7, "أسبوع": 7, "أسبوعين": 14, "اسبوعين": 14})


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_B = r"(?<![^\W_])"  # start of word (Arabic clitics are handled explicitly)
_E = r"(?![^\W\d_])"
_P = r"(?:[وفبل]?)"  # one conjunction / preposition clitic
_MON_AR = _alt(_MONTHS_AR)
_MON_EN = _alt(_MONTHS_EN)
_HIJ = _alt(_HIJRI)
_WD_AR = _alt(_WEEKDAYS_AR)
_WD_EN = _alt(_WEEKDAYS_EN)
_ORD = r"(?:ال)?(?:" + _alt(_ORD_UNITS) + r")(?:\s+(?:عشر|عشره|و(?:" + _alt(_ORD_TENS) + r")))?|(?:" + _alt(_ORD_TENS) + r")"
_REL_MONTH = fold_pattern(r"(?:\s*(?:ال)?(?:جاري|حالي|ماضي|منصرم|فائت|مقبل))")
_YEAR = r"(?:19|20)\d\d"
_MON_ALT_AR = r"(?:" + _MON_AR + r")(?:\s*[/(،-]\s*(?:" + _MON_AR + r")\s*\)?)?"

# run on folded text, which is lower case: no re.IGNORECASE (it turns off the scan for a literal first letter)
_RX: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<!\d)(" + _YEAR + r")-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d/.-])(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(" + _YEAR + r")(?!\d)")),
    ("hijri", re.compile(r"(?<!\d)(\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?(" + _HIJ + r")\s+(1[34]\d\d)(?:\s*ه[ـ]?)?" + _E)),
    ("ar_dm", re.compile(r"(?<!\d)(\d{1,2})(?:\s*/\s*\d{1,2})?\s+(?:من\s+)?(?:شهر\s+)?(" + _MON_ALT_AR + r")(" + _REL_MONTH + r")?(?:\s*(?:من\s+)?(?:عام|العام|سنه)?\s*(" + _YEAR + r"))?" + _E)),
    ("ar_ord", re.compile(_B + r"(" + _ORD + r")\s+(?:من\s+)?(?:شهر\s+)?(" + _MON_ALT_AR + r")(" + _REL_MONTH + r")?(?:\s*(?:من\s+)?(?:عام|العام)?\s*(" + _YEAR + r"))?" + _E)),
    ("en_md", re.compile(_B + r"(" + _MON_EN + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(" + _YEAR + r"))?(?!\d)")),
    ("en_dm", re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MON_EN + r")\.?(?:,?\s+(" + _YEAR + r"))?" + _E)),
    ("ar_my", re.compile(_B + _P + r"(?:شهر\s+)?(" + _MON_ALT_AR + r")(?:\s*(?:من\s+)?(?:عام|العام)?\s*(" + _YEAR + r")|(" + _REL_MONTH + r"))" + _E)),
    ("en_my", re.compile(_B + r"(?:in\s+|last\s+|this\s+)?(" + _MON_EN + r")(?:\s+(" + _YEAR + r"))" + _E)),
    # a month named alone after "in" / "في" ("in January", "في شهر يناير"): the last such month up to publication
    ("en_mon", re.compile(_B + r"(?:in|since|during|early|late|mid-?|until)\s+(?:early\s+|late\s+|mid-?)?(" + _MON_EN + r")(?!\s*\d)" + _E)),
    ("ar_mon", re.compile(_B + r"و?(?:في|خلال|منذ|مطلع|منتصف|اواخر|اوايل|نهايه|بدايه|بدايات)\s+(?:شهر\s+)?(" + _MON_ALT_AR + r")(?!\s*\d)" + _E)),
    ("eid", re.compile(_B + _P + r"(عشيه|اول ايام|ثاني ايام|ثالث ايام|صباح|يوم|ليله)?\s*(عيد (?:ال)?اضحي|عيد (?:ال)?فطر)" + _E)),
    ("ar_rel", re.compile(_B + _P + r"(?:(?:يوم|فجر|صباح|ظهر|عصر|مساء|ليل|ليله|ظهيره|منتصف ليل|منتصف ليله|وقت متاخر من|ساعه متاخره من ليله|ساعه متاخره من)\s+)?(اول من امس|اول امس|امس|البارحه|اليوم)" + _E)),
    ("ar_lastnight", re.compile(_B + _P + r"(?:(?:منتصف|بعد منتصف)\s+)?(الليله الماضيه|ليله امس|ليل امس)" + _E)),
    ("ar_ago", re.compile(_B + _P + r"قبل\s+(?:نحو\s+|قرابه\s+|حوالي\s+)?(يومين|يومان|يوم|ثلاثه ايام|اربعه ايام|خمسه ايام|سته ايام|اسبوع|اسبوعين|(\d+)\s+ايام)" + _E)),
    ("ar_period", re.compile(_B + _P + r"(?:مطلع\s+|منتصف\s+|اواخر\s+|اوايل\s+|نهايه\s+|بدايه\s+)?(الاسبوع|الشهر|العام|السنه)\s+(الماضي|الفايت|المنصرم|الجاري|الحالي|الماضيه|الفايته|المنصرمه|الجاريه|الحاليه)" + _E)),
    ("ar_wd", re.compile(_B + _P + r"(?:(?:يوم|فجر|صباح|ظهر|عصر|مساء|ليل|ليله|ليلة)\s+)?(" + _WD_AR + r")(?:\s*[-/و]?\s*(?:" + _WD_AR + r"))?(\s+(?:الماضي|الفايت|المنصرم|المقبل))?" + _E)),
    ("en_rel", re.compile(_B + r"(the day before yesterday|yesterday|today|tonight|this morning|this evening|last night|overnight|earlier today)" + _E)),
    ("en_ago", re.compile(_B + r"(a|one|two|three|four|five|six|seven|\d+)\s+(days?|weeks?)\s+ago" + _E)),
    ("en_period", re.compile(_B + r"(last|this|earlier this|past)\s+(week|month|year)" + _E)),
    ("en_wd", re.compile(_B + r"(?:on\s+|last\s+|late\s+|early\s+)?(" + _WD_EN + r")(?:'s)?(\s+(?:night|evening|morning|afternoon))?" + _E)),
    ("year", re.compile(_B + _P + r"(?:عام|العام|سنه|in|since|of)\s+(" + _YEAR + r")(?!\d)")),
]

_EN_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def parse_published(value: object) -> dt.date | None:
    """A publication date from ``date``/``datetime``/ISO string (``2021-09-06`` or with time), else None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    start = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def _infer_year(m: int, d: int | None, pub: dt.date | None, rel: str | None) -> int | None:
    """Year of a day/month without a year: the publication year, or the one before when the date
    would fall after publication (or the month is called "last")."""
    if pub is None:
        return None
    y = pub.year
    probe = _safe_date(y, m, d or 1)
    if probe is None:
        return y
    if rel and any(w in rel for w in ("ماضي", "منصرم", "فايت")) and (m > pub.month or (m == pub.month and d is None)):
        return y - 1
    if probe > pub + dt.timedelta(days=2):
        return y - 1
    return y


def _ord_value(s: str) -> int | None:
    toks = s.split()
    total = 0
    for t in toks:
        t2 = t[1:] if t.startswith("و") and t[1:] in _ORD_TENS else t
        if t2 in _ORD_UNITS:
            total += _ORD_UNITS[t2]
        elif ("ال" + t2) in _ORD_UNITS:
            total += _ORD_UNITS["ال" + t2]
        elif t2 in _ORD_TENS:
            total += _ORD_TENS[t2]
        elif t2 in ("عشر", "عشره"):
            total += 10
    return total or None


def _hijri_to_greg(y: int, m: int, d: int) -> dt.date | None:
    try:
        return Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _hijri_year(day: dt.date) -> int | None:
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def _weekday_back(pub: dt.date, wd: int, strict: bool) -> int:
    """Offset (<= 0) of the most recent weekday ``wd`` on or before ``pub`` (strictly before if strict)."""
    back = (pub.weekday() - wd) % 7
    if strict and back == 0:
        back = 7
    return -back


def _mention(kind: str, m: re.Match[str], fd, text: str, pub: dt.date | None) -> DateMention | None:
    g = m.groups()
    s, e = fd.span(*m.span())
    raw = text[s:e]

    def day(d: dt.date | None, precision: str = "day", k: str = "absolute", off: int | None = None,
            end: dt.date | None = None, wd: int | None = None) -> DateMention:
        return DateMention(raw, s, e, d, end or d, precision if d else precision, k, off, wd)

    if kind == "iso":
        return day(_safe_date(int(g[0]), int(g[1]), int(g[2])))
    if kind == "dmy":
        return day(_safe_date(int(g[2]), int(g[1]), int(g[0])))
    if kind == "hijri":
        return day(_hijri_to_greg(int(g[2]), _HIJRI[g[1]], int(g[0])))
    if kind in ("ar_dm", "ar_ord"):
        d = int(g[0]) if kind == "ar_dm" else _ord_value(g[0])
        if not d or d > 31:
            return None
        mon = _MONTHS_AR[re.split(r"\s*[/(،-]\s*", g[1])[0].strip()]
        rel = g[2] or ""
        if g[3]:
            return day(_safe_date(int(g[3]), mon, d))
        if "جاري" in rel or "حالي" in rel:
            y = pub.year if pub else None
        else:
            y = _infer_year(mon, d, pub, rel)
        return day(_safe_date(y, mon, d) if y else None, k="partial" if y is None else "absolute")
    if kind in ("en_md", "en_dm"):
        mon_s, d_s, y_s = (g[0], g[1], g[2]) if kind == "en_md" else (g[1], g[0], g[2])
        mon = _MONTHS_EN[mon_s.lower().rstrip(".")]
        d = int(d_s)
        if d > 31 or (mon_s.lower() == "may" and kind == "en_md" and not y_s and d > 31):
            return None
        y = int(y_s) if y_s else _infer_year(mon, d, pub, None)
        return day(_safe_date(y, mon, d) if y else None, k="absolute" if y_s else ("partial" if y is None else "absolute"))
    if kind == "ar_my":
        mon = _MONTHS_AR[re.split(r"\s*[/(،-]\s*", g[0])[0].strip()]
        if g[1]:
            a, b = _month_range(int(g[1]), mon)
            return DateMention(raw, s, e, a, b, "month", "absolute")
        rel = g[2] or ""
        y = pub.year if pub and ("جاري" in rel or "حالي" in rel) else _infer_year(mon, None, pub, rel)
        if y is None:
            return DateMention(raw, s, e, None, None, "month", "partial")
        a, b = _month_range(y, mon)
        return DateMention(raw, s, e, a, b, "month", "absolute")
    if kind == "en_my":
        mon = _MONTHS_EN[g[0].lower().rstrip(".")]
        a, b = _month_range(int(g[1]), mon)
        return DateMention(raw, s, e, a, b, "month", "absolute")
    if kind in ("en_mon", "ar_mon"):
        mon = _MONTHS_EN[g[0].lower().rstrip(".")] if kind == "en_mon" else _MONTHS_AR[re.split(r"\s*[/(،-]\s*", g[0])[0].strip()]
        y = _infer_year(mon, None, pub, None)
        if y is None:
            return DateMention(raw, s, e, None, None, "month", "partial")
        a, b = _month_range(y, mon)
        return DateMention(raw, s, e, a, b, "month", "absolute")
    if kind == "eid":
        if pub is None:
            return DateMention(raw, s, e, None, None, "day", "relative")
        hy = _hijri_year(pub)
        if hy is None:
            return None
        adha = "اضحي" in g[1]
        hm, hd = (12, 10) if adha else (10, 1)
        mod = g[0] or ""
        hd += {"عشيه": -1, "ليله": -1, "ثاني ايام": 1, "ثالث ايام": 2}.get(mod.strip(), 0)
        d = _hijri_to_greg(hy, hm, hd)
        if d and d > pub + dt.timedelta(days=2):
            d = _hijri_to_greg(hy - 1, hm, hd)
        return day(d, k="relative")
    if kind == "ar_rel":
        w = g[0]
        off = {"اليوم": 0, "امس": -1, "البارحه": -1, "اول امس": -2, "اول من امس": -2}[w]
        return day(pub + dt.timedelta(days=off) if pub else None, k="relative", off=off)
    if kind == "ar_lastnight":
        return day(pub - dt.timedelta(days=1) if pub else None, "days", "relative", -1,
                   end=pub)
    if kind == "ar_ago":
        w = g[0]
        n = int(g[1]) if g[1] else _NUM_WORDS.get(w.split()[0], None)
        if n is None:
            return None
        prec = "week" if "اسبوع" in w else "days"
        if pub is None:
            return DateMention(raw, s, e, None, None, prec, "relative", -n)
        d = pub - dt.timedelta(days=n)
        return DateMention(raw, s, e, d - dt.timedelta(days=2 if prec == "week" else 0), d + dt.timedelta(days=2 if prec == "week" else 0), prec, "relative", -n)
    if kind in ("ar_period", "en_period"):
        unit, rel = (g[0], g[1]) if kind == "ar_period" else (g[1].lower(), g[0].lower())
        unit = {"الاسبوع": "week", "الشهر": "month", "العام": "year", "السنه": "year"}.get(unit, unit)
        past = any(w in rel for w in ("ماضي", "فايت", "منصرم", "last", "past"))
        if pub is None:
            return DateMention(raw, s, e, None, None, unit, "relative")
        if unit == "week":
            start = pub - dt.timedelta(days=pub.weekday() + (7 if past else 0))
            return DateMention(raw, s, e, start, start + dt.timedelta(days=6), "week", "relative")
        if unit == "month":
            y, mo = (pub.year - (pub.month == 1), (pub.month - 2) % 12 + 1) if past else (pub.year, pub.month)
            a, b = _month_range(y, mo)
            return DateMention(raw, s, e, a, b, "month", "relative")
        y = pub.year - 1 if past else pub.year
        return DateMention(raw, s, e, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "relative")
    if kind in ("ar_wd", "en_wd"):
        wd = _WEEKDAYS_AR[g[0]] if kind == "ar_wd" else _WEEKDAYS_EN[g[0].lower()]
        last = bool(g[1]) and any(w in g[1].lower() for w in ("ماضي", "فايت", "منصرم")) or raw.lower().startswith("last")
        if pub is None:
            return DateMention(raw, s, e, None, None, "day", "weekday", None, wd)
        off = _weekday_back(pub, wd, strict=last)
        return DateMention(raw, s, e, pub + dt.timedelta(days=off), pub + dt.timedelta(days=off), "day", "weekday", off, wd)
    if kind == "en_rel":
        w = g[0].lower()
        off = {"today": 0, "tonight": 0, "this morning": 0, "this evening": 0, "earlier today": 0,
               "yesterday": -1, "last night": -1, "overnight": -1, "the day before yesterday": -2}[w]
        prec = "days" if w in ("last night", "overnight") else "day"
        return DateMention(raw, s, e, pub + dt.timedelta(days=off) if pub else None,
                           (pub if prec == "days" else pub + dt.timedelta(days=off)) if pub else None, prec,
                           "relative", off)
    if kind == "en_ago":
        n = _EN_NUM.get(g[0].lower()) or (int(g[0]) if g[0].isdigit() else 1)
        n *= 7 if g[1].lower().startswith("week") else 1
        prec = "week" if n >= 7 else "days"
        d = pub - dt.timedelta(days=n) if pub else None
        return DateMention(raw, s, e, d, d, prec, "relative", -n)
    if kind == "year":
        y = int(g[0])
        return DateMention(raw, s, e, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "absolute")
    return None


def find_dates(text: str, published: object = None, *, folded: Folded | None = None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published`` (date or ISO string), in order.

    Relative expressions and day-month dates without a year get ``date_start=None`` when there is no
    publication date. ``folded`` is ``fold(text)`` when the caller has it already."""
    if not isinstance(text, str) or not text:
        return []
    pub = parse_published(published)
    fd = folded if folded is not None and folded.original_length == len(text) else fold(text)
    taken = bytearray(len(fd.text) + 1)  # 1 where a mention already found covers the character
    out: list[DateMention] = []
    for kind, pat in _RX:
        for m in pat.finditer(fd.text):
            a, b = m.span()
            if taken.find(1, a, b) != -1:
                continue
            dm = _mention(kind, m, fd, text, pub)
            if dm is None:
                continue
            taken[a:b] = b"\x01" * (b - a)
            out.append(dm)
    out.sort(key=lambda d: d.start)
    out = _merge_weekday_dates(out, text)
    return _align_today(out, pub)


def _align_today(ms: list[DateMention], pub: dt.date | None) -> list[DateMention]:
    """When a text says "اليوم (السبت)" and Saturday is not the publication day (a wire story
    posted the next day), every "today"/"yesterday" of that text is counted from that Saturday."""
    if pub is None:
        return ms
    shift = None
    for dm in ms:
        if dm.kind == "relative" and dm.weekday is not None and dm.date_start is not None and \
                re.search(fold_pattern("اليوم") + "|today", fold(dm.text).text, re.I):
            shift = (dm.date_start - pub).days
            break
    if not shift:
        return ms
    for dm in ms:
        if dm.kind == "relative" and dm.weekday is None and dm.offset is not None and dm.date_start is not None:
            dm.date_start = dm.date_start + dt.timedelta(days=shift)
            dm.date_end = (dm.date_end or dm.date_start) + dt.timedelta(days=shift)
    return ms


def _merge_weekday_dates(ms: list[DateMention], text: str) -> list[DateMention]:
    """"الخميس 17 من أيار" / "Tuesday, December 17": the explicit date wins; the weekday confirms it."""
    out: list[DateMention] = []
    for dm in ms:
        # "اليوم (السبت)", "أمس الخميس", "Yesterday, Sunday": one mention; the weekday decides the day
        if out and ((out[-1].kind == "relative" and dm.kind == "weekday") or (out[-1].kind == "weekday" and dm.kind == "relative")) \
                and 0 <= dm.start - out[-1].end <= 4 and re.fullmatch(r"[\s(/،,\-]*", text[out[-1].end:dm.start]):
            rel, wd = (out[-1], dm) if out[-1].kind == "relative" else (dm, out[-1])
            out.pop()
            off = wd.offset if wd.offset is not None else rel.offset
            if wd.offset is None and rel.offset is not None and rel.precision == "day":
                off = rel.offset
            d0 = wd.date_start or rel.date_start
            out.append(DateMention(text[min(rel.start, wd.start):max(rel.end, wd.end)], min(rel.start, wd.start),
                                   max(rel.end, wd.end), d0, d0, "day", "relative", off, wd.weekday))
            continue
        if out and out[-1].kind == "weekday" and dm.kind in ("absolute", "partial") and dm.precision == "day" \
                and 0 <= dm.start - out[-1].end <= 3:
            wd = out.pop()
            d0 = dm.date_start
            if d0 is not None and wd.weekday is not None:
                # a Hijri or sighting-based date can be a day off; the stated weekday settles it
                for shift in (0, -1, 1):
                    cand = d0 + dt.timedelta(days=shift)
                    if cand.weekday() == wd.weekday:
                        d0 = cand
                        break
            dm = DateMention(text[wd.start:dm.end], wd.start, dm.end, d0, d0, dm.precision,
                             dm.kind, None, wd.weekday)
        out.append(dm)
    return out


def resolve_date(expression: str, published: object = None) -> DateMention | None:
    """The first date expression found in ``expression`` (see :func:`find_dates`), or None."""
    found = find_dates(expression, published)
    return found[0] if found else None
