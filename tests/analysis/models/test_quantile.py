"""Quantile gradient boosting: draws reproduce the fitted quantiles, never cross, and keep a tail above the top level."""

from __future__ import annotations

import numpy as np

from rasid.analysis.models import make_model
from rasid.analysis.models.quantile import LEVELS, quantile_draws
from rasid.analysis.predictive import stratified_levels
from tests.analysis.models.conftest import origin_data


def test_draws_pass_through_the_fitted_quantiles() -> None:
    q = np.log1p(np.array([[0.0, 1.0, 3.0, 6.0, 15.0, 30.0], [5.0, 4.0, 2.0, 8.0, 9.0, 9.0]]))  # row 2 crosses
    m = 2000
    d = quantile_draws(q, LEVELS, m)
    lv = stratified_levels(m)
    assert np.all(np.diff(d, axis=1) >= 0) and np.all(d >= 0) and np.all(d == np.round(d))
    for k, level in enumerate(LEVELS):
        j = int(np.argmin(np.abs(lv - level)))
        assert abs(d[0, j] - np.expm1(q[0, k])) <= 1.0
    assert d[0, -1] > 30  # beyond the 97% level the tail keeps rising
    assert d[1, -1] >= 9  # sorted (un-crossed) quantiles, and the minimum tail slope keeps some upside


def test_qlgbm_on_the_panel(admin1_table) -> None:
    data = origin_data(admin1_table, "2016-06", horizons=(1, 3))
    pred = make_model("qlgbm").fit(data).predict(data)
    for p in pred.values():
        assert p.samples.shape == (32, 400) and np.all(p.samples >= 0)
        assert np.allclose(p.mean, p.samples.mean(axis=1))
    y = admin1_table.panel.y[:, data.origin]
    busy, quiet = np.argmax(y), np.argmin(admin1_table.panel.y[:, data.origin - 11:data.origin + 1].sum(axis=1))
    assert pred[1].mean[busy] > 10 * max(pred[1].mean[quiet], 0.1)
