"""A small hand-made brief (no store, no models) covering every section: two districts, one attack,
an explanation, a forecast, a backtest and a political calendar. Golden files, wording and safety tests
render it; ``hostile=True`` plants script and link syntax in every text a brief takes from data or news.
"""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd

from rasid.analysis.scorecard import scorecard_verdict
from rasid.report import BriefData

SCRIPT = "</script><script>alert(1)</script>"
SVG = "<svg onload=alert(1)>"
MDLINK = "[click](javascript:alert(1))"


def _explanation(context_lgbm: float = 1.6683, history_lgbm: float = 1.7651, context_glm: float = 7.4038,
                 history_glm: float = 4.5215) -> dict:
    """An explanation dict shaped like ``Explanation.to_dict()`` with chosen out-of-sample deviances."""
    def obj(name, share, lo, hi, ex=None, exlo=None, exhi=None, kind="objective", evidence=None):
        return {"objective": name, "kind": kind, "share": share, "ci_low": lo, "ci_high": hi,
                "share_excl_history": ex, "ci_low_excl_history": exlo, "ci_high_excl_history": exhi,
                "contribution": share * 5, "features": {}, "evidence": evidence or []}

    return {
        "actor": "IS", "window": ["2018-01-01", "2018-12-31"], "unit": "admin2", "countries": ["IQ", "SY"],
        "places": [
            {"unit_code": "SY.DY.AK", "unit_en": "Abu Kamal", "unit_ar": "البوكمال", "observed": 354.0,
             "expected": 6.395, "objectives": [
                 obj("history", 0.668, 0.608, 0.859),
                 obj("corridor", 0.102, -0.06, 0.178, 0.306, 0.05, 0.555, evidence=[
                     {"quote": "يسعى التنظيم إلى السيطرة على الطريق الحدودي قرب البوكمال", "url": "https://example.org/ar/1"},
                     {"quote": "IS wants the border road near Abu Kamal", "url": "https://example.org/en/1"}]),
                 obj("oil", 0.038, -0.038, 0.107, 0.113, -0.184, 0.38),
                 obj("unit_size", 0.043, -0.017, 0.076, 0.129, -0.08, 0.24, kind="control")],
             "text_only_evidence": {}},
            {"unit_code": "IQG13Q02", "unit_en": "Hawija", "unit_ar": "الحويجة", "observed": 12.0, "expected": 6.395,
             "objectives": [obj("history", 0.745, 0.6, 0.88), obj("disputed_territory", 0.1, -0.02, 0.2, 0.4, -0.1, 0.7)],
             "text_only_evidence": {}},
        ],
        "effects": [
            {"objective": "corridor", "feature": "border_prox", "description": "proximity to the Iraq-Syria border",
             "irr": 1.42, "ci_low": 1.05, "ci_high": 1.92, "p_value": 0.02, "objective_p_value": 0.011},
            {"objective": "political_calendar", "feature": "pre_vote_3m", "description": "three months before a vote",
             "irr": 0.98, "ci_low": 0.81, "ci_high": 1.19, "p_value": 0.8, "objective_p_value": 0.8},
        ],
        "out_of_sample": {"train_years": [2015, 2017], "test_year": 2018, "models": {
            "context_lgbm": {"poisson_deviance": context_lgbm}, "history_lgbm": {"poisson_deviance": history_lgbm},
            "context_glm": {"poisson_deviance": context_glm}, "history_glm": {"poisson_deviance": history_glm}}},
        "notes": ["social_base uses GeoNames population: a proxy"],
    }


