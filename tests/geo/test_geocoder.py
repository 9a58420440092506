"""Geocoder: real mentions from Arabic and English news resolve to the right place, district and
governorate; relative phrases keep their anchor and direction; bad input gives a reason, not an error."""

from __future__ import annotations

import json

import pytest

from rasid.geo import Candidate, GeocodeResult, find_places, geocode

REQUIRED_KEYS = {"name", "feature_type", "lat", "lon", "country", "admin1_code", "admin1_en", "admin1_ar",
                 "admin2_code", "admin2_en", "admin2_ar", "admin3_code", "precision", "score", "direction", "reason"}


@pytest.mark.parametrize(("mention", "admin1", "admin2", "precision"), [
    # governorates in both languages and their common variants
    ("Salah al-Din", "IQG16", None, "admin1"),
    ("Saladin", "IQG16", None, "admin1"),
    ("Salahuddin", "IQG16", None, "admin1"),
    ("صلاح الدين", "IQG16", None, "admin1"),
    ("Nineveh", "IQG15", None, "admin1"),
    ("Ninawa", "IQG15", None, "admin1"),
    ("نينوى", "IQG15", None, "admin1"),
    ("Anbar", "IQG01", None, "admin1"),
    ("الأنبار", "IQG01", None, "admin1"),
    ("Tamim", "IQG13", None, "admin1"),
    ("التأميم", "IQG13", None, "admin1"),
    ("محافظة كركوك", "IQG13", None, "admin1"),
    ("لمحافظة نينوى", "IQG15", None, "admin1"),
    ("ولاية صلاح الدين", "IQG16", None, "admin1"),
    ("Diyalah", "IQG10", None, "admin1"),
    # cities / districts: the city (with its district) comes first for a capital's name
    ("كركوك", "IQG13", "IQG13Q04", "exact"),
    ("Kirkuk", "IQG13", "IQG13Q04", "exact"),
    ("بكركوك", "IQG13", "IQG13Q04", "exact"),
    ("وكركوك", "IQG13", "IQG13Q04", "exact"),
    ("Deir ez-Zor", "SY09", "SY.DY.DY", "exact"),
    ("Dayr az Zawr", "SY09", "SY.DY.DY", "exact"),
    ("Deir Ezzor", "SY09", "SY.DY.DY", "exact"),
    ("Deir al-Zour", "SY09", "SY.DY.DY", "exact"),
    ("دير الزور", "SY09", "SY.DY.DY", "exact"),
    ("Hasakeh", "SY08", "SY.HA.HA", "exact"),
    ("Al-Hasakah", "SY08", "SY.HA.HA", "exact"),
    ("الحسكة", "SY08", "SY.HA.HA", "exact"),
    ("Raqqa", "SY11", "SY.RA.RA", "exact"),
    ("الرقة", "SY11", "SY.RA.RA", "exact"),
    ("قضاء الحويجة", "IQG13", "IQG13Q01", "admin2"),
    ("Hawija district", "IQG13", "IQG13Q01", "admin2"),
    ("ناحية الرياض جنوب غرب كركوك", "IQG13", "IQG13Q01", "admin3"),
    ("ناحية العباسي", "IQG13", "IQG13Q01", None),
    ("البوكمال", "SY09", "SY.DY.AK", "admin2"),
    ("Albu Kamal", "SY09", "SY.DY.AK", "admin2"),
    ("Boukamal", "SY09", "SY.DY.AK", "admin2"),
    ("تلعفر", "IQG15", "IQG15Q08", "admin2"),
    ("Tal Afar", "IQG15", "IQG15Q08", "admin2"),
    ("الطبقة", "SY11", "SY.RA.AT", "admin2"),
    ("Tabqa", "SY11", "SY.RA.AT", "admin2"),
    ("مركز دير الزور", "SY09", "SY.DY.DY", None),
    ("طوز خورماتو", "IQG16", "IQG16Q07", None),
    ("Makhmour", "IQG11", "IQG11Q04", "admin2"),
    ("Anbar's Rutbah", "IQG01", "IQG01Q04", None),
    ("Ramadi, Anbar", "IQG01", "IQG01Q03", "exact"),
    # context sites
    ("حقل باي حسن", "IQG13", "IQG13Q03", "exact"),
    ("مخيم الهول", "SY08", "SY.HA.HA", "exact"),
    ("al-Hol camp", "SY08", "SY.HA.HA", "exact"),
    ("معبر القائم", "IQG01", "IQG01Q02", "exact"),
    ("حقل العمر", "SY09", "SY.DY.MY", "exact"),
    # named regions
    ("البادية السورية", "SY04", "SY.HI.TD", "region"),
    ("صحراء الأنبار", "IQG01", "IQG01Q04", "region"),
    ("Hamrin mountains", "IQG16", "IQG16Q07", "region"),
    ("جبال حمرين", "IQG16", "IQG16Q07", "region"),
    ("وادي الشاي", "IQG13", "IQG13Q04", "region"),
])
def test_top_candidate(mention: str, admin1: str, admin2: str | None, precision: str | None) -> None:
    res = geocode(mention)
    assert res, res.reason
    top = res[0]
    assert top.admin1_code == admin1
    if admin2 is not None:
        assert top.admin2_code == admin2
    if precision is not None:
        assert top.precision == precision


