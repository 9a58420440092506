"""Alerts on the bundled data and on synthetic changes planted into it; the false-alarm bookkeeping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.analysis.alert_eval import false_alarm_table, outcome_labels
from rasid.analysis.alerts import ALERT_COLUMNS, KINDS, AlertRules, alerts, covered_month, month_signals
from rasid.analysis.focus import focus_table
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window
from rasid.geo.units import unit_frame

C = ["IQ", "SY"]
AR_DIGIT = set("٠١٢٣٤٥٦٧٨٩")


@pytest.fixture(scope="module")
def units2() -> pd.DataFrame:
    return pd.DataFrame(unit_frame("admin2", C).drop(columns="geometry"))


def _plant(events: pd.DataFrame, unit: pd.Series, month: str, n: int, deaths: int = 1) -> pd.DataFrame:
    """``n`` copies of a real event moved into ``unit`` (a unit_frame row) on the days of ``month``."""
    tpl = events.iloc[-1]
    rows = []
    for i in range(n):
        r = tpl.copy()
        day = pd.Timestamp(month) + pd.Timedelta(days=i % 27)
        r["event_id"] = f"planted{unit.unit_code}{month}{i:03d}"
        r["source"], r["source_id"], r["source_text"] = "rasid", f"p{i}", f"planted test event {i}"
        r["date_start"] = r["date_end"] = day
        r["admin1_code"], r["admin1_en"], r["admin1_ar"] = unit.admin1_code, unit.admin1_en, unit.admin1_ar
        r["admin2_code"], r["admin2_en"], r["admin2_ar"] = unit.unit_code, unit.unit_en, unit.unit_ar
        r["geo_precision"], r["deaths_best"], r["country"] = "exact", deaths, unit.country
        rows.append(r)
    return pd.concat([events, pd.DataFrame(rows)], ignore_index=True)


def _quiet_units(events: pd.DataFrame, units: pd.DataFrame, since: str) -> pd.DataFrame:
    busy = set(events.loc[events.date_start >= since, "admin2_code"].dropna())
    return units[~units.unit_code.isin(busy) & (units.country == "IQ")].sort_values("unit_code")


def test_bundled_alerts_have_every_field_and_agree_with_the_focus_table(is_events):
    a = alerts(is_events, unit="admin1", countries=C, as_of="2018-06", actor="IS", n_samples=200)
    assert list(a.columns[:len(ALERT_COLUMNS)]) == ALERT_COLUMNS and len(a) > 0
    assert set(a.kind) <= set(KINDS) and set(a.month) == {"2018-06"}
    rules = AlertRules.tuned("admin1")
    f = focus_table(is_events, PanelSpec(unit="admin1", window=Window.parse("2018-06"), countries=tuple(C)),
                    baseline="12m")
    want = set(f[(f.baseline_events > 0) & (f.events >= rules.intensify_min_events)
                 & (f.rr_low > rules.intensify_rr_low)].unit_code)
    assert set(a[a.kind == "intensifying"].unit_code) == want
    for r in a.itertuples():
        assert r.unit_en in r.text_en and "June 2018" in r.text_en
        assert r.unit_ar in r.text_ar and "حزيران" in r.text_ar and set(r.text_ar) & AR_DIGIT
        assert 0 < len(r.evidence) <= rules.max_evidence and r.n_evidence == r.events
        for e in r.evidence:  # evidence: this unit's events of that month, each with its source
            row = is_events[is_events.event_id == e["event_id"]].iloc[0]
            assert row.admin1_code == r.unit_code and e["date"].startswith("2018-06") and e["source"] == "ucdp_ged"
    assert a.attrs["as_of"] == "2018-06" and a.attrs["unit"] == "admin1"


def test_default_month_is_the_last_covered_one(is_events):
    a = alerts(is_events, unit="admin1", countries=C, kinds=("spread", "intensifying"), n_samples=50)
    assert a.attrs["as_of"] == "2018-12"
    assert covered_month("2018-12-31") == pd.Timestamp("2018-12-01")
    assert covered_month("2019-03-27") == pd.Timestamp("2019-03-01")
    assert covered_month("2019-03-10") == pd.Timestamp("2019-02-01")  # a month with data in its first days only
    two = alerts(is_events, unit="admin1", countries=C, as_of="2018-06", months=2, kinds=("intensifying",))
    assert set(two.month) <= {"2018-05", "2018-06"} and (two.month == "2018-05").any()
    with pytest.raises(QueryError, match="after the last month"):
        alerts(is_events, unit="admin1", countries=C, as_of="2019-05")
    with pytest.raises(QueryError, match="unknown alert kind"):
        alerts(is_events, unit="admin1", countries=C, kinds=("panic",))


def test_planted_spread_intensifying_and_lethality_are_caught(is_events, units2):
    month = "2018-10"
    quiet = _quiet_units(is_events, units2, "2017-01-01")
    calm, busy_unit = quiet.iloc[0], None
    counts = is_events[(is_events.date_start >= "2017-10-01") & (is_events.date_start < "2018-10-01")
                       & (is_events.geo_precision.isin(["exact", "near"]))].admin2_code.value_counts()
    busy_unit = units2.set_index("unit_code").loc[counts.index[5]].copy()
    busy_unit["unit_code"] = counts.index[5]
    kinds = ("spread", "intensifying", "lethality")
    before = alerts(is_events, unit="admin2", countries=C, as_of=month, kinds=kinds)
    assert calm.unit_code not in set(before.unit_code) and busy_unit.unit_code not in set(before.unit_code)
    planted = _plant(is_events, calm, month, 6)
    rate = counts.iloc[5] / 12
    planted = _plant(planted, busy_unit, month, int(rate * 6) + 10, deaths=40)
    after = alerts(planted, unit="admin2", countries=C, as_of=month, kinds=kinds, actor="IS")
    got = {(r.unit_code, r.kind) for r in after.itertuples()}
    assert (calm.unit_code, "spread") in got
    assert (busy_unit.unit_code, "intensifying") in got and (busy_unit.unit_code, "lethality") in got
    spread = after[(after.unit_code == calm.unit_code) & (after.kind == "spread")].iloc[0]
    assert spread.events == 6 and spread.baseline_events == 0
    assert all(e["source_text"].startswith("planted") for e in spread.evidence)
    # nothing else changed: the other alerts are the ones the unplanted data gave
    rest = {(r.unit_code, r.kind) for r in before.itertuples()}
    assert got - rest == {(calm.unit_code, "spread"), (busy_unit.unit_code, "intensifying"),
                          (busy_unit.unit_code, "lethality")}


def test_a_planted_surge_is_a_new_hot_spot_and_beats_the_forecast(is_events, units2):
    month = "2018-11"
    calm = _quiet_units(is_events, units2, "2016-11-01").iloc[2]
    planted = _plant(is_events, calm, month, 120)  # Gi* weighs it against Deir ez-Zor's hundreds
    sig = month_signals(planted, month, unit="admin2", countries=C, kinds=("new_hotspot", "forecast_exceedance"),
                        n_samples=300)
    row = sig.set_index("unit_code").loc[calm.unit_code]
    assert row.pattern == "new hot spot" and row.events == 120 and row.q95 < 120
    a = alerts(planted, unit="admin2", countries=C, as_of=month, kinds=("new_hotspot", "forecast_exceedance"),
               n_samples=300)
    assert {"new_hotspot", "forecast_exceedance"} <= set(a[a.unit_code == calm.unit_code].kind)


def test_nothing_changed_and_changed_labels_follow_their_definition(units2):
    unit = units2.iloc[10]
    base = pd.DataFrame({"event_id": ["x"], "date_start": [pd.Timestamp("2000-01-01")], "admin2_code": [None],
                         "admin1_code": [None], "geo_precision": ["exact"], "deaths_best": [0]})
    ev = base.iloc[:0]
    for month in pd.date_range("2010-01-01", "2010-12-01", freq="MS"):  # 1 event a month in the baseline
        ev = _plant(ev if len(ev) else base, unit, f"{month:%Y-%m}", 1)
    ev = ev[ev.event_id != "x"]
    calm = _plant(ev, unit, "2011-02", 3)  # after months: 3 + 0 ... (expected 6): nothing changed
    lab = outcome_labels(calm, unit="admin2", countries=C, start="2011-01", end="2011-01")
    row = lab.set_index("unit_code").loc[unit.unit_code]
    assert row.baseline_events == 12 and row.after_events == 3 and row.stable and not row.changed
    surge = _plant(ev, unit, "2011-03", 12)  # 12 events after (expected 6): changed (>= max(12, 9))
    row = outcome_labels(surge, unit="admin2", countries=C, start="2011-01", end="2011-01").set_index(
        "unit_code").loc[unit.unit_code]
    assert row.changed and not row.stable
    quiet_other = lab[lab.unit_code != unit.unit_code]
    assert quiet_other.stable.all() and not quiet_other.changed.any()


def test_false_alarm_rates_count_alerts_on_nothing_changed_unit_months():
    months = pd.to_datetime(["2012-01-01", "2012-02-01"])
    labels = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "month": np.repeat(months, 2),
                           "stable": [True, True, False, True], "changed": [False, False, True, False],
                           "lethality_stable": [True] * 4, "lethality_changed": [False] * 4})
    sig = pd.DataFrame({"unit_code": ["A", "B", "A", "B"], "unit_en": "u", "unit_ar": "و", "country": "IQ",
                        "month": np.repeat(months, 2), "events": [3, 0, 4, 0], "deaths": 0,
                        "baseline_events": [0, 0, 0, 0], "baseline_deaths": 0, "rate_ratio": np.nan,
                        "rr_low": np.nan, "label": "new", "pattern": None, "gi_z": np.nan, "q95": np.nan,
                        "expected": np.nan})
    t = false_alarm_table(sig, labels, AlertRules(spread_min_events=2), ("spread",)).iloc[0]
    # A fires both months: on a nothing-changed month (January) and before a change (February)
    assert t.alerts == 2 and t.on_nothing_changed == 1 and t.on_changed == 1
    assert t.false_alarms_per_unit_year == pytest.approx(1 / (3 / 12)) and t.hit_rate == 1.0
