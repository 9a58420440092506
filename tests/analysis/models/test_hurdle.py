"""Hurdle model: the logistic part is maximum likelihood; events get a shifted NB, deaths a heavy log-normal tail."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from rasid.analysis.models import make_model
from rasid.analysis.models.hurdle import logit_fit
from tests.analysis.models.conftest import origin_data


def test_logit_matches_sklearn() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 3))
    z = (rng.random(4000) < 1 / (1 + np.exp(-(0.5 + x @ np.array([1.0, -0.5, 0.0]))))).astype(float)
    ours = logit_fit(np.column_stack([np.ones(4000), x]), z)
    ref = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(x, z)  # unpenalised (penalty=None: deprecated)
    assert np.allclose(ours, np.r_[ref.intercept_, ref.coef_[0]], atol=1e-3)


def test_hurdle_zero_share_is_its_probability_of_nothing(admin1_table) -> None:
    data = origin_data(admin1_table, "2016-06")
    model = make_model("hurdle").fit(data)
    assert model._fits[1]["kind"] == "nb"
    pred = model.predict(data)[1]
    zeros = (pred.samples == 0).mean(axis=1)
    p_any = pred.prob_ge(1)
    assert np.allclose(zeros + p_any, 1.0)
    assert np.all(pred.samples[pred.samples > 0] >= 1)
    busy = np.argmax(pred.mean)  # the most active governorate is forecast to see events
    assert p_any[busy] > 0.9 and pred.mean[busy] > 5


def test_deaths_get_a_heavier_tail_than_a_negative_binomial(admin1_deaths) -> None:
    data = origin_data(admin1_deaths, "2016-06", horizons=(1,), n_samples=1000)
    hurdle = make_model("hurdle").fit(data)
    assert hurdle._fits[1]["kind"] == "lognormal"
    events_like = make_model("hurdle", positive="nb").fit(data)
    heavy, light = hurdle.predict(data)[1], events_like.predict(data)[1]
    active = heavy.prob_ge(1) > 0.5
    assert active.sum() >= 3
    # at similar medians, the log-normal puts more mass on mass-casualty months
    ratio_heavy = heavy.quantiles((0.99,))[active, 0] / np.maximum(heavy.quantiles((0.5,))[active, 0], 1)
    ratio_light = light.quantiles((0.99,))[active, 0] / np.maximum(light.quantiles((0.5,))[active, 0], 1)
    assert np.median(ratio_heavy) > np.median(ratio_light)
