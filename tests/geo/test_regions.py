"""Named analyst regions: each has a public source, valid admin codes, and geocodes as a region."""

from __future__ import annotations

import pytest

from rasid.errors import GeoError
from rasid.geo import geocode, region, region_table
from rasid.geo.admin import admin_units


def test_every_region_has_a_source_and_valid_codes() -> None:
    df = region_table()
    a1 = set(admin_units("admin1")["unit_code"])
    a2 = set(admin_units("admin2")["unit_code"].str.strip())
    assert len(df) >= 10
    for r in df.to_dict("records"):
        assert r["source_url"].startswith(("https://", "http://"))
        assert r["admin1_codes"] and set(r["admin1_codes"]) <= a1, r["region_id"]
        assert set(r["admin2_codes"]) <= a2, r["region_id"]
        assert 32 <= r["lat"] <= 38 and 35 <= r["lon"] <= 49


@pytest.mark.parametrize(("mention", "region_name"), [
    ("البادية السورية", "Syrian Badia"), ("Syrian Desert", "Syrian Badia"), ("صحراء الأنبار", "Anbar desert"),
    ("Hamrin mountains", "Hamrin mountains"), ("جبال حمرين", "Hamrin mountains"), ("جبال مكحول", "Makhoul mountains"),
    ("Makhoul mountains", "Makhoul mountains"), ("وادي الشاي", "Wadi al-Shay"), ("Wadi al-Shay", "Wadi al-Shay"),
    ("الجزيرة السورية", "Jazira (Syria)"), ("مثلث كركوك صلاح الدين ديالى", "Kirkuk–Salah al-Din–Diyala triangle"),
    ("الشريط الحدودي العراقي السوري", "Iraq–Syria border strip"), ("Iraq-Syria border", "Iraq–Syria border strip"),
    ("مطيبيجة", "Mutaibija"), ("وادي حوران", "Wadi Hauran"),
])
def test_region_geocodes(mention: str, region_name: str) -> None:
    top = geocode(mention)[0]
    assert top.feature_type == "region"
    assert top.name == region_name
    assert top.precision == "region"


def test_region_takes_the_governorate_named_in_context() -> None:
    top = geocode("Hamrin mountains", context="clashes in the Hamrin mountains in Diyala province")[0]
    assert top.admin1_code == "IQG10"


def test_unknown_region() -> None:
    with pytest.raises(GeoError):
        region("atlantis")
    assert region("syrian_badia")["name_ar"] == "البادية السورية"
