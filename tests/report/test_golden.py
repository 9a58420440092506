"""Golden Markdown: every section of the brief, both languages, for a fixed hand-made input.

Regenerate after an intended wording change with ``RASID_UPDATE_GOLDEN=1 pytest tests/report/test_golden.py``
and review the diff. A section without its golden file fails (so a new section cannot slip in unreviewed).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from rasid.report import render_brief
from tests.report._fixed import fixed_brief

GOLDEN = Path(__file__).parent / "golden"
SECTIONS = {
    "en": ["Key judgements", "Key findings", "Notable recent attacks", "Why these places", "Outlook",
           "Method and data notes"],
    "ar": ["التقديرات الرئيسية", "أبرز الاستنتاجات", "أبرز الهجمات الأخيرة", "لماذا هذه المناطق؟", "التوقعات",
           "المنهجية وملاحظات حول البيانات"],
}


def _sections(text: str) -> dict[str, str]:
    """'## heading' -> the section's text (heading included), in order."""
    parts = re.split(r"(?m)^(?=## )", text)
    return {p.splitlines()[0][3:].strip(): p for p in parts if p.startswith("## ")}


@pytest.fixture(scope="module")
def markdown(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden")
    return {lang: render_brief(fixed_brief(), lang, "md", out, basename=f"golden_{lang}", charts=False)[0]
            .read_text(encoding="utf-8") for lang in ("en", "ar")}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_section_present_in_order(markdown, lang):
    assert list(_sections(markdown[lang])) == SECTIONS[lang]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("index", range(6))
def test_markdown_section_golden(markdown, lang, index):
    title = SECTIONS[lang][index]
    got = _sections(markdown[lang])[title]
    path = GOLDEN / lang / f"{index + 1}.md"
    if os.environ.get("RASID_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file for section {title!r}: run with RASID_UPDATE_GOLDEN=1 and review"
    assert got == path.read_text(encoding="utf-8")
