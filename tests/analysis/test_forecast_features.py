"""No look-ahead: a feature for target month t at horizon h uses data up to t - h only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.analysis.forecast import forecast
from rasid.analysis.forecast_features import FEATURES, lag_features, training_rows
from rasid.errors import QueryError


def test_features_at_origin_ignore_later_months() -> None:
    rng = np.random.default_rng(0)
    y = rng.poisson(2.0, size=(7, 60)).astype(float)
    nb = rng.random((7, 7))
    nb /= nb.sum(1, keepdims=True)
    base = lag_features(y, nb)
    assert base.shape == (7, 60, len(FEATURES))
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
    kw = {"unit": "admin1", "as_of": "2016-06", "horizon": 2, "countries": ["IQ", "SY"], "model": model,
          "context": context, "n_samples": 300}
    pd.testing.assert_frame_equal(forecast(is_events, **kw), forecast(future_changed, **kw))


def test_context_covariates_enter_the_design(is_events) -> None:
    from rasid.analysis.forecast import prepare

    prep = prepare(is_events, unit="admin1", target="events", countries=["IQ", "SY"], use_context=True)
    if prep.static is None and prep.calendar is None:
        pytest.skip("rasid.context layers not available")
    names = prep.feature_names
    assert names[: len(FEATURES)] == FEATURES and len(names) > len(FEATURES)
    origins = np.array([20, 21])
    x1, x3 = prep.design(origins, 1), prep.design(origins, 3)
    assert x1.shape == (2 * len(prep.panel.units), len(names))
    # lag features identical across horizons; calendar columns describe the target month
    assert np.array_equal(x1[:, : len(FEATURES)], x3[:, : len(FEATURES)])
    plain = prepare(is_events, unit="admin1", target="events", countries=["IQ", "SY"])
    assert plain.feature_names == FEATURES


def test_forecast_columns_and_shape(is_events) -> None:
    df = forecast(is_events, unit="admin1", as_of="2017-12", horizon=3, countries=["IQ", "SY"], model="glm",
                  n_samples=200, target="deaths")
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
    df = forecast(shifted, unit="admin1", horizon=1, countries=["IQ", "SY"], model="lgbm", n_samples=100)
    assert df.month.unique().tolist() == [pd.Timestamp("2026-01-01")]
    quiet = forecast(is_events, unit="admin1", as_of="2018-12", horizon=1, countries=["IQ", "SY"],
                     model="no_change", data_end="2019-03-31")  # store covers months with no IS events
    assert quiet.month.unique().tolist() == [pd.Timestamp("2019-01-01")]


def test_forecast_bad_input(is_events) -> None:
    with pytest.raises(QueryError):
        forecast(is_events, as_of="2031-01", countries=["IQ", "SY"])
    with pytest.raises(QueryError):
        forecast(is_events, as_of="1990-01", countries=["IQ", "SY"])
    with pytest.raises(QueryError):
        forecast(is_events, model="crystal_ball", countries=["IQ", "SY"])
    with pytest.raises(QueryError):
        forecast(is_events.iloc[:0], countries=["IQ", "SY"])
