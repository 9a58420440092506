"""The shift model: each place's change of share between a baseline and the window, persistence apart."""

from __future__ import annotations

import pandas as pd
import pytest

from rasid.analysis.explain import explain
from rasid.analysis.explain.panel import explain_frame
from rasid.analysis.explain.shift import shift_model
from rasid.analysis.spec import PanelSpec

from .explain_worlds import world

SPEC = PanelSpec(window="2018-01..2018-12", countries=["IQ", "SY"])
WIN = (pd.Timestamp("2018-01-01"), pd.Timestamp("2018-12-01"))
BASE = (pd.Timestamp("2017-01-01"), pd.Timestamp("2017-12-01"))


@pytest.fixture(scope="module")
def handover_frame():
    frame, _ = explain_frame(world("handover", seed=11, beta=0.8), SPEC, first_year=2017)
    return frame


def test_planted_shift_is_explained(handover_frame):
    sh = shift_model(handover_frame, WIN, BASE, places=["IQG13Q04"])
    eff = {e["feature"]: e for e in sh["effects"]}
    h = eff["handover_12m"]
    assert h["measure"] == "change" and h["ci_low"] > 1, h  # more handover months in 2018: a larger share
    assert eff["oil_prox"]["measure"] == "level"
    assert max((e for e in sh["effects"] if e["measure"] == "change"), key=lambda e: e["irr"]) is h
    assert sh["persistence"]["feature"] == "log_share_baseline" and sh["persistence"]["kind"] == "persistence"
    assert sh["leave_one_governorate_out"]["gain"] > 0.01 and sh["verdict"].startswith("context explains")
    assert sh["places"][0]["unit_code"] == "IQG13Q04"  # asked-for places first, then gainers and losers
    k = sh["places"][0]
    assert k["change"] > 0 and k["contributions"]["disputed_territory"] > 0 and "history" in k["contributions"]
    total = sum(p["share_window"] for p in sh["places"])
    assert 0 < total <= 1 and sh["clusters"] == "governorate"


def test_no_planted_shift(handover_frame):
    frame, _ = explain_frame(world("none", seed=12), SPEC, first_year=2017)
    sh = shift_model(frame, WIN, BASE, places=[])
    eff = {e["feature"]: e for e in sh["effects"]}
    assert eff["handover_12m"]["ci_low"] < 1 < eff["handover_12m"]["ci_high"]
    assert sh["leave_one_governorate_out"]["gain"] < 0.05


def test_explain_reports_the_shift_with_its_baseline():
    res = explain(world("handover", seed=11, beta=0.8, years=(2016, 2018)), SPEC, n_boot=0, top=2,
                  out_of_sample=False, baseline="2016-01..2016-12")
    sh = res.to_dict()["shift"]
    assert sh["baseline"] == ["2016-01-01", "2016-12-31"] and sh["window"] == ["2018-01-01", "2018-12-31"]
    assert sh["total_window"] > 0 and {e["objective"] for e in sh["effects"]} >= {"oil", "disputed_territory"}
    default = explain(world("none", seed=13, years=(2017, 2018)), SPEC, n_boot=0, top=2, out_of_sample=False)
    assert default.shift["baseline"] == ["2017-01-01", "2017-12-31"]  # as long as the window, just before it
