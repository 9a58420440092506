"""Numbers: digits, Arabic number words in every gender and case, qualifiers, vague quantities."""

from __future__ import annotations

import pytest

from rasid.text.numbers import find_quantities, parse_number


@pytest.mark.parametrize(("text", "expected"), [
    ("13", 13), ("١٣", 13), ("۱۳", 13), ("13,000", 13000),
    ("واحد", 1), ("إحدى", 1), ("اثنان", 2), ("اثنين", 2), ("اثنتان", 2),
    ("ثلاثة", 3), ("ثلاث", 3), ("ثمانية", 8), ("ثماني", 8), ("عشرة", 10), ("عشر", 10),
    ("أحد عشر", 11), ("إحدى عشرة", 11), ("اثنا عشر", 12), ("اثني عشر", 12), ("اثنتا عشرة", 12),
    ("ثلاثة عشر", 13), ("ثلاث عشرة", 13), ("تسعة عشر", 19),
    ("عشرون", 20), ("عشرين", 20), ("خمسة وعشرون", 25), ("خمسة وعشرين", 25), ("خمس وأربعين", 45),
    ("مئة", 100), ("مائة", 100), ("مئتان", 200), ("مائتين", 200), ("ثلاثمائة", 300), ("ثلاث مئة", 300),
    ("مئة وخمسون", 150), ("ألف", 1000), ("ثلاثة آلاف", 3000),
    ("thirteen", 13), ("twenty-five", 25), ("twenty five", 25), ("one hundred", 100),
    ("", None), ("قتلى", None), ("dozens", None),
])
def test_parse_number(text: str, expected: int | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "value", "qualifier", "vague"), [
    ("مقتل 13 شرطياً", 13, None, False),
    ("مقتل ١٣ شرطياً", 13, None, False),
    ("قتل 26 عنصرًا على الأقل", 26, "at_least", False),
    ("مقتل نحو 15 عنصراً", 15, "about", False),
    ("أكثر من 44 قتيلا", 44, "more_than", False),
    ("ما يزيد عن 31 شخصًا", 31, "more_than", False),
    ("killing at least six police officers", 6, "at_least", False),
    ("مقتل وإصابة العشرات", None, None, True),
    ("dozens were wounded", None, None, True),
    ("several soldiers", None, None, True),
])
def test_find_quantities(text: str, value: int | None, qualifier: str | None, vague: bool) -> None:
    q = find_quantities(text)[0]
    assert (q.value, q.qualifier, q.vague) == (value, qualifier, vague)
    assert text[q.start:q.end] == q.text


def test_vague_keeps_text_and_lower_bound() -> None:
    q = find_quantities("أسفر عن سقوط العشرات من القتلى")[0]
    assert q.value is None and q.low == 20 and q.text == "العشرات"


def test_times_are_not_counts() -> None:
    assert find_quantities("انفجرت عند الساعة 07,55 (04,55 تغ)") == []


def test_definite_number_after_its_noun() -> None:
    # "عناصر قوات النظام الخمسة": a definite number agreeing with a definite noun; weekdays are not numbers
    assert [q.value for q in find_quantities("قتل عناصر قوات النظام الخمسة جميعهم")] == [5]
    assert find_quantities("يوم الخميس الماضي") == []
    assert find_quantities("اليوم الاثنين") == []
    assert find_quantities("خلال الأيام الثلاثة الماضية") == []
