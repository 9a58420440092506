"""Unit x period aggregation and spatial weights."""

from __future__ import annotations

import pandas as pd
import pytest

from rasid.analysis.aggregate import aggregate
from rasid.analysis.spatial import spatial_lag, unit_weights
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.geo.units import unit_frame


def _events(rows: list[tuple]) -> pd.DataFrame:
    cols = ["date_start", "admin1_code", "admin2_code", "priogrid_gid", "geo_precision", "deaths_best", "deaths_low",
            "deaths_high", "wounded"]
    df = pd.DataFrame(rows, columns=cols)
    df["date_start"] = pd.to_datetime(df.date_start)
    return df


EV = _events([
    ("2018-01-03", "IQG13", "IQG13Q04", 180453, "exact", 2, 1, 3, None),
    ("2018-01-03", "IQG13", "IQG13Q04", 180453, "exact", 1, 1, 1, 4),
    ("2018-01-20", "IQG13", "IQG13Q01", 180452, "near", 0, 0, 0, None),
    ("2018-02-11", "IQG13", "IQG13Q04", 180453, "admin1", 5, 5, 5, None),  # too coarse for admin2/grid
    ("2018-03-30", "SY09", "SY.DY.AK", 179002, "exact", 3, 3, 4, None),
])


def test_admin1_month_counts_and_zero_fill() -> None:
    p = aggregate(EV, PanelSpec(unit="admin1", period="month", window="2018-01..2018-03"))
    assert len(p) == 32 * 3  # every governorate x every month
    k = p[p.unit_code == "IQG13"].set_index("period")
    assert k.events.tolist() == [3, 1, 0]
    assert k.deaths_best.tolist() == [3, 5, 0]
    assert k.active_days.tolist() == [2, 1, 0]
    assert k.wounded.iloc[0] == 4 and pd.isna(k.wounded.iloc[2])  # unknown stays NA
    assert p.events.sum() == 5


def test_admin2_drops_events_located_only_to_governorate() -> None:
    p = aggregate(EV, PanelSpec(unit="admin2", period="month", window="2018-01..2018-03"))
    assert p.events.sum() == 4
    assert p.loc[p.unit_code == "IQG13Q04", "events"].tolist() == [2, 0, 0]


def test_quarter_and_week_periods() -> None:
    q = aggregate(EV, PanelSpec(unit="admin1", period="quarter", window="2018-01..2018-03"))
    assert q[q.unit_code == "IQG13"].events.tolist() == [4]
    w = aggregate(EV, PanelSpec(unit="admin1", period="week", window="2018-01-01..2018-01-31"))
    assert w.period.dt.day_of_week.eq(0).all()  # weeks start on Monday
    assert w[w.unit_code == "IQG13"].events.sum() == 3


def test_grid_units_are_priogrid_cells() -> None:
    p = aggregate(EV, PanelSpec(unit="grid", period="month", window="2018-01..2018-03"))
    assert set(p.loc[p.events > 0, "unit_code"]) == {"180453", "180452", "179002"}
    assert p.unit_code.nunique() == len(unit_frame("grid"))


def test_bad_unit_and_period() -> None:
    with pytest.raises(QueryError):
        PanelSpec(unit="province")
    with pytest.raises(QueryError):
        PanelSpec(period="fortnight")
    with pytest.raises(QueryError):
        PanelSpec(measure="wounded_or_killed")
    with pytest.raises(QueryError):
        PanelSpec(countries=("IRQ",))


def test_bundled_is_2018_deir_ez_zor_leads(is_events: pd.DataFrame) -> None:
    p = aggregate(is_events, PanelSpec(unit="admin1", period="month", window="2018-01..2018-12"))
    top = p.groupby("unit_code").events.sum().sort_values(ascending=False)
    assert top.index[0] == "SY09"


def test_weights_and_spatial_lag() -> None:
    uf = unit_frame("admin1")
    w = unit_weights(uf, "admin1")
    assert not w.islands
    assert "IQG01" in w.neighbors["SY09"]  # Deir ez-Zor borders Anbar across the frontier
    for i, ns in w.neighbors.items():
        assert all(i in w.neighbors[j] for j in ns)  # symmetric
    p = aggregate(EV, PanelSpec(unit="admin1", period="month", window="2018-01..2018-03"))
    lag = spatial_lag(p, w, "events")
    row = p.index[(p.unit_code == "IQG01") & (p.period == pd.Timestamp("2018-03-01"))][0]
    assert lag[row] == pytest.approx(1 / len(w.neighbors["IQG01"]))  # mean over neighbours: SY09 had 1
