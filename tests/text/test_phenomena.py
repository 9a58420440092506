"""Each phenomenon of issue #14 on real passages of the train and dev splits (ids below; the gold
is read from the corpus), and on short invented sentences that isolate it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rasid.text import extract_events, make_document
from rasid.text.evaluate import load_corpus, match_events

from .extract._corpus import events_of

NEWS = Path(__file__).parents[1] / "data" / "news"
FIELDS = ("killed", "wounded", "captured", "attackers_killed", "admin2", "background")

# phenomenon -> passages (train or dev) whose every event the extractor gets right on these fields
CASES = {
    "discourse_place": ["ar-iq-014", "ar-sy-022"],
    "common_word_place": ["ar-iq-055", "ar-sy-010"],
    "specific_site": ["ar-iq-047", "ar-iq-062"],
    "casualty_roles": ["m-ar-sy-014", "ar-iq-011"],
    "explicit_zero": ["ar-iq-062", "ar-iq-053"],
    "bound": ["ar-iq-029", "ar-iq-063"],
    "total_sum": ["en-sy-007", "m-en-iq-016"],
    "non_victim_number": ["ar-iq-055", "en-neg-005"],
    "background": ["ar-iq-010", "ar-iq-046"],
    "multi_event": ["ar-sy-019", "ar-iq-023"],
    "told_twice": ["ar-iq-036", "ar-iq-022"],
    "motive_only": ["ar-ana-004", "ar-ana-002"],
    "admin1_only": ["ar-sy-009", "ar-iq-011"],
    "city_centre": ["ar-iq-017", "ar-iq-027"],
    "negative": ["m-ar-neg-002", "ar-neg-007"],
    "cross_doc": ["ar-iq-008", "ar-iq-047"],
}


@pytest.fixture(scope="module")
def passages() -> dict:
    return {it.id: it for split in ("train", "dev") for it in load_corpus(NEWS / f"{split}.jsonl")}


def _view(e, f: str):
    return e.admin2_en if f == "admin2" else getattr(e, f)


@pytest.mark.parametrize("phenomenon, pid", [(ph, pid) for ph, ids in CASES.items() for pid in ids])
def test_passage(passages, phenomenon: str, pid: str) -> None:
    it = passages[pid]
    assert phenomenon in it.phenomena
    pred = extract_events(make_document(it.text, id=it.id, published=it.published, lang=it.lang))
    pairs = match_events(pred, it.gold_events)
    assert len(pairs) == len(pred) == len(it.gold_events), (pid, len(pred), len(it.gold_events))
    for i, j in pairs:
        got = {f: _view(pred[i], f) for f in FIELDS}
        want = {f: it.gold_events[j][f] for f in FIELDS}
        assert got == want, pid


# --- invented sentences, one phenomenon each -------------------------------------------------------
def _one(text: str, published: str | None = "2021-06-10"):
    evs = extract_events(text, published=published)
    assert len(evs) == 1, [(e.admin1_en, e.killed) for e in evs]
    return evs[0]


def test_second_city_after_a_pair() -> None:
    e = _one("هاجم التنظيم مدينتي الرمادي والفلوجة أمس. وقتل في المدينة الثانية خمسة من الشرطة.")
    assert (e.admin1_en, e.admin2_en, e.killed) == ("Al-Anbar", "Al-Falluja", 5)


def test_centre_of_the_province_gives_the_capital_district() -> None:
    e = _one("انفجرت سيارة مفخخة في كركوك، وقال مصدر إن الانفجار وقع وسط المحافظة وقتل 4 أشخاص.")
    assert (e.admin1_en, e.admin2_en, e.precision, e.killed) == ("Kirkuk", "Kirkuk", "admin2", 4)


def test_governorate_only_leaves_admin2_empty() -> None:
    e = _one("قتل جنديان بهجوم لداعش في محافظة ديالى اليوم.")
    assert (e.admin1_en, e.admin2_en, e.precision) == ("Diyala", None, "admin1")


def test_common_word_is_no_place_without_a_type_word() -> None:
    assert extract_events("أكد المتحدث أن الحرية والسلام قيم يدافع عنها الجميع في المدينة.") == []


def test_killed_wounded_captured_and_attackers_apart() -> None:
    e = _one("قتل ثلاثة جنود وأصيب اثنان واختطف مسلحو داعش أربعة مدنيين، فيما قتل 5 من المهاجمين، في هجوم "
             "على قرية في قضاء الحويجة بمحافظة كركوك اليوم.")
    assert (e.killed, e.wounded, e.captured, e.attackers_killed) == (3, 2, 4, 5)


@pytest.mark.parametrize("text", [
    "هاجم مسلحو داعش نقطة للجيش في قضاء الطارمية شمال بغداد اليوم دون وقوع ضحايا.",
    "استهدف التنظيم حاجزا أمنيا في قضاء الطارمية ببغداد اليوم، ولم يسفر الهجوم عن أي إصابات.",
    "ISIS militants attacked an army checkpoint in Tarmiyah district north of Baghdad today; there were no casualties.",
])
def test_explicit_zero(text: str) -> None:
    e = _one(text)
    assert (e.killed, e.wounded) == (0, 0)


def test_bound_keeps_the_lower_figure() -> None:
    assert _one("قتل ما لا يقل عن 12 جنديا في هجوم لداعش في قضاء الحويجة بمحافظة كركوك اليوم.").killed == 12
    assert _one("At least 7 soldiers were killed in an ISIS attack in Hawija district of Kirkuk today.").killed == 7


def test_ages_and_units_are_not_victims() -> None:
    e = _one("قتل شاب يبلغ من العمر 25 عاما برصاص مسلحين في قضاء المقدادية بمحافظة ديالى اليوم، قرب مقر اللواء 35.")
    assert e.killed == 1


def test_background_event_keeps_its_own_date() -> None:
    evs = extract_events("قتل ثلاثة جنود بهجوم لداعش في قضاء الحويجة بمحافظة كركوك اليوم الخميس. وكان التنظيم قد شن "
                         "هجوما في الأول من أيار الماضي على قرية في قضاء خانقين بمحافظة ديالى قتل فيه خمسة مدنيين.",
                         published="2021-06-10")
    assert [(e.admin1_en, e.killed, e.background) for e in evs] == [("Kirkuk", 3, False), ("Diyala", 5, True)]
    assert evs[1].date == dt.date(2021, 5, 1)


def test_later_incident_on_reinforcements_is_another_event() -> None:
    evs = extract_events("قتل مسلحو داعش شرطيا في هجوم على نقطة في قضاء داقوق بمحافظة كركوك اليوم. وتعرضت قوة من الجيش "
                         "وصلت إلى مكان الحادث لكمين قتل فيه جنديان.", published="2021-06-10")
    assert [(e.event_type, e.killed) for e in evs] == [("armed_attack", 1), ("ambush", 2)]


def test_told_twice_stays_one() -> None:
    e = _one("قتل أربعة جنود بهجوم لداعش في قضاء الطارمية شمال بغداد اليوم. وقال مصدر أمني إن أربعة جنود قتلوا "
             "في الهجوم الذي استهدف نقطتهم في الطارمية.")
    assert e.killed == 4


def test_stated_motive_creates_no_event() -> None:
    assert extract_events("يسعى تنظيم داعش إلى تحرير المعتقلين المحتجزين في مخيم الهول بمحافظة الحسكة، بحسب محللين.") == []


def test_holding_a_mourning_ceremony_is_no_attack() -> None:
    # dev k-ar-neg-a34: a PMF brigade "holds a mourning ceremony (مجلس الفاتحة) for the souls of" the
    # men killed in the US strike: a ceremony, not an attack's toll
    assert events_of("k-ar-neg-a34") == []


def test_a_security_operation_with_no_casualties_is_no_attack() -> None:
    # train h-ar-iq-008: "انطلاق حملة أمنية كبرى لاستهداف الخلايا الإرهابية في الحويجة" and "سيطرت تلك القوات
    # على عموم كركوك": government forces' sweep and control, not attacks; the PMF ambush stays
    assert [(e.killed, e.target) for e in events_of("h-ar-iq-008")] == [(27, "pmf")]
    assert extract_events("أطلقت القوات الأمنية حملة أمنية واسعة لتعقب خلايا داعش في صحراء الأنبار") == []
    # soldiers killed during an operation are an event
    assert [e.killed for e in extract_events("قتل أربعة جنود خلال عملية أمنية لتعقب خلايا داعش في صحراء الأنبار")] == [4]
