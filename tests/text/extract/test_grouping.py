"""Grouping clauses into events (rasid.text.extract.grouping): a toll summed over several separate
acts is no event of its own but lends its day and place to the acts told after it; two small tolls
at two spots after such a sum are two acts; a separation cue alone on its line separates."""

from __future__ import annotations

import datetime as dt

from rasid.text import extract_events

from ._corpus import events_of


def test_total_of_separate_attacks_is_not_an_event_figure() -> None:
    # dev m-ar-iq-037: "21 شخصا على الأقل قتلوا ... في أنحاء مختلفة من العراق الأحد" sums the day's
    # attacks; the checkpoint bombing near al-Nukhayb killed 7 and takes the day (Sunday 26 April)
    evs = events_of("m-ar-iq-037")
    assert [(e.killed, e.date) for e in evs] == [(7, dt.date(2015, 4, 26))]


def test_two_separate_attacks_stay_two_events() -> None:
    # dev en-iq-019: "Three soldiers were killed ... in two separate attacks in Anbar" then each one
    evs = events_of("en-iq-019")
    assert [(e.admin2_en, e.killed, e.wounded) for e in evs][0] == ("Al-Falluja", 2, 2)
    assert len(evs) == 2 and all(e.killed != 3 for e in evs)
    assert all(e.admin2_en != "Al-Rutba" for e in evs)  # "Army Colonel Walid al-Deleimi" is a person


def test_two_incidents_after_their_sum_are_two_events() -> None:
    # dev m-ar-sy-007: "قتل شخصان في حادثين منفصلين" then one killing in al-Busayra, one in al-Shuhayl
    evs = events_of("m-ar-sy-007")
    killings = [e for e in evs if e.killed]
    assert [e.killed for e in killings] == [1, 1]
    assert all(e.killed != 2 for e in evs)


def test_sum_lends_its_day_to_the_parts() -> None:
    text = ("قتل ثلاثة أشخاص في هجومين منفصلين في محافظة كركوك أمس الاثنين. "
            "وقال مصدر إن مسلحين قتلوا شخصين في قرية البشير. "
            "وفي هجوم آخر قتل مدني في ناحية الرياض.")
    evs = extract_events(text, published="2021-06-08")
    assert sorted(e.killed for e in evs) == [1, 2]
    assert all(e.date == dt.date(2021, 6, 7) for e in evs)


def test_later_act_at_the_scene_and_the_claim_of_an_act_told_before() -> None:
    # dev m-ar-iq-022: police "وصلت إلى مكان الحادث" in Kirkuk and were ambushed (3 killed, in Kirkuk, not
    # in Diyala named after it); "وأعلن داعش مسؤوليته عن الهجوم على كركوك ... وادعى أنه قتل خمسة" is the
    # claim of the Kirkuk attack, no fourth event
    evs = events_of("m-ar-iq-022")
    assert [(e.admin1_en, e.killed) for e in evs] == [("Kirkuk", 6), ("Kirkuk", 3), ("Diyala", 6)]
    assert evs[1].event_type == "ambush"


def test_entries_of_a_dated_list_are_separate_acts() -> None:
    # train m-en-sy-004: "• March 24: ... • March 26: ..." in one governorate: one event per entry
    evs = events_of("m-en-sy-004")
    assert [(e.admin1_en, e.wounded, e.killed) for e in evs][:3] == [
        ("Al-Hasakeh", 3, None), ("Deir-ez-Zor", 2, None), ("Deir-ez-Zor", None, 1)]


def test_counted_attacks_with_their_toll_are_statistics() -> None:
    # train m-en-sy-002: "• Al-Hasakah: Two attacks left two combatants dead." is a regional statistic;
    # the one act told is the killing of two SDF members in Abu Hardoob
    evs = events_of("m-en-sy-002")
    assert (evs[0].admin1_en, evs[0].killed) == ("Deir-ez-Zor", 2)
    assert not [e for e in evs if e.admin1_en in ("Al-Hasakeh", "Ar-Raqqa")]  # "Two attacks left two ... dead"
    assert len(evs) <= 2  # ("One attack left one ISIS member dead" in Aleppo is still taken for an act)


def test_an_earlier_report_of_an_act_on_another_side_is_another_act() -> None:
    # dev m-ar-sy-023: after an attack on the SDF, "وكان المرصد ذكر أمس الاثنين أن 4 عناصر من الدفاع
    # الوطني قتلوا بكمين" is a second (background) act, not an earlier report of the first
    evs = events_of("m-ar-sy-023")
    assert [(e.target, e.killed, e.background) for e in evs if e.admin1_en == "Deir-ez-Zor"] == \
        [("sdf", 1, False), ("regime", 4, True)]


def test_acts_of_a_series_on_other_targets_stay_apart() -> None:
    # dev ar-iq-020: "شن ... سلسلة هجمات بمناطق متفرقة": a kidnapping, a power line and a checkpoint
    assert [e.target for e in events_of("ar-iq-020")] == ["civilians", "infrastructure", "security"]