def fixed_brief(*, hostile: bool = False, explanation: dict | None = None) -> BriefData:
    """The hand-made brief; ``hostile`` plants script/link syntax in source names, URLs, quotes and places."""
    top = pd.DataFrame({
        "rank": [1, 2], "unit_code": ["SY.DY.AK", "IQG13Q02"], "unit_en": ["Abu Kamal", "Hawija"],
        "unit_ar": ["البوكمال", "الحويجة"], "admin1_en": ["Deir-ez-Zor", "Kirkuk"], "admin1_ar": ["دير الزور", "كركوك"],
        "events": [354, 12], "deaths": [3213, 1], "share": [0.3417, 0.0116], "baseline_events": [166, 0],
        "baseline_deaths": [900, 0], "baseline_share": [0.0522, 0.0], "location_quotient": [6.55, np.inf],
        "rate_ratio": [2.1325, np.inf], "rr_low": [1.7712, 1.9], "rr_high": [2.5811, np.inf],
        "q_value": [1e-9, 0.0213], "label": ["rising focus", "new"], "significant": [True, True],
        "direction": ["up", "up"],
    })
    focus = pd.concat([top.drop(columns=["admin1_en", "admin1_ar", "significant", "direction"]), pd.DataFrame({
        "rank": [3], "unit_code": ["SY.RA.RA"], "unit_en": ["Ar-Raqqa"], "unit_ar": ["مركز الرقة"], "events": [38],
        "deaths": [90], "share": [0.0367], "baseline_events": [774], "baseline_deaths": [2000],
        "baseline_share": [0.2435], "location_quotient": [0.15], "rate_ratio": [0.05], "rr_low": [0.03],
        "rr_high": [0.07], "q_value": [1e-30], "label": ["fading"]})], ignore_index=True)
    focus.attrs["alpha"] = 0.05
    attacks = pd.DataFrame({
        "event_id": ["e1"], "source": ["ucdp_ged"], "source_id": ["271515"], "date": [dt.date(2018, 11, 23)],
        "admin1_en": ["Deir-ez-Zor"], "admin1_ar": ["دير الزور"], "admin2_en": ["Abu Kamal"], "admin2_ar": ["البوكمال"],
        "location": ["Hajin town"], "opponent_id": ["SDF"], "killed": [137], "killed_low": [130], "killed_high": [140],
        "victims": [80], "wounded": [np.nan], "source_ref": ["UCDP GED 271515"], "source_url": [None],
        "source_text": ['"SOHR,2018-11-23,ISIS carries out attacks near Hajin"'],
    })
    periods = pd.date_range("2017-01-01", "2018-12-01", freq="MS")
    monthly = pd.DataFrame({"unit_code": np.repeat(["SY.DY.AK", "IQG13Q02"], len(periods)),
                            "period": np.tile(periods, 2), "events": np.arange(2 * len(periods)) % 7,
                            "deaths_best": np.arange(2 * len(periods)) % 11})
    months = pd.date_range("2019-01-01", periods=3, freq="MS")
    forecast = pd.DataFrame({
        "unit_code": np.repeat(["SY.DY.AK", "IQG13Q02"], 3), "unit_en": np.repeat(["Abu Kamal", "Hawija"], 3),
        "unit_ar": np.repeat(["البوكمال", "الحويجة"], 3), "month": np.tile(months, 2), "horizon": np.tile([1, 2, 3], 2),
        "mean": [29.5, 28.0, 29.0, 1.2, 1.1, 1.0], "q05": [5, 2, 1, 0, 0, 0], "q25": [13, 9, 8, 0, 0, 0],
        "q50": [24, 21, 19, 1, 1, 1], "q75": [40, 38, 40, 2, 2, 2], "q95": [71, 78, 93, 4, 4, 4],
        "p_any": [0.998, 0.984, 0.968, 0.62, 0.6, 0.58], "p_ge_5": [0.952, 0.881, 0.845, 0.03, 0.03, 0.02],
        "p_ge_10": [0.84, 0.742, 0.707, 0.0, 0.0, 0.0]})
    backtest = {"model": "ensemble", "baselines": ["no_change", "mean12"], "start": "2018-01-01", "end": "2018-09-01",
                "rows": [{"horizon": h, "n_origins": 9, "crps": 0.335 + 0.03 * h, "coverage90": 0.97,
                          "crps_skill_vs_no_change": 0.27, "crps_skill_vs_no_change_lo": 0.24,
                          "crps_skill_vs_no_change_hi": 0.31, "crps_skill_vs_mean12": -0.05,
                          "crps_skill_vs_mean12_lo": -0.12, "crps_skill_vs_mean12_hi": 0.02} for h in (1, 2, 3)]}
    # the one-line verdict as the scorecard words it for these rows (the 12-month mean is the stronger baseline)
    h1 = {**backtest["rows"][0], "model": "ensemble", "unit_level": "admin2"}
    summary = pd.DataFrame([h1, {"model": "no_change", "unit_level": "admin2", "horizon": 1, "crps": 0.365 / 0.73},
                            {"model": "mean12", "unit_level": "admin2", "horizon": 1, "crps": 0.365 / 1.05}])
    backtest["verdict"] = {lang: scorecard_verdict(summary, lang) for lang in ("en", "ar")}
    calendar = pd.DataFrame({"date": [pd.Timestamp("2018-05-12"), pd.Timestamp("2019-04-20")],
                             "country": ["IQ", "IQ"], "scope": ["national", "governorate"],
                             "category": ["election", "election"],
                             "event": ["Council of Representatives election", "Governorate council elections"],
                             "source_url": ["https://en.wikipedia.org/wiki/2018_Iraqi_parliamentary_election",
                                            "https://example.org/iraq-governorate-elections"],
                             "when": ["window", "ahead"]})
    data = BriefData(
        actor="IS", actor_label={"en": "Islamic State", "ar": "تنظيم الدولة الإسلامية (داعش)"},
        countries=["IQ", "SY"], window=(dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        baseline=(dt.date(2017, 1, 1), dt.date(2017, 12, 31)), unit="admin2", top_n=2, horizon=3,
        generated=dt.date(2026, 11, 25),
        params={"actor": "IS", "window": "2018-01-01..2018-12-31", "recent_from": "2018-10-01"},
        data_versions=[{"source": "ucdp_ged", "source_version": "19.1", "rows": 21940, "min_date": "1989-01-01",
                        "max_date": "2018-12-31", "files": [{"file": "ucdp_ged_iq_sy.csv.gz", "sha256": "acca9e62318e"}]}],
        totals={"events": 1202, "deaths": 10193, "located_events": 1036, "located_baseline_events": 3179},
        tables={"top": top, "focus": focus, "monthly": monthly, "attacks": attacks, "forecast": forecast,
                "calendar": calendar},
        explanation=copy.deepcopy(explanation if explanation is not None else _explanation()), backtest=backtest,
        places={"SY.DY.AK": {"sites": [{"en": "As Susah", "ar": None, "events": 87, "lat": 34.53, "lon": 40.96},
                                       {"en": "Hajin", "ar": "هجين", "events": 81, "lat": 34.69, "lon": 40.83}],
                             "site_events": 168, "events": 349, "lat": 34.58, "lon": 40.93,
                             "locator": {"town_en": "Abu Kamal", "town_ar": "البوكمال", "km": 15, "bearing": "north",
                                         "near": False}}},
    )
    if hostile:
        data.data_versions[0]["source"] = SCRIPT
        data.data_versions[0]["source_version"] = SCRIPT
        data.params["note"] = SCRIPT
        a = data.tables["attacks"]
        a.loc[0, "source_url"] = "javascript:alert(1)"
        a.loc[0, "source_ref"] = "javascript:alert(1)"
        a.loc[0, "source_text"] = f'"SOHR,2018-11-23,{SCRIPT} {SVG} {MDLINK}"'
        a.loc[0, "location"] = f"{SVG} town"
        ev = data.explanation["places"][0]["objectives"][1]["evidence"]
        ev[0]["quote"] = f"يقول {SCRIPT} {SVG} {MDLINK}"
        ev[0]["url"] = "javascript:alert(1)"
        ev[1]["quote"] = f"IS says {SCRIPT} {SVG} {MDLINK}"
        ev[1]["url"] = "data:text/html,<script>alert(1)</script>"
        data.tables["calendar"].loc[1, "source_url"] = "javascript:alert(1)"
        data.places["SY.DY.AK"]["sites"][0]["en"] = f"{SVG}{MDLINK}"
    return data
