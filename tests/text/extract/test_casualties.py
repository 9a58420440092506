"""Casualty chains (rasid.text.extract.casualties): counts that are not victims, counts that join a
chain, singular subjects of a passive verb; each rule on a train/dev passage and a short sentence."""

from __future__ import annotations

from rasid.lang.fold import fold
from rasid.text import extract_events
from rasid.text.extract.casualties import chains

from ._corpus import events_of, passage


def _chains(text: str) -> list[tuple[str, int | None]]:
    return [(ch.role, ch.total) for ch in chains(fold(text).text, 0)]


def test_one_after_a_noun_is_an_adjective_not_one_more_victim() -> None:
    # "من عائلة واحدة" is "of one family": seven, not eight (dev m-ar-iq-026, train ar-sy-h16)
    assert _chains("وقتلوا سبعة أشخاص من عائلة واحدة") == [("killed", 7)]
    assert _chains("قتل جندي واحد") == [("killed", 1)]  # a casualty noun: "one soldier" is a count
    assert [e.killed for e in events_of("m-ar-iq-026")] == [7]
    assert [e.killed for e in events_of("ar-sy-h16")] == [5]


def test_one_of_them_and_a_coordinated_count_after_a_unit_word() -> None:
    # "ضابطان ... أحدهما قائد فرقة وعشرة جنود آخرين": 2 + 10, the commander is one of the two and
    # "فرقة وعشرة" is no unit number (dev m-ar-iq-020, gold 12 killed)
    text = "قتل ضابطان عراقيان كبيران أحدهما قائد فرقة وعشرة جنود آخرين خلال معارك"
    assert _chains(text) == [("killed", 12)]
    assert _chains("قتل 3 من عناصر الفرقة 10") == [("killed", 3)]  # "الفرقة 10" stays a unit
    assert [e.killed for e in events_of("m-ar-iq-020")] == [passage("m-ar-iq-020").gold_events[0]["killed"]]


def test_the_doers_are_not_victims() -> None:
    # "من قبل شخصين ملثمين", "على يد عنصر", "by two gunmen" name who killed, not who died (dev m-ar-sy-007)
    assert _chains("قتل قيادي إثر إطلاق النار عليه من قبل شخصين ملثمين") == [("killed", 1)]
    assert _chains("one policeman was killed by two gunmen") == [("killed", 1)]


def test_singular_subject_of_a_passive_verb_is_one() -> None:
    # "أن قيادياً في قوات قسد قتل إثر ...": one killed; "أن مسلحاً قتل مدنيين" has an object: not the subject
    assert _chains("وقال مراسل إن قيادياً في قوات قسد قتل إثر إطلاق النار عليه") == [("killed", 1)]
    assert ("killed", 1) not in _chains("وقال المصدر إن مسلحاً قتل 3 مدنيين")


def test_a_date_is_not_a_count() -> None:
    # "Also on Oct. 12, a Turkish drone strike has killed two people" (train m-en-sy-015): 2, not 12 or 14
    evs = events_of("m-en-sy-015")
    assert sorted(e.killed for e in evs if e.killed) == [2]


def test_including_one_person_is_part_of_the_count() -> None:
    # train m-en-iq-021: "At least 12 people, including a member of a Kurdish force, were killed": 12, not 1
    assert _chains("at least 12 people, including a member of a kurdish force, were killed") == [("killed", 12)]
    assert events_of("m-en-iq-021")[0].killed == 12


def test_attackers_behind_a_quote() -> None:
    # train m-en-iq-007: 'said one “terrorist was killed and another wounded”': an attacker, not a victim
    assert ("attackers", 1) in _chains("the spokesman said one “terrorist was killed and another wounded”")


def test_a_count_before_killed_and_wounded_takes_the_first_verb() -> None:
    # dev m-ar-iq-034: "إن شخصا على الأقل قتل وأصيب ثمانية": 1 killed and 8 wounded, not 8 together
    assert _chains("قالت مصادر أمنية إن شخصا على الأقل قتل وأصيب ثمانية في انفجار") == [("killed", 1), ("wounded", 8)]
    assert _chains("قتل وأصيب 25 شخصا في انفجار") == [("combined", 25)]  # no count before: together
    assert _chains("سقط 5 قتلى وجرحى") == [("combined", 5)]
    ev = events_of("m-ar-iq-034")[0]
    assert (ev.killed, ev.wounded) == (1, 8)


def test_another_soldier_was_killed_is_one() -> None:
    # dev en-iq-019: "another soldier was killed and six others injured": 1 killed, 6 wounded
    text = "in a separate incident the same day, another soldier was killed and six others injured"
    assert _chains(text) == [("killed", 1), ("wounded", 6)]


