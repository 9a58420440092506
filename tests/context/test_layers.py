"""Context layers loaded from the real bundled files: counts, coordinates inside the right units, sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from rasid.context import (
    border_line,
    calendar_features,
    crossings,
    detention_sites,
    disputed_districts,
    oil_sites,
    pipelines,
    political_calendar,
    populated_places,
    route_hubs,
    routes,
    unit_features,
)
from rasid.context.layers import FEATURES
from rasid.errors import QueryError
from rasid.geo.admin import admin_lookup


def _admin1_of(gdf) -> list[str]:
    return admin_lookup().lookup(gdf.geometry.y.to_numpy(), gdf.geometry.x.to_numpy())["admin1_code"].tolist()


def test_oil_sites_deduplicated_and_located():
    s = oil_sites()
    assert 80 <= len(s) <= 95  # 76 GOGET sites + 5 located supplement sites + a few Horn-only giants
    assert not s.duplicated(["lat", "lon"]).any()
    assert s.source.str.startswith("http").all()
    omar = s[s.site.str.contains("Omar", case=False)]
    assert len(omar) >= 1 and set(_admin1_of(omar)) == {"SY09"}  # al-Omar: Deir ez-Zor governorate
    kirkuk = s[s.site.str.contains("Kirkuk", case=False)]
    assert "IQG13" in _admin1_of(kirkuk)
    conoco = s[s.site.str.startswith("Conoco")]
    assert _admin1_of(conoco) == ["SY09"]


def test_pipelines_existing_only():
    p = pipelines()
    assert len(p) > 40 and set(p.status) <= {"operating", "idle", "mothballed", "retired", "shut in", "shut-in"}
    assert len(pipelines(None)) > len(p)
    assert p.source.str.startswith("http").all()


def test_disputed_districts():
    d = disputed_districts()
    assert len(d) == 15
    assert d.loc[d.adm2_code == "IQG10Q03", "weight"].item() == 0.5


def test_border_and_crossings():
    b = border_line().to_crs("+proj=laea +lat_0=34 +lon_0=42 +units=km")
    assert 500 < b.geometry.length.item() < 750  # the Iraq–Syria border is ~600 km
    c = crossings()
    assert len(c) == 9 and len(crossings(official_only=True)) == 3
    cb = c.to_crs(b.crs)
    assert (cb.geometry.distance(b.geometry.item()) < 20).all()  # crossings sit on the border
    assert routes().shape[0] == 3 and route_hubs().source.str.startswith("https://www.geonames.org/").all()


def test_detention_sites():
    d = detention_sites()
    assert len(d) == 12 and d.source.str.startswith("http").all()
    hol = d[d.site.str.contains("al-Hol")]
    assert _admin1_of(hol) == ["SY08"]  # al-Hasakah
    assert d.historic.sum() >= 2 and len(detention_sites(include_historic=False)) < 12


def test_population_dedup():
    p = populated_places()
    assert len(p) < 33259 and p.population.max() > 1e6
    assert (p[p.name == "Kirkuk"].population > 0).sum() == 1  # the two Kirkuk records count once


def test_unit_features_admin2():
    f = unit_features("admin2")
    assert len(f) == 162 and f.unit_code.is_unique
    for col in FEATURES:
        assert col in f and f[col].notna().all(), col
    by = f.set_index("unit_code")
    assert by.loc["IQG13Q04", "disputed"] == 1.0 and by.loc["IQG10Q03", "disputed"] == 0.5
    assert by.loc["IQG02Q02", "disputed"] == 0.0
    assert by.loc["IQG13Q04", "n_oil_sites"] >= 1 and by.loc["IQG13Q04", "pipeline_km"] > 0
    assert by.loc["IQG01Q02", "dist_border_km"] == 0 and by.loc["IQG01Q02", "dist_crossing_km"] == 0  # al-Qaim
    assert by.loc["IQG02Q02", "dist_border_km"] > 500  # Basra
    assert by.loc[["IQG13Q04", "IQG15Q05", "SY.DY.DY"], "on_route"].eq(1).all()
    assert by.loc["IQG15Q05", "population"] > 1e6 and by.loc["SY.HA.HA", "n_detention_25km"] >= 2
    assert np.isfinite(f.select_dtypes("number")).all().all()


def test_unit_features_other_units():
    a1 = unit_features("admin1", ["IQ"])
    assert len(a1) == 18 and a1.set_index("unit_code").loc["IQG13", "disputed"] > 0.95
    g = unit_features("grid", ["SY"])
    assert len(g) > 50 and g.disputed.between(0, 1).all()  # border cells overlapping Sinjar are partly disputed


def test_calendar():
    cal = political_calendar()
    assert len(cal) == 81 and cal.source_url.str.startswith("http").all()
    assert (cal.category == "control_change").sum() == 25
    m = pd.date_range("2018-01-01", "2018-12-01", freq="MS")
    iq = calendar_features(m, "IQ")
    assert iq.loc["2018-01-01", "months_to_vote"] == 4 and iq.loc["2018-05-01", "vote_month"] == 1
    assert iq.loc["2018-02-01", "pre_vote_3m"] == 1 and iq.loc["2018-06-01", "months_since_vote"] == 1
    sy = calendar_features(m, "SY")
    assert sy.vote_month.sum() == 0 and (sy.months_since_vote > 12).all()
    with pytest.raises(QueryError):
        calendar_features(m, "TR")


def test_route_geometry_is_documented_straight_lines():
    r = routes()
    assert all(isinstance(g, shapely.LineString) and len(g.coords) == 2 for g in r.geometry)


def test_duplicate_spellings_merged():
    s = oil_sites()
    qay = s[s.site.str.contains("Qay|Qaiy", regex=True)]
    assert len(qay) == 1 and "Qaiyarah" in qay.site.item() and "Qayara" in qay.site.item()
