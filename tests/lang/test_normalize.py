"""Arabic and Latin normalisation: real spelling variants from news text must share one key."""

from __future__ import annotations

import pytest

from rasid.lang.normalize import (
    ar_to_skeleton,
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


@pytest.mark.parametrize(("a", "b"), [
    ("الحَوِيجَة", "الحويجه"),            # diacritics, ta marbuta
    ("محافظة نينوى", "محافظه نينوي"),      # ta marbuta, alef maqsura
    ("الأنبار", "الانبار"),                # hamza on alef
    ("إدلب", "ادلب"),
    ("آمرلي", "امرلي"),
    ("جلولاء", "جلولا"),                   # bare hamza
    ("الـرقـة", "الرقة"),                  # tatweel
    ("قضاء المقداديّة", "قضاء المقدادية"),  # shadda
    ("كەرکووک", "كركوك"),                 # Kurdish letters
    ("الحويجة", "حويجة"),                 # article dropped
])
def test_arabic_variants_share_a_key(a: str, b: str) -> None:
    assert normalize_ar(a) == normalize_ar(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Deir ez-Zor", "Deir Ezzor"),
    ("Dayr az-Zawr", "Dayr al Zawr"),
    ("Al-Hasakah", "Hasakeh"),
    ("Ar Raqqah", "Raqqa"),
    ("Tal Afar", "Tall Afar"),
    ("Qa'im", "Qaim"),
    ("Al-Adhamiyah", "Azamiya"),           # dh/z, final -ah
    ("Baqubah", "Baquba"),
    ("Mousul", "Musul"),                   # ou/u
    ("Hadeetha", "Haditha"),               # ee/i
])
def test_latin_variants_share_a_key(a: str, b: str) -> None:
    assert normalize_latin(a) == normalize_latin(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Deir ez-Zor", "Dayr az-Zawr"), ("Mosul", "Mawsil"), ("Erbil", "Irbil"), ("Salahuddin", "Salah ad-Din"),
    ("Tel Afar", "Tal Afar"), ("Kirkuk", "Karkuk"),
])
def test_loose_latin_variants(a: str, b: str) -> None:
    assert loose_key(a) == loose_key(b)


@pytest.mark.parametrize(("arabic", "latin"), [("الصقلاوية", "Saqlawiyah"), ("الحسكة", "Hasakah"), ("واسط", "Wasit")])
def test_cross_script_skeleton(arabic: str, latin: str) -> None:
    assert ar_to_skeleton(normalize_name(arabic)) == loose_key(latin)


@pytest.mark.parametrize(("token", "stem"), [
    ("بكركوك", "كركوك"), ("وكركوك", "كركوك"), ("لمحافظة", "محافظة"), ("والموصل", "الموصل"), ("بالموصل", "موصل"),
    ("للموصل", "موصل"), ("فالرمادي", "رمادي"),
])
def test_prefix_stems(token: str, stem: str) -> None:
    stems = strip_ar_prefixes(token)
    assert stems[0] == token  # the whole token is always tried first ("بغداد" keeps its ب)
    assert stem in stems


def test_prefix_keeps_the_word_first() -> None:
    assert strip_ar_prefixes("بغداد")[0] == "بغداد"
    assert all(len(s) >= 2 for s in strip_ar_prefixes("بلد"))  # never a one-letter stem


@pytest.mark.parametrize(("s", "out"), [("٣٠ كم", "30 كم"), ("۱۲۳", "123"), ("2014", "2014")])
def test_digits(s: str, out: str) -> None:
    assert to_ascii_digits(s) == out


def test_digits_not_collapsed() -> None:
    assert normalize_name("55 km") == "55 km"
    assert normalize_name("١١٠ كلم") == "110 كلم"


@pytest.mark.parametrize(("s", "script"), [("كركوك", "ar"), ("Kirkuk", "latin"), ("😀 123", "none"),
                                           ("Kirkuk كركوك كركوك", "ar"), ("", "none")])
def test_detect_script(s: str, script: str) -> None:
    assert detect_script(s) == script


@pytest.mark.parametrize("s", ["", "   ", "\u200f\u200e", "ًٌٍَُ", "😀😀", "\x00\x01\x02", "x" * 10_000])
def test_bad_input_never_raises(s: str) -> None:
    normalize_name(s)
    loose_key(s)
    tokenize(s)
    strip_control(s)


def test_tokenize_spans() -> None:
    text = "في الحَوِيجَة، شمال-غرب كركوك and Qa'im"
    toks = tokenize(text)
    assert [t for t, _s, _e in toks] == ["في", "الحَوِيجَة", "شمال", "غرب", "كركوك", "and", "Qa'im"]
    for tok, s, e in toks:
        assert text[s:e] == tok
