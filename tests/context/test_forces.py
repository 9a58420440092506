"""Forces and site tags read from events: actor ids, dataset names, text (English/Arabic), country, proximity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.context.forces import FORCE_IDS, SITE_TAGS, forces, tag_events
from rasid.context.oil import oil_sites


def _ev(**cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values())
    base = {"country": ["IQ"] * n, "actor1": [None] * n, "actor2": [None] * n, "actor1_id": [None] * n,
            "actor2_id": [None] * n, "target": [None] * n, "source_text": [None] * n, "lat": [np.nan] * n,
            "lon": [np.nan] * n, "geo_precision": ["admin2"] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_force_table_covers_the_issue_forces():
    f = forces()
    assert set(FORCE_IDS) == {"IQ_STATE", "SY_STATE", "PESHMERGA", "PMF", "SDF", "TURKEY", "COALITION", "RUSSIA"}
    assert f.label_ar.str.len().gt(0).all() and set(SITE_TAGS) == {"oil", "prison"}


def test_actor_ids_names_and_coalitions():
    ev = _ev(country=["IQ", "SY", "SY", "SY"],
             actor1_id=["ISF", "SYR_GOV", "Hawar Kilis Operations Room", "Government of Australia, "
                        "Government of United Kingdom, USA"],
             actor2_id=["IS", "SY_INSURGENTS", "SDF", "IS"])
    t = tag_events(ev)
    assert t.IQ_STATE.tolist() == [True, False, False, False]
    assert t.SY_STATE.tolist() == [False, True, False, False]
    assert t.TURKEY.tolist() == [False, False, True, False] and t.SDF.tolist() == [False, False, True, False]
    assert t.COALITION.tolist() == [False, False, False, True]


def test_text_mentions_and_country_rules():
    ev = _ev(country=["IQ", "IQ", "SY", "SY", "IQ", "SY"],
             source_text=["Peshmerga repel an IS attack near Makhmour", "هجوم لداعش على نقطة للحشد الشعبي",
                          "Kurdish fighters clash with IS east of the Euphrates", "Russian warplanes strike Palmyra",
                          "Kurdish forces arrest suspects in Kirkuk", "Peshmerga mentioned in Syria"])
    t = tag_events(ev)
    assert t.PESHMERGA.tolist() == [True, False, False, False, True, False]  # Iraq only
    assert t.PMF.tolist() == [False, True, False, False, False, False]  # Arabic text
    assert t.SDF.tolist() == [False, False, True, False, False, False]  # "Kurdish fighters" in Syria is the SDF
    assert t.RUSSIA.tolist() == [False, False, False, True, False, False]


def test_site_tags_by_text_and_by_exact_proximity():
    site = oil_sites().query("location_accuracy == 'exact'").iloc[0]
    ev = _ev(source_text=["IS attack on an oil field near Baiji", "IS bombs a gas station in town",
                          "IS fighters storm the prison", "nothing", "nothing", "هجوم على سجن بادوش"],
             lat=[np.nan, np.nan, np.nan, site.lat + 0.01, site.lat + 0.01, np.nan],
             lon=[np.nan, np.nan, np.nan, site.lon, site.lon, np.nan],
             geo_precision=["admin2", "admin2", "admin2", "exact", "near", "admin2"])
    t = tag_events(ev)
    assert t.oil.tolist() == [True, False, False, True, False, False]  # 1.1 km from an exact site; "near" is too vague
    assert t.prison.tolist() == [False, False, True, False, False, True]


def test_missing_columns_and_empty_input():
    assert tag_events(pd.DataFrame({"country": []})).shape == (0, len(FORCE_IDS) + len(SITE_TAGS))
    t = tag_events(pd.DataFrame({"country": ["SY"], "source_text": ["regime forces shell the town"]}))
    assert t.SY_STATE.item() and not t.drop(columns="SY_STATE").any(axis=None)


def test_bundled_events_name_every_force(bundled_events):
    t = tag_events(bundled_events)
    counts = t.sum()
    assert (counts[list(FORCE_IDS)] > 0).all(), counts  # every force appears in the bundled UCDP data
    assert counts["SY_STATE"] > counts["RUSSIA"] > 0 and counts["oil"] > 50 and counts["prison"] > 50
