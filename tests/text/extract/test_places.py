"""Which gazetteer hits are places (rasid.text.extract.places): common words and people's names."""

from __future__ import annotations

from rasid.text import extract_events

from ._corpus import events_of


def test_ambush_is_no_village() -> None:
    # dev m-ar-neg-012 (an attack in Sinai, no event): "في محيط كمين الغاز" is an ambush site, not the
    # Latakia village Kimin; "قرية كمين" with its type word still is
    assert events_of("m-ar-neg-012") == []
    evs = extract_events("قتل جنديان بهجوم مسلح في قرية كمين بريف اللاذقية اليوم", published="2021-06-10")
    assert [e.admin1_en for e in evs] == ["Lattakia"]


def test_a_first_name_after_a_title_is_a_person() -> None:
    # dev en-iq-019: "Army Colonel Walid al-Deleimi told Anadolu" is no place (Walid, Anbar)
    assert all(e.admin2_en != "Al-Rutba" for e in events_of("en-iq-019"))


def test_where_people_were_going_or_were_treated_is_not_the_scene() -> None:
    # train en-sy-h01: six SDF fighters shot dead in Deir ez-Zor "while they were heading to the city of
    # Hasakah" is one act in Deir ez-Zor, not a second one in Hasakah
    assert [e.admin1_en for e in events_of("en-sy-h01")] == ["Deir-ez-Zor", "Deir-ez-Zor"]
    evs = extract_events("قتل عنصران من قسد بهجوم على رتل متجه إلى مدينة الحسكة في ريف دير الزور الشرقي")
    assert [e.admin1_en for e in evs] == ["Deir-ez-Zor"]
    # dev f-ar-iq-008: "توفي أحدهم قبل وصوله إلى مستشفى محافظة السليمانية" — the attack was in Khanaqin
    assert "Al-Sulaymaniyah" not in {e.admin1_en for e in events_of("f-ar-iq-008")}


def test_a_speakers_name_is_no_place() -> None:
    # dev f-ar-iq-006: "وتابع خوشناو" is the governor of Erbil speaking, not the Khoshnaw area (Shaqlawa)
    assert all(e.admin2_en != "Shaqlawa" for e in events_of("f-ar-iq-006"))


def test_sincere_is_no_district() -> None:
    # dev f-ar-iq-014: "تعرب السفارة عن خالص تعازيها" (its sincere condolences) is not al-Khalis
    assert [e.admin1_en for e in events_of("f-ar-iq-014")] == ["Baghdad"]


def test_a_village_named_like_a_district_elsewhere_stays_a_village() -> None:
    # dev f-ar-iq-002: "مختار قرية المحمودية القريبة من بلدة الحويجة" (Kirkuk), later "مختار المحمودية":
    # an unknown village near Hawija both times, never the Baghdad district of Mahmudiya
    evs = events_of("f-ar-iq-002")
    assert evs and {e.admin1_en for e in evs} == {"Kirkuk"}


def test_a_landmark_city_is_no_antecedent_for_the_city() -> None:
    # dev f-ar-iq-004: "في مدينة كركوك شمال بغداد ... فيما قتل أحد قادة الحشد في هجوم جنوب غرب المدينة
    # النفطية": "the oil city" is Kirkuk, not Baghdad named to say where Kirkuk is
    assert {e.admin1_en for e in events_of("f-ar-iq-004")} == {"Kirkuk"}


def test_an_act_between_two_governorates_is_no_event() -> None:
    # dev f-en-neg-a01 (NEWS_GOLD.md: an act placed in no single governorate is not an event)
    assert events_of("f-en-neg-a01") == []
    assert extract_events("قتل خمسة جنود بهجوم لداعش على الحدود بين محافظتي ديالى وصلاح الدين") == []
    # a village named between them places it (one the gazetteer has in either governorate)
    evs = extract_events("قتل خمسة جنود بهجوم لداعش في قرية الطالعة بين ديالى وصلاح الدين")
    assert [(e.killed, e.admin1_en) for e in evs] == [(5, "Salah Al-Din")]
    # a village the gazetteer knows only in Deir ez-Zor is a homonym there, so nothing places the act
    assert extract_events("قتل خمسة جنود بهجوم لداعش في قرية الحاوي بين ديالى وصلاح الدين") == []


def test_a_direction_is_no_place_even_after_a_type_word() -> None:
    # train h-ar-iq-014: "في هجوم على موكب شيعي يوم الأحد في حي بشمال بغداد" is Baghdad, not a village
    # "Shamal" in Sinjar; and "شيعي" (Shiite) is no funeral, so the act is news
    evs = events_of("h-ar-iq-014")
    assert evs and evs[0].admin1_en == "Baghdad" and evs[0].killed == 7


def test_a_dateline_at_the_start_of_a_line_is_where_the_reporter_is() -> None:
    # train h-ar-iq-002: "Baghdad, Iraq – أسفر هجوم شنه مقاتلو داعش على قرية ..." in Makhmour (Erbil)
    assert {e.admin1_en for e in events_of("h-ar-iq-002")} == {"Erbil"}