def test_a_trigger_of_several_words() -> None:
    # "were shot dead" (train m-en-sy-002): the trigger ends on "dead"
    assert _chains("two members of sdf were shot dead by gunmen") == [("killed", 2)]
    assert _chains("لقي ثلاثة جنود مصرعهم") == [("killed", 3)]


def test_a_wounded_attacker_is_no_zero_toll() -> None:
    # train m-ar-sy-022: "وإصابة أحد المهاجمين بجراح" wounds an attacker: no "0 wounded"; the civilian
    # wounded in the next sentence is the figure
    assert _chains("ما أدى إلى مقتل عنصرين من الأسايش، وإصابة أحد المهاجمين بجراح") == [("killed", 2)]
    ev = events_of("m-ar-sy-022")[0]
    assert (ev.killed, ev.wounded) == (2, 1)


def test_without_sustaining_any_injuries_is_an_explicit_zero() -> None:
    # train m-en-iq-001: "thwarted the attack without sustaining any injuries or losses": 0 and 0
    ev = events_of("m-en-iq-001")[0]
    assert (ev.killed, ev.wounded) == (0, 0)


def test_plural_verb_roles_a_count_several_words_before_it() -> None:
    # dev m-ar-sy-023: "4 عناصر من “الدفاع الوطني” الموالي للقوات الحكومية السورية قتلوا بكمين"
    assert _chains("أن 4 عناصر من “الدفاع الوطني” الموالي للقوات الحكومية السورية قتلوا بكمين") == [("killed", 4)]
    assert (4, "regime") in {(e.killed, e.target) for e in events_of("m-ar-sy-023")}


def test_met_their_death_roles_the_count_after_the_verb() -> None:
    # dev f-ar-sy-002: "لقي 13 شخصا، منهم 11 عسكريا ... ومدنيين اثنين، مصرعهم" is 13 dead, not the 2
    assert _chains("لقي 13 شخصا، منهم 11 عسكريا تابعا للنظام السوري، ومدنيين اثنين، مصرعهم") == [("killed", 13)]
    assert [e.killed for e in events_of("f-ar-sy-002") if not e.background] == [13]


def test_a_toll_that_rises_to_a_figure_is_the_dead() -> None:
    # dev f-ar-sy-009: 8 died at once, "قبل أن تزداد حصيلة الضحايا ... لتصل إلى 17"
    assert ("killed", 17) in _chains("قبل أن تزداد حصيلة الضحايا تباعا نتيجة شدة الإصابات لتصل إلى 17")
    assert [e.killed for e in events_of("f-ar-sy-009")] == [17]


def test_beheading_is_a_killing() -> None:
    # dev m-ar-sy-011: "أقدم عناصر من داعش على قطع رأس شاب" on Wednesday 11 November is an execution of
    # its own, apart from Saturday's assassination
    evs = events_of("m-ar-sy-011")
    assert [(e.event_type, e.killed) for e in evs] == [("assassination", 1), ("execution", 1)]


def test_an_islamic_state_execution_is_a_killing_not_a_trial() -> None:
    # dev k-ar-iq-a05: "داعش يعدم ثمانية مدنيين وسط الموصل بتهمة التخابر" and "ما يسمى بالمحكمة الشرعية":
    # the charge and the "court" are the Islamic State's; the eight executed are killed
    assert [(e.killed, e.event_type, e.admin2_en) for e in events_of("k-ar-iq-a05") if not e.background] == \
        [(8, "execution", "Al-Mosul")]
    evs = extract_events("أعدم تنظيم داعش 12 مدنيا بتهمة التعاون مع القوات الأمنية في قضاء الحويجة.")
    assert [(e.killed, e.event_type) for e in evs] == [(12, "execution")]
    # a court's death sentence on IS members is a trial: no event
    assert extract_events("حكمت محكمة الجنايات المركزية بالإعدام على خمسة من عناصر داعش أعدموا مدنيين في "
                          "الموصل عام 2015.") == []


def test_a_rank_before_a_name_counts_one_person() -> None:
    # dev k-ar-iq-a01: "قتل النقيب مشعان حزماوي وثمانية أشخاص آخرون" is nine killed; a rank inside a count
    # ("بينهم نقيب") or before a speaker's name ("وقال العقيد محمد خليل") adds no one
    assert [e.killed for e in extract_events("قتل النقيب مشعان حزماوي وثمانية أشخاص آخرون بهجوم على منزله قرب الفلوجة.")] == [9]
    assert [e.killed for e in extract_events("قتل خمسة جنود بينهم نقيب بهجوم لداعش في قضاء الحويجة.")] == [5]
    assert [e.killed for e in extract_events("وقال العقيد محمد خليل إن ثلاثة جنود قتلوا بهجوم لداعش في قضاء الحويجة.")] == [3]
