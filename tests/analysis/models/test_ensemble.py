"""The ensemble: exact pairwise terms, CRPS-optimal weights from released forecasts only, and a faithful pool."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.analysis.models.ensemble import crps_weights, mean_abs_differences, pool
from rasid.analysis.predictive import Predictive
from rasid.analysis.scores import crps


def test_mean_abs_differences_brute_force() -> None:
    rng = np.random.default_rng(0)
    sk = [np.sort(rng.negative_binomial(1, 0.3, size=(15, 40)).astype(float), axis=1) for _ in range(3)]
    sk.append(np.zeros((15, 40)))
    b = mean_abs_differences(sk)
    brute = [[np.mean([np.abs(a[i][:, None] - c[i][None, :]).mean() for i in range(15)]) for c in sk] for a in sk]
    assert np.allclose(b, brute, atol=1e-12)


def test_weights_minimise_the_pool_crps() -> None:
    rng = np.random.default_rng(1)
    n, m = 1500, 400
    mu = rng.gamma(1.0, 5.0, n)
    y = rng.poisson(mu).astype(float)
    good = Predictive(mu, rng.poisson(mu[:, None], size=(n, m)))
    biased = Predictive(mu * 3, rng.poisson(3 * mu[:, None], size=(n, m)))
    flat = Predictive(np.full(n, mu.mean()), rng.poisson(mu.mean(), size=(n, m)))
    comps = [good, biased, flat]
    a = np.array([np.abs(p.samples - y[:, None]).mean() for p in comps])
    b = mean_abs_differences([p.samples for p in comps])
    w = crps_weights(a, b)
    assert w[0] > 0.7 and w.sum() == pytest.approx(1.0) and (w >= 0).all()
    # the objective is the pool's CRPS: check it against the CRPS of an actual pool
    for wt in (w, np.array([0.5, 0.25, 0.25])):
        pooled = pool(comps, wt, m)
        assert (wt @ a - 0.5 * wt @ b @ wt) == pytest.approx(crps(pooled, y).mean(), rel=0.02)
    assert crps(pool(comps, w, m), y).mean() <= crps(pool(comps, np.full(3, 1 / 3), m), y).mean()
    assert np.allclose(crps_weights(a, b, shrink=1.0), 1 / 3)


def test_pool_takes_stratified_shares() -> None:
    a = Predictive(np.array([1.0]), np.zeros((1, 100)))
    b = Predictive(np.array([10.0]), np.full((1, 50), 10.0))
    p = pool([a, b], np.array([0.7, 0.3]), 100)
    assert p.samples.shape == (1, 100) and (p.samples == 10).sum() == 30 and p.mean[0] == pytest.approx(3.7)
