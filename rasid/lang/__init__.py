"""Language layer: Arabic and Latin normalisation, the bottom of the package (everything may use it).

* :mod:`rasid.lang.normalize` - name keys for the gazetteer, actor table and extractor;
* :mod:`rasid.lang.fold` - an offset-keeping folded copy of a text, so regexes run on normalised
  Arabic and their spans map back to the original.
"""

from __future__ import annotations

from rasid.lang.fold import Folded, fold, fold_pattern, rx
from rasid.lang.normalize import (
    detect_script,
    loose_key,
    normalize_ar,
    normalize_latin,
    normalize_name,
    strip_ar_prefixes,
    strip_control,
    to_ascii_digits,
    tokenize,
)

__all__ = [
    "Folded",
    "detect_script",
    "fold",
    "fold_pattern",
    "loose_key",
    "normalize_ar",
    "normalize_latin",
    "normalize_name",
    "rx",
    "strip_ar_prefixes",
    "strip_control",
    "to_ascii_digits",
    "tokenize",
]