def test_a_report_listing_acts_in_attacks_is_a_sum() -> None:
    # dev f-ar-iq-005: "مقتل خمسة عسكريين وثلاثة مدنيين ... بهجمات لتنظيم داعش" sums the acts that follow:
    # no event has the 8
    evs = events_of("f-ar-iq-005")
    assert len(evs) >= 2 and all(e.killed != 8 for e in evs)


def test_a_year_or_a_week_alone_dates_no_act() -> None:
    # dev m-en-iq-005: "Last week, Islamic State remnants launched an attack ..." is background with
    # no day; dev m-en-ana-001 "since the collapse ... in 2019" does not date the January attack to 2019
    bg = [e for e in events_of("m-en-iq-005") if e.background]
    assert bg and bg[0].date is None
    assert all(e.date is None or e.date.year == 2022 for e in events_of("m-en-ana-001"))


def test_a_timeline_month_in_a_later_sentence_does_not_date_the_act() -> None:
    # dev k-en-iq-a08: four soldiers killed in Tarmiya (no day given); "the group was declared defeated
    # ... in December 2017" is the timeline of the war, not the month of the act
    assert [(e.date, e.killed) for e in events_of("k-en-iq-a08")] == [(None, 4)]
    # a month told of the act itself still dates it
    evs = extract_events("Four Iraqi soldiers were killed in an ISIS attack in Tarmiya. The attack took place in "
                         "December 2017, police said.")
    assert [(str(e.date), e.date_precision) for e in evs] == [("2017-12-01", "month")]


def test_a_dated_sum_of_incidents_lends_its_day_to_them() -> None:
    # dev k-en-iq-a29: "militants Friday kidnapped a total of eight civilians in two incidents" is the
    # day's sum (not statistics): the Rawa and the Haditha kidnappings that follow are both on that Friday
    evs = [e for e in events_of("k-en-iq-a29") if not e.background]
    assert [(str(e.date), e.admin2_en) for e in evs] == [("2019-02-15", "Ana"), ("2019-02-15", "Haditha")]


def test_a_sum_whose_text_tells_one_act_is_that_acts_toll() -> None:
    # dev k-ar-iq-a23: "قتل 15 ... وأصيب 22 آخرون ... في هجمات نفذها خمسة انتحاريين على قاعدة سبايكر", then
    # how two blew themselves up at the gate and three inside: one assault, and 15 / 22 is its toll
    ev = next(e for e in events_of("k-ar-iq-a23") if e.admin2_en == "Tikrit" and not e.background)
    assert (ev.killed, ev.wounded, ev.event_type) == (15, 22, "suicide_attack")


def test_a_posting_stamp_does_not_date_the_act() -> None:
    # dev k-ar-iq-b18: "Nov ٠٤, ٢٠١٥ ٠٠:٥٠ UTC" is when the page was posted; "شنه التنظيم ... الثلاثاء" dates
    # the Dibis attack to Tuesday 3 November 2015
    ev = next(e for e in events_of("k-ar-iq-b18") if e.killed == 4)
    assert str(ev.date) == "2015-11-03"


def test_placeless_acts_after_an_act_abroad_are_that_act() -> None:
    # dev f-en-neg-a02: the IS attack on Iraq's embassy in Kabul; "the attack ..." later, and Mosul named
    # in passing ("the recapture of the city of Mosul"), make no act in Iraq
    assert events_of("f-en-neg-a02") == []
    text = ("قتل خمسة أشخاص في تفجير انتحاري استهدف مسجدا في كابل يوم الجمعة. وتبنى تنظيم داعش الهجوم. "
            "وكان التنظيم قد خسر آخر معاقله في الموصل.")
    assert extract_events(text) == []
    # an act in Iraq told after the one abroad is still an act
    evs = extract_events("Five people were killed in a suicide bombing at a mosque in Kabul on Friday. "
                         "Meanwhile, two soldiers were killed in a roadside bomb in Tarmiyah, north of Baghdad.")
    assert [(e.admin1_en, e.killed) for e in evs] == [("Baghdad", 2)]


def test_no_losses_among_the_attackers_is_no_zero_for_the_victims() -> None:
    # dev en-iq-h02: "No injuries were reported among the Daesh/ISIS terrorists": five soldiers were
    # killed; the attackers lost no one
    ev = extract_events("Five soldiers were killed and three others injured when ISIS terrorists attacked a military "
                        "checkpoint in Iraq's eastern province of Diyala. No injuries were reported among the "
                        "Daesh/ISIS terrorists.")[0]
    assert (ev.killed, ev.wounded, ev.attackers_killed) == (5, 3, 0)
    ev = extract_events("هاجم مسلحون من داعش نقطة للجيش في قضاء الطارمية، ولم تسجل أي إصابات في صفوف عناصر التنظيم.")[0]
    assert (ev.killed, ev.wounded, ev.attackers_killed) == (None, None, 0)
    ev = extract_events("هاجم مسلحون من داعش نقطة للجيش في قضاء الطارمية دون وقوع إصابات في صفوف القوات الأمنية.")[0]
    assert (ev.killed, ev.wounded, ev.attackers_killed) == (0, 0, None)
