"""OCHA common operational data for Syria (rasid/data/geo/ocha_syr_*.csv): the files are complete and
consistent, and the gazetteer places sub-districts and Aleppo communities through their p-codes."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from rasid.geo import find_places, geocode
from rasid.geo._ocha import SOURCE, split_names
from rasid.geo.admin import admin_units
from rasid.geo.gazetteer import Gazetteer, load_gazetteer

DATA = resources.files("rasid") / "data" / "geo"


def _read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_files_are_complete_and_consistent() -> None:
    adm3 = _read("ocha_syr_admin3.csv")
    comm = _read("ocha_syr_communities_aleppo.csv")
    cross = _read("ocha_syr_admin2_crosswalk.csv")
    assert len(adm3) == 272 and len({r["adm3_pcode"] for r in adm3}) == 272
    assert len(comm) == 1904 and len({r["adm4_pcode"] for r in comm}) == 1904
    codes3 = {r["adm3_pcode"] for r in adm3}
    assert all(r["adm3_pcode"] in codes3 and r["adm3_pcode"].startswith("SY02") for r in comm)  # Aleppo only
    assert all(r["name_ar"] and r["name_en"] for r in comm)
    polygons = set(admin_units("admin2")["unit_code"])
    assert {r["ocha_adm2_pcode"] for r in cross} == {r["adm2_pcode"] for r in adm3}
    assert all(r["adm2_code"] in polygons for r in cross)
    for r in adm3:  # p-codes nest: SY020303 is in district SY0203 and governorate SY02
        assert r["adm3_pcode"].startswith(r["adm2_pcode"]) and r["adm2_pcode"].startswith(r["adm1_pcode"])


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_syrian_subdistricts_are_admin3_units(gaz: Gazetteer) -> None:
    p = gaz.places
    sub = p[(p["feature_type"] == "subdistrict") & (p["country"] == "SY")]
    assert len(sub) == 272 and sub["admin3_code"].str.match(r"^SY\d{6}$").all()
    assert (sub["located"] == "point").sum() >= 250  # most placed at their seat town
    res = geocode("ناحية راجو", country="SY")
    assert (res[0].feature_type, res[0].admin2_code, res[0].admin3_code) == ("subdistrict", "SY.HL.AF", "SY020303")


def test_communities_merge_or_stand_at_their_subdistrict(gaz: Gazetteer) -> None:
    p = gaz.places
    merged = p["sources"].str.contains(f"{SOURCE}:C") & ~p["source"].str.startswith(SOURCE)
    new = p["source"].str.startswith(f"{SOURCE}:C")
    assert merged.sum() >= 1000 and new.sum() >= 400
    assert (p.loc[new, "located"] == "admin3").all() and p.loc[new, "admin3_code"].notna().all()
    # a GeoNames village keeps its own point and gains the OCHA sub-district
    res = geocode("Kafr Safra village", country="SY")
    assert (res[0].admin2_code, res[0].admin3_code, res[0].precision) == ("SY.HL.AF", "SY020302", "exact")
    # an OCHA-only community is found by its Arabic name, located to its sub-district
    res = geocode("قرية تل حسك", country="SY")
    assert (res[0].admin2_code, res[0].admin3_code, res[0].precision) == ("SY.HL.AF", "SY020303", "admin3")


def test_common_word_subdistricts_need_a_type_word() -> None:
    # الكرامة (dignity) is also a Raqqa sub-district: in free text only "ناحية الكرامة" names it
    plain = find_places("طالب المتظاهرون بالحرية والكرامة في الساحة")
    assert not any(m.candidate and m.candidate.feature_type == "subdistrict" for m in plain)
    typed = find_places("قصف مدفعي على ناحية الكرامة شرق الرقة")
    assert any(m.candidate and m.candidate.admin3_code == "SY110102" for m in typed)


@pytest.mark.parametrize(("field", "names"), [
    ("Tal Elsus - Abu Sus", ["Tal Elsus", "Abu Sus"]),
    ("الصياح_صياح ظاهرية", ["الصياح", "صياح ظاهرية"]),
    ("قزل/غزل", ["قزل", "غزل"]),
    ("Big Jaddaa (Al-Karameh)", ["Big Jaddaa", "Al-Karameh"]),
    ("Afrin", ["Afrin"]),
])
def test_split_names(field: str, names: list[str]) -> None:
    assert split_names(field) == names
