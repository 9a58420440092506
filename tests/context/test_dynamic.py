"""Time-varying layers: counts per force and site, dated control changes, features without look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.analysis.aggregate import event_units
from rasid.context.calendar import control_changes
from rasid.context.dynamic import DYNAMIC_COLUMNS, dynamic_layers
from rasid.context.forces import FORCE_IDS
from rasid.geo.units import unit_frame

MONTHS = pd.date_range("2017-01-01", "2018-12-01", freq="MS")


def _events(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(date, admin2 code, actor1_id, actor2_id) -> canonical-looking events in Iraq."""
    uf = unit_frame("admin2", ["IQ", "SY"]).set_index("unit_code")
    return pd.DataFrame({
        "date_start": pd.to_datetime([r[0] for r in rows]), "admin2_code": [r[1] for r in rows],
        "admin1_code": [uf.loc[r[1], "admin1_code"] for r in rows], "country": [uf.loc[r[1], "country"] for r in rows],
        "actor1_id": [r[2] for r in rows], "actor2_id": [r[3] for r in rows], "geo_precision": "exact",
        "priogrid_gid": np.nan, "source_text": None})


def _layers(ev: pd.DataFrame, unit: str = "admin2"):
    uf = unit_frame(unit, ["IQ", "SY"])
    return dynamic_layers(ev, event_units(ev, unit), uf, MONTHS, unit_level=unit, countries=("IQ", "SY")), uf


def _col(layers, code: str, name: str) -> np.ndarray:
    return layers.features()[layers.units.index(code), :, DYNAMIC_COLUMNS.index(name)]


def test_vacuum_and_contestation_from_planted_presence():
    # Peshmerga and Iraqi forces fight in Daquq every month of 2017 up to September; from October only IS
    rows = [(f"2017-{m:02d}-05", "IQG13Q02", "PESHMERGA", "IS") for m in range(1, 10)]
    rows += [(f"2017-{m:02d}-06", "IQG13Q02", "ISF", "IS") for m in range(1, 10)]
    rows += [(f"2018-{m:02d}-07", "IQG13Q02", "IS", "CIVILIANS") for m in range(1, 13)]
    layers, _ = _layers(_events(rows))
    contest, vacuum = _col(layers, "IQG13Q02", "contest_m3"), _col(layers, "IQG13Q02", "vacuum")
    assert contest[8] == 2 and contest[10] == 2 and contest[11] == 0  # Sep 2017 is the last month with forces
    assert vacuum[8] == 0 and vacuum[11] == 2  # both forces gone in Oct-Dec 2017: a vacuum from December
    assert vacuum[20] == 0  # by Sept 2018 their activity has left the 9-month memory
    assert layers.active[layers.units.index("IQG13Q02"), 0, FORCE_IDS.index("PESHMERGA")]


def test_no_look_ahead():
    rows = [(f"2017-{m:02d}-05", "IQG13Q04", "ISF", "IS") for m in range(1, 13)]
    later = rows + [(f"2018-{m:02d}-05", "IQG13Q04", "SDF" if m % 2 else "USA", "IS") for m in range(3, 13)]
    a, _ = _layers(_events(rows))
    b, _ = _layers(_events(later))
    fa, fb = a.features(), b.features()
    cut = list(MONTHS).index(pd.Timestamp("2018-03-01"))
    assert np.array_equal(fa[:, :cut], fb[:, :cut])  # events from March 2018 change nothing before it
    assert not np.array_equal(fa[:, cut:], fb[:, cut:])


def test_dated_control_changes_at_each_unit_level():
    ev = _events([("2017-05-01", "IQG13Q04", "ISF", "IS")])
    layers, _ = _layers(ev)
    oct17 = list(MONTHS).index(pd.Timestamp("2017-10-01"))
    k = layers.units.index("IQG13Q04")
    assert layers.handover[k, oct17] == 1 and layers.handover[k].sum() == 1
    h = _col(layers, "IQG13Q04", "handover_12m")
    assert h[oct17 - 1] == 0 and h[oct17] == 1 and h[oct17 + 11] == 1 and h[oct17 + 12] == 0
    lib = _col(layers, "SY.DY.AK", "liberated_12m")  # Albu Kamal retaken Nov 2017, Hajin Dec 2018
    assert lib[list(MONTHS).index(pd.Timestamp("2017-11-01"))] == 1
    a1, _ = _layers(ev, "admin1")
    assert a1.handover[a1.units.index("IQG13"), oct17] >= 1
    grid, uf = _layers(ev, "grid")
    assert grid.handover[:, oct17].sum() >= 3  # the cells whose centre lies in the districts handed over
    summ = layers.summary("IQG13Q04", oct17, oct17 + 2)
    assert summ["control_changes"][0]["kind"] == "handover" and summ["control_changes"][0]["source_url"].startswith("http")


def test_control_changes_are_cited_and_typed():
    ch = control_changes()
    assert ch.source_url.str.startswith("http").all() and ch.admin_codes.map(len).gt(0).all()
    kirkuk = ch[ch.date == pd.Timestamp("2017-10-16")].iloc[0]
    assert kirkuk.kind == "handover" and "IQG13Q04" in kirkuk.admin_codes and kirkuk.force_from == "PESHMERGA"
    assert set(ch.kind) == {"liberation", "handover"}
    uf = set(unit_frame("admin2", ["IQ", "SY"]).unit_code)
    assert {c for cs in ch.admin_codes for c in cs} <= uf


def test_table_is_one_row_per_unit_month(bundled_events):
    ev = bundled_events[bundled_events.country.isin(["IQ", "SY"])]
    layers, uf = _layers(ev)
    t = layers.table()
    assert len(t) == len(uf) * len(MONTHS)
    assert {"forces_active", "oil_events", "prison_events", *DYNAMIC_COLUMNS} <= set(t.columns)
    dz = t[(t.unit_code == "SY.DY.DY") & (t.month.dt.year == 2017)]
    assert dz.events_sy_state.sum() > 50 and dz.forces_active.max() >= 2  # Deir ez-Zor 2017: a contested city
    assert t.forces_active.max() <= len(FORCE_IDS)
