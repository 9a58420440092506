"""Scores of count forecasts: the interval score matches scoringrules, PIT coverage is nominal for a calibrated
count forecast (while the closed interval over-covers), and the PIT's KS distance tells calibrated from not."""

from __future__ import annotations

import numpy as np
import pytest
import scoringrules as sr

from rasid.analysis.predictive import Predictive
from rasid.analysis.scores import (
    ROW_SCORES,
    interval_score,
    pit_cdf,
    pit_coverage,
    pit_histogram,
    pit_ks,
    row_scores,
)


def _nb(mu: np.ndarray, alpha: float, size, rng) -> np.ndarray:
    r = 1 / alpha
    return rng.negative_binomial(r, r / (r + mu), size=size).astype(float)


def _world(alpha_true: float, alpha_model: float, n: int = 4000, seed: int = 0, quiet: float = 0.7):
    """Counts (a share ``quiet`` of units nearly always zero) and a model's NB draws for them."""
    rng = np.random.default_rng(seed)
    mu = np.where(rng.random(n) < quiet, 0.05, rng.gamma(1.0, 6.0, n))
    y = _nb(mu, alpha_true, n, rng)
    draws = _nb(mu[:, None], alpha_model, (n, 400), rng)
    return Predictive(mu, draws), y


def test_interval_score_matches_scoringrules() -> None:
    pred, y = _world(1.0, 1.0, n=300)
    lo, hi = np.quantile(pred.samples, 0.05, axis=1), np.quantile(pred.samples, 0.95, axis=1)
    assert np.allclose(interval_score(pred, y, 0.9), sr.interval_score(y, lo, hi, 0.1), atol=1e-9)
    point = Predictive(np.array([2.0, 5.0]))
    assert np.allclose(interval_score(point, np.array([2.0, 9.0]), 0.9), [0.0, 80.0])  # width 0 + (2/0.1) * 4


def test_pit_coverage_is_nominal_for_a_calibrated_count_forecast() -> None:
    pred, y = _world(1.0, 1.0)
    sc = row_scores(pred, y)
    assert set(ROW_SCORES) <= set(sc)
    assert sc["coverage50"].mean() == pytest.approx(0.5, abs=0.03)
    assert sc["coverage90"].mean() == pytest.approx(0.9, abs=0.02)
    # the closed integer interval holds every quiet month: far above nominal although the forecast is right
    assert sc["coverage50_closed"].mean() > 0.75
    assert pit_ks(sc["pit_lo"], sc["pit_hi"]) < 0.03


def test_pit_tells_over_and_under_dispersion() -> None:
    good = row_scores(*_world(1.0, 1.0, quiet=0.0))
    wide = row_scores(*_world(0.2, 3.0, quiet=0.0))
    narrow = row_scores(*_world(3.0, 0.05, quiet=0.0))
    assert wide["coverage50"].mean() > 0.55 and narrow["coverage50"].mean() < 0.4
    ks = [pit_ks(s["pit_lo"], s["pit_hi"]) for s in (good, wide, narrow)]
    assert ks[0] < 0.03 < min(ks[1:])
    # too wide: few PITs in the outer bins; too narrow: many (a flat histogram has 0.2 there)
    hw, hn = pit_histogram(wide["pit_lo"], wide["pit_hi"]), pit_histogram(narrow["pit_lo"], narrow["pit_hi"])
    assert hw.sum() == pytest.approx(1.0) and hw[[0, 9]].sum() < 0.12 and hn[[0, 9]].sum() > 0.3


def test_pit_cdf_is_the_mixture_of_uniforms() -> None:
    rng = np.random.default_rng(4)
    lo = rng.random(300) * 0.7
    hi = lo + rng.random(300) * 0.3
    hi[:40] = lo[:40]  # point masses are steps
    u = np.linspace(0, 1, 101)
    w = hi - lo
    brute = np.where(w[:, None] > 0, np.clip((u - lo[:, None]) / np.where(w > 0, w, 1)[:, None], 0, 1),
                     (u >= lo[:, None]).astype(float)).mean(axis=0)
    assert np.allclose(pit_cdf(lo, hi, u), brute, atol=1e-12)
    # the expected coverage of the randomised PIT, by hand for one row
    assert pit_coverage(np.array([0.0]), np.array([0.5]), 0.5)[0] == pytest.approx(0.5)  # [0.25, 0.5] of [0, 0.5]
    assert pit_coverage(np.array([0.3]), np.array([0.3]), 0.5)[0] == 1.0


def test_randomised_pit_draws_agree_with_the_deterministic_ks() -> None:
    pred, y = _world(0.5, 2.0, n=3000, seed=2)
    lo, hi = pred.cdf_bounds(y)
    u = lo + np.random.default_rng(9).random(len(lo)) * (hi - lo)  # one randomised PIT per row
    grid = np.linspace(0, 1, 2001)
    ks_draw = np.max(np.abs(np.searchsorted(np.sort(u), grid, side="right") / len(u) - grid))
    assert pit_ks(lo, hi) == pytest.approx(ks_draw, abs=0.03)
