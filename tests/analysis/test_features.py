"""The shared feature table: no look-ahead (a feature for target month t at horizon h uses data up to t - h only),
static and calendar blocks, and forecasts that ignore the future."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.analysis.features import (
    CALENDAR_FEATURES,
    DYNAMIC_FEATURES,
    FEATURES,
    LAG_FEATURES,
    STATIC_FEATURES,
    FeatureTable,
    lag_features,
    training_rows,
)
from rasid.analysis.forecast import forecast, prepare
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError


def test_features_at_origin_ignore_later_months() -> None:
    rng = np.random.default_rng(0)
    y = rng.poisson(2.0, size=(7, 60)).astype(float)
    nb = rng.random((7, 7))
    nb /= nb.sum(1, keepdims=True)
    base = lag_features(y, nb)
    assert base.shape == (7, 60, len(LAG_FEATURES))
    for t in (0, 11, 30, 58):
        changed = y.copy()
        changed[:, t + 1:] = rng.poisson(50.0, size=changed[:, t + 1:].shape)
        assert np.array_equal(lag_features(changed, nb)[:, : t + 1], base[:, : t + 1])
        # and the feature at t does depend on month t itself (it is the latest data, not stale)
        bumped = y.copy()
        bumped[:, t] += 5
        assert not np.array_equal(lag_features(bumped, nb)[:, t], base[:, t])


def test_training_rows_targets_observed_by_origin() -> None:
    for origin in (20, 40):
        for h in range(1, 7):
            rows = training_rows(origin, h)
            assert len(rows) and (rows + h <= origin).all() and rows.max() + h == origin
    assert training_rows(12, 6).size == 0


@pytest.fixture(scope="module")
def future_changed(is_events: pd.DataFrame) -> pd.DataFrame:
    """The same events with everything after 2016-06 replaced by a tripled, shuffled copy."""
    ev = is_events.copy()
    late = ev[ev.date_start >= "2016-07-01"]
    fake = pd.concat([late] * 3).sample(frac=1.0, random_state=1)
    fake = fake.assign(admin1_code=fake.admin1_code.sample(frac=1.0, random_state=2).to_numpy(),
                       admin2_code=fake.admin2_code.sample(frac=1.0, random_state=3).to_numpy())
    return pd.concat([ev[ev.date_start < "2016-07-01"], fake], ignore_index=True)


@pytest.mark.parametrize(("model", "context"), [("ensemble", False), ("conflictology", False), ("ensemble", True)])
def test_forecast_unchanged_when_future_changes(is_events, future_changed, model, context) -> None:
    spec = PanelSpec(unit="admin1", countries=("IQ", "SY"))
    kw = {"as_of": "2016-06", "horizon": 2, "model": model, "context": context, "n_samples": 300}
    pd.testing.assert_frame_equal(forecast(is_events, spec, **kw), forecast(future_changed, spec, **kw))


def test_context_covariates_enter_the_design(is_events) -> None:
    prep = prepare(is_events, PanelSpec(unit="admin1", countries=("IQ", "SY")), use_context=True)
    names = prep.names
    assert names == [*LAG_FEATURES, *STATIC_FEATURES, *CALENDAR_FEATURES]
    assert prep.static is not None and prep.calendar is not None
    origins = np.array([20, 21])
    x1, x3 = prep.design(origins, 1), prep.design(origins, 3)
    assert x1.shape == (2 * len(prep.panel.units), len(names))
    k = len(LAG_FEATURES) + len(STATIC_FEATURES)
    # lag and static features identical across horizons; calendar columns describe the target month
    assert np.array_equal(x1[:, :k], x3[:, :k])
    assert not np.array_equal(x1[:, k:], x3[:, k:])
    # the static block is the same for a unit at every origin, and varies across units
    n = len(prep.panel.units)
    assert np.array_equal(x1[:n, len(LAG_FEATURES):k], x1[n:, len(LAG_FEATURES):k])
    assert (x1[:n, len(LAG_FEATURES):k].std(axis=0) > 0).all()
    plain = prepare(is_events, PanelSpec(unit="admin1", countries=("IQ", "SY")))
    assert plain.names == LAG_FEATURES
    assert set(FEATURES) == {*LAG_FEATURES, *STATIC_FEATURES, *CALENDAR_FEATURES, *DYNAMIC_FEATURES}


def test_frame_takes_history_from_the_month_before(is_events) -> None:
    spec = PanelSpec(unit="admin1", countries=("IQ",), window="2016-01..2017-12")
    table = FeatureTable(build_panel(is_events, spec))
    df = table.frame(h=1)
    assert df.period.min() == pd.Timestamp("2016-02-01")  # month 0 has no earlier month
    kirkuk = df[df.unit_code == "IQG13"].set_index("period")
    y = table.panel.y[table.panel.units.unit_code.tolist().index("IQG13")]
    # y_l0 of target month t is the count of month t - 1
    assert np.allclose(np.expm1(kirkuk["y_l0"].to_numpy()), y[:-1])
    assert np.allclose(kirkuk["y"].to_numpy(), y[1:])
    sel = table.frame(h=2, names=["y_m3"])
    assert list(sel.columns[-3:]) == ["y_m3", "y", "deaths_best"] and sel.period.min() == pd.Timestamp("2016-03-01")


def test_forecast_columns_and_shape(is_events) -> None:
    spec = PanelSpec(unit="admin1", countries=("IQ", "SY"), measure="deaths")
    df = forecast(is_events, spec, as_of="2017-12", horizon=3, model="glm", n_samples=200)
    assert list(df.columns[:13]) == ["unit_code", "unit_en", "unit_ar", "month", "horizon", "mean", "q05", "q25",
                                     "q50", "q75", "q95", "p_any", "p_ge_10"]
    assert {"p_ge_25", "p_ge_100"} <= set(df.columns)
    assert df.month.min() == pd.Timestamp("2018-01-01") and df.month.max() == pd.Timestamp("2018-03-01")
    assert len(df) == 3 * df.unit_code.nunique()
    assert ((df.q05 <= df.q50) & (df.q50 <= df.q95)).all() and df.p_any.between(0, 1).all()
    assert (df.p_any >= df.p_ge_10).all()


def test_forecast_on_newer_data_no_hard_coded_years(is_events) -> None:
    shifted = is_events.assign(date_start=is_events.date_start + pd.DateOffset(years=7),
                               date_end=is_events.date_end + pd.DateOffset(years=7))
    df = forecast(shifted, PanelSpec(unit="admin1", countries=["IQ", "SY"]), horizon=1, model="lgbm", n_samples=100)
    assert df.month.unique().tolist() == [pd.Timestamp("2026-01-01")]
    quiet = forecast(is_events, PanelSpec(unit="admin1", countries=["IQ", "SY"]), as_of="2018-12", horizon=1, model="no_change", data_end="2019-03-31")  # store covers months with no IS events
    assert quiet.month.unique().tolist() == [pd.Timestamp("2019-01-01")]


def test_forecast_bad_input(is_events) -> None:
    with pytest.raises(QueryError):
        forecast(is_events, PanelSpec(unit="admin1", countries=["IQ", "SY"]), as_of="2031-01")
    with pytest.raises(QueryError):
        forecast(is_events, PanelSpec(unit="admin1", countries=["IQ", "SY"]), as_of="1990-01")
    with pytest.raises(QueryError):
        forecast(is_events, PanelSpec(unit="admin1", countries=["IQ", "SY"]), model="crystal_ball")
    with pytest.raises(QueryError):
        forecast(is_events.iloc[:0], PanelSpec(unit="admin1", countries=["IQ", "SY"]))
