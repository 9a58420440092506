"""Arabic for matplotlib (shaping with arabic-reshaper, visual order with python-bidi) and the fonts.

Matplotlib without libraqm draws code points left to right without shaping, so Arabic labels are passed
through :func:`shape` first: letters become their joined presentation forms (U+FB50–U+FEFF) and the run
is put in visual order when the renderer cannot do it.

The brief's font is IBM Plex Sans Arabic (PyPI ``fontpkg-ibm-plex-sans-arabic``, SIL OFL 1.1), Arabic
and Latin in one design. It draws every Arabic letter form as one glyph of its own. Fonts that build
letters from a shared dotless skeleton plus separate dot glyphs (Noto Sans/Kufi Arabic do) cannot be
given a correct PDF text layer: a PDF maps each glyph to one text string (the ToUnicode CMap), so
the shared skeleton and dots map to whichever letter used them first and copied text comes out as
broken letters. With one glyph per letter form the PDF text extracts in logical order. The Latin
fallback for rare symbols is matplotlib's bundled DejaVu Sans.
"""

from __future__ import annotations

import base64
import importlib
import io
import logging
import re
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
import matplotlib
from bidi import get_display
from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib import font_manager, ft2font

from rasid.errors import ReportError

logging.getLogger("fontTools").setLevel(logging.ERROR)

__all__ = ["shape", "renderer_does_bidi", "has_arabic", "font_path", "latin_font_path", "register_fonts", "font_face_css",
           "FONT_FAMILIES", "PRESENTATION_FORMS"]

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]")
FONT_FAMILY = "IBM Plex Sans Arabic"
_PACKAGES = {FONT_FAMILY: "fontpkg_ibm_plex_sans_arabic"}
#: weight -> file stem suffix of the font package (regular text, headings, bold)
_WEIGHTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}
FONT_FAMILIES = [FONT_FAMILY, "DejaVu Sans"]


def has_arabic(text: str) -> bool:
    """True if the text holds Arabic letters (logical, unshaped)."""
    return bool(_ARABIC.search(text or ""))


@lru_cache(maxsize=1)
def _reshaper():
    """An arabic-reshaper configured to keep harakat and use ligatures."""
    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


@lru_cache(maxsize=1)
def renderer_does_bidi() -> bool:
    """True if matplotlib lays text out with libraqm (3.11+), which applies the bidi algorithm itself."""
    return bool(getattr(ft2font, "__libraqm_version__", None))


def shape(text: str, *, bidi: bool | None = None) -> str:
    """Logical Arabic text -> joined presentation forms for matplotlib (other text returned unchanged).

    The letters are always reshaped (arabic-reshaper). They are also put in visual order (python-bidi)
    unless the renderer reorders by itself (``bidi=None`` asks matplotlib: libraqm does, older builds do not);
    reordering twice would print every word backwards.
    """
    if not text or not has_arabic(text):
        return text
    reorder = not renderer_does_bidi() if bidi is None else bidi
    lines = [_reshaper().reshape(line) for line in text.split("\n")]
    if reorder:
        lines = [get_display(line, base_dir="R") for line in lines]
    return "\n".join(lines)


def font_path(family: str = FONT_FAMILY, weight: int = 400) -> Path:
    """The .ttf of an Arabic font family (one weight) shipped in its PyPI font package."""
    pkg = _PACKAGES.get(family)
    if pkg is None:
        raise ReportError(f"unknown font family {family!r}; expected one of {', '.join(_PACKAGES)}")
    try:
        mod = importlib.import_module(pkg)
    except ModuleNotFoundError as exc:
        raise ReportError(f"font package {pkg} is not installed (pip install {pkg.replace('_', '-')})") from exc
    files = sorted(Path(mod.ROOT).glob(f"files/*-{_WEIGHTS.get(weight, 'Regular')}.ttf"))
    if not files:
        raise ReportError(f"{mod.ROOT}: no {_WEIGHTS.get(weight, weight)} .ttf file in the font package")
    return files[0]


def latin_font_path() -> Path:
    """matplotlib's bundled DejaVu Sans (Latin, digits and symbols)."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@lru_cache(maxsize=1)
def register_fonts() -> list[str]:
    """Add the Arabic fonts to matplotlib's font manager; returns the families to use (Arabic first)."""
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    for fam in _PACKAGES:
        for weight in _WEIGHTS:
            font_manager.fontManager.addfont(str(font_path(fam, weight)))
    return list(FONT_FAMILIES)


def _subset(path: Path, text: str | None) -> bytes:
    """The font file, subset to the characters of ``text`` (with Arabic shaping closure) when given."""
    data = path.read_bytes()
    if not text:
        return data
    font = TTFont(io.BytesIO(data))
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables = []
    sub = subset.Subsetter(opts)
    chars = set(text) | set("0123456789٠١٢٣٤٥٦٧٨٩٫٬٪،؛؟.,:;%()[]-–—+ ")
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(text: str | None = None, families: tuple[str, ...] = (FONT_FAMILY,),
                  weights: tuple[int, ...] = (400, 700)) -> str:
    """@font-face rules embedding the fonts as base64 (subset to ``text`` if given): no web fetch."""
    rules = []
    for fam in families:
        for weight in weights:
            b64 = base64.b64encode(_subset(font_path(fam, weight), text)).decode("ascii")
            rules.append(f'@font-face {{ font-family: "{fam}"; src: url(data:font/ttf;base64,{b64}) '
                         f'format("truetype"); font-weight: {weight}; font-style: normal; }}')
    lat = base64.b64encode(_subset(latin_font_path(), text)).decode("ascii")
    rules.append(f'@font-face {{ font-family: "Rasid Latin"; src: url(data:font/ttf;base64,{lat}) format("truetype"); '
                 "font-weight: 400; font-style: normal; }")
    return "\n".join(rules)
