"""The LightGBM models on the bundled panel and on a nearly empty early history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rasid.analysis.forecast import forecast
from rasid.analysis.models import make_model
from rasid.analysis.spec import PanelSpec
from tests.analysis.models.conftest import origin_data


def test_a_nearly_empty_early_history_still_forecasts(is_events) -> None:
    """At the end of 2005 the thinned training rows of the trees held one row (LightGBM refused to fit;
    `rasid alerts` for January 2006 failed): the trees then learn from every row."""
    before = is_events[pd.to_datetime(is_events["date_start"]) < "2006-01-01"]
    out = forecast(before, PanelSpec(unit="admin1", countries=("IQ", "SY")), as_of="2005-12", horizon=1,
                   model="ensemble", n_samples=200, seed=0, data_end="2005-12")
    assert len(out) == 32 and np.isfinite(out["mean"]).all() and (out["q95"] >= out["q05"]).all()


def test_lgbm_on_the_panel(admin1_table) -> None:
    data = origin_data(admin1_table, "2016-06", horizons=(1, 2))
    preds = make_model("lgbm").fit(data).predict(data)
    y = admin1_table.panel.y[:, admin1_table.panel.month_index("2016-07")]
    mean = preds[1].mean
    assert mean.shape == y.shape and np.corrcoef(mean, y)[0, 1] > 0.6  # the busy governorates stay busy (0.75 measured)
