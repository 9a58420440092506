"""Count-model primitives: IRLS equals statsmodels, one dispersion estimate, deviances and NB draws."""

from __future__ import annotations

import numpy as np
import statsmodels.api as sm

from rasid.analysis.counts import irls, nb_alpha, nb_deviance, nb_glm, nb_loglik, nb_samples, poisson_deviance
from rasid.analysis.models.glm import fit_nb_glm


def _nb_data(alpha: float = 0.7, n: int = 3000, seed: int = 5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    mu = np.exp(0.3 + x @ np.array([0.5, -0.2, 0.0, 0.3]))
    y = rng.negative_binomial(1 / alpha, (1 / alpha) / (1 / alpha + mu)).astype(float)
    return x, y, mu


def test_irls_matches_statsmodels() -> None:
    x, y, _ = _nb_data()
    xc = sm.add_constant(x)
    for alpha in (0.0, 0.7):
        family = sm.families.Poisson() if alpha == 0 else sm.families.NegativeBinomial(alpha=alpha)
        ref = sm.GLM(y, xc, family=family).fit(tol=1e-12)
        assert np.allclose(irls(xc, y, alpha, tol=1e-12), ref.params, atol=1e-6)
        assert abs(nb_deviance(y, ref.mu, alpha) - ref.deviance) < 1e-6 * ref.deviance


def test_one_dispersion_estimate_recovers_alpha() -> None:
    x, y, mu = _nb_data(alpha=0.7, n=20000)
    assert 0.6 < nb_alpha(y, mu) < 0.8
    assert nb_alpha(np.ones(10), np.ones(10)) == 1e-8  # under-dispersed: floored, never negative
    assert nb_alpha(y, mu, bounds=(1e-3, 0.5)) == 0.5
    # the forecast GLM and statsmodels' NB GLM use the same estimate
    params, alpha, cap = fit_nb_glm(x, y)
    assert 0.6 < alpha < 0.8 and cap == y.max()
    res = nb_glm(y, sm.add_constant(x))
    assert abs(res.nb_alpha - alpha) < 0.02
    assert np.allclose(res.params, params, atol=0.02)


def test_scores_and_samples() -> None:
    y = np.array([0.0, 1.0, 4.0])
    assert poisson_deviance(y, y + 1e-12) < 1e-9
    assert poisson_deviance(y, np.array([1.0, 1.0, 1.0])) > 0
    assert nb_loglik(y, np.array([1.0, 1.0, 4.0]), 0.5) > nb_loglik(y, np.array([5.0, 5.0, 0.1]), 0.5)
    draws = nb_samples(np.array([2.0, 20.0]), 0.5, 20000, np.random.default_rng(0))
    assert draws.shape == (2, 20000)
    assert np.allclose(draws.mean(axis=1), [2.0, 20.0], rtol=0.05)
    assert np.allclose(draws.var(axis=1), [2 + 0.5 * 4, 20 + 0.5 * 400], rtol=0.1)
