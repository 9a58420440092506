"""The explanation's unit-month table: every feature named once, time-varying context without look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.analysis.explain.panel import DYNAMIC, HISTORY, MODEL_FEATURES, explain_frame
from rasid.analysis.features import CALENDAR_FEATURES, FEATURES, LAG_FEATURES, STATIC_FEATURES, FeatureTable
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec

from .explain_worlds import world

SPEC = PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"])


def _context(month_from: str | None = None) -> pd.DataFrame:
    """Other actors' events: Iraqi forces and the coalition in Mosul district each month of 2017-2018."""
    months = pd.date_range("2017-01-01", "2018-12-01", freq="MS")
    if month_from:
        months = months[months >= pd.Timestamp(month_from)]
    n = len(months)
    return pd.DataFrame({"date_start": months + pd.Timedelta(days=3), "country": "IQ", "admin1_code": "IQG15",
                         "admin2_code": "IQG15Q05", "geo_precision": "exact", "actor1_id": ["ISF", "USA"] * (n // 2)
                         + ["ISF"] * (n % 2), "actor2_id": "IS", "source_text": "clashes"})


def test_feature_names_are_the_shared_table_s():
    assert set(MODEL_FEATURES) <= set(FEATURES) and set(DYNAMIC) == {f for f, v in FEATURES.items()
                                                                      if v.block == "dynamic"}
    assert all(FEATURES[f].objective == "history" for f in HISTORY)
    panel = build_panel(world("oil", seed=1, years=(2017, 2018)), SPEC.replace(window="2017-01..2018-12"))
    t = FeatureTable(panel, static=True, calendar=True, dynamic=True)
    assert t.names == [*LAG_FEATURES, *STATIC_FEATURES, *CALENDAR_FEATURES, *DYNAMIC]  # order kept for the forecasts
    x = t.design(np.array([12, 13]), 1)
    assert x.shape == (2 * len(panel.units), len(t.names))
    plain = FeatureTable(panel, static=True)
    assert plain.names == [*LAG_FEATURES, *STATIC_FEATURES] and plain.dynamic is None


def test_dynamic_features_see_only_earlier_months():
    ev = world("oil", seed=2, years=(2017, 2018))
    a, _ = explain_frame(ev, SPEC, first_year=2017, context_events=pd.concat([ev, _context()]))
    b, _ = explain_frame(ev, SPEC, first_year=2017, context_events=pd.concat([ev, _context(),
                                                                             _context("2018-06-01")]))
    key = ["unit_code", "period"]
    a, b = a.set_index(key).sort_index(), b.set_index(key).sort_index()
    upto = a.index.get_level_values("period") <= pd.Timestamp("2018-06-01")  # June rows use May's context
    assert np.allclose(a.loc[upto, DYNAMIC], b.loc[upto, DYNAMIC])
    assert not np.allclose(a.loc[~upto, DYNAMIC], b.loc[~upto, DYNAMIC])
    mosul = a.xs("IQG15Q05", level="unit_code")
    assert mosul.loc["2017-01-01", "contest_m3"] == 0 and mosul.loc["2017-03-01", "contest_m3"] == 2
    assert mosul.loc["2017-06-01", "state_m3"] > 0 and mosul.loc["2017-06-01", "foreign_m3"] > 0
    assert a.covered.all()


def test_route_flow_is_the_actor_on_the_other_route_units():
    ev = world("none", seed=3, years=(2017, 2018))
    f, _ = explain_frame(ev, SPEC, first_year=2017)
    on = f.groupby("unit_code").route_flow_m3.max() > 0
    assert 5 < on.sum() < 60 and "IQG13Q04" in set(on[on].index) and "SY.DY.DY" in set(on[on].index)
    assert (f.loc[~f.unit_code.isin(on[on].index), "route_flow_m3"] == 0).all()