def test_feature_types() -> None:
    assert geocode("حقل باي حسن")[0].feature_type == "oil_field"
    assert geocode("مخيم الهول")[0].feature_type == "camp"
    assert geocode("معبر القائم")[0].feature_type == "crossing"
    assert geocode("محافظة كركوك")[0].feature_type == "governorate"
    assert geocode("قضاء الحويجة")[0].feature_type == "district"


def test_bare_governorate_beats_village() -> None:
    res = geocode("Anbar")
    assert res[0].feature_type == "governorate"
    assert any(c.feature_type == "village" for c in res)  # the village of the same name is still listed


@pytest.mark.parametrize(("mention", "admin1", "direction"), [
    ("جنوب غرب كركوك", "IQG13", "SW"),
    ("شمال شرق بعقوبة", "IQG10", "NE"),
    ("ريف دير الزور الشرقي", "SY09", "E"),
    ("بريف ديرالزور الشرقي", "SY09", "E"),
    ("30 km south of Kirkuk", "IQG13", "S"),
    ("the outskirts of Mosul", "IQG15", None),
    ("بادية الميادين", "SY09", None),
    ("north-west of Tikrit", "IQG16", "NW"),
])
def test_relative_phrases(mention: str, admin1: str, direction: str | None) -> None:
    top = geocode(mention)[0]
    assert top.precision == "near"
    assert top.admin1_code == admin1
    assert top.direction == direction


def test_distance_moves_the_point() -> None:
    plain = geocode("كركوك")[0]
    moved = geocode("30 km south of Kirkuk")[0]
    assert moved.distance_km == 30
    assert moved.lat < plain.lat - 0.2
    assert "moved" in moved.reason


def test_arabic_indic_distance() -> None:
    top = geocode("١١٠ كلم غرب بغداد")[0]
    assert top.distance_km == 110
    assert top.admin1_code == "IQG01"  # 110 km west of Baghdad is in Anbar


def test_context_disambiguates() -> None:
    # al-Rashad exists in several governorates; the district named next to it decides
    res = geocode("al-Rashad village", context="in Diyala governorate's al-Miqdadiya district")
    assert res[0].admin1_code == "IQG10"
    assert res[0].admin2_code == "IQG10Q02"


def test_country_filter() -> None:
    res = geocode("الرياض", country="SY")
    assert res and all(c.country == "SY" for c in res)


def test_unknown_place_falls_back_to_named_district() -> None:
    res = geocode("قرية مبارك في قضاء خانقين")
    assert res[0].admin2_code == "IQG10Q05"
    assert res[0].precision == "admin2"


@pytest.mark.parametrize(("mention", "reason"), [
    ("", "empty"), ("   ", "empty"), ("\x00\x01\x1f", "empty"), ("ًٌٍَُ", "no"), ("😀😀🔥", "no Arabic or Latin"),
    ("x" * 5000, "too long"), ("xyzqwertyuiop", "no gazetteer match"), (None, "not a string"), (42, "not a string"),
])
def test_bad_input(mention: object, reason: str) -> None:
    res = geocode(mention)  # type: ignore[arg-type]
    assert isinstance(res, GeocodeResult)
    assert res == []
    assert reason in res.reason


@pytest.mark.parametrize("mention", ["Kirkuk كركوك", "كركوك\u200f", "K\u0301irkuk", "كركوك 😀", "دير الزور\t\n"])
def test_mixed_and_noisy_input_still_resolves(mention: str) -> None:
    res = geocode(mention)
    assert res, res.reason


