"""Places named as readers know them: sites of the events, a locator, standard Arabic spellings."""

from __future__ import annotations

import pandas as pd
import pytest

from rasid.report.places import ar_spelling, locator, place_sites, reference_towns, site_name


@pytest.mark.parametrize("raw,name", [("Hajin town", "Hajin"), ("As Susah village", "As Susah"),
                                      ("As Suwar town/Sur town", "As Suwar"), ("Abu Naytal (Farraj) village", "Abu Naytal"),
                                      ("Tulul as Safa", "Tulul as Safa"), ("Rif Dimashq Governorate", None),
                                      ("IS enclave", None), ("Al Mayadin district", None), (None, None), ("", None)])
def test_site_name(raw, name):
    assert site_name(raw) == name


def test_hamza_spellings_from_the_cited_table():
    assert ar_spelling("الانبار") == "الأنبار" and ar_spelling("اربيل") == "أربيل"
    assert ar_spelling("مركز الانبار") == "مركز الأنبار"
    assert ar_spelling("كركوك") == "كركوك" and ar_spelling(None) == ""


def test_locator_of_tulul_al_safa():
    loc = locator(33.03, 37.199)  # Tulul al-Safa, in the desert east of As-Suwayda and south-east of Damascus
    assert loc["town_en"] == "Suwayda" and loc["bearing"] == "north-east" and 55 <= loc["km"] <= 80
    assert not loc["near"]
    towns = reference_towns()
    dam = towns[towns.name_en == "Damascus"].iloc[0]
    assert locator(float(dam.lat), float(dam.lon))["near"]


def test_place_sites_names_the_sites_of_the_events():
    ev = pd.DataFrame({
        "admin2_code": ["SY.RD.DM"] * 5 + ["SY.DY.AK"] * 3,
        "location": ["Tulul as Safa"] * 4 + ["Rif Dimashq Governorate", "Hajin town", "Hajin town", "As Susah village"],
        "geo_precision": ["exact"] * 4 + ["admin1", "exact", "near", "exact"],
        "lat": [33.03] * 4 + [33.5, 34.69, 34.69, 34.53], "lon": [37.199] * 4 + [37.38, 40.83, 40.83, 40.96],
        "country": ["SY"] * 8})
    out = place_sites(ev, ["SY.RD.DM", "SY.DY.AK"], "admin2")
    duma = out["SY.RD.DM"]
    assert duma["sites"][0]["en"] == "Tulul as Safa" and duma["sites"][0]["ar"] == "تلول الصفا"
    assert duma["sites"][0]["events"] == 4 and duma["events"] == 4  # the governorate-level event names no site
    ak = out["SY.DY.AK"]
    assert [s["en"] for s in ak["sites"]] == ["Hajin", "As Susah"]
    assert ak["locator"]["town_en"] in ("Abu Kamal", "Hajin")
