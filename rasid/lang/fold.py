"""Offset-keeping folded copy of a text, so regexes run on normalised Arabic and spans map back.

Folding reuses :func:`rasid.lang.normalize.normalize_ar` one character at a time (alef forms, ta
marbuta, hamza seats, digits, case); diacritics, tatweel and zero-width marks are dropped, and
punctuation and spaces are kept so that clause boundaries stay visible. Patterns are written in
ordinary Arabic and folded the same way with :func:`fold_pattern`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rasid.lang.normalize import normalize_ar

__all__ = ["Folded", "fold", "fold_pattern", "rx"]


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    """Folded form of one character: '' for marks, the character itself for punctuation."""
    if c.isspace():
        return " " if c not in "\n\r" else "\n"
    cat = unicodedata.category(c)
    if cat in ("Mn", "Me", "Cf", "Cc", "Co", "Cs", "Cn") or c == "\u0640":
        return ""
    if cat[0] in "PSZ":
        return c
    r = normalize_ar(c, drop_article=False)
    return r if r else c.lower()


@dataclass
class Folded:
    """A folded text with ``index[i]`` = offset in the original of folded character ``i``."""

    text: str
    index: list[int]
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` offsets of folded ``[start, end)``."""
        if not self.index:
            return 0, 0
        s = self.index[min(start, len(self.index) - 1)] if start < len(self.index) else self.original_length
        e = self.index[end - 1] + 1 if 0 < end <= len(self.index) else s
        return s, max(s, e)


def fold(text: str) -> Folded:
    """Fold ``text`` for matching, keeping a map back to original offsets."""
    out: list[str] = []
    idx: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        for ch in f:
            out.append(ch)
            idx.append(i)
    return Folded("".join(out), idx, len(text))


@lru_cache(maxsize=4096)
def fold_pattern(pattern: str) -> str:
    """Fold the letters of a regex pattern the way :func:`fold` folds text (metacharacters kept)."""
    return "".join(c if (c.isspace() or c.isascii()) else _fold_char(c) for c in pattern)


@lru_cache(maxsize=4096)
def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compiled folded regex, for folded text (which is lower case): the pattern's letters are
    lower-cased rather than compiled case-insensitive, because ``re.IGNORECASE`` turns off the
    engine's scan for a literal first letter and made the extractor's word lists several times slower."""
    return re.compile(_lower_letters(fold_pattern(pattern)), flags)


_GROUP_NAME = re.compile(r"\(\?P(?:<[^>]*>|=[^)]*\))")


def _lower_letters(pattern: str) -> str:
    """``pattern`` with its ASCII letters lower-cased, escapes (``\\S``, ``\\W``, ``\\B``) and group
    names (``(?P<who>``) kept as written."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        m = _GROUP_NAME.match(pattern, i)
        if m:
            out.append(m.group())
            i = m.end()
            continue
        out.append(c.lower() if c.isascii() else c)
        i += 1
    return "".join(out)
