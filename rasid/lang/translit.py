"""Romanisation keys: one spelling-independent form for the many Latin transliterations of an Arabic
(or Kurdish) place name, so "Qalb Lawzah", "Qalb Lozeh", "Kalb Loze" and "Qalb al-Lawza" meet.

* :func:`rom_key` - the name folded the way coders' spellings vary: accents, apostrophes and ʿayn
  marks gone; article forms (al-/el-/as-/ad-/ash-/ar-/az-…, glued or separate) dropped; q/k/g and
  Kurdish x/kh, ch/sh/sch/ş, dj/j, ph/f, p/b, v/f, th/t, dh/z folded; doubled letters single; every
  vowel run (with the glides w/y inside diphthongs: aw/ow/ou/o, ay/ei/ey/e, iya/ia/ieh) one ``a``;
  the ta-marbuta endings -ah/-eh/-a/-e/-at one ``a``. Word breaks are removed ("Bumusah" = "Bu Musa").
* :func:`rom_variants` - the key plus the key without the directional or size qualifiers that name a
  village's twin (Shamaliyah/Janubiyah/Gharbiyah/Sharqiyah, Fawqani/Tahtani, Kabir/Saghir …) and
  without leading generic words, each with how much is lost (``0`` for the key itself).
* :func:`rom_skeleton` - consonants only (vowels and glides dropped), comparable with
  :func:`rom_skeleton_ar` of an Arabic name ("قلب لوزة" -> "klblz").
* :func:`split_alternatives` - "Marj Khawkha / Merc Xuxê village", "Ghazal (Qizil Mazra'ah)" -> the
  separate names a coder gave.

Rules, not a table per name: every place is compared through the same folds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "QUALIFIER_WORDS",
    "edit_distance",
    "rom_key",
    "rom_skeleton",
    "rom_skeleton_ar",
    "rom_variants",
    "split_alternatives",
]

_ARTICLES = frozenset({"al", "el", "il", "ul", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed",
                       "er", "es", "esh", "et", "ez", "en", "ud", "ur", "us", "ut", "uz", "l", "a"})
# glued article before a word: "al-", "el-", "ash-", "ad-" … and assimilated "arraqqa", "ezzor"
_GLUED = re.compile(r"^(?:al|el|il)(?=[a-z]{3})|^([ae])([tdrzsn])\2(?=[a-z]{2})")
_APOS = dict.fromkeys(map(ord, "'`´‘’ʻʼʽʾʿˈ′\"ʹ"))
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "æ": "ae",
                          "œ": "oe", "ə": "a"})
# ordered digraph folds (before single letters); capital letters are temporary classes
_DIGRAPHS = (
    ("tch", "C"), ("sch", "C"), ("dsh", "J"), ("dj", "J"), ("kh", "X"), ("gh", "G"), ("sh", "C"), ("ch", "C"),
    ("zh", "Z"), ("th", "T"), ("dh", "Z"), ("ph", "F"), ("ck", "K"), ("ts", "S"), ("ks", "X"),
)
_SINGLE = str.maketrans({"q": "k", "g": "k", "c": "k", "x": "X", "p": "b", "v": "f", "w": "w", "y": "y",
                         "j": "J"})
_FINAL = str.maketrans({"C": "c", "X": "x", "G": "g", "J": "j", "Z": "z", "T": "t", "F": "f", "K": "k",
                        "S": "s"})
_VOWEL_RUN = re.compile(r"(?:(?<=[a-zA-Z])[wy])?[aeiou]+(?:[wy][aeiou]+)*(?:[wy](?![aeiou]))?|"
                        r"(?<![a-zA-Z])[wy](?=[^aeiou]|$)")
_ENDING = re.compile(r"(?:iyy?a[ht]?|iy?eh|iye|ia|ie|eh|ah|at|et|e)$")  # -et: construct state "Kherbet", "Mazraet"
_DOUBLE = re.compile(r"(.)\1+")
_KURDISH_MAP = str.maketrans({"ş": "C", "ç": "C", "ê": "e", "î": "i", "û": "u"})


def _ascii(s: str) -> str:
    s = s.translate(_APOS).lower().translate(_SPECIAL)
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def _fold_token(tok: str) -> str:
    """One word to its key form (see the module docstring); ``tok`` is lower-case ASCII with
    capital letters standing for already-folded consonant classes."""
    m = _GLUED.match(tok)
    if m:
        tok = tok[m.end():] if m.group(1) is None else tok[1:]
    tok = _ENDING.sub("a", tok) if len(tok) > 3 else tok
    tok = tok.replace("q", "k")  # before the digraphs: "Maqsud" and "Maksoud" (and normalised "x" = "ks") meet
    for a, b in _DIGRAPHS:
        if a in tok:
            tok = tok.replace(a, b)
    tok = tok.translate(_SINGLE)
    tok = _DOUBLE.sub(r"\1", tok)
    tok = _VOWEL_RUN.sub("a", tok)
    tok = tok.replace("h", "") if tok.endswith("ah") and len(tok) > 3 else tok
    tok = _DOUBLE.sub(r"\1", tok.translate(_FINAL))
    return tok


#: directional / size / position words that tell twin villages apart (folded keys)
_QUALIFIERS_RAW = (
    "shamali", "shamaliyah", "shamaliya", "shimali", "janubi", "janubiyah", "janubiya", "gharbi", "gharbiyah",
    "gharbiya", "sharqi", "sharqiyah", "sharqiya", "fawqani", "fauqani", "foqani", "tahtani", "tahtaniyah",
    "kabir", "kabirah", "kabira", "saghir", "saghirah", "saghira", "sghir", "jadid", "jadidah", "qadim",
    "qadimah", "wusta", "wustani", "kubra", "sughra", "north", "south", "east", "west", "upper", "lower",
    # English renderings in OCHA community names ("Big Orm", "Little Bweideh", "Eastern Atshana")
    "big", "little", "small", "eastern", "western", "northern", "southern", "middle", "foqani", "fouqani",
)
# generic words opening many names ("Tall X", "Jabal X", "Bir X" …): a second key drops them
_GENERIC_RAW = ("tall", "tal", "tell", "jabal", "jebel", "jbel", "bir", "beer", "kafr", "kfar", "khirbat",
                "khirbet", "kherbet", "wadi", "ayn", "ain", "ein", "dayr", "deir", "qasr", "qalaat", "qalat",
                "marj", "hawsh", "mazraat", "mazraa", "ard", "abu", "umm", "um", "bani", "beni", "qaryat",
                "karyat", "mazrat", "tal", "hay", "hayy", "jubb", "jeb", "jib", "rasm", "mazraet", "kharbet",
                "kharab")


# generic words whose vowel moves between spellings ("Kfar"/"Kafr" كفر)
_WORD_EQUIV = {"kfar": "kafr", "kafar": "kafr", "kefr": "kafr", "kefar": "kafr", "kfr": "kafr"}


def _tokens(name: str) -> list[str]:
    """Lower-case ASCII word tokens with articles removed (Kurdish Latin ş/ç kept as sh classes)."""
    if not name or not isinstance(name, str):
        return []
    s = name.lower().translate(_KURDISH_MAP)
    s = _ascii(s)
    s = re.sub(r"[^a-zA-Z0-9]+", " ", s).strip()
    toks = [t for t in s.split() if t]
    for i in range(len(toks) - 1):  # "Al Bu X" / "El Bo X" (a tribe's villages) is one word, "Albu X"
        if toks[i] in ("al", "el", "ál") and toks[i + 1] in ("bu", "bo", "bou", "boo"):
            toks[i], toks[i + 1] = "", "albu"
    toks = [_WORD_EQUIV.get(t, t) for t in toks if t]
    kept = [t for t in toks if t not in _ARTICLES]
    return kept or toks


@lru_cache(maxsize=200_000)
def rom_key(name: str) -> str:
    """Spelling-independent key of a Latin-script name ("Qalb Lozeh" -> "kalblaza"); "" if none."""
    return "".join(_fold_token(t) for t in _tokens(name))


@lru_cache(maxsize=100_000)
def rom_variants(name: str) -> tuple[tuple[str, float], ...]:
    """``(key, loss)`` pairs: the full key (loss 0), the key without twin-village qualifiers
    ("Abu Qubia al-Gharbiyah" -> "abu qubia", loss 0.15) and without a leading generic word
    ("Tall Abyad" -> "abyad", loss 0.35). Keys shorter than 3 letters are left out."""
    folded = [_fold_token(t) for t in _tokens(name)]
    folded = [f for f in folded if f]
    out: dict[str, float] = {}
    full = "".join(folded)
    if full:
        out[full] = 0.0
    core = [f for f in folded if f not in QUALIFIER_WORDS]
    if core and len(core) < len(folded):
        k = "".join(core)
        if len(k) >= 3:
            out.setdefault(k, 0.15)
    if len(core) > 1 and core[0] in _GENERIC:
        k = "".join(core[1:])
        if len(k) >= 4:
            out.setdefault(k, 0.35)
    return tuple(out.items())


QUALIFIER_WORDS = frozenset(_fold_token(w) for w in _QUALIFIERS_RAW)
_GENERIC = frozenset(_fold_token(w) for w in _GENERIC_RAW)

_SKEL_DROP = re.compile(r"[aeiouwy]")


def rom_skeleton(name: str) -> str:
    """Consonant skeleton of a Latin name's key: vowels, glides and h dropped ("Qalb Lawzah" -> "klblz"; h kept)."""
    key = rom_key(name)
    return _DOUBLE.sub(r"\1", _SKEL_DROP.sub("", key))


