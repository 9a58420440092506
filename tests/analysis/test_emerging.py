"""Emerging hot spots: each ESRI pattern on hand-built series, Mann-Kendall vs pymannkendall, real data."""

from __future__ import annotations

import numpy as np
import pymannkendall as pmk
import pytest

from rasid.analysis.emerging import (
    EMERGING_COLUMNS,
    PATTERNS,
    classify_patterns,
    classify_series,
    emerging_hotspots,
    mann_kendall,
)
from rasid.analysis.hotspots import hotspots
from rasid.analysis.spec import PanelSpec
from rasid.events.window import Window

T = 20
_WIGGLE = np.tile([0.3, -0.3], T // 2)  # no monotonic trend


def _series(hot=(), cold=(), z_hot=None) -> tuple[np.ndarray, np.ndarray]:
    """z series of length T: significant hot (z=4) / cold (z=-4) bins at the given steps, ~0 elsewhere."""
    z = _WIGGLE * 0.1 + 0.0
    sig = np.zeros(T, dtype=bool)
    for i in hot:
        z[i], sig[i] = 4.0 + _WIGGLE[i], True
    for i in cold:
        z[i], sig[i] = -4.0 + _WIGGLE[i], True
    if z_hot is not None:
        z[list(hot)] = z_hot[list(hot)]
    return z, sig


ALL = range(T)
RISING = np.linspace(3, 8, T)
CASES = {
    "new hot spot": _series(hot=[T - 1]),
    "consecutive hot spot": _series(hot=[T - 3, T - 2, T - 1]),
    "intensifying hot spot": _series(hot=ALL, z_hot=RISING),
    "persistent hot spot": _series(hot=ALL),
    "diminishing hot spot": _series(hot=ALL, z_hot=RISING[::-1]),
    "sporadic hot spot": _series(hot=[3, 8, T - 1]),
    "oscillating hot spot": _series(hot=[4, T - 1], cold=[2]),
    "historical hot spot": _series(hot=range(T - 1)),
}
for name, (z, sig) in list(CASES.items()):
    CASES[name.replace("hot", "cold")] = (-z, sig)
CASES["no pattern detected"] = _series()


@pytest.mark.parametrize("name", list(CASES))
def test_each_pattern(name):
    z, sig = CASES[name]
    assert classify_series(z, sig) == name


def test_all_seventeen_patterns_covered():
    assert set(CASES) == set(PATTERNS) and len(PATTERNS) == 17


def test_edge_rules():
    # consecutive needs >= 2 final bins and nothing hot before the run
    assert classify_series(*_series(hot=[5, T - 2, T - 1])) == "sporadic hot spot"
    # hot before but not at the end, < 90 %: no pattern
    assert classify_series(*_series(hot=[3, 4, 5])) == "no pattern detected"
    # exactly 90 % hot including the final step, no trend: persistent (ESRI: "ninety percent")
    assert classify_series(*_series(hot=range(2, T))) == "persistent hot spot"
    # >= 90 % hot, final not significant: historical even without a negative final z (sfdep requires z < 0)
    z, sig = _series(hot=range(T - 1))
    z[-1] = 0.5
    assert classify_series(z, sig) == "historical hot spot"
    # a cold past that turns hot in the final step is oscillating, not new
    assert classify_series(*_series(hot=[T - 1], cold=[3])) == "oscillating hot spot"
    # >= 90 % hot then a final cold bin: the final-period pattern wins (oscillating cold, not historical hot)
    assert classify_series(*_series(hot=range(T - 2), cold=[T - 1])) == "oscillating cold spot"


def test_vectorised_equals_one_by_one():
    names = list(CASES)
    z = np.column_stack([CASES[n][0] for n in names])
    sig = np.column_stack([CASES[n][1] for n in names])
    tau, _, p = mann_kendall(z.T)
    assert list(classify_patterns(z, sig, tau, p)) == names


@pytest.mark.parametrize("seed", range(5))
def test_mann_kendall_matches_pymannkendall(seed):
    rng = np.random.default_rng(seed)
    rows = [rng.normal(size=40) + 0.03 * seed * np.arange(40), rng.integers(0, 4, 40).astype(float),
            rng.poisson(0.3, 40).astype(float), np.r_[np.zeros(20), np.ones(20)]]
    tau, z, p = mann_kendall(np.vstack(rows))
    for i, x in enumerate(rows):
        ref = pmk.original_test(x)
        assert tau[i] == pytest.approx(ref.Tau, abs=1e-12)
        assert z[i] == pytest.approx(ref.z, abs=1e-9)
        assert p[i] == pytest.approx(ref.p, abs=1e-9)


def test_constant_series_has_no_trend():
    tau, z, p = mann_kendall(np.zeros((2, 12)))
    assert (tau == 0).all() and (z == 0).all() and (p == 1).all()


def test_emerging_on_real_data(is_events):
    df = emerging_hotspots(is_events, PanelSpec(unit="admin2", window=Window("2014-01-01", "2018-12-31")))
    assert list(df.columns) == EMERGING_COLUMNS
    assert df.unit_code.is_unique and len(df) > 150
    assert set(df.pattern) <= set(PATTERNS)
    assert (df.n_periods == 60).all()
    mayadin = df.set_index("unit_code").loc["SY.DY.MY"]
    assert mayadin.pattern.endswith("hot spot") and mayadin.gi_z > 3


def test_emerging_from_hotspot_table(is_events):
    h = hotspots(is_events, PanelSpec(unit="admin1", window=Window("2017-01-01", "2018-12-31")), method="analytic")
    e = emerging_hotspots(h, PanelSpec())
    direct = emerging_hotspots(is_events, PanelSpec(unit="admin1", window=Window("2017-01-01", "2018-12-31")), time_lag=0)
    assert e.set_index("unit_code").pattern.sort_index().equals(direct.set_index("unit_code").pattern.sort_index())
