"""The explanation's NB2 GLM agrees with statsmodels' (coefficients, dispersion, cluster-robust errors)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.analysis.counts import nb_glm
from rasid.analysis.explain.models import effects_table, nb_fit, shares


def test_nb_fit_matches_statsmodels_cluster_robust():
    rng = np.random.default_rng(0)
    n, g = 1200, 60
    X = pd.DataFrame({"const": 1.0, "a": rng.normal(size=n), "b": rng.normal(size=n)})
    groups = np.repeat(np.arange(g), n // g)
    u = rng.normal(scale=0.5, size=g)[groups]
    y = rng.poisson(np.exp(0.2 + 0.5 * X.a - 0.3 * X.b + u))
    mine = nb_fit(y, X, groups)
    ref = nb_glm(y, X, groups=groups)
    assert np.allclose(mine.params, ref.params, atol=1e-6)
    assert abs(mine.alpha - ref.nb_alpha) < 1e-6
    assert np.allclose(mine.bse, ref.bse, rtol=1e-3)
    assert np.allclose(mine.pvalues, ref.pvalues, atol=1e-4)
    R = np.zeros((2, 3))
    R[0, 1] = R[1, 2] = 1
    assert abs(mine.wald([1, 2]) - float(ref.wald_test(R, scalar=True).pvalue)) < 1e-6
    plain = nb_fit(y, X)
    assert np.allclose(plain.bse, nb_glm(y, X).bse, rtol=1e-3)


def test_effects_table_and_shares():
    rng = np.random.default_rng(1)
    n = 800
    X = pd.DataFrame({"const": 1.0, "oil_prox": rng.normal(size=n), "pipeline": rng.normal(size=n),
                      "y_m12": rng.normal(size=n)})
    y = rng.poisson(np.exp(0.5 * X.oil_prox))
    fit = nb_fit(y, X, np.arange(n) // 10)
    eff = effects_table(fit, ["oil_prox", "pipeline", "y_m12"], pd.Series(1.0, index=X.columns))
    oil = eff.set_index("feature").loc["oil_prox"]
    assert oil.ci_low > 1.4 and oil.objective == "oil" and oil.objective_p_value < 1e-6
    assert eff.set_index("feature").loc["y_m12", "objective"] == "history"
    s = shares(pd.Series({"oil": 0.3, "history": -0.1}))
    assert abs(s.abs().sum() - 1) < 1e-12 and s["history"] < 0


def test_bootstrap_is_the_same_on_one_or_two_threads(monkeypatch):
    from rasid.analysis.explain import models

    rng = np.random.default_rng(2)
    n_units, n_months = 40, 12
    frame = pd.DataFrame({"unit_code": np.repeat([f"u{i}" for i in range(n_units)], n_months),
                          "oil_prox": np.repeat(rng.normal(size=n_units), n_months),
                          "y_m12": rng.normal(size=n_units * n_months)})
    frame["y"] = rng.poisson(np.exp(0.5 * frame.oil_prox))
    rows = {"u0": np.arange(12), "u1": np.arange(12, 24)}
    two = models.bootstrap(frame, ["oil_prox", "y_m12"], ["u0", "u1"], rows, seed=4, n_boot=6)
    monkeypatch.setattr(models, "_WORKERS", 1)
    one = models.bootstrap(frame, ["oil_prox", "y_m12"], ["u0", "u1"], rows, seed=4, n_boot=6)
    assert len(two["u0"]) == 6 and all(a.equals(b) for a, b in zip(one["u0"], two["u0"], strict=True))
    assert set(two["u1"][0].index) == {"oil", "history"}
