"""Gazetteer tables: built from the bundled files only, cached as Parquet keyed by the inputs' sha256,
admin units, context sites and regions are places with variant names."""

from __future__ import annotations

import pandas as pd
import pytest

from rasid.geo import _build
from rasid.geo import gazetteer as gz
from rasid.geo.gazetteer import NAME_COLUMNS, PLACE_COLUMNS, load_gazetteer, strip_qualifiers
from rasid.lang.normalize import detect_script, normalize_name


@pytest.fixture(scope="module")
def gaz() -> gz.Gazetteer:
    return load_gazetteer()


def test_tables_have_the_contract_columns(gaz: gz.Gazetteer) -> None:
    assert list(gaz.places.columns) == PLACE_COLUMNS
    assert gaz.places["sources"].notna().all()
    assert list(gaz.names.columns) == NAME_COLUMNS
    assert len(gaz.places) > 33_000
    assert gaz.places["place_id"].is_unique


@pytest.mark.parametrize(("feature", "minimum"), [
    ("governorate", 32), ("district", 161), ("subdistrict", 294), ("region", 10), ("oil_field", 50),
    ("camp", 1), ("prison", 3), ("crossing", 5),
])
def test_feature_types_present(gaz: gz.Gazetteer, feature: str, minimum: int) -> None:
    assert (gaz.places["feature_type"] == feature).sum() >= minimum


@pytest.mark.parametrize(("name", "code"), [
    ("Salah al-Din", "IQG16"), ("Saladin", "IQG16"), ("Salahuddin", "IQG16"), ("صلاح الدين", "IQG16"),
    ("Nineveh", "IQG15"), ("Ninawa", "IQG15"), ("نينوى", "IQG15"), ("Deir ez-Zor", "SY09"),
    ("Dayr az-Zawr", "SY09"), ("Deir Ezzor", "SY09"), ("دير الزور", "SY09"), ("Anbar", "IQG01"),
    ("الأنبار", "IQG01"), ("Kirkuk", "IQG13"), ("Tamim", "IQG13"), ("كركوك", "IQG13"), ("التأميم", "IQG13"),
    ("Hasakah", "SY08"), ("Al-Hasakeh", "SY08"), ("الحسكة", "SY08"), ("Raqqa", "SY11"), ("الرقة", "SY11"),
    ("Erbil", "IQG11"), ("Hewler", "IQG11"), ("Sulaimani", "IQG06"), ("Rif Dimashq", "SY03"),
])
def test_governorate_variants(gaz: gz.Gazetteer, name: str, code: str) -> None:
    pids = gaz.lookup(normalize_name(name))
    govs = {gaz.cols["admin1_code"][p] for p in pids if gaz.cols["feature_type"][p] == "governorate"}
    assert code in govs


@pytest.mark.parametrize(("name", "code"), [
    ("دير الزور", "SY.DY.DY"), ("الحسكة", "SY.HA.HA"), ("الرقة", "SY.RA.RA"), ("إدلب", "SY.ID.ID"),
])
def test_syrian_markaz_districts_indexed_bare(gaz: gz.Gazetteer, name: str, code: str) -> None:
    pids = gaz.lookup(normalize_name(name))
    assert code in {gaz.cols["admin2_code"][p] for p in pids if gaz.cols["feature_type"][p] == "district"}


def test_district_arabic_names_drop_markaz(gaz: gz.Gazetteer) -> None:
    pid = gaz.unit_pid["SY.DY.DY"]
    assert gaz.cols["admin2_ar"][pid] == "مركز دير الزور"  # the unit keeps its official name
    village = gaz.lookup(normalize_name("Hajin"))[0]
    assert gaz.cols["admin2_ar"][village] == "البوكمال"


@pytest.mark.parametrize(("key", "bare", "hint"), [
    ("محافظه نينوي", "نينوي", "governorate"), ("قضا حويجه", "حويجه", "district"),
    ("ناحيه رياض", "رياض", "subdistrict"), ("hawija district", "hawija", "district"),
    ("sub district of hawija", "hawija", "subdistrict"), ("bay hasan oil field", "bay hasan", "oil_field"),
    ("حقل باي حسن", "باي حسن", "oil_field"), ("محافظه", "محافظه", None),
])
def test_strip_qualifiers(key: str, bare: str, hint: str | None) -> None:
    assert strip_qualifiers(key) == (bare, hint)


