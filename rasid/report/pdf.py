"""PDF from the brief's HTML with WeasyPrint, with a text layer that extracts in logical order.

A PDF maps each glyph to one text string (the font's ToUnicode CMap). WeasyPrint fills that map from
the text cluster a glyph was first drawn in. In Arabic a cluster is often several glyphs (a letter and
its shadda or tanwin, a ligature and its marks); in right-to-left runs the whole cluster then goes to the
mark glyph and nothing to the letter, and since marks are shared by every letter that carries them,
copied text comes out with letters lost or swapped ("تتركيّرز" for "تتركّز"). Before the fonts are
written, :func:`glyph_texts` derives each glyph's own text from the font itself (its cmap, then the GSUB
substitutions that make positional forms, alternates and ligatures) and replaces WeasyPrint's guess for
every glyph the font explains; the rest keep WeasyPrint's mapping.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from fontTools.ttLib import TTFont

from rasid.errors import ReportError

__all__ = ["html_to_pdf", "glyph_texts"]


def _subtables(lookup):
    """A GSUB lookup's subtables, extension lookups (type 7) unwrapped, with their real type."""
    for st in lookup.SubTable:
        if lookup.LookupType == 7:
            yield st.ExtensionLookupType, st.ExtSubTable
        else:
            yield lookup.LookupType, st


def glyph_texts(font_bytes: bytes, index: int = 0) -> dict[int, str]:
    """Glyph id -> the text it shows, derived from the font: cmap glyphs, then substitutions to a fixpoint.

    Single substitutions (positional forms, alternates) inherit the text of their input glyph, the first
    output of a multiple substitution takes the input's text (the others none), and a ligature takes
    the concatenated text of its components. A glyph reached from several texts keeps the first.
    """
    tt = TTFont(io.BytesIO(font_bytes), fontNumber=index, lazy=True)
    order = tt.getGlyphOrder()
    gid = {name: i for i, name in enumerate(order)}
    text: dict[str, str] = {}
    for cp, name in sorted(tt.getBestCmap().items()):
        text.setdefault(name, chr(cp))
    if "GSUB" not in tt or tt["GSUB"].table.LookupList is None:
        return {gid[n]: t for n, t in text.items() if n in gid}
    lookups = tt["GSUB"].table.LookupList.Lookup
    for _ in range(6):  # chains of substitutions: a few rounds reach the fixpoint
        added = 0
        for lookup in lookups:
            for kind, st in _subtables(lookup):
                if kind == 1:
                    for a, b in st.mapping.items():
                        if a in text and b not in text:
                            text[b] = text[a]
                            added += 1
                elif kind == 2:
                    for a, seq in st.mapping.items():
                        if a in text and seq and seq[0] not in text:
                            text[seq[0]] = text[a]
                            for other in seq[1:]:
                                text.setdefault(other, "")
                            added += 1
                elif kind == 3:
                    for a, alts in st.alternates.items():
                        for b in alts:
                            if a in text and b not in text:
                                text[b] = text[a]
                                added += 1
                elif kind == 4:
                    for first, ligs in st.ligatures.items():
                        for lig in ligs:
                            parts = [first, *lig.Component]
                            if lig.LigGlyph not in text and all(p in text for p in parts):
                                text[lig.LigGlyph] = "".join(text[p] for p in parts)
                                added += 1
        if not added:
            break
    return {gid[n]: t for n, t in text.items() if n in gid}


def _fix_to_unicode(fonts: dict) -> None:
    """Replace WeasyPrint's cluster-based glyph texts by the font's own, where the font explains the glyph."""
    cache: dict = {}
    for font in fonts.values():
        if getattr(font, "bitmap", False) or not getattr(font, "to_unicode", None):
            continue
        key = (font.hash, font.index)
        if key not in cache:
            try:
                cache[key] = glyph_texts(font.file_content, font.index)
            except Exception:  # noqa: BLE001 - an unreadable font keeps WeasyPrint's mapping
                cache[key] = {}
        own = cache[key]
        for g, guessed in list(font.to_unicode.items()):
            derived = own.get(g)
            if derived is None or derived == "":
                continue
            if derived != guessed:
                font.to_unicode[g] = derived


def html_to_pdf(html: str, path: str | Path) -> Path:
    """Write ``html`` (self-contained, no external URLs) to a PDF at ``path``."""
    import weasyprint  # heavy: about 1 s, imported only when a PDF is asked for
    import weasyprint.pdf as wpdf  # heavy: with weasyprint above

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    out = Path(path)
    original = wpdf.build_fonts_dictionary

    def build_fonts_dictionary(pdf, fonts, *args, **kwargs):
        _fix_to_unicode(fonts)
        return original(pdf, fonts, *args, **kwargs)

    wpdf.build_fonts_dictionary = build_fonts_dictionary
    try:
        weasyprint.HTML(string=html, base_url=None).write_pdf(out)
    except Exception as exc:  # weasyprint raises many kinds
        raise ReportError(f"PDF rendering failed: {exc}", path=out) from exc
    finally:
        wpdf.build_fonts_dictionary = original
    return out
