"""Focus table: windows, exact test, labels on planted shifts, zero-event units, the bundled IS data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from rasid.analysis.focus import FOCUS_COLUMNS, LABELS, focus_table
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window
from rasid.geo.units import unit_frame


def _events(counts: dict[str, tuple[int, int]], seed: int = 0) -> pd.DataFrame:
    """Synthetic located events: per admin1 code, (baseline 2017 count, window 2018 count)."""
    rng = np.random.default_rng(seed)
    rows = []
    for code, (nb, nw) in counts.items():
        for year, k in ((2017, nb), (2018, nw)):
            days = rng.integers(0, 365, k)
            for d in days:
                rows.append({"date_start": pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(d)), "admin1_code": code,
                             "admin2_code": None, "priogrid_gid": pd.NA, "geo_precision": "exact",
                             "deaths_best": 2, "deaths_low": 1, "deaths_high": 3, "wounded": pd.NA})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def codes() -> list[str]:
    return unit_frame("admin1", ["IQ"]).unit_code.tolist()


def baseline_window(window, spec):
    return Window.parse(window).baseline(spec).as_tuple()


def test_baseline_window():
    assert baseline_window("2018-01..2018-12", "12m") == (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert baseline_window("2018-03..2018-05", "3m") == (dt.date(2017, 12, 1), dt.date(2018, 2, 28))
    assert baseline_window("2018-01..2018-12", "2y") == (dt.date(2016, 1, 1), dt.date(2017, 12, 31))
    assert baseline_window("2018-01..2018-12", "2015-01..2015-06") == (dt.date(2015, 1, 1), dt.date(2015, 6, 30))
    assert baseline_window((dt.date(2018, 1, 1), dt.date(2018, 6, 30)), "1m") == (dt.date(2017, 12, 1),
                                                                                   dt.date(2017, 12, 31))
    for bad in ("12", "0m", "yesterday"):
        with pytest.raises(QueryError):
            baseline_window("2018-01..2018-12", bad)


def test_planted_shift(codes):
    a, b, c, d, e = codes[:5]
    ev = _events({a: (100, 40), b: (100, 100), c: (100, 160), d: (0, 12), e: (5, 5)})
    t = focus_table(ev, PanelSpec(unit="admin1", window="2018-01..2018-12", countries=["IQ"]), baseline="12m")
    assert set(FOCUS_COLUMNS) <= set(t.columns)
    assert len(t) == len(codes)  # every unit, with or without events
    r = t.set_index("unit_code")
    assert r.loc[c, "label"] == "rising focus"
    assert r.loc[a, "label"] == "fading"
    assert r.loc[b, "label"] == "steady focus"
    assert r.loc[d, "label"] == "new"
    assert r.loc[codes[6], "label"] == "none" and r.loc[codes[6], "events"] == 0
    assert t["rank"].tolist() == list(range(1, len(t) + 1)) and t.iloc[0].unit_code == c
    assert r.share.sum() == pytest.approx(1.0) and r.baseline_share.sum() == pytest.approx(1.0)
    # exact conditional binomial: e_window | e_window + e_baseline ~ Bin(m, N_w / (N_w + N_b))
    n_w, n_b = 317, 305
    assert r.loc[c, "p_value"] == pytest.approx(stats.binomtest(160, 260, n_w / (n_w + n_b)).pvalue)
    assert r.loc[c, "location_quotient"] == pytest.approx((160 / n_w) / (100 / n_b))
    assert r.loc[c, "lq_low"] < r.loc[c, "location_quotient"] < r.loc[c, "lq_high"]
    assert r.loc[c, "rate_ratio"] == pytest.approx(1.6, rel=0.01)  # same-length windows
    assert r.loc[c, "rr_low"] < 1.6 < r.loc[c, "rr_high"]
    assert (t.q_value >= t.p_value - 1e-12).all()
    assert r.loc[c, "deaths"] == 320
    assert set(t.label) <= set(LABELS)


def test_no_shift_is_not_significant(codes):
    flagged = 0
    for seed in range(10):
        rng = np.random.default_rng(seed)
        counts = {k: (int(rng.poisson(30)), 0) for k in codes[:8]}
        counts = {k: (nb, int(rng.binomial(nb + rng.poisson(30), 0.5))) for k, (nb, _) in counts.items()}
        t = focus_table(_events(counts, seed), PanelSpec(unit="admin1", window="2018-01..2018-12", countries=["IQ"]), baseline="12m")
        flagged += int(t.label.isin(["rising focus", "fading"]).any())
    assert flagged <= 3


def test_errors(codes):
    ev = _events({codes[0]: (3, 3)})
    with pytest.raises(QueryError):
        focus_table(ev, PanelSpec(unit="admin1", window="2018-01..2018-12", countries=["IQ"]), baseline="2018-06..2018-09")
    with pytest.raises(QueryError):
        focus_table(ev, PanelSpec(unit="admin1", window="2010-01..2010-12", countries=["IQ"]))
    with pytest.raises(QueryError):
        focus_table(ev, PanelSpec(unit="admin1", window="2018-12..2018-01", countries=["IQ"]))


@pytest.mark.parametrize("unit", ["admin1", "admin2"])
def test_is_2018_on_bundled_data(is_events, unit):
    t = focus_table(is_events, PanelSpec(unit=unit, window="2018-01..2018-12", countries=["IQ", "SY"]), baseline="12m")
    assert len(t) == len(unit_frame(unit, ["IQ", "SY"]))
    assert t.events.sum() == t.attrs["total_events"] > 900
    top = t.iloc[0]
    assert top.unit_code in ({"SY09"} if unit == "admin1" else {"SY.DY.AK", "SY.DY.MY"})  # Deir ez-Zor valley
    assert top.label == "rising focus"
    r = t.set_index("unit_en")
    if unit == "admin1":
        assert r.loc["Ar-Raqqa", "label"] == "fading" and r.loc["Ninewa", "label"] == "fading"
        assert r.loc["Kirkuk", "label"] == "rising focus"
