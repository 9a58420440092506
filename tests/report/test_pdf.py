"""The PDF's text layer: Arabic extracts in logical order, key figures as typed, cards right to left."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pypdf
import pytest
from bidi import get_display

from rasid.report import Formatter, render_brief
from rasid.report.arabic import font_face_css
from rasid.report.pdf import glyph_texts, html_to_pdf
from tests.report._fixed import fixed_brief

_AR_DIGITS = re.compile(r"[\u0660-\u0669]")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    return {lang: render_brief(fixed_brief(), lang, "pdf", out, basename=f"fx_{lang}", charts=False)[0]
            for lang in ("ar", "en")}


def _text(path) -> str:
    """pypdf's text (logical order for letters)."""
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages)


def _visual_lines(path) -> list[str]:
    """pypdf's layout text (visual order, as drawn) put back in logical order with the bidi algorithm."""
    out = []
    for page in pypdf.PdfReader(str(path)).pages:
        for line in (page.extract_text(extraction_mode="layout") or "").splitlines():
            if line.strip():
                out.append(get_display(line.strip(), base_dir="R"))
    return out


def test_arabic_pdf_letters_extract_in_logical_order(pdfs):
    text = _text(pdfs["ar"])
    for word in ("كركوك", "دير الزور", "البوكمال", "الحويجة", "التقديرات الرئيسية", "الإسلامية",
                 "تتركّز", "حدثاً"):
        assert word in text, word
    # no presentation forms: the text layer holds the letters, not their shaped glyph forms
    assert not re.search(r"[\uFB50-\uFDFF\uFE70-\uFEFF]", text)


def test_arabic_pdf_key_figures_as_typed(pdfs):
    lines = " ".join(_visual_lines(pdfs["ar"]))
    fmt = Formatter("ar")
    for v in (1202, 10193, 1036, 3179):
        assert fmt.num(v) in lines, fmt.num(v)
    assert "٣٤٫٢٪" in lines  # percent sign after the digits, as typed


def test_pdftotext_reads_the_figures_too(pdfs):
    assert shutil.which("pdftotext"), "poppler-utils is needed (.ci/run installs it; apt-get install poppler-utils)"
    text = subprocess.run(["pdftotext", str(pdfs["ar"]), "-"], capture_output=True, text=True, check=True).stdout
    for s in ("كركوك", "دير الزور", "١٬٢٠٢", "١٠٬١٩٣"):
        assert s in text, s


def test_no_middle_dot_beside_arabic_digits(pdfs, tmp_path):
    outs = [_text(pdfs["ar"])]
    for p in render_brief(fixed_brief(), "ar", "html,md", tmp_path, basename="dot", charts=False):
        outs.append(p.read_text(encoding="utf-8"))
    for text in outs:
        for m in re.finditer("\u00b7", text):
            around = text[max(0, m.start() - 3):m.end() + 3]
            assert not _AR_DIGITS.search(around), around


def test_cards_right_to_left_in_arabic_pdf(pdfs):
    def card_x(path, values, fmt):
        xs = {}

        def visit(t, cm, tm, _fd, _fs):
            s = t.strip()
            for v in values:
                shown = fmt.num(v)
                if s in (shown, shown[::-1]):
                    xs.setdefault(v, cm[4] + tm[4])
        pypdf.PdfReader(str(path)).pages[0].extract_text(visitor_text=visit)
        return [xs[v] for v in values]

    cards = [1202, 10193, 1036, 3179]  # the order of the cards in the HTML
    ar = card_x(pdfs["ar"], cards, Formatter("ar"))
    en = card_x(pdfs["en"], cards, Formatter("en"))
    assert ar == sorted(ar, reverse=True), ar  # first card on the right
    assert en == sorted(en), en


def test_glyph_texts_map_marks_and_forms_to_their_own_letters():
    from rasid.report.arabic import font_path

    own = glyph_texts(font_path().read_bytes())
    texts = set(own.values())
    assert "\u0651" in texts and "\u064b" in texts  # shadda and tanwin map to themselves
    assert {"ب", "ت", "ق", "ف"} <= texts
    # every positional form of beh maps to beh, none to another letter
    from fontTools.ttLib import TTFont
    order = TTFont(str(font_path())).getGlyphOrder()
    for gid, t in own.items():
        name = order[gid]
        if name.startswith("uni0628.") and t:
            assert unicodedata.normalize("NFKC", t) == "ب", (name, t)


def test_marks_do_not_swap_letters(tmp_path):
    words = "تتركّز كلٌّ مقارنةً حدثاً"
    html = (f"<html dir=rtl lang=ar><style>{font_face_css(words)} body{{font-family:'IBM Plex Sans Arabic'}}"
            f"</style><body><p>{words}</p></body></html>")
    text = _text(html_to_pdf(html, tmp_path / "m.pdf"))
    assert "تتركّز" in text and "مقارنةً" in text and "حدثاً" in text
