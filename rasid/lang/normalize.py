"""Arabic and Latin name normalisation, in one place for the gazetteer, geocoder and text extractor.

Two strengths of key are produced so that lookups can be exact first and forgiving second:

* ``normalize_name(s)`` – the *exact key*: script-specific normalisation (diacritics, alef forms,
  ta marbuta, alef maqsura, hamza seats, digits, Persian/Kurdish letters for Arabic; accents,
  apostrophes, hyphens, articles and common transliteration variants for Latin), articles dropped.
* ``loose_key(s)`` – a coarser key (Latin: consonant skeleton; Arabic: spaces removed) used only as
  a fallback with a lower score, because it collides more.

Attached Arabic clitics (و ف ب ل ك + ال) are not removed blindly (``بغداد`` must not lose its ب):
:func:`strip_ar_prefixes` returns the possible stems, longest first, and the caller keeps the first
one found in its dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "AR_ARTICLE",
    "LATIN_ARTICLES",
    "ar_to_skeleton",
    "detect_script",
    "loose_key",
    "normalize_ar",
    "normalize_latin",
    "normalize_name",
    "strip_ar_article",
    "strip_ar_prefixes",
    "strip_control",
    "to_ascii_digits",
    "tokenize",
]

AR_ARTICLE = "ال"

# --- digits -------------------------------------------------------------------------------------
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})

# --- Arabic character folding -------------------------------------------------------------------
_AR_MAP: dict[int, str | None] = {
    # alef forms
    ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا", ord("ٱ"): "ا", ord("ٲ"): "ا", ord("ٳ"): "ا",
    # hamza seats and bare hamza
    ord("ؤ"): "و", ord("ئ"): "ي", ord("ء"): None,
    # ta marbuta, alef maqsura, Persian/Kurdish letters
    ord("ة"): "ه", ord("ى"): "ي", ord("ی"): "ي", ord("ې"): "ي", ord("ێ"): "ي", ord("ۍ"): "ي",
    ord("ک"): "ك", ord("ڪ"): "ك", ord("گ"): "ك", ord("ګ"): "ك",
    ord("ە"): None, ord("ہ"): "ه",  # Kurdish ە is a vowel: dropped so "كەركووك" meets "كركوك" ord("ھ"): "ه", ord("ۀ"): "ه", ord("ۃ"): "ه",
    ord("پ"): "ب", ord("چ"): "ج", ord("ژ"): "ز", ord("ڤ"): "ف", ord("ڨ"): "ق",
    ord("ڕ"): "ر", ord("ڵ"): "ل", ord("ۆ"): "و", ord("ۇ"): "و", ord("ۊ"): "و", ord("ۋ"): "و",
    # tatweel
    ord("ـ"): None,
}
# harakat, shadda, sukun, superscript alef, Quranic marks
for _cp in list(range(0x064B, 0x0660)) + [0x0670] + list(range(0x06D6, 0x06EE)) + list(range(0x0610, 0x061B)):
    _AR_MAP[_cp] = None
_AR_MAP.update(_DIGITS)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"))

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_UNDERSCORE = re.compile(r"_+")
_SPACES = re.compile(r"\s+")
_AR_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")

# Arabic clitics that attach to a following noun, longest first; each yields a stem.
_AR_PROCLITICS = (
    "وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل",
    "وب", "ول", "فب", "فل", "وك", "لل", "و", "ف", "ب", "ل", "ك",
)

# --- Latin folding ------------------------------------------------------------------------------
LATIN_ARTICLES = _LATIN_ARTICLES = frozenset({
    "al", "el", "il", "ul", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "er", "es", "esh",
    "et", "ez", "en", "ud", "ur", "us", "ut", "uz",
})
_APOSTROPHES = dict.fromkeys(map(ord, "'`´‘’ʻʼʽʾʿˈ′\""))
# ordered multi-letter folds applied inside one token
_LATIN_FOLDS = (
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("dh", "z"), ("q", "k"), ("ck", "k"), ("ph", "f"),
    ("ei", "ay"), ("ai", "ay"), ("ey", "ay"), ("x", "ks"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
# article glued with an assimilated sun letter: "ezzor", "arraqqa", "assulaymaniyah"
_ASSIMILATED = re.compile(r"^[ae]([tdrzsn])\1(?=[a-z]{2})")


def strip_control(s: str) -> str:
    """Drop control, format and zero-width characters (they break matching and terminals)."""
    s = s.translate(_ZERO_WIDTH)
    return "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n" else " " for ch in s)


def to_ascii_digits(s: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII 0-9; everything else unchanged."""
    return s.translate(_DIGITS)


def detect_script(s: str) -> str:
    """``"ar"`` if the string has Arabic letters (and at least as many as Latin ones), ``"latin"`` if
    Latin letters, ``"none"`` otherwise (digits, punctuation, emoji only)."""
    n_ar = len(_AR_LETTER.findall(s))
    n_la = len(_LATIN_LETTER.findall(s))
    if n_ar == 0 and n_la == 0:
        return "none"
    return "ar" if n_ar >= n_la else "latin"


def strip_ar_article(token: str) -> str:
    """Remove a leading definite article ``ال`` when a stem of 2+ letters remains."""
    if token.startswith(AR_ARTICLE) and len(token) >= 4:
        return token[2:]
    return token


@lru_cache(maxsize=65536)
def _norm_ar_token(tok: str) -> str:
    return strip_ar_article(tok)