_AR_TO_LAT = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
    "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "", "ي": "", "ا": "", "ع": "", "ة": "", "ى": "", "ء": "",
    "أ": "", "إ": "", "آ": "", "ؤ": "", "ئ": "", "پ": "b", "چ": "c", "ژ": "z", "ڤ": "f", "گ": "k", "ک": "k",
    "ی": "",
}


def rom_skeleton_ar(name: str) -> str:
    """Latin consonant skeleton of an Arabic-script name, comparable with :func:`rom_skeleton`
    ("قلب لوزة" -> "klblz"): articles dropped, long vowels, glides, ʿayn and a final ha/ta marbuta silent."""
    if not name:
        return ""
    out = []
    for tok in re.split(r"[^\u0600-\u06FF]+", name):
        if tok.startswith("ال") and len(tok) > 3:
            tok = tok[2:]
        if tok.endswith(("ه", "ة")):
            tok = tok[:-1]  # ta marbuta / final ha: a vowel in Latin spellings
        out.append("".join(_AR_TO_LAT.get(ch, "") for ch in tok))
    return _DOUBLE.sub(r"\1", "".join(out))


_ALT_SPLIT = re.compile(r"\s*/\s*|\s*\(\s*|\s*\)\s*|\s+or\s+|\s*\baka\b\s*", re.I)