def test_every_place_has_admin1(gaz: gz.Gazetteer) -> None:
    missing = gaz.places["admin1_code"].isna().sum()
    assert missing <= 2  # one gazetteer point has no polygon within 5 km


def test_cache_is_keyed_and_overridable(tmp_path, monkeypatch, gaz: gz.Gazetteer) -> None:
    monkeypatch.setenv("RASID_CACHE", str(tmp_path))
    p_path, n_path = gz._cache_files()
    assert p_path.parent == tmp_path
    assert _build.inputs_sha256()[:16] in p_path.name
    gz._write_cache(gaz.places, gaz.names, p_path, n_path)  # what a first build writes
    assert p_path.exists() and n_path.exists()


def test_no_reads_outside_the_package() -> None:
    for p in _build._input_paths():
        assert "shared" not in p.parts
        assert p.exists(), p


def test_extra_layers_are_merged_and_typed(gaz: gz.Gazetteer) -> None:
    p = gaz.places
    # UCDP-coded places: most merge into a GeoNames place (which then lists both sources), the rest are new
    merged = p["sources"].str.contains("ucdp-ged") & (p["source"] != "ucdp-ged")
    assert merged.sum() >= 500 and (p["source"] == "ucdp-ged").sum() >= 50
    assert (p["feature_type"] == "power_station").sum() >= 80
    for ft in ("checkpoint", "airport", "military_base"):
        assert (p["feature_type"] == ft).sum() >= 1, ft
    assert gaz.romidx is not None and gaz.romidx.rom and gaz.romidx.skel


def test_cached_index_loads_the_same_lookups(tmp_path, monkeypatch, gaz: gz.Gazetteer) -> None:
    monkeypatch.setenv("RASID_CACHE", str(tmp_path))
    p_path, n_path = gz._cache_files()
    gz._write_cache(gaz.places, gaz.names, p_path, n_path)
    gz._write_index(gaz, p_path)
    gz.load_gazetteer.cache_clear()
    try:
        again = gz.load_gazetteer()
        assert again._places is None and again._loose is None  # tables and fallback index load on first use
        for name in ("كركوك", "Hawija", "دير الزور"):
            key = normalize_name(name)
            assert again.lookup(key) == gaz.lookup(key) and again.lookup(key)
        assert again.loose == gaz.loose and again.romidx.rom == gaz.romidx.rom
        assert len(again.places) == len(gaz.places)
    finally:
        gz.load_gazetteer.cache_clear()


def _place(gaz: gz.Gazetteer, name: str, feature: str) -> int:
    p = gaz.places
    hit = p[(p["name"] == name) & (p["feature_type"] == feature)]
    assert len(hit) == 1, (name, feature, len(hit))
    return int(hit["place_id"].iloc[0])


def test_display_ar_is_arabic_script_from_the_data(gaz: gz.Gazetteer) -> None:
    """``name_ar`` stays as the source gives it (GeoNames puts "As Sūsá" there); ``display_ar`` is the
    Arabic-script alternate of the same row, or a site's cited name, and never a romanisation."""
    susah = _place(gaz, "As Susah", "town")
    assert gaz.places.at[susah, "name_ar"] == "As Sūsá" and gaz.display_ar(susah) == "السوسة"
    dhiban = _place(gaz, "Dhiban", "town")
    assert gaz.display_ar(dhiban) == "ذيبان"  # the first Arabic alternate, as GeoNames lists them
    # a GOGET oil field has no Arabic name in its file: site_names_ar.csv gives the cited one
    omar = _place(gaz, "al-Omar Oil and Gas Field (Syria)", "oil_field")
    assert pd.isna(gaz.places.at[omar, "name_ar"]) and gaz.display_ar(omar) == "حقل العمر"
    assert gaz.display_ar(_place(gaz, "al-Hol camp", "camp")) == "مخيم الهول"
    # a place with no Arabic name anywhere in the data has none (the report then keeps the Latin name)
    assert gaz.display_ar(_place(gaz, "Al Boleel", "town")) is None
    shown = gaz.places["display_ar"].dropna()
    assert len(shown) > 30_000 and (shown.map(detect_script) == "ar").all()
