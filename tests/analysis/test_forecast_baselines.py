"""Baselines give exactly the values they are defined to give on a small hand-made series."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.analysis.forecast_baselines import BASELINES, Predictive, baseline_forecast
from rasid.errors import ModelError

# two units, 14 months; the last column is the origin month
SERIES = np.array([
    [9, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0],
], dtype=float)


def test_point_baselines_exact() -> None:
    assert np.array_equal(baseline_forecast("zero", SERIES).mean, [0, 0])
    assert np.array_equal(baseline_forecast("no_change", SERIES).mean, [11, 0])
    assert np.allclose(baseline_forecast("mean3", SERIES).mean, [10, 4 / 3])
    assert np.allclose(baseline_forecast("mean12", SERIES).mean, [66 / 12, 4 / 12])  # 0+1+...+11; one 4
    for name in ("zero", "no_change", "mean3", "mean12"):
        p = baseline_forecast(name, SERIES)
        assert p.samples is None  # point masses: every quantile is the value itself
        assert np.array_equal(p.quantiles((0.05, 0.5, 0.95)), np.repeat(p.mean[:, None], 3, axis=1))
    assert np.array_equal(baseline_forecast("no_change", SERIES).prob_ge(1), [1, 0])


def test_poisson_last() -> None:
    p = baseline_forecast("poisson_last", SERIES, n_samples=20000, seed=1)
    assert np.array_equal(p.mean, [11, 0])
    assert abs(p.samples[0].mean() - 11) < 0.1 and abs(p.samples[0].var() - 11) < 0.5
    assert not p.samples[1].any()  # Poisson(0) is 0


def test_conflictology_draws_from_own_last_12_months_seeded() -> None:
    p = baseline_forecast("conflictology", SERIES, n_samples=5000, seed=7)
    assert set(np.unique(p.samples[0])) == set(range(0, 12))  # 0..11 are the last 12 values of unit 0
    assert set(np.unique(p.samples[1])) == {0, 4}
    assert abs((p.samples[1] == 4).mean() - 1 / 12) < 0.02
    assert np.allclose(p.mean, [66 / 12, 4 / 12])
    again = baseline_forecast("conflictology", SERIES, n_samples=5000, seed=7)
    assert np.array_equal(p.samples, again.samples)
    rng = np.random.default_rng(7)  # the documented seeding: default_rng(seed).integers(0, 12, ...)
    pick = rng.integers(0, 12, size=(2, 5000))
    assert np.array_equal(np.sort(np.take_along_axis(SERIES[:, -12:], pick, 1), axis=1), p.samples)


def test_short_history_pads_with_zeros() -> None:
    p = baseline_forecast("mean12", np.array([[6.0, 6.0]]))
    assert p.mean[0] == 1.0


def test_unknown_baseline() -> None:
    with pytest.raises(ModelError):
        baseline_forecast("oracle", SERIES)
    assert len(BASELINES) == 6


def test_predictive_quantiles_are_inverse_cdf() -> None:
    p = Predictive(np.array([2.5]), np.array([[0, 0, 1, 2, 3, 4, 4, 5, 5, 1]]))
    assert p.quantiles((0.05, 0.5, 0.95)).tolist() == [[0, 2, 5]]
    assert p.prob_ge(1)[0] == 0.8 and p.prob_ge(5)[0] == 0.2
