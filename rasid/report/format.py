"""Numbers and dates for a brief's language: Arabic month names, Arabic-Indic or Latin digits, percents, signs.

Every function returns plain text; the templates decide the sentence around it. Arabic output uses the
Levantine/Iraqi month names (كانون الثاني، شباط ...) that readers in Iraq and Syria use, and Arabic-Indic
digits with the Arabic decimal (٫) and thousands (٬) separators unless Latin digits are asked for.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["Formatter", "MONTHS_AR", "MONTHS_EN", "LRI", "PDI", "to_latin_digits"]

MONTHS_AR = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
             "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June",
             "July", "August", "September", "October", "November", "December"]
LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate: keeps "+12%" whole inside Arabic text
_AR_DIGITS = str.maketrans("0123456789.,%", "٠١٢٣٤٥٦٧٨٩٫٬٪")
_TO_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩٫٬٪−", "0123456789.,%-")
_MINUS = "−"


def to_latin_digits(text: str) -> str:
    """Arabic-Indic digits, separators and minus back to ASCII (for parsing a brief in tests)."""
    return text.replace(LRI, "").replace(PDI, "").translate(_TO_LATIN)


def _missing(x: object) -> bool:
    """True for None, NaN, NA and NaT."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Formatter:
    """Formats numbers and dates for one language (``ar`` or ``en``) and digit style (``arabic`` or ``latin``)."""

    lang: str = "en"
    digits: str = "arabic"
    isolate: bool = False  # wrap every number in LRI/PDI so RTL text keeps "−12٪" whole (Arabic only)

    @property
    def arabic_digits(self) -> bool:
        """Whether digits are written ٠١٢٣."""
        return self.lang == "ar" and self.digits == "arabic"

    def _d(self, text: str) -> str:
        """Localise the digits and separators of an ASCII number string."""
        return text.translate(_AR_DIGITS) if self.arabic_digits else text

    def _iso(self, text: str) -> str:
        """Isolate a number as left-to-right when asked (Arabic): minus on its left, ٪ on its right.

        Each number is its own isolate, so a range "a–b" still reads right to left in Arabic (the low
        bound first, on the right) while each bound keeps its sign and percent sign in place.
        """
        return f"{LRI}{text}{PDI}" if self.isolate and self.lang == "ar" else text

    @property
    def dash(self) -> str:
        """What a missing value shows."""
        return "—"

    def num(self, x: object, decimals: int = 0) -> str:
        """1234 -> '1,234' / '١٬٢٣٤'."""
        if _missing(x):
            return self.dash
        v = float(x)
        text = f"{abs(v):,.{decimals}f}"
        out = self._d(text)
        return self._iso(_MINUS + out if v < 0 and text.strip("0.,") else out)

    def pct(self, x: object, decimals: int = 1) -> str:
        """A share 0.123 -> '12.3%' / '١٢٫٣٪'."""
        if _missing(x):
            return self.dash
        v = float(x) * 100
        body = self._d(f"{abs(v):.{decimals}f}%")
        return self._iso(_MINUS + body if v < 0 and round(abs(v), decimals) != 0 else body)

    def signed_pct(self, x: object, decimals: int = 0) -> str:
        """A relative change 0.35 -> '+35%', -0.2 -> '−20%'."""
        if _missing(x):
            return self.dash
        v = float(x) * 100
        body = self._d(f"{abs(v):,.{decimals}f}%")
        if round(abs(v), decimals) == 0:
            return self._iso(body)
        return self._iso(("+" if v > 0 else _MINUS) + body)

    def ratio(self, x: object, decimals: int = 2) -> str:
        """A rate ratio 1.8432 -> '1.84' / '١٫٨٤' ('∞' when infinite)."""
        if _missing(x):
            return self.dash
        v = float(x)
        if math.isinf(v):
            return "∞"
        return self._iso(self._d(f"{v:.{decimals}f}"))

    def pval(self, x: object) -> str:
        """A p or q value: '<0.001', '0.012' or '0.34'."""
        if _missing(x):
            return self.dash
        v = float(x)
        if v < 0.001:
            return self._iso("<" + self._d("0.001"))
        return self._iso(self._d(f"{v:.3f}" if v < 0.1 else f"{v:.2f}"))

    def range(self, lo: object, hi: object, kind: str = "num", decimals: int | None = None) -> str:
        """An interval 'lo–hi' of two numbers formatted as ``kind`` (num, pct, ratio), each bound isolated."""
        f = {"num": self.num, "pct": self.pct, "ratio": self.ratio}[kind]
        args = () if decimals is None else (decimals,)
        a, b = f(lo, *args), f(hi, *args)
        negative = any(not _missing(v) and float(v) < 0 for v in (lo, hi))
        sep = (" إلى " if self.lang == "ar" else " to ") if negative else "–"  # "−36% to 62%", not "−36%–62%"
        return f"{a}{sep}{b}"

    def km(self, x: object) -> str:
        """A distance: '85 km' / '٨٥ كم'."""
        return f"{self.num(x)} {'كم' if self.lang == 'ar' else 'km'}"

    def date(self, d: object) -> str:
        """2018-03-15 -> '15 March 2018' / '١٥ آذار ٢٠١٨'."""
        if _missing(d):
            return self.dash
        t = pd.Timestamp(d)
        months = MONTHS_AR if self.lang == "ar" else MONTHS_EN
        return f"{self._d(str(t.day))} {months[t.month - 1]} {self._d(str(t.year))}"

    def month(self, d: object) -> str:
        """2018-03 -> 'March 2018' / 'آذار ٢٠١٨'."""
        if _missing(d):
            return self.dash
        t = pd.Timestamp(d)
        months = MONTHS_AR if self.lang == "ar" else MONTHS_EN
        return f"{months[t.month - 1]} {self._d(str(t.year))}"

    def short_month(self, d: object, year: bool = False) -> str:
        """Axis label: 'Mar' / 'آذار' (with the year below: 'Jan\n2018' / 'كانون الثاني\n٢٠١٨')."""
        t = pd.Timestamp(d)
        name = MONTHS_AR[t.month - 1] if self.lang == "ar" else MONTHS_EN[t.month - 1][:3]
        return f"{name}\n{self._d(str(t.year))}" if year else name

    def iso(self, d: object) -> str:
        """ISO date, digits localised: '2018-03-15'."""
        if _missing(d):
            return self.dash
        if isinstance(d, dt.date | pd.Timestamp):
            return self._d(pd.Timestamp(d).strftime("%Y-%m-%d"))
        return self._d(str(d))

    def digits_of(self, text: object) -> str:
        """Localise the digits inside an arbitrary string (ids, codes, years)."""
        return self.dash if _missing(text) else self._d(str(text))

    def count(self, value: object, singular: str, plural: str) -> str:
        """English counted noun: ``1 event``, ``2 events`` (Arabic templates use their own agreement macro)."""
        try:
            one = float(value) == 1  # type: ignore[arg-type]
        except (TypeError, ValueError):
            one = False
        return f"{self.num(value)} {singular if one else plural}"

    def filters(self) -> dict:
        """The Jinja filters bound to this formatter."""
        return {"num": self.num, "pct": self.pct, "signed_pct": self.signed_pct, "ratio": self.ratio,
                "pval": self.pval, "date": self.date, "month": self.month, "iso": self.iso,
                "digits": self.digits_of, "count": self.count, "range": self.range, "km": self.km}
