"""The rolling out-of-sample check: one entry per allowed test year, uncovered country-years left out."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.analysis.explain import explain
from rasid.analysis.explain.oos import rolling_oos
from rasid.analysis.explain.panel import MODEL_FEATURES, explain_frame, usable
from rasid.analysis.spec import PanelSpec

from .explain_worlds import world

SPEC = PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"])


@pytest.fixture(scope="module")
def oil_frame():
    ev = world("oil", seed=7)
    frame, _ = explain_frame(ev, SPEC, first_year=2014)
    return frame


def test_every_year_with_earlier_data_is_scored(oil_frame):
    feats = usable(oil_frame[oil_frame.period.dt.year == 2018], list(MODEL_FEATURES))
    oos = rolling_oos(oil_frame, feats, last_year=2018, train_years=3, lgbm_years=2)
    years = [e["test_year"] for e in oos["by_year"]]
    assert years == [2015, 2016, 2017, 2018]
    assert [e["train_years"] for e in oos["by_year"]] == [[2014, 2014], [2014, 2015], [2014, 2016], [2015, 2017]]
    last = oos["by_year"][-1]
    assert {"context_glm", "history_glm", "static_glm", "dynamic_glm", "context_only_glm", "constant_rate",
            "context_lgbm", "history_lgbm", "static_lgbm", "context_only_lgbm"} <= set(last["models"])
    assert "context_lgbm" not in oos["by_year"][0]["models"]  # LightGBM only for the 2 most recent years
    # the planted static layer beats history in every year, on GLM deviance
    assert all(e["gains"]["glm"]["static_vs_history"] > 0.01 for e in oos["by_year"])
    assert oos["summary"]["glm"]["static_vs_history"]["years_better"] == 4
    # the single-year block keeps its shape, for the last year
    assert oos["test_year"] == 2018 and oos["train_years"] == [2015, 2017]
    assert set(oos["deviance_gain_vs_history"]) == {"lgbm", "glm"} and oos["context_adds"]["glm"]
    assert "history-only" in oos["verdict"] and "time-varying" in oos["verdict"]
    assert oos["models"]["context_glm"]["nb_loglik"] < 0 and "mae_unit_total" in oos["models"]["history_glm"]


def test_uncovered_country_years_are_left_out():
    ev = world("oil", seed=8)
    ev = ev[(ev.country == "IQ") | (ev.date_start.dt.year >= 2016)]  # Syria only from 2016, like the bundled UCDP
    res = explain(ev, SPEC, n_boot=0, top=2)
    by = {e["test_year"]: e for e in res.out_of_sample["by_year"]}
    n_iq, n_sy = 101, 61  # districts per country
    assert by[2015]["test_rows"] == 12 * n_iq  # Syria 2015 is missing data, not zeros
    assert by[2016]["test_rows"] == 12 * (n_iq + n_sy)
    assert res.context["coverage"]["SY"] == [2016, 2017, 2018]


def test_no_earlier_year():
    ev = world("oil", seed=9, years=(2018, 2018))
    res = explain(ev, SPEC, n_boot=0, top=2)
    assert res.out_of_sample["by_year"] == [] and res.out_of_sample["verdict"].startswith("not available")
    assert "models" not in res.out_of_sample


def test_deterministic(oil_frame):
    feats = usable(oil_frame[oil_frame.period.dt.year == 2018], list(MODEL_FEATURES))
    a = rolling_oos(oil_frame, feats, last_year=2017, lgbm_years=1, seed=3)
    b = rolling_oos(oil_frame, feats, last_year=2017, lgbm_years=1, seed=3)
    assert a == b and a["test_year"] == 2017 and np.isfinite(a["models"]["context_lgbm"]["poisson_deviance"])
