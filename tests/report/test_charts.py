"""The brief's forecast fan chart: every place, the forecast months on the axis, labels shaped in Arabic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.report.arabic import shape
from rasid.report.charts import fan_chart
from rasid.report.format import Formatter

LABELS = {"en": {"observed": "observed", "mean": "forecast mean", "band50": "50% interval", "band90": "90% interval",
                 "title": "Monthly events and the forecast"},
          "ar": {"observed": "المرصود", "mean": "متوسط التوقع", "band50": "مجال ٥٠٪", "band90": "مجال ٩٠٪",
                 "title": "الأحداث شهرياً والتوقعات"}}


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    periods = pd.date_range("2016-01-01", "2018-12-01", freq="MS")
    observed = pd.DataFrame({"unit_code": np.repeat(["A", "B"], len(periods)), "period": np.tile(periods, 2),
                             "events": np.arange(2 * len(periods)) % 9, "deaths_best": np.arange(2 * len(periods)) % 4})
    months = pd.date_range("2019-01-01", periods=3, freq="MS")
    forecast = pd.DataFrame({"unit_code": np.repeat(["A", "B"], 3), "month": np.tile(months, 2),
                             "mean": [6.0, 5.5, 5.2, 1.0, 0.9, 0.9], "q05": [1, 1, 0, 0, 0, 0], "q25": [3, 3, 2, 0, 0, 0],
                             "q75": [8, 8, 8, 1, 1, 1], "q95": [14, 15, 16, 3, 3, 3]})
    return observed, forecast


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_fan_chart_names_every_place_and_the_forecast_months(lang):
    observed, forecast = _tables()
    fmt = Formatter(lang)
    names = [("A", "الموصل" if lang == "ar" else "Mosul"), ("B", "كركوك" if lang == "ar" else "Kirkuk")]
    chart = fan_chart(observed, forecast, names, LABELS[lang], fmt)
    assert chart.png.startswith(b"\x89PNG") and len(chart.png) > 5000
    want = [n for _, n in names] + [LABELS[lang][k] for k in ("observed", "mean", "band50", "band90", "title")]
    got = set(chart.texts)
    for text in want:
        assert (shape(text) if lang == "ar" else text) in got, text
    # the time axis runs into the forecast: January 2019 is a tick, written in the brief's language
    jan = fmt.short_month(pd.Timestamp("2019-01-01"), year=True)
    assert (shape(jan) if lang == "ar" else jan) in got
    assert chart.alt == LABELS[lang]["title"]


def test_fan_chart_deaths_and_a_place_without_forecast_rows():
    observed, forecast = _tables()
    chart = fan_chart(observed, forecast[forecast.unit_code == "A"], [("A", "Mosul"), ("B", "Kirkuk")],
                      LABELS["en"], Formatter("en"), measure="deaths_best", history=6)
    assert "Kirkuk" in chart.texts and chart.png.startswith(b"\x89PNG")
    with pytest.raises(KeyError):  # the measure must be a column of the observed table
        fan_chart(observed, forecast, [("A", "Mosul")], LABELS["en"], Formatter("en"), measure="wounded")