def test_a_side_is_no_place_and_a_landmark_alone_keeps_the_texts_place() -> None:
    # dev f-en-sy-006: "killed 35 pro-Damascus fighters in the Syrian Desert ... east of Homs province"
    assert "Damascus" not in {e.admin1_en for e in events_of("f-en-sy-006")}
    # dev m-en-iq-024: "a roadside bomb ... about 200 kilometers north of Baghdad" after "Iraq's
    # Salahaddin province declared three days of mourning": the bomb is in Salah al-Din
    assert [e.admin1_en for e in events_of("m-en-iq-024") if e.date and e.date.day == 21] == ["Salah Al-Din"] * 2


def test_a_village_known_only_in_a_governorate_the_text_never_names_is_a_homonym() -> None:
    # train m-en-iq-008: "near the Safra village, which lies about 30km southwest of Kirkuk" is not the
    # Safra of Baghdad; dev ar-sy-006: "بين بلدتي جديد بكارة وجديد عكيدات" in a Deir ez-Zor round-up
    # is not Jadidah of Ain al-Arab
    assert [e.admin1_en for e in events_of("m-en-iq-008")] == ["Kirkuk"]
    assert {e.admin1_en for e in events_of("ar-sy-006")} == {"Deir-ez-Zor"}
    # a village named alone, with nothing else in the text, stays where the gazetteer puts it
    evs = extract_events("قتل جنديان بهجوم مسلح في قرية كمين اليوم", published="2021-06-10")
    assert [e.admin1_en for e in evs] == ["Lattakia"]


def test_a_distance_from_the_capital_does_not_frame_the_villages() -> None:
    # dev ar-iq-h05: "مناطق تابعة لمحافظة كركوك (250 كلم شمال بغداد)" then "قرية العصرية ... جنوب مدينة
    # كركوك": Kirkuk frames the village, the distance from Baghdad does not (an Asriya of Baghdad)
    assert [(e.admin1_en, e.killed) for e in events_of("ar-iq-h05")] == [("Kirkuk", 4)]


def test_a_glued_deir_ez_zor_says_the_text_is_about_syria() -> None:
    # dev f-ar-sy-013: "نهر ميديا – ديرالزور ... ريف مدينة البوكمال الغربي" with the Iraqi PMF nearby:
    # Syria's Abu Kamal, not an Albu Kamal of Anbar
    assert [(e.admin1_en, e.admin2_en) for e in events_of("f-ar-sy-013")] == [("Deir-ez-Zor", "Abu Kamal")]


def test_the_kurdistan_region_places_no_act() -> None:
    # the oil-field table labels the Miran West field "Kurdistan", and the gazetteer took it as its name:
    # an attack "in the Kurdistan Region" was placed at an oil field in Ninewa; the region spans four
    # governorates, so it places no act
    assert extract_events("Two Peshmerga fighters were killed in an ISIS attack in the Kurdistan Region of Iraq.") == []
    assert extract_events("قتل اثنان من البيشمركة بهجوم لداعش في إقليم كردستان العراق") == []
    evs = extract_events("قتل اثنان من البيشمركة بهجوم لداعش في قضاء مخمور بإقليم كردستان")
    assert [e.admin2_en for e in evs] == ["Makhmour"]


def test_a_governorate_named_alone_places_an_act_also_told_between_two() -> None:
    # dev k-en-iq-b09: "a roadside bomb ... in Saladin province" then "a patrol operating between the
    # provinces of Diyala and Salahuddin": the act is in Salah al-Din
    assert [(e.admin1_en, e.killed, e.wounded) for e in events_of("k-en-iq-b09")] == [("Salah Al-Din", 1, 2)]
    # train ar-iq-056: a source in Diyala and a pylon "on the border with Salah al-Din ... between Diyala
    # and Salah al-Din": neither the source's seat nor what the border runs with places it
    assert events_of("ar-iq-056") == []


def test_a_surname_after_an_honorific_is_a_person() -> None:
    # "الحاج قاسم سليماني", "القائد قاسم سليماني": Soleimani, not the governorate of Sulaymaniyah
    evs = extract_events("قتل القائد قاسم سليماني بغارة أمريكية قرب مطار بغداد")
    assert [e.admin1_en for e in evs] == ["Baghdad"]


def test_where_fleeing_families_were_heading_is_not_the_scene() -> None:
    # dev k-ar-iq-a32: a bomb "في طريق العوائل الهاربة باتجاه قضاء مخمور جنوب شرق الموصل" is south-east of
    # Mosul (Ninewa), not in Makhmour: the 21 killed are one act, not a second one in Erbil
    evs = [e for e in events_of("k-ar-iq-a32") if e.killed == 21]
    assert [e.admin1_en for e in evs] == ["Ninewa"]


def test_a_common_word_read_with_a_clitic_is_no_place() -> None:
    # train h-ar-iq-027: "فرقة المشاة الحادية والعشرين" (the 21st infantry division) is ف + رقة only by
    # accident: no event in Raqqa
    assert all(e.admin1_en != "Ar-Raqqa" for e in events_of("h-ar-iq-027"))
    evs = extract_events("قتل جنديان من الفرقة الرابعة في هجوم لداعش على قرية البو حمدان في قضاء بيجي.")
    assert {e.admin1_en for e in evs} == {"Salah Al-Din"}
    assert extract_events("قتل ثلاثة أشخاص بانفجار عبوة ناسفة في كابل.") == []
