"""Stated motives: lexicon and offline encoder classify sentences into analysts' objectives."""

from __future__ import annotations

import pytest

from rasid.text.motives import OBJECTIVES, classify_sentence, extract_motives


@pytest.mark.parametrize(("sentence", "objective"), [
    ("يسيطر التنظيم على حقول النفط ويديرها للحصول على موارد مالية", "oil"),
    ("ISIS cells use extortion of oil investors as a means to finance their operations", "oil"),
    ("يستغل داعش الفراغ الأمني بين البيشمركة والجيش العراقي منذ غياب التنسيق بين القوات", "disputed_territory"),
    ("Kurdish and Iraqi officials have blamed the attacks on the security vacuum between Erbil and Baghdad",
     "disputed_territory"),
    ("هاجم التنظيم بهدف السيطرة على الطريق الرابط بين تكريت وكركوك", "corridor"),
    ("ISIS wants to control the border crossings and supply routes between Iraq and Syria", "corridor"),
    ("الدولة الاسلامية تمتلك حاضنة سنية ناقمة وساخطة على نظام الحكم", "social_base"),
    ("ISIS enjoys the support of several local tribes thanks to its manipulation of tribal relations", "social_base"),
    ("يخطط التنظيم لاقتحام السجون والمخيمات من أجل تحرير عناصره المعتقلين", "prisoners"),
    ("ISIS would always work to release prisoners from Hawl Camp because it is a priority", "prisoners"),
    ("ISIS exploits vulnerabilities amidst political competition before upcoming elections", "political_calendar"),
    ("يصعد داعش هجماته مستغلا الخلافات السياسية حول تشكيل الحكومة", "political_calendar"),
    ("أطلق التنظيم غزوة الثأر بدافع الثأر لمقتل زعيمه", "revenge"),
    ("the operation was described as revenge for ISIS family members", "revenge"),
])
def test_classify(sentence: str, objective: str) -> None:
    res = classify_sentence(sentence, use_encoder=False)
    assert res and res[0][0] == objective
    res_enc = classify_sentence(sentence)
    assert objective in [o for o, _c, _e in res_enc]


@pytest.mark.parametrize("sentence", [
    "قتل ثلاثة عناصر من الحشد الشعبي في هجوم لداعش بمحافظة ديالى",
    "Two Iraqi soldiers were killed in a roadside bomb attack on Saturday",
    "",
])
def test_reports_without_argument_are_not_motives(sentence: str) -> None:
    assert classify_sentence(sentence, use_encoder=False) == []


def test_motive_keeps_sentence_and_places() -> None:
    text = ("قتل جندي في هجوم. ويستغل داعش الفراغ الأمني في المناطق المتنازع عليها في قضاء خانقين بمحافظة ديالى "
            "لشن هجماته.")
    ms = extract_motives(text, doc_id="d1", use_encoder=False)
    assert ms and ms[0].objective == "disputed_territory"
    assert ms[0].sentence in text and "Khanaqin" in ms[0].places
    rec = ms[0].to_record()
    assert set(rec) == {"kind", "doc_id", "objective", "sentence", "places", "confidence"}
    assert rec["objective"] in OBJECTIVES
