"""Stratified quantile draws equal the exact quantiles of the distributions they stand for."""

from __future__ import annotations

import numpy as np
from scipy.stats import lognorm, nbinom

from rasid.analysis.models.draws import hurdle_levels, lognormal_quantiles, nb_quantiles
from rasid.analysis.predictive import stratified_levels


def test_nb_quantiles_equal_scipy() -> None:
    lv = stratified_levels(500)
    mu = np.array([0.0, 1e-5, 0.4, 3.0, 40.0, 25.0])
    alpha = np.array([1.0, 1.0, 0.3, 2.0, 0.7, 40.0])  # the last one very heavy-tailed
    q = nb_quantiles(mu, alpha, lv)
    for i in range(len(mu)):
        r = 1 / alpha[i]
        ref = nbinom.ppf(lv, r, r / (r + mu[i])) if mu[i] > 0 else np.zeros_like(lv)
        assert np.array_equal(q[i], ref)
    assert abs(q[4].mean() - 40.0) < 0.5


def test_lognormal_and_hurdle_levels() -> None:
    lv = stratified_levels(200)
    q = lognormal_quantiles(np.array([np.log(20.0)]), 1.2, lv)
    ref = np.maximum(1, np.floor(lognorm.ppf(lv, 1.2, scale=20.0) + 0.5))
    assert np.array_equal(q[0], ref)
    assert lognormal_quantiles(np.array([np.log(20.0)]), 1.2, lv, cap=100.0).max() == 100
    zero, pos = hurdle_levels(np.array([0.25, 0.0, 1.0]), lv)
    assert zero[0].mean() == 0.75 and zero[1].all() and not zero[2].any()
    assert np.all(np.diff(pos[0][~zero[0]]) > 0) and pos[0][~zero[0]].min() > 0