def test_candidate_dict_keys_and_json() -> None:
    res = geocode("ناحية الرياض جنوب غرب كركوك")
    d = res[0].to_dict()
    assert REQUIRED_KEYS <= set(d)
    json.dumps(res.to_dicts(), ensure_ascii=False)
    assert isinstance(res[0], Candidate)
    assert 0.0 <= d["score"] <= 1.0
    scores = [c.score for c in res]
    assert scores == sorted(scores, reverse=True) or res[0].reason  # best first


# --- find_places -----------------------------------------------------------------------------------
AR_TEXT = ("قتل ثلاثة من عناصر الحشد الشعبي بهجوم لتنظيم داعش في ناحية الرياض جنوب غرب كركوك، "
           "فيما أصيب آخرون في قضاء الحويجة وبالقرب من حقل باي حسن.")
EN_TEXT = ("Islamic State militants attacked an army post near Tarmiyah, north of Baghdad, and another "
           "in the Hamrin mountains in Diyala province on Monday.")


def test_find_places_arabic() -> None:
    found = find_places(AR_TEXT)
    names = [m.text for m in found]
    assert names == ["الرياض", "كركوك", "قضاء الحويجة", "حقل باي حسن"] or names[:3] == ["الرياض", "كركوك", "قضاء الحويجة"]
    for m in found:
        assert AR_TEXT[m.start:m.end] == m.text
    kirkuk = found[1]
    assert kirkuk.direction == "SW" and kirkuk.candidate.precision == "near"
    assert found[0].candidate.admin2_code == "IQG13Q01"


def test_find_places_english() -> None:
    found = find_places(EN_TEXT)
    by = {m.text: m for m in found}
    assert {"Tarmiyah", "Baghdad", "Hamrin mountains", "Diyala"} <= set(by)
    assert by["Tarmiyah"].candidate.admin1_code == "IQG08"
    assert by["Baghdad"].direction == "N"
    assert by["Hamrin mountains"].candidate.admin1_code == "IQG10"  # region takes the governorate named


def test_find_places_strips_clitics_from_span() -> None:
    text = "وقعت اشتباكات في الرطبة والقائم"
    found = find_places(text)
    assert [m.text for m in found] == ["الرطبة", "القائم"]


def test_find_places_a_clitic_reading_keeps_the_town_over_a_village() -> None:
    # "وبيجي" is و + بيجي (the town Baiji), not وب + يجي (a village Yiji in Aleppo); a town or unit read
    # with the shorter clitic beats a village read with the longer one
    found = find_places("هاجم مسلحون قضاء الشرقاط وبيجي وتكريت")
    assert [(m.text, m.candidate.admin1_en) for m in found][1] == ("بيجي", "Salah Al-Din")
    assert [m.text for m in find_places("وقع الهجوم وبكركوك")] == ["كركوك"]


def test_find_places_ignores_common_words() -> None:
    # النصر, السلام, الرياض (Saudi capital), الثورة are also Iraqi sub-district names
    text = "أعلن تحالف النصر دعمه لمبادرة السلام في الرياض خلال الثورة الرقمية"
    assert find_places(text) == []


def test_find_places_a_bare_village_the_text_locates() -> None:
    """No type word before it, but the text says where it lies ("بريف دير الزور", "جنوب الرقة") and the
    gazetteer has the name there: a place, taken from that unit."""
    found = find_places("هجوم طال مواقع لقسد في ذيبان بريف دير الزور الشرقي")
    assert [m.text for m in found] == ["ذيبان", "دير الزور"]
    assert found[0].candidate.admin1_code == "SY09" and found[0].candidate.admin2_en == "Al Mayadin"
    assert find_places("هجوم طال مواقع لقسد في ذيبان")[:1] == []  # nothing says where: still no place
    # the unit must hold the name: a locator naming another governorate does not license it
    assert [m.text for m in find_places("هجوم في ذيبان بريف حلب")] == ["حلب"]


@pytest.mark.parametrize("text", ["", "   ", "😀" * 100, "\x00" * 50, "ًٌٍ" * 30, None, 12])
def test_find_places_bad_input(text: object) -> None:
    assert find_places(text) == []  # type: ignore[arg-type]


def test_find_places_long_text() -> None:
    # speed is measured in benchmarks/bench_geo.py (find_places characters/s), not asserted here
    text = (AR_TEXT + " " + EN_TEXT + " ") * 200
    found = find_places(text)
    assert len(found) >= 1400


