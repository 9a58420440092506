"""The brief's monthly and forecast fan charts: every place, the months on the axis, labels shaped in Arabic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rasid.report.arabic import shape
from rasid.report.charts import fan_chart, monthly_chart
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


MONTHLY = {"en": {"events": "events", "deaths": "deaths", "title": "Monthly events", "window": "window"},
           "ar": {"events": "أحداث", "deaths": "قتلى", "title": "الأحداث شهرياً", "window": "الفترة"}}


def _monthly(codes: list[str], start: str, months: int) -> pd.DataFrame:
    periods = pd.date_range(start, periods=months, freq="MS")
    n = len(codes)
    return pd.DataFrame({"unit_code": np.repeat(codes, months), "period": np.tile(periods, n),
                         "events": np.arange(n * months) % 7, "deaths_best": np.arange(n * months) % 5})


def _month(fmt: Formatter, day: str, *, year: bool) -> str:
    text = fmt.short_month(pd.Timestamp(day), year=year)
    return shape(text) if fmt.lang == "ar" else text


def _runs(texts: list[str], ticks: list[str]) -> int:
    """How often ``ticks`` appear as one run in the drawn strings (once per column the labels are drawn under)."""
    return sum(texts[i:i + len(ticks)] == ticks for i in range(len(texts)))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_both_charts_name_the_months_under_each_column(lang):
    """Three places make two columns: each column's bottom panel names January (with the year) and July."""
    fmt = Formatter(lang)
    places = list(zip("ABC", ["Mosul", "Kirkuk", "Raqqa"], strict=True))
    chart = monthly_chart(_monthly(list("ABC"), "2017-01-01", 24), places, MONTHLY[lang], fmt,
                          window_start="2018-01-01")
    ticks = [_month(fmt, d, year=y) for d, y in (("2017-01-01", True), ("2017-07-01", False), ("2018-01-01", True),
                                                 ("2018-07-01", False))]
    assert _runs(chart.texts, ticks) == 2 and _month(fmt, "2017-04-01", year=False) not in chart.texts
    observed, forecast = _tables()  # 2016-01..2018-12 observed, 2019-01..03 forecast; one place, one column
    fan = fan_chart(observed, forecast, places[:1], LABELS[lang], fmt, history=12)
    ticks = [_month(fmt, d, year=y) for d, y in (("2018-01-01", True), ("2018-04-01", False), ("2018-07-01", False),
                                                 ("2018-10-01", False), ("2019-01-01", True))]
    assert _runs(fan.texts, ticks) == 1


def test_a_short_span_without_january_or_july_still_names_its_first_month():
    """February to June in two columns: no January or July to mark, so the first month is named (with its year)."""
    fmt = Formatter("en")
    chart = monthly_chart(_monthly(list("ABC"), "2018-02-01", 5), list(zip("ABC", "XYZ", strict=True)),
                          MONTHLY["en"], fmt)
    assert chart.texts.count("Feb\n2018") == 2 and "Jun" not in chart.texts
