"""Quantile recalibration: fitted on past forecasts, it brings fresh forecasts' coverage to nominal and lowers their CRPS."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.analysis.calibration import CalibrationConfig, fit_recalibration
from rasid.analysis.predictive import Predictive
from rasid.analysis.scores import crps, pit_coverage, pit_ks


def _batch(mu: np.ndarray, alpha_true: float, alpha_model: float, rng) -> tuple[Predictive, np.ndarray]:
    r_t, r_m = 1 / alpha_true, 1 / alpha_model
    y = rng.negative_binomial(r_t, r_t / (r_t + mu)).astype(float)
    draws = rng.negative_binomial(r_m, r_m / (r_m + mu[:, None]), size=(len(mu), 500)).astype(float)
    return Predictive(mu, draws), y


def _mu(n: int, rng) -> np.ndarray:
    return np.where(rng.random(n) < 0.6, 0.2, rng.gamma(1.5, 8.0, n))


@pytest.mark.parametrize(("alpha_true", "alpha_model"), [(0.3, 2.5), (1.0, 0.3)])
def test_recalibration_fixes_over_and_under_dispersion(alpha_true, alpha_model) -> None:
    rng = np.random.default_rng(0)
    past, y_past = _batch(_mu(3000, rng), alpha_true, alpha_model, rng)
    lo, hi = past.cdf_bounds(y_past)
    recal = fit_recalibration(lo, hi, past.mean)
    fresh, y = _batch(_mu(3000, rng), alpha_true, alpha_model, rng)
    fixed = recal.apply(fresh)
    b0, b1 = fresh.cdf_bounds(y), fixed.cdf_bounds(y)
    for level in (0.5, 0.9):
        assert abs(pit_coverage(*b1, level).mean() - level) < 0.03
        assert abs(pit_coverage(*b1, level).mean() - level) < abs(pit_coverage(*b0, level).mean() - level)
    assert pit_ks(*b1) < 0.04 and pit_ks(*b1) < pit_ks(*b0) / 2
    assert crps(fixed, y).mean() < crps(fresh, y).mean()
    # draws stay draws of the forecast: counts, sorted, on the original support
    assert np.all(fixed.samples == np.round(fixed.samples)) and np.all(np.diff(fixed.samples, axis=1) >= 0)
    assert set(np.unique(fixed.samples[0])) <= set(np.unique(fresh.samples[0]))


def test_strata_fix_opposite_errors_in_quiet_and_busy_places() -> None:
    """Quiet places forecast too narrow, busy ones too wide: one pooled map cannot fix both, strata can."""
    rng = np.random.default_rng(1)

    def world(n):
        quiet, qy = _batch(np.full(n, 0.3), 3.0, 0.05, rng)
        busy, by = _batch(rng.gamma(2.0, 10.0, n), 0.2, 2.0, rng)
        return (Predictive(np.r_[quiet.mean, busy.mean], np.vstack([quiet.samples, busy.samples])), np.r_[qy, by], n)

    past, y_past, _ = world(2500)
    recal = fit_recalibration(*past.cdf_bounds(y_past), past.mean)
    pooled = fit_recalibration(*past.cdf_bounds(y_past), past.mean, CalibrationConfig(edges=()))
    fresh, y, n = world(2500)
    for part in (slice(0, n), slice(n, 2 * n)):
        sub, yy = fresh.take(np.arange(2 * n)[part]), y[part]
        strat = recal.apply(sub).cdf_bounds(yy)
        assert abs(pit_coverage(*strat, 0.5).mean() - 0.5) < 0.05
        one = pooled.apply(sub).cdf_bounds(yy)
        assert abs(pit_coverage(*one, 0.5).mean() - 0.5) > abs(pit_coverage(*strat, 0.5).mean() - 0.5)


def test_too_few_pairs_and_point_masses_are_left_alone() -> None:
    assert fit_recalibration(np.zeros(10), np.ones(10), np.ones(10)) is None
    rng = np.random.default_rng(2)
    past, y = _batch(_mu(500, rng), 1.0, 1.0, rng)
    recal = fit_recalibration(*past.cdf_bounds(y), past.mean)
    point = Predictive(np.array([1.0, 4.0]))
    assert recal.apply(point) is point