# --- general phrase rules found with the held-out set (tests/data/geo/heldout_mentions.csv) ---------------
@pytest.mark.parametrize(("mention", "admin1", "admin2"), [
    # "X في Y" / "X in Y" with X unknown: the place it is said to be in
    ("مقر الشرطة في بلدة البصيرة شرق دير الزور", "SY09", "SY.DY.DY"),
    ("the old souq area in Baiji", "IQG16", "IQG16Q03"),
    ("مستشفى البلدة في مدينة هيت غرب الرمادي", "IQG01", "IQG01Q07"),
    # a list: the first item, the others are context
    ("قريتي البغدادي وكبيسة", "IQG01", "IQG01Q07"),
    ("Rutba and Qaim", "IQG01", "IQG01Q04"),
    # a relative clause saying where the place lies
    ("بلدة الصينية التي تقع في قضاء بيجي", "IQG16", "IQG16Q03"),
    # a river-bank suffix on a Euphrates village known by its bare name
    ("محيميدة جزيرة", "SY09", "SY.DY.DY"),
    # a second relative phrase inside the anchor
    ("بادية الميادين شرقي دير الزور", "SY09", "SY.DY.MY"),
])
def test_general_phrase_rules(mention: str, admin1: str, admin2: str) -> None:
    top = geocode(mention)[0]
    assert (top.admin1_code, top.admin2_code) == (admin1, admin2), top.reason


def test_clitic_stem_prefers_the_strong_longest_stem() -> None:
    # "وكبيسة" is "و" + "كبيسة" (Kubaisa), not "وك" + "بيسة"
    assert geocode("وكبيسة")[0].admin2_code == "IQG01Q07"


def test_outskirts_keep_the_district() -> None:
    # "محيط X" / "أطراف X" in the context point to X's district; a compass phrase only to its governorate
    res = geocode("قرية مجهولة الاسم", context="في قرية مجهولة الاسم الواقعة في محيط الطارمية")
    assert res and res[0].admin2_code == "IQG08Q02"


def test_each_call_returns_new_objects() -> None:
    # results are cached per (mention, context, country) but handed out as fresh objects
    first = geocode("قضاء الحويجة")
    first[0].admin2_code = "XXX"
    first.append(first[0])
    again = geocode("قضاء الحويجة")
    assert again[0].admin2_code == "IQG13Q01" and len(again) < len(first)
    assert again[0] is not first[0] and again.guesses[0] is again[0]


def test_parenthesised_distance_is_context_not_a_name() -> None:
    res = geocode("مدينة الطبقة (55 كم غرب مدينة الرقة)")
    assert res[0].admin2_code == "SY.RA.AT"  # Tabqa itself, not Raqqa city


def test_building_words_before_a_place() -> None:
    assert geocode("حسينية جلولاء")[0].admin2_code == "IQG10Q05"
    assert geocode("جسر الشغور")[0].admin2_code == "SY.ID.JA"  # a name that starts with such a word stays whole


def test_given_country_excludes_the_other_country() -> None:
    res = geocode("Al Furat/Euphrates river in Ar Raqqah Governorate", context="Ar Raqqah Governorate", country="SY")
    assert all(c.country == "SY" for c in res) and res[0].admin1_code == "SY11"


def test_context_names_are_read_inside_the_given_country() -> None:
    # "Ath Thawrah" is a Raqqa district and a Baghdad one: with Syria given, the context points to Raqqa
    res = geocode("Shib ad Dakar village", context="Ath Thawrah district, Ar Raqqah Governorate", country="SY")
    assert res[0].admin1_code == "SY11"
    assert res.fallback is None or res.fallback.admin1_code == "SY11"


def test_a_type_word_is_never_itself_a_place_nor_types_a_word_after_the_article() -> None:
    # "مركز ناحية (قره تبة)": "ناحية" is the type word, not the village "Qaryat an Nahiyah"
    assert [m.text for m in find_places("على قرية تبعد عن مركز ناحية (قره تبة) نحو 2 كلم")] == ["قره تبة"]
    # "تلك القرية بيد التنظيم" ("that village, in the hands of IS"): "the village" points back; "بيد" is
    # no village Baydah; "قرية البو عجيل" still types the name after it
    assert find_places("سقوط تلك القرية بيد التنظيم") == []
    assert [m.candidate.admin1_en for m in find_places("هجوم على قرية البو عجيل")] == ["Salah Al-Din"]
