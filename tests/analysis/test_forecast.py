"""The forecast walk: origins in order only, quartile columns, calibration on or off, deaths with their own tail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.analysis.forecast import QUANTILE_COLUMNS, ForecastConfig, Forecaster, forecast, prepare
from rasid.analysis.spec import PanelSpec

SPEC = PanelSpec(unit="admin1", countries=("IQ", "SY"))
QUICK = ForecastConfig(window=6)


def test_forecaster_walks_forward_only(is_events) -> None:
    table = prepare(is_events, SPEC)
    runner = Forecaster(table, ["glm"], (1,), n_samples=100, config=QUICK)
    runner.step(150, output=False)
    with pytest.raises(ValueError):
        runner.step(150)
    assert runner.first_origin(160) == 154 and runner.warmup == 6  # window 6 + horizon 1 - 1
    assert Forecaster(table, ["no_change"], (1,)).first_origin(160) == 160  # baselines need no warm-up


def test_quartiles_and_probabilities(is_events) -> None:
    df = forecast(is_events, SPEC, as_of="2017-06", horizon=2, model="hurdle", n_samples=300, config=QUICK)
    q = df[list(QUANTILE_COLUMNS)].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)
    assert (df.p_any >= df.p_ge_5).all() and (df.p_ge_5 >= df.p_ge_10).all()


def test_calibration_changes_the_spread_not_the_data(is_events) -> None:
    kw = {"as_of": "2017-06", "horizon": 1, "model": "glm", "n_samples": 300, "config": QUICK}
    cal, raw = forecast(is_events, SPEC, **kw), forecast(is_events, SPEC, calibrate=False, **kw)
    assert list(cal.unit_code) == list(raw.unit_code)
    assert not np.allclose(cal.q95 - cal.q05, raw.q95 - raw.q05)
    # a governorate with no IS event in years stays near zero either way
    quiet = cal.unit_code == "SY13"
    assert cal.loc[quiet, "mean"].iloc[0] < 0.5 and raw.loc[quiet, "mean"].iloc[0] < 0.5


def test_deaths_forecast_has_a_heavy_tail(is_events) -> None:
    deaths = forecast(is_events, SPEC.replace(measure="deaths"), as_of="2017-06", horizon=1, model="hurdle",
                      n_samples=1000, calibrate=False)
    busy = deaths.sort_values("mean").iloc[-5:]
    assert (busy.q95 > 2 * busy.q50).all()  # mass-casualty months are in the distribution
    assert set(pd.unique(deaths.month)) == {pd.Timestamp("2017-07-01")}