def normalize_ar(s: str, *, drop_article: bool = True) -> str:
    """Normalise Arabic text: remove diacritics and tatweel, unify alef forms, ta marbuta -> ha,
    alef maqsura -> ya, hamza seats, Persian/Kurdish letters and digits; punctuation becomes space.
    With ``drop_article`` each word loses its ``ال`` so "الحويجة" and "حويجه" share a key."""
    if not s:
        return ""
    s = strip_control(s).translate(_AR_MAP)
    s = _UNDERSCORE.sub(" ", _NON_WORD.sub(" ", s)).strip().lower()
    if not s:
        return ""
    if "وو" in s:
        s = s.replace("وو", "و")  # Kurdish long u (کەرکووک)
    toks = s.split()
    if drop_article:
        toks = [_norm_ar_token(t) for t in toks]
    return " ".join(toks)


@lru_cache(maxsize=65536)
def _fold_latin_token(tok: str) -> str:
    for a, b in _LATIN_FOLDS:
        if a in tok:
            tok = tok.replace(a, b)
    tok = _DOUBLE.sub(r"\1", tok)
    # final -ah/-eh/-a/-e (ta marbuta) -> -a ; "hasakah", "hasakeh", "hasaka" meet
    if len(tok) > 3 and tok.endswith(("ah", "eh")):
        tok = tok[:-2] + "a"
    elif len(tok) > 3 and tok.endswith("e"):
        tok = tok[:-1] + "a"
    return tok


def normalize_latin(s: str, *, drop_article: bool = True) -> str:
    """Normalise a Latin-script name: accents and apostrophes removed, lower case, hyphens to
    spaces, articles (al-/el-/ad-/az-/ash-...) dropped, and transliteration variants folded
    (ou/oo->u, ee->i, dh->z, q->k, ei/ai/ey->ay, doubled letters, final -ah/-eh)."""
    if not s:
        return ""
    s = strip_control(s).translate(_APOSTROPHES)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("ß", "ss").replace("đ", "d")
    s = to_ascii_digits(s).lower()
    s = _UNDERSCORE.sub(" ", _NON_WORD.sub(" ", s)).strip()
    toks = s.split()
    if drop_article:
        # "al-" glued to a word: "alhasakah" is left alone; only separate article tokens are dropped
        kept = [_ASSIMILATED.sub(r"\1", t) for t in toks if t not in _LATIN_ARTICLES]
        toks = kept or toks
    return " ".join(_fold_latin_token(t) for t in toks)


def normalize_name(s: str) -> str:
    """The exact lookup key of a name in either script (script detected per string)."""
    if not s or not isinstance(s, str):
        return ""
    return normalize_ar(s) if detect_script(s) == "ar" else normalize_latin(s)


_VOWELS = re.compile(r"[aeiouywh]")


@lru_cache(maxsize=65536)
def _skeleton(tok: str) -> str:
    tok = tok.replace("kh", "x").replace("gh", "g").replace("sh", "c").replace("th", "t").replace("ts", "s")
    tok = tok.replace("p", "b").replace("v", "f")  # Kurdish/Persian p, v written ب, ف in Arabic-based spellings
    head = "a" if tok[:1] in "aeiou" else tok[:1]
    rest = _VOWELS.sub("", tok[1:])  # vowels, glides and inner h carry little across transliterations
    return _DOUBLE.sub(r"\1", head + rest)


def loose_key(s: str) -> str:
    """Coarse key for fallback matching: Latin names reduced to a consonant skeleton
    ("Dayr az Zawr" and "Deir ez-Zor" -> "drzr"); Arabic names with spaces removed
    ("البو كمال" and "البوكمال" meet). Built from :func:`normalize_name`."""
    key = normalize_name(s)
    if not key:
        return ""
    if detect_script(key) == "ar":
        return key.replace(" ", "")
    return "".join(_skeleton(t) for t in key.split())


_AR_SKELETON = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
    "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y", "ا": "a", "ع": "a",
}


def ar_to_skeleton(key: str) -> str:
    """Latin consonant skeleton of a normalised Arabic key, comparable with :func:`loose_key` of a
    Latin name (vowels, glides, inner h and ain dropped; first letter kept): "صقلاويه" -> "skl"."""
    out = []
    for tok in key.split():
        lat = [m for m in (_AR_SKELETON.get(ch, "") for ch in tok) if m]
        if not lat:
            continue
        rest = "".join(ch for ch in lat[1:] if ch not in ("a", "w", "y", "h"))
        out.append(_DOUBLE.sub(r"\1", lat[0] + rest))
    return "".join(out)


def strip_ar_prefixes(token: str) -> list[str]:
    """Possible stems of an Arabic token after removing attached clitics (و ف ب ل ك, with or
    without ال): the token itself first, then the stems left by the longest clitics first. Callers
    keep the first form found in their dictionary, which keeps "بغداد" whole while "بكركوك" -> "كركوك"."""
    out = [token]
    for p in _AR_PROCLITICS:
        if token.startswith(p) and len(token) - len(p) >= 2:
            stem = token[len(p):]
            if p.endswith("ال") or p.endswith("لل"):
                stem_art = stem  # article already removed with the clitic
            else:
                stem_art = strip_ar_article(stem)
            for cand in (stem, stem_art):
                if cand not in out:
                    out.append(cand)
    return out


_WORD = r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u0640\u06D6-\u06ED])+"
# Latin words keep inner apostrophes ("Qa'im", "Anbar's"); Arabic never has them inside words
_TOKEN_RE = re.compile(_WORD + r"(?:['’ʼ`ʿʾ]" + _WORD + r")*", re.UNICODE)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of raw text as ``(token, start, end)`` character spans (end exclusive);
    letters and digits only, punctuation and spaces are separators."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
