"""Actor names from datasets and media map to canonical ids; unknown names pass through."""

from __future__ import annotations

import pytest

from rasid.events.actors import actor_label, actor_table, canonical_actor


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IS", "IS"),
        ("Islamic State (Iraq)", "IS"),
        ("Islamic State (Syria)", "IS"),
        ("Islamic State of Iraq and the Levant (ISIL)", "IS"),
        ("ISIS", "IS"),
        ("Daesh", "IS"),
        ("داعش", "IS"),
        ("تنظيم داعش", "IS"),
        ("تنظيم الدولة الإسلامية", "IS"),
        ("تنظيم الدولة الاسلامية", "IS"),  # hamza-less alef as often typed
        ("الدولة الإسلامية في العراق والشام", "IS"),
        ("Government of Iraq", "ISF"),
        ("Military Forces of Iraq (2014-)", "ISF"),
        ("Police Forces of Iraq (2020-)", "IQ_POLICE"),
        ("الحشد الشعبي", "PMF"),
        ("Popular Mobilization Forces", "PMF"),
        ("البيشمركة", "PESHMERGA"),
        ("قسد", "SDF"),
        ("QSD: Syrian Democratic Forces", "SDF"),
        ("Government of Syria", "SYR_GOV"),
        ("قوات النظام", "SYR_GOV"),
        ("Government of Turkey", "TUR"),
        ("HTS", "HTS"),
        ("جبهة النصرة", "HTS"),
        ("PKK", "PKK"),
        ("PUK", "PUK"),
        ("KDP", "KDP"),
        ("Civilians", "CIVILIANS"),
        ("Hawar Kilis Operations Room", "Hawar Kilis Operations Room"),  # unknown: unchanged
        ("Ahrar al-Sham, HTS, Southern Front", "Ahrar al-Sham, HTS, Southern Front"),
        ("Government of Australia, Government of United States of America", "Government of Australia, USA"),
        ("", None),
        (None, None),
    ],
)
def test_canonical_actor(name: str | None, expected: str | None) -> None:
    assert canonical_actor(name) == expected


def test_every_name_maps_to_a_labelled_actor() -> None:
    t = actor_table()
    ids = set(t.actor_id)
    assert all(actor_label(i, "en") != i for i in ids)
    assert actor_label("IS", "ar").startswith("تنظيم الدولة")
    # no name maps to two actors
    assert t.groupby("name").actor_id.nunique().max() == 1