def split_alternatives(name: str) -> list[str]:
    """The names in a string giving several ("A / B village", "A (B)", "A or B"), first one first;
    a type word after the last alternative is given to each ("Marj Khawkha / Merc Xuxê village"
    -> ["Marj Khawkha village", "Merc Xuxê village"])."""
    if not name or not _ALT_SPLIT.search(name):
        return [name] if name else []
    parts = [p.strip(" ,;-") for p in _ALT_SPLIT.split(name)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return parts
    if parts[-1].lower() in _TYPE_TAIL:  # "A (B) village": the type word after the parenthesis
        tail = parts.pop()
        return [p if p.split()[-1].lower() in _TYPE_TAIL else f"{p} {tail}" for p in parts]
    last = parts[-1].split()
    tail = last[-1] if len(last) > 1 and last[-1].lower() in _TYPE_TAIL else ""
    if tail:
        parts = [p if p.lower().endswith(tail.lower()) else f"{p} {tail}" for p in parts]
    return parts


_TYPE_TAIL = frozenset({"village", "town", "city", "suburb", "area", "camp", "farm", "farms", "district",
                        "subdistrict", "mountain", "checkpoint", "base", "field", "neighbourhood",
                        "neighborhood", "quarter", "locality", "hill", "dam"})


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, ``limit + 1`` once it is exceeded."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
