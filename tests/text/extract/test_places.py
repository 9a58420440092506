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
