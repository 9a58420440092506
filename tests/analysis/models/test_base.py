"""The registry: every model listed once, baselines first; a new model is one registered class, used by the
forecast and the backtest with no other change."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.analysis.backtest import backtest
from rasid.analysis.forecast import LEARNED, MODELS, ForecastConfig, forecast
from rasid.analysis.forecast_baselines import BASELINES
from rasid.analysis.models import REGISTRY, ForecastModel, OriginData, make_model, register, resolve
from rasid.analysis.predictive import Predictive
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError


def test_models_listed_from_the_registry() -> None:
    assert MODELS[: len(BASELINES)] == BASELINES
    assert set(MODELS) == set(REGISTRY) and len(MODELS) == len(set(MODELS))
    assert {"glm", "lgbm", "hurdle", "qlgbm", "ensemble"} <= set(LEARNED)
    assert MODELS[-1] == "ensemble"  # combiners after their components
    assert all(REGISTRY[n].baseline for n in BASELINES) and not any(REGISTRY[n].baseline for n in LEARNED)


def test_resolve_puts_components_first() -> None:
    order = resolve(["ensemble", "no_change"])
    assert order.index("ensemble") > max(order.index(c) for c in REGISTRY["ensemble"].components)
    assert "no_change" in order and len(order) == len(set(order))
    with pytest.raises(QueryError):
        resolve(["crystal_ball"])
    with pytest.raises(QueryError):
        make_model("glm", learning_rate=0.1)


@pytest.fixture()
def half_last():
    """A toy model registered for one test: Poisson around half of last month's count."""

    @register("half_last")
    class HalfLast(ForecastModel):
        label = "half of last month"

        def predict(self, data: OriginData) -> dict[int, Predictive]:
            lam = data.y[:, -1] / 2
            draws = data.rng.poisson(lam[:, None], size=(data.n_units, data.n_samples))
            return dict.fromkeys(data.horizons, Predictive(lam, draws))

    yield "half_last"
    del REGISTRY["half_last"]


def test_a_new_model_is_one_class(is_events, half_last) -> None:
    spec = PanelSpec(unit="admin1", countries=("IQ", "SY"))
    res = backtest(is_events, spec, start="2017-01", end="2017-03", horizons=(1,), models=["no_change", half_last],
                   n_samples=200, n_boot=50, config=ForecastConfig(window=6))
    row = res.summary[res.summary.model == half_last].iloc[0]
    assert row.n_origins == 3 and np.isfinite(row.crps_skill_vs_no_change)
    fc = forecast(is_events, spec, as_of="2017-03", horizon=1, model=half_last, n_samples=200,
                  config=ForecastConfig(window=6))
    assert len(fc) == 32 and (fc.q05 <= fc.q95).all()
