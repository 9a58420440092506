"""Word lists of the extractor, loaded once from ``rasid/data/text/*.csv`` and compiled on folded text.

Each CSV row is one alternative of a list: ``list, pattern, lang, rationale``. ``pattern`` is a
regular-expression fragment written in ordinary Arabic or English (folded when compiled, see
:func:`rasid.lang.fold.rx`); ``rationale`` says why the word is in the list. The grammar around a
list (word boundaries, clitics, anchors) stays in the code that uses it; the vocabulary lives here.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from rasid.errors import InputError
from rasid.lang.fold import fold, fold_pattern, rx

__all__ = ["W0", "W1", "CL", "terms", "alt", "words", "pattern", "noun_counts", "word_set", "lists"]

W0 = r"(?<![^\W_])"      # word start
W1 = r"(?![^\W_])"       # word end
CL = r"(?:[وفبل]|لل|وب|ول|فب)?"  # clitics before a word

_FIELDS = ("list", "pattern", "lang", "rationale")


@cache
def _table(name: str) -> dict[str, tuple[str, ...]]:
    """``list -> patterns`` of one data file (``rasid/data/text/<name>.csv``), read once."""
    path = resources.files("rasid") / "data" / "text" / f"{name}.csv"
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != _FIELDS:
            raise InputError(f"columns {reader.fieldnames} are not {list(_FIELDS)}", path=str(path), line=1)
        for n, row in enumerate(reader, start=2):
            if not row["pattern"] or not row["rationale"]:
                raise InputError("empty pattern or rationale", path=str(path), line=n)
            try:
                re.compile(row["pattern"])
            except re.error as exc:
                raise InputError(f"pattern {row['pattern']!r} is not a regular expression ({exc})",
                                 path=str(path), line=n) from None
            out.setdefault(row["list"], []).append(row["pattern"])
    return {k: tuple(v) for k, v in out.items()}


def lists(name: str) -> tuple[str, ...]:
    """The list names of data file ``name``, in file order (e.g. the target categories)."""
    return tuple(_table(name))


def terms(name: str, lst: str) -> tuple[str, ...]:
    """The patterns of list ``lst`` in data file ``name``, in file order."""
    try:
        return _table(name)[lst]
    except KeyError:
        raise InputError(f"no list {lst!r}", path=f"rasid/data/text/{name}.csv") from None


def alt(name: str, lst: str) -> str:
    """The list as one non-capturing alternation ``(?:a|b|...)``."""
    return "(?:" + "|".join(terms(name, lst)) + ")"


def words(name: str, lst: str, *, clitic: bool = True) -> re.Pattern[str]:
    """Whole words of a list, optionally after a clitic (و ف ب ل ...), compiled on folded text."""
    return rx(W0 + (CL if clitic else "") + alt(name, lst) + W1)


def pattern(template: str, **lists: tuple[str, str]) -> re.Pattern[str]:
    """Compile ``template`` with ``{key}`` replaced by the alternation of ``lists[key] = (file, list)``."""
    parts = {k: alt(f, lst) for k, (f, lst) in lists.items()}
    out = template
    for k, v in parts.items():
        out = out.replace("{" + k + "}", v)
    return rx(out)


def word_set(name: str, lst: str) -> frozenset[str]:
    """The list as a set of folded literal words (for lists of plain words, not patterns)."""
    return frozenset(fold(w).text.strip() for w in terms(name, lst))


@cache
def noun_counts() -> dict[str, int]:
    """Folded casualty noun -> how many people it counts (1 singular, 2 dual), from casualty_nouns.csv."""
    path = resources.files("rasid") / "data" / "text" / "casualty_nouns.csv"
    out: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                out[fold_pattern(row["noun"])] = int(row["count"])
            except (KeyError, TypeError, ValueError):
                raise InputError("bad row (need noun, count)", path=str(path), line=n) from None
    return out
