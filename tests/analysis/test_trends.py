"""Trends: Mann-Kendall vs pymannkendall, NB slope recovers a known growth rate, change flag, real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymannkendall as pmk
import pytest

from rasid.analysis.aggregate import unit_frame
from rasid.analysis.spec import PanelSpec
from rasid.analysis.trends import TREND_COLUMNS, nb_fit, trend_table
from rasid.events.window import Window


def _panel(series: dict[str, np.ndarray]) -> pd.DataFrame:
    """A unit x month panel for the given admin1 codes."""
    t_n = len(next(iter(series.values())))
    periods = pd.date_range("2015-01-01", periods=t_n, freq="MS")
    uf = unit_frame("admin1", ["IQ"]).set_index("unit_code")
    rows = [{"unit_code": c, "unit_en": uf.loc[c, "unit_en"], "unit_ar": uf.loc[c, "unit_ar"], "period": p,
             "events": int(v)} for c, s in series.items() for p, v in zip(periods, s, strict=True)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(1)
    codes = unit_frame("admin1", ["IQ"]).unit_code.tolist()
    t = np.arange(48)
    mu_grow = 5 * np.exp(np.log(1.05) * t)  # +5 % a month
    series = {
        codes[0]: rng.negative_binomial(5, 5 / (5 + mu_grow)),
        codes[1]: rng.negative_binomial(5, 5 / (5 + np.full(48, 20.0))),
        codes[2]: np.r_[rng.poisson(10, 45), rng.poisson(40, 3)],
        codes[3]: np.zeros(48, dtype=int),
    }
    return series, trend_table(_panel(series), PanelSpec(unit="admin1"), recent=3).set_index("unit_code")


def test_columns_and_mk(synthetic):
    series, t = synthetic
    assert set(TREND_COLUMNS) <= set(t.reset_index().columns)
    for code, y in series.items():
        if y.any():
            ref = pmk.original_test(y.astype(float))
            assert t.loc[code, "mk_tau"] == pytest.approx(ref.Tau)
            assert t.loc[code, "mk_p"] == pytest.approx(ref.p)


def test_nb_slope_recovers_growth(synthetic):
    series, t = synthetic
    grow, flat = list(series)[:2]
    assert t.loc[grow, "slope_low"] < 5.0 < t.loc[grow, "slope_high"]
    assert t.loc[grow, "mk_trend"] == "increasing"
    assert t.loc[flat, "slope_low"] < 0 < t.loc[flat, "slope_high"]
    assert t.loc[flat, "change_flag"] == "none"


def test_recent_surge_flagged(synthetic):
    series, t = synthetic
    surge, empty = list(series)[2:4]
    assert t.loc[surge, "change_flag"] == "surge" and t.loc[surge, "recent_ratio"] > 2
    assert t.loc[empty, "events"] == 0 and np.isnan(t.loc[empty, "slope_pct"])


def test_nb_fit_dispersion():
    rng = np.random.default_rng(2)
    y = rng.negative_binomial(2, 2 / (2 + np.full(400, 10.0))).astype(float)  # alpha = 1/2
    _, _, alpha = nb_fit(y, np.ones((400, 1)))
    assert 0.3 < alpha < 0.7


def test_trends_on_real_data(is_events):
    t = trend_table(is_events, PanelSpec(unit="admin1", window=Window("2016-01-01", "2018-12-31"))).set_index("unit_en")
    assert len(t) == len(unit_frame("admin1", ["IQ", "SY"]))
    assert t.loc["Ar-Raqqa", "mk_trend"] == "decreasing" and t.loc["Ar-Raqqa", "slope_high"] < 0
