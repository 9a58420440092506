"""Places named as readers know them: sites of the events, a locator, standard Arabic spellings."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from rasid.events import EventFilter, Store
from rasid.report import notable_attacks
from rasid.report.places import ar_spelling, locator, place_sites, reference_towns, site_name, site_name_ar


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
    assert [s["ar"] for s in ak["sites"]] == ["هجين", "السوسة"]  # GeoNames' name_ar for As Susah is "As Sūsá"
    assert ak["locator"]["town_en"] in ("Abu Kamal", "Hajin")


# sites of the bundled UCDP events, at the median coordinate of their events
@pytest.mark.parametrize("site,country,lat,lon,arabic", [
    ("As Susah", "SY", 34.534, 40.958, "السوسة"),  # GeoNames' Arabic field holds "As Sūsá"; its alternates the script
    ("Diban", "SY", 35.002, 40.512, "ذيبان"),
    ("Rāwah", "IQ", 34.479, 41.908, "راوة"),  # the old rule named it after the nearby district seat, عانة
    ("Kobane", "SY", 36.891, 38.353, "عين العرب"),  # an exonym: cited in site_names_ar.csv
    ("Tiyas Military Airbase", "SY", 34.522, 37.63, "مطار التيفور العسكري"),  # cited, not the village تياس
    ("هجين", "SY", 34.69, 40.83, "هجين"),  # already Arabic
    ("Baghuz at-Tahtani", "SY", 34.432, 40.992, None),  # the geocoder matched only "Baghuz" (باغوز)
    ("Gharanij", "SY", 34.781, 40.722, None),  # a near spelling of another village (خرايج)
    ("Samarra Dam", "IQ", 34.198, 43.848, None),  # a town's name (سامراء) does not name its dam
    ("Al Boleel", "SY", 35.195, 40.38, None),  # no Arabic name anywhere in the data: stays Latin
    ("As Susah", "SY", 36.5, 37.5, None),  # no place of that name within 20 km of these events
])
def test_site_name_ar_only_when_the_data_has_that_name(site, country, lat, lon, arabic):
    assert site_name_ar(site, country, lat, lon) == arabic


def test_notable_attacks_name_each_site_in_arabic_at_its_own_coordinates(tmp_path):
    """Three events through the store (JSONL): each attack's site is named in Arabic where the data has a name."""
    rows = [("e1", "2018-11-01", "As Susah village", 34.534, 40.958, 8), ("e2", "2018-11-02", "Al Boleel village",
            35.195, 40.38, 7), ("e3", "2018-11-03", "Baghuz at-Tahtani", 34.432, 40.992, 6)]
    path = tmp_path / "attacks.jsonl"
    path.write_text("".join(json.dumps({
        "source_id": sid, "date_start": day, "date_precision": "day", "country": "Syria", "admin1_en": "Deir-ez-Zor",
        "admin2_en": "Abu Kamal", "admin2_code": "SY.DY.AK", "location": loc, "geo_precision": "exact", "lat": lat,
        "lon": lon, "actor1": "IS", "actor2": "SDF", "event_type": "non-state", "deaths_best": k + 2,
        "deaths_side_b": k, "source": "test"}) + "\n" for sid, day, loc, lat, lon, k in rows), encoding="utf-8")
    with Store(tmp_path / "a.duckdb") as store:
        store.ingest_file(path)
        events = store.events(EventFilter(actors=["IS"]))
    got = notable_attacks(events, "IS", since=dt.date(2018, 10, 1), until=dt.date(2018, 12, 31))
    assert got["site_en"].tolist() == ["As Susah", "Al Boleel", "Baghuz at-Tahtani"]
    assert got["site_ar"].fillna("").tolist() == ["السوسة", "", ""]
